/* Network owner files, told apart by content:
 *   Azure service tags   {"values": [{"name", "properties": {"addressPrefixes"}}]}
 *                        (read by the exclusions' import parser)
 *   AWS ip-ranges.json   {"prefixes": [{"ip_prefix", "region", "service"}],
 *                         "ipv6_prefixes": [{"ipv6_prefix", ...}]}
 *   Google cloud.json    {"prefixes": [{"ipv4Prefix" | "ipv6Prefix", "scope"}]}
 *   (goog.json: the same without scope)
 *   MISP warninglist     {"name", "type": "cidr", "list": [...]}
 * Owner values: "Azure <tag>", "AWS <service> <region>", "GCP <scope>",
 * "Google", or the warninglist's name. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "enrich_int.h"
#include "excl.h"
#include "util.h"

#define MAX_SHOWN 5

struct adder {
	const char *path;
	ranges_add_fn add;
	void *ctx;
	struct buf errs;
	size_t nerr;
	/* The service tags file gives a tag's prefixes one after another:
	 * its owner text and rank are made once. */
	const char *tag;
	char *owner;
	int rank;
};

static void
adder_add(struct adder *ad, const char *prefix, const char *owner, int rank)
{
	char *why = NULL;

	if (ad->add(ad->ctx, prefix, owner, rank, &why) == 0)
		return;
	if (ad->nerr++ < MAX_SHOWN)
		buf_addf(&ad->errs, "%s%s: %s: %s", ad->errs.len ? "\n" : "",
		    ad->path, owner, why);
	free(why);
}

static int
adder_finish(struct adder *ad, char **cause)
{
	if (ad->nerr == 0) {
		buf_free(&ad->errs);
		return 0;
	}
	if (ad->nerr > MAX_SHOWN)
		buf_addf(&ad->errs, "\n%s: ... and %zu more bad prefixes", ad->path,
		    ad->nerr - MAX_SHOWN);
	buf_addf(&ad->errs, "\n%s: refused; fetch the file again", ad->path);
	*cause = ad->errs.p;
	return -1;
}

/* Azure: a regional tag over the whole cloud, a service over AzureCloud. */
static void
azure_each(void *ctx, const char *tag, const char *prefix)
{
	struct adder *ad = ctx;

	if (ad->tag != tag) {
		free(ad->owner);
		ad->tag = tag;
		ad->owner = xasprintf("Azure %s", tag);
		ad->rank = (strchr(tag, '.') != NULL ? 2 : 0) +
		    (strncmp(tag, "AzureCloud", 10) != 0 ? 1 : 0);
	}
	adder_add(ad, prefix, ad->owner, ad->rank);
}

static const char *
str_item(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
aws_list(struct adder *ad, const cJSON *list, const char *key)
{
	const cJSON *p;
	const char *pfx, *svc, *reg;
	char *owner;

	cJSON_ArrayForEach(p, list) {
		pfx = str_item(p, key);
		svc = str_item(p, "service");
		reg = str_item(p, "region");
		if (pfx == NULL) {
			adder_add(ad, "(none)", "AWS", 0);
			continue;
		}
		owner = xasprintf("AWS %s %s", svc ? svc : "?", reg ? reg : "?");
		/* AMAZON is every Amazon range; a named service says more. */
		adder_add(ad, pfx, owner, svc && strcmp(svc, "AMAZON") != 0);
		free(owner);
	}
}

static void
google_list(struct adder *ad, const cJSON *list)
{
	const cJSON *p;
	const char *pfx, *scope;
	char *owner;

	cJSON_ArrayForEach(p, list) {
		pfx = str_item(p, "ipv4Prefix");
		if (pfx == NULL)
			pfx = str_item(p, "ipv6Prefix");
		scope = str_item(p, "scope");
		owner = scope ? xasprintf("GCP %s", scope) : xstrdup("Google");
		adder_add(ad, pfx ? pfx : "(none)", owner, scope != NULL);
		free(owner);
	}
}

static int
misp_list(struct adder *ad, const cJSON *root, const cJSON *list,
    char **cause)
{
	const char *name = str_item(root, "name"), *type = str_item(root, "type");
	const cJSON *p;

	if (name == NULL || name[0] == '\0') {
		*cause = xasprintf("%s: a warninglist without a name", ad->path);
		return -1;
	}
	if (type == NULL || strcmp(type, "cidr") != 0) {
		*cause = xasprintf("%s: warninglist '%s' is of type '%s', not "
		    "cidr: it holds no address ranges", ad->path, name,
		    type ? type : "(none)");
		return -1;
	}
	cJSON_ArrayForEach(p, list)
		adder_add(ad, cJSON_IsString(p) ? p->valuestring : "(not a string)",
		    name, 0);
	return 0;
}

int
ranges_parse(const char *path, const char *data, size_t len,
    ranges_add_fn add, void *ctx, const char **format, char **cause)
{
	struct adder ad = { path, add, ctx, { 0 }, 0, NULL, NULL, 0 };
	cJSON *root;
	const cJSON *pfx, *pfx6, *list, *first;
	size_t skip = 0;
	int rc;

	/* The Azure file is the big one (4 MB): read it once, by the
	 * import's parser, when nothing says it is one of the others. */
	if (memmem(data, len, "\"values\"", 8) != NULL &&
	    memmem(data, len, "\"prefixes\"", 10) == NULL &&
	    memmem(data, len, "\"list\"", 6) == NULL) {
		*format = "Azure service tags";
		rc = excl_servicetags_each(path, data, len, azure_each, &ad, cause);
		free(ad.owner);
		if (rc != 0) {
			buf_free(&ad.errs);
			return -1;
		}
		return adder_finish(&ad, cause);
	}
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
		skip = 3;
	root = cJSON_ParseWithLength(data + skip, len - skip);
	if (!cJSON_IsObject(root)) {
		*cause = xasprintf("%s: not a JSON object: expected an Azure "
		    "service tags, AWS ip-ranges.json, Google cloud.json or MISP "
		    "warninglist file", path);
		cJSON_Delete(root);
		return -1;
	}
	pfx = cJSON_GetObjectItemCaseSensitive(root, "prefixes");
	pfx6 = cJSON_GetObjectItemCaseSensitive(root, "ipv6_prefixes");
	list = cJSON_GetObjectItemCaseSensitive(root, "list");
	first = cJSON_IsArray(pfx) ? cJSON_GetArrayItem(pfx, 0) : NULL;
	if (cJSON_IsArray(pfx) && (cJSON_IsArray(pfx6) ||
	    (first != NULL && str_item(first, "ip_prefix") != NULL))) {
		*format = "AWS ip-ranges";
		aws_list(&ad, pfx, "ip_prefix");
		if (cJSON_IsArray(pfx6))
			aws_list(&ad, pfx6, "ipv6_prefix");
	} else if (cJSON_IsArray(pfx) && (first == NULL ||
	    str_item(first, "ipv4Prefix") != NULL ||
	    str_item(first, "ipv6Prefix") != NULL)) {
		*format = "Google IP ranges";
		google_list(&ad, pfx);
	} else if (cJSON_IsArray(list)) {
		*format = "MISP warninglist";
		if (misp_list(&ad, root, list, cause) != 0) {
			cJSON_Delete(root);
			buf_free(&ad.errs);
			return -1;
		}
	} else {
		*cause = xasprintf("%s: JSON that is none of the range files "
		    "known: an Azure service tags file (\"values\"), AWS "
		    "ip-ranges.json or Google cloud.json (\"prefixes\"), or a "
		    "MISP warninglist (\"list\")", path);
		cJSON_Delete(root);
		return -1;
	}
	cJSON_Delete(root);
	return adder_finish(&ad, cause);
}
