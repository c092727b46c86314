/* Natural order for text and addresses. */
#include "config.h"

#include <arpa/inet.h>
#include <string.h>

#include "excl_fold.h"
#include "natsort.h"
#include "util.h"

/* The next folded code point of s at *i; a byte that is not UTF-8 stands
 * for itself as a lone surrogate, as in excl_fold. */
static uint32_t
next_folded(const unsigned char *s, size_t n, size_t *i)
{
	uint32_t cp = s[*i];
	size_t len;

	if (cp < 0x80) {
		(*i)++;
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	}
	if ((len = utf8_seq(s + *i, n - *i, &cp)) == 0) {
		cp = 0xdc00 + s[*i];
		len = 1;
	}
	*i += len;
	return excl_fold_cp(cp);
}

int
natsort_text_cmp(const char *a, size_t la, const char *b, size_t lb)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;
	size_t i = 0, j, n = la < lb ? la : lb;
	uint32_t x, y;
	int c;

	/* Names are mostly ASCII: compare bytes, lowering A-Z, until a byte
	 * that is not (both sides are then at the same offset). */
	for (; i < n; i++) {
		x = p[i];
		y = q[i];
		if ((x | y) & 0x80)
			break;
		if (x != y) {
			x += x - 'A' < 26u ? 32 : 0;
			y += y - 'A' < 26u ? 32 : 0;
			if (x != y)
				return x < y ? -1 : 1;
		}
	}
	j = i;
	while (i < la && j < lb) {
		x = next_folded(p, la, &i);
		y = next_folded(q, lb, &j);
		if (x != y)
			return x < y ? -1 : 1;
	}
	if (i < la || j < lb)
		return i < la ? 1 : -1;
	c = memcmp(a, b, n);
	return c ? (c > 0) - (c < 0) : (la > lb) - (la < lb);
}

void
natsort_ip_key(const char *s, size_t n, struct natsort_ip *k)
{
	char buf[64];
	const char *pct;

	memset(k, 0, sizeof *k);
	k->kind = 2;
	if (n == 0 || n >= sizeof buf)
		return;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (memchr(buf, '\0', n) != NULL)
		return;
	if (inet_pton(AF_INET, buf, k->addr) == 1) {
		k->kind = 0;
		return;
	}
	/* A zone names an interface: one or more characters after a single
	 * '%', on IPv6 only. */
	if ((pct = strchr(buf, '%')) != NULL) {
		if (pct[1] == '\0' || strchr(pct + 1, '%') != NULL)
			return;
		buf[pct - buf] = '\0';
	}
	if (inet_pton(AF_INET6, buf, k->addr) == 1)
		k->kind = 1;
	else
		memset(k->addr, 0, sizeof k->addr);
}

int
natsort_ip_cmp(const struct natsort_ip *ka, const char *a, size_t la,
    const struct natsort_ip *kb, const char *b, size_t lb)
{
	int c;

	if (ka->kind != kb->kind)
		return ka->kind < kb->kind ? -1 : 1;
	if ((c = memcmp(ka->addr, kb->addr, sizeof ka->addr)) != 0)
		return c < 0 ? -1 : 1;
	return natsort_text_cmp(a, la, b, lb);
}
