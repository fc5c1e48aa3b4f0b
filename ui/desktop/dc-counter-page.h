/* ui/desktop/dc-counter-page.h — DcCounterPage. */
#pragma once

#include <adwaita.h>
#include "dc-session.h"

G_BEGIN_DECLS

#define DC_TYPE_COUNTER_PAGE (dc_counter_page_get_type ())
G_DECLARE_FINAL_TYPE (DcCounterPage, dc_counter_page, DC, COUNTER_PAGE, GtkWidget)

/* The counter screen: the terminal board, the in-store list, the header, the actions
 * (F2 check-in, F4 check-out, F6 seat change, Ctrl+F find a customer) and toasts. */
GtkWidget *dc_counter_page_new (DcSession *session);
/* Re-read the board (also done on DcSession::changed and once a minute for the clock). */
void       dc_counter_page_refresh (DcCounterPage *self);

G_END_DECLS
