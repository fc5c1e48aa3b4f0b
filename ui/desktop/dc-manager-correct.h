/* ui/desktop/dc-manager-correct.h — DcManagerCorrect: a correction of an identity record, appended with its reason. */
#pragma once

#include <adwaita.h>
#include "dc-identity.h"
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_MANAGER_CORRECT (dc_manager_correct_get_type ())
G_DECLARE_FINAL_TYPE (DcManagerCorrect, dc_manager_correct, DC, MANAGER_CORRECT, AdwWindow)

/* The form for correcting record @verification_id, filled in from @record (what is on
 * record now). Fields are checked as at check-in (dc_identity_check), by the rules of the
 * day the document was checked (@verified_at); a reason is required. Saving asks for the
 * passphrase again if the step-up has ended, then calls dc_correct_identity; on success
 * it emits "corrected" (gint64 new_id, gint64 old_id) and closes. */
DcManagerCorrect *dc_manager_correct_new (GtkWindow *parent, DcSession *session, gint64 verification_id,
                                          gint64 verified_at, const DcIdentityRecord *record);

G_END_DECLS
