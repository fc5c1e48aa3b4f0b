/* ui/desktop/dc-counter-picker.c — the counter's small modal list of terminals: Enter takes the first, or type or scan a label or member number. */
#include "dc-counter-picker.h"

#include <glib/gi18n-lib.h>

typedef struct {
  DcPickFunc      func;
  gpointer        user_data;
  GDestroyNotify  destroy;
  GtkWindow      *window;
  GtkLabel       *error;    /* under the entry, when there is one */
  GPtrArray      *items;    /* the DcTerminalItem offered, in row order */
} Picker;

char *
dc_counter_format_elapsed (gint minutes)
{
  return g_strdup_printf ("%d:%02d", minutes / 60, minutes % 60);
}

char *
dc_counter_format_curfew (gint minutes)
{
  if (minutes < 0)
    return g_strdup ("");
  if (minutes == 0)
    return g_strdup (_("Curfew now"));
  if (minutes >= 60)
    return g_strdup_printf (_("%d h %02d min left"), minutes / 60, minutes % 60);
  return g_strdup_printf (_("%d min left"), minutes);
}

static void
picker_free (gpointer data)
{
  Picker *picker = data;

  if (picker->destroy != NULL && picker->user_data != NULL)
    picker->destroy (picker->user_data);
  g_ptr_array_unref (picker->items);
  g_free (picker);
}

static void
picker_pick (Picker *picker, DcTerminalItem *item)
{
  g_autoptr(DcTerminalItem) picked = g_object_ref (item);
  gpointer user_data = g_steal_pointer (&picker->user_data);
  DcPickFunc func = picker->func;

  gtk_window_destroy (picker->window);   /* the picker goes with it */
  func (picked, user_data);
}

static void
on_row_activated (GtkListBox *list, GtkListBoxRow *row, Picker *picker)
{
  picker_pick (picker, g_ptr_array_index (picker->items, gtk_list_box_row_get_index (row)));
}

/* A scanned or typed terminal label or member number. */
static void
on_entry_activate (GtkEntry *entry, Picker *picker)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  for (guint i = 0; i < picker->items->len; i++)
    {
      DcTerminalItem *item = g_ptr_array_index (picker->items, i);

      if (g_ascii_strcasecmp (text, dc_terminal_item_get_label (item)) == 0
          || g_strcmp0 (text, dc_terminal_item_get_member (item)) == 0)
        {
          picker_pick (picker, item);
          return;
        }
    }
  gtk_label_set_text (picker->error, _("No customer on that terminal or with that member number."));
  gtk_widget_set_visible (GTK_WIDGET (picker->error), TRUE);
}

static GtkWidget *
picker_row (DcTerminalItem *item)
{
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *elapsed = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dc_terminal_item_get_label (item));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  if (dc_terminal_item_get_state (item) == DC_TERMINAL_IN_USE)
    {
      elapsed = dc_counter_format_elapsed (dc_terminal_item_get_elapsed (item));
      /* Translators: a member number and the time in the store (H:MM) */
      g_string_append_printf (subtitle, _("Member %s · %s"), dc_terminal_item_get_member (item), elapsed);
      if (dc_terminal_item_get_minor (item))
        g_string_append_printf (subtitle, " · %s", _("Minor"));
    }
  else if (dc_terminal_item_get_booth (item) != NULL)
    g_string_append_printf (subtitle, _("Booth %s"), dc_terminal_item_get_booth (item));
  if (dc_terminal_item_get_state (item) != DC_TERMINAL_IN_USE && dc_terminal_item_get_filtered (item))
    g_string_append_printf (subtitle, " · %s", _("Filtered"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  return row;
}

/* The entry for a scanned or typed terminal or member number, and its error line. */
static GtkWidget *
add_entry (Picker *picker, GtkBox *body)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Terminal or member number"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Terminal or member number"), -1);
  g_signal_connect (entry, "activate", G_CALLBACK (on_entry_activate), picker);
  gtk_box_append (body, entry);

  picker->error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (picker->error, 0);
  gtk_widget_add_css_class (GTK_WIDGET (picker->error), "field-error");
  gtk_widget_set_visible (GTK_WIDGET (picker->error), FALSE);
  gtk_box_append (body, GTK_WIDGET (picker->error));
  return entry;
}

static GtkListBox *
add_list (Picker *picker, GtkBox *body, const char *prompt)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_valign (list, GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, prompt, -1);
  for (guint i = 0; i < picker->items->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), picker_row (g_ptr_array_index (picker->items, i)));
  g_signal_connect (list, "row-activated", G_CALLBACK (on_row_activated), picker);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (body, scrolled);
  return GTK_LIST_BOX (list);
}

/* A modal window over the counter that Escape closes. */
static GtkWindow *
window_new (GtkWindow *parent, const char *title, GtkWidget *body)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_default_size (GTK_WINDOW (window), 440, 520);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, shortcuts);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), body);
  adw_window_set_content (ADW_WINDOW (window), box);
  return GTK_WINDOW (window);
}

GtkWindow *
dc_counter_picker_open (GtkWindow *parent, const char *title, GtkWidget *banner, const char *prompt, GPtrArray *items,
                        gboolean with_entry, DcPickFunc func, gpointer user_data, GDestroyNotify destroy)
{
  Picker *picker = g_new0 (Picker, 1);
  GtkWidget *body = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *label = gtk_label_new (prompt);
  GtkWidget *focus = NULL;
  GtkListBox *list;

  picker->func = func;
  picker->user_data = user_data;
  picker->destroy = destroy;
  picker->items = g_ptr_array_ref (items);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  g_object_set (body, "margin-start", 12, "margin-end", 12, "margin-top", 12, "margin-bottom", 12, NULL);
  if (banner != NULL)
    gtk_box_append (GTK_BOX (body), banner);
  gtk_box_append (GTK_BOX (body), label);
  if (with_entry)
    focus = add_entry (picker, GTK_BOX (body));
  list = add_list (picker, GTK_BOX (body), prompt);
  /* a scanner types into the entry; otherwise Enter takes the first (preferred) terminal */
  if (focus == NULL && items->len > 0)
    focus = GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0));

  picker->window = window_new (parent, title, body);
  g_object_set_data_full (G_OBJECT (picker->window), "dc-picker", picker, picker_free);
  gtk_window_present (picker->window);
  if (focus != NULL)
    gtk_widget_grab_focus (focus);
  /* show which row Enter takes, before any arrow key was pressed */
  gtk_window_set_focus_visible (picker->window, TRUE);
  return picker->window;
}

GPtrArray *
dc_counter_terminals_in (GListModel *terminals, DcTerminalState state)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (terminals); i++)
    {
      DcTerminalItem *item = g_list_model_get_item (terminals, i);

      if (dc_terminal_item_get_state (item) == state)
        g_ptr_array_add (items, item);
      else
        g_object_unref (item);
    }
  return items;
}

GPtrArray *
dc_counter_destinations (GListModel *terminals, gboolean minor)
{
  g_autoptr(GPtrArray) free_ones = dc_counter_terminals_in (terminals, DC_TERMINAL_FREE);
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < free_ones->len; i++)
      {
        DcTerminalItem *item = g_ptr_array_index (free_ones, i);
        gboolean filtered = dc_terminal_item_get_filtered (item);

        if ((minor && filtered && pass == 0) || (!minor && filtered == (pass == 1)))
          g_ptr_array_add (items, g_object_ref (item));
      }
  return items;
}
