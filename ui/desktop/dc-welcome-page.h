/* ui/desktop/dc-welcome-page.h — DcWelcomePage. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_WELCOME_PAGE (dc_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (DcWelcomePage, dc_welcome_page, DC, WELCOME_PAGE, GtkWidget)

/* First run: no store yet. Offers to set one up or to open the demo store. Signals:
 *   "setup-requested" (), "demo-requested" (). */
GtkWidget *dc_welcome_page_new (void);

G_END_DECLS
