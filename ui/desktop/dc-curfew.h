/* ui/desktop/dc-curfew.h — DcCurfew: alerts before the youth curfew and, at it, the dialog that sends minors home. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_CURFEW (dc_curfew_get_type ())
G_DECLARE_FINAL_TYPE (DcCurfew, dc_curfew, DC, CURFEW, GObject)

/* Alerts come this many minutes before a minor's curfew (ordinance.md §4). */
#define DC_CURFEW_ALERT_EARLY_MINUTES 30
#define DC_CURFEW_ALERT_LATE_MINUTES  10
/* A dialog put off with "Later" comes back after this long (store time) while minors are still in. */
#define DC_CURFEW_REMIND_MINUTES      5
/* How often the board is read while someone is signed in (besides every "changed"). */
#define DC_CURFEW_TICK_SECONDS        15

/* Watch the minors of @session for @window: alerts as toasts in @toasts (with the bell unless
 * the store's setting says not), the curfew dialog over @window. Works only while staff are
 * signed in: a locked counter shows nothing, and the alerts due come at the next sign-in.
 * @window keeps no reference: the caller owns the result and drops it before @window goes. */
DcCurfew  *dc_curfew_new (DcSession *session, GtkWindow *window, AdwToastOverlay *toasts);
/* The watcher made for @window, or NULL. */
DcCurfew  *dc_curfew_for_window (GtkWindow *window);

/* Read the board now and alert as due. Also runs every DC_CURFEW_TICK_SECONDS, on "changed"
 * and at sign-in; tests call it after moving the store's clock. */
void       dc_curfew_check (DcCurfew *self);

/* The curfew dialog when it is showing, else NULL. */
GtkWindow *dc_curfew_get_dialog (DcCurfew *self);

/* Signal "alert" (gint minutes, guint n_minors, gboolean bell): an alert was shown, @minutes
 * before the curfew of the soonest of @n_minors minors newly concerned. */

G_END_DECLS
