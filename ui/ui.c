#include "config.h"

#include <stdio.h>

#include "ui.h"

int
ui_run(const struct ui_config *cfg)
{
	(void)cfg;
	fprintf(stderr, "logonhunt: the console is not built yet; use --batch\n");
	return 2;
}
