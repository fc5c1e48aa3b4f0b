/* ui/desktop/dc-manager-police-form.h — DcPoliceForm: what a police query looks for: a time (to the second) or a person, and the terminals. */
#pragma once

#include <adwaita.h>
#include "dc-police.h"
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_POLICE_FORM (dc_police_form_get_type ())
G_DECLARE_FINAL_TYPE (DcPoliceForm, dc_police_form, DC, POLICE_FORM, GtkWidget)

/* As listed in the form's "Find" chooser. */
typedef enum {
  DC_POLICE_FIND_POINT,
  DC_POLICE_FIND_RANGE,
  DC_POLICE_FIND_PERSON,
  DC_POLICE_FIND_NAME,
  DC_POLICE_FIND_DOCUMENT,
  DC_POLICE_FIND_MEMBER,
} DcPoliceFind;

/* Signal "run" (): Enter in any field, or the Run button. */

/* Lists the store's terminals and sets the times to now (store time). */
void     dc_police_form_set_session (DcPoliceForm *self, DcSession *session);
void     dc_police_form_set_find (DcPoliceForm *self, DcPoliceFind find);
/* The scope the form names (@scope initialised by the caller, cleared on failure). A field
 * that cannot be read is focused and @error says why. */
gboolean dc_police_form_get_scope (DcPoliceForm *self, DcQueryScope *scope, GError **error);
/* Focus the field that @error (from dc_police_query) is about. */
void     dc_police_form_focus_error (DcPoliceForm *self, const GError *error);
/* Focus the first field of the chosen kind. */
void     dc_police_form_focus (DcPoliceForm *self);

G_END_DECLS
