/* How account and device names compare: decoded from UTF-8, case-folded
 * code points, '*' globs. The matcher uses it, and so do the keys that
 * find duplicate rules, so both agree on what "the same name" is. */
#ifndef LH_EXCL_FOLD_H
#define LH_EXCL_FOLD_H

#include <stddef.h>
#include <stdint.h>

#define EXCL_STAR 0xffffffffu	/* a '*' in a folded pattern */

/* Decodes UTF-8 (invalid bytes kept as distinct values) and case-folds
 * into out[] (room for n values). With pattern set, '*' becomes EXCL_STAR. */
size_t excl_fold(const char *s, size_t n, uint32_t *out, int pattern);
/* The folded form of one code point (the natural sort folds with it too). */
uint32_t excl_fold_cp(uint32_t c);
/* '*'-glob match of folded code points; '*' in the pattern is a wildcard. */
int excl_glob(const uint32_t *pat, size_t pn, const uint32_t *s, size_t sn);

#endif
