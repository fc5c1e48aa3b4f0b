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

/* What one column of the in-store list shows: the factory's user data. */
typedef struct {
  DcCounterPage *page;
  const char    *property;
  CellKind       kind;
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
  GtkColumnView       *visit_view;
  GtkSingleSelection  *visit_selection;
  GListStore          *visits;
  GtkStack            *visit_stack;
  GtkLabel            *visit_summary;
  GtkColumnViewColumn *col_member;
  GtkColumnViewColumn *col_terminal;
  GtkColumnViewColumn *col_entered;
  GtkColumnViewColumn *col_elapsed;
  GtkColumnViewColumn *col_minor;
  GtkColumnViewColumn *col_curfew;

  Column               columns[N_COLUMNS];
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

typedef struct {
  GtkWidget      *root;
  GtkLabel       *label;
  GtkLabel       *filtered;
  GtkLabel       *state;
  GtkLabel       *elapsed;
  GtkLabel       *member;
  GtkWidget      *badge;
  GtkLabel       *curfew;
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
  tile->state = tile_label (row, 0, "caption", TRUE);
  tile->elapsed = tile_label (row, 1, "numeric", FALSE);
  row = tile_row (tile);
  tile->member = tile_label (row, 0, "numeric", TRUE);
  row = tile_row (tile);
  tile->badge = gtk_label_new (_("Minor"));
  gtk_widget_add_css_class (tile->badge, "minor-badge");
  gtk_widget_add_css_class (tile->badge, "caption");
  gtk_box_append (GTK_BOX (row), tile->badge);
  tile->curfew = tile_label (row, 1, "caption", TRUE);

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
  gtk_label_set_text (tile->state, state_text (state));
  gtk_label_set_text (tile->elapsed, elapsed);
  gtk_label_set_text (tile->member, in_use ? dc_terminal_item_get_member (item) : "");
  gtk_widget_set_visible (tile->badge, dc_terminal_item_get_minor (item));
  gtk_label_set_text (tile->curfew, curfew);
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

/* ---- the in-store list's cells ---- */

static void
cell_setup (GtkSignalListItemFactory *factory, GtkListItem *list_item, Column *column)
{
  GtkWidget *label = gtk_label_new (column->kind == CELL_MINOR ? _("Minor") : NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (column->kind == CELL_MINOR)
    {
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_widget_add_css_class (label, "minor-badge");
    }
  if (column->kind == CELL_TIME || column->kind == CELL_ELAPSED || column->kind == CELL_TEXT)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
  g_object_set_data (G_OBJECT (list_item), "dc-column", column);
}

/* One cell from its item: a plain setter and one notify handler are far cheaper than a
 * GBinding, and GTK 4.8 re-binds every row below a removed one. */
static void
cell_sync (GtkListItem *list_item)
{
  Column *column = g_object_get_data (G_OBJECT (list_item), "dc-column");
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  DcVisitItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = NULL;
  gint minutes;

  switch (column->kind)
    {
    case CELL_TEXT:
      gtk_label_set_text (label, (g_str_equal (column->property, "member") ? dc_visit_item_get_member (item)
                                                                           : dc_visit_item_get_terminal (item)) ?: "");
      break;
    case CELL_TIME:
      text = format_store_time (column->page, dc_visit_item_get_entered_at (item), "%H:%M");
      gtk_label_set_text (label, text);
      break;
    case CELL_ELAPSED:
      text = dc_counter_format_elapsed (dc_visit_item_get_elapsed (item));
      gtk_label_set_text (label, text);
      break;
    case CELL_MINOR:
      gtk_widget_set_visible (GTK_WIDGET (label), dc_visit_item_get_minor (item));
      break;
    case CELL_CURFEW:
      minutes = dc_visit_item_get_minutes_to_curfew (item);
      text = dc_counter_format_curfew (minutes);
      gtk_label_set_text (label, text);
      if (minutes >= 0 && minutes <= CURFEW_SOON_MINUTES)
        gtk_widget_add_css_class (GTK_WIDGET (label), "curfew-soon");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), "curfew-soon");
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
cell_bind (GtkSignalListItemFactory *factory, GtkListItem *list_item, Column *column)
{
  g_autofree char *signal = g_strconcat ("notify::", column->property, NULL);
  gulong id = g_signal_connect_swapped (gtk_list_item_get_item (list_item), signal, G_CALLBACK (cell_sync), list_item);

  g_object_set_data (G_OBJECT (list_item), "dc-handler", GSIZE_TO_POINTER (id));
  cell_sync (list_item);
}

static void
cell_unbind (GtkSignalListItemFactory *factory, GtkListItem *list_item, Column *column)
{
  gulong id = GPOINTER_TO_SIZE (g_object_steal_data (G_OBJECT (list_item), "dc-handler"));

  if (id != 0)
    g_signal_handler_disconnect (gtk_list_item_get_item (list_item), id);
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

static void
setup_column (DcCounterPage *self, GtkColumnViewColumn *view_column, guint index, const char *property, CellKind kind)
{
  Column *column = &self->columns[index];
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkSorter) sorter = NULL;

  column->page = self;
  column->property = property;
  column->kind = kind;
  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), column);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), column);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind), column);
  gtk_column_view_column_set_factory (view_column, factory);
  sorter = column_sorter (column);
  gtk_column_view_column_set_sorter (view_column, sorter);
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
    gtk_sorter_changed (gtk_column_view_get_sorter (self->visit_view), GTK_SORTER_CHANGE_DIFFERENT);
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
on_visit_activate (GtkColumnView *view, guint position, DcCounterPage *self)
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
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, col_member);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, col_terminal);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, col_entered);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, col_elapsed);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, col_minor);
  gtk_widget_class_bind_template_child (widget_class, DcCounterPage, col_curfew);

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
  setup_column (self, self->col_member, COL_MEMBER, "member", CELL_TEXT);
  setup_column (self, self->col_terminal, COL_TERMINAL, "terminal", CELL_TEXT);
  setup_column (self, self->col_entered, COL_ENTERED, "entered-at", CELL_TIME);
  setup_column (self, self->col_elapsed, COL_ELAPSED, "elapsed", CELL_ELAPSED);
  setup_column (self, self->col_minor, COL_MINOR, "minor", CELL_MINOR);
  setup_column (self, self->col_curfew, COL_CURFEW, "minutes-to-curfew", CELL_CURFEW);
  gtk_column_view_sort_by_column (self->visit_view, self->col_entered, GTK_SORT_ASCENDING);
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
