/* reports/dc-pdf.h — a small paged document for reports: headings, fields, wrapping tables, "n / N" footers; to PDF or any cairo page. */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

/* A document is built first, then laid out on a page size, then drawn: to a PDF file, or
 * page by page onto any cairo context (GtkPrintOperation's draw-page). Text is Pango
 * markup-free UTF-8, set in Noto Sans CJK JP. */
typedef struct _DcPdfDoc DcPdfDoc;

#define DC_PDF_A4_WIDTH   595.276   /* points */
#define DC_PDF_A4_HEIGHT  841.890

DcPdfDoc *dc_pdf_doc_new (gboolean landscape);
void      dc_pdf_doc_free (DcPdfDoc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcPdfDoc, dc_pdf_doc_free)

/* Document metadata (PDF title), also printed large at the top of the first page. */
void dc_pdf_doc_set_title (DcPdfDoc *doc, const char *title);
/* A line printed at the foot of every page, left of "n / N" (e.g. a digest). */
void dc_pdf_doc_set_footer (DcPdfDoc *doc, const char *text);

void dc_pdf_doc_add_heading (DcPdfDoc *doc, const char *text);
void dc_pdf_doc_add_paragraph (DcPdfDoc *doc, const char *text);
/* Label/value lines in two columns; the value wraps. */
void dc_pdf_doc_add_field (DcPdfDoc *doc, const char *label, const char *value);
/* Vertical space in points. */
void dc_pdf_doc_add_space (DcPdfDoc *doc, double points);

/* A table: @n_columns titles and relative widths (any positive numbers; scaled to the text
 * width). Each cell wraps (long addresses, at any character if a word will not fit); a row
 * is never cut across pages (it moves whole to the next page, whose table repeats the
 * header row); a row taller than a page is the only exception and is cut between lines. */
void dc_pdf_doc_begin_table (DcPdfDoc *doc, guint n_columns, const char *const *titles, const double *widths);
void dc_pdf_doc_add_row (DcPdfDoc *doc, const char *const *cells);   /* @n_columns cells; NULL = empty */
void dc_pdf_doc_end_table (DcPdfDoc *doc);

/* Lay out on pages of @width × @height points (after building, before drawing; again for
 * another size). Returns the number of pages (≥ 1). */
guint    dc_pdf_doc_layout (DcPdfDoc *doc, double width, double height);
/* Draw page @page (0-based) of the last layout onto @cr, origin top-left, in points (for
 * GtkPrintOperation: gtk_print_operation_set_unit (op, GTK_UNIT_POINTS), lay out on
 * gtk_print_context_get_width/height, draw here). Text is set with the document's own
 * unhinted 72 dpi pango context, whatever @cr's target, so print and PDF break lines
 * alike. The footer's "n / N" has narrow spaces: pdftotext -layout may print "n/N". */
void     dc_pdf_doc_draw_page (DcPdfDoc *doc, cairo_t *cr, guint page);
/* Lay out on A4 (landscape if so created) and write a PDF to @path. */
gboolean dc_pdf_doc_write (DcPdfDoc *doc, const char *path, GError **error);

G_END_DECLS
