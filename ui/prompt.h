/* Asking the user: a line editor on the message line, one-key choices,
 * and a pop-up menu. Each runs until answered, redrawing the screen below
 * it (so resizes and live previews work). */
#ifndef LH_UI_PROMPT_H
#define LH_UI_PROMPT_H

#include <stddef.h>

#include "app.h"

/* Called after every edit with the text so far. */
typedef void (*prompt_change_fn)(struct app *, void *ctx, const char *text);

/* Reads a line. Returns 1 and an allocated *out on Enter, 0 on Esc or a
 * signal (on_change is then called with the initial text again). */
int prompt_line(struct app *, const char *label, const char *initial,
    prompt_change_fn on_change, void *ctx, char **out);
/* Reads a line that starts as a suggestion (a default file name), shown
 * selected: the first character typed replaces it, as in readline's
 * dialogues; editing keys (Left, Right, Home, End, Backspace, Ctrl-U...)
 * keep it to be edited. Returns as prompt_line does. */
int prompt_suggest(struct app *, const char *label, const char *suggestion,
    char **out);
/* The same, where Up and Down step through recent[0 .. nrecent), newest
 * first, and back down to what was typed. */
int prompt_line_recent(struct app *, const char *label, const char *initial,
    const char *const *recent, size_t nrecent, char **out);
/* Waits for one of the characters in keys (Enter gives dflt if nonzero).
 * Returns the key, or 0 for Esc or a signal. */
int prompt_choice(struct app *, const char *question, const char *keys, int dflt);
/* A pop-up list of items (prepared text). Returns the chosen index or -1. */
long prompt_menu(struct app *, const char *title, const char *const *items,
    size_t n, size_t initial);

#endif
