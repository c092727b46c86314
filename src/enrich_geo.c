/* MaxMind DB files through libmaxminddb, the reference reader of the
 * format. The free databases lay their fields out differently:
 *   GeoLite2 / DB-IP Lite   country.iso_code, registered_country.iso_code,
 *                           autonomous_system_number (uint32),
 *                           autonomous_system_organization
 *   IPinfo Lite             country_code, asn ("AS15169"), as_name
 *   IPinfo country_asn      country ("US"), asn, as_name
 * so each field is tried at each of its paths, first hit wins. */
#include "config.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <maxminddb.h>

#include "enrich_int.h"
#include "util.h"

struct geo_db {
	MMDB_s mmdb;
	char *error;		/* the first lookup error, NULL if none */
};

/* The database types that carry a country or an AS number; anything else
 * (anonymous-IP, connection type, domain databases) is refused. */
static int
type_useful(const char *type)
{
	static const char *const words[] = { "country", "city", "asn", "isp",
		"enterprise", "ipinfo", "dbip", "db-ip", NULL };
	size_t i;

	if (type == NULL)
		return 0;
	for (i = 0; words[i] != NULL; i++)
		if (strcasestr(type, words[i]) != NULL)
			return 1;
	return 0;
}

struct geo_db *
geo_open(const char *path, char **cause)
{
	struct geo_db *g = xcalloc(1, sizeof *g);
	int rc = MMDB_open(path, MMDB_MODE_MMAP, &g->mmdb);

	if (rc != MMDB_SUCCESS) {
		*cause = xasprintf("%s: not a usable MaxMind DB file: %s", path,
		    MMDB_strerror(rc));
		free(g);
		return NULL;
	}
	if (!type_useful(g->mmdb.metadata.database_type)) {
		*cause = xasprintf("%s: a MaxMind DB of type '%s', which holds "
		    "neither countries nor AS numbers (expected a Country, City "
		    "or ASN database: GeoLite2, DB-IP Lite, IPinfo Lite)", path,
		    g->mmdb.metadata.database_type ? g->mmdb.metadata.database_type :
		    "(none)");
		MMDB_close(&g->mmdb);
		free(g);
		return NULL;
	}
	return g;
}

void
geo_close(struct geo_db *g)
{
	if (g == NULL)
		return;
	MMDB_close(&g->mmdb);
	free(g->error);
	free(g);
}

const char *
geo_type(const struct geo_db *g)
{
	return g->mmdb.metadata.database_type;
}

time_t
geo_build_time(const struct geo_db *g)
{
	return (time_t)g->mmdb.metadata.build_epoch;
}

const char *
geo_error(const struct geo_db *g)
{
	return g->error;
}

static void
note_error(struct geo_db *g, int rc)
{
	if (g->error == NULL)
		g->error = xasprintf("%s: lookup failed: %s (the database may be "
		    "damaged; fetch it again)", g->mmdb.filename,
		    MMDB_strerror(rc));
}

/* A string at the path, or NULL. */
static const char *
get_string(struct geo_db *g, MMDB_entry_s *e, uint32_t *len,
    const char *const *path)
{
	MMDB_entry_data_s d;
	int rc = MMDB_aget_value(e, &d, path);

	if (rc != MMDB_SUCCESS) {
		if (rc != MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR)
			note_error(g, rc);
		return NULL;
	}
	if (!d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING)
		return NULL;
	*len = d.data_size;
	return d.utf8_string;
}

static int
is_country_code(const char *s, uint32_t n)
{
	return n == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

/* "AS15169" or "15169" to 15169; 0 for anything else. */
static uint32_t
asn_from_text(const char *s, uint32_t n)
{
	uint64_t v = 0;
	uint32_t i = 0;

	if (n >= 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's'))
		i = 2;
	if (i == n)
		return 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > UINT32_MAX)
			return 0;
	}
	return (uint32_t)v;
}

static uint32_t
get_asn(struct geo_db *g, MMDB_entry_s *e)
{
	static const char *const p1[] = { "autonomous_system_number", NULL };
	static const char *const p2[] = { "asn", NULL };
	const char *const *paths[] = { p1, p2 };
	MMDB_entry_data_s d;
	size_t i;
	int rc;

	for (i = 0; i < 2; i++) {
		rc = MMDB_aget_value(e, &d, paths[i]);
		if (rc != MMDB_SUCCESS) {
			if (rc != MMDB_LOOKUP_PATH_DOES_NOT_MATCH_DATA_ERROR)
				note_error(g, rc);
			continue;
		}
		if (!d.has_data)
			continue;
		switch (d.type) {
		case MMDB_DATA_TYPE_UINT16:
			return d.uint16;
		case MMDB_DATA_TYPE_UINT32:
			return d.uint32;
		case MMDB_DATA_TYPE_UINT64:
			return d.uint64 <= UINT32_MAX ? (uint32_t)d.uint64 : 0;
		case MMDB_DATA_TYPE_INT32:
			return d.int32 > 0 ? (uint32_t)d.int32 : 0;
		case MMDB_DATA_TYPE_UTF8_STRING:
			return asn_from_text(d.utf8_string, d.data_size);
		default:
			break;
		}
	}
	return 0;
}

void
geo_lookup(struct geo_db *g, const struct iptrie_addr *a, struct strtab *st,
    char country[4], uint32_t *asn, uint32_t *asorg)
{
	static const char *const c1[] = { "country", "iso_code", NULL };
	static const char *const c2[] = { "country_code", NULL };
	static const char *const c3[] = { "country", NULL };
	static const char *const c4[] = { "registered_country", "iso_code", NULL };
	static const char *const o1[] = { "autonomous_system_organization", NULL };
	static const char *const o2[] = { "as_name", NULL };
	const char *const *cpaths[] = { c1, c2, c3, c4 };
	const char *const *opaths[] = { o1, o2 };
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	MMDB_lookup_result_s r;
	const char *s;
	uint32_t len;
	size_t i;
	int mmerr;

	if (a->family == IPTRIE_V4) {
		memset(&sin, 0, sizeof sin);
		sin.sin_family = AF_INET;
		memcpy(&sin.sin_addr, a->a, 4);
		sa = (const struct sockaddr *)&sin;
	} else {
		memset(&sin6, 0, sizeof sin6);
		sin6.sin6_family = AF_INET6;
		memcpy(&sin6.sin6_addr, a->a, 16);
		sa = (const struct sockaddr *)&sin6;
	}
	r = MMDB_lookup_sockaddr(&g->mmdb, sa, &mmerr);
	if (mmerr != MMDB_SUCCESS) {
		/* An IPv6 address in an IPv4-only database is no damage. */
		if (mmerr != MMDB_IPV6_LOOKUP_IN_IPV4_DATABASE_ERROR)
			note_error(g, mmerr);
		return;
	}
	if (!r.found_entry)
		return;
	for (i = 0; country[0] == '\0' && i < 4; i++)
		if ((s = get_string(g, &r.entry, &len, cpaths[i])) != NULL &&
		    is_country_code(s, len)) {
			memcpy(country, s, 2);
			country[2] = '\0';
		}
	if (*asn == 0)
		*asn = get_asn(g, &r.entry);
	for (i = 0; *asorg == 0 && i < 2; i++)
		if ((s = get_string(g, &r.entry, &len, opaths[i])) != NULL &&
		    utf8_valid(s, len))
			*asorg = strtab_intern(st, s, len);
}
