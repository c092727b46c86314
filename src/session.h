/* The console's session: what a review looked like when the console was
 * last closed on the same inputs (the marks, the sort, the filter, the
 * search, the cursor, the column mode), kept in the XDG state directory so
 * that opening the same inputs again carries on where it stopped, as
 * lnav's sessions do.
 *
 * "The same inputs" are the same set of input paths (made absolute, in
 * any order) with the same exclusions file: one file per such set,
 * $XDG_STATE_HOME/logonhunt/sessions/HASH (else ~/.local/state/...). The
 * file is plain text, one item a line:
 *
 *	logonhunt-session 1
 *	input	PATH			(one per input)
 *	exclusions	PATH		(absent without one)
 *	sort	COLUMN	asc|desc	(then a second sort line: the secondary)
 *	filter	TEXT
 *	search	TEXT
 *	wide	0|1
 *	hide	COLUMN
 *	cursor	DOMAIN	NAME	LOGONTYPE	REMOTEIP	ACTIONTYPE
 *	mark	DOMAIN	NAME	LOGONTYPE	REMOTEIP	ACTIONTYPE
 *
 * with backslash escapes (\\ \t \n \r \xHH) in every field, so fields hold
 * any bytes and a line never breaks. Groups are named by their key, never
 * by a row number, so they are found again in new data.
 *
 * Functions that can fail return -1 and set *cause to an allocated
 * sentence naming the file and line. */
#ifndef LH_SESSION_H
#define LH_SESSION_H

#include <stddef.h>

#include "util.h"

#define SESSION_MAX_SORT 2

struct session {
	char **inputs;		/* absolute paths, sorted */
	size_t ninputs;
	char *exclusions;	/* NULL: none */
	struct {
		char *col;	/* a column's name */
		int desc;
	} sort[SESSION_MAX_SORT];
	size_t nsort;
	char *filter, *search;	/* NULL: none */
	int wide;
	char **hidden;		/* columns' names */
	size_t nhidden;
	/* Group keys in the file's form: the five escaped fields joined by
	 * tabs (session_group_key makes one). */
	char *cursor;		/* NULL: none */
	char **marks;
	size_t nmarks;
};

/* The inputs as the session names them: absolute (made so against the
 * current directory, symbolic links resolved where the file exists),
 * sorted, without repeats. excl may be NULL. */
void session_init(struct session *, const char *const *inputs, size_t n,
    const char *excl);
void session_free(struct session *);
/* 1 if both name the same inputs and exclusions file. */
int session_same_inputs(const struct session *, const struct session *);

/* $XDG_STATE_HOME/logonhunt/sessions/HASH, else under
 * ~/.local/state; HASH is of the inputs and exclusions of s. NULL if no
 * absolute directory is known. Caller frees. */
char *session_path(const struct session *s);

/* The key of a group in the file's form, into out (reset first). */
void session_group_key(const struct lh_str key[5], struct buf *out);

/* What the command line sets of the view: it wins over a restored
 * session for that, as in lnav; the rest of the session is restored. */
#define SESSION_CLI_SORT 1u	/* --sort */

/* Drops from s what the command line gives (a mask of SESSION_CLI_*).
 * Returns the mask of what s held and lost, for the message. */
unsigned session_yield_to_cli(struct session *s, unsigned given);

void session_add_mark(struct session *, const char *key);
void session_add_hidden(struct session *, const char *col);
void session_set(char **field, const char *text);

/* Parses a session file's text; name is for messages. On error *out is
 * left empty. */
int session_parse(const char *name, const char *text, size_t len,
    struct session *out, char **cause);
void session_serialize(const struct session *, struct buf *out);

/* Reads path: 0 and *out, or 1 if there is none (*out empty), or -1 and
 * *cause if it cannot be read or is damaged. */
int session_load(const char *path, struct session *out, char **cause);
/* Writes s to path as savefile writes kept files: under its lock,
 * atomically, the previous file kept as PATH~ (so a damaged one that was
 * not restored survives one save). */
int session_save(const char *path, const struct session *s, char **cause);

#endif
