/* ui/desktop/dc-session.h — the open store and who is signed in at the counter, shared by every page. */
#pragma once

#include <glib-object.h>
#include "dc-counter.h"
#include "dc-store.h"

G_BEGIN_DECLS

#define DC_TYPE_SESSION (dc_session_get_type ())
G_DECLARE_FINAL_TYPE (DcSession, dc_session, DC, SESSION, GObject)

/* How long a manager's step-up (passphrase asked again) lasts. */
#define DC_STEP_UP_SECONDS (5 * 60)

/* Takes ownership of @store. */
DcSession  *dc_session_new (DcStore *store);
DcStore    *dc_session_get_store (DcSession *self);

/* Counter sign-in with a PIN: emits "notify::signed-in". */
gboolean    dc_session_sign_in (DcSession *self, const char *staff_name, const char *pin, GError **error);
/* Forget the signed-in staff member and any step-up: emits "locked". While the session
 * is held, the lock waits for the last release. */
void        dc_session_lock (DcSession *self);
/* Long work that uses the unlocked actors and lets the main loop turn (an export with a
 * progress bar) holds the session, so an idle lock or Ctrl+L meanwhile cannot free the
 * keys under it: the lock (and the step-up's expiry) happens at the last release. */
void        dc_session_hold (DcSession *self);
void        dc_session_release (DcSession *self);
gboolean    dc_session_get_signed_in (DcSession *self);
DcActor    *dc_session_get_actor (DcSession *self);           /* NULL when locked */
const char *dc_session_get_staff_name (DcSession *self);      /* NULL when locked */

/* Manager-only actions: ask for a manager's passphrase again; the step-up is forgotten
 * after DC_STEP_UP_SECONDS or at lock. */
gboolean    dc_session_step_up (DcSession *self, const char *manager_name, const char *passphrase, GError **error);
DcActor    *dc_session_get_manager (DcSession *self);         /* NULL when not stepped up */
/* How long the next step-up lasts (DC_STEP_UP_SECONDS unless a test shortens it). */
void        dc_session_set_step_up_seconds (DcSession *self, guint seconds);

/* The counter board now (no personal data). */
DcBoard    *dc_session_read_board (DcSession *self, GError **error);

/* Tell every view that records changed (after each action): emits "changed". */
void        dc_session_changed (DcSession *self);

/* Store time now (the store's injectable clock). */
gint64      dc_session_now (DcSession *self);

G_END_DECLS
