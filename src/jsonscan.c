#include "config.h"

#include <stdint.h>
#include <string.h>

#include "jsonscan.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

void
jsonscan_init(struct jsonscan *s, const char *end)
{
	memset(s, 0, sizeof *s);
	s->end = end;
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Every JSON space is at most ' ': one test passes the rest (compact
 * exports have no spaces between tokens), in line where the scanner
 * calls it between every two tokens. */
static inline const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (unsigned char)*p <= ' ' && is_ws(*p))
		p++;
	return p;
}

const char *
jsonscan_ws(const char *p, const char *end)
{
	return skip_ws(p, end);
}

static const char *
fail(struct jsonscan *s, enum jsonscan_error err, const char *at,
    const char *want)
{
	s->err = err;
	s->errpos = at;
	s->want = want;
	return NULL;
}

/* Nonzero if a word holds a '"', a '\\' or a byte below 0x20, the only
 * bytes a string scan has to stop at (the classic zero-byte and less-than
 * tests). A borrow only runs upward, so the lowest bit set marks the first
 * such byte exactly; the bits above it may be false. */
static inline uint64_t
special_bytes(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');

	return (((q - ones) & ~q) | ((b - ones) & ~b) |
	    ((w - ones * 0x20) & ~w)) & high;
}

/* The first byte in [p, end) that a string scan stops at, or end. Most of
 * a file is strings, most of them short: the scan goes straight to that
 * byte instead of looking at the bytes before it one by one. */
static inline const char *
next_special(const char *p, const char *end)
{
	uint64_t w, m;

#ifdef __SSE2__
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i hit = _mm_or_si128(
		    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
		    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
		    /* c <= 0x1f, unsigned: max(c, 0x1f) is 0x1f */
		    _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)),
		    _mm_set1_epi8(0x1f)));
		unsigned mask = (unsigned)_mm_movemask_epi8(hit);

		if (mask != 0)
			return p + __builtin_ctz(mask);
		p += 16;
	}
#endif
	while (end - p >= 8) {
		memcpy(&w, p, 8);
		if ((m = special_bytes(w)) != 0)
			return p + __builtin_ctzll(m) / 8;
		p += 8;
	}
	while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
		p++;
	return p;
}

/* p at the opening quote; returns just past the closing one. Raw control
 * characters are refused here, so that a line break inside a string reads
 * as the string (and the record) being cut short. */
static inline __attribute__((always_inline)) const char *
skip_string(struct jsonscan *s, const char *p)
{
	const char *end = s->end;
	unsigned char c;

	for (p++;;) {
		p = next_special(p, end);
		if (p >= end)
			break;
		c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c == '\\') {
			/* The escaped byte is skipped, whatever it is. */
			if (end - p < 2)
				break;
			p += 2;
			continue;
		}
		if (c == '\n' || c == '\r')
			return fail(s, JSONSCAN_TRUNCATED, p, NULL);
		return fail(s, JSONSCAN_UNEXPECTED, p,
		    "no control characters inside a string");
	}
	return fail(s, JSONSCAN_TRUNCATED, end, NULL);
}

static int
is_scalar_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c == '-' || c == '+' || c == '.';
}

const char *
jsonscan_skip(struct jsonscan *s, const char *p)
{
	char stack[JSONSCAN_MAX_DEPTH];
	size_t depth = 0;
	const char *end = s->end, *q;
	char c;

	p = skip_ws(p, end);
	if (p >= end)
		return fail(s, JSONSCAN_TRUNCATED, p, NULL);
	for (;;) {
		if (p >= end)
			return fail(s, JSONSCAN_TRUNCATED, end, NULL);
		c = *p;
		if (c == '"') {
			if ((p = skip_string(s, p)) == NULL)
				return NULL;
			if (depth == 0)
				return p;
		} else if (c == '{' || c == '[') {
			if (depth == sizeof stack)
				return fail(s, JSONSCAN_DEEP, p, NULL);
			stack[depth++] = c == '{' ? '}' : ']';
			p++;
		} else if (c == '}' || c == ']') {
			if (depth == 0 || stack[depth - 1] != c)
				return fail(s, JSONSCAN_UNEXPECTED, p, depth == 0 ?
				    "a value" : stack[depth - 1] == '}' ?
				    "'}' to close the object" : "']' to close the array");
			p++;
			if (--depth == 0)
				return p;
		} else if (depth == 0) {
			for (q = p; q < end && is_scalar_char(*q); q++)
				;
			if (q == p)
				return fail(s, JSONSCAN_UNEXPECTED, p, "a value");
			return q;
		} else if ((unsigned char)c < 0x20 && !is_ws(c)) {
			return fail(s, JSONSCAN_UNEXPECTED, p, "a value");
		} else {
			p++;
		}
	}
}

int
jsonscan_enter(struct jsonscan *s, struct jsonscan_iter *it, const char *p,
    char open)
{
	p = skip_ws(p, s->end);
	if (p >= s->end) {
		fail(s, JSONSCAN_TRUNCATED, p, NULL);
		return -1;
	}
	if (*p != open) {
		fail(s, JSONSCAN_UNEXPECTED, p, open == '{' ? "an object" : "an array");
		return -1;
	}
	it->p = p + 1;
	it->close = open == '{' ? '}' : ']';
	it->started = 0;
	return 0;
}

/* Moves past the separator before the next item; 0 at the closing bracket. */
static int
iter_next(struct jsonscan *s, struct jsonscan_iter *it)
{
	const char *p = skip_ws(it->p, s->end);

	if (p >= s->end) {
		fail(s, JSONSCAN_TRUNCATED, p, NULL);
		return -1;
	}
	if (*p == it->close) {
		it->p = p + 1;
		return 0;
	}
	if (it->started) {
		if (*p != ',') {
			fail(s, JSONSCAN_UNEXPECTED, p, it->close == '}' ?
			    "',' or '}' after an object member" :
			    "',' or ']' after an array element");
			return -1;
		}
		p = skip_ws(p + 1, s->end);
		if (p >= s->end) {
			fail(s, JSONSCAN_TRUNCATED, p, NULL);
			return -1;
		}
		if (*p == it->close) {
			fail(s, JSONSCAN_UNEXPECTED, p, "a value after ','");
			return -1;
		}
	}
	it->started = 1;
	it->p = p;
	return 1;
}

int
jsonscan_member_start(struct jsonscan *s, struct jsonscan_iter *it,
    struct lh_str *key, const char **val)
{
	const char *p, *q;
	int r;

	if ((r = iter_next(s, it)) <= 0)
		return r;
	p = it->p;
	if (*p != '"') {
		fail(s, JSONSCAN_UNEXPECTED, p, "a member name in quotes");
		return -1;
	}
	if ((q = skip_string(s, p)) == NULL)
		return -1;
	key->p = p + 1;
	key->n = (size_t)(q - p - 2);
	p = skip_ws(q, s->end);
	if (p >= s->end) {
		fail(s, JSONSCAN_TRUNCATED, p, NULL);
		return -1;
	}
	if (*p != ':') {
		fail(s, JSONSCAN_UNEXPECTED, p, "':' after a member name");
		return -1;
	}
	p = skip_ws(p + 1, s->end);
	if (p >= s->end) {
		fail(s, JSONSCAN_TRUNCATED, p, NULL);
		return -1;
	}
	*val = p;
	it->p = p;
	return 1;
}

void
jsonscan_member_done(struct jsonscan_iter *it, const char *val_end)
{
	it->p = val_end;
}

int
jsonscan_member(struct jsonscan *s, struct jsonscan_iter *it,
    struct lh_str *key, const char **val, const char **val_end)
{
	const char *q;
	int r;

	if ((r = jsonscan_member_start(s, it, key, val)) <= 0)
		return r;
	if ((q = jsonscan_skip(s, *val)) == NULL)
		return -1;
	*val_end = q;
	it->p = q;
	return 1;
}

int
jsonscan_element(struct jsonscan *s, struct jsonscan_iter *it,
    const char **val, const char **val_end)
{
	const char *q;
	int r;

	if ((r = iter_next(s, it)) <= 0)
		return r;
	if ((q = jsonscan_skip(s, it->p)) == NULL)
		return -1;
	*val = it->p;
	*val_end = q;
	it->p = q;
	return 1;
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Four hex digits at p (p + 4 <= end checked by the caller): the value,
 * or -1. */
static long
hex4(const char *p)
{
	long v = 0;
	int i, h;

	for (i = 0; i < 4; i++) {
		if ((h = util_hexval(p[i])) < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

int
jsonscan_key_is(const struct lh_str *key, const char *name)
{
	const char *p = key->p, *end = key->p + key->n;
	long v;
	char c;

	for (; p < end; name++) {
		c = *p++;
		if (c == '\\') {
			if (p >= end)
				return 0;
			c = *p++;
			if (c == 'u') {
				if (end - p < 4 || (v = hex4(p)) <= 0 || v > 0x7f)
					return 0;
				p += 4;
				c = (char)v;
			} else if (c != '"' && c != '\\' && c != '/') {
				return 0;	/* \b \f \n \r \t: not in a name we look for */
			}
		}
		if (*name == '\0' || lower(c) != lower(*name))
			return 0;
	}
	return *name == '\0';
}

int
jsonscan_string(const char *v, const char *ve, struct buf *out)
{
	const char *p, *e, *q;
	long hi, lo;
	char c, u[4];

	if (ve - v < 2 || *v != '"' || ve[-1] != '"')
		return -1;
	p = v + 1;
	e = ve - 1;
	while (p < e) {
		if (*p != '\\') {
			q = memchr(p, '\\', (size_t)(e - p));
			if (q == NULL)
				q = e;
			if (memchr(p, '"', (size_t)(q - p)) != NULL)
				return -1;
			buf_add(out, p, (size_t)(q - p));
			p = q;
			continue;
		}
		if (e - p < 2)
			return -1;
		switch (c = p[1]) {
		case '"':
		case '\\':
		case '/':
			break;
		case 'b':
			c = '\b';
			break;
		case 'f':
			c = '\f';
			break;
		case 'n':
			c = '\n';
			break;
		case 'r':
			c = '\r';
			break;
		case 't':
			c = '\t';
			break;
		case 'u':
			if (e - p < 6 || (hi = hex4(p + 2)) < 0 ||
			    (hi >= 0xdc00 && hi <= 0xdfff))
				return -1;
			p += 6;
			if (hi >= 0xd800 && hi <= 0xdbff) {
				/* A high surrogate needs its low half. */
				if (e - p < 6 || p[0] != '\\' || p[1] != 'u' ||
				    (lo = hex4(p + 2)) < 0xdc00 || lo > 0xdfff)
					return -1;
				p += 6;
				hi = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
			}
			buf_add(out, u, utf8_encode(u, (unsigned long)hi));
			continue;
		default:
			return -1;
		}
		buf_add(out, &c, 1);
		p += 2;
	}
	return 0;
}

char *
jsonscan_describe(const struct jsonscan *s, const char *base)
{
	unsigned long long at = (unsigned long long)(s->errpos - base);
	unsigned char c;

	switch (s->err) {
	case JSONSCAN_OK:
		break;
	case JSONSCAN_TRUNCATED:
		return xasprintf("the JSON ends inside a value at byte %llu", at);
	case JSONSCAN_DEEP:
		return xasprintf("the JSON is nested more than %d levels deep "
		    "at byte %llu", JSONSCAN_MAX_DEPTH, at);
	case JSONSCAN_UNEXPECTED:
		c = s->errpos < s->end ? (unsigned char)*s->errpos : 0;
		if (c >= 0x20 && c < 0x7f)
			return xasprintf("expected %s at byte %llu, found '%c'",
			    s->want, at, c);
		return xasprintf("expected %s at byte %llu, found byte 0x%02x",
		    s->want, at, c);
	}
	return xstrdup("no error");
}

const char *
jsonscan_kind(const char *p, const char *end)
{
	p = skip_ws(p, end);
	if (p >= end)
		return "nothing";
	switch (*p) {
	case '{':
		return "an object";
	case '[':
		return "an array";
	case '"':
		return "a string";
	case 't':
	case 'f':
		return "a boolean";
	case 'n':
		return "null";
	default:
		if (*p == '-' || (*p >= '0' && *p <= '9'))
			return "a number";
		return "not JSON";
	}
}
