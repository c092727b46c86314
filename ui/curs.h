/* The one place the console includes curses, with wide-character support
 * switched on whatever feature macros the build happens to define. */
#ifndef LH_UI_CURS_H
#define LH_UI_CURS_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#endif
