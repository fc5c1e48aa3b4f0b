/* ui/desktop/dc-manager-identity.h — a decrypted identity record laid out as label and value, for the manager's eyes. */
#pragma once

#include <gtk/gtk.h>
#include "dc-identity.h"

G_BEGIN_DECLS

/* Fill @grid with the fields @identity holds (label, value; values selectable), in the
 * order of the check-in form; fields not given are left out. */
void dc_manager_identity_fill (GtkGrid *grid, const DcIdentity *identity);
/* Remove every row: the decrypted values go, not just out of sight. */
void dc_manager_identity_clear (GtkGrid *grid);

G_END_DECLS
