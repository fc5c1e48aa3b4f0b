/* ui/desktop/dc-window.h — the main window: welcome → set-up → sign-in → counter, locking on idle and Ctrl+L. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_WINDOW (dc_window_get_type ())
G_DECLARE_FINAL_TYPE (DcWindow, dc_window, DC, WINDOW, AdwApplicationWindow)

#define DC_IDLE_LOCK_DEFAULT_SECONDS (5 * 60)

/* @store may be NULL: the welcome page then offers set-up in @store_dir or the demo store.
 * Takes ownership of @store. */
DcWindow   *dc_window_new (GtkApplication *app, const char *store_dir, DcStore *store);
DcSession  *dc_window_get_session (DcWindow *self);     /* NULL before a store is open */
/* "welcome", "setup", "signin" or "counter". */
const char *dc_window_get_page (DcWindow *self);
/* Fix the idle limit (tests); otherwise it is the store's setting, read at each sign-in. */
void        dc_window_set_idle_seconds (DcWindow *self, guint seconds);
guint       dc_window_get_idle_seconds (DcWindow *self);
/* Open @store (ownership passes) and go to sign-in. */
void        dc_window_open_store (DcWindow *self, DcStore *store);
/* Open the demo store, creating it (in the background, with progress) if absent. */
void        dc_window_open_demo (DcWindow *self);
/* A message that stays until dismissed, e.g. why the store could not be opened. */
void        dc_window_show_error (DcWindow *self, const char *message);
/* The demo store under the user's data folder, created with synthetic history if absent. */
char       *dc_window_demo_dir (void);

G_END_DECLS
