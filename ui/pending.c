/* Placeholders for the screens still being written: the exclusions
 * screen and export. They say so instead of doing nothing. */
#include "config.h"

#include "export.h"
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

void
export_results(struct app *app, struct tview *tv)
{
	(void)tv;
	app_error(app, "export is not available yet");
}

void
export_events(struct app *app, struct tview *tv, const uint32_t *evs)
{
	(void)tv;
	(void)evs;
	app_error(app, "export is not available yet");
}
