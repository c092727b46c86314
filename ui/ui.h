/* The interactive console. */
#ifndef LH_UI_H
#define LH_UI_H

#include "hunt.h"
#include "load.h"
#include "table.h"

struct ui_config {
	const struct load_input *inputs;
	size_t ninputs;
	struct load_opts load;
	struct hunt_opts hunt;
	struct hunt_sort sort;
	const char *excl_path;	/* NULL: no exclusions */
	int mouse;
	int monochrome;
};

/* Loads the inputs with a progress screen, then runs the console until
 * the user quits. Returns the process exit status. */
int ui_run(const struct ui_config *cfg);

#endif
