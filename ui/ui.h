/* The interactive console. */
#ifndef LH_UI_H
#define LH_UI_H

#include "uiconfig.h"

/* Loads the inputs with a progress screen, then runs the console until
 * the user quits. Returns the process exit status: 0, 1 if the inputs
 * could not be loaded or the terminal not used, 128 + the signal number
 * when a signal (or Ctrl-C while loading) ended it. */
int ui_run(const struct ui_config *cfg);

#endif
