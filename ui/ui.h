/* The interactive console. */
#ifndef LH_UI_H
#define LH_UI_H

#include "hunt.h"
#include "load.h"
#include "table.h"

struct ui_config {
	const struct load_input *inputs;
	size_t ninputs;
	struct load_opts load;	/* progress and warn are the console's own */
	struct hunt_opts hunt;
	struct hunt_sort sort;	/* the initial sort */
	/* The exclusions file to show, apply and edit (a missing file is an
	 * empty list, created on the first change); NULL: no exclusions. */
	const char *excl_path;
	int no_mouse;		/* 1: start with the mouse off (the 'm' key toggles) */
	int monochrome;		/* 1: no colours (NO_COLOR also does this) */
	int keep_formulas;	/* 1: CSV exports without formula neutralisation */
};

/* Loads the inputs with a progress screen, then runs the console until
 * the user quits. Returns the process exit status: 0, 1 if the inputs
 * could not be loaded or the terminal not used, 128 + the signal number
 * when a signal (or Ctrl-C while loading) ended it. */
int ui_run(const struct ui_config *cfg);

#endif
