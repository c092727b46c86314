/* Timestamps as Kusto keeps them: 100 ns ticks since 0001-01-01T00:00:00Z. */
#ifndef LH_TS_H
#define LH_TS_H

#include <stddef.h>
#include <stdint.h>

#define TS_NONE INT64_MIN	/* empty or unparseable: ignored by min/max */
#define TS_BUFSZ 32
#define TS_TICKS_PER_SEC 10000000LL
/* Ticks at 1970-01-01T00:00:00Z. */
#define TS_UNIX_EPOCH 621355968000000000LL

/* Parses ISO 8601: YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|(+|-)HH[:]MM].
 * A fraction may have any number of digits; those past the seventh are
 * dropped, as Kusto does. No zone means UTC. Returns 0, or -1 if the text
 * is not such a timestamp or names a date that does not exist. */
int ts_parse(const char *s, size_t n, int64_t *ticks);
/* Formats as Kusto prints datetimes: 2023-12-21T19:56:05.0000000Z.
 * TS_NONE formats as the empty string. Returns the length. */
size_t ts_format(int64_t ticks, char out[TS_BUFSZ]);
/* Parses a date YYYY-MM-DD to the ticks of its midnight UTC. */
int ts_parse_date(const char *s, size_t n, int64_t *ticks);

/* The civil calendar under the ticks (proleptic Gregorian, no time zone):
 * days from 0001-01-01 to y-m-d, and the days in month m (1 to 12) of y. */
int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d);
int ts_days_in_month(int y, int m);

#endif
