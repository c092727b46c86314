/* SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104): the input files'
 * digests in a report's manifest, and the keyed pseudonyms of an
 * anonymised report. Small enough to keep here rather than link a crypto
 * library for two functions. */
#ifndef LH_SHA256_H
#define LH_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	unsigned char block[64];
	size_t fill;
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *p, size_t n);
void sha256_final(struct sha256 *s, unsigned char out[SHA256_LEN]);
/* The digest of [p, p+n) in one call. */
void sha256_digest(const void *p, size_t n, unsigned char out[SHA256_LEN]);
/* HMAC-SHA-256 of msg under key. */
void sha256_hmac(const void *key, size_t kn, const void *msg, size_t mn,
    unsigned char out[SHA256_LEN]);
/* Lower-case hex of a digest: out holds 2 * SHA256_LEN + 1 bytes. */
void sha256_hex(const unsigned char d[SHA256_LEN], char out[2 * SHA256_LEN + 1]);
/* The digest of a whole file, as hex; -1 with errno set if it cannot be
 * read. */
int sha256_file(const char *path, char out[2 * SHA256_LEN + 1]);

#endif
