/* Fuzz target: the network owner files (Azure service tags, AWS
 * ip-ranges.json, Google cloud.json, MISP warninglists, told apart by
 * content) through ranges_parse, and the same bytes as a file through the
 * enrichment.
 *
 * A parse refuses with a reason naming the file, or hands over prefixes
 * with an owner; a file that parses loads, and the owner of a network
 * that parsed is found again by a lookup of its address (some owner: a
 * more specific prefix of another entry may name another). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "enrich_int.h"
#include "fuzz.h"

const char *const fuzz_dict[] = {
	"{\"values\":[{\"name\":\"AzureCloud.westeurope\",\"properties\":{\"addressPrefixes\":[",
	"{\"prefixes\":[{\"ip_prefix\":\"3.5.0.0/16\",\"region\":\"eu-west-1\",\"service\":\"EC2\"}],",
	"\"ipv6_prefixes\":[{\"ipv6_prefix\":\"2600:1f00::/24\",\"service\":\"S3\"}]",
	"{\"prefixes\":[{\"ipv4Prefix\":\"34.1.0.0/20\",\"scope\":\"europe-west1\"}]}",
	"{\"name\":\"List\",\"type\":\"cidr\",\"list\":[\"192.0.2.0/24\"]}",
	"\"1.2.3.0/24\"", "\"2001:db8::/33\"", "]}}]}", "\"type\":\"string\"",
	"/129", NULL
};

struct seen {
	int prefixes, bad;
	char first[64];
};

static int
check_prefix(void *ctx, const char *prefix, const char *owner, int rank,
    char **why)
{
	struct seen *s = ctx;
	struct iptrie_addr a;
	const char *w;
	int pf;

	FUZZ_CHECK(prefix != NULL && owner != NULL, "a NULL prefix or owner");
	if (enrich_parse_net(prefix, strlen(prefix), &a, &pf, &w) != 0) {
		*why = xstrdup(w);
		s->bad++;
		return -1;
	}
	if (s->prefixes++ == 0 && a.family == IPTRIE_V4 && strchr(prefix, ':') == NULL)
		snprintf(s->first, sizeof s->first, "%u.%u.%u.%u", a.a[0], a.a[1],
		    a.a[2], a.a[3]);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s;
	const char *format = NULL;
	char *cause = NULL, *path;
	int rc;

	memset(&s, 0, sizeof s);
	rc = ranges_parse("fuzz.json", (const char *)data, size, check_prefix,
	    &s, &format, &cause);
	if (rc != 0) {
		FUZZ_CHECK(cause != NULL && strncmp(cause, "fuzz.json", 9) == 0,
		    "a refusal that does not name the file");
		free(cause);
		return 0;
	}
	FUZZ_CHECK(s.bad == 0, "%d bad prefixes, yet accepted", s.bad);
	FUZZ_CHECK(format != NULL, "no format named");
	path = fuzz_write_file("ranges", data, size);
	{
		struct enrich *e = enrich_new();
		struct enrich_ip out;

		FUZZ_CHECK(enrich_add_ranges(e, path, &cause) == 0, "parsed "
		    "from memory but refused from its file: %s", cause);
		enrich_build(e);
		if (s.first[0] != '\0') {
			enrich_lookup(e, s.first, strlen(s.first), &out);
			FUZZ_CHECK(out.owner[0] != '\0', "%s: no owner found for "
			    "a prefix read", s.first);
		}
		enrich_free(e);
	}
	free(path);
	return 0;
}
