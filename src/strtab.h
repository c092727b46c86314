/* String interning: every distinct string gets a small integer id, so the
 * hunt compares and hashes integers, and each value is stored once. */
#ifndef LH_STRTAB_H
#define LH_STRTAB_H

#include <stddef.h>
#include <stdint.h>

struct strtab;
struct lh_str;

struct strtab *strtab_new(void);
/* For the tests: a table whose strings are hashed by hash instead, to
 * force collisions. Tables merged together must hash alike. */
struct strtab *strtab_new_hashed(uint32_t (*hash)(const char *s, size_t n));
void strtab_free(struct strtab *st);
/* Returns the id of the string, adding it if new. Id 0 is always "". */
uint32_t strtab_intern(struct strtab *st, const char *s, size_t n);
/* ids[i] = strtab_intern(st, v[i].p, v[i].n) for i < n, in that order:
 * the same ids, sooner, since the memory each lookup waits for (its slot,
 * its entry, its bytes) is requested for all of them before any is read. */
void strtab_intern_many(struct strtab *st, const struct lh_str *v, size_t n,
    uint32_t *ids);
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
