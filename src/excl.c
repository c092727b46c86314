#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libcidr.h>

#include "excl.h"
#include "excl_private.h"
#include "util.h"

/* Descriptions follow Microsoft's guidance on what to exclude from this
 * hunting query. */
static const struct {
	const char *name, *description;
} builtin_cats[] = {
	{ "maintenance", "Scheduled maintenance and automation (PowerShell, "
	    "Task Scheduler) and internal management ranges" },
	{ "siem", "SIEM and log collectors (Splunk, ELK, Windows Event "
	    "Collector)" },
	{ "rds", "Remote Desktop Services and Remote Assistance servers, "
	    "workstations and users" },
	{ "defender", "Defender for Endpoint's own health checks and Microsoft "
	    "cloud service addresses" },
	{ "backup", "Backup and restore jobs (Veeam, Commvault, Veritas)" },
};
#define NBUILTIN (sizeof builtin_cats / sizeof builtin_cats[0])

/* A file this large is not an exclusions list someone wrote; refuse it
 * rather than exhaust memory. */
#define MAX_FILE_SIZE ((size_t)256 << 20)
#define MAX_VALUE_LEN 512
#define MAX_ERRORS_SHOWN 20

const char *
excl_kind_name(enum excl_kind k)
{
	switch (k) {
	case EXCL_IP: return "ip";
	case EXCL_ACCOUNT: return "account";
	case EXCL_DEVICE: return "device";
	}
	return "?";
}

const char *
excl_state_name(enum excl_state st)
{
	switch (st) {
	case EXCL_ACTIVE: return "active";
	case EXCL_DISABLED: return "disabled";
	case EXCL_EXPIRED: return "expired";
	case EXCL_CATEGORY_OFF: return "category off";
	}
	return "?";
}

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *
skip_blanks(const char *p, const char *e)
{
	while (p < e && is_blank(*p))
		p++;
	return p;
}

static const char *
trim_end(const char *p, const char *e)
{
	while (e > p && is_blank(e[-1]))
		e--;
	return e;
}

/* ------------------------------------------------------------ paths */

char *
excl_default_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	struct passwd *pw;

	/* The XDG spec says to ignore a relative XDG_CONFIG_HOME. */
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/logonhunt/exclusions", xdg);
	if (home == NULL || home[0] != '/') {
		pw = getpwuid(getuid());
		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/.config/logonhunt/exclusions", home);
	return NULL;
}

static int
mkdir_parents(const char *path, char **cause)
{
	char *dir = xstrdup(path), *p;
	struct stat st;

	p = strrchr(dir, '/');
	if (p == NULL || p == dir) {
		free(dir);
		return 0;
	}
	*p = '\0';
	if (stat(dir, &st) == 0) {
		free(dir);
		return 0;
	}
	for (p = dir + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			*cause = xasprintf("cannot create directory %s: %s; "
			    "create it yourself or choose another file with "
			    "--exclusions", dir, strerror(errno));
			free(dir);
			return -1;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(dir);
	return 0;
}

int
excl_read_file(const char *path, char **data, size_t *len, int *missing,
    struct stat *stp, char **cause)
{
	struct stat st;
	struct buf b = { 0 };
	char chunk[65536];
	ssize_t r;
	int fd;

	*missing = 0;
	*data = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		if (errno == ENOENT) {
			*missing = 1;
			return 0;
		}
		*cause = xasprintf("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("%s: not a regular file; point --exclusions "
		    "at a text file", path);
		close(fd);
		return -1;
	}
	for (;;) {
		r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*cause = xasprintf("%s: read failed: %s", path,
			    strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		if (b.len + (size_t)r > MAX_FILE_SIZE) {
			*cause = xasprintf("%s: larger than %zu MiB; this does "
			    "not look like an exclusions file", path,
			    MAX_FILE_SIZE >> 20);
			goto fail;
		}
		buf_add(&b, chunk, (size_t)r);
	}
	close(fd);
	if (b.p == NULL)
		buf_add(&b, "", 0);
	*data = b.p;
	*len = b.len;
	if (stp != NULL)
		*stp = st;
	return 0;
fail:
	close(fd);
	buf_free(&b);
	return -1;
}

/* ------------------------------------------------------------ dates */

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * algorithm), so no time zone or timegm() is involved. */
static long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
excl_date_parse(const char *s, time_t *out, char **cause)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i, leap, dim;

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
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	dim = mdays[m - 1] + (m == 2 && leap);
	if (d < 1 || d > dim) {
		*cause = xasprintf("'%s': that month has days 01 to %02d", s, dim);
		return -1;
	}
	*out = (time_t)days_from_civil(y, m, d) * 86400;
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

/* ------------------------------------------------------------ values */

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

/* libcidr 1.2.3 looks a few bytes before the start of a short string
 * (checking for ".in-addr.arpa" suffixes), so hand it a copy with zeroed
 * room in front. */
static CIDR *
cidr_from_padded(const char *text)
{
	char padded[32 + MAX_VALUE_LEN + 1];
	size_t n = strlen(text);

	if (n > MAX_VALUE_LEN)
		return NULL;
	memset(padded, 0, 32);
	memcpy(padded + 32, text, n + 1);
	return cidr_from_str(padded + 32);
}

static int
parse_ip_value(const char *text, struct excl_rule *r, char **cause)
{
	const char *slash = strchr(text, '/'), *p;
	size_t alen = slash ? (size_t)(slash - text) : strlen(text);
	int v6 = memchr(text, ':', alen) != NULL, pflen = -1, full;
	struct iptrie_addr probe;
	CIDR *c;
	uint8_t *bytes;
	char *net;

	/* libcidr is lenient ("10" is 0.0.0.10, "/-1" is /0): only hand it
	 * text in the usual notation so a typo is an error, not a surprise. */
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
	if (!v6 && (iptrie_parse(text, alen, &probe) != 0 ||
	    probe.family != IPTRIE_V4)) {
		*cause = xasprintf("'%.*s' is not an IPv4 address: expected "
		    "four numbers from 0 to 255 separated by dots, without "
		    "leading zeros, like 192.0.2.10", (int)alen, text);
		return -1;
	}
	/* libcidr 1.2.3 accepts more than eight groups or two "::" and,
	 * given 21 or more colons, writes past the address it allocates:
	 * only standard IPv6 text (inet_pton's) may reach it. */
	if (v6 && iptrie_parse(text, alen, &probe) != 0) {
		*cause = xasprintf("'%.*s' is not a valid IPv6 address: expected "
		    "at most eight groups of up to four hex digits separated by "
		    "':', with at most one '::', like 2001:db8::10", (int)alen,
		    text);
		return -1;
	}
	full = v6 ? 128 : 32;
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

	c = cidr_from_padded(text);
	if (c == NULL) {
		*cause = xasprintf("'%s' is not a valid %s address or range", text,
		    v6 ? "IPv6" : "IPv4");
		return -1;
	}
	if (cidr_get_proto(c) != (v6 ? CIDR_IPV6 : CIDR_IPV4) ||
	    (pflen >= 0 && cidr_get_pflen(c) != pflen)) {
		cidr_free(c);
		*cause = xasprintf("'%s' is not a valid %s address or range", text,
		    v6 ? "IPv6" : "IPv4");
		return -1;
	}
	pflen = cidr_get_pflen(c);
	bytes = cidr_get_addr(c);
	memset(&r->addr, 0, sizeof r->addr);
	if (v6) {
		r->addr.family = IPTRIE_V6;
		memcpy(r->addr.a, bytes, 16);
	} else {
		r->addr.family = IPTRIE_V4;
		memcpy(r->addr.a, bytes + 12, 4);	/* libcidr keeps v4 last */
	}
	free(bytes);
	cidr_free(c);

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
	if (is_blank(text[0]) || is_blank(text[n - 1])) {
		*cause = xasprintf("'%s' starts or ends with a space; remove it",
		    text);
		return -1;
	}
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
		{ "device:", EXCL_DEVICE },
	};
	const char *p = spec, *e = spec + strlen(spec);
	size_t i, plen;
	int known = 0;
	char *v;

	p = skip_blanks(p, e);
	e = trim_end(p, e);
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
			p = skip_blanks(p + plen, e);
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

/* Notes are free text on the rule's line: anything that would start a new
 * line or upset a terminal becomes a space. */
static char *
clean_note(const char *note, char **cause)
{
	const unsigned char *p = (const unsigned char *)(note ? note : "");
	size_t n = strlen((const char *)p), i;
	struct buf b = { 0 };
	int space = 0;

	if (!utf8_valid((const char *)p, n)) {
		*cause = xstrdup("the note is not valid UTF-8 text");
		return NULL;
	}
	for (i = 0; i < n; i++) {
		int ctl = p[i] < 0x20 || p[i] == 0x7f;
		size_t skip = 0;

		if (p[i] == 0xc2 && i + 1 < n && p[i + 1] < 0xa0)
			ctl = 1, skip = 1;	/* C1 control */
		else if (p[i] == 0xe2 && i + 2 < n && p[i + 1] == 0x80 &&
		    (p[i + 2] == 0xa8 || p[i + 2] == 0xa9))
			ctl = 1, skip = 2;	/* line/paragraph separator */
		if (ctl || p[i] == ' ') {
			space = 1;
			i += skip;
			continue;
		}
		if (space && b.len > 0)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, (char)p[i]);
	}
	if (b.p == NULL)
		buf_add(&b, "", 0);
	return b.p;
}

/* ------------------------------------------------------------ lines */

static int
value_needs_quotes(const char *v)
{
	return *v == '\0' || *v == '"' || strpbrk(v, " \t#\"") != NULL;
}

static char *
format_rule_line(const struct excl_rule *r)
{
	struct buf b = { 0 };
	const char *p;
	char date[11];

	if (!r->enabled)
		buf_addc(&b, '!');
	buf_addf(&b, "%s ", excl_kind_name(r->kind));
	if (value_needs_quotes(r->text)) {
		buf_addc(&b, '"');
		for (p = r->text; *p != '\0'; p++) {
			if (*p == '"')
				buf_addc(&b, '"');
			buf_addc(&b, *p);
		}
		buf_addc(&b, '"');
	} else
		buf_add(&b, r->text, strlen(r->text));
	if (r->until != 0) {
		excl_date_format(r->until, date);
		buf_addf(&b, " until=%s", date);
	}
	if (r->note[0] != '\0')
		buf_addf(&b, "  # %s", r->note);
	return b.p;
}

static void
rule_free(struct excl_rule *r)
{
	if (r == NULL)
		return;
	free(r->text);
	free(r->note);
	free(r);
}

static struct excl_line *
lines_insert(struct excl_set *s, size_t pos, size_t count)
{
	s->lines = xgrow(s->lines, &s->caplines, s->nlines + count,
	    sizeof *s->lines);
	memmove(s->lines + pos + count, s->lines + pos,
	    (s->nlines - pos) * sizeof *s->lines);
	memset(s->lines + pos, 0, count * sizeof *s->lines);
	s->nlines += count;
	return s->lines + pos;
}

static void
lines_delete(struct excl_set *s, size_t pos)
{
	free(s->lines[pos].text);
	rule_free(s->lines[pos].rule);
	memmove(s->lines + pos, s->lines + pos + 1,
	    (s->nlines - pos - 1) * sizeof *s->lines);
	s->nlines--;
}

static size_t
cat_add(struct excl_set *s, const char *name, size_t n, int builtin,
    const char *description)
{
	struct excl_cat *c;

	s->cats = xgrow(s->cats, &s->capcats, s->ncats + 1, sizeof *s->cats);
	c = &s->cats[s->ncats];
	memset(c, 0, sizeof *c);
	c->name = xstrndup(name, n);
	c->description = xstrdup(description ? description : "");
	c->builtin = builtin;
	c->enabled = 1;
	c->section_line = -1;
	c->enabled_line = -1;
	return s->ncats++;
}

static long
cat_find(const struct excl_set *s, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < s->ncats; i++)
		if (strlen(s->cats[i].name) == n &&
		    memcmp(s->cats[i].name, name, n) == 0)
			return (long)i;
	return -1;
}

static int
cat_name_valid(const char *name, size_t n)
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

static char *
cat_name_problem(const char *name, size_t n)
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
	if (cat_name_valid(lower, n)) {
		char *m = xasprintf("category names are lower case: write '%s' "
		    "instead of '%.*s'", lower, (int)n, name);
		free(lower);
		return m;
	}
	free(lower);
	return xasprintf("'%.*s' is not a valid category name: use lower case "
	    "letters, digits, '_' and '-'", (int)n, name);
}

void
excl_reindex(struct excl_set *s)
{
	size_t i, k = 0;

	for (i = 0; i < s->ncats; i++) {
		s->cats[i].section_line = -1;
		s->cats[i].enabled_line = -1;
		s->cats[i].nrules = 0;
	}
	s->nrules = 0;
	for (i = 0; i < s->nlines; i++)
		if (s->lines[i].kind == LINE_RULE)
			s->nrules++;
	s->rules = xgrow(s->rules, &s->caprules, s->nrules, sizeof *s->rules);
	for (i = 0; i < s->nlines; i++) {
		struct excl_line *l = &s->lines[i];
		switch (l->kind) {
		case LINE_SECTION:
			s->cats[l->cat].section_line = (long)i;
			break;
		case LINE_ENABLED:
			s->cats[l->cat].enabled_line = (long)i;
			break;
		case LINE_RULE:
			l->rule->line = i;
			l->rule->index = k;
			l->rule->cat = l->cat;
			s->cats[l->cat].nrules++;
			s->rules[k++] = l->rule;
			break;
		default:
			break;
		}
	}
}

static struct excl_set *
set_alloc(const char *path)
{
	struct excl_set *s = xcalloc(1, sizeof *s);
	size_t i;

	s->path = xstrdup(path);
	for (i = 0; i < NBUILTIN; i++)
		cat_add(s, builtin_cats[i].name, strlen(builtin_cats[i].name), 1,
		    builtin_cats[i].description);
	return s;
}

struct excl_set *
excl_new_empty(const char *path)
{
	return set_alloc(path);
}

void
excl_free(struct excl_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nlines; i++) {
		free(s->lines[i].text);
		rule_free(s->lines[i].rule);
	}
	for (i = 0; i < s->ncats; i++) {
		free(s->cats[i].name);
		free(s->cats[i].description);
	}
	free(s->lines);
	free(s->rules);
	free(s->cats);
	free(s->path);
	free(s);
}

/* ------------------------------------------------------------ parsing */

static int
parse_bool(const char *p, size_t n, int *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strlen(yes[i]) == n && strncasecmp(p, yes[i], n) == 0) {
			*out = 1;
			return 0;
		}
		if (strlen(no[i]) == n && strncasecmp(p, no[i], n) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

static int
parse_section(struct excl_set *s, struct excl_line *l, const char *p,
    const char *e, size_t lineno, long *cur, char **cause)
{
	const char *close = memchr(p, ']', (size_t)(e - p)), *q, *ne;
	long c;

	if (close == NULL) {
		*cause = xstrdup("missing ']' at the end of the category header; "
		    "write it as [name]");
		return -1;
	}
	q = skip_blanks(close + 1, e);
	if (q < e && *q != '#') {
		*cause = xasprintf("unexpected '%.*s' after the category header",
		    (int)(e - q), q);
		return -1;
	}
	q = skip_blanks(p + 1, close);
	ne = trim_end(q, close);
	if (!cat_name_valid(q, (size_t)(ne - q))) {
		*cause = cat_name_problem(q, (size_t)(ne - q));
		return -1;
	}
	c = cat_find(s, q, (size_t)(ne - q));
	if (c >= 0 && s->cats[c].section_line >= 0) {
		*cause = xasprintf("[%s] appears twice (first on line %ld); merge "
		    "the two sections into one", s->cats[c].name,
		    s->cats[c].section_line + 1);
		return -1;
	}
	if (c < 0)
		c = (long)cat_add(s, q, (size_t)(ne - q), 0, NULL);
	s->cats[c].section_line = (long)(lineno - 1);
	l->kind = LINE_SECTION;
	l->cat = (size_t)c;
	*cur = c;
	return 0;
}

static int
parse_option(struct excl_set *s, struct excl_line *l, const char *key,
    const char *p, const char *e, size_t lineno, long cur, char **cause)
{
	struct excl_cat *c = &s->cats[cur];
	const char *q, *ve;
	int on;

	if (strcmp(key, "description") == 0) {
		q = skip_blanks(p, e);
		ve = trim_end(q, e);
		free(c->description);
		if (q == ve && c->builtin)
			c->description = xstrdup(builtin_cats[cur].description);
		else
			c->description = xstrndup(q, (size_t)(ve - q));
		l->kind = LINE_DESCRIPTION;
		l->cat = (size_t)cur;
		return 0;
	}
	if (c->enabled_line >= 0) {
		*cause = xasprintf("a second 'enabled' line for [%s] (the first "
		    "is on line %ld); keep one", c->name, c->enabled_line + 1);
		return -1;
	}
	q = skip_blanks(p, e);
	ve = q;
	while (ve < e && !is_blank(*ve) && *ve != '#')
		ve++;
	if (parse_bool(q, (size_t)(ve - q), &on) != 0) {
		*cause = xasprintf("'enabled = %.*s': expected yes or no",
		    (int)(ve - q), q);
		return -1;
	}
	q = skip_blanks(ve, e);
	if (q < e && *q != '#') {
		*cause = xasprintf("unexpected '%.*s' after 'enabled = %s'",
		    (int)(e - q), q, on ? "yes" : "no");
		return -1;
	}
	c->enabled = on;
	c->enabled_line = (long)(lineno - 1);
	l->kind = LINE_ENABLED;
	l->cat = (size_t)cur;
	return 0;
}

static int
parse_rule(struct excl_line *l, enum excl_kind kind, int enabled,
    const char *p, const char *e, long cur, char **cause)
{
	struct excl_rule *r;
	struct buf v = { 0 };
	const char *q = p, *t;
	int have_until = 0;
	char *date;

	if (q >= e || *q == '#') {
		*cause = xasprintf("the %s rule has no value; write for example "
		    "%s", excl_kind_name(kind), kind == EXCL_IP ?
		    "ip 192.0.2.0/24" : kind == EXCL_ACCOUNT ?
		    "account CONTOSO\\svc_backup" : "device backup-01*");
		return -1;
	}
	if (*q == '"') {
		for (q++; ; q++) {
			if (q >= e) {
				*cause = xstrdup("the quoted value has no closing "
				    "'\"'");
				buf_free(&v);
				return -1;
			}
			if (*q == '"') {
				if (q + 1 < e && q[1] == '"') {
					buf_addc(&v, '"');
					q++;
					continue;
				}
				q++;
				break;
			}
			buf_addc(&v, *q);
		}
		if (q < e && !is_blank(*q) && *q != '#') {
			*cause = xasprintf("unexpected '%.*s' right after the "
			    "closing '\"'", (int)(e - q), q);
			buf_free(&v);
			return -1;
		}
		if (v.p == NULL)
			buf_add(&v, "", 0);
	} else {
		t = q;
		while (q < e && !is_blank(*q) && *q != '#')
			q++;
		buf_add(&v, t, (size_t)(q - t));
	}

	r = xcalloc(1, sizeof *r);
	r->enabled = enabled;
	r->text = v.p;
	if (excl_value_parse(kind, r->text, r, cause) != 0)
		goto fail;
	for (;;) {
		q = skip_blanks(q, e);
		if (q >= e)
			break;
		if (*q == '#') {
			t = skip_blanks(q + 1, e);
			r->note = xstrndup(t, (size_t)(trim_end(t, e) - t));
			break;
		}
		t = q;
		while (q < e && !is_blank(*q) && *q != '#')
			q++;
		if (q - t > 6 && strncmp(t, "until=", 6) == 0) {
			char *err = NULL;
			if (have_until) {
				*cause = xstrdup("the rule has two until= dates; "
				    "keep one");
				goto fail;
			}
			date = xstrndup(t + 6, (size_t)(q - t - 6));
			if (excl_date_parse(date, &r->until, &err) != 0) {
				*cause = xasprintf("bad until= date: %s", err);
				free(err);
				free(date);
				goto fail;
			}
			free(date);
			have_until = 1;
			continue;
		}
		*cause = xasprintf("unexpected '%.*s' after the value; expected "
		    "until=YYYY-MM-DD or a '#' note (put a value that contains "
		    "spaces or '#' in double quotes)", (int)(q - t), t);
		goto fail;
	}
	if (r->note == NULL)
		r->note = xstrdup("");
	l->kind = LINE_RULE;
	l->cat = (size_t)cur;
	l->rule = r;
	return 0;
fail:
	free(r->text);
	free(r->note);
	free(r);
	return -1;
}

static int
parse_line(struct excl_set *s, struct excl_line *l, size_t lineno, long *cur,
    char **cause)
{
	static const struct {
		const char *word;
		enum excl_kind kind;
	} kinds[] = {
		{ "ip", EXCL_IP }, { "account", EXCL_ACCOUNT },
		{ "device", EXCL_DEVICE },
	};
	const char *p = l->text, *e = p + strlen(p), *w, *we;
	char word[16];
	int enabled = 1;
	size_t i, wn;

	l->kind = LINE_TEXT;
	p = skip_blanks(p, e);
	if (p == e || *p == '#')
		return 0;
	if (*p == '[')
		return parse_section(s, l, p, e, lineno, cur, cause);
	if (*p == '!') {
		enabled = 0;
		p = skip_blanks(p + 1, e);
	}
	w = p;
	while (p < e && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	    *p == '_'))
		p++;
	we = p;
	wn = (size_t)(we - w);
	if (wn == 0 || wn >= sizeof word) {
		*cause = xasprintf("cannot read '%.*s': a line is a rule (ip, "
		    "account or device followed by a value), an option "
		    "(enabled = yes|no, description = text), a [category] "
		    "header, a '#' comment, or blank", (int)(e - w), w);
		return -1;
	}
	for (i = 0; i < wn; i++)
		word[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] - 'A' + 'a' : w[i]);
	word[wn] = '\0';

	if (strcmp(word, "enabled") == 0 || strcmp(word, "description") == 0) {
		p = skip_blanks(p, e);
		if (p >= e || *p != '=') {
			*cause = xasprintf("expected '=' after '%s'", word);
			return -1;
		}
		if (!enabled) {
			*cause = xstrdup("'!' disables rules, not options; write "
			    "enabled = no to switch a category off");
			return -1;
		}
		if (*cur < 0) {
			*cause = xasprintf("option '%s' outside a section: put it "
			    "under a category header such as [maintenance]",
			    word);
			return -1;
		}
		return parse_option(s, l, word, p + 1, e, lineno, *cur, cause);
	}
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (strcmp(word, kinds[i].word) != 0)
			continue;
		if (*cur < 0) {
			*cause = xstrdup("rule outside a section: put it under a "
			    "category header such as [maintenance] or [siem]");
			return -1;
		}
		if (p < e && !is_blank(*p)) {
			*cause = xasprintf("expected a space after '%s'", word);
			return -1;
		}
		return parse_rule(l, kinds[i].kind, enabled, skip_blanks(p, e),
		    e, *cur, cause);
	}
	*cause = xasprintf("unknown rule kind '%.*s'; expected ip, account or "
	    "device (or an option: enabled = yes|no, description = text)",
	    (int)wn, w);
	return -1;
}

/* Splits data into lines and parses each; problems are appended to errs as
 * "path:line: reason" lines. Returns the number of bad lines. */
static size_t
set_parse(struct excl_set *s, const char *data, size_t len, struct buf *errs)
{
	const char *p = data, *e = data + len, *nl, *le;
	size_t lineno = 0, nerr = 0;
	long cur = -1;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
		s->bom = 1;
		p += 3;
	}
	while (p < e) {
		struct excl_line *l;
		char *cause = NULL;

		nl = memchr(p, '\n', (size_t)(e - p));
		le = nl != NULL ? nl : e;
		if (le > p && le[-1] == '\r') {
			le--;
			if (lineno == 0)
				s->crlf = 1;
			/* More CRs at the end are invisible, and a save, which
			 * ends the line with one line end, would turn the next
			 * into part of it: "x\r\r\n" would be saved as "x\r\n",
			 * read back as "x". Drop them now, so saves are stable. */
			while (le > p && le[-1] == '\r')
				le--;
		}
		lineno++;
		l = lines_insert(s, s->nlines, 1);
		l->text = xstrndup(p, (size_t)(le - p));
		if (memchr(p, '\0', (size_t)(le - p)) != NULL)
			cause = xstrdup("the line contains a NUL byte; this does "
			    "not look like a text file");
		else if (parse_line(s, l, lineno, &cur, &cause) == 0)
			cause = NULL;
		if (cause != NULL) {
			l->kind = LINE_BAD;
			l->rule = NULL;
			if (nerr < MAX_ERRORS_SHOWN) {
				if (errs->len)
					buf_addc(errs, '\n');
				buf_addf(errs, "%s:%zu: %s", s->path, lineno, cause);
			}
			nerr++;
			free(cause);
		}
		p = nl != NULL ? nl + 1 : e;
	}
	if (nerr > MAX_ERRORS_SHOWN)
		buf_addf(errs, "\n%s: ... and %zu more problems", s->path,
		    nerr - MAX_ERRORS_SHOWN);
	return nerr;
}

static int
load(const char *path, struct excl_set **out, char **cause, int lenient)
{
	struct excl_set *s;
	struct stat st;
	struct buf errs = { 0 };
	char *data;
	size_t len, nerr;
	int missing;

	*out = NULL;
	if (excl_read_file(path, &data, &len, &missing, &st, cause) != 0)
		return -1;
	s = set_alloc(path);
	if (missing) {
		*out = s;
		return 0;
	}
	s->existed = 1;
	s->mtime = st.st_mtim;
	s->size = st.st_size;
	s->hash = util_hash(data, len);
	nerr = set_parse(s, data, len, &errs);
	free(data);
	excl_reindex(s);
	if (nerr > 0) {
		s->has_errors = 1;
		*cause = errs.p;
		if (lenient)
			*out = s;
		else
			excl_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

int
excl_load(const char *path, struct excl_set **out, char **cause)
{
	return load(path, out, cause, 0);
}

int
excl_load_lenient(const char *path, struct excl_set **out, char **cause)
{
	return load(path, out, cause, 1);
}

/* ------------------------------------------------------------ saving */

static void
set_serialize(const struct excl_set *s, struct buf *b)
{
	const char *eol = s->crlf ? "\r\n" : "\n";
	size_t i;

	if (s->bom)
		buf_add(b, "\xef\xbb\xbf", 3);
	for (i = 0; i < s->nlines; i++) {
		buf_add(b, s->lines[i].text, strlen(s->lines[i].text));
		buf_add(b, eol, strlen(eol));
	}
	if (b->p == NULL)
		buf_add(b, "", 0);
}

/* Writes to the file a symlink points at, so a managed dotfile stays a
 * symlink. */
static char *
save_target(const char *path)
{
	struct stat st;
	char *real;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		real = realpath(path, NULL);
		if (real != NULL)
			return real;
	}
	return xstrdup(path);
}

int
excl_save(struct excl_set *s, char **cause)
{
	struct buf out = { 0 };
	struct stat st;
	char *target, *cur = NULL, *backup, *err = NULL;
	size_t curlen;
	int missing, changed;

	if (s->has_errors) {
		*cause = xasprintf("%s has lines that could not be read; fix them "
		    "in a text editor first (nothing was written)", s->path);
		return -1;
	}
	target = save_target(s->path);
	if (excl_read_file(target, &cur, &curlen, &missing, &st, &err) != 0) {
		*cause = xasprintf("%s (nothing was written)", err);
		free(err);
		free(target);
		return -1;
	}
	if (s->existed)
		changed = missing || st.st_size != s->size ||
		    st.st_mtim.tv_sec != s->mtime.tv_sec ||
		    st.st_mtim.tv_nsec != s->mtime.tv_nsec ||
		    util_hash(cur, curlen) != s->hash;
	else
		changed = !missing;
	if (changed) {
		*cause = xasprintf("%s was %s by another program since it was "
		    "loaded; nothing was written. Reload it and make your "
		    "changes again", s->path, missing ? "removed" : "changed");
		goto fail;
	}
	if (mkdir_parents(target, cause) != 0)
		goto fail;
	/* Keep the previous version before replacing it; if the backup
	 * cannot be written, the original stays untouched. */
	if (!missing) {
		backup = xasprintf("%s~", target);
		/* The backup holds the same text, so it gets the file's
		 * permissions rather than the umask's: util_write_atomic
		 * keeps those of the file it replaces. */
		if (chmod(backup, st.st_mode & 07777) != 0 && errno == ENOENT) {
			int fd = open(backup, O_WRONLY | O_CREAT | O_EXCL |
			    O_CLOEXEC, st.st_mode & 07777);
			if (fd != -1)
				close(fd);
		}
		if (util_write_atomic(backup, cur, curlen, &err) != 0) {
			*cause = xasprintf("cannot keep the previous version as "
			    "%s: %s; nothing was written", backup, err);
			free(err);
			free(backup);
			goto fail;
		}
		free(backup);
	}
	set_serialize(s, &out);
	if (util_write_atomic(target, out.p, out.len, cause) != 0)
		goto fail;
	if (stat(target, &st) == 0) {
		s->mtime = st.st_mtim;
		s->size = st.st_size;
	}
	s->hash = util_hash(out.p, out.len);
	s->existed = 1;
	s->modified = 0;
	buf_free(&out);
	free(cur);
	free(target);
	return 0;
fail:
	buf_free(&out);
	free(cur);
	free(target);
	return -1;
}

const char *
excl_path(const struct excl_set *s)
{
	return s->path;
}

int
excl_has_errors(const struct excl_set *s)
{
	return s->has_errors;
}

int
excl_is_modified(const struct excl_set *s)
{
	return s->modified;
}

/* ------------------------------------------------------------ categories */

size_t
excl_category_count(const struct excl_set *s)
{
	return s->ncats;
}

const char *
excl_category_name(const struct excl_set *s, size_t c)
{
	return c < s->ncats ? s->cats[c].name : "";
}

const char *
excl_category_description(const struct excl_set *s, size_t c)
{
	return c < s->ncats ? s->cats[c].description : "";
}

int
excl_category_enabled(const struct excl_set *s, size_t c)
{
	return c < s->ncats && s->cats[c].enabled;
}

int
excl_category_builtin(const struct excl_set *s, size_t c)
{
	return c < s->ncats && s->cats[c].builtin;
}

size_t
excl_category_rule_count(const struct excl_set *s, size_t c)
{
	return c < s->ncats ? s->cats[c].nrules : 0;
}

long
excl_category_find(const struct excl_set *s, const char *name)
{
	return cat_find(s, name, strlen(name));
}

/* Appends "[name]" (and a description) at the end of the file and returns
 * the line index just after what it wrote. */
static size_t
section_append(struct excl_set *s, size_t c)
{
	struct excl_cat *cat = &s->cats[c];
	struct excl_line *l;
	size_t n = 0;

	if (s->nlines > 0 && s->lines[s->nlines - 1].text[0] != '\0') {
		l = lines_insert(s, s->nlines, 1);
		l->text = xstrdup("");
		l->kind = LINE_TEXT;
		cat->blank_added = 1;
	}
	if (cat->builtin) {
		l = lines_insert(s, s->nlines, 1);
		l->text = xasprintf("# %s", cat->description);
		l->kind = LINE_TEXT;
	}
	l = lines_insert(s, s->nlines, 1);
	l->text = xasprintf("[%s]", cat->name);
	l->kind = LINE_SECTION;
	l->cat = c;
	n = s->nlines;
	if (!cat->builtin && cat->description[0] != '\0') {
		l = lines_insert(s, s->nlines, 1);
		l->text = xasprintf("description = %s", cat->description);
		l->kind = LINE_DESCRIPTION;
		l->cat = c;
		n = s->nlines;
	}
	excl_reindex(s);
	return n;
}

/* Where a new rule for category c goes: after the last rule or option of
 * its section, so comments between sections stay with the next one. */
static size_t
rule_insert_pos(struct excl_set *s, size_t c)
{
	size_t i, last;

	if (s->cats[c].section_line < 0)
		return section_append(s, c);
	last = (size_t)s->cats[c].section_line;
	for (i = last + 1; i < s->nlines; i++) {
		enum line_kind k = s->lines[i].kind;
		if (k == LINE_SECTION)
			break;
		if (k != LINE_TEXT)
			last = i;
	}
	return last + 1;
}

long
excl_category_add(struct excl_set *s, const char *name, const char *description,
    char **cause)
{
	char *desc;
	size_t c;

	if (!cat_name_valid(name, strlen(name))) {
		*cause = cat_name_problem(name, strlen(name));
		return -1;
	}
	if (cat_find(s, name, strlen(name)) >= 0) {
		*cause = xasprintf("category '%s' already exists", name);
		return -1;
	}
	desc = clean_note(description, cause);
	if (desc == NULL)
		return -1;
	c = cat_add(s, name, strlen(name), 0, desc);
	free(desc);
	section_append(s, c);
	s->modified = 1;
	return (long)c;
}

int
excl_category_remove(struct excl_set *s, size_t c, char **cause)
{
	struct excl_cat *cat;
	size_t i;
	long sec;

	if (c >= s->ncats) {
		*cause = xasprintf("there is no category number %zu", c);
		return -1;
	}
	cat = &s->cats[c];
	if (cat->builtin) {
		*cause = xasprintf("[%s] is built in and stays; switch it off "
		    "instead", cat->name);
		return -1;
	}
	if (cat->nrules > 0) {
		*cause = xasprintf("[%s] still has %zu rule%s; remove %s first",
		    cat->name, cat->nrules, cat->nrules == 1 ? "" : "s",
		    cat->nrules == 1 ? "it" : "them");
		return -1;
	}
	/* Its [name], enabled = and description = lines; comments stay. */
	sec = cat->section_line;
	for (i = s->nlines; i-- > 0;) {
		enum line_kind k = s->lines[i].kind;
		if (s->lines[i].cat == c && (k == LINE_SECTION ||
		    k == LINE_ENABLED || k == LINE_DESCRIPTION))
			lines_delete(s, i);
	}
	/* The blank line that adding the section at the end wrote goes with
	 * it (one the user wrote stays). */
	if (cat->blank_added && sec > 0 && (size_t)sec == s->nlines &&
	    s->lines[sec - 1].kind == LINE_TEXT &&
	    s->lines[sec - 1].text[0] == '\0')
		lines_delete(s, (size_t)sec - 1);
	free(cat->name);
	free(cat->description);
	memmove(cat, cat + 1, (s->ncats - c - 1) * sizeof *cat);
	s->ncats--;
	for (i = 0; i < s->nlines; i++)
		if (s->lines[i].cat > c)
			s->lines[i].cat--;
	excl_reindex(s);
	s->modified = 1;
	return 0;
}

int
excl_category_set_enabled(struct excl_set *s, size_t c, int on, char **cause)
{
	struct excl_cat *cat;
	struct excl_line *l;
	const char *hash;
	char *old;

	if (c >= s->ncats) {
		*cause = xasprintf("there is no category number %zu", c);
		return -1;
	}
	cat = &s->cats[c];
	on = on != 0;
	if (cat->enabled == on)
		return 0;
	cat->enabled = on;
	s->modified = 1;
	if (cat->enabled_line >= 0) {
		/* Keep the user's comment at the end of the line. */
		l = &s->lines[cat->enabled_line];
		old = l->text;
		hash = strchr(old, '#');
		l->text = hash ? xasprintf("enabled = %s  %s", on ? "yes" : "no",
		    hash) : xasprintf("enabled = %s", on ? "yes" : "no");
		free(old);
		return 0;
	}
	if (cat->section_line < 0)
		section_append(s, c);
	l = lines_insert(s, (size_t)cat->section_line + 1, 1);
	l->text = xasprintf("enabled = %s", on ? "yes" : "no");
	l->kind = LINE_ENABLED;
	l->cat = c;
	excl_reindex(s);
	return 0;
}

/* ------------------------------------------------------------ rules */

size_t
excl_rule_count(const struct excl_set *s)
{
	return s->nrules;
}

size_t
excl_rule_category(const struct excl_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i]->cat : 0;
}

enum excl_kind
excl_rule_kind(const struct excl_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i]->kind : EXCL_IP;
}

const char *
excl_rule_text(const struct excl_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i]->text : "";
}

const char *
excl_rule_note(const struct excl_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i]->note : "";
}

time_t
excl_rule_until(const struct excl_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i]->until : 0;
}

int
excl_rule_enabled(const struct excl_set *s, size_t i)
{
	return i < s->nrules && s->rules[i]->enabled;
}

int
excl_rule_expired(const struct excl_set *s, size_t i, time_t now)
{
	time_t until = excl_rule_until(s, i);

	return until != 0 && now >= until + 86400;
}

enum excl_state
excl_rule_state(const struct excl_set *s, size_t i, time_t now)
{
	if (!excl_rule_enabled(s, i))
		return EXCL_DISABLED;
	if (excl_rule_expired(s, i, now))
		return EXCL_EXPIRED;
	if (!excl_category_enabled(s, excl_rule_category(s, i)))
		return EXCL_CATEGORY_OFF;
	return EXCL_ACTIVE;
}

size_t
excl_rule_line(const struct excl_set *s, size_t i)
{
	return i < s->nrules ? s->rules[i]->line + 1 : 0;
}

static int
rule_index_ok(const struct excl_set *s, size_t i, char **cause)
{
	if (i < s->nrules)
		return 1;
	*cause = xasprintf("there is no rule number %zu (the file has %zu)",
	    i + 1, s->nrules);
	return 0;
}

/* The index of a rule in cat with the same meaning as r, other than skip.
 * Networks compare directly: categories can hold tens of thousands. */
static long
find_duplicate(const struct excl_set *s, size_t cat, const struct excl_rule *r,
    long skip)
{
	char *key = NULL, *k;
	size_t i;
	long found = -1;

	for (i = 0; i < s->nrules && found < 0; i++) {
		const struct excl_rule *o = s->rules[i];
		if (o->cat != cat || (long)i == skip || o->kind != r->kind)
			continue;
		if (r->kind == EXCL_IP) {
			if (o->pflen == r->pflen && o->addr.family == r->addr.family &&
			    memcmp(o->addr.a, r->addr.a, sizeof r->addr.a) == 0)
				found = (long)i;
			continue;
		}
		if (key == NULL)
			key = excl_rule_key(r);
		k = excl_rule_key(o);
		if (strcmp(k, key) == 0)
			found = (long)i;
		free(k);
	}
	free(key);
	return found;
}

static void
rule_refresh_line(struct excl_set *s, struct excl_rule *r)
{
	free(s->lines[r->line].text);
	s->lines[r->line].text = format_rule_line(r);
	s->modified = 1;
}

long
excl_rule_add(struct excl_set *s, size_t cat, enum excl_kind kind,
    const char *text, const char *note, time_t until, char **cause)
{
	struct excl_rule *r;
	struct excl_line *l;
	char *clean;
	long dup;
	size_t pos;

	if (cat >= s->ncats) {
		*cause = xasprintf("there is no category number %zu", cat);
		return -1;
	}
	if (until < 0 || until % 86400 != 0) {
		*cause = xstrdup("the expiry must be a date (00:00 UTC)");
		return -1;
	}
	clean = clean_note(note, cause);
	if (clean == NULL)
		return -1;
	r = xcalloc(1, sizeof *r);
	if (excl_value_parse(kind, text, r, cause) != 0) {
		free(clean);
		free(r);
		return -1;
	}
	r->text = xstrdup(text);
	r->note = clean;
	r->until = until;
	r->enabled = 1;
	dup = find_duplicate(s, cat, r, -1);
	if (dup >= 0) {
		*cause = xasprintf("[%s] already has this rule (number %ld, %s "
		    "%s)%s", s->cats[cat].name, dup + 1, excl_kind_name(kind),
		    s->rules[dup]->text, s->rules[dup]->enabled ? "" :
		    "; it is disabled: enable it instead");
		rule_free(r);
		return -1;
	}
	pos = rule_insert_pos(s, cat);
	l = lines_insert(s, pos, 1);
	l->kind = LINE_RULE;
	l->cat = cat;
	l->rule = r;
	l->text = format_rule_line(r);
	excl_reindex(s);
	s->modified = 1;
	return (long)r->index;
}

void
excl_insert_rules(struct excl_set *s, size_t cat, struct excl_rule **rules,
    size_t count)
{
	struct excl_line *l;
	size_t pos, i;

	if (count == 0)
		return;
	pos = rule_insert_pos(s, cat);
	l = lines_insert(s, pos, count);
	for (i = 0; i < count; i++) {
		l[i].kind = LINE_RULE;
		l[i].cat = cat;
		l[i].rule = rules[i];
		l[i].text = format_rule_line(rules[i]);
	}
	excl_reindex(s);
	s->modified = 1;
}

int
excl_rule_edit(struct excl_set *s, size_t i, enum excl_kind kind,
    const char *text, char **cause)
{
	struct excl_rule tmp, *r;
	long dup;

	if (!rule_index_ok(s, i, cause))
		return -1;
	r = s->rules[i];
	memset(&tmp, 0, sizeof tmp);
	if (excl_value_parse(kind, text, &tmp, cause) != 0)
		return -1;
	tmp.text = (char *)text;
	dup = find_duplicate(s, r->cat, &tmp, (long)i);
	if (dup >= 0) {
		*cause = xasprintf("[%s] already has this rule (number %ld)",
		    s->cats[r->cat].name, dup + 1);
		return -1;
	}
	free(r->text);
	r->text = xstrdup(text);
	r->kind = kind;
	r->addr = tmp.addr;
	r->pflen = tmp.pflen;
	rule_refresh_line(s, r);
	return 0;
}

int
excl_rule_set_note(struct excl_set *s, size_t i, const char *note, char **cause)
{
	char *clean;

	if (!rule_index_ok(s, i, cause))
		return -1;
	clean = clean_note(note, cause);
	if (clean == NULL)
		return -1;
	free(s->rules[i]->note);
	s->rules[i]->note = clean;
	rule_refresh_line(s, s->rules[i]);
	return 0;
}

int
excl_rule_set_until(struct excl_set *s, size_t i, time_t until, char **cause)
{
	if (!rule_index_ok(s, i, cause))
		return -1;
	if (until < 0 || until % 86400 != 0) {
		*cause = xstrdup("the expiry must be a date (00:00 UTC)");
		return -1;
	}
	s->rules[i]->until = until;
	rule_refresh_line(s, s->rules[i]);
	return 0;
}

int
excl_rule_set_enabled(struct excl_set *s, size_t i, int on, char **cause)
{
	if (!rule_index_ok(s, i, cause))
		return -1;
	if (s->rules[i]->enabled == (on != 0))
		return 0;
	s->rules[i]->enabled = on != 0;
	rule_refresh_line(s, s->rules[i]);
	return 0;
}

int
excl_rule_remove(struct excl_set *s, size_t i, char **cause)
{
	if (!rule_index_ok(s, i, cause))
		return -1;
	lines_delete(s, s->rules[i]->line);
	excl_reindex(s);
	s->modified = 1;
	return 0;
}
