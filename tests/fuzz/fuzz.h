/* What the fuzz targets share: the libFuzzer entry point, a scratch
 * directory for parsers that read files, invariant checks that abort (so
 * libFuzzer and the standalone driver both keep the input), and a text
 * rendering of loaded tables for differential checks. */
#ifndef LH_FUZZ_H
#define LH_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "table.h"
#include "util.h"

/* Each target defines it; libFuzzer or tests/fuzz/driver.c calls it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Tokens the standalone driver splices into inputs, NULL-terminated.
 * A target may define it; otherwise the driver uses generic ones. */
extern const char *const fuzz_dict[] __attribute__((weak));

/* Mutated inputs the standalone driver runs when neither -n nor FUZZ_RUNS
 * says: a slow target (one that loads files) may define it lower than
 * the default, to keep make check short. */
extern const unsigned long fuzz_default_runs __attribute__((weak));

/* 1 under the standalone driver, which runs few inputs and can afford
 * every check on each; 0 under libFuzzer, where targets run their costly
 * checks (threads, extra loads) on a sample of the inputs. */
extern int fuzz_thorough;
/* 1 for about one input in every `every`, chosen by content (so a saved
 * crash replays the same way; `which` tells a target's checks apart);
 * always 1 when fuzz_thorough. */
int fuzz_sample(const void *data, size_t size, unsigned every, unsigned which);

/* A directory of this process, on tmpfs when /dev/shm exists (the
 * exclusions save fsyncs), removed at normal exit. */
const char *fuzz_dir(void);
/* Writes data to fuzz_dir()/name; returns the path (caller frees). */
char *fuzz_write_file(const char *name, const void *data, size_t size);
/* Reads a whole file; NULL if it cannot be read. */
char *fuzz_read_file(const char *path, size_t *size);

/* Prints the broken invariant and aborts: libFuzzer saves the input as a
 * crash, the driver writes it next to the working directory. */
void fuzz_fail(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
#define FUZZ_CHECK(cond, ...) do { if (!(cond)) fuzz_fail(__VA_ARGS__); } while (0)

/* Renders everything a load put into d (files, row counts, events with
 * their strings, IP flags by string, presummary rows), so two loads of the
 * same bytes can be compared byte for byte. Strings go in raw, after their
 * length: escape the whole rendering to show it. */
void fuzz_render_table(const struct table_data *d, struct buf *out);
/* Every event of d (the first 16) reads back in drill-down, and the raw
 * record's AccountName, RemoteIP and ActionType (where it names them
 * exactly so) are the bytes the hunt grouped by. */
void fuzz_check_drilldown(const struct table_data *d);

/* Appends s escaped (for messages about binary inputs); b is never left
 * NULL. */
void fuzz_add_escaped(struct buf *b, const void *s, size_t n);
/* Appends a number and a space; a length, the raw bytes and a space. */
void fuzz_add_u64(struct buf *b, uint64_t v);
void fuzz_add_bytes(struct buf *b, const void *s, size_t n);

#endif
