/* Messages of the command-line front ends (main.c, excl_cli.c) on standard
 * error, each starting "logonhunt: ". Their text may quote file names,
 * arguments and the lines of a file, so every one is made safe where it is
 * printed: anything a terminal would act on is shown as a visible escape
 * (\x1b, \u202e, ...). A backslash stays one backslash, so DOMAIN\name
 * reads as typed. */
#ifndef LH_CLI_MSG_H
#define LH_CLI_MSG_H

#include <stddef.h>

#include "util.h"

/* Appends s escaped as above (a newline too becomes \n). */
void msg_escape(struct buf *b, const char *s, size_t n);

/* One message of one line: a newline in the text is shown as \n. */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A cause of several lines (one problem a line, as the exclusions module
 * reports a file's bad lines): each line is a message of its own. */
void msg_cause(const char *cause);
/* A message as the core words it (a loader's error, a usage error):
 * made safe, but a newline in it stays a line break. */
void msg_text(const char *text);
/* A usage error: fmt with arg (echoed made safe: it may be pasted log
 * data), then where help is, e.g. "logonhunt --help". */
void msg_usage(const char *help, const char *fmt, const char *arg);
/* A warning of the loaders, in the shape of load_opts.warn. */
void msg_warning(void *ctx, const char *text);

#endif
