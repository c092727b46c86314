#include "config.h"

#include <stdio.h>

#include "ts.h"

/* inline: parse_date, called for every timestamp loaded, keeps it in line
 * as when it was private. */
inline int64_t
ts_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	/* 719162 days lie between 0001-01-01 and 1970-01-01. */
	return era * 146097 + doe - 719468 + 719162;
}

static void
civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468 - 719162;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
digits(const char *s, size_t n, size_t *i, int count, int *out)
{
	int v = 0, k;

	if (*i + (size_t)count > n)
		return -1;
	for (k = 0; k < count; k++) {
		char c = s[*i + (size_t)k];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*i += (size_t)count;
	*out = v;
	return 0;
}

inline int
ts_days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dm[m - 1];
}

static int
parse_date(const char *s, size_t n, size_t *i, int64_t *days)
{
	int y, mo, d;

	if (digits(s, n, i, 4, &y) || *i >= n || s[(*i)++] != '-' ||
	    digits(s, n, i, 2, &mo) || *i >= n || s[(*i)++] != '-' ||
	    digits(s, n, i, 2, &d))
		return -1;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > ts_days_in_month(y, mo))
		return -1;
	*days = ts_days_from_civil(y, (unsigned)mo, (unsigned)d);
	return 0;
}

int
ts_parse_date(const char *s, size_t n, int64_t *ticks)
{
	size_t i = 0;
	int64_t days;

	if (parse_date(s, n, &i, &days) || i != n)
		return -1;
	*ticks = days * 86400 * TS_TICKS_PER_SEC;
	return 0;
}

int
ts_parse(const char *s, size_t n, int64_t *ticks)
{
	size_t i = 0;
	int64_t days, t, frac = 0;
	int hh = 0, mm = 0, ss = 0, oh, om, sign, k;

	if (parse_date(s, n, &i, &days))
		return -1;
	if (i < n && (s[i] == 'T' || s[i] == ' ')) {
		i++;
		if (digits(s, n, &i, 2, &hh) || i >= n || s[i++] != ':' ||
		    digits(s, n, &i, 2, &mm))
			return -1;
		if (i < n && s[i] == ':') {
			i++;
			if (digits(s, n, &i, 2, &ss))
				return -1;
			if (i < n && s[i] == '.') {
				i++;
				if (i >= n || s[i] < '0' || s[i] > '9')
					return -1;
				for (k = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++)
					if (k < 7)
						frac = frac * 10 + (s[i] - '0');
				for (; k < 7; k++)
					frac *= 10;
			}
		}
		if (hh > 23 || mm > 59 || ss > 59)
			return -1;
	}
	t = ((days * 24 + hh) * 60 + mm) * 60 + ss;
	if (i < n && s[i] == 'Z')
		i++;
	else if (i < n && (s[i] == '+' || s[i] == '-')) {
		sign = s[i++] == '+' ? 1 : -1;
		if (digits(s, n, &i, 2, &oh))
			return -1;
		if (i < n && s[i] == ':')
			i++;
		if (digits(s, n, &i, 2, &om) || oh > 23 || om > 59)
			return -1;
		t -= sign * (oh * 3600 + om * 60);
	}
	if (i != n)
		return -1;
	if (t < 0 || t >= ts_days_from_civil(10000, 1, 1) * 86400)
		return -1;	/* an offset moved it outside years 1..9999 */
	*ticks = t * TS_TICKS_PER_SEC + frac;
	return 0;
}

/* Writes v as exactly n decimal digits, zero-padded (v < 10^n). */
static void
put_digits(char *out, unsigned v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

size_t
ts_format(int64_t ticks, char out[TS_BUFSZ])
{
	int64_t secs, days, sod;
	unsigned m, d;
	int y, len;

	if (ticks == TS_NONE || ticks < 0) {
		out[0] = '\0';
		return 0;
	}
	secs = ticks / TS_TICKS_PER_SEC;
	days = secs / 86400;
	sod = secs % 86400;
	civil_from_days(days, &y, &m, &d);
	if (y > 9999) {
		len = snprintf(out, TS_BUFSZ, "%04d-%02u-%02uT%02d:%02d:%02d.%07dZ",
		    y, m, d, (int)(sod / 3600), (int)(sod / 60 % 60),
		    (int)(sod % 60), (int)(ticks % TS_TICKS_PER_SEC));
		return (size_t)len;
	}
	/* The common case by hand: printf is most of the cost of writing
	 * a summary with a million groups. */
	put_digits(out, (unsigned)y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	out[10] = 'T';
	put_digits(out + 11, (unsigned)(sod / 3600), 2);
	out[13] = ':';
	put_digits(out + 14, (unsigned)(sod / 60 % 60), 2);
	out[16] = ':';
	put_digits(out + 17, (unsigned)(sod % 60), 2);
	out[19] = '.';
	put_digits(out + 20, (unsigned)(ticks % TS_TICKS_PER_SEC), 7);
	out[27] = 'Z';
	out[28] = '\0';
	return 28;
}
