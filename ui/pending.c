/* Placeholders for the screens still being written: the exclusions
 * screen. They say so instead of doing nothing. */
#include "config.h"

#include "screens.h"

struct screen *
exclview_new(struct app *app)
{
	app_error(app, "the exclusions screen is not available yet");
	return NULL;
}

void
exclview_from_group(struct app *app, uint32_t group)
{
	(void)group;
	app_error(app, "excluding from a row is not available yet");
}
