/* String interning: every distinct string gets a small integer id, so the
 * hunt compares and hashes integers, and each value is stored once. */
#ifndef LH_STRTAB_H
#define LH_STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct strtab;

struct strtab *strtab_new(void);
void strtab_free(struct strtab *st);
/* Returns the id of the string, adding it if new. Id 0 is always "". */
uint32_t strtab_intern(struct strtab *st, const char *s, size_t n);
/* Interns every string of src into dst; map[i] becomes the id in dst of
 * src's id i (map has strtab_count(src) entries). */
void strtab_merge(struct strtab *dst, const struct strtab *src, uint32_t *map);
/* Returns 1 and sets *id if the string is present. */
int strtab_find(const struct strtab *st, const char *s, size_t n, uint32_t *id);
/* The NUL-terminated string of an id; valid until the next intern. */
const char *strtab_str(const struct strtab *st, uint32_t id);
size_t strtab_len(const struct strtab *st, uint32_t id);
uint32_t strtab_count(const struct strtab *st);

#endif
