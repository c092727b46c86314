/* Reading and saving the exclusions file (the public part is in excl.h). */
#ifndef LH_EXCL_FILE_H
#define LH_EXCL_FILE_H

#include <stddef.h>

struct stat;

/* Reads a whole file; *missing = 1 (and 0 returned) if it does not exist.
 * st may be NULL. Refuses anything but a regular file, and files too large
 * to be a list someone wrote. */
int excl_read_file(const char *path, char **data, size_t *len, int *missing,
    struct stat *st, char **cause);

#endif
