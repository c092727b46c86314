#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"

#define PREFIX "logonhunt: "

void
msg_escape(struct buf *b, const char *s, size_t n)
{
	const char *bs;

	/* buf_add_escaped doubles a backslash; here it stays single (see
	 * msg.h), and no escape can start inside a piece between two. */
	while ((bs = memchr(s, '\\', n)) != NULL) {
		buf_add_escaped(b, s, (size_t)(bs - s));
		buf_addc(b, '\\');
		n -= (size_t)(bs - s) + 1;
		s = bs + 1;
	}
	buf_add_escaped(b, s, n);
}

static void
fput_escaped(FILE *f, const char *s, size_t n)
{
	struct buf b = { 0 };

	msg_escape(&b, s, n);
	if (b.len)
		fwrite(b.p, 1, b.len, f);
	buf_free(&b);
}

void
msg(const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;
	char *m;

	va_start(ap, fmt);
	m = xvasprintf(fmt, ap);
	va_end(ap);
	buf_add(&b, PREFIX, strlen(PREFIX));
	msg_escape(&b, m, strlen(m));
	buf_addc(&b, '\n');
	fputs(b.p, stderr);
	buf_free(&b);
	free(m);
}

void
msg_cause(const char *cause)
{
	const char *p = cause, *nl;
	size_t n;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		fputs(PREFIX, stderr);
		fput_escaped(stderr, p, n);
		fputc('\n', stderr);
		p += n + (nl != NULL);
	}
}

void
msg_usage(const char *help, const char *fmt, const char *arg)
{
	char *text = xasprintf(fmt, arg);

	msg_text(text);
	free(text);
	fprintf(stderr, "Try '%s' for more information.\n", help);
}

void
msg_text(const char *text)
{
	util_fput_message(stderr, PREFIX, text);
}

void
msg_warning(void *ctx, const char *text)
{
	(void)ctx;
	util_fput_message(stderr, PREFIX "warning: ", text);
}
