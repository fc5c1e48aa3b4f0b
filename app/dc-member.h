/* app/dc-member.h — member numbers: issued at first verification, with a check digit that catches typos. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The member number of customer row @customer_id: "1" followed by the id in at least six
 * digits, then a Damm check digit (catches every single wrong digit and every swap of two
 * neighbours). Newly allocated. */
char     *dc_member_number_for_id (gint64 customer_id);

/* Does @text (ASCII or full-width digits, spaces and hyphens ignored) carry a correct
 * check digit? On TRUE, *@out_normalized (if not NULL) gets the plain digits. */
gboolean  dc_member_number_check (const char *text, char **out_normalized);

G_END_DECLS
