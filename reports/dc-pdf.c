/* reports/dc-pdf.c — paged documents with pango and cairo: measured once per page size, then drawn to PDF or a printer. */
#include "dc-pdf.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "dc-error.h"

#define FONT_FAMILY    "Noto Sans CJK JP"
#define MARGIN         42.52   /* 15 mm */
#define MAX_COLUMNS    32
#define FOOTER_GAP     6.0     /* between the body and the footer rule */
#define CELL_PAD_X     3.0
#define CELL_PAD_Y     2.5
#define FIELD_LABEL_MAX 130.0
#define GRID_WIDTH     0.4
#define MAX_UNSHAPED_LINES 8
#define LINE_SPACING   0.86    /* of the font's line height: about 1.25 em */
#define TITLE_BLOCK    G_MAXUINT   /* the title is not a block but is placed like one */
#define HEADER_ROW     (-1)

typedef enum {
  STYLE_TITLE,
  STYLE_HEADING,
  STYLE_BODY,
  STYLE_LABEL,
  STYLE_CELL,
  STYLE_CELL_HEAD,
  STYLE_FOOTER,
  N_STYLES
} Style;

static const char *const style_fonts[N_STYLES] = {
  FONT_FAMILY " Bold 16",
  FONT_FAMILY " Bold 12",
  FONT_FAMILY " 9.5",
  FONT_FAMILY " 9",
  FONT_FAMILY " 9",
  FONT_FAMILY " Bold 8.5",
  FONT_FAMILY " 7.5",
};

typedef enum {
  BLOCK_HEADING,
  BLOCK_PARAGRAPH,
  BLOCK_FIELD,
  BLOCK_SPACE,
  BLOCK_TABLE,
} BlockKind;

typedef struct {
  guint      n_columns;
  char     **titles;
  double    *widths;    /* relative */
  GPtrArray *rows;      /* GStrv of n_columns, never holding NULL cells */
} Table;

typedef struct {
  BlockKind kind;
  char     *text;       /* heading, paragraph, field value */
  char     *label;      /* field */
  double    space;      /* space */
  Table    *table;
} Block;

/* A unit (the title, a block, a table row) or the part of one that fell on a page. Lines of
 * the unit whose top lies in [from, to) are drawn, each at origin + its top. */
typedef struct {
  guint  block;
  gint   row;         /* table row, HEADER_ROW, or 0 */
  double y, height;   /* the box on the page: backgrounds and grid */
  double origin;
  double from, to;
} Placement;

/* One cell of a unit: where its text goes. */
typedef struct {
  const char *text;
  Style       style;
  double      x, width;              /* the box, from the page's left edge */
  double      pad_x, pad_top, pad_bottom;
} Cell;

typedef struct {
  double top, bottom;
} LineSpan;

typedef struct {
  double  ascii[95];   /* advance of ' ' … '~', each set alone */
  double  em;
  GArray *heights;     /* double: the height of 1, 2 … lines */
} StyleMetrics;

struct _DcPdfDoc {
  gboolean              landscape;
  char                 *title;
  char                 *footer;
  GArray               *blocks;       /* Block */
  gboolean              table_open;   /* the last block is a table still taking rows */
  PangoContext         *context;
  PangoFontDescription *fonts[N_STYLES];
  PangoAttrList        *attributes;
  StyleMetrics          metrics[N_STYLES];

  /* The last layout. */
  double                width, height;
  double                left, text_width, body_top, body_bottom, footer_top;
  GPtrArray            *pages;        /* GArray of Placement */
};

/* ---- building ---- */

static void
table_free (Table *table)
{
  g_strfreev (table->titles);
  g_free (table->widths);
  g_ptr_array_unref (table->rows);
  g_free (table);
}

static void
block_clear (gpointer data)
{
  Block *block = data;

  g_free (block->text);
  g_free (block->label);
  g_clear_pointer (&block->table, table_free);
}

/* Text from callers is drawn whatever it holds: invalid UTF-8 becomes replacement marks. */
static char *
clean_text (const char *text)
{
  return g_utf8_make_valid (text != NULL ? text : "", -1);
}

DcPdfDoc *
dc_pdf_doc_new (gboolean landscape)
{
  DcPdfDoc *doc = g_new0 (DcPdfDoc, 1);

  doc->landscape = landscape;
  doc->blocks = g_array_new (FALSE, TRUE, sizeof (Block));
  g_array_set_clear_func (doc->blocks, block_clear);
  doc->pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  return doc;
}

void
dc_pdf_doc_free (DcPdfDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->title);
  g_free (doc->footer);
  g_array_unref (doc->blocks);
  g_ptr_array_unref (doc->pages);
  for (guint i = 0; i < N_STYLES; i++)
    {
      g_clear_pointer (&doc->fonts[i], pango_font_description_free);
      g_clear_pointer (&doc->metrics[i].heights, g_array_unref);
    }
  g_clear_pointer (&doc->attributes, pango_attr_list_unref);
  g_clear_object (&doc->context);
  g_free (doc);
}

void
dc_pdf_doc_set_title (DcPdfDoc *doc, const char *title)
{
  g_return_if_fail (doc != NULL);

  g_free (doc->title);
  doc->title = title != NULL ? clean_text (title) : NULL;
}

void
dc_pdf_doc_set_footer (DcPdfDoc *doc, const char *text)
{
  g_return_if_fail (doc != NULL);

  g_free (doc->footer);
  doc->footer = text != NULL ? clean_text (text) : NULL;
}

static Block *
append_block (DcPdfDoc *doc, BlockKind kind)
{
  Block block = { kind };

  doc->table_open = FALSE;
  g_array_append_val (doc->blocks, block);
  return &g_array_index (doc->blocks, Block, doc->blocks->len - 1);
}

void
dc_pdf_doc_add_heading (DcPdfDoc *doc, const char *text)
{
  g_return_if_fail (doc != NULL);

  append_block (doc, BLOCK_HEADING)->text = clean_text (text);
}

void
dc_pdf_doc_add_paragraph (DcPdfDoc *doc, const char *text)
{
  g_return_if_fail (doc != NULL);

  append_block (doc, BLOCK_PARAGRAPH)->text = clean_text (text);
}

void
dc_pdf_doc_add_field (DcPdfDoc *doc, const char *label, const char *value)
{
  Block *block;

  g_return_if_fail (doc != NULL);

  block = append_block (doc, BLOCK_FIELD);
  block->label = clean_text (label);
  block->text = clean_text (value);
}

void
dc_pdf_doc_add_space (DcPdfDoc *doc, double points)
{
  g_return_if_fail (doc != NULL);
  g_return_if_fail (points >= 0);

  append_block (doc, BLOCK_SPACE)->space = points;
}

void
dc_pdf_doc_begin_table (DcPdfDoc *doc, guint n_columns, const char *const *titles, const double *widths)
{
  Table *table;

  g_return_if_fail (doc != NULL);
  g_return_if_fail (n_columns >= 1 && n_columns <= MAX_COLUMNS);
  g_return_if_fail (titles != NULL && widths != NULL);

  table = g_new0 (Table, 1);
  table->n_columns = n_columns;
  table->titles = g_new0 (char *, n_columns + 1);
  table->widths = g_new (double, n_columns);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  for (guint i = 0; i < n_columns; i++)
    {
      table->titles[i] = clean_text (titles[i]);
      table->widths[i] = widths[i] > 0 ? widths[i] : 1.0;
    }
  append_block (doc, BLOCK_TABLE)->table = table;
  doc->table_open = TRUE;
}

void
dc_pdf_doc_add_row (DcPdfDoc *doc, const char *const *cells)
{
  Table *table;
  char **row;

  g_return_if_fail (doc != NULL);
  g_return_if_fail (doc->table_open);
  g_return_if_fail (cells != NULL);

  table = g_array_index (doc->blocks, Block, doc->blocks->len - 1).table;
  row = g_new0 (char *, table->n_columns + 1);
  for (guint i = 0; i < table->n_columns; i++)
    row[i] = clean_text (cells[i]);
  g_ptr_array_add (table->rows, row);
}

void
dc_pdf_doc_end_table (DcPdfDoc *doc)
{
  g_return_if_fail (doc != NULL);

  doc->table_open = FALSE;
}

/* ---- measuring ---- */

/* Metrics unhinted at 72 dpi: a layout measures the same for the PDF and for any printer,
 * and is drawn from this same context whatever cairo context it lands on. */
static void
ensure_context (DcPdfDoc *doc)
{
  cairo_font_options_t *options;

  if (doc->context != NULL)
    return;
  doc->context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  pango_cairo_context_set_resolution (doc->context, 72.0);
  options = cairo_font_options_create ();
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (doc->context, options);
  cairo_font_options_destroy (options);
  pango_context_set_round_glyph_positions (doc->context, FALSE);
  /* Japanese glyph forms for the han characters shared with Chinese. */
  pango_context_set_language (doc->context, pango_language_from_string ("ja-jp"));
  for (guint i = 0; i < N_STYLES; i++)
    doc->fonts[i] = pango_font_description_from_string (style_fonts[i]);
  /* An "ff" drawn as one glyph in a digest is one character fewer to compare by eye. */
  doc->attributes = pango_attr_list_new ();
  pango_attr_list_insert (doc->attributes, pango_attr_font_features_new ("liga 0, clig 0, dlig 0"));
}

static PangoLayout *
new_layout (DcPdfDoc *doc, Style style, const char *text, double width)
{
  PangoLayout *layout = pango_layout_new (doc->context);

  pango_layout_set_font_description (layout, doc->fonts[style]);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  /* Noto Sans CJK's own leading (1.45 em) spreads tables thin. */
  pango_layout_set_line_spacing (layout, LINE_SPACING);
  if (width > 0)
    pango_layout_set_width (layout, pango_units_from_double (width));
  /* Only where a ligature could form: font features double the cost of shaping. */
  if (strchr (text, 'f') != NULL)
    pango_layout_set_attributes (layout, doc->attributes);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return pango_units_to_double (height);
}

static double
text_width_of (DcPdfDoc *doc, Style style, const char *text)
{
  g_autoptr(PangoLayout) layout = new_layout (doc, style, text, -1);
  int width;

  pango_layout_get_size (layout, &width, NULL);
  return pango_units_to_double (width);
}

static const Block *
block_at (const DcPdfDoc *doc, guint index)
{
  return &g_array_index (doc->blocks, Block, index);
}

static guint
table_cells (const DcPdfDoc *doc, const Table *table, gint row, Cell *cells)
{
  double total = 0;
  double x = doc->left;
  char **texts = row == HEADER_ROW ? table->titles : g_ptr_array_index (table->rows, (guint) row);

  for (guint i = 0; i < table->n_columns; i++)
    total += table->widths[i];
  for (guint i = 0; i < table->n_columns; i++)
    {
      double w = doc->text_width * table->widths[i] / total;

      cells[i] = (Cell) { texts[i], row == HEADER_ROW ? STYLE_CELL_HEAD : STYLE_CELL, x, w,
                          CELL_PAD_X, CELL_PAD_Y, CELL_PAD_Y };
      x += w;
    }
  return table->n_columns;
}

static double
field_label_width (const DcPdfDoc *doc)
{
  return MIN (FIELD_LABEL_MAX, doc->text_width * 0.3);
}

/* The cells of a unit; their count. */
static guint
unit_cells (const DcPdfDoc *doc, guint index, gint row, Cell *cells)
{
  const Block *block;
  double label_w;

  if (index == TITLE_BLOCK)
    {
      cells[0] = (Cell) { doc->title, STYLE_TITLE, doc->left, doc->text_width, 0, 0, 10 };
      return 1;
    }
  block = block_at (doc, index);
  switch (block->kind)
    {
    case BLOCK_HEADING:
      cells[0] = (Cell) { block->text, STYLE_HEADING, doc->left, doc->text_width, 0, 8, 4 };
      return 1;
    case BLOCK_PARAGRAPH:
      cells[0] = (Cell) { block->text, STYLE_BODY, doc->left, doc->text_width, 0, 2, 2 };
      return 1;
    case BLOCK_FIELD:
      label_w = field_label_width (doc);
      cells[0] = (Cell) { block->label, STYLE_LABEL, doc->left, label_w, 0, 1.5, 1.5 };
      cells[1] = (Cell) { block->text, STYLE_BODY, doc->left + label_w, doc->text_width - label_w, 6, 1.5, 1.5 };
      return 2;
    case BLOCK_TABLE:
      return table_cells (doc, block->table, row, cells);
    case BLOCK_SPACE:
      break;
    }
  g_assert_not_reached ();
}

static void
collect_lines (PangoLayout *layout, double top, GArray *lines)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      int y0, y1;
      LineSpan span;

      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      span.top = top + pango_units_to_double (y0);
      span.bottom = top + pango_units_to_double (y1);
      g_array_append_val (lines, span);
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

/* ---- measuring without shaping ---- */

/* Characters Noto Sans CJK JP sets at most one em wide in its own line height: CJK
 * punctuation, kana, the unified ideographs of Unicode 1.1, full- and half-width forms. */
static gboolean
is_plain_wide (gunichar c)
{
  return (c >= 0x3000 && c <= 0x3011) || c == 0x301C || (c >= 0x3041 && c <= 0x3096)
         || (c >= 0x309B && c <= 0x309E) || (c >= 0x30A1 && c <= 0x30FE)
         || (c >= 0x4E00 && c <= 0x9FA5) || (c >= 0xFF01 && c <= 0xFF9F);
}

static StyleMetrics *
style_metrics (DcPdfDoc *doc, Style style)
{
  StyleMetrics *m = &doc->metrics[style];

  if (m->heights != NULL)
    return m;
  m->em = pango_units_to_double (pango_font_description_get_size (doc->fonts[style]));
  for (guint i = 0; i < G_N_ELEMENTS (m->ascii); i++)
    {
      char text[2] = { (char) (' ' + i), '\0' };

      m->ascii[i] = text_width_of (doc, style, text);
    }
  m->heights = g_array_new (FALSE, FALSE, sizeof (double));
  return m;
}

/* The height of @n_lines lines: every line of these characters is as tall. */
static double
lines_height (DcPdfDoc *doc, Style style, guint n_lines)
{
  StyleMetrics *m = style_metrics (doc, style);

  while (m->heights->len < n_lines)
    {
      g_autoptr(GString) text = g_string_new ("あ");
      double height;

      for (guint i = 0; i < m->heights->len; i++)
        g_string_append (text, "\nあ");
      {
        g_autoptr(PangoLayout) layout = new_layout (doc, style, text->str, -1);

        height = layout_height (layout);
      }
      g_array_append_val (m->heights, height);
    }
  return g_array_index (m->heights, double, n_lines - 1);
}

/* Most cells (times, numbers, labels, short names) are short lines that cannot wrap: their
 * height follows from the widest their characters could be, without shaping them. FALSE
 * when that is not certain. */
static gboolean
unshaped_height (DcPdfDoc *doc, const Cell *cell, double *height)
{
  StyleMetrics *m = style_metrics (doc, cell->style);
  double room = cell->width - 2 * cell->pad_x;
  double line = 0;
  guint n_lines = 1;

  for (const char *p = cell->text;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\0' || c == '\n')
        {
          /* Kerning and rounding never add 2 % and half a point. */
          if (line * 1.02 + 0.5 > room)
            return FALSE;
          if (c == '\0')
            break;
          line = 0;
          if (++n_lines > MAX_UNSHAPED_LINES)
            return FALSE;
        }
      else if (c >= ' ' && c <= '~')
        line += m->ascii[c - ' '];
      else if (is_plain_wide (c) && g_unichar_type (c) != G_UNICODE_UNASSIGNED)
        line += m->em;
      else
        return FALSE;
    }
  *height = cell->pad_top + lines_height (doc, cell->style, n_lines) + cell->pad_bottom;
  return TRUE;
}

/* The height of a unit with its padding; its lines too when @lines is not NULL. */
static double
measure_unit (DcPdfDoc *doc, guint index, gint row, GArray *lines)
{
  Cell cells[MAX_COLUMNS];
  guint n = unit_cells (doc, index, row, cells);
  double height = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PangoLayout) layout = NULL;
      double cell_height;

      if (lines == NULL && unshaped_height (doc, &cells[i], &cell_height))
        {
          height = MAX (height, cell_height);
          continue;
        }
      layout = new_layout (doc, cells[i].style, cells[i].text, cells[i].width - 2 * cells[i].pad_x);
      height = MAX (height, cells[i].pad_top + layout_height (layout) + cells[i].pad_bottom);
      if (lines != NULL)
        collect_lines (layout, cells[i].pad_top, lines);
    }
  return height;
}

/* ---- assigning units to pages ---- */

typedef struct {
  DcPdfDoc *doc;
  GArray   *page;      /* Placement, the page being filled */
  double    y;
  gint      table;     /* the block of a table whose header each new page repeats; -1 none */
} Flow;

static void place_table_header (Flow *flow);

static void
new_page (Flow *flow)
{
  flow->page = g_array_new (FALSE, TRUE, sizeof (Placement));
  g_ptr_array_add (flow->doc->pages, flow->page);
  flow->y = flow->doc->body_top;
  if (flow->table >= 0)
    place_table_header (flow);
}

static gboolean
at_page_top (const Flow *flow)
{
  return flow->page->len == 0 || (flow->table >= 0 && flow->page->len == 1);
}

static void
place (Flow *flow, guint block, gint row, double height, double origin, double from, double to)
{
  Placement p = { block, row, flow->y, height, origin, from, to };

  g_array_append_val (flow->page, p);
  flow->y += height;
}

static void
place_table_header (Flow *flow)
{
  double height = measure_unit (flow->doc, (guint) flow->table, HEADER_ROW, NULL);

  place (flow, (guint) flow->table, HEADER_ROW, height, flow->y, 0, G_MAXDOUBLE);
}

static gint
compare_spans (gconstpointer a, gconstpointer b)
{
  const LineSpan *x = a, *y = b;

  return (x->top > y->top) - (x->top < y->top);
}

/* The lowest bottom of the lines whose top is in [from, to). */
static double
lines_bottom (GArray *lines, double from, double to)
{
  double bottom = from;

  for (guint i = 0; i < lines->len; i++)
    {
      LineSpan *s = &g_array_index (lines, LineSpan, i);

      if (s->top >= from && s->top < to)
        bottom = MAX (bottom, s->bottom);
    }
  return bottom;
}

/* The furthest cut after @from (a line top, or G_MAXDOUBLE for the end) such that the
 * lines starting before it fit in @room; -1 when not even one line fits. */
static double
furthest_cut (GArray *lines, double from, double room)
{
  for (guint i = lines->len + 1; i-- > 0;)
    {
      double cut = i == lines->len ? G_MAXDOUBLE : g_array_index (lines, LineSpan, i).top;

      if (cut > from && lines_bottom (lines, from, cut) - from <= room)
        return cut;
    }
  return -1;
}

static double
next_line_top (GArray *lines, double from)
{
  for (guint i = 0; i < lines->len; i++)
    if (g_array_index (lines, LineSpan, i).top > from)
      return g_array_index (lines, LineSpan, i).top;
  return G_MAXDOUBLE;
}

/* A unit taller than a page: cut between lines, the parts on successive pages, each part
 * after the first with the top padding again. */
static void
place_split (Flow *flow, guint block, gint row)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (LineSpan));
  Cell cells[MAX_COLUMNS];
  guint n = unit_cells (flow->doc, block, row, cells);
  double pad_top = 0, pad_bottom = 0;
  double from = 0;

  for (guint i = 0; i < n; i++)
    {
      pad_top = MAX (pad_top, cells[i].pad_top);
      pad_bottom = MAX (pad_bottom, cells[i].pad_bottom);
    }
  measure_unit (flow->doc, block, row, lines);
  g_array_sort (lines, compare_spans);
  for (gboolean first = TRUE;; first = FALSE)
    {
      double shift = first ? 0 : pad_top;
      double to = furthest_cut (lines, from, flow->doc->body_bottom - flow->y - shift - pad_bottom);

      if (to < 0 && !at_page_top (flow))
        {
          new_page (flow);
          to = furthest_cut (lines, from, flow->doc->body_bottom - flow->y - shift - pad_bottom);
        }
      if (to < 0)   /* one line taller than a page: the page's edge cuts it */
        to = next_line_top (lines, from);
      place (flow, block, row, lines_bottom (lines, from, to) - from + shift + pad_bottom, flow->y + shift - from,
             from, to);
      if (to == G_MAXDOUBLE)
        return;
      new_page (flow);
      from = to;
    }
}

/* Place a unit of height @height whole, on this page or the next; cut it only when it is
 * taller than a whole page. */
static void
place_unit (Flow *flow, guint block, gint row, double height)
{
  double room = flow->doc->body_bottom - flow->y;

  if (height <= room)
    {
      place (flow, block, row, height, flow->y, 0, G_MAXDOUBLE);
      return;
    }
  if (!at_page_top (flow) && height <= flow->doc->body_bottom - flow->doc->body_top)
    {
      new_page (flow);
      if (height <= flow->doc->body_bottom - flow->y)
        {
          place (flow, block, row, height, flow->y, 0, G_MAXDOUBLE);
          return;
        }
    }
  place_split (flow, block, row);
}

/* A heading stays with what follows it up to the next heading, table or space (a table's
 * header row and first row); a run of fields stays together. The height of that group. */
static double
group_height (DcPdfDoc *doc, guint index)
{
  double height = 0;
  BlockKind first = block_at (doc, index)->kind;

  for (guint i = index; i < doc->blocks->len; i++)
    {
      const Block *b = block_at (doc, i);

      if (i > index && (b->kind == BLOCK_HEADING || b->kind == BLOCK_SPACE))
        break;
      if (b->kind == BLOCK_TABLE)
        {
          if (i > index)
            {
              height += measure_unit (doc, i, HEADER_ROW, NULL);
              if (b->table->rows->len > 0)
                height += measure_unit (doc, i, 0, NULL);
            }
          break;
        }
      if (first == BLOCK_FIELD && b->kind != BLOCK_FIELD)
        break;
      height += measure_unit (doc, i, 0, NULL);
    }
  return height;
}

static gboolean
starts_group (const DcPdfDoc *doc, guint index)
{
  const Block *b = block_at (doc, index);

  if (b->kind == BLOCK_HEADING)
    return TRUE;
  return b->kind == BLOCK_FIELD && (index == 0 || block_at (doc, index - 1)->kind != BLOCK_FIELD);
}

static void
flow_table (Flow *flow, guint index)
{
  const Table *table = block_at (flow->doc, index)->table;
  double header = measure_unit (flow->doc, index, HEADER_ROW, NULL);
  double first = table->rows->len > 0 ? measure_unit (flow->doc, index, 0, NULL) : 0;
  double body = flow->doc->body_bottom - flow->doc->body_top;

  /* A header row alone at the foot of a page says nothing. */
  if (!at_page_top (flow) && header + first > flow->doc->body_bottom - flow->y && header + first <= body)
    new_page (flow);
  flow->table = (gint) index;
  place_table_header (flow);
  for (guint r = 0; r < table->rows->len; r++)
    place_unit (flow, index, (gint) r, r == 0 ? first : measure_unit (flow->doc, index, (gint) r, NULL));
  flow->table = -1;
}

static void
flow_block (Flow *flow, guint index)
{
  const Block *block = block_at (flow->doc, index);
  double body = flow->doc->body_bottom - flow->doc->body_top;

  switch (block->kind)
    {
    case BLOCK_SPACE:
      if (!at_page_top (flow))
        flow->y = MIN (flow->y + block->space, flow->doc->body_bottom);
      return;
    case BLOCK_TABLE:
      flow_table (flow, index);
      return;
    case BLOCK_HEADING:
    case BLOCK_PARAGRAPH:
    case BLOCK_FIELD:
      break;
    }
  if (starts_group (flow->doc, index) && !at_page_top (flow))
    {
      double group = group_height (flow->doc, index);

      if (group > flow->doc->body_bottom - flow->y && group <= body)
        new_page (flow);
    }
  place_unit (flow, index, 0, measure_unit (flow->doc, index, 0, NULL));
}

static double
footer_height (DcPdfDoc *doc)
{
  double number_w = text_width_of (doc, STYLE_FOOTER, "0000 / 0000");
  g_autoptr(PangoLayout) left = new_layout (doc, STYLE_FOOTER, doc->footer != NULL ? doc->footer : "",
                                             doc->text_width - number_w - 12);
  g_autoptr(PangoLayout) right = new_layout (doc, STYLE_FOOTER, "1 / 1", -1);

  return MAX (layout_height (left), layout_height (right));
}

guint
dc_pdf_doc_layout (DcPdfDoc *doc, double width, double height)
{
  double margin;
  Flow flow = { doc, NULL, 0, -1 };

  g_return_val_if_fail (doc != NULL, 1);
  g_return_val_if_fail (width > 0 && height > 0, 1);

  ensure_context (doc);
  margin = MIN (MARGIN, MIN (width, height) / 8);
  doc->width = width;
  doc->height = height;
  doc->left = margin;
  doc->text_width = width - 2 * margin;
  doc->body_top = margin;
  doc->footer_top = height - margin - footer_height (doc);
  doc->body_bottom = doc->footer_top - FOOTER_GAP;
  g_ptr_array_set_size (doc->pages, 0);

  new_page (&flow);
  if (doc->title != NULL)
    place_unit (&flow, TITLE_BLOCK, 0, measure_unit (doc, TITLE_BLOCK, 0, NULL));
  for (guint i = 0; i < doc->blocks->len; i++)
    flow_block (&flow, i);
  return doc->pages->len;
}

/* ---- drawing ---- */

static void
draw_cell_lines (DcPdfDoc *doc, cairo_t *cr, const Cell *cell, const Placement *p)
{
  g_autoptr(PangoLayout) layout = new_layout (doc, cell->style, cell->text, cell->width - 2 * cell->pad_x);
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      int y0, y1;
      double top;

      pango_layout_iter_get_line_yrange (iter, &y0, &y1);
      top = cell->pad_top + pango_units_to_double (y0);
      if (top >= p->from && top < p->to)
        {
          PangoRectangle logical;
          double baseline = cell->pad_top + pango_units_to_double (pango_layout_iter_get_baseline (iter));

          pango_layout_iter_get_line_extents (iter, NULL, &logical);
          cairo_move_to (cr, cell->x + cell->pad_x + pango_units_to_double (logical.x),
                         p->origin + baseline);
          pango_cairo_show_layout_line (cr, pango_layout_iter_get_line_readonly (iter));
        }
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static void
draw_table_grid (cairo_t *cr, const Cell *cells, guint n, const Placement *p)
{
  cairo_set_line_width (cr, GRID_WIDTH);
  cairo_set_source_rgb (cr, 0.35, 0.35, 0.35);
  for (guint i = 0; i < n; i++)
    cairo_rectangle (cr, cells[i].x, p->y, cells[i].width, p->height);
  cairo_stroke (cr);
}

static void
draw_placement (DcPdfDoc *doc, cairo_t *cr, const Placement *p)
{
  Cell cells[MAX_COLUMNS];
  guint n = unit_cells (doc, p->block, p->row, cells);
  gboolean table = p->block != TITLE_BLOCK && block_at (doc, p->block)->kind == BLOCK_TABLE;

  if (table && (p->row == HEADER_ROW || p->row % 2 == 1))
    {
      double shade = p->row == HEADER_ROW ? 0.86 : 0.955;

      cairo_set_source_rgb (cr, shade, shade, shade);
      cairo_rectangle (cr, doc->left, p->y, doc->text_width, p->height);
      cairo_fill (cr);
    }
  for (guint i = 0; i < n; i++)
    {
      double ink = cells[i].style == STYLE_LABEL ? 0.3 : 0.0;

      cairo_set_source_rgb (cr, ink, ink, ink);
      draw_cell_lines (doc, cr, &cells[i], p);
    }
  if (table)
    draw_table_grid (cr, cells, n, p);
  if (p->block == TITLE_BLOCK)
    {
      cairo_set_line_width (cr, 0.8);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_move_to (cr, doc->left, p->y + p->height - 5);
      cairo_rel_line_to (cr, doc->text_width, 0);
      cairo_stroke (cr);
    }
}

static void
draw_footer (DcPdfDoc *doc, cairo_t *cr, guint page)
{
  g_autofree char *number = g_strdup_printf ("%u / %u", page + 1, doc->pages->len);
  double number_w = text_width_of (doc, STYLE_FOOTER, "0000 / 0000");
  g_autoptr(PangoLayout) right = new_layout (doc, STYLE_FOOTER, number, -1);
  int right_w;

  cairo_set_line_width (cr, GRID_WIDTH);
  cairo_set_source_rgb (cr, 0.5, 0.5, 0.5);
  cairo_move_to (cr, doc->left, doc->footer_top - FOOTER_GAP / 2);
  cairo_rel_line_to (cr, doc->text_width, 0);
  cairo_stroke (cr);

  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  if (doc->footer != NULL)
    {
      g_autoptr(PangoLayout) left = new_layout (doc, STYLE_FOOTER, doc->footer, doc->text_width - number_w - 12);

      cairo_move_to (cr, doc->left, doc->footer_top);
      pango_cairo_show_layout (cr, left);
    }
  pango_layout_get_size (right, &right_w, NULL);
  cairo_move_to (cr, doc->left + doc->text_width - pango_units_to_double (right_w), doc->footer_top);
  pango_cairo_show_layout (cr, right);
}

void
dc_pdf_doc_draw_page (DcPdfDoc *doc, cairo_t *cr, guint page)
{
  GArray *placements;

  g_return_if_fail (doc != NULL && cr != NULL);
  g_return_if_fail (page < doc->pages->len);

  placements = g_ptr_array_index (doc->pages, page);
  cairo_save (cr);
  for (guint i = 0; i < placements->len; i++)
    draw_placement (doc, cr, &g_array_index (placements, Placement, i));
  draw_footer (doc, cr, page);
  cairo_restore (cr);
}

gboolean
dc_pdf_doc_write (DcPdfDoc *doc, const char *path, GError **error)
{
  double width = doc->landscape ? DC_PDF_A4_HEIGHT : DC_PDF_A4_WIDTH;
  double height = doc->landscape ? DC_PDF_A4_WIDTH : DC_PDF_A4_HEIGHT;
  guint n_pages;
  cairo_surface_t *surface;
  cairo_t *cr;
  cairo_status_t status;

  g_return_val_if_fail (doc != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n_pages = dc_pdf_doc_layout (doc, width, height);
  surface = cairo_pdf_surface_create (path, width, height);
  if (doc->title != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, doc->title);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Daicho");
  cr = cairo_create (surface);
  for (guint i = 0; i < n_pages; i++)
    {
      dc_pdf_doc_draw_page (doc, cr, i);
      cairo_show_page (cr);
    }
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_IO, _("Could not write the PDF file “%s”: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
