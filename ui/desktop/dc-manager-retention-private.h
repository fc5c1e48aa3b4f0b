/* ui/desktop/dc-manager-retention-private.h — the retention page's state, shared by its two files (the page; the holds). */
#pragma once

#include "dc-manager-retention.h"
#include "dc-retention.h"

G_BEGIN_DECLS

/* A worker thread's task: defined in dc-manager-retention.c. */
typedef struct _DcRetentionJob Job;

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
  GtkWidget      *aside_note;
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

/* dc-manager-retention.c */
GTimeZone *dc_manager_retention_store_tz (DcManagerRetention *self);
char      *dc_manager_retention_format_count (gint64 n);
char      *dc_manager_retention_time_text (DcManagerRetention *self, gint64 utc);
void       dc_manager_retention_clear_list (GtkListBox *list);
GtkWidget *dc_manager_retention_note_row (const char *text);

/* dc-manager-retention-holds.c: the list of holds, adding and releasing them */
void dc_manager_retention_holds_class_init (GtkWidgetClass *widget_class);
void dc_manager_retention_holds_init (DcManagerRetention *self);
void dc_manager_retention_holds_dispose (DcManagerRetention *self);
void dc_manager_retention_show_holds (DcManagerRetention *self, GArray *holds);

G_END_DECLS
