/* ui/desktop/dc-counter-page.c — the counter screen: terminal board, in-store list, check-in, check-out, seat change. */
#include "dc-counter-page.h"
#include "dc-card-dialog.h"
#include "dc-checkin.h"
#include "dc-checkin-dialog.h"
#include "dc-counter-picker.h"
#include "dc-counter-scan.h"
#include "dc-terminal-item.h"
#include "dc-visit-item.h"

#include <glib/gi18n-lib.h>

#define MINUTE_US (60 * G_USEC_PER_SEC)
/* A minor this close to the curfew is shown in the error colour. */
#define CURFEW_SOON_MINUTES 30

typedef enum {
  CELL_TEXT,
  CELL_TIME,
  CELL_ELAPSED,
  CELL_MINOR,
  CELL_CURFEW,
} CellKind;

/* One column of the in-store list: how its cells show an item, its header and its order. */
typedef struct {
  DcCounterPage *page;
  const char    *property;
  CellKind       kind;
  gboolean       expand;
  int            width;    /* px, header and cells alike */
  GtkButton     *header;
  GtkImage      *arrow;    /* the sort order, on the sorted column */
  GtkSorter     *sorter;   /* ascending */
} Column;

enum { COL_MEMBER, COL_TERMINAL, COL_ENTERED, COL_ELAPSED, COL_MINOR, COL_CURFEW, N_COLUMNS };

struct _DcCounterPage
{
  GtkWidget            parent_instance;

  GtkWidget           *content;
  AdwWindowTitle      *window_title;
  AdwToastOverlay     *toasts;
  GtkGridView         *board;
  GtkSingleSelection  *board_selection;
  GListStore          *terminals;
  GtkLabel            *board_summary;
  GtkGridView         *visit_view;
  GtkBox              *visit_header;
  GtkSingleSelection  *visit_selection;
  GtkSortListModel    *visit_sort;
  GtkSorter           *visit_sorter;
  GListStore          *visits;
  GtkStack            *visit_stack;
  GtkLabel            *visit_summary;

  Column               columns[N_COLUMNS];
  guint                sort_column;
  GtkSortType          sort_order;
  DcSession           *session;
  DcCounterScan       *scan;           /* card scans, while the counter shows */
  AdwToast            *toast;          /* the one on screen, dismissed by the next */
  guint                tick;
  gint64               shown_minute;   /* store minute of the last refresh */
};

G_DEFINE_FINAL_TYPE (DcCounterPage, dc_counter_page, GTK_TYPE_WIDGET)

/* ---- formatting ---- */

static char *
format_store_time (DcCounterPage *self, gint64 at, const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, dc_store_timezone (dc_session_get_store (self->session)));

  return g_date_time_format (local, format);
}

/* The same, short enough for a tile. */
static char *
format_curfew_short (gint minutes)
{
  if (minutes < 60)
    return dc_counter_format_curfew (minutes);
  /* Translators: hours:minutes before a minor must leave, on a terminal tile */
  return g_strdup_printf (_("%d:%02d left"), minutes / 60, minutes % 60);
}

static const char *
state_text (DcTerminalState state)
{
  switch (state)
    {
    case DC_TERMINAL_FREE:
      return C_("terminal state", "Free");
    case DC_TERMINAL_IN_USE:
      return C_("terminal state", "In use");
    case DC_TERMINAL_OUT_OF_ORDER:
      return C_("terminal state", "Out of order");
    default:
      g_assert_not_reached ();
    }
}

static const char *
state_class (DcTerminalState state)
{
  switch (state)
    {
    case DC_TERMINAL_FREE:
      return "free";
    case DC_TERMINAL_IN_USE:
      return "in-use";
    case DC_TERMINAL_OUT_OF_ORDER:
      return "out-of-order";
    default:
      g_assert_not_reached ();
    }
}

/* ---- toasts ---- */

static void
on_toast_dismissed (AdwToast *toast, DcCounterPage *self)
{
  if (self->toast == toast)
    g_clear_object (&self->toast);
}

/* Only the newest confirmation matters at a busy counter: it replaces the one showing.
 * With @member, the toast's button opens that member's card (10 s to reach it). */
static void
show_toast_with_card (DcCounterPage *self, const char *text, const char *member)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (markup);

  if (member != NULL)
    {
      adw_toast_set_button_label (toast, _("_Member Card"));
      adw_toast_set_action_target_value (toast, g_variant_new_string (member));
      adw_toast_set_action_name (toast, "counter.card");
      adw_toast_set_timeout (toast, 10);
    }
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  self->toast = g_object_ref (toast);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self, 0);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

static void
show_toast (DcCounterPage *self, const char *text)
{
  show_toast_with_card (self, text, NULL);
}

/* ---- the board's tiles ---- */

/* What changes with a check-in, or each minute (state, elapsed time, member number, time
 * to the curfew), is shown in GtkInscriptions: their size does not follow their text, so
 * the minute's update of every tile on the board is a redraw, not a new layout. */
typedef struct {
  GtkWidget      *root;
  GtkLabel       *label;
  GtkLabel       *filtered;
  GtkInscription *state;
  GtkInscription *elapsed;
  GtkInscription *member;
  GtkWidget      *badge;
  GtkInscription *curfew;
  DcTerminalItem *item;
  gulong          notify_id;
  int             shown_state;   /* -1 after binding */
} Tile;

static GtkLabel *
tile_label (GtkWidget *box, float xalign, const char *css_class, gboolean hexpand)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, hexpand);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_box_append (GTK_BOX (box), label);
  return GTK_LABEL (label);
}

static GtkInscription *
tile_text (GtkWidget *box, float xalign, const char *css_class, guint chars)
{
  GtkWidget *text = gtk_inscription_new (NULL);

  gtk_inscription_set_xalign (GTK_INSCRIPTION (text), xalign);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (text), chars);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (text), chars);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (text), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_set_hexpand (text, chars == 0);
  gtk_widget_add_css_class (text, css_class);
  gtk_box_append (GTK_BOX (box), text);
  return GTK_INSCRIPTION (text);
}

static GtkWidget *
tile_row (Tile *tile)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  gtk_box_append (GTK_BOX (tile->root), row);
  return row;
}

/* The booth, asked for only when the pointer rests on a tile: setting a tooltip text on every
 * update would ask the X server where the pointer is, each time. */
static gboolean
on_tile_query_tooltip (GtkWidget *root, int x, int y, gboolean keyboard, GtkTooltip *tooltip, Tile *tile)
{
  g_autofree char *text = NULL;

  if (tile->item == NULL || dc_terminal_item_get_booth (tile->item) == NULL)
    return FALSE;
  text = g_strdup_printf (_("Booth %s"), dc_terminal_item_get_booth (tile->item));
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
tile_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item, DcCounterPage *self)
{
  Tile *tile = g_new0 (Tile, 1);
  GtkWidget *row;

  tile->root = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  row = tile_row (tile);
  tile->label = tile_label (row, 0, "label-big", TRUE);
  tile->filtered = tile_label (row, 1, "caption", FALSE);
  gtk_label_set_ellipsize (tile->filtered, PANGO_ELLIPSIZE_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (tile->filtered), "filter-tag");
  row = tile_row (tile);
  tile->state = tile_text (row, 0, "caption", 0);
  tile->elapsed = tile_text (row, 1, "numeric", 5);
  row = tile_row (tile);
  tile->member = tile_text (row, 0, "numeric", 0);
  row = tile_row (tile);
  tile->badge = gtk_label_new (_("Minor"));
  gtk_widget_add_css_class (tile->badge, "minor-badge");
  gtk_widget_add_css_class (tile->badge, "caption");
  gtk_box_append (GTK_BOX (row), tile->badge);
  tile->curfew = tile_text (row, 1, "caption", 0);

  gtk_widget_set_has_tooltip (tile->root, TRUE);
  g_signal_connect (tile->root, "query-tooltip", G_CALLBACK (on_tile_query_tooltip), tile);
  gtk_list_item_set_child (list_item, tile->root);
  g_object_set_data_full (G_OBJECT (list_item), "dc-tile", tile, g_free);
}

static void
tile_sync (Tile *tile)
{
  DcTerminalItem *item = tile->item;
  DcTerminalState state = dc_terminal_item_get_state (item);
  gboolean in_use = state == DC_TERMINAL_IN_USE;
  gint to_curfew = dc_terminal_item_get_minutes_to_curfew (item);
  g_autofree char *elapsed = in_use ? dc_counter_format_elapsed (dc_terminal_item_get_elapsed (item)) : g_strdup ("");
  g_autofree char *curfew = format_curfew_short (to_curfew);
  const char *classes[] = { "terminal-tile", state_class (state), NULL };

  /* restyling costs even when nothing changes: a check-in on a board of 200 stays within a frame */
  if (tile->shown_state != (int) state)
    gtk_widget_set_css_classes (tile->root, classes);
  tile->shown_state = state;
  gtk_label_set_text (tile->label, dc_terminal_item_get_label (item));
  gtk_label_set_text (tile->filtered, dc_terminal_item_get_filtered (item) ? _("Filtered") : "");
  gtk_inscription_set_text (tile->state, state_text (state));
  gtk_inscription_set_text (tile->elapsed, elapsed);
  gtk_inscription_set_text (tile->member, in_use ? dc_terminal_item_get_member (item) : "");
  gtk_widget_set_visible (tile->badge, dc_terminal_item_get_minor (item));
  gtk_inscription_set_text (tile->curfew, curfew);
  if (to_curfew >= 0 && to_curfew <= CURFEW_SOON_MINUTES)
    gtk_widget_add_css_class (GTK_WIDGET (tile->curfew), "curfew-soon");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (tile->curfew), "curfew-soon");
}

static void
tile_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item, DcCounterPage *self)
{
  Tile *tile = g_object_get_data (G_OBJECT (list_item), "dc-tile");

  tile->item = gtk_list_item_get_item (list_item);
  tile->shown_state = -1;
  tile->notify_id = g_signal_connect_swapped (tile->item, "notify", G_CALLBACK (tile_sync), tile);
  tile_sync (tile);
}

static void
tile_unbind (GtkSignalListItemFactory *factory, GtkListItem *list_item, DcCounterPage *self)
{
  Tile *tile = g_object_get_data (G_OBJECT (list_item), "dc-tile");

  g_clear_signal_handler (&tile->notify_id, tile->item);
  tile->item = NULL;
}

/* ---- the in-store list ---- */

/* The list is a one-column GtkGridView of rows of GtkInscriptions under a row of header
 * buttons, not a GtkColumnView: GTK 4.8's column view keeps a row widget for each of up to
 * 200 customers and, whenever one row is made or dropped, re-measures every cell of every
 * column; a grid view keeps about 30 rows, and an inscription's size does not follow its
 * text. Header and rows share each column's width, set once from its title and its widest
 * likely text. */

#define CELL_PADDING 6   /* px each side of a cell, header and rows alike (style.css) */

typedef struct {
  DcCounterPage *page;
  GtkWidget     *root;
  GtkWidget     *cells[N_COLUMNS];
  DcVisitItem   *item;
  gulong         notify_id;
} Row;

static GtkWidget *
make_cell (Column *column)
{
  GtkWidget *cell;

  if (column->kind == CELL_MINOR)
    {
      /* the badge in a box of the column's width: showing it does not move the next column */
      GtkWidget *badge = gtk_label_new (_("Minor"));

      cell = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      gtk_widget_set_halign (badge, GTK_ALIGN_START);
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (badge, "minor-badge");
      gtk_box_append (GTK_BOX (cell), badge);
    }
  else
    {
      cell = gtk_inscription_new (NULL);
      gtk_inscription_set_min_chars (GTK_INSCRIPTION (cell), 0);
      gtk_inscription_set_nat_chars (GTK_INSCRIPTION (cell), 0);
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (cell), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      gtk_inscription_set_xalign (GTK_INSCRIPTION (cell), 0);
      if (column->kind != CELL_CURFEW)
        gtk_widget_add_css_class (cell, "numeric");
    }
  gtk_widget_add_css_class (cell, "visit-cell");
  gtk_widget_set_size_request (cell, column->width, -1);
  gtk_widget_set_hexpand (cell, column->expand);
  return cell;
}

static void
row_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item, DcCounterPage *self)
{
  Row *row = g_new0 (Row, 1);

  row->page = self;
  row->root = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (row->root, "visit-row");
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      row->cells[i] = make_cell (&self->columns[i]);
      gtk_box_append (GTK_BOX (row->root), row->cells[i]);
    }
  gtk_list_item_set_child (list_item, row->root);
  g_object_set_data_full (G_OBJECT (list_item), "dc-row", row, g_free);
}

static void
set_cell_text (GtkWidget *cell, const char *text)
{
  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
}

static void
row_sync (Row *row, GParamSpec *pspec)
{
  DcVisitItem *item = row->item;
  gint minutes = dc_visit_item_get_minutes_to_curfew (item);
  g_autofree char *entered = format_store_time (row->page, dc_visit_item_get_entered_at (item), "%H:%M");
  g_autofree char *elapsed = dc_counter_format_elapsed (dc_visit_item_get_elapsed (item));
  g_autofree char *curfew = dc_counter_format_curfew (minutes);
  GtkWidget *curfew_cell = row->cells[COL_CURFEW];

  set_cell_text (row->cells[COL_MEMBER], dc_visit_item_get_member (item));
  set_cell_text (row->cells[COL_TERMINAL], dc_visit_item_get_terminal (item));
  set_cell_text (row->cells[COL_ENTERED], entered);
  set_cell_text (row->cells[COL_ELAPSED], elapsed);
  gtk_widget_set_visible (gtk_widget_get_first_child (row->cells[COL_MINOR]), dc_visit_item_get_minor (item));
  set_cell_text (curfew_cell, curfew);
  if (minutes >= 0 && minutes <= CURFEW_SOON_MINUTES)
    gtk_widget_add_css_class (curfew_cell, "curfew-soon");
  else
    gtk_widget_remove_css_class (curfew_cell, "curfew-soon");
}

static void
row_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item, DcCounterPage *self)
{
  Row *row = g_object_get_data (G_OBJECT (list_item), "dc-row");

  row->item = gtk_list_item_get_item (list_item);
  row->notify_id = g_signal_connect_swapped (row->item, "notify", G_CALLBACK (row_sync), row);
  row_sync (row, NULL);
}

static void
row_unbind (GtkSignalListItemFactory *factory, GtkListItem *list_item, DcCounterPage *self)
{
  Row *row = g_object_get_data (G_OBJECT (list_item), "dc-row");

  g_clear_signal_handler (&row->notify_id, row->item);
  row->item = NULL;
}

/* Minors first, soonest curfew first; then everyone else. */
static int
compare_curfew (gconstpointer a, gconstpointer b, gpointer user_data)
{
  gint x = dc_visit_item_get_minutes_to_curfew ((DcVisitItem *) a);
  gint y = dc_visit_item_get_minutes_to_curfew ((DcVisitItem *) b);

  x = x < 0 ? G_MAXINT : x;
  y = y < 0 ? G_MAXINT : y;
  return x < y ? -1 : x > y;
}

static GtkSorter *
column_sorter (Column *column)
{
  GtkExpression *expression = gtk_property_expression_new (DC_TYPE_VISIT_ITEM, NULL, column->property);

  switch (column->kind)
    {
    case CELL_TEXT:
      return GTK_SORTER (gtk_string_sorter_new (expression));
    case CELL_TIME:
    case CELL_ELAPSED:
    case CELL_MINOR:
      return GTK_SORTER (gtk_numeric_sorter_new (expression));
    case CELL_CURFEW:
      gtk_expression_unref (expression);
      return GTK_SORTER (gtk_custom_sorter_new (compare_curfew, NULL, NULL));
    default:
      g_assert_not_reached ();
    }
}

/* The list's order: the chosen column, either way; ties by entry, then by visit. */
static int
compare_visits (gconstpointer a, gconstpointer b, gpointer user_data)
{
  DcCounterPage *self = user_data;
  Column *column = &self->columns[self->sort_column];
  int order = gtk_sorter_compare (column->sorter, (gpointer) a, (gpointer) b);
  gint64 x, y;

  if (order == GTK_ORDERING_EQUAL)
    {
      x = dc_visit_item_get_entered_at ((DcVisitItem *) a);
      y = dc_visit_item_get_entered_at ((DcVisitItem *) b);
      if (x == y)
        {
          x = dc_visit_item_get_visit_id ((DcVisitItem *) a);
          y = dc_visit_item_get_visit_id ((DcVisitItem *) b);
        }
      order = (x > y) - (x < y);
    }
  return self->sort_order == GTK_SORT_DESCENDING ? -order : order;
}

static void
update_sort_header (DcCounterPage *self)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    {
      Column *column = &self->columns[i];
      gboolean sorted = i == self->sort_column;
      gboolean ascending = self->sort_order == GTK_SORT_ASCENDING;

      gtk_widget_set_visible (GTK_WIDGET (column->arrow), sorted);
      gtk_image_set_from_icon_name (column->arrow, ascending ? "pan-up-symbolic" : "pan-down-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (column->header), "ascending");
      gtk_widget_remove_css_class (GTK_WIDGET (column->header), "descending");
      if (sorted)
        gtk_widget_add_css_class (GTK_WIDGET (column->header), ascending ? "ascending" : "descending");
      gtk_accessible_update_property (GTK_ACCESSIBLE (column->header), GTK_ACCESSIBLE_PROPERTY_SORT,
                                      !sorted ? GTK_ACCESSIBLE_SORT_NONE
                                      : ascending ? GTK_ACCESSIBLE_SORT_ASCENDING : GTK_ACCESSIBLE_SORT_DESCENDING,
                                      -1);
    }
}

/* A click on a header sorts by that column; a second click turns the order round. */
static void
on_header_clicked (GtkButton *button, Column *column)
{
  DcCounterPage *self = column->page;
  guint index = column - self->columns;

  if (self->sort_column == index)
    self->sort_order = self->sort_order == GTK_SORT_ASCENDING ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING;
  else
    {
      self->sort_column = index;
      self->sort_order = GTK_SORT_ASCENDING;
    }
  update_sort_header (self);
  gtk_sorter_changed (self->visit_sorter, GTK_SORTER_CHANGE_DIFFERENT);
}

static int
text_width (DcCounterPage *self, const char *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* @sample: the widest text the column is likely to show (longer text is cut with "…"). */
static void
setup_column (DcCounterPage *self, guint index, const char *title, const char *property, CellKind kind,
              const char *sample, gboolean expand)
{
  Column *column = &self->columns[index];
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *label = gtk_inscription_new (title);
  int arrow = 16 + 4;

  column->page = self;
  column->property = property;
  column->kind = kind;
  column->expand = expand;
  column->sorter = column_sorter (column);
  /* bold headers (style.css) are a little wider than the text measured here */
  column->width = MAX (text_width (self, title) * 11 / 10 + arrow, text_width (self, sample)) + 2 * CELL_PADDING;

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (label), 0);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (label), 0);
  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  column->arrow = GTK_IMAGE (gtk_image_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (column->arrow));

  column->header = GTK_BUTTON (gtk_button_new ());
  gtk_button_set_child (column->header, box);
  gtk_widget_set_name (GTK_WIDGET (column->header), property);
  gtk_widget_set_tooltip_text (GTK_WIDGET (column->header), _("Sort by this column"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (column->header), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_widget_add_css_class (GTK_WIDGET (column->header), "flat");
  gtk_widget_set_size_request (GTK_WIDGET (column->header), column->width, -1);
  gtk_widget_set_hexpand (GTK_WIDGET (column->header), expand);
  g_signal_connect (column->header, "clicked", G_CALLBACK (on_header_clicked), column);
  gtk_box_append (GTK_BOX (self->visit_header), GTK_WIDGET (column->header));
}

/* ---- refresh: the same item objects, updated in place ---- */

static gboolean
same_terminals (GListModel *model, const DcBoard *board)
{
  guint n = g_list_model_get_n_items (model);

  if (n != board->terminals->len)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DcTerminalItem) item = g_list_model_get_item (model, i);

      if (dc_terminal_item_get_id (item) != g_array_index (board->terminals, DcBoardTerminal, i).id)
        return FALSE;
    }
  return TRUE;
}

/* The terminal set changed (one added or retired): keep the objects of the terminals still
 * there and splice once. */
static void
replace_terminals (DcCounterPage *self, const DcBoard *board)
{
  GListModel *model = G_LIST_MODEL (self->terminals);
  guint n = g_list_model_get_n_items (model);
  g_autoptr(GHashTable) old = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      DcTerminalItem *item = g_list_model_get_item (model, i);
      gint64 *id = g_new (gint64, 1);

      *id = dc_terminal_item_get_id (item);
      g_hash_table_insert (old, id, item);
    }
  for (guint i = 0; i < board->terminals->len; i++)
    {
      const DcBoardTerminal *t = &g_array_index (board->terminals, DcBoardTerminal, i);
      DcTerminalItem *item = g_hash_table_lookup (old, &t->id);

      if (item != NULL)
        {
          dc_terminal_item_update (item, t, board->at);
          g_ptr_array_add (items, g_object_ref (item));
        }
      else
        g_ptr_array_add (items, dc_terminal_item_new (t, board->at));
    }
  g_list_store_splice (self->terminals, 0, n, items->pdata, items->len);
}

static void
update_terminals (DcCounterPage *self, const DcBoard *board)
{
  GListModel *model = G_LIST_MODEL (self->terminals);

  if (!same_terminals (model, board))
    {
      replace_terminals (self, board);
      return;
    }
  for (guint i = 0; i < board->terminals->len; i++)
    {
      g_autoptr(DcTerminalItem) item = g_list_model_get_item (model, i);

      dc_terminal_item_update (item, &g_array_index (board->terminals, DcBoardTerminal, i), board->at);
    }
}

/* Diff by visit: remove those gone, update the rest, append the new ones at once. */
static void
update_visits (DcCounterPage *self, const DcBoard *board)
{
  GListModel *model = G_LIST_MODEL (self->visits);
  g_autoptr(GHashTable) fresh = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean moved = FALSE;

  for (guint i = 0; i < board->visits->len; i++)
    {
      DcBoardVisit *v = &g_array_index (board->visits, DcBoardVisit, i);
      g_hash_table_insert (fresh, &v->visit_id, v);
    }
  for (guint i = g_list_model_get_n_items (model); i-- > 0;)
    {
      g_autoptr(DcVisitItem) item = g_list_model_get_item (model, i);
      gint64 id = dc_visit_item_get_visit_id (item);
      const DcBoardVisit *v = g_hash_table_lookup (fresh, &id);
      g_autofree char *terminal = NULL;

      if (v == NULL)
        {
          g_list_store_remove (self->visits, i);
          continue;
        }
      terminal = g_strdup (dc_visit_item_get_terminal (item));
      dc_visit_item_update (item, v, board->at);
      moved |= g_strcmp0 (terminal, v->terminal) != 0;
      g_hash_table_remove (fresh, &id);
    }
  for (guint i = 0; i < board->visits->len; i++)
    {
      const DcBoardVisit *v = &g_array_index (board->visits, DcBoardVisit, i);

      if (g_hash_table_contains (fresh, &v->visit_id))
        g_ptr_array_add (added, dc_visit_item_new (v, board->at));
    }
  if (added->len > 0)
    g_list_store_splice (self->visits, g_list_model_get_n_items (model), 0, added->pdata, added->len);
  /* the sort model does not watch item properties: a seat change may reorder by terminal */
  if (moved)
    gtk_sorter_changed (self->visit_sorter, GTK_SORTER_CHANGE_DIFFERENT);
  gtk_stack_set_visible_child_name (self->visit_stack, board->visits->len > 0 ? "list" : "empty");
}

static void
update_header (DcCounterPage *self, gint64 now)
{
  const char *staff = dc_session_get_staff_name (self->session);
  /* Translators: the counter's clock, a g_date_time_format () pattern, e.g. "%Y年%-m月%-d日 %H:%M" */
  g_autofree char *clock = format_store_time (self, now, _("%Y-%m-%d %H:%M"));
  g_autofree char *subtitle = staff != NULL ? g_strdup_printf ("%s  ·  %s", clock, staff) : g_strdup (clock);

  adw_window_title_set_title (self->window_title, dc_store_name (dc_session_get_store (self->session)));
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

static void
update_summaries (DcCounterPage *self, const DcBoard *board)
{
  g_autofree char *free_text = g_strdup_printf (_("%u free of %u"), board->free_terminals, board->terminals->len);
  g_autofree char *in_text = g_strdup_printf (_("In the store: %u · Minors: %u"), board->visits->len,
                                              board->minors);

  gtk_label_set_text (self->board_summary, free_text);
  gtk_label_set_text (self->visit_summary, in_text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "counter.checkout", board->visits->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "counter.move", board->visits->len > 0);
}

/* A retired terminal is kept for the records, not for the counter. */
static void
drop_retired (DcBoard *board)
{
  for (guint i = board->terminals->len; i-- > 0;)
    if (g_array_index (board->terminals, DcBoardTerminal, i).retired)
      g_array_remove_index (board->terminals, i);
}

/* Nothing about customers stays in the widgets of a locked counter. */
static void
clear (DcCounterPage *self)
{
  g_list_store_remove_all (self->terminals);
  g_list_store_remove_all (self->visits);
  gtk_label_set_text (self->board_summary, "");
  gtk_label_set_text (self->visit_summary, "");
  gtk_stack_set_visible_child_name (self->visit_stack, "empty");
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
}

void
dc_counter_page_refresh (DcCounterPage *self)
{
  g_autoptr(DcBoard) board = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (DC_IS_COUNTER_PAGE (self));

  if (!dc_session_get_signed_in (self->session))
    {
      clear (self);
      return;
    }
  board = dc_session_read_board (self->session, &error);
  if (board == NULL)
    {
      show_toast (self, error->message);
      return;
    }
  drop_retired (board);
  update_terminals (self, board);
  update_visits (self, board);
  update_summaries (self, board);
  update_header (self, board->at);
  self->shown_minute = board->at / MINUTE_US;
}

/* Elapsed times and minutes to the curfew move with the store's clock, minute by minute. */
static gboolean
on_tick (gpointer user_data)
{
  DcCounterPage *self = user_data;

  if (dc_session_get_signed_in (self->session) && dc_session_now (self->session) / MINUTE_US != self->shown_minute)
    dc_counter_page_refresh (self);
  return G_SOURCE_CONTINUE;
}

/* ---- selection ---- */

static DcTerminalItem *
selected_terminal (DcCounterPage *self)
{
  return gtk_single_selection_get_selected_item (self->board_selection);
}

/* The terminal chosen on the board when it is free: where the next check-in goes. */
static const char *
selected_free_label (DcCounterPage *self)
{
  DcTerminalItem *item = selected_terminal (self);

  return item != NULL && dc_terminal_item_get_state (item) == DC_TERMINAL_FREE ? dc_terminal_item_get_label (item)
                                                                               : NULL;
}

static DcTerminalItem *
find_terminal (DcCounterPage *self, const char *label, guint *position)
{
  GListModel *model = G_LIST_MODEL (self->terminals);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      DcTerminalItem *item = g_list_model_get_item (model, i);

      g_object_unref (item);   /* the store keeps it alive */
      if (g_strcmp0 (dc_terminal_item_get_label (item), label) == 0)
        {
          if (position != NULL)
            *position = i;
          return item;
        }
    }
  return NULL;
}

static void
select_terminal (DcCounterPage *self, const char *label)
{
  guint position;

  if (label != NULL && find_terminal (self, label, &position) != NULL)
    gtk_single_selection_set_selected (self->board_selection, position);
}

static GtkWindow *
parent_window (DcCounterPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

/* What the clerk chose, kept as it was when chosen: the items change in place meanwhile. */
typedef struct {
  DcCounterPage *self;
  char          *terminal;
  char          *member;
  gint64         visit_id;
  gboolean       minor;
} Choice;

static Choice *
choice_new (DcCounterPage *self, DcTerminalItem *item)
{
  Choice *choice = g_new0 (Choice, 1);

  choice->self = g_object_ref (self);
  choice->terminal = g_strdup (dc_terminal_item_get_label (item));
  choice->member = g_strdup (dc_terminal_item_get_member (item));
  choice->visit_id = dc_terminal_item_get_visit_id (item);
  choice->minor = dc_terminal_item_get_minor (item);
  return choice;
}

static Choice *
choice_copy (const Choice *choice)
{
  Choice *copy = g_new0 (Choice, 1);

  copy->self = g_object_ref (choice->self);
  copy->terminal = g_strdup (choice->terminal);
  copy->member = g_strdup (choice->member);
  copy->visit_id = choice->visit_id;
  copy->minor = choice->minor;
  return copy;
}

static void
choice_free (Choice *choice)
{
  g_object_unref (choice->self);
  g_free (choice->terminal);
  g_free (choice->member);
  g_free (choice);
}

static void
choice_closure_free (gpointer data, GClosure *closure)
{
  choice_free (data);
}

/* ---- check-in ---- */

static void
on_checked_in (DcCheckinDialog *dialog, gint64 visit_id, const char *member, const char *terminal,
               DcCounterPage *self)
{
  g_autofree char *text = g_strdup_printf (_("%s: member %s checked in."), terminal, member);

  select_terminal (self, terminal);
  /* a new member leaves with a card: the toast opens it, to print or to scan from the screen */
  show_toast_with_card (self, text, dc_checkin_dialog_made_new_member (dialog) ? member : NULL);
}

static void
card_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcCounterPage *self = DC_COUNTER_PAGE (widget);

  if (dc_session_get_signed_in (self->session))
    dc_card_dialog_present (parent_window (self), self->session, g_variant_get_string (parameter, NULL));
}

static void
open_checkin (DcCounterPage *self, const char *terminal, gboolean find)
{
  DcCheckinDialog *dialog;

  if (!dc_session_get_signed_in (self->session))
    return;
  dialog = dc_checkin_dialog_new (parent_window (self), self->session, terminal);
  g_signal_connect_object (dialog, "checked-in", G_CALLBACK (on_checked_in), self, 0);
  if (find)
    dc_checkin_dialog_set_find_mode (dialog, TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
checkin_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcCounterPage *self = DC_COUNTER_PAGE (widget);

  open_checkin (self, selected_free_label (self), FALSE);
}

static void
find_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcCounterPage *self = DC_COUNTER_PAGE (widget);

  /* a returning customer without a card, looked up by name and date of birth */
  open_checkin (self, selected_free_label (self), TRUE);
}

/* ---- check-out ---- */

static void
do_checkout (Choice *choice)
{
  DcCounterPage *self = choice->self;
  DcActor *actor = dc_session_get_actor (self->session);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (actor == NULL)
    return;
  /* by visit, not terminal: the customer on that terminal may have changed since the choice */
  if (!dc_checkout (dc_session_get_store (self->session), actor, NULL, choice->visit_id, DC_EXIT_STAFF, &error))
    {
      show_toast (self, error->message);
      dc_counter_page_refresh (self);
      return;
    }
  dc_session_changed (self->session);
  text = g_strdup_printf (_("%s: member %s checked out."), choice->terminal, choice->member);
  show_toast (self, text);
}

static void
on_checkout_response (AdwMessageDialog *dialog, const char *response, Choice *choice)
{
  if (g_strcmp0 (response, "checkout") == 0)
    do_checkout (choice);
}

/* Takes @choice. */
static void
confirm_checkout (Choice *choice)
{
  DcCounterPage *self = choice->self;
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), _("Check Out?"), NULL);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), _("%s: check out member %s?"), choice->terminal,
                                  choice->member);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "checkout",
                                    _("Check _Out"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "checkout", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "checkout");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_checkout_response), choice,
                         choice_closure_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- seat change ---- */

static void
do_move (Choice *choice, const char *to)
{
  DcCounterPage *self = choice->self;
  DcActor *actor = dc_session_get_actor (self->session);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (actor == NULL)
    return;
  if (!dc_move (dc_session_get_store (self->session), actor, choice->terminal, to, &error))
    {
      show_toast (self, error->message);
      dc_counter_page_refresh (self);
      return;
    }
  dc_session_changed (self->session);
  select_terminal (self, to);
  text = g_strdup_printf (_("Member %s moved from %s to %s."), choice->member, choice->terminal, to);
  show_toast (self, text);
}

/* ---- the terminal picker (dc-counter-picker.c), for a choice ---- */

/* Takes @choice: the one the picker was opened for, or else the picked terminal's. */
typedef void (*PickFunc) (Choice *choice, DcTerminalItem *picked);

typedef struct {
  DcCounterPage *self;
  Choice        *choice;   /* NULL when picking whose terminal it is */
  PickFunc       func;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  g_clear_pointer (&pending->choice, choice_free);
  g_object_unref (pending->self);
  g_free (pending);
}

static void
on_picked (DcTerminalItem *picked, gpointer data)
{
  Pending *pending = data;
  Choice *choice = pending->choice != NULL ? g_steal_pointer (&pending->choice) : choice_new (pending->self, picked);

  pending->func (choice, picked);
  pending_free (pending);
}

/* Takes @choice (may be NULL). */
static void
open_picker (DcCounterPage *self, const char *title, const char *prompt, GPtrArray *items, gboolean with_entry,
             Choice *choice, PickFunc func)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = g_object_ref (self);
  pending->choice = choice;
  pending->func = func;
  dc_counter_picker_open (parent_window (self), title, NULL, prompt, items, with_entry, on_picked, pending,
                          pending_free);
}

static void
picked_destination (Choice *choice, DcTerminalItem *to)
{
  do_move (choice, dc_terminal_item_get_label (to));
  choice_free (choice);
}

/* Takes @choice. */
static void
pick_destination (Choice *choice)
{
  DcCounterPage *self = choice->self;
  g_autoptr(GPtrArray) items = dc_counter_destinations (G_LIST_MODEL (self->terminals), choice->minor);
  g_autofree char *title = NULL;
  g_autofree char *prompt = NULL;

  if (items->len == 0)
    {
      show_toast (self, choice->minor ? _("No filtered terminal is free for this minor.")
                                      : _("No terminal is free."));
      choice_free (choice);
      return;
    }
  title = g_strdup_printf (_("Seat Change — %s"), choice->terminal);
  prompt = g_strdup_printf (_("Move member %s to which terminal?"), choice->member);
  open_picker (self, title, prompt, items, FALSE, choice, picked_destination);
}

static void
picked_source_for_move (Choice *choice, DcTerminalItem *from)
{
  pick_destination (choice);
}

static void
picked_source_for_checkout (Choice *choice, DcTerminalItem *from)
{
  confirm_checkout (choice);
}

static DcTerminalItem *
selected_in_use (DcCounterPage *self)
{
  DcTerminalItem *item = selected_terminal (self);

  return item != NULL && dc_terminal_item_get_state (item) == DC_TERMINAL_IN_USE ? item : NULL;
}

static void
pick_in_use (DcCounterPage *self, const char *title, PickFunc func)
{
  g_autoptr(GPtrArray) items = dc_counter_terminals_in (G_LIST_MODEL (self->terminals), DC_TERMINAL_IN_USE);

  if (items->len == 0)
    {
      show_toast (self, _("No one is in the store."));
      return;
    }
  open_picker (self, title, _("Choose the terminal, or scan or type it or the member number."), items, TRUE, NULL,
               func);
}

static void
checkout_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcCounterPage *self = DC_COUNTER_PAGE (widget);
  DcTerminalItem *item = selected_in_use (self);

  if (!dc_session_get_signed_in (self->session))
    return;
  if (item != NULL)
    confirm_checkout (choice_new (self, item));
  else
    pick_in_use (self, _("Check Out"), picked_source_for_checkout);
}

static void
move_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcCounterPage *self = DC_COUNTER_PAGE (widget);
  DcTerminalItem *item = selected_in_use (self);

  if (!dc_session_get_signed_in (self->session))
    return;
  if (item != NULL)
    pick_destination (choice_new (self, item));
  else
    pick_in_use (self, _("Seat Change"), picked_source_for_move);
}

/* ---- a member card scanned (dc-counter-scan.c) ---- */

static void
on_scan_toast (DcCounterScan *scan, const char *text, DcCounterPage *self)
{
  show_toast (self, text);
}

static void
on_scan_select (DcCounterScan *scan, const char *terminal, DcCounterPage *self)
{
  select_terminal (self, terminal);
}

static void
on_scan_check_document (DcCounterScan *scan, DcCounterPage *self)
{
  open_checkin (self, selected_free_label (self), FALSE);
}

/* ---- activating a tile or a row: the obvious next step for that terminal ---- */

static void
on_offer_response (AdwMessageDialog *dialog, const char *response, Choice *choice)
{
  if (g_strcmp0 (response, "checkout") == 0)
    do_checkout (choice);
  else if (g_strcmp0 (response, "move") == 0)
    pick_destination (choice_copy (choice));
}

static void
offer_actions (DcCounterPage *self, DcTerminalItem *item)
{
  Choice *choice = choice_new (self, item);
  g_autofree char *elapsed = dc_counter_format_elapsed (dc_terminal_item_get_elapsed (item));
  GtkWidget *dialog = adw_message_dialog_new (parent_window (self), choice->terminal, NULL);

  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), _("Member %s, in the store for %s."),
                                  choice->member, elapsed);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "move",
                                    _("_Seat Change"), "checkout", _("Check _Out"), NULL);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_offer_response), choice,
                         choice_closure_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
activate_terminal (DcCounterPage *self, DcTerminalItem *item)
{
  g_autofree char *text = NULL;

  switch (dc_terminal_item_get_state (item))
    {
    case DC_TERMINAL_FREE:
      open_checkin (self, dc_terminal_item_get_label (item), FALSE);
      break;
    case DC_TERMINAL_IN_USE:
      offer_actions (self, item);
      break;
    case DC_TERMINAL_OUT_OF_ORDER:
      text = g_strdup_printf (_("%s is out of order."), dc_terminal_item_get_label (item));
      show_toast (self, text);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
on_board_activate (GtkGridView *board, guint position, DcCounterPage *self)
{
  g_autoptr(DcTerminalItem) item = g_list_model_get_item (G_LIST_MODEL (self->board_selection), position);

  if (item != NULL && dc_session_get_signed_in (self->session))
    activate_terminal (self, item);
}

static void
on_visit_activate (GtkGridView *view, guint position, DcCounterPage *self)
{
  g_autoptr(DcVisitItem) visit = g_list_model_get_item (G_LIST_MODEL (self->visit_selection), position);
  DcTerminalItem *item = visit != NULL ? find_terminal (self, dc_visit_item_get_terminal (visit), NULL) : NULL;

  if (item != NULL && dc_session_get_signed_in (self->session))
    activate_terminal (self, item);
}

/* Choosing a customer in the list chooses their terminal on the board: F4 and F6 act on it. */
static void
on_visit_selected (GtkSingleSelection *selection, GParamSpec *pspec, DcCounterPage *self)
{
  DcVisitItem *visit = gtk_single_selection_get_selected_item (selection);

  if (visit != NULL)
    select_terminal (self, dc_visit_item_get_terminal (visit));
}

/* ---- life cycle ---- */

static void
on_locked (DcSession *session, DcCounterPage *self)
{
  clear (self);
}

static void
dc_counter_page_map (GtkWidget *widget)
{
  DcCounterPage *self = DC_COUNTER_PAGE (widget);

  GTK_WIDGET_CLASS (dc_counter_page_parent_class)->map (widget);
  if (self->tick == 0)
    self->tick = g_timeout_add_seconds (1, on_tick, self);
  /* a card is recognised wherever the focus is on the counter and its dialogs */
  if (self->scan == NULL && GTK_IS_WINDOW (gtk_widget_get_root (widget)))
    {
      self->scan = dc_counter_scan_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->session,
                                        G_LIST_MODEL (self->terminals));
      g_signal_connect_object (self->scan, "toast", G_CALLBACK (on_scan_toast), self, 0);
      g_signal_connect_object (self->scan, "select", G_CALLBACK (on_scan_select), self, 0);
      g_signal_connect_object (self->scan, "check-document", G_CALLBACK (on_scan_check_document), self, 0);
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->board));
}

static void
dc_counter_page_unmap (GtkWidget *widget)
{
  DcCounterPage *self = DC_COUNTER_PAGE (widget);

  g_clear_handle_id (&self->tick, g_source_remove);
  g_clear_object (&self->scan);
  GTK_WIDGET_CLASS (dc_counter_page_parent_class)->unmap (widget);
}

static void
dc_counter_page_dispose (GObject *object)
{
  DcCounterPage *self = DC_COUNTER_PAGE (object);

  g_clear_handle_id (&self->tick, g_source_remove);
  g_clear_object (&self->scan);
  g_clear_object (&self->toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_COUNTER_PAGE);
  g_clear_object (&self->visit_sorter);
  for (guint i = 0; i < N_COLUMNS; i++)
    g_clear_object (&self->columns[i].sorter);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (dc_counter_page_parent_class)->dispose (object);
}

static void
dc_counter_page_class_init (DcCounterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_counter_page_dispose;
  widget_class->map = dc_counter_page_map;
  widget_class->unmap = dc_counter_page_unmap;

  g_type_ensure (DC_TYPE_TERMINAL_ITEM);
  g_type_ensure (DC_TYPE_VISIT_ITEM);
  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-counter-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, content);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, toasts);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, board);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, board_selection);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, terminals);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, board_summary);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, visit_view);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, visit_selection);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, visits);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, visit_stack);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, visit_summary);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, visit_header);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, visit_sort);

  gtk_widget_class_install_action (widget_class, "counter.checkin", NULL, checkin_action);
  gtk_widget_class_install_action (widget_class, "counter.checkout", NULL, checkout_action);
  gtk_widget_class_install_action (widget_class, "counter.move", NULL, move_action);
  gtk_widget_class_install_action (widget_class, "counter.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "counter.card", "s", card_action);
}

static void
setup_board (DcCounterPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (tile_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (tile_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (tile_unbind), self);
  gtk_grid_view_set_factory (self->board, factory);
  g_signal_connect (self->board, "activate", G_CALLBACK (on_board_activate), self);
}

static void
setup_list (DcCounterPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autofree char *curfew = dc_counter_format_curfew (7 * 60 + 59);

  setup_column (self, COL_MEMBER, _("Member No."), "member", CELL_TEXT, "000000000", TRUE);
  setup_column (self, COL_TERMINAL, _("Terminal"), "terminal", CELL_TEXT, "PC-000", TRUE);
  setup_column (self, COL_ENTERED, C_("in-store list", "Entered"), "entered-at", CELL_TIME, "00:00", FALSE);
  setup_column (self, COL_ELAPSED, _("Elapsed"), "elapsed", CELL_ELAPSED, "00:00", FALSE);
  setup_column (self, COL_MINOR, _("Minor"), "minor", CELL_MINOR, _("Minor"), FALSE);
  setup_column (self, COL_CURFEW, _("Until Curfew"), "minutes-to-curfew", CELL_CURFEW, curfew, TRUE);
  /* the badge's own padding (style.css) */
  self->columns[COL_MINOR].width += 12;
  gtk_widget_set_size_request (GTK_WIDGET (self->columns[COL_MINOR].header), self->columns[COL_MINOR].width, -1);

  self->sort_column = COL_ENTERED;
  self->sort_order = GTK_SORT_ASCENDING;
  self->visit_sorter = GTK_SORTER (gtk_custom_sorter_new (compare_visits, self, NULL));
  gtk_sort_list_model_set_sorter (self->visit_sort, self->visit_sorter);
  update_sort_header (self);

  g_signal_connect (factory, "setup", G_CALLBACK (row_setup), self);
  g_signal_connect (factory, "bind", G_CALLBACK (row_bind), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (row_unbind), self);
  gtk_grid_view_set_factory (self->visit_view, factory);
  g_signal_connect (self->visit_view, "activate", G_CALLBACK (on_visit_activate), self);
  g_signal_connect (self->visit_selection, "notify::selected-item", G_CALLBACK (on_visit_selected), self);
}

static void
dc_counter_page_init (DcCounterPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_board (self);
  setup_list (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "counter.checkout", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "counter.move", FALSE);
}

GtkWidget *
dc_counter_page_new (DcSession *session)
{
  DcCounterPage *self = g_object_new (DC_TYPE_COUNTER_PAGE, NULL);

  self->session = g_object_ref (session);
  g_signal_connect_object (session, "changed", G_CALLBACK (dc_counter_page_refresh), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "locked", G_CALLBACK (on_locked), self, 0);
  return GTK_WIDGET (self);
}
