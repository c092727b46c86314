/* Loading the inputs with a progress screen: the loader runs in a thread
 * and the console keeps drawing and answering keys (q, Esc, Ctrl-C stop). */
#ifndef LH_UI_LOADVIEW_H
#define LH_UI_LOADVIEW_H

#include "app.h"

/* Loads cfg's inputs into app->d. Returns 0, LOAD_CANCELLED (also when a
 * signal arrived), or -1 with *cause. Warnings go to app->warnings. */
int loadview_run(struct app *app, char **cause);

#endif
