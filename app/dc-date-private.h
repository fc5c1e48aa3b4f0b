/* app/dc-date-private.h — what dc-date.c and dc-time.c share: the input normaliser and the years they accept. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DC_DATE_MIN_YEAR 1868
#define DC_DATE_MAX_YEAR 9999

/* NFKC (full-width digits, letters and punctuation become ASCII; ㍻ becomes 平成),
 * dashes become '-', any white space one ' ', ends trimmed. NULL if not UTF-8. */
char *dc_date_normalize_input (const char *text);

G_END_DECLS
