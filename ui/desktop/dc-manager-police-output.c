/* ui/desktop/dc-manager-police-output.c — the police page hands over: the bundle export with its progress, printing the rows, the inspection report. */
#include "dc-manager-police-private.h"
#include "dc-date.h"
#include "dc-export.h"
#include "dc-inspection.h"
#include "dc-manager-window.h"
#include "dc-minisign.h"
#include "dc-records-report.h"
#include "dc-step-up-dialog.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* The progress bar redraws at most this often (µs): pumping the main loop costs time. */
#define PUMP_INTERVAL (40 * 1000)

static void
toast (DcManagerPolice *self, const char *message)
{
  dc_manager_window_toast (GTK_WIDGET (self), message);
}

/* ---- export ---- */

/* The export runs on this thread (the store is not shared between threads); the bar moves
 * because the main loop turns in the progress callback. Meanwhile every window of the
 * application is insensitive: no click or key (Ctrl+L included) can start another action,
 * lock the session or close the window under the export. */
static void
set_busy (DcManagerPolice *self, gboolean busy)
{
  self->busy = busy;
  if (busy)
    {
      GList *windows = gtk_window_list_toplevels ();

      self->blocked = g_ptr_array_new_with_free_func (g_object_unref);
      for (GList *l = windows; l != NULL; l = l->next)
        if (gtk_widget_get_sensitive (l->data))
          {
            /* a text field made insensitive under the focus complains: the focus goes
             * first, and comes back after */
            GtkWidget *focus = gtk_window_get_focus (l->data);

            g_object_set_data_full (l->data, "dc-police-focus", focus != NULL ? g_object_ref (focus) : NULL,
                                    g_object_unref);
            gtk_window_set_focus (l->data, NULL);
            gtk_widget_set_sensitive (l->data, FALSE);
            g_ptr_array_add (self->blocked, g_object_ref (l->data));
          }
      g_list_free (windows);
      gtk_progress_bar_set_fraction (self->progress, 0);
      gtk_progress_bar_set_text (self->progress, _("Starting the export…"));
      gtk_widget_set_visible (GTK_WIDGET (self->progress), TRUE);
    }
  else
    {
      for (guint i = 0; self->blocked != NULL && i < self->blocked->len; i++)
        {
          GtkWindow *window = g_ptr_array_index (self->blocked, i);
          GtkWidget *focus = g_object_steal_data (G_OBJECT (window), "dc-police-focus");

          gtk_widget_set_sensitive (GTK_WIDGET (window), TRUE);
          if (focus != NULL && gtk_widget_get_root (focus) == GTK_ROOT (window))
            gtk_window_set_focus (window, focus);
          g_clear_object (&focus);
        }
      g_clear_pointer (&self->blocked, g_ptr_array_unref);
      if (self->progress != NULL)
        gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
    }
  if (self->session != NULL)
    dc_manager_police_update_actions (self);
}

static void
on_progress (double fraction, const char *what, gpointer user_data)
{
  DcManagerPolice *self = user_data;
  gint64 now = g_get_monotonic_time ();

  if (self->progress == NULL)
    return;
  gtk_progress_bar_set_fraction (self->progress, CLAMP (fraction, 0.0, 1.0));
  if (what != NULL)
    gtk_progress_bar_set_text (self->progress, what);
  if (now - self->last_pump < PUMP_INTERVAL && fraction < 1.0)
    return;
  self->last_pump = now;
  for (int i = 0; i < 50 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static gboolean
folder_name_ok (const char *name)
{
  return *name != '\0' && strchr (name, '/') == NULL && strcmp (name, ".") != 0 && strcmp (name, "..") != 0;
}

static void
export_failed (DcManagerPolice *self, const char *message, gboolean focus_name)
{
  dc_manager_police_show_status (self, message, TRUE);
  if (focus_name)
    gtk_widget_grab_focus (GTK_WIDGET (self->folder_entry));
}

static void
export_done (DcManagerPolice *self, DcSession *session, gint64 request, const DcExportSummary *summary)
{
  DcActor *actor = dc_session_get_manager (session);
  g_autofree char *digest = g_strndup (summary->manifest_sha256, 16);
  /* Translators: after an export: the bundle's folder and the start of its manifest's SHA-256 (also in the ledger). */
  g_autofree char *message = g_strdup_printf (_("The bundle is in %s (manifest SHA-256 %s…)."), summary->dir, digest);

  dc_manager_police_show_status (self, message, FALSE);
  toast (self, message);
  gtk_switch_set_active (self->hold_switch, FALSE);
  if (actor != NULL)
    dc_manager_police_load_requests (self, actor, request);
  /* a hold changes what the retention page shows */
  dc_session_changed (session);
}

char *
dc_manager_police_export_to (DcManagerPolice *self, const char *parent_dir)
{
  g_autoptr(DcManagerPolice) alive = NULL;
  g_autoptr(DcSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *out_dir = NULL;
  DcExportSummary summary = { 0 };
  DcActor *actor;
  gint64 request;
  gboolean ok;

  g_return_val_if_fail (DC_IS_MANAGER_POLICE (self), NULL);
  g_return_val_if_fail (parent_dir != NULL, NULL);

  if (self->session == NULL || self->busy)
    return NULL;
  actor = dc_session_get_manager (self->session);
  if (actor == NULL)
    {
      toast (self, _("Confirm with your passphrase again, then export."));
      return NULL;
    }
  if (!dc_manager_police_allowed (self, actor))
    return NULL;
  request = dc_manager_police_selected_request (self);
  if (request == 0 || self->result == NULL)
    {
      export_failed (self, _("Choose the request in the list and run the query first: the bundle holds what the preview shows."),
                     FALSE);
      return NULL;
    }
  name = g_strstrip (g_strdup (gtk_editable_get_text (self->folder_entry)));
  if (!folder_name_ok (name))
    {
      export_failed (self, _("Give the bundle's folder a name, without “/”."), TRUE);
      return NULL;
    }
  out_dir = g_build_filename (parent_dir, name, NULL);
  if (g_file_test (out_dir, G_FILE_TEST_EXISTS))
    {
      g_autofree char *message = g_strdup_printf (_("There is already a “%s” in that folder: choose another name."), name);

      export_failed (self, message, TRUE);
      return NULL;
    }

  /* the progress bar lets the main loop turn: the idle lock or Ctrl+L in a dialog may come
   * meanwhile. The held session keeps the manager's keys until the export is done; the page
   * and the session outlive it whatever happens while the bar redraws */
  alive = g_object_ref (self);
  session = g_object_ref (self->session);
  dc_session_hold (session);
  set_busy (self, TRUE);
  ok = dc_export_bundle (dc_session_get_store (session), actor, request, &self->scope,
                         gtk_switch_get_active (self->hold_switch), out_dir, on_progress, self, &summary, &error);
  set_busy (self, FALSE);
  /* a lock asked for during the export happens now: the page may be emptied by it */
  dc_session_release (session);
  if (self->session == NULL)
    {
      dc_export_summary_clear (&summary);
      return ok ? g_steal_pointer (&out_dir) : NULL;
    }
  if (!ok)
    {
      export_failed (self, error->message, FALSE);
      toast (self, error->message);
      return NULL;
    }
  export_done (self, session, request, &summary);
  dc_export_summary_clear (&summary);
  return g_steal_pointer (&out_dir);
}

static void
forget_chooser (DcManagerPolice *self)
{
  if (self->chooser == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->chooser, self);
  gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
}

static char *
chosen_path (DcManagerPolice *self, int response)
{
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT || self->chooser == NULL)
    return NULL;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (self->chooser));
  return file != NULL ? g_file_get_path (file) : NULL;
}

static void
on_export_folder (GtkNativeDialog *dialog, int response, DcManagerPolice *self)
{
  g_autofree char *parent = chosen_path (self, response);

  forget_chooser (self);
  if (parent != NULL)
    g_free (dc_manager_police_export_to (self, parent));
}

static GtkFileChooserNative *
chooser_new (DcManagerPolice *self, const char *title, GtkFileChooserAction action, const char *accept)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                               action, accept, _("_Cancel"));

  forget_chooser (self);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  return chooser;
}

static void
do_export (GtkWidget *widget, DcActor *actor)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);
  GtkFileChooserNative *chooser;

  if (!dc_manager_police_allowed (self, actor) || self->busy)
    return;
  chooser = chooser_new (self, _("Choose Where to Put the Bundle"), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                         _("_Export Here"));
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_folder), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);

  if (self->session != NULL && !self->busy)
    dc_step_up_then (widget, self->session, do_export);
}

/* ---- print ---- */

static void
on_begin_print (GtkPrintOperation *op, GtkPrintContext *context, DcPdfDoc *doc)
{
  guint pages = dc_pdf_doc_layout (doc, gtk_print_context_get_width (context), gtk_print_context_get_height (context));

  gtk_print_operation_set_n_pages (op, (int) pages);
}

static void
on_draw_page (GtkPrintOperation *op, GtkPrintContext *context, int page, DcPdfDoc *doc)
{
  dc_pdf_doc_draw_page (doc, gtk_print_context_get_cairo_context (context), (guint) page);
}

/* The rows as records.pdf shows them; there is no bundle, so no checkpoint. */
static DcPdfDoc *
records_doc (DcManagerPolice *self, DcActor *actor)
{
  DcStore *store = dc_session_get_store (self->session);
  g_autofree char *scope = dc_query_scope_describe_full (store, &self->scope);
  g_autoptr(GBytes) csv = dc_records_csv (store, self->result);
  g_autofree char *csv_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, csv);
  g_autofree char *key_id = dc_minisign_key_id_text (dc_store_sign_pk (store));
  DcRecordsHeader header = {
    .request = dc_manager_police_find_request (self, self->result_request),
    .scope = scope,
    .exported_at = dc_session_now (self->session),
    .staff = dc_actor_name (actor),
    .csv_sha256 = csv_sha256,
    .key_id = key_id,
  };

  return dc_records_pdf (store, &header, self->result);
}

static void
on_print_done (GtkPrintOperation *op, GtkPrintOperationResult result, DcManagerPolice *self)
{
  g_autoptr(GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (op, &error);
      toast (self, error != NULL ? error->message : _("The rows could not be printed."));
    }
  if (self->print_op == op)
    g_clear_object (&self->print_op);
}

/* Printing @doc (taken), A4 landscape as the PDF is, named @job. */
static GtkPrintOperation *
print_operation_new (DcPdfDoc *doc, const char *job)
{
  GtkPrintOperation *op = gtk_print_operation_new ();
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);

  gtk_page_setup_set_paper_size (setup, a4);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_LANDSCAPE);
  gtk_print_operation_set_default_page_setup (op, setup);
  /* the document draws from the paper's corner, in points */
  gtk_print_operation_set_use_full_page (op, TRUE);
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (op, job);
  g_object_set_data_full (G_OBJECT (op), "dc-doc", doc, (GDestroyNotify) dc_pdf_doc_free);
  g_signal_connect (op, "begin-print", G_CALLBACK (on_begin_print), doc);
  g_signal_connect (op, "draw-page", G_CALLBACK (on_draw_page), doc);
  return op;
}

static GtkPrintOperation *
records_print_new (DcManagerPolice *self, DcActor *actor)
{
  const DcRequest *request = dc_manager_police_find_request (self, self->result_request);
  g_autofree char *job = request != NULL ? g_strdup_printf ("daicho-%s", request->reference) : g_strdup ("daicho");

  return print_operation_new (records_doc (self, actor), job);
}

static GtkPrintOperation *
ledger_print_new (DcManagerPolice *self)
{
  return print_operation_new (dc_ledger_pdf (dc_session_get_store (self->session), self->requests), "daicho-ledger");
}

static GtkWindow *
parent_window (DcManagerPolice *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

gboolean
dc_manager_police_print_to (DcManagerPolice *self, const char *path, GError **error)
{
  g_autoptr(GtkPrintOperation) op = NULL;
  DcActor *actor;

  g_return_val_if_fail (DC_IS_MANAGER_POLICE (self), FALSE);

  actor = self->session != NULL ? dc_session_get_manager (self->session) : NULL;
  if (actor == NULL || self->result == NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION, _("Run the query first, confirmed with a passphrase."));
      return FALSE;
    }
  op = records_print_new (self, actor);
  gtk_print_operation_set_export_filename (op, path);
  return gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, parent_window (self), error)
         != GTK_PRINT_OPERATION_RESULT_ERROR;
}

/* Show the print dialog for @op (taken); one print at a time. */
static void
run_print_dialog (DcManagerPolice *self, GtkPrintOperation *op_in)
{
  g_autoptr(GtkPrintOperation) op = op_in;
  g_autoptr(GError) error = NULL;

  gtk_print_operation_set_allow_async (op, TRUE);
  g_signal_connect_object (op, "done", G_CALLBACK (on_print_done), self, 0);
  g_set_object (&self->print_op, op);
  if (gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent_window (self), &error)
      == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      toast (self, error->message);
      g_clear_object (&self->print_op);
    }
}

static void
do_print (GtkWidget *widget, DcActor *actor)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);

  if (!dc_manager_police_allowed (self, actor) || self->result == NULL || self->print_op != NULL)
    return;
  run_print_dialog (self, records_print_new (self, actor));
}

/* The ledger as it was last read (the reading is audited): its requests and exports. */
gboolean
dc_manager_police_print_ledger_to (DcManagerPolice *self, const char *path, GError **error)
{
  g_autoptr(GtkPrintOperation) op = NULL;

  g_return_val_if_fail (DC_IS_MANAGER_POLICE (self), FALSE);

  if (self->session == NULL || dc_session_get_manager (self->session) == NULL || self->requests == NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION, _("Confirm with a passphrase first: the ledger is read then."));
      return FALSE;
    }
  op = ledger_print_new (self);
  gtk_print_operation_set_export_filename (op, path);
  return gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, parent_window (self), error)
         != GTK_PRINT_OPERATION_RESULT_ERROR;
}

static void
do_print_ledger (GtkWidget *widget, DcActor *actor)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);

  if (!dc_manager_police_allowed (self, actor) || self->requests == NULL || self->print_op != NULL)
    return;
  run_print_dialog (self, ledger_print_new (self));
}

static void
print_ledger_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);

  if (self->session != NULL && !self->busy)
    dc_step_up_then (widget, self->session, do_print_ledger);
}


static void
print_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);

  if (self->session != NULL && !self->busy)
    dc_step_up_then (widget, self->session, do_print);
}

/* ---- the inspection report ---- */

gboolean
dc_manager_police_inspection_to (DcManagerPolice *self, const char *path, GError **error)
{
  g_autofree char *message = NULL;

  g_return_val_if_fail (DC_IS_MANAGER_POLICE (self), FALSE);
  g_return_val_if_fail (self->session != NULL, FALSE);

  if (!dc_inspection_report_write (dc_session_get_store (self->session), path, error))
    return FALSE;
  message = g_strdup_printf (_("The inspection report is saved as %s."), path);
  toast (self, message);
  return TRUE;
}

static void
on_inspection_file (GtkNativeDialog *dialog, int response, DcManagerPolice *self)
{
  g_autofree char *path = chosen_path (self, response);
  g_autoptr(GError) error = NULL;

  forget_chooser (self);
  if (path != NULL && !dc_manager_police_inspection_to (self, path, &error))
    toast (self, error->message);
}

static void
do_inspection (GtkWidget *widget, DcActor *actor)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *day = NULL;
  g_autofree char *name = NULL;
  GDate today;

  if (!dc_manager_police_allowed (self, actor) || self->busy)
    return;
  dc_store_today (dc_session_get_store (self->session), &today);
  day = dc_date_to_iso (&today);
  name = g_strdup_printf ("inspection-report-%s.pdf", day);
  chooser = chooser_new (self, _("Save the Inspection Report"), GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (on_inspection_file), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
inspection_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerPolice *self = DC_MANAGER_POLICE (widget);

  if (self->session != NULL && !self->busy)
    dc_step_up_then (widget, self->session, do_inspection);
}

/* ---- set-up ---- */

void
dc_manager_police_output_dispose (DcManagerPolice *self)
{
  forget_chooser (self);
  if (self->print_op != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->print_op, self);
      gtk_print_operation_cancel (self->print_op);
      g_clear_object (&self->print_op);
    }
}

void
dc_manager_police_output_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "police.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "police.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "police.print-ledger", NULL, print_ledger_action);
  gtk_widget_class_install_action (widget_class, "police.inspection", NULL, inspection_action);
}
