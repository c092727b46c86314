/* What the console is asked to do: filled by the command line, read by
 * the top (ui.c) and by the screens that show or use it (loading, the
 * results' title and first sort). */
#ifndef LH_UI_UICONFIG_H
#define LH_UI_UICONFIG_H

#include "hunt.h"
#include "load.h"

struct enrich;

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
	unsigned allow_missing;	/* 1 << table: absent on purpose, no warning */
	/* The enrichment's sources, opened; NULL: none (no columns). */
	struct enrich *enrich;
	/* The triage ledger (NULL: none), and whether to record the run. */
	const char *ledger_path;
	int no_record;
	int fresh;		/* 1: the last session is not restored */
	/* What the command line set of the view (SESSION_CLI_*): it wins
	 * over the restored session. */
	unsigned view_given;
};

#endif
