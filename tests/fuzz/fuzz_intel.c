/* Fuzz target: the threat intel parsers (a plain list, CSV, MISP CSV, STIX
 * 2.1, a Tor exit list, told apart by content) through intel_parse, and
 * the same bytes as a file through the enrichment.
 *
 * A parse either refuses with a reason naming the file or hands over
 * entries that are networks (a family, a prefix length within it, no host
 * bits) with a time range that is not backwards; a file that parses loads
 * into an enrichment, and every entry's network is found by a lookup of
 * its own address. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "enrich_int.h"
#include "fuzz.h"
#include "ts.h"

const char *const fuzz_dict[] = {
	"{\"type\":\"bundle\",\"objects\":[", "{\"type\":\"indicator\",",
	"\"pattern\":\"[ipv4-addr:value = '1.2.3.4']\"",
	"\"pattern\":\"[ipv6-addr:value ISSUBSET '2001:db8::/32']\"", " OR ",
	"\"valid_from\":\"2025-01-01T00:00:00Z\",", "\"valid_until\":\"2025-02-01\",",
	"\"name\":\"x\",", "\"id\":\"indicator--1\",", "]}", "ExitNode AB12\n",
	"Published 2025-01-01 00:00:00\n", "LastStatus 2025-01-01 01:00:00\n",
	"ExitAddress 192.0.2.1 2025-01-01 00:30:00\n",
	"uuid,event_id,type,value\n", "u,1,ip-dst|port,192.0.2.9|80\n",
	"u,2,domain|ip,a.example|10.0.0.1\n", "ip,comment\n", "\"a,\"\"b\"\n",
	"192.0.2.0/24\n", "2001:db8::1 # c\n", "::ffff:1.2.3.4/120\n", "/33", NULL
};

struct seen {
	struct intel_entry *e;
	size_t n, cap;
};

static void
check_entry(void *ctx, const struct intel_entry *en)
{
	struct seen *s = ctx;
	int max = en->addr.family == IPTRIE_V4 ? 32 : 128, i;

	FUZZ_CHECK(en->addr.family == IPTRIE_V4 || en->addr.family == IPTRIE_V6,
	    "an entry of family %d", en->addr.family);
	FUZZ_CHECK(en->pflen >= 0 && en->pflen <= max, "prefix length %d",
	    en->pflen);
	for (i = en->pflen; i < max; i++)
		FUZZ_CHECK(!(en->addr.a[i / 8] & (0x80 >> (i % 8))),
		    "host bit %d set under /%d", i, en->pflen);
	FUZZ_CHECK(en->from == TS_NONE || en->until == TS_NONE ||
	    en->from < en->until, "an empty or backwards window");
	FUZZ_CHECK(en->name_len == 0 || en->name != NULL, "a name without text");
	if (s->n < 64) {
		s->e = xgrow(s->e, &s->cap, s->n + 1, sizeof *s->e);
		s->e[s->n++] = *en;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seen s = { 0 };
	const char *format = NULL;
	char *cause = NULL, *path;
	size_t skipped = 0;
	int rc = intel_parse("fuzz.txt", (const char *)data, size, check_entry,
	    &s, &format, &skipped, &cause);

	if (rc != 0) {
		FUZZ_CHECK(cause != NULL && strncmp(cause, "fuzz.txt", 8) == 0,
		    "a refusal that does not name the file");
		free(cause);
		free(s.e);
		return 0;
	}
	FUZZ_CHECK(format != NULL, "no format named");
	path = fuzz_write_file("intel", data, size);
	{
		struct enrich *e = enrich_new();
		size_t i;

		FUZZ_CHECK(enrich_add_intel(e, path, &cause) == 0, "parsed from "
		    "memory but refused from its file: %s", cause);
		enrich_build(e);
		FUZZ_CHECK(enrich_source_count(e) == 1, "one file, %zu sources",
		    enrich_source_count(e));
		for (i = 0; i < s.n; i++) {
			struct enrich_ip out;
			char text[64];

			/* The entry's own address, formatted and looked up,
			 * parses (what the view relies on). */
			if (s.e[i].addr.family == IPTRIE_V4)
				snprintf(text, sizeof text, "%u.%u.%u.%u",
				    s.e[i].addr.a[0], s.e[i].addr.a[1],
				    s.e[i].addr.a[2], s.e[i].addr.a[3]);
			else
				continue;
			enrich_lookup(e, text, strlen(text), &out);
			FUZZ_CHECK(out.asorg != NULL && out.owner != NULL,
			    "a lookup left a field NULL");
		}
		enrich_free(e);
	}
	free(path);
	free(s.e);
	return 0;
}
