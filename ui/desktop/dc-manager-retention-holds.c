/* ui/desktop/dc-manager-retention-holds.c — the retention page's holds: the list of holds, the "Add Hold" dialog and its form, and releasing a hold with a reason. */
#include "dc-manager-retention-private.h"
#include "dc-date.h"
#include "dc-hold.h"
#include "dc-manager-window.h"
#include "dc-member.h"
#include "dc-records.h"
#include "dc-step-up-dialog.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

/* As listed in hold_kind_row. */
enum { KIND_VISIT, KIND_MEMBER, KIND_RANGE };

/* ---- the list of holds ---- */

static char *
hold_details (DcManagerRetention *self, const DcHold *h)
{
  g_autofree char *placed_at = dc_manager_retention_time_text (self, h->created_at);
  g_autofree char *released_at = h->released_at != 0 ? dc_manager_retention_time_text (self, h->released_at) : NULL;
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, _("Reason: %s"), h->reason);
  if (h->reference != NULL && *h->reference != '\0')
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Reference: %s"), h->reference);
    }
  g_string_append_c (text, '\n');
  g_string_append_printf (text, _("Placed by %s on %s"), h->created_by, placed_at);
  if (released_at != NULL)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Released by %s on %s: %s"), h->released_by != NULL ? h->released_by : "",
                              released_at, h->release_reason != NULL ? h->release_reason : "");
    }
  return g_string_free (text, FALSE);
}

static GtkWidget *
hold_row (DcManagerRetention *self, const DcHold *h)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf (_("Hold %" PRId64 ": %s"), h->id, h->scope);
  g_autofree char *details = hold_details (self, h);
  GtkWidget *button;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), details);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  if (h->released_at != 0)
    {
      gtk_widget_add_css_class (row, "retention-released");
      return row;
    }
  button = gtk_button_new_with_label (_("Release…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "retention.release");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (h->id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

void
dc_manager_retention_show_holds (DcManagerRetention *self, GArray *holds)
{
  guint in_force = 0;
  g_autofree char *count = NULL;
  g_autofree char *released = NULL;

  dc_manager_retention_clear_list (self->hold_list);
  for (guint i = 0; i < self->released_rows->len; i++)
    adw_expander_row_remove (self->released_row, g_ptr_array_index (self->released_rows, i));
  g_ptr_array_set_size (self->released_rows, 0);
  for (guint i = 0; i < holds->len; i++)
    {
      const DcHold *h = &g_array_index (holds, DcHold, i);
      GtkWidget *row = hold_row (self, h);

      if (h->released_at == 0)
        {
          gtk_list_box_append (self->hold_list, row);
          in_force++;
          continue;
        }
      adw_expander_row_add_row (self->released_row, row);
      g_ptr_array_add (self->released_rows, row);
    }
  if (in_force == 0)
    gtk_list_box_append (self->hold_list, dc_manager_retention_note_row (_("No hold is in force.")));
  count = dc_manager_retention_format_count (self->released_rows->len);
  /* Translators: the title of the list of released holds, with how many there are. */
  released = g_strdup_printf (_("Released holds (%s)"), count);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->released_row), released);
  gtk_widget_set_visible (self->released_list, self->released_rows->len > 0);
}


/* ---- releasing a hold ---- */

static void
on_release_reason_changed (GtkEditable *reason, AdwMessageDialog *dialog)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (reason)));

  adw_message_dialog_set_response_enabled (dialog, "release", *text != '\0');
}

static void
on_release_response (AdwMessageDialog *dialog, const char *response, DcManagerRetention *self)
{
  GtkEditable *reason_row = g_object_get_data (G_OBJECT (dialog), "reason");
  gint64 hold_id = *(gint64 *) g_object_get_data (G_OBJECT (dialog), "hold");
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (reason_row)));
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  DcActor *manager;

  if (g_strcmp0 (response, "release") != 0 || self->session == NULL)
    return;
  manager = dc_session_get_manager (self->session);
  if (manager == NULL)
    {
      dc_manager_window_toast (GTK_WIDGET (self), _("The step-up ended: nothing was changed. Try again."));
      return;
    }
  if (!dc_hold_release (dc_session_get_store (self->session), manager, hold_id, reason, &error))
    {
      dc_manager_window_toast (GTK_WIDGET (self), error->message);
      return;
    }
  message = g_strdup_printf (_("Hold %" PRId64 " was released: its records age normally again."), hold_id);
  dc_session_changed (self->session);
  dc_manager_window_toast (GTK_WIDGET (self), message);
}

static void
do_open_release (GtkWidget *widget, DcActor *manager)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (widget);
  g_autofree char *heading = g_strdup_printf (_("Release Hold %" PRId64 "?"), self->pending_hold);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                              _("Its records are removed by the next purge once their retention date has passed. Say why the hold ends: the reason is kept in the audit record."));
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *reason = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (reason), _("Reason for the release"));
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (reason), TRUE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_list_box_append (GTK_LIST_BOX (list), reason);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("Cancel"), "release", _("Release Hold"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "release", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "release", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "release");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "reason", reason);
  g_object_set_data_full (G_OBJECT (dialog), "hold", g_memdup2 (&self->pending_hold, sizeof self->pending_hold), g_free);
  g_signal_connect (reason, "changed", G_CALLBACK (on_release_reason_changed), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_release_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (reason);
}

static void
release_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (widget);

  if (self->session == NULL)
    return;
  self->pending_hold = g_variant_get_int64 (parameter);
  dc_step_up_then (widget, self->session, do_open_release);
}

/* ---- adding a hold ---- */

static void
show_hold_error (DcManagerRetention *self, const char *message, GtkWidget *focus)
{
  gtk_label_set_text (self->hold_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hold_error), message != NULL);
  if (focus != NULL)
    gtk_widget_grab_focus (focus);
}

static void
on_hold_input_changed (DcManagerRetention *self)
{
  show_hold_error (self, NULL, NULL);
}

static void
on_hold_kind_changed (DcManagerRetention *self)
{
  guint kind = adw_combo_row_get_selected (self->hold_kind_row);

  gtk_widget_set_visible (self->hold_visit_row, kind == KIND_VISIT);
  gtk_widget_set_visible (self->hold_member_row, kind == KIND_MEMBER);
  gtk_widget_set_visible (self->hold_from_row, kind == KIND_RANGE);
  gtk_widget_set_visible (self->hold_to_row, kind == KIND_RANGE);
  gtk_widget_set_visible (self->hold_terminals_group, kind == KIND_RANGE);
  show_hold_error (self, NULL, NULL);
}

static char *
entry_text (GtkWidget *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* The visit (or, with @customer, the customer) a number names, as the records page finds it. */
static gboolean
find_visit (DcManagerRetention *self, DcActor *actor, const char *query, gboolean customer, gint64 *out_id,
            GError **error)
{
  g_autoptr(GArray) visits = dc_records_find_visits (dc_session_get_store (self->session), actor, query, 1, error);
  const DcVisitRecord *v;

  if (visits == NULL)
    return FALSE;
  if (visits->len == 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("No visit has this number."));
      return FALSE;
    }
  v = &g_array_index (visits, DcVisitRecord, 0);
  *out_id = customer ? v->customer_id : v->visit_id;
  return TRUE;
}

static GArray *
ticked_terminals (DcManagerRetention *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkFlowBoxChild *item;

  for (int i = 0; (item = gtk_flow_box_get_child_at_index (self->hold_terminals, i)) != NULL; i++)
    {
      GtkWidget *check = gtk_flow_box_child_get_child (item);
      gint64 id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (check), "terminal-id"));

      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        g_array_append_val (ids, id);
    }
  return ids;
}

static gboolean
range_from_form (DcManagerRetention *self, DcHoldScope *scope, GtkWidget **focus, GError **error)
{
  g_autofree char *from = entry_text (self->hold_from_row);
  g_autofree char *to = entry_text (self->hold_to_row);

  scope->kind = DC_HOLD_RANGE;
  *focus = self->hold_from_row;
  if (!dc_time_parse (from, dc_manager_retention_store_tz (self), &scope->from, error))
    return FALSE;
  *focus = self->hold_to_row;
  if (!dc_time_parse (to, dc_manager_retention_store_tz (self), &scope->to, error))
    return FALSE;
  if (scope->to <= scope->from)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The end of the time range must be after its start."));
      return FALSE;
    }
  scope->terminals = ticked_terminals (self);
  return TRUE;
}

/* The scope the form names; on failure *@focus is the field to correct. */
static gboolean
scope_from_form (DcManagerRetention *self, DcActor *actor, DcHoldScope *scope, GtkWidget **focus, GError **error)
{
  g_autofree char *visit = entry_text (self->hold_visit_row);
  g_autofree char *member = entry_text (self->hold_member_row);
  g_autofree char *query = NULL;
  g_autofree char *digits = NULL;

  switch (adw_combo_row_get_selected (self->hold_kind_row))
    {
    case KIND_VISIT:
      *focus = self->hold_visit_row;
      scope->kind = DC_HOLD_VISIT;
      if (*visit == '\0')
        {
          g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Type the visit number."));
          return FALSE;
        }
      /* "#12" is a visit number to the records page, "12" could be a member number */
      query = g_str_has_prefix (visit, "#") || g_str_has_prefix (visit, "＃") ? g_strdup (visit)
                                                                             : g_strconcat ("#", visit, NULL);
      return find_visit (self, actor, query, FALSE, &scope->id, error);
    case KIND_MEMBER:
      *focus = self->hold_member_row;
      scope->kind = DC_HOLD_CUSTOMER;
      if (!dc_member_number_check (member, &digits))
        {
          g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("This member number is not right: check the digits."));
          return FALSE;
        }
      return find_visit (self, actor, digits, TRUE, &scope->id, error);
    case KIND_RANGE:
      return range_from_form (self, scope, focus, error);
    default:
      *focus = GTK_WIDGET (self->hold_kind_row);
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Choose what to keep."));
      return FALSE;
    }
}

static void
do_add_hold (GtkWidget *widget, DcActor *actor)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (widget);
  g_autofree char *reason = entry_text (self->hold_reason_row);
  g_autofree char *reference = entry_text (self->hold_reference_row);
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  DcHoldScope scope = { 0 };
  GtkWidget *focus = NULL;
  gint64 id = 0;
  gboolean ok;

  if (self->hold_dialog == NULL)
    return;
  if (!scope_from_form (self, actor, &scope, &focus, &error))
    {
      show_hold_error (self, error->message, focus);
      g_clear_pointer (&scope.terminals, g_array_unref);
      return;
    }
  if (*reason == '\0')
    {
      show_hold_error (self, _("Give a reason, for example the police request."), self->hold_reason_row);
      g_clear_pointer (&scope.terminals, g_array_unref);
      return;
    }
  ok = dc_hold_add (dc_session_get_store (self->session), actor, &scope, reason, *reference != '\0' ? reference : NULL,
                    0, &id, &error);
  g_clear_pointer (&scope.terminals, g_array_unref);
  if (!ok)
    {
      show_hold_error (self, error->message, NULL);
      return;
    }
  gtk_window_destroy (self->hold_dialog);
  message = g_strdup_printf (_("Hold %" PRId64 " is in force: its records are kept until it is released."), id);
  dc_session_changed (self->session);
  dc_manager_window_toast (widget, message);
}

static void
on_hold_submit (DcManagerRetention *self)
{
  if (self->session != NULL)
    dc_step_up_then (GTK_WIDGET (self), self->session, do_add_hold);
}

static void
fill_terminals (DcManagerRetention *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcBoard) board = dc_session_read_board (self->session, &error);
  GtkFlowBoxChild *item;

  while ((item = gtk_flow_box_get_child_at_index (self->hold_terminals, 0)) != NULL)
    gtk_flow_box_remove (self->hold_terminals, GTK_WIDGET (item));
  for (guint i = 0; board != NULL && i < board->terminals->len; i++)
    {
      const DcBoardTerminal *t = &g_array_index (board->terminals, DcBoardTerminal, i);
      GtkWidget *check = gtk_check_button_new_with_label (t->label);

      g_object_set_data (G_OBJECT (check), "terminal-id", GSIZE_TO_POINTER ((gsize) t->id));
      gtk_flow_box_append (self->hold_terminals, check);
    }
}

/* The form lives with the page: a closed dialog gives it back. */
static void
take_back_form (DcManagerRetention *self)
{
  GtkWidget *parent = gtk_widget_get_parent (self->hold_form);

  if (GTK_IS_VIEWPORT (parent))
    gtk_viewport_set_child (GTK_VIEWPORT (parent), NULL);
}

static void
reset_hold_form (DcManagerRetention *self)
{
  GtkWidget *rows[] = { self->hold_visit_row, self->hold_member_row, self->hold_from_row, self->hold_to_row,
                        self->hold_reason_row, self->hold_reference_row };

  take_back_form (self);
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_editable_set_text (GTK_EDITABLE (rows[i]), "");
  adw_combo_row_set_selected (self->hold_kind_row, KIND_VISIT);
  on_hold_kind_changed (self);
  fill_terminals (self);
}

static GtkWidget *
hold_dialog_new (DcManagerRetention *self)
{
  GtkWidget *dialog = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *add = gtk_button_new_with_mnemonic (_("_Add Hold"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkEventController *keys = gtk_shortcut_controller_new ();

  gtk_window_set_title (GTK_WINDOW (dialog), _("Add a Hold"));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  /* tall enough for the time range with its terminals; the form scrolls past that */
  gtk_window_set_default_size (GTK_WINDOW (dialog), 580, 640);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), add);
  gtk_widget_add_css_class (add, "suggested-action");
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (gtk_window_close), dialog);
  g_signal_connect_object (add, "clicked", G_CALLBACK (on_hold_submit), self, G_CONNECT_SWAPPED);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->hold_form);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (dialog), box);
  gtk_window_set_default_widget (GTK_WINDOW (dialog), add);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (dialog, keys);
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (take_back_form), self, G_CONNECT_SWAPPED);
  return dialog;
}

static void
do_open_hold_dialog (GtkWidget *widget, DcActor *actor)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (widget);

  if (self->hold_dialog != NULL)
    {
      gtk_window_present (self->hold_dialog);
      return;
    }
  reset_hold_form (self);
  self->hold_dialog = GTK_WINDOW (hold_dialog_new (self));
  g_object_add_weak_pointer (G_OBJECT (self->hold_dialog), (gpointer *) &self->hold_dialog);
  gtk_window_present (self->hold_dialog);
  gtk_widget_grab_focus (self->hold_visit_row);
}

static void
add_hold_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (widget);

  if (self->session != NULL)
    dc_step_up_then (widget, self->session, do_open_hold_dialog);
}

/* ---- set-up ---- */

void
dc_manager_retention_holds_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_hold_kind_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_hold_input_changed);

  gtk_widget_class_install_action (widget_class, "retention.add-hold", NULL, add_hold_action);
  gtk_widget_class_install_action (widget_class, "retention.release", "x", release_action);
}

void
dc_manager_retention_holds_init (DcManagerRetention *self)
{
  on_hold_kind_changed (self);
}

void
dc_manager_retention_holds_dispose (DcManagerRetention *self)
{
  if (self->hold_dialog != NULL)
    {
      GtkWindow *dialog = self->hold_dialog;

      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->hold_dialog);
      self->hold_dialog = NULL;
      gtk_window_destroy (dialog);
    }
}
