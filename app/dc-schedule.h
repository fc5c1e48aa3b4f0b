/* app/dc-schedule.h — the systemd user timers that run the purge and the backup every day. */
#pragma once

#include "dc-store.h"

G_BEGIN_DECLS

typedef struct {
  gboolean installed;       /* both unit pairs are present */
  gboolean active;          /* both timers are active (systemctl --user is-active) */
  char    *backup_dir;      /* from the installed backup unit, NULL when not installed */
  gint64   last_purge;      /* UTC µs of the newest purge, 0 = never */
  gint64   last_backup;     /* UTC µs of the newest backup, 0 = never */
  gint64   next_run;        /* when the timers fire next, 0 when unknown */
} DcScheduleStatus;

void     dc_schedule_status_clear (DcScheduleStatus *status);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DcScheduleStatus, dc_schedule_status_clear)

/* The unit names: one store per user account (the product's case), so they carry no store id. */
#define DC_SCHEDULE_PURGE_TIMER  "daicho-purge.timer"
#define DC_SCHEDULE_BACKUP_TIMER "daicho-backup.timer"

/* Where the units are written: $XDG_CONFIG_HOME/systemd/user (newly allocated). */
char    *dc_schedule_unit_dir (void);
/* The backup folder when none is given: "backups" beside the store folder (newly allocated). */
char    *dc_schedule_default_backup_dir (DcStore *store);

/* Write the units for @store's directory into $XDG_CONFIG_HOME/systemd/user (from the
 * templates in data/), then `systemctl --user daemon-reload` and enable --now both timers.
 * @daicho_ctl: the program the services run. @backup_dir: NULL for the default; created
 * 0700 if missing. When systemctl fails (DC_ERROR_IO) the units stay written. */
gboolean dc_schedule_install (DcStore *store, const char *daicho_ctl, const char *backup_dir, GError **error);
/* Disable and stop both timers, delete the units, daemon-reload. Nothing installed is fine. */
gboolean dc_schedule_remove (DcStore *store, GError **error);
/* Fills @out; a missing or failing systemctl only leaves active FALSE and next_run 0. */
gboolean dc_schedule_status (DcStore *store, DcScheduleStatus *out, GError **error);

G_END_DECLS
