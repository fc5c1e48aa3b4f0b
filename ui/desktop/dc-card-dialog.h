/* ui/desktop/dc-card-dialog.h — DcCardDialog: a member's card on screen (number, generation, a QR code to scan from the screen) and printing it. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_CARD_DIALOG (dc_card_dialog_get_type ())
G_DECLARE_FINAL_TYPE (DcCardDialog, dc_card_dialog, DC, CARD_DIALOG, AdwWindow)

/* Show the current card of @member_number (typed or scanned form: full-width digits,
 * spaces and hyphens are fine) in a modal dialog over @parent. Any signed-in staff
 * member may (dc_card_current: counter staff too, not auditors); the counter's actor is
 * used, else the stepped-up manager. A member registered before cards existed is issued
 * card 1 (audited by the core). A card that was ended, an unknown or mistyped number:
 * the dialog says so and offers no print. Escape closes. */
void          dc_card_dialog_present (GtkWindow *parent, DcSession *session, const char *member_number);

/* The same dialog, returned (not yet presented) for callers and tests that drive it. */
DcCardDialog *dc_card_dialog_new (GtkWindow *parent, DcSession *session, const char *member_number);

/* The payload the dialog shows as a QR code; NULL when it shows no card. */
const char   *dc_card_dialog_get_payload (DcCardDialog *self);

/* Print the card through GtkPrintOperation's export path into a PDF file at @path (what
 * "Print Card…" sends to a printer). */
gboolean      dc_card_dialog_print_to (DcCardDialog *self, const char *path, GError **error);

/* A member number as shown to people: digits in groups of four from the left
 * ("1000-0017"). Newly allocated; @member_number is plain digits. */
char         *dc_card_format_number (const char *member_number);

G_END_DECLS
