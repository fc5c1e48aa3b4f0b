/* app/dc-store.h — one store: its database, keys, rule profile, clock, and the staff who act on it. */
#pragma once

#include <glib.h>
#include "dc-error.h"
#include "dc-profile.h"
#include "dc-vault.h"
#include "dc-db.h"

G_BEGIN_DECLS

typedef struct _DcStore DcStore;
typedef struct _DcActor DcActor;

/* Time comes from here, so tests can travel years in a second. Returns UTC microseconds. */
typedef gint64 (*DcClockFunc) (gpointer user_data);

#define DC_STORE_DB_NAME "daicho.db"
#define DC_PIN_ATTEMPTS  5

typedef struct {
  const char *name;          /* store name */
  const char *operator_name; /* the legal entity that runs it */
  const char *address;       /* may be NULL */
  const char *prefecture;    /* rule profile id: "tokyo" … */
  const char *timezone;      /* NULL: Asia/Tokyo */
  const char *manager;       /* the first manager's display name */
  gboolean    demo;          /* a demo store, labelled as such everywhere */
} DcStoreSetup;

/* The store directory a program uses when none is given: $DAICHO_STORE, else
 * $XDG_DATA_HOME/daicho/store. */
char     *dc_store_default_dir (void);

/* Create a store in @dir (created 0700): schema, master key, the manager with a passphrase
 * slot and a PIN slot, the recovery slot. *@out_recovery_code receives the recovery key
 * (free with dc_secret_free): it is shown once and never stored. Fails with DC_ERROR_EXISTS
 * when @dir already holds a store; on any failure nothing is left behind. */
DcStore  *dc_store_create (const char *dir, const DcStoreSetup *setup, const char *manager_passphrase,
                           const char *manager_pin, char **out_recovery_code, GError **error);
DcStore  *dc_store_open (const char *dir, GError **error);
void      dc_store_free (DcStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcStore, dc_store_free)

DcDb            *dc_store_db (DcStore *store);
/* A read-only connection beside dc_store_db (), for reads on another thread (see
 * dc_db_open_reader): opened on first use, kept until the store is freed. */
DcDb            *dc_store_reader (DcStore *store, GError **error);
const char      *dc_store_dir (DcStore *store);
const char      *dc_store_name (DcStore *store);
const char      *dc_store_operator (DcStore *store);
const char      *dc_store_uuid (DcStore *store);
gboolean         dc_store_is_demo (DcStore *store);
GTimeZone       *dc_store_timezone (DcStore *store);
const DcProfile *dc_store_profile (DcStore *store);
const guint8    *dc_store_box_pk (DcStore *store);
const guint8    *dc_store_sign_pk (DcStore *store);

/* Copy recent writes from the WAL into the database file. Programs that stay open (the
 * counter app) call this in idle moments: it never runs inside a clerk's action. */
gboolean  dc_store_checkpoint (DcStore *store, GError **error);

void      dc_store_set_clock (DcStore *store, DcClockFunc func, gpointer user_data);
/* The clock now in use (the real one unless a test or the demo set another), to restore it later. */
void      dc_store_get_clock (DcStore *store, DcClockFunc *func, gpointer *user_data);
gint64    dc_store_now (DcStore *store);
/* Today in the store's time zone. */
void      dc_store_today (DcStore *store, GDate *out);

/* The audit chain's head as this connection last wrote it, valid while
 * dc_db_write_state() still says the same (see dc-audit.c). */
typedef struct {
  guint64 state;
  gint64  seq;
  guint8  hash[32];
} DcAuditHeadCache;

DcAuditHeadCache *dc_store_audit_head_cache (DcStore *store);

/* ---- who acts ---- */

/* Sign in with a staff PIN: five wrong PINs in a row lock the account (DC_ERROR_LOCKED)
 * until a manager unlocks it; every failure is in the audit chain. */
DcActor  *dc_store_sign_in_pin (DcStore *store, const char *staff_name, const char *pin, GError **error);
/* Sign in a manager or auditor with their passphrase: the vault holds the master key and
 * a checkpoint of the audit chain is signed. */
DcActor  *dc_store_sign_in_passphrase (DcStore *store, const char *staff_name, const char *passphrase,
                                       GError **error);
/* Unlock with the recovery key on behalf of manager @staff_name (to set a new passphrase). */
DcActor  *dc_store_sign_in_recovery (DcStore *store, const char *staff_name, const char *recovery_code,
                                     GError **error);
void      dc_actor_free (DcActor *actor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcActor, dc_actor_free)

gint64         dc_actor_staff_id (const DcActor *actor);
const char    *dc_actor_name (const DcActor *actor);
const char    *dc_actor_role (const DcActor *actor);
const DcVault *dc_actor_vault (const DcActor *actor);
/* Managers and auditors signed in with their passphrase (or the recovery key). */
gboolean       dc_actor_can_read_identity (const DcActor *actor);
gboolean       dc_actor_is_manager (const DcActor *actor);

/* ---- set-up (managers) ---- */

/* Add a staff member with a PIN; managers and auditors also need a passphrase. */
gboolean  dc_store_add_staff (DcStore *store, DcActor *manager, const char *name, const char *role,
                              const char *pin, const char *passphrase, gint64 *out_id, GError **error);
/* Clear a PIN lock-out. */
gboolean  dc_store_unlock_staff (DcStore *store, DcActor *manager, const char *name, GError **error);
/* Replace a manager's or auditor's passphrase (after a recovery-key sign-in, or their own). */
gboolean  dc_store_set_passphrase (DcStore *store, DcActor *manager, const char *name, const char *passphrase,
                                   GError **error);

/* Take a staff member off (or back on) duty: an inactive one cannot sign in. A manager
 * cannot deactivate themselves (someone must be able to manage the store). */
gboolean  dc_store_set_staff_active (DcStore *store, DcActor *manager, const char *name, gboolean active,
                                     GError **error);
/* Mark a terminal out of order (nobody is given it) or back in service. A terminal in use
 * cannot be taken out of service: move the customer first. */
gboolean  dc_store_set_terminal_out_of_order (DcStore *store, DcActor *manager, const char *label,
                                              gboolean out_of_order, GError **error);

/* ---- settings: whole numbers a manager can change, each with a default and a range ---- */

typedef struct {
  const char *key;
  gint64      fallback;   /* when unset */
  gint64      min, max;
} DcSettingSpec;

#define DC_SETTING_AUTO_CLOSE_HOURS  "auto-close-hours"   /* close a visit left open this long (24) */
#define DC_SETTING_BACKUP_KEEP_DAYS  "backup-keep-days"   /* delete backups older than this (30) */
#define DC_SETTING_IDLE_LOCK_MINUTES "idle-lock-minutes"  /* lock the counter after this long idle (5) */
/* Minors (ui/desktop/dc-curfew.c, app/dc-profile.c): alerts before the curfew, and the
 * store's own curfew bands (minutes after midnight; start = end: no band). */
#define DC_SETTING_CURFEW_ALERTS       "curfew-alerts"        /* 1: alert 30 and 10 min before (1) */
#define DC_SETTING_CURFEW_SOUND        "curfew-sound"         /* 1: the alerts ring the bell (1) */
#define DC_SETTING_CURFEW_PROFILE      "curfew-profile"       /* 0: the prefecture's, 1: custom (0) */
#define DC_SETTING_CURFEW_BAND1_UNDER  "curfew-band1-under"   /* under this age: 16 or 18 (18) */
#define DC_SETTING_CURFEW_BAND1_START  "curfew-band1-start"   /* (23:00) */
#define DC_SETTING_CURFEW_BAND1_END    "curfew-band1-end"     /* (04:00) */
#define DC_SETTING_CURFEW_BAND2_UNDER  "curfew-band2-under"   /* (16) */
#define DC_SETTING_CURFEW_BAND2_START  "curfew-band2-start"   /* (none) */
#define DC_SETTING_CURFEW_BAND2_END    "curfew-band2-end"
#define DC_CURFEW_PROFILE_CUSTOM       1

/* The spec of a known setting; NULL for an unknown key. */
const DcSettingSpec *dc_setting_spec (const char *key);
/* The value, or its default when unset or unreadable. */
gint64    dc_store_get_setting (DcStore *store, const char *key);
/* Set a known setting within its range, audited (DC_ERROR_INVALID otherwise). */
gboolean  dc_store_set_setting (DcStore *store, DcActor *manager, const char *key, gint64 value, GError **error);

/* ---- terminals (managers; each change audited) ----
 * When the number of terminals or of booths (個室等: booth, flat and room kinds, an unnamed
 * booth counting as its own) changes, the 変更届 is recorded (app/dc-filing.h). */

gboolean  dc_store_add_terminal (DcStore *store, DcActor *manager, const char *label, const char *booth,
                                 gboolean filtered, gint64 *out_id, GError **error);
/* Retire terminal @label for good: nobody is given it again, and it leaves the counter's
 * board. Its row and sessions stay for the records, and so does its label: a new terminal
 * needs another one, so that one label names one terminal in every answer to the police.
 * A terminal in use cannot be retired (DC_ERROR_TERMINAL_BUSY). */
gboolean  dc_store_retire_terminal (DcStore *store, DcActor *manager, const char *label, GError **error);

/* What dc_store_change_terminal changes: NULL / -1 leave a field as it is. */
typedef struct {
  const char *booth;      /* "" for none */
  const char *kind;       /* one of dc_terminal_kinds () */
  gint        filtered;   /* 0 or 1 */
} DcTerminalChange;

/* Change a terminal's booth, kind or filtering. Filtering cannot be turned off while the
 * terminal is in use (a minor may be on it); a retired terminal cannot be changed. */
gboolean  dc_store_change_terminal (DcStore *store, DcActor *manager, const char *label,
                                    const DcTerminalChange *change, GError **error);
/* The kinds as stored ("booth", "open_seat", "flat", "room"), NULL-terminated; an open seat
 * is not a booth. */
const char *const *dc_terminal_kinds (void);
/* The translated name of @kind ("Open seat"), or NULL for an unknown one. */
const char *dc_terminal_kind_label (const char *kind);

G_END_DECLS
