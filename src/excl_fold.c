/* Case folding and '*' globs for account and device names. */
#include "config.h"

#include "excl_fold.h"
#include "util.h"

#include "casefold_table.h"

/* Unicode's simple case folding, every script (status C and S of
 * CaseFolding.txt): one code point to one, two table lookups. Full folding
 * (ß = ss) and the Turkic dotless i are deliberately not attempted. */
uint32_t
excl_fold_cp(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if (c > CASEFOLD_MAX)
		return c;
	return (uint32_t)((int32_t)c +
	    casefold_delta[casefold_block[c >> CASEFOLD_SHIFT]][c & ((1u << CASEFOLD_SHIFT) - 1)]);
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
		out[k++] = pattern && cp == '*' ? EXCL_STAR : excl_fold_cp(cp);
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
