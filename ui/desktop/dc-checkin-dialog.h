/* ui/desktop/dc-checkin-dialog.h — DcCheckinDialog. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_CHECKIN_DIALOG (dc_checkin_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DcCheckinDialog, dc_checkin_dialog, DC, CHECKIN_DIALOG, AdwWindow)

/* The check-in form: document type first, the fields follow the type; validation inline as
 * the clerk types; Enter saves when all is valid. One action, one transaction (dc_checkin).
 * @terminal: preselected terminal label or NULL (the first free suitable one is suggested).
 * On success it calls dc_session_changed, emits "checked-in" (gint64 visit_id, const char *member,
 * const char *terminal) and closes. */
DcCheckinDialog *dc_checkin_dialog_new (GtkWindow *parent, DcSession *session, const char *terminal);
/* Ctrl+F: a returning customer without a card is looked up by name and date of birth
 * (dc_find_person) first; the form follows with those filled in. FALSE goes back to the form. */
void             dc_checkin_dialog_set_find_mode (DcCheckinDialog *self, gboolean find);
/* In a "checked-in" handler: was the customer new, a member number (and card 1) just issued? */
gboolean         dc_checkin_dialog_made_new_member (DcCheckinDialog *self);

G_END_DECLS
