/* ui/desktop/dc-manager-filings.c — the filings page: changes to notify the police (変更届), marking them filed, the self-inspection. */
#include "dc-manager-filings.h"
#include "dc-date.h"
#include "dc-filing-report.h"
#include "dc-filing.h"
#include "dc-manager-window.h"
#include "dc-step-up-dialog.h"
#include "dc-time.h"

#include <glib/gi18n-lib.h>

struct _DcManagerFilings
{
  GtkWidget          parent_instance;

  GtkWidget         *content;
  GtkWidget         *banner;
  GtkLabel          *banner_label;
  GtkListBox        *list;
  GtkWidget         *note_row;
  GtkWidget         *notification_row;
  GtkLabel          *filed_error;
  GtkWidget         *check_group;
  GtkLabel          *last_check;
  GtkWidget         *check_note_row;
  GtkLabel          *check_error;
  GtkSwitch         *switches[DC_CHECK_N_ITEMS];

  DcSession         *session;
  GtkPrintOperation *print_op;
  gint64             pending_id;   /* the filing a step-up waits for; 0: all pending */
  gboolean           can_manage;
};

G_DEFINE_FINAL_TYPE (DcManagerFilings, dc_manager_filings, GTK_TYPE_WIDGET)

static char *
due_text (DcStore *store, gint64 due)
{
  GDate day;

  dc_filing_due_day (store, due, &day);
  return dc_date_to_iso (&day);
}

static GtkWidget *
state_label (const char *text, const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "manager-state");
  gtk_widget_add_css_class (label, css);
  return label;
}

static GtkWidget *
filing_row (DcManagerFilings *self, const DcFiling *f)
{
  DcStore *store = dc_session_get_store (self->session);
  GTimeZone *tz = dc_store_timezone (store);
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *at = dc_time_to_display (f->at, tz);
  g_autofree char *due = due_text (store, f->due);
  g_autofree char *subtitle = NULL;
  g_autofree char *state = NULL;
  GtkWidget *button;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), f->what);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (f->filed_at != 0)
    {
      g_autofree char *filed = dc_time_to_display (f->filed_at, tz);

      /* Translators: changed <time> · filed <time> by <name>: <note> */
      subtitle = g_strdup_printf (_("Changed %s · filed %s by %s: %s"), at, filed,
                                  f->filed_by != NULL ? f->filed_by : "—", f->filed_note != NULL ? f->filed_note : "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), state_label (_("Filed"), "free"));
      gtk_widget_add_css_class (row, "filings-filed");
      return row;
    }
  /* Translators: changed <time> · <kind of change> */
  subtitle = g_strdup_printf (_("Changed %s · %s"), at, dc_filing_kind_label (f->kind));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (dc_session_now (self->session) > f->due)
    state = g_strdup_printf (_("Was due %s"), due);
  else
    state = g_strdup_printf (_("Due %s"), due);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state_label (state, dc_session_now (self->session) > f->due
                                                                          ? "locked" : "in-use"));
  button = gtk_button_new_with_label (_("Mark Filed"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "filings.filed");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (f->id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

/* The page's tab asks for attention while something is owed. */
static void
set_attention (DcManagerFilings *self, gboolean attention)
{
  GtkWidget *stack = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_VIEW_STACK);
  AdwViewStackPage *page;

  if (stack == NULL)
    return;
  page = adw_view_stack_get_page (ADW_VIEW_STACK (stack), GTK_WIDGET (self));
  if (page != NULL)
    adw_view_stack_page_set_needs_attention (page, attention);
}

static void
show_last_check (DcManagerFilings *self)
{
  DcStore *store = dc_session_get_store (self->session);
  g_autoptr(GError) error = NULL;
  g_autofree char *at = NULL;
  g_autofree char *text = NULL;
  DcSelfCheck check = { 0 };
  gboolean found = FALSE;
  guint failures;

  if (!dc_self_check_latest (store, &check, &found, &error))
    {
      gtk_label_set_text (self->last_check, error->message);
      return;
    }
  if (!found)
    {
      gtk_label_set_text (self->last_check, _("No self-inspection has been recorded yet."));
      return;
    }
  at = dc_time_to_display (check.at, dc_store_timezone (store));
  failures = dc_self_check_failures (&check);
  if (failures == 0)
    text = g_strdup_printf (_("Last inspected %s by %s: every measure in place."), at, check.by);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Last inspected %s by %s: %u measure not in place.",
                                         "Last inspected %s by %s: %u measures not in place.", failures),
                            at, check.by, failures);
  gtk_label_set_text (self->last_check, text);
  /* the switches start from the last answers: a monthly check changes little */
  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    gtk_switch_set_active (self->switches[i], check.items[i].ok);
  dc_self_check_clear (&check);
}

/* The notification on file, unless the manager is editing it. */
static void
show_notification (DcManagerFilings *self)
{
  g_autofree char *text = NULL;

  if (gtk_widget_has_focus (self->notification_row) || gtk_widget_get_focus_child (self->notification_row) != NULL)
    return;
  if (dc_filing_get_notification (dc_session_get_store (self->session), &text, NULL))
    gtk_editable_set_text (GTK_EDITABLE (self->notification_row), text != NULL ? text : "");
}

static void
reload (DcManagerFilings *self)
{
  DcStore *store = dc_session_get_store (self->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) filings = dc_filing_list (store, FALSE, &error);
  g_autofree char *reminder_text = NULL;
  DcFilingReminder reminder;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  if (filings == NULL || !dc_filing_reminder (store, &reminder, &error))
    {
      dc_manager_window_toast (GTK_WIDGET (self), error->message);
      return;
    }
  for (guint i = 0; i < filings->len; i++)
    gtk_list_box_append (self->list, filing_row (self, &g_array_index (filings, DcFiling, i)));
  if (filings->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No change has been recorded."));
      gtk_list_box_append (self->list, row);
    }
  reminder_text = dc_filing_reminder_text (store, &reminder);
  gtk_label_set_text (self->banner_label, reminder_text != NULL ? reminder_text : "");
  gtk_widget_set_visible (self->banner, reminder_text != NULL);
  if (reminder.overdue)
    gtk_widget_add_css_class (self->banner, "overdue");
  else
    gtk_widget_remove_css_class (self->banner, "overdue");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "filings.file-all", self->can_manage && reminder.pending > 0);
  set_attention (self, reminder_text != NULL);
  show_last_check (self);
  show_notification (self);
}

/* ---- marking filed ---- */

static void
show_error (GtkLabel *label, const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
do_filed (GtkWidget *widget, DcActor *manager)
{
  DcManagerFilings *self = DC_MANAGER_FILINGS (widget);
  DcStore *store = dc_session_get_store (self->session);
  g_autoptr(GError) error = NULL;
  g_autofree char *note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->note_row))));
  g_autofree char *message = NULL;
  guint n = 1;
  gboolean ok;

  ok = self->pending_id != 0 ? dc_filing_mark_filed (store, manager, self->pending_id, note, &error)
                             : dc_filing_mark_all_filed (store, manager, note, &n, &error);
  if (!ok)
    {
      show_error (self->filed_error, error->message);
      gtk_widget_grab_focus (self->note_row);
      return;
    }
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u notification marked filed.",
                                          "%u notifications marked filed.", n), n);
  gtk_editable_set_text (GTK_EDITABLE (self->note_row), "");
  show_error (self->filed_error, NULL);
  dc_session_changed (self->session);
  dc_manager_window_toast (widget, message);
}

static void
filed_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerFilings *self = DC_MANAGER_FILINGS (widget);

  self->pending_id = parameter != NULL ? g_variant_get_int64 (parameter) : 0;
  dc_step_up_then (widget, self->session, do_filed);
}

static void
on_note_changed (DcManagerFilings *self)
{
  show_error (self->filed_error, NULL);
}

/* ---- the notification on file ---- */

static void
do_notification (GtkWidget *widget, DcActor *manager)
{
  DcManagerFilings *self = DC_MANAGER_FILINGS (widget);
  g_autoptr(GError) error = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->notification_row));

  if (!dc_filing_set_notification (dc_session_get_store (self->session), manager, text, &error))
    {
      dc_manager_window_toast (widget, error->message);
      gtk_widget_grab_focus (self->notification_row);
      return;
    }
  gtk_widget_grab_focus (GTK_WIDGET (self->list));
  dc_session_changed (self->session);
  dc_manager_window_toast (widget, _("The notification details were saved."));
}

static void
on_notification_apply (DcManagerFilings *self)
{
  dc_step_up_then (GTK_WIDGET (self), self->session, do_notification);
}

/* ---- the self-inspection ---- */

static void
do_check (GtkWidget *widget, DcActor *manager)
{
  DcManagerFilings *self = DC_MANAGER_FILINGS (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->check_note_row))));
  gboolean ok[DC_CHECK_N_ITEMS];

  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    ok[i] = gtk_switch_get_active (self->switches[i]);
  if (!dc_self_check_add (dc_session_get_store (self->session), manager, ok, NULL, *note != '\0' ? note : NULL, NULL,
                          &error))
    {
      show_error (self->check_error, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->check_note_row), "");
  show_error (self->check_error, NULL);
  dc_session_changed (self->session);
  dc_manager_window_toast (widget, _("Self-inspection recorded."));
}

static void
check_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  dc_step_up_then (widget, DC_MANAGER_FILINGS (widget)->session, do_check);
}

static void
build_check_rows (DcManagerFilings *self)
{
  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), dc_check_item_label (i));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 3);
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_widget_set_name (sw, dc_check_item_id (i));
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, dc_check_item_label (i), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->check_group), row);
      self->switches[i] = GTK_SWITCH (sw);
    }
}

/* ---- printing ---- */

static void
on_begin_print (GtkPrintOperation *op, GtkPrintContext *context, DcPdfDoc *doc)
{
  gtk_print_operation_set_n_pages (op, (int) dc_pdf_doc_layout (doc, gtk_print_context_get_width (context),
                                                                gtk_print_context_get_height (context)));
}

static void
on_draw_page (GtkPrintOperation *op, GtkPrintContext *context, int page, DcPdfDoc *doc)
{
  dc_pdf_doc_draw_page (doc, gtk_print_context_get_cairo_context (context), (guint) page);
}

static GtkPrintOperation *
print_operation_new (DcManagerFilings *self, GError **error)
{
  DcPdfDoc *doc = dc_filing_report (dc_session_get_store (self->session), TRUE, error);
  GtkPrintOperation *op;
  g_autoptr(GtkPageSetup) setup = NULL;
  g_autoptr(GtkPaperSize) a4 = NULL;

  if (doc == NULL)
    return NULL;
  op = gtk_print_operation_new ();
  setup = gtk_page_setup_new ();
  a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  gtk_page_setup_set_paper_size (setup, a4);
  gtk_print_operation_set_default_page_setup (op, setup);
  /* the document draws from the paper's corner, in points */
  gtk_print_operation_set_use_full_page (op, TRUE);
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (op, "daicho-filings");
  g_object_set_data_full (G_OBJECT (op), "dc-doc", doc, (GDestroyNotify) dc_pdf_doc_free);
  g_signal_connect (op, "begin-print", G_CALLBACK (on_begin_print), doc);
  g_signal_connect (op, "draw-page", G_CALLBACK (on_draw_page), doc);
  return op;
}

static GtkWindow *
parent_window (DcManagerFilings *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

gboolean
dc_manager_filings_print_to (DcManagerFilings *self, const char *path, GError **error)
{
  g_autoptr(GtkPrintOperation) op = NULL;

  g_return_val_if_fail (DC_IS_MANAGER_FILINGS (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  op = print_operation_new (self, error);
  if (op == NULL)
    return FALSE;
  gtk_print_operation_set_export_filename (op, path);
  return gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, parent_window (self), error)
         != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
on_print_done (GtkPrintOperation *op, GtkPrintOperationResult result, DcManagerFilings *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (op, &error);
      dc_manager_window_toast (GTK_WIDGET (self), error != NULL ? error->message : _("The summary could not be printed."));
    }
  if (self->print_op == op)
    g_clear_object (&self->print_op);
}

static void
print_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerFilings *self = DC_MANAGER_FILINGS (widget);
  g_autoptr(GtkPrintOperation) op = NULL;
  g_autoptr(GError) error = NULL;

  if (self->session == NULL || self->print_op != NULL)
    return;
  op = print_operation_new (self, &error);
  if (op == NULL)
    {
      dc_manager_window_toast (widget, error->message);
      return;
    }
  gtk_print_operation_set_allow_async (op, TRUE);
  g_signal_connect_object (op, "done", G_CALLBACK (on_print_done), self, 0);
  g_set_object (&self->print_op, op);
  if (gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent_window (self), &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      dc_manager_window_toast (widget, error->message);
      g_clear_object (&self->print_op);
    }
}

/* ---- set-up ---- */

void
dc_manager_filings_remind (DcManagerFilings *self)
{
  DcStore *store;
  g_autofree char *text = NULL;
  DcFilingReminder reminder;

  g_return_if_fail (DC_IS_MANAGER_FILINGS (self));
  if (self->session == NULL)
    return;
  store = dc_session_get_store (self->session);
  if (!dc_filing_reminder (store, &reminder, NULL))
    return;
  text = dc_filing_reminder_text (store, &reminder);
  if (text != NULL)
    dc_manager_window_toast (GTK_WIDGET (self), text);
}

void
dc_manager_filings_set_can_manage (DcManagerFilings *self, gboolean can_manage)
{
  g_return_if_fail (DC_IS_MANAGER_FILINGS (self));

  self->can_manage = can_manage;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "filings.filed", can_manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "filings.file-all", can_manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "filings.check", can_manage);
  gtk_widget_set_sensitive (self->note_row, can_manage);
  gtk_widget_set_sensitive (self->notification_row, can_manage);
  gtk_widget_set_sensitive (self->check_group, can_manage);
  gtk_widget_set_sensitive (self->check_note_row, can_manage);
  if (self->session != NULL)
    reload (self);
}

void
dc_manager_filings_set_session (DcManagerFilings *self, DcSession *session)
{
  g_return_if_fail (DC_IS_MANAGER_FILINGS (self));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  /* a terminal added on the terminals page is a change to notify */
  g_signal_connect_object (session, "changed", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
  reload (self);
}

static void
dc_manager_filings_dispose (GObject *object)
{
  DcManagerFilings *self = DC_MANAGER_FILINGS (object);

  g_clear_object (&self->print_op);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_MANAGER_FILINGS);
  G_OBJECT_CLASS (dc_manager_filings_parent_class)->dispose (object);
}

static void
dc_manager_filings_class_init (DcManagerFilingsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = dc_manager_filings_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-manager-filings.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DcManagerFilings, content);
  gtk_widget_class_bind_template_child (widget_class, DcManagerFilings, banner);
  gtk_widget_class_bind_template_child (widget_class, DcManagerFilings, banner_label);
  gtk_widget_class_bind_template_child (widget_class, DcManagerFilings, list);
  gtk_widget_class_bind_template_child (widget_class, DcManagerFilings, note_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerFilings, notification_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerFilings, filed_error);
  gtk_widget_class_bind_template_child (widget_class, DcManagerFilings, check_group);
  gtk_widget_class_bind_template_child (widget_class, DcManagerFilings, last_check);
  gtk_widget_class_bind_template_child (widget_class, DcManagerFilings, check_note_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerFilings, check_error);
  gtk_widget_class_bind_template_callback (widget_class, on_note_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_notification_apply);

  gtk_widget_class_install_action (widget_class, "filings.filed", "x", filed_action);
  gtk_widget_class_install_action (widget_class, "filings.file-all", NULL, filed_action);
  gtk_widget_class_install_action (widget_class, "filings.check", NULL, check_action);
  gtk_widget_class_install_action (widget_class, "filings.print", NULL, print_action);
}

static void
dc_manager_filings_init (DcManagerFilings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_check_rows (self);
}
