/* ui/desktop/dc-manager-retention.c — the retention page: the oldest record, the dry run, holds, the purge history, the purge off the main thread, the schedule and the backup promise. */
#include "dc-manager-retention.h"
#include "dc-backup.h"
#include "dc-date.h"
#include "dc-hold.h"
#include "dc-manager-window.h"
#include "dc-member.h"
#include "dc-records.h"
#include "dc-retention.h"
#include "dc-schedule.h"
#include "dc-step-up-dialog.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

/* As listed in hold_kind_row. */
enum { KIND_VISIT, KIND_MEMBER, KIND_RANGE };

typedef enum { JOB_READ, JOB_PURGE, JOB_INSTALL, JOB_REMOVE } JobKind;

/* What a worker thread is asked to do, on a connection of its own. */
typedef struct {
  JobKind     kind;
  char       *dir;
  DcClockFunc clock;          /* the session store's, so a test's clock holds here too */
  gpointer    clock_data;
  gint64      staff_id;       /* JOB_PURGE: who asked */
  char       *daicho_ctl;     /* JOB_INSTALL */
  char       *backup_dir;     /* JOB_INSTALL */
} Job;

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
  gint64            keep_days;
} Snapshot;

struct _DcManagerRetention
{
  GtkWidget       parent_instance;

  GtkWidget      *content;
  AdwActionRow   *oldest_row;
  AdwActionRow   *cutoff_row;
  GtkWidget      *busy_spinner;
  GtkLabel       *busy_label;
  GtkWidget      *purge_button;
  GtkWidget      *plan_box;
  GtkGrid        *plan_grid;
  GtkWidget      *plan_empty;
  AdwActionRow   *held_row;
  AdwActionRow   *open_row;
  GtkListBox     *history_list;
  GtkWidget      *auditor_note;
  GtkWidget      *add_hold_button;
  GtkListBox     *hold_list;
  GtkWidget      *released_list;
  AdwExpanderRow *released_row;
  AdwActionRow   *schedule_row;
  GtkLabel       *schedule_state;
  GtkButton      *schedule_button;
  AdwActionRow   *last_purge_row;
  GtkWidget      *ctl_note;
  AdwPreferencesGroup *backup_group;
  AdwActionRow   *last_backup_row;
  GtkWidget      *backup_dir_row;
  /* the "Add Hold" dialog's form */
  GtkWidget      *hold_form;
  AdwComboRow    *hold_kind_row;
  GtkWidget      *hold_visit_row;
  GtkWidget      *hold_member_row;
  GtkWidget      *hold_from_row;
  GtkWidget      *hold_to_row;
  GtkWidget      *hold_terminals_group;
  GtkFlowBox     *hold_terminals;
  GtkWidget      *hold_reason_row;
  GtkWidget      *hold_reference_row;
  GtkLabel       *hold_error;

  DcSession      *session;       /* NULL once disposed: a late result is dropped */
  GCancellable   *cancellable;
  DcPurgePlan    *plan;          /* as shown: the confirmation states its counts */
  GPtrArray      *released_rows; /* in released_row, to take out again */
  GtkWindow      *hold_dialog;   /* weak */
  char           *daicho_ctl;    /* NULL when not found */
  gint64          pending_hold;  /* the hold a release waits for a step-up with */
  Job            *queued;        /* an action waiting for the running job */
  gboolean        running;
  gboolean        read_again;
  gboolean        stale;         /* records changed while the page was not shown */
  gboolean        emitting;      /* our own "changed": already re-read */
  gboolean        can_manage;
  gboolean        installed;
};

G_DEFINE_FINAL_TYPE (DcManagerRetention, dc_manager_retention, GTK_TYPE_WIDGET)

/* ---- words and numbers ---- */

/* "1,234,567": digits grouped the same way in Japanese and English. */
static char *
format_count (gint64 n)
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
  g_autofree char *nv = format_count (visits);
  g_autofree char *ns = format_count (sessions);
  g_autofree char *nr = format_count (verifications);
  g_autofree char *nc = format_count (customers);
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

static GTimeZone *
store_tz (DcManagerRetention *self)
{
  return dc_store_timezone (dc_session_get_store (self->session));
}

/* The store-time day of @utc, "2026-11-21". */
static char *
day_text (DcManagerRetention *self, gint64 utc)
{
  GDate day;

  dc_date_from_instant (utc, store_tz (self), &day);
  return dc_date_to_iso (&day);
}

static char *
time_text (DcManagerRetention *self, gint64 utc)
{
  return dc_time_to_display (utc, store_tz (self));
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

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static GtkWidget *
note_row (const char *text)
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
  dc_retention_keep_through (store_tz (self), plan->oldest_end, &day);
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
      g_autofree char *text = format_count (values[i]);

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
  g_autofree char *open = format_count (plan->open_visits);
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
  clear_list (self->history_list);
  if (history->len == 0)
    gtk_list_box_append (self->history_list, note_row (_("No purge has run yet.")));
  for (guint i = 0; i < history->len; i++)
    {
      const DcPurgeRecord *p = &g_array_index (history, DcPurgeRecord, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *at = time_text (self, p->at);
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

static char *
hold_details (DcManagerRetention *self, const DcHold *h)
{
  g_autofree char *placed_at = time_text (self, h->created_at);
  g_autofree char *released_at = h->released_at != 0 ? time_text (self, h->released_at) : NULL;
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

static void
show_holds (DcManagerRetention *self, GArray *holds)
{
  guint in_force = 0;
  g_autofree char *count = NULL;
  g_autofree char *released = NULL;

  clear_list (self->hold_list);
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
    gtk_list_box_append (self->hold_list, note_row (_("No hold is in force.")));
  count = format_count (self->released_rows->len);
  /* Translators: the title of the list of released holds, with how many there are. */
  released = g_strdup_printf (_("Released holds (%s)"), count);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->released_row), released);
  gtk_widget_set_visible (self->released_list, self->released_rows->len > 0);
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
      when = s->next_run != 0 ? time_text (self, s->next_run) : NULL;
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
    last = time_text (self, g_array_index (snap->history, DcPurgeRecord, 0).at);
  adw_action_row_set_subtitle (self->last_purge_row, last != NULL ? last : _("Never"));
  if (self->installed && s->backup_dir != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->backup_dir_row), s->backup_dir);
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
  if (snap->last_backup == 0)
    {
      adw_action_row_set_subtitle (self->last_backup_row, _("No backup has been taken yet."));
      return;
    }
  at = time_text (self, snap->last_backup);
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
  show_holds (self, snap->holds);
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
  if (!dc_time_parse (from, store_tz (self), &scope->from, error))
    return FALSE;
  *focus = self->hold_to_row;
  if (!dc_time_parse (to, store_tz (self), &scope->to, error))
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
  if (self->hold_dialog != NULL)
    {
      GtkWindow *dialog = self->hold_dialog;

      g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->hold_dialog);
      self->hold_dialog = NULL;
      gtk_window_destroy (dialog);
    }
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
  gtk_widget_class_bind_template_callback (widget_class, on_hold_kind_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_hold_input_changed);

  gtk_widget_class_install_action (widget_class, "retention.add-hold", NULL, add_hold_action);
  gtk_widget_class_install_action (widget_class, "retention.release", "x", release_action);
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
  on_hold_kind_changed (self);
  update_actions (self);
}
