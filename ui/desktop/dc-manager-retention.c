/* ui/desktop/dc-manager-retention.c — the retention page: the oldest record, the dry run, holds, the purge history, the purge off the main thread, the schedule and the backup promise. */
#include "dc-manager-retention-private.h"
#include "dc-backup.h"
#include "dc-date.h"
#include "dc-hold.h"
#include "dc-manager-window.h"
#include "dc-retention.h"
#include "dc-schedule.h"
#include "dc-step-up-dialog.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

typedef enum { JOB_READ, JOB_PURGE, JOB_INSTALL, JOB_REMOVE } JobKind;

/* What a worker thread is asked to do, on a connection of its own. */
struct _DcRetentionJob {
  JobKind     kind;
  char       *dir;
  DcClockFunc clock;          /* the session store's, so a test's clock holds here too */
  gpointer    clock_data;
  gint64      staff_id;       /* JOB_PURGE: who asked */
  char       *daicho_ctl;     /* JOB_INSTALL */
  char       *backup_dir;     /* JOB_INSTALL */
};

/* What it found: everything the page shows, read after the action. */
typedef struct {
  JobKind           kind;
  DcPurgePlan      *done;     /* JOB_PURGE: what was removed */
  GError           *action_error;
  GError           *read_error;
  DcPurgePlan      *plan;
  GArray           *holds;    /* DcHold, released ones too */
  GArray           *history;  /* DcPurgeRecord */
  DcScheduleStatus  schedule;
  char             *schedule_error;
  gint64            last_backup;
  char             *last_backup_path;
  GPtrArray        *set_aside;   /* databases restores moved aside (paths) */
  gint64            keep_days;
} Snapshot;

G_DEFINE_FINAL_TYPE (DcManagerRetention, dc_manager_retention, GTK_TYPE_WIDGET)

/* ---- words and numbers ---- */

/* "1,234,567": digits grouped the same way in Japanese and English. */
char *
dc_manager_retention_format_count (gint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) ABS (n));
  GString *out = g_string_new (n < 0 ? "-" : "");
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static gulong
plural (gint64 n)
{
  return (gulong) CLAMP (n, 0, G_MAXLONG);
}

/* "1,234 visits, 2,345 terminal sessions, 300 identity records and 120 customers" */
static char *
counts_sentence (gint64 visits, gint64 sessions, gint64 verifications, gint64 customers)
{
  g_autofree char *nv = dc_manager_retention_format_count (visits);
  g_autofree char *ns = dc_manager_retention_format_count (sessions);
  g_autofree char *nr = dc_manager_retention_format_count (verifications);
  g_autofree char *nc = dc_manager_retention_format_count (customers);
  g_autofree char *v = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s visit", "%s visits", plural (visits)), nv);
  g_autofree char *s = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s terminal session", "%s terminal sessions",
                                                     plural (sessions)), ns);
  g_autofree char *r = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s identity record", "%s identity records",
                                                     plural (verifications)), nr);
  g_autofree char *c = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s customer", "%s customers",
                                                     plural (customers)), nc);

  /* Translators: the four counts of a purge: visits, terminal sessions, identity records, customers. */
  return g_strdup_printf (_("%s, %s, %s and %s"), v, s, r, c);
}

GTimeZone *
dc_manager_retention_store_tz (DcManagerRetention *self)
{
  return dc_store_timezone (dc_session_get_store (self->session));
}

/* The store-time day of @utc, "2026-11-21". */
static char *
day_text (DcManagerRetention *self, gint64 utc)
{
  GDate day;

  dc_date_from_instant (utc, dc_manager_retention_store_tz (self), &day);
  return dc_date_to_iso (&day);
}

char *
dc_manager_retention_time_text (DcManagerRetention *self, gint64 utc)
{
  return dc_time_to_display (utc, dc_manager_retention_store_tz (self));
}

static GtkWidget *
cell (const char *text, gboolean number, const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), number ? 1 : 0);
  gtk_widget_set_hexpand (label, !number);
  if (number)
    gtk_widget_add_css_class (label, "numeric");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

void
dc_manager_retention_clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

GtkWidget *
dc_manager_retention_note_row (const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "dim-label");
  return row;
}

/* ---- jobs: reading, purging and the schedule on a connection of their own ---- */

static void
job_free (Job *job)
{
  g_free (job->dir);
  g_free (job->daicho_ctl);
  g_free (job->backup_dir);
  g_free (job);
}

static void
snapshot_free (Snapshot *snap)
{
  g_clear_pointer (&snap->done, dc_purge_plan_free);
  g_clear_pointer (&snap->plan, dc_purge_plan_free);
  g_clear_error (&snap->action_error);
  g_clear_error (&snap->read_error);
  g_clear_pointer (&snap->holds, g_array_unref);
  g_clear_pointer (&snap->history, g_array_unref);
  dc_schedule_status_clear (&snap->schedule);
  g_free (snap->schedule_error);
  g_free (snap->last_backup_path);
  g_clear_pointer (&snap->set_aside, g_ptr_array_unref);
  g_free (snap);
}

static Job *
job_new (DcManagerRetention *self, JobKind kind)
{
  DcStore *store = dc_session_get_store (self->session);
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->dir = g_strdup (dc_store_dir (store));
  dc_store_get_clock (store, &job->clock, &job->clock_data);
  return job;
}

static void
run_action (DcStore *store, Job *job, Snapshot *snap)
{
  switch (job->kind)
    {
    case JOB_PURGE:
      dc_purge_run (store, job->staff_id, &snap->done, &snap->action_error);
      break;
    case JOB_INSTALL:
      dc_schedule_install (store, job->daicho_ctl, job->backup_dir, &snap->action_error);
      break;
    case JOB_REMOVE:
      dc_schedule_remove (store, &snap->action_error);
      break;
    case JOB_READ:
    default:
      break;
    }
}

static gboolean
read_snapshot (DcStore *store, Snapshot *snap, GError **error)
{
  g_autoptr(GError) schedule_error = NULL;

  snap->plan = dc_purge_plan (store, error);
  if (snap->plan == NULL)
    return FALSE;
  snap->holds = dc_hold_list (store, TRUE, error);
  if (snap->holds == NULL)
    return FALSE;
  snap->history = dc_purge_history (store, error);
  if (snap->history == NULL)
    return FALSE;
  if (!dc_backup_last (store, &snap->last_backup, &snap->last_backup_path, error))
    return FALSE;
  snap->set_aside = dc_backup_set_aside (dc_store_dir (store));
  /* systemd may be missing: the rest of the page still shows */
  if (!dc_schedule_status (store, &snap->schedule, &schedule_error))
    snap->schedule_error = g_strdup (schedule_error->message);
  snap->keep_days = dc_store_get_setting (store, DC_SETTING_BACKUP_KEEP_DAYS);
  return TRUE;
}

static void
job_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *job = task_data;
  Snapshot *snap = g_new0 (Snapshot, 1);
  /* the purge needs no secret; the counter's connection goes on serving check-ins */
  g_autoptr(DcStore) store = dc_store_open (job->dir, &snap->read_error);

  snap->kind = job->kind;
  if (store != NULL)
    {
      dc_store_set_clock (store, job->clock, job->clock_data);
      run_action (store, job, snap);
      read_snapshot (store, snap, &snap->read_error);
    }
  g_task_return_pointer (task, snap, (GDestroyNotify) snapshot_free);
}

static void on_job_done (GObject *source, GAsyncResult *result, gpointer user_data);
static void update_actions (DcManagerRetention *self);

static const char *
busy_text (JobKind kind)
{
  switch (kind)
    {
    case JOB_PURGE:
      return _("Purging…");
    case JOB_INSTALL:
      return _("Installing the schedule…");
    case JOB_REMOVE:
      return _("Removing the schedule…");
    case JOB_READ:
    default:
      return NULL;
    }
}

static void
set_running (DcManagerRetention *self, gboolean running, JobKind kind)
{
  const char *text = running ? busy_text (kind) : NULL;

  self->running = running;
  gtk_widget_set_visible (self->busy_spinner, running);
  gtk_spinner_set_spinning (GTK_SPINNER (self->busy_spinner), running);
  gtk_label_set_text (self->busy_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->busy_label), text != NULL);
  update_actions (self);
}

/* Takes @job. One job at a time: an action waits for a read in flight; reads asked for
 * meanwhile become one read afterwards. */
static void
start_job (DcManagerRetention *self, Job *job)
{
  g_autoptr(GTask) task = NULL;

  if (self->running)
    {
      if (job->kind == JOB_READ)
        {
          self->read_again = TRUE;
          job_free (job);
          return;
        }
      g_clear_pointer (&self->queued, job_free);
      self->queued = job;
      return;
    }
  /* every job re-reads when it is done */
  self->read_again = FALSE;
  self->stale = FALSE;
  set_running (self, TRUE, job->kind);
  task = g_task_new (self, self->cancellable, on_job_done, NULL);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

static void
request_read (DcManagerRetention *self)
{
  if (self->session != NULL)
    start_job (self, job_new (self, JOB_READ));
}

/* ---- showing what was read ---- */

static gboolean
plan_removes_anything (const DcPurgePlan *plan)
{
  return plan != NULL && (plan->visits > 0 || plan->sessions > 0 || plan->verifications > 0 || plan->customers > 0);
}

static void
show_oldest (DcManagerRetention *self, const DcPurgePlan *plan)
{
  g_autofree char *ended = NULL;
  g_autofree char *through = NULL;
  g_autofree char *oldest = NULL;
  g_autofree char *from = NULL;
  g_autofree char *cutoff = day_text (self, plan->cutoff);
  g_autofree char *past = g_strdup_printf (_("Services that ended before %s"), cutoff);
  GDate day;

  adw_action_row_set_subtitle (self->cutoff_row, past);
  if (plan->oldest_end == 0)
    {
      adw_action_row_set_subtitle (self->oldest_row, _("No finished visit is stored yet."));
      return;
    }
  ended = day_text (self, plan->oldest_end);
  dc_retention_keep_through (dc_manager_retention_store_tz (self), plan->oldest_end, &day);
  through = dc_date_to_iso (&day);
  if (plan->oldest_purge_from <= plan->now)
    oldest = g_strdup_printf (_("The service ended on %s and was kept through %s: a purge removes it unless a hold keeps it."),
                              ended, through);
  else
    {
      from = day_text (self, plan->oldest_purge_from);
      oldest = g_strdup_printf (_("The service ended on %s. It is kept through %s and may be removed from %s."),
                                ended, through, from);
    }
  adw_action_row_set_subtitle (self->oldest_row, oldest);
}

static void
grid_row (GtkGrid *grid, int row, const char *first, const gint64 values[4], const char *css_class)
{
  gtk_grid_attach (grid, cell (first, FALSE, css_class), 0, row, 1, 1);
  for (int i = 0; i < 4; i++)
    {
      g_autofree char *text = dc_manager_retention_format_count (values[i]);

      gtk_grid_attach (grid, cell (text, TRUE, css_class), i + 1, row, 1, 1);
    }
}

static void
show_plan (DcManagerRetention *self, const DcPurgePlan *plan)
{
  const char *heads[] = { _("Service ended"), _("Visits"), _("Sessions"), _("Identity records"), _("Customers") };
  const gint64 totals[4] = { plan->visits, plan->sessions, plan->verifications, plan->customers };
  GtkWidget *child;
  g_autofree char *held = NULL;
  g_autofree char *open = dc_manager_retention_format_count (plan->open_visits);
  gboolean any = plan->months->len > 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->plan_grid))) != NULL)
    gtk_grid_remove (self->plan_grid, child);
  for (int i = 0; i < 5; i++)
    gtk_grid_attach (self->plan_grid, cell (heads[i], i > 0, "caption-heading"), i, 0, 1, 1);
  for (guint i = 0; i < plan->months->len; i++)
    {
      const DcPurgeMonth *m = &g_array_index (plan->months, DcPurgeMonth, i);
      const gint64 values[4] = { m->visits, m->sessions, m->verifications, m->customers };

      grid_row (self->plan_grid, (int) i + 1, m->month, values, NULL);
    }
  grid_row (self->plan_grid, (int) plan->months->len + 1, _("Total"), totals, "retention-total");
  gtk_widget_set_visible (GTK_WIDGET (self->plan_grid), any);
  gtk_widget_set_visible (self->plan_empty, !any);

  if (plan->held_visits == 0 && plan->held_sessions == 0 && plan->held_verifications == 0 && plan->held_customers == 0)
    held = g_strdup (_("Nothing: no hold keeps a record past its retention date."));
  else
    held = counts_sentence (plan->held_visits, plan->held_sessions, plan->held_verifications, plan->held_customers);
  adw_action_row_set_subtitle (self->held_row, held);
  adw_action_row_set_subtitle (self->open_row, open);
}

static void
show_history (DcManagerRetention *self, GArray *history)
{
  dc_manager_retention_clear_list (self->history_list);
  if (history->len == 0)
    gtk_list_box_append (self->history_list, dc_manager_retention_note_row (_("No purge has run yet.")));
  for (guint i = 0; i < history->len; i++)
    {
      const DcPurgeRecord *p = &g_array_index (history, DcPurgeRecord, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *at = dc_manager_retention_time_text (self, p->at);
      g_autofree char *what = counts_sentence (p->visits, p->sessions, p->verifications, p->customers);
      g_autofree char *cutoff = day_text (self, p->cutoff);
      g_autofree char *subtitle = g_strdup_printf (_("Removed %s.\nServices that ended before %s."), what, cutoff);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), at);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_list_box_append (self->history_list, row);
    }
}

static void
set_state (DcManagerRetention *self, const char *text, const char *css_class)
{
  static const char *const classes[] = { "retention-on", "retention-off", "retention-problem" };

  for (gsize i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->schedule_state), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->schedule_state), css_class);
  gtk_label_set_text (self->schedule_state, text);
}

static void
show_schedule (DcManagerRetention *self, const Snapshot *snap)
{
  const DcScheduleStatus *s = &snap->schedule;
  g_autofree char *next = NULL;
  g_autofree char *when = NULL;
  g_autofree char *last = NULL;

  self->installed = snap->schedule_error == NULL && s->installed;
  if (snap->schedule_error != NULL)
    {
      set_state (self, _("Unknown"), "retention-problem");
      adw_action_row_set_subtitle (self->schedule_row, snap->schedule_error);
    }
  else if (s->installed && s->active)
    {
      set_state (self, _("On"), "retention-on");
      when = s->next_run != 0 ? dc_manager_retention_time_text (self, s->next_run) : NULL;
      next = when != NULL ? g_strdup_printf (_("Next run: %s"), when) : g_strdup (_("Runs every day."));
      adw_action_row_set_subtitle (self->schedule_row, next);
    }
  else if (s->installed)
    {
      set_state (self, _("Stopped"), "retention-problem");
      adw_action_row_set_subtitle (self->schedule_row, _("Installed, but the timers are not running."));
    }
  else
    {
      set_state (self, _("Off"), "retention-off");
      adw_action_row_set_subtitle (self->schedule_row, _("The purge and backups run only when started by hand."));
    }
  gtk_button_set_label (self->schedule_button, self->installed ? _("Remove") : _("Install"));
  gtk_widget_set_visible (self->ctl_note, self->daicho_ctl == NULL && !self->installed);
  if (snap->history->len > 0)
    last = dc_manager_retention_time_text (self, g_array_index (snap->history, DcPurgeRecord, 0).at);
  adw_action_row_set_subtitle (self->last_purge_row, last != NULL ? last : _("Never"));
  if (self->installed && s->backup_dir != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->backup_dir_row), s->backup_dir);
}

/* A restore keeps the database it replaced beside the store: personal data that no purge
 * reaches until the manager deletes it. */
static void
show_set_aside (DcManagerRetention *self, GPtrArray *aside)
{
  g_autoptr(GString) text = NULL;

  gtk_widget_set_visible (self->aside_note, aside != NULL && aside->len > 0);
  if (aside == NULL || aside->len == 0)
    return;
  text = g_string_new (g_dngettext (GETTEXT_PACKAGE,
                                    "A restore set this database aside. It holds personal data that no purge reaches: "
                                    "delete it once the restored store is in use.",
                                    "Restores set these databases aside. They hold personal data that no purge "
                                    "reaches: delete them once the restored store is in use.",
                                    aside->len));
  for (guint i = 0; i < aside->len; i++)
    g_string_append_printf (text, "\n%s", (const char *) g_ptr_array_index (aside, i));
  gtk_label_set_text (GTK_LABEL (self->aside_note), text->str);
}

static void
show_backups (DcManagerRetention *self, const Snapshot *snap)
{
  int days = (int) snap->keep_days;
  g_autofree char *promise = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
      "Each backup is kept for %d day and then deleted by the daily backup, so records removed by a purge are gone from every backup within %d day of the purge.",
      "Each backup is kept for %d days and then deleted by the daily backup, so records removed by a purge are gone from every backup within %d days of the purge.",
      plural (days)), days, days);
  g_autofree char *at = NULL;
  g_autofree char *last = NULL;

  adw_preferences_group_set_description (self->backup_group, promise);
  show_set_aside (self, snap->set_aside);
  if (snap->last_backup == 0)
    {
      adw_action_row_set_subtitle (self->last_backup_row, _("No backup has been taken yet."));
      return;
    }
  at = dc_manager_retention_time_text (self, snap->last_backup);
  last = snap->last_backup_path != NULL ? g_strconcat (at, "\n", snap->last_backup_path, NULL) : g_strdup (at);
  adw_action_row_set_subtitle (self->last_backup_row, last);
}

static void
show_snapshot (DcManagerRetention *self, Snapshot *snap)
{
  if (snap->read_error != NULL)
    {
      dc_manager_window_toast (GTK_WIDGET (self), snap->read_error->message);
      return;
    }
  g_clear_pointer (&self->plan, dc_purge_plan_free);
  self->plan = g_steal_pointer (&snap->plan);
  show_oldest (self, self->plan);
  show_plan (self, self->plan);
  show_history (self, snap->history);
  dc_manager_retention_show_holds (self, snap->holds);
  show_schedule (self, snap);
  show_backups (self, snap);
  update_actions (self);
}

/* What the manager is told when an action is done. */
static void
tell_outcome (DcManagerRetention *self, Snapshot *snap)
{
  g_autofree char *what = NULL;
  g_autofree char *message = NULL;

  if (snap->action_error != NULL)
    {
      dc_manager_window_toast (GTK_WIDGET (self), snap->action_error->message);
      return;
    }
  switch (snap->kind)
    {
    case JOB_PURGE:
      if (!plan_removes_anything (snap->done))
        {
          dc_manager_window_toast (GTK_WIDGET (self), _("Nothing was removed: nothing had passed its retention date."));
          break;
        }
      what = counts_sentence (snap->done->visits, snap->done->sessions, snap->done->verifications,
                              snap->done->customers);
      message = g_strdup_printf (_("Purged: %s removed for good."), what);
      dc_manager_window_toast (GTK_WIDGET (self), message);
      break;
    case JOB_INSTALL:
      dc_manager_window_toast (GTK_WIDGET (self), _("The daily purge and backup are scheduled."));
      break;
    case JOB_REMOVE:
      dc_manager_window_toast (GTK_WIDGET (self), _("The schedule was removed: the purge and backups no longer run by themselves."));
      break;
    case JOB_READ:
    default:
      break;
    }
}

static void
on_job_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (source);
  Snapshot *snap = g_task_propagate_pointer (G_TASK (result), NULL);
  Job *next;

  /* gone, or cancelled as it went */
  if (snap == NULL || self->session == NULL)
    {
      g_clear_pointer (&snap, snapshot_free);
      return;
    }
  set_running (self, FALSE, JOB_READ);
  show_snapshot (self, snap);
  tell_outcome (self, snap);
  if (snap->kind == JOB_PURGE && snap->action_error == NULL)
    {
      /* the other pages re-read; this one just did */
      self->emitting = TRUE;
      dc_session_changed (self->session);
      self->emitting = FALSE;
    }
  snapshot_free (snap);
  next = g_steal_pointer (&self->queued);
  if (next != NULL)
    start_job (self, next);
  else if (self->read_again)
    request_read (self);
}

/* ---- the purge ---- */

static void
do_start_purge (GtkWidget *widget, DcActor *manager)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (widget);
  Job *job;

  if (!dc_actor_is_manager (manager))
    {
      dc_manager_window_toast (widget, _("Only a manager can purge records."));
      return;
    }
  job = job_new (self, JOB_PURGE);
  job->staff_id = dc_actor_staff_id (manager);
  start_job (self, job);
}

static void
on_purge_response (AdwMessageDialog *dialog, const char *response, DcManagerRetention *self)
{
  if (g_strcmp0 (response, "purge") == 0 && self->session != NULL)
    dc_step_up_then (GTK_WIDGET (self), self->session, do_start_purge);
}

static void
do_confirm_purge (GtkWidget *widget, DcActor *manager)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (widget);
  g_autofree char *what = NULL;
  g_autofree char *cutoff = NULL;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (!plan_removes_anything (self->plan))
    {
      dc_manager_window_toast (widget, _("Nothing has passed its retention date."));
      return;
    }
  what = counts_sentence (self->plan->visits, self->plan->sessions, self->plan->verifications, self->plan->customers);
  cutoff = day_text (self, self->plan->cutoff);
  body = g_strdup_printf (_("This removes %s for good: the records of every service that ended before %s, except what holds keep. It cannot be undone."),
                          what, cutoff);
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("Purge Now?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("Cancel"), "purge", _("Purge for Good"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "purge", ADW_RESPONSE_DESTRUCTIVE);
  /* nothing so final happens on a stray Enter */
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_purge_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
purge_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (widget);

  if (self->session != NULL)
    dc_step_up_then (widget, self->session, do_confirm_purge);
}

/* ---- the schedule ---- */

static char *
find_daicho_ctl (void)
{
  g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = program != NULL ? g_path_get_dirname (program) : NULL;
  g_autofree char *sibling = dir != NULL ? g_build_filename (dir, "daicho-ctl", NULL) : NULL;

  /* installed together, the two programs are side by side */
  if (sibling != NULL && g_file_test (sibling, G_FILE_TEST_IS_EXECUTABLE) && !g_file_test (sibling, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&sibling);
  return g_find_program_in_path ("daicho-ctl");
}

static void
do_schedule (GtkWidget *widget, DcActor *manager)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (widget);
  g_autofree char *dir = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->backup_dir_row))));
  Job *job;

  if (self->installed)
    {
      start_job (self, job_new (self, JOB_REMOVE));
      return;
    }
  if (self->daicho_ctl == NULL)
    return;
  if (!g_path_is_absolute (dir))
    {
      dc_manager_window_toast (widget, _("Type the full path of the backup folder first, for example /media/backup/daicho."));
      gtk_widget_grab_focus (self->backup_dir_row);
      return;
    }
  job = job_new (self, JOB_INSTALL);
  job->daicho_ctl = g_strdup (self->daicho_ctl);
  job->backup_dir = g_steal_pointer (&dir);
  start_job (self, job);
}

static void
schedule_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (widget);

  if (self->session != NULL)
    dc_step_up_then (widget, self->session, do_schedule);
}

/* ---- set-up ---- */

static void
update_actions (DcManagerRetention *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean idle = !self->running;

  /* an auditor may place a hold (police requests reach them too); only managers release,
   * purge or change the schedule */
  gtk_widget_action_set_enabled (widget, "retention.add-hold", TRUE);
  gtk_widget_action_set_enabled (widget, "retention.release", self->can_manage);
  gtk_widget_action_set_enabled (widget, "retention.purge",
                                 self->can_manage && idle && plan_removes_anything (self->plan));
  gtk_widget_action_set_enabled (widget, "retention.schedule",
                                 self->can_manage && idle && (self->installed || self->daicho_ctl != NULL));
  gtk_widget_set_sensitive (self->backup_dir_row, self->can_manage && !self->installed);
  gtk_widget_set_visible (self->auditor_note, !self->can_manage);
}

void
dc_manager_retention_set_can_manage (DcManagerRetention *self, gboolean can_manage)
{
  g_return_if_fail (DC_IS_MANAGER_RETENTION (self));

  self->can_manage = can_manage;
  update_actions (self);
}

static void
on_changed (DcManagerRetention *self)
{
  if (self->emitting)
    return;
  /* a check-in at the counter changes the counts: read again only while shown */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    request_read (self);
  else
    self->stale = TRUE;
}

void
dc_manager_retention_set_session (DcManagerRetention *self, DcSession *session)
{
  g_autofree char *parent = NULL;
  g_autofree char *default_dir = NULL;

  g_return_if_fail (DC_IS_MANAGER_RETENTION (self));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  /* beside the store; the manager is told to choose another disk */
  parent = g_path_get_dirname (dc_store_dir (dc_session_get_store (session)));
  default_dir = g_build_filename (parent, "backups", NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->backup_dir_row), default_dir);
  g_signal_connect_object (session, "changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  request_read (self);
}

gboolean
dc_manager_retention_is_busy (DcManagerRetention *self)
{
  g_return_val_if_fail (DC_IS_MANAGER_RETENTION (self), FALSE);

  return self->running || self->queued != NULL || self->read_again;
}

static void
dc_manager_retention_map (GtkWidget *widget)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (widget);

  GTK_WIDGET_CLASS (dc_manager_retention_parent_class)->map (widget);
  if (self->stale)
    request_read (self);
}

static void
dc_manager_retention_dispose (GObject *object)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->session);
  dc_manager_retention_holds_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_MANAGER_RETENTION);
  G_OBJECT_CLASS (dc_manager_retention_parent_class)->dispose (object);
}

static void
dc_manager_retention_finalize (GObject *object)
{
  DcManagerRetention *self = DC_MANAGER_RETENTION (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->plan, dc_purge_plan_free);
  g_clear_pointer (&self->queued, job_free);
  g_ptr_array_unref (self->released_rows);
  g_free (self->daicho_ctl);
  G_OBJECT_CLASS (dc_manager_retention_parent_class)->finalize (object);
}

static void
dc_manager_retention_class_init (DcManagerRetentionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_manager_retention_dispose;
  object_class->finalize = dc_manager_retention_finalize;
  widget_class->map = dc_manager_retention_map;

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-manager-retention.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, content);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, oldest_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, cutoff_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, busy_label);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, purge_button);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, plan_box);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, plan_grid);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, plan_empty);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, held_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, open_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, history_list);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, auditor_note);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, add_hold_button);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, hold_list);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, released_list);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, released_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, schedule_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, schedule_state);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, schedule_button);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, last_purge_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, ctl_note);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, aside_note);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, backup_group);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, last_backup_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, backup_dir_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, hold_form);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, hold_kind_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, hold_visit_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, hold_member_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, hold_from_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, hold_to_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, hold_terminals_group);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, hold_terminals);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, hold_reason_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, hold_reference_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerRetention, hold_error);
  /* the hold callbacks and the actions "retention.add-hold" and "retention.release" */
  dc_manager_retention_holds_class_init (widget_class);

  gtk_widget_class_install_action (widget_class, "retention.purge", NULL, purge_action);
  gtk_widget_class_install_action (widget_class, "retention.schedule", NULL, schedule_action);
}

static void
dc_manager_retention_init (DcManagerRetention *self)
{
  self->cancellable = g_cancellable_new ();
  self->released_rows = g_ptr_array_new ();
  self->daicho_ctl = find_daicho_ctl ();
  gtk_widget_init_template (GTK_WIDGET (self));
  dc_manager_retention_holds_init (self);
  update_actions (self);
}
