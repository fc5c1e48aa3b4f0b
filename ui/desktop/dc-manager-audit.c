/* ui/desktop/dc-manager-audit.c — the audit page: dc_audit_verify in a worker thread on its own connection, and its result. */
#include "dc-manager-audit.h"
#include "dc-audit.h"
#include "dc-date.h"
#include "dc-step-up-dialog.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

struct _DcManagerAudit
{
  GtkWidget     parent_instance;

  GtkWidget    *content;
  GtkWidget    *spinner;
  GtkWidget    *progress_label;
  GtkWidget    *result_box;
  GtkImage     *result_icon;
  GtkLabel     *result_label;
  GtkListBox   *problems_list;
  AdwActionRow *entries_row;
  AdwActionRow *rows_row;
  AdwActionRow *checkpoint_row;
  AdwActionRow *head_row;
  GtkLabel     *checked_label;

  DcSession    *session;        /* NULL once disposed: a late result is dropped */
  GCancellable *cancellable;
  gboolean      running;
};

G_DEFINE_FINAL_TYPE (DcManagerAudit, dc_manager_audit, GTK_TYPE_WIDGET)

static void
set_running (DcManagerAudit *self, gboolean running)
{
  self->running = running;
  gtk_widget_set_visible (self->spinner, running);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), running);
  gtk_widget_set_visible (self->progress_label, running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "audit.run", !running);
}

static void
set_outcome (DcManagerAudit *self, gboolean intact, const char *text)
{
  gtk_image_set_from_icon_name (self->result_icon, intact ? "emblem-ok-symbolic" : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), intact ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->result_icon), intact ? "success" : "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->result_label), intact ? "error" : "success");
  gtk_widget_add_css_class (GTK_WIDGET (self->result_label), intact ? "success" : "error");
  gtk_label_set_text (self->result_label, text);
  gtk_widget_set_visible (self->result_box, TRUE);
}

static void
show_problems (DcManagerAudit *self, GPtrArray *problems)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->problems_list))) != NULL)
    gtk_list_box_remove (self->problems_list, child);
  for (guint i = 0; problems != NULL && i < problems->len; i++)
    {
      GtkWidget *label = gtk_label_new (g_ptr_array_index (problems, i));

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "manager-problem");
      gtk_list_box_append (self->problems_list, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->problems_list), problems != NULL && problems->len > 0);
}

static void
set_count (AdwActionRow *row, gint64 n)
{
  g_autofree char *text = g_strdup_printf ("%" PRId64, n);

  adw_action_row_set_subtitle (row, text);
}

static void
show_report (DcManagerAudit *self, const DcVerifyReport *report)
{
  g_autofree char *hash = dc_hex (report->head_hash, sizeof report->head_hash);
  g_autofree char *head = g_strdup_printf (_("Entry %" PRId64 ", fingerprint %s"), report->head_seq, hash);
  g_autofree char *checkpoint = report->checkpoint_seq > 0
                                  ? g_strdup_printf (_("Entry %" PRId64 " (%" PRId64 " checkpoints in all)"),
                                                     report->checkpoint_seq, report->checkpoints)
                                  : g_strdup (_("None yet: one is signed at each manager sign-in"));
  g_autofree char *now = dc_time_to_display (dc_session_now (self->session),
                                             dc_store_timezone (dc_session_get_store (self->session)));
  g_autofree char *checked = g_strdup_printf (_("Checked at %s."), now);
  g_autofree char *outcome = NULL;
  guint n = report->problems->len;

  if (n == 0)
    set_outcome (self, TRUE, _("No tampering was detected."));
  else
    {
      outcome = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u problem was found: the records were changed outside Daicho.",
                                              "%u problems were found: the records were changed outside Daicho.", n), n);
      set_outcome (self, FALSE, outcome);
    }
  show_problems (self, report->problems);
  set_count (self->entries_row, report->entries);
  set_count (self->rows_row, report->rows);
  adw_action_row_set_subtitle (self->checkpoint_row, checkpoint);
  adw_action_row_set_subtitle (self->head_row, head);
  gtk_label_set_text (self->checked_label, checked);
}

static void
verify_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;
  /* a connection of its own: the counter's goes on serving check-ins meanwhile */
  g_autoptr(DcStore) store = dc_store_open (task_data, &error);
  DcVerifyReport *report = store != NULL ? dc_audit_verify (store, &error) : NULL;

  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) dc_verify_report_free);
}

static void
on_verified (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DcManagerAudit *self = DC_MANAGER_AUDIT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcVerifyReport) report = g_task_propagate_pointer (G_TASK (result), &error);

  if (self->session == NULL)
    return;
  set_running (self, FALSE);
  if (report == NULL)
    {
      show_problems (self, NULL);
      set_outcome (self, FALSE, error->message);
      return;
    }
  show_report (self, report);
}

static void
do_run (GtkWidget *widget, DcActor *manager)
{
  DcManagerAudit *self = DC_MANAGER_AUDIT (widget);
  g_autoptr(GTask) task = NULL;

  if (self->running)
    return;
  set_running (self, TRUE);
  task = g_task_new (self, self->cancellable, on_verified, NULL);
  g_task_set_task_data (task, g_strdup (dc_store_dir (dc_session_get_store (self->session))), g_free);
  g_task_run_in_thread (task, verify_thread);
}

void
dc_manager_audit_run (DcManagerAudit *self)
{
  g_return_if_fail (DC_IS_MANAGER_AUDIT (self));

  if (self->session != NULL)
    dc_step_up_then (GTK_WIDGET (self), self->session, do_run);
}

static void
run_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  dc_manager_audit_run (DC_MANAGER_AUDIT (widget));
}

void
dc_manager_audit_set_session (DcManagerAudit *self, DcSession *session)
{
  g_return_if_fail (DC_IS_MANAGER_AUDIT (self));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
}

static void
dc_manager_audit_dispose (GObject *object)
{
  DcManagerAudit *self = DC_MANAGER_AUDIT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_MANAGER_AUDIT);
  G_OBJECT_CLASS (dc_manager_audit_parent_class)->dispose (object);
}

static void
dc_manager_audit_finalize (GObject *object)
{
  g_clear_object (&DC_MANAGER_AUDIT (object)->cancellable);
  G_OBJECT_CLASS (dc_manager_audit_parent_class)->finalize (object);
}

static void
dc_manager_audit_class_init (DcManagerAuditClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_manager_audit_dispose;
  object_class->finalize = dc_manager_audit_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-manager-audit.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DcManagerAudit, content);
  gtk_widget_class_bind_template_child (widget_class, DcManagerAudit, spinner);
  gtk_widget_class_bind_template_child (widget_class, DcManagerAudit, progress_label);
  gtk_widget_class_bind_template_child (widget_class, DcManagerAudit, result_box);
  gtk_widget_class_bind_template_child (widget_class, DcManagerAudit, result_icon);
  gtk_widget_class_bind_template_child (widget_class, DcManagerAudit, result_label);
  gtk_widget_class_bind_template_child (widget_class, DcManagerAudit, problems_list);
  gtk_widget_class_bind_template_child (widget_class, DcManagerAudit, entries_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerAudit, rows_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerAudit, checkpoint_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerAudit, head_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerAudit, checked_label);

  gtk_widget_class_install_action (widget_class, "audit.run", NULL, run_action);
}

static void
dc_manager_audit_init (DcManagerAudit *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
