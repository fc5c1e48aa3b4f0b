/* ui/desktop/dc-setup-assistant.h — DcSetupAssistant. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_SETUP_ASSISTANT (dc_setup_assistant_get_type ())
G_DECLARE_FINAL_TYPE (DcSetupAssistant, dc_setup_assistant, DC, SETUP_ASSISTANT, GtkWidget)

/* The first-run assistant: store, operator, profile, manager and passphrase, the recovery key
 * (shown once as text and QR, printable, confirmed by typing part of it back), terminals
 * (a range at once, filtered ones marked) and the first staff with PINs.
 * Signals: "finished" (gpointer store: a DcStore *, ownership passes to the handler),
 *          "cancelled" (). */
/* @store_dir: where the store is made (NULL: dc_store_default_dir ()). */
GtkWidget *dc_setup_assistant_new (const char *store_dir);

/* For tests: the Print button writes the sheet to @pdf_path instead of opening the print
 * dialog (NULL: the dialog again). */
void       dc_setup_assistant_set_print_export (DcSetupAssistant *self, const char *pdf_path);

G_END_DECLS
