/* reports/dc-csv.h — RFC 4180 CSV: quoting fields, and reading them back (verify-export, tests). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Append one field: quoted when it holds a comma, a quote, CR or LF (or leading/trailing
 * spaces), quotes doubled. */
void       dc_csv_append_field (GString *out, const char *field);
/* Append @n fields separated by commas and ended by CRLF. NULL fields are empty. */
void       dc_csv_append_row (GString *out, const char *const *fields, gsize n);

/* Parse RFC 4180 text (an UTF-8 BOM at the start is skipped; CRLF or LF line ends) into
 * rows: a GPtrArray of GStrv (free with g_ptr_array_unref), every row at least one field;
 * an empty line is a row of one empty field; a last line without its line end counts.
 * Unbalanced quotes, a quote inside an unquoted field, text after a closing quote, a CR
 * outside quotes not followed by LF → NULL with DC_ERROR_INVALID naming the line; text
 * that is not UTF-8 (a NUL byte included) → NULL with DC_ERROR_INVALID. */
GPtrArray *dc_csv_parse (const char *text, gsize len, GError **error);

G_END_DECLS
