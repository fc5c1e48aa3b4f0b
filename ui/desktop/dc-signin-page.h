/* ui/desktop/dc-signin-page.h — DcSigninPage. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_SIGNIN_PAGE (dc_signin_page_get_type ())
G_DECLARE_FINAL_TYPE (DcSigninPage, dc_signin_page, DC, SIGNIN_PAGE, GtkWidget)

/* Sign-in at the counter: pick a name, enter the PIN on a pad that also takes the keyboard.
 * Five wrong PINs lock the account. Calls dc_session_sign_in; the window follows
 * DcSession:signed-in. Shows no customer information. */
GtkWidget *dc_signin_page_new (DcSession *session);
/* Reload the staff list and clear the PIN (called whenever the page is shown). */
void       dc_signin_page_reset (DcSigninPage *self);

G_END_DECLS
