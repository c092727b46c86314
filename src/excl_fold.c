/* Case folding and '*' globs for account and device names. */
#include "config.h"

#include "excl_fold.h"
#include "util.h"

/* Simple (one-to-one) lower-casing for the scripts account and device names
 * are written in most often. Full Unicode folding (ß = ss, Turkish i) is
 * deliberately not attempted. */
static uint32_t
fold_cp(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if (c >= 0xc0 && c <= 0xde && c != 0xd7)
		return c + 32;
	if (c >= 0x100 && c <= 0x17f) {
		if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 ||
		    c == 0x17f)
			return c;
		if (c == 0x178)
			return 0xff;
		if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
			return c & 1 ? c + 1 : c;
		return c & 1 ? c : c + 1;
	}
	if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2)
		return c + 32;
	if (c == 0x386)
		return 0x3ac;
	if (c >= 0x388 && c <= 0x38a)
		return c + 37;
	if (c == 0x38c)
		return 0x3cc;
	if (c == 0x38e || c == 0x38f)
		return c + 63;
	if (c == 0x3c2)
		return 0x3c3;	/* final sigma */
	if (c >= 0x410 && c <= 0x42f)
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)
		return c + 80;
	if (c >= 0xff21 && c <= 0xff3a)
		return c + 32;	/* fullwidth Latin */
	return c;
}

size_t
excl_fold(const char *s, size_t n, uint32_t *out, int pattern)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k = 0, len;
	uint32_t cp;

	while (i < n) {
		/* Most names are all ASCII: decode only the other bytes, and
		 * tell the compiler so, which keeps this loop as fast as when
		 * it had its own copy of the decoder. */
		cp = p[i];
		len = __builtin_expect(cp < 0x80, 1) ? 1 :
		    utf8_seq(p + i, n - i, &cp);
		if (len == 0) {
			/* A stray byte becomes a lone surrogate: it then
			 * matches only the same stray byte, never a letter. */
			out[k++] = 0xdc00 + p[i];
			i++;
			continue;
		}
		out[k++] = pattern && cp == '*' ? EXCL_STAR : fold_cp(cp);
		i += len;
	}
	return k;
}

int
excl_glob(const uint32_t *p, size_t pn, const uint32_t *s, size_t sn)
{
	size_t pi = 0, si = 0, star = (size_t)-1, mark = 0;

	/* Greedy with one backtrack point: O(pn * sn) at worst, never
	 * exponential, whatever the data holds. */
	while (si < sn) {
		if (pi < pn && p[pi] == EXCL_STAR) {
			star = pi++;
			mark = si;
		} else if (pi < pn && p[pi] == s[si]) {
			pi++;
			si++;
		} else if (star != (size_t)-1) {
			pi = star + 1;
			si = ++mark;
		} else
			return 0;
	}
	while (pi < pn && p[pi] == EXCL_STAR)
		pi++;
	return pi == pn;
}
