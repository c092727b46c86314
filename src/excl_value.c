/* What the user writes in a rule, checked and parsed: values, dates,
 * category names and notes, and the keys that find duplicate rules. */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libcidr.h>

#include "excl.h"
#include "excl_fold.h"
#include "excl_rule.h"
#include "excl_value.h"
#include "ts.h"
#include "util.h"

#define MAX_VALUE_LEN 512

const char *
excl_kind_name(enum excl_kind k)
{
	switch (k) {
	case EXCL_IP: return "ip";
	case EXCL_ACCOUNT: return "account";
	case EXCL_DEVICE: return "device";
	case EXCL_ASN: return "asn";
	case EXCL_OWNER: return "owner";
	}
	return "?";
}

int
excl_date_parse(const char *s, time_t *out, char **cause)
{
	int y, m, d, i, dim;

	for (i = 0; i < 10; i++) {
		if (s[i] == '\0')
			break;
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
			break;
	}
	if (i != 10 || s[10] != '\0') {
		*cause = xasprintf("'%s' is not a date: expected YYYY-MM-DD, "
		    "for example 2026-12-31", s);
		return -1;
	}
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 2000 || y > 9999) {
		*cause = xasprintf("'%s': the year must be between 2000 and "
		    "9999", s);
		return -1;
	}
	if (m < 1 || m > 12) {
		*cause = xasprintf("'%s': there is no month %d; months go from "
		    "01 to 12", s, m);
		return -1;
	}
	dim = ts_days_in_month(y, m);
	if (d < 1 || d > dim) {
		*cause = xasprintf("'%s': that month has days 01 to %02d", s, dim);
		return -1;
	}
	*out = (time_t)(ts_days_from_civil(y, (unsigned)m, (unsigned)d) * 86400 -
	    TS_UNIX_EPOCH / TS_TICKS_PER_SEC);
	return 0;
}

void
excl_date_format(time_t t, char out[11])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 11, "%Y-%m-%d", &tm) != 10)
		strcpy(out, "xxxx-xx-xx");
}

char *
excl_net_format(const struct iptrie_addr *a, int pflen, int always_pflen)
{
	char txt[INET6_ADDRSTRLEN];
	int full = a->family == IPTRIE_V4 ? 32 : 128;

	inet_ntop(a->family == IPTRIE_V4 ? AF_INET : AF_INET6, a->a, txt,
	    sizeof txt);
	if (pflen == full && !always_pflen)
		return xstrdup(txt);
	return xasprintf("%s/%d", txt, pflen);
}

/* Clears the host bits of a; returns 1 if any were set. */
static int
net_clear_host(struct iptrie_addr *a, int pflen)
{
	int bytes = a->family == IPTRIE_V4 ? 4 : 16, i, bit, changed = 0;
	uint8_t keep;

	for (i = 0; i < bytes; i++) {
		bit = pflen - i * 8;
		keep = bit >= 8 ? 0xff : bit <= 0 ? 0 : (uint8_t)(0xff << (8 - bit));
		if (a->a[i] & ~keep)
			changed = 1;
		a->a[i] &= keep;
	}
	return changed;
}

/* The longest address in the usual notation,
 * "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255". */
#define ADDR_TEXT_MAX 45

/* Whether s[0..n) has the shape of IPv6 text in the usual notation (RFC
 * 4291 2.2, what inet_pton reads): eight groups of one to four hex digits
 * separated by ':', or fewer around one "::" that stands for at least one
 * zero group; a dotted quad may take the place of the last two groups.
 * Only the shape: the numbers are libcidr's to read. *quad is where the
 * dotted part starts, n if there is none. */
static int
ipv6_shape(const char *s, size_t n, size_t *quad)
{
	size_t i = 0, tok, groups = 0, digits = 0, j;
	int gap = 0;
	char c;

	*quad = n;
	if (s[0] == ':') {
		if (n < 2 || s[1] != ':')
			return 0;
		i = 1;
	}
	for (tok = i; i < n;) {
		c = s[i++];
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F')) {
			if (++digits > 4)
				return 0;
		} else if (c == ':') {
			tok = i;
			if (digits > 0) {
				if (i == n)
					return 0;	/* one ':' at the end */
				groups++;
			} else if (gap++)
				return 0;		/* a second "::" */
			digits = 0;
		} else if (c == '.' && groups <= 6) {
			for (j = tok; j < n; j++)
				if (s[j] != '.' && (s[j] < '0' || s[j] > '9'))
					return 0;
			*quad = tok;
			groups += 2;
			digits = 0;
			break;
		} else
			return 0;
	}
	if (digits > 0)
		groups++;
	return gap ? groups < 8 : groups == 8;
}

/* Whether four bytes written as a dotted quad give exactly s[0..n): four
 * numbers from 0 to 255 without leading zeros. */
static int
quad_reads_as(const uint8_t b[4], const char *s, size_t n)
{
	char txt[16];
	size_t k = 0;
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0)
			txt[k++] = '.';
		if (b[i] >= 100)
			txt[k++] = (char)('0' + b[i] / 100);
		if (b[i] >= 10)
			txt[k++] = (char)('0' + b[i] / 10 % 10);
		txt[k++] = (char)('0' + b[i] % 10);
	}
	return k == n && memcmp(txt, s, n) == 0;
}

/* Reads the address s[0..n) with libcidr, the one parser of address text
 * in rules, into *a. libcidr is lenient ("10" is 0.0.0.10, "1.2.3.04"
 * 1.2.3.4) and overruns its buffer on IPv6 text with many colons, so IPv6
 * text reaches it only in the shape ipv6_shape accepts, and a dotted quad
 * (all of an IPv4 address, from quad on in IPv6) must read back as written.
 * 0, or -1 if the text is not such an address. */
static int
addr_parse(const char *s, size_t n, int v6, size_t quad, struct iptrie_addr *a)
{
	char padded[32 + ADDR_TEXT_MAX + 1];
	uint8_t *bytes = NULL;
	CIDR *c;

	if (n > ADDR_TEXT_MAX)
		return -1;
	/* libcidr 1.2.3 looks a few bytes before the start of a short
	 * string (checking for ".in-addr.arpa" suffixes): give it zeroed
	 * room in front. */
	memset(padded, 0, 32);
	memcpy(padded + 32, s, n);
	padded[32 + n] = '\0';
	c = cidr_from_str(padded + 32);
	if (c != NULL && cidr_get_proto(c) == (v6 ? CIDR_IPV6 : CIDR_IPV4))
		bytes = cidr_get_addr(c);
	cidr_free(c);
	if (bytes == NULL)
		return -1;
	memset(a, 0, sizeof *a);
	if (v6) {
		a->family = IPTRIE_V6;
		memcpy(a->a, bytes, 16);
	} else {
		a->family = IPTRIE_V4;
		memcpy(a->a, bytes + 12, 4);	/* libcidr keeps v4 last */
	}
	free(bytes);
	if (quad < n && !quad_reads_as(v6 ? a->a + 12 : a->a, s + quad, n - quad))
		return -1;
	return 0;
}

static int
parse_ip_value(const char *text, struct excl_rule *r, char **cause)
{
	const char *slash = strchr(text, '/'), *p;
	size_t alen = slash ? (size_t)(slash - text) : strlen(text), quad = 0;
	int v6 = memchr(text, ':', alen) != NULL, pflen, full;
	char *net;

	if (alen == 0) {
		*cause = xasprintf("'%s' has no address before the '/'", text);
		return -1;
	}
	if (memchr(text, '%', alen) != NULL) {
		*cause = xasprintf("'%s' has a zone index ('%%'); write the "
		    "address without it: zones are ignored when matching", text);
		return -1;
	}
	for (p = text; p < text + alen; p++) {
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
		    (*p >= 'A' && *p <= 'F') || *p == ':' || *p == '.')) {
			*cause = xasprintf("'%s' is not an IP address or CIDR "
			    "range (like 192.0.2.0/24 or 2001:db8::/32)", text);
			return -1;
		}
	}
	if (!v6 && addr_parse(text, alen, 0, 0, &r->addr) != 0) {
		*cause = xasprintf("'%.*s' is not an IPv4 address: expected "
		    "four numbers from 0 to 255 separated by dots, without "
		    "leading zeros, like 192.0.2.10", (int)alen, text);
		return -1;
	}
	if (v6 && (!ipv6_shape(text, alen, &quad) ||
	    addr_parse(text, alen, 1, quad, &r->addr) != 0)) {
		*cause = xasprintf("'%.*s' is not a valid IPv6 address: expected "
		    "at most eight groups of up to four hex digits separated by "
		    "':', with at most one '::', like 2001:db8::10", (int)alen,
		    text);
		return -1;
	}
	/* The prefix length is read here, not by libcidr, which takes "/-1"
	 * as /0 and "/08" as a netmask. */
	full = v6 ? 128 : 32;
	pflen = full;
	if (slash != NULL) {
		p = slash + 1;
		pflen = 0;
		if (*p == '\0' || strlen(p) > 3 || (p[0] == '0' && p[1] != '\0')) {
			*cause = xasprintf("'%s': expected a prefix length from 0 "
			    "to %d after the '/'", text, full);
			return -1;
		}
		for (; *p != '\0'; p++) {
			if (*p < '0' || *p > '9') {
				*cause = xasprintf("'%s': expected a prefix length "
				    "from 0 to %d after the '/' (netmasks like "
				    "255.255.255.0 are not accepted)", text, full);
				return -1;
			}
			pflen = pflen * 10 + (*p - '0');
		}
		if (pflen > full) {
			*cause = xasprintf("'%s': an %s prefix length is at most "
			    "%d", text, v6 ? "IPv6" : "IPv4", full);
			return -1;
		}
	}

	if (v6 && pflen >= 96 && memcmp(r->addr.a,
	    "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0) {
		struct iptrie_addr v4 = { .family = IPTRIE_V4 };
		memcpy(v4.a, r->addr.a + 12, 4);
		net_clear_host(&v4, pflen - 96);
		net = excl_net_format(&v4, pflen - 96, 0);
		*cause = xasprintf("'%s' is an IPv4-mapped IPv6 %s; write it as "
		    "IPv4 (%s): mapped addresses in the data are matched "
		    "against IPv4 rules", text, pflen == 128 ? "address" : "range",
		    net);
		free(net);
		return -1;
	}
	r->pflen = pflen;
	if (net_clear_host(&r->addr, pflen)) {
		net = excl_net_format(&r->addr, pflen, 1);
		*cause = xasprintf("'%s' has host bits set: the network it lies "
		    "in is %s; write %s for the whole network, or %.*s for the "
		    "single address", text, net, net, (int)alen, text);
		free(net);
		return -1;
	}
	return 0;
}

/* An AS number, 1 to 4294967295, written 8075 or AS8075. */
static int
parse_asn_value(const char *text, struct excl_rule *r, char **cause)
{
	const char *p = text;
	uint64_t v = 0;

	if ((p[0] == 'A' || p[0] == 'a') && (p[1] == 'S' || p[1] == 's'))
		p += 2;
	if (*p == '\0' || *p == '0') {
		*cause = xasprintf("'%s' is not an AS number: write a number "
		    "from 1 to 4294967295, such as asn 8075", text);
		return -1;
	}
	for (; *p != '\0'; p++) {
		if (*p < '0' || *p > '9' || (v = v * 10 + (uint64_t)(*p - '0')) >
		    UINT32_MAX) {
			*cause = xasprintf("'%s' is not an AS number: write a "
			    "number from 1 to 4294967295, such as asn 8075", text);
			return -1;
		}
	}
	r->asn = (uint32_t)v;
	return 0;
}

/* Values must stay on one line, printable and unambiguous to match. */
static int
check_text_value(enum excl_kind kind, const char *text, char **cause)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n = strlen(text), i;
	const char *bs;

	if (n == 0) {
		*cause = xasprintf("the %s value is empty", excl_kind_name(kind));
		return -1;
	}
	if (n > MAX_VALUE_LEN) {
		*cause = xasprintf("the %s value is %zu bytes long; at most %d "
		    "are allowed", excl_kind_name(kind), n, MAX_VALUE_LEN);
		return -1;
	}
	if (!utf8_valid(text, n)) {
		*cause = xasprintf("the %s value is not valid UTF-8 text",
		    excl_kind_name(kind));
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f ||
		    (p[i] == 0xc2 && i + 1 < n && p[i + 1] < 0xa0)) {
			*cause = xasprintf("the %s value contains a control "
			    "character", excl_kind_name(kind));
			return -1;
		}
	}
	if (excl_is_blank(text[0]) || excl_is_blank(text[n - 1])) {
		*cause = xasprintf("'%s' starts or ends with a space; remove it",
		    text);
		return -1;
	}
	/* An owner is any text (its value comes from a ranges file). */
	if (kind == EXCL_OWNER)
		return 0;
	bs = strchr(text, '\\');
	if (kind == EXCL_DEVICE) {
		if (bs != NULL) {
			*cause = xasprintf("'%s': device names cannot contain "
			    "'\\'; for an account write account:%s", text, text);
			return -1;
		}
		return 0;
	}
	if (bs != NULL) {
		if (strchr(bs + 1, '\\') != NULL) {
			*cause = xasprintf("'%s' has more than one '\\'; write "
			    "DOMAIN\\name", text);
			return -1;
		}
		if (bs == text) {
			*cause = xasprintf("'%s' has an empty domain; write "
			    "*%s or just %s to match any domain", text, text,
			    bs + 1);
			return -1;
		}
		if (bs[1] == '\0') {
			*cause = xasprintf("'%s' has an empty account name; "
			    "write %s* to match every account of that domain",
			    text, text);
			return -1;
		}
	}
	return 0;
}

int
excl_value_parse(enum excl_kind kind, const char *text, struct excl_rule *r,
    char **cause)
{
	r->kind = kind;
	if (kind == EXCL_IP)
		return parse_ip_value(text, r, cause);
	if (kind == EXCL_ASN)
		return parse_asn_value(text, r, cause);
	return check_text_value(kind, text, cause);
}

int
excl_rule_validate(enum excl_kind kind, const char *text, char **cause)
{
	struct excl_rule r;

	return excl_value_parse(kind, text, &r, cause);
}

static void
utf8_put(struct buf *b, uint32_t cp)
{
	char o[4];

	buf_add(b, o, utf8_encode(o, cp));
}

char *
excl_rule_key(const struct excl_rule *r)
{
	struct buf b = { 0 };
	uint32_t *cps;
	size_t n, i;

	if (r->kind == EXCL_IP) {
		char *net = excl_net_format(&r->addr, r->pflen, 1);
		buf_addf(&b, "ip %s", net);
		free(net);
		return b.p;
	}
	if (r->kind == EXCL_ASN) {
		buf_addf(&b, "asn %u", (unsigned)r->asn);
		return b.p;
	}
	buf_addf(&b, "%s ", excl_kind_name(r->kind));
	cps = xmalloc((strlen(r->text) + 1) * sizeof *cps);
	n = excl_fold(r->text, strlen(r->text), cps, 1);
	for (i = 0; i < n; i++)
		utf8_put(&b, cps[i] == EXCL_STAR ? '*' : cps[i]);
	free(cps);
	return b.p;
}

/* Address-like: only characters addresses and prefixes use, and either a
 * separator or nothing but digits ("db01" stays a name, "10" does not). */
static int
looks_like_ip(const char *s)
{
	int sep = 0, letter = 0;

	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s == '.' || *s == ':')
			sep = 1;
		else if ((*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F'))
			letter = 1;
		else if (!((*s >= '0' && *s <= '9') || *s == '/' || *s == '-'))
			return 0;
	}
	return sep || !letter;
}

int
excl_rule_parse_spec(const char *spec, enum excl_kind *kind, char **text,
    char **cause)
{
	static const struct {
		const char *prefix;
		enum excl_kind kind;
	} prefixes[] = {
		{ "ip:", EXCL_IP }, { "account:", EXCL_ACCOUNT },
		{ "device:", EXCL_DEVICE }, { "asn:", EXCL_ASN },
		{ "owner:", EXCL_OWNER },
	};
	const char *p = spec, *e = spec + strlen(spec);
	size_t i, plen;
	int known = 0;
	char *v;

	p = excl_skip_blanks(p, e);
	e = excl_trim_end(p, e);
	if (p == e) {
		*cause = xstrdup("the rule is empty: give an address, "
		    "DOMAIN\\name, account:NAME or device:NAME");
		return -1;
	}
	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		plen = strlen(prefixes[i].prefix);
		if ((size_t)(e - p) >= plen &&
		    strncasecmp(p, prefixes[i].prefix, plen) == 0) {
			*kind = prefixes[i].kind;
			p = excl_skip_blanks(p + plen, e);
			known = 1;
			break;
		}
	}
	v = xstrndup(p, (size_t)(e - p));
	if (!known) {
		if (looks_like_ip(v))
			*kind = EXCL_IP;
		else if (strchr(v, '\\') != NULL)
			*kind = EXCL_ACCOUNT;
		else {
			*cause = xasprintf("cannot tell whether '%s' is an account "
			    "or a device name: write account:%s or device:%s",
			    v, v, v);
			free(v);
			return -1;
		}
	}
	if (excl_rule_validate(*kind, v, cause) != 0) {
		if (!known && *kind == EXCL_IP) {
			char *m = xasprintf("%s (for a device name, write "
			    "device:%s)", *cause, v);
			free(*cause);
			*cause = m;
		}
		free(v);
		return -1;
	}
	*text = v;
	return 0;
}

char *
excl_note_clean(const char *note, char **cause)
{
	const unsigned char *p = (const unsigned char *)(note ? note : "");
	size_t n = strlen((const char *)p), i, len;
	struct buf b = { 0 };
	int space = 0;
	uint32_t cp;

	if (!utf8_valid((const char *)p, n)) {
		*cause = xstrdup("the note is not valid UTF-8 text");
		return NULL;
	}
	for (i = 0; i < n; i += len) {
		len = utf8_seq(p + i, n - i, &cp);
		if (cp == ' ' || utf8_cp_control(cp)) {
			space = 1;
			continue;
		}
		if (utf8_cp_hidden(cp))
			continue;
		if (space && b.len > 0)
			buf_addc(&b, ' ');
		space = 0;
		buf_add(&b, p + i, len);
	}
	if (b.p == NULL)
		buf_add(&b, "", 0);
	return b.p;
}

int
excl_cat_name_valid(const char *name, size_t n)
{
	size_t i;

	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '_' ||
		    name[i] == '-'))
			return 0;
	return 1;
}

char *
excl_cat_name_problem(const char *name, size_t n)
{
	char *lower;
	size_t i;

	if (n == 0)
		return xstrdup("the category name is empty");
	if (n > 64)
		return xasprintf("the category name '%.*s' is longer than 64 "
		    "characters", (int)n, name);
	lower = xstrndup(name, n);
	for (i = 0; i < n; i++)
		if (lower[i] >= 'A' && lower[i] <= 'Z')
			lower[i] = (char)(lower[i] - 'A' + 'a');
	if (excl_cat_name_valid(lower, n)) {
		char *m = xasprintf("category names are lower case: write '%s' "
		    "instead of '%.*s'", lower, (int)n, name);
		free(lower);
		return m;
	}
	free(lower);
	return xasprintf("'%.*s' is not a valid category name: use lower case "
	    "letters, digits, '_' and '-'", (int)n, name);
}
