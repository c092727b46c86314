/* Fuzz target: the timestamp parser.
 *
 * Whatever ts_parse accepts must lie in years 1..9999, format as Kusto's
 * 28-character form, and parse back to the same ticks; the formatted date
 * must agree with glibc's timegm() (an independent calendar). A date that
 * ts_parse_date accepts must be midnight of the same day for ts_parse.
 * The first bytes, read as a tick count, must survive format and parse,
 * and formatting must keep the order of ticks (CSV output sorts as text). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuzz.h"
#include "ts.h"

/* Ticks at 10000-01-01T00:00:00Z, one past the last valid instant. */
#define TS_END 3155378976000000000LL
/* Seconds from 0001-01-01 to 1970-01-01. */
#define UNIX_OFFSET 62135596800LL

const char *const fuzz_dict[] = {
	"2024-05-01", "T", " ", "Z", "+", "-", ":", ".", "0001-01-01",
	"9999-12-31T23:59:59.9999999Z", "00:00", "23:59:59", "24:00",
	"02-29", "1900-02-29", "2000-02-29", "+14:00", "-0130", "+23:59",
	".00000000000000000001", NULL
};

static void
check_roundtrip(int64_t t, const char *what, const uint8_t *data, size_t size)
{
	char out[TS_BUFSZ], again[TS_BUFSZ];
	size_t len = ts_format(t, out);
	int64_t back;
	struct tm tm;
	int frac;
	long long secs;

	FUZZ_CHECK(len == 28 && strlen(out) == 28,
	    "%s: ts_format(%lld) gave '%s' (length %zu)", what, (long long)t, out, len);
	FUZZ_CHECK(ts_parse(out, len, &back) == 0 && back == t,
	    "%s: '%s' (from %lld) parses back as %lld", what, out,
	    (long long)t, (long long)back);
	ts_format(back, again);
	FUZZ_CHECK(strcmp(out, again) == 0, "%s: format not stable: %s vs %s",
	    what, out, again);
	memset(&tm, 0, sizeof tm);
	FUZZ_CHECK(sscanf(out, "%4d-%2d-%2dT%2d:%2d:%2d.%7dZ", &tm.tm_year,
	    &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec,
	    &frac) == 7, "%s: cannot read back '%s'", what, out);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	secs = (long long)timegm(&tm);
	FUZZ_CHECK((secs + UNIX_OFFSET) * TS_TICKS_PER_SEC + frac == t,
	    "%s: '%s' is %lld ticks by timegm, ts has %lld", what, out,
	    (secs + UNIX_OFFSET) * TS_TICKS_PER_SEC + frac, (long long)t);
	(void)data;
	(void)size;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int64_t t, d, raw;
	uint64_t u = 0;
	char a[TS_BUFSZ], b[TS_BUFSZ];

	if (ts_parse(s, size, &t) == 0) {
		FUZZ_CHECK(t >= 0 && t < TS_END, "'%.*s' parsed to %lld, outside "
		    "years 1..9999", (int)size, s, (long long)t);
		check_roundtrip(t, "parsed", data, size);
	}
	if (ts_parse_date(s, size, &d) == 0) {
		FUZZ_CHECK(ts_parse(s, size, &t) == 0 && t == d,
		    "'%.*s': ts_parse_date gives %lld, ts_parse %lld", (int)size,
		    s, (long long)d, (long long)t);
		FUZZ_CHECK(d % (86400 * TS_TICKS_PER_SEC) == 0,
		    "'%.*s': a date is not at midnight", (int)size, s);
	}

	/* The first eight bytes as a tick count in range. */
	memcpy(&u, data, size < 8 ? size : 8);
	raw = (int64_t)(u % (uint64_t)TS_END);
	check_roundtrip(raw, "ticks", data, size);
	if (raw + 1 < TS_END) {
		ts_format(raw, a);
		ts_format(raw + 1, b);
		FUZZ_CHECK(strcmp(a, b) < 0, "format order: %s !< %s", a, b);
	}
	/* Negative ticks and TS_NONE print as nothing. */
	FUZZ_CHECK(ts_format(TS_NONE, a) == 0 && a[0] == '\0', "TS_NONE printed");
	FUZZ_CHECK(ts_format(-1 - raw, a) == 0 && a[0] == '\0',
	    "negative ticks printed as %s", a);
	return 0;
}
