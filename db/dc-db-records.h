/* db/dc-db-records.h — typed access to every table: the only place outside dc-db.c that holds SQL. */
#pragma once

#include "dc-db.h"

G_BEGIN_DECLS

/* ---- store, settings, keys ---- */

typedef struct {
  char    *uuid;
  char    *name;
  char    *operator_name;
  char    *address;
  char    *prefecture;
  char    *timezone;
  gboolean demo;
  gint64   created_at;
} DcStoreRow;

void     dc_store_row_clear (DcStoreRow *row);
gboolean dc_db_store_insert (DcDb *db, const DcStoreRow *row, GError **error);
gboolean dc_db_store_get (DcDb *db, DcStoreRow *row, gboolean *found, GError **error);

gboolean dc_db_store_keys_insert (DcDb *db, const guint8 box_pk[32], const guint8 sign_pk[32], GError **error);
gboolean dc_db_store_keys_get (DcDb *db, guint8 box_pk[32], guint8 sign_pk[32], GError **error);

/* Returns the row id of the setting (for the audit entry); @value NULL when unset. */
gboolean dc_db_setting_set (DcDb *db, const char *key, const char *value, gint64 *out_id, GError **error);
char    *dc_db_setting_get (DcDb *db, const char *key, GError **error);

/* ---- staff and key slots ---- */

typedef struct {
  gint64   id;
  char    *name;
  char    *role;
  gboolean active;
  gint     failed_pins;
  gint64   locked_at;     /* 0 = not locked */
} DcStaffRow;

void     dc_staff_row_clear (DcStaffRow *row);
gboolean dc_db_staff_insert (DcDb *db, const char *name, const char *role, gint64 now, gint64 *out_id,
                             GError **error);
gboolean dc_db_staff_find (DcDb *db, const char *name, DcStaffRow *row, gboolean *found, GError **error);
gboolean dc_db_staff_get (DcDb *db, gint64 id, DcStaffRow *row, gboolean *found, GError **error);
gboolean dc_db_staff_set_pin_state (DcDb *db, gint64 id, gint failed_pins, gint64 locked_at, GError **error);
gboolean dc_db_staff_set_active (DcDb *db, gint64 id, gboolean active, GError **error);
/* Every staff row, by name; an array of DcStaffRow. */
GArray  *dc_db_staff_list (DcDb *db, GError **error);

typedef struct {
  gint64  id;
  char   *kind;       /* "passphrase", "recovery", "pin" */
  gint64  staff_id;   /* 0 for the recovery slot */
  gint64  opslimit;
  gint64  memlimit;
  GBytes *salt;
  GBytes *nonce;
  GBytes *wrapped;
} DcKeySlotRow;

void     dc_key_slot_row_clear (DcKeySlotRow *row);
gboolean dc_db_keyslot_insert (DcDb *db, const DcKeySlotRow *row, gint64 now, gint64 *out_id, GError **error);
/* The newest slot of @kind for @staff_id (0: the recovery slot). */
gboolean dc_db_keyslot_find (DcDb *db, const char *kind, gint64 staff_id, DcKeySlotRow *row, gboolean *found,
                             GError **error);
gboolean dc_db_keyslot_delete_for (DcDb *db, const char *kind, gint64 staff_id, GError **error);

/* ---- terminals ---- */

typedef struct {
  gint64   id;
  char    *label;
  char    *booth;
  char    *kind;
  gboolean filtered;
  gboolean active;
  gboolean out_of_order;
  /* filled by dc_db_terminal_list */
  gint64   open_session;   /* 0 = free */
  gint64   open_visit;
  gint64   session_started;
} DcTerminalRow;

void     dc_terminal_row_clear (DcTerminalRow *row);
gboolean dc_db_terminal_insert (DcDb *db, const DcTerminalRow *row, gint64 now, gint64 *out_id, GError **error);
gboolean dc_db_terminal_set_out_of_order (DcDb *db, gint64 id, gboolean out_of_order, GError **error);
/* The visits that relied on a verification. */
gboolean dc_db_verification_superseded_by (DcDb *db, gint64 id, gint64 *out_newer, gboolean *found, GError **error);
gboolean dc_db_terminal_find (DcDb *db, const char *label, DcTerminalRow *row, gboolean *found, GError **error);
/* Every terminal in label order with its open session, if any; an array of DcTerminalRow. */
GArray  *dc_db_terminal_list (DcDb *db, GError **error);

/* ---- customers, verifications, visits, sessions ---- */

/* The id the next row of @table will get (AUTOINCREMENT never reuses one), for values
 * that must be known before the row exists (member numbers, associated data). Only
 * meaningful inside a write transaction. */
gboolean dc_db_next_id (DcDb *db, const char *table, gint64 *out_id, GError **error);

gboolean dc_db_customer_insert (DcDb *db, gint64 id, const char *member_number, GBytes *person_index, gint64 now,
                                GError **error);
/* By any of the customer's verifications (a corrected name finds them too). */
gboolean dc_db_customer_find_by_person (DcDb *db, GBytes *person_index, gint64 *out_id, char **out_member,
                                        gboolean *found, GError **error);
gboolean dc_db_customer_find_by_member (DcDb *db, const char *member_number, gint64 *out_id, gboolean *found,
                                        GError **error);
gboolean dc_db_customer_member (DcDb *db, gint64 customer_id, char **out_member, GError **error);

typedef struct {
  gint64  id;
  gint64  customer_id;
  gint64  verified_at;
  gint64  verifier_id;
  gint64  recorder_id;
  char   *doc_type;
  GBytes *payload;
  GBytes *person_index;
  GBytes *document_index;   /* NULL when the number may not be recorded */
  gint64  name_index;
  GBytes *tier;
  gint64  supersedes;       /* 0 = none */
  char   *reason;
} DcVerificationRow;

void     dc_verification_row_clear (DcVerificationRow *row);
gboolean dc_db_verification_insert (DcDb *db, const DcVerificationRow *row, gint64 *out_id, GError **error);
gboolean dc_db_verification_get (DcDb *db, gint64 id, DcVerificationRow *row, gboolean *found, GError **error);
/* The newest verification of a customer. */
gboolean dc_db_verification_latest (DcDb *db, gint64 customer_id, DcVerificationRow *row, gboolean *found,
                                    GError **error);

typedef struct {
  gint64   id;
  gint64   customer_id;
  gint64   verification_id;
  gint64   entered_at;
  gint64   exited_at;      /* 0 = still in */
  gint64   staff_in;
  gint64   staff_out;
  char    *exit_reason;
  gboolean minor;
  gboolean internet;
} DcVisitRow;

void     dc_visit_row_clear (DcVisitRow *row);
gboolean dc_db_visit_insert (DcDb *db, const DcVisitRow *row, gint64 *out_id, GError **error);
gboolean dc_db_visit_get (DcDb *db, gint64 id, DcVisitRow *row, gboolean *found, GError **error);
gboolean dc_db_visit_open_for_customer (DcDb *db, gint64 customer_id, gint64 *out_visit, gboolean *found,
                                        GError **error);
gboolean dc_db_visit_close (DcDb *db, gint64 visit_id, gint64 at, gint64 staff_id, const char *reason,
                            GError **error);

gboolean dc_db_session_insert (DcDb *db, gint64 visit_id, gint64 terminal_id, gint64 at, gint64 *out_id,
                               GError **error);
gboolean dc_db_session_close (DcDb *db, gint64 session_id, gint64 at, GError **error);
/* The open session of a visit (a visit has at most one at a time). */
gboolean dc_db_session_open_for_visit (DcDb *db, gint64 visit_id, gint64 *out_session, gint64 *out_terminal,
                                       gboolean *found, GError **error);
gboolean dc_db_session_open_on_terminal (DcDb *db, gint64 terminal_id, gint64 *out_session, gint64 *out_visit,
                                         gboolean *found, GError **error);

typedef struct {
  gint64 id;
  gint64 visit_id;
  gint64 terminal_id;
  gint64 started_at;
  gint64 ended_at;         /* 0 = still open */
} DcSessionRow;

/* The open session of a visit, whole. */
gboolean dc_db_session_open_row (DcDb *db, gint64 visit_id, DcSessionRow *row, gboolean *found, GError **error);
/* The newest verification of a customer: only its id and counter tier (the member-card check-in). */
gboolean dc_db_verification_latest_tier (DcDb *db, gint64 customer_id, gint64 *out_id, GBytes **out_tier,
                                         gboolean *found, GError **error);

/* The canonical bytes of a row (dc_db_row_canonical) made from the values written, for the
 * audit entry of a row just inserted or closed without reading it back. FALSE when they
 * cannot be made here (the table has a column not known here, as after a newer migration):
 * read the row back then. Pinned against dc_db_row_canonical by test-demo. */
gboolean dc_db_customer_canonical (DcDb *db, gint64 id, const char *member_number, GBytes *person_index,
                                   gint64 created_at, GByteArray *out);
gboolean dc_db_verification_canonical (DcDb *db, const DcVerificationRow *row, GByteArray *out);
gboolean dc_db_visit_canonical (DcDb *db, const DcVisitRow *row, GByteArray *out);
gboolean dc_db_session_canonical (DcDb *db, const DcSessionRow *row, GByteArray *out);

/* Who is in now: no personal data. */
typedef struct {
  gint64   visit_id;
  gint64   customer_id;
  char    *member_number;
  char    *terminal;
  gint64   entered_at;
  gint64   session_started;
  gboolean minor;
  GBytes  *tier;           /* the verification's counter tier, for the date a minor turns 18 */
  gint64   verification_id;
  gint64   tier_customer_id; /* the verification's customer: the tier's associated data */
} DcPresenceRow;

void     dc_presence_row_clear (DcPresenceRow *row);
GArray  *dc_db_presence_list (DcDb *db, GError **error);

/* ---- audit chain ---- */

typedef struct {
  gint64  seq;
  gint64  at;
  gint64  staff_id;       /* 0 = the system */
  char   *action;
  char   *subject_table;  /* NULL for entries about no row */
  gint64  subject_id;
  GBytes *row_hash;
  GBytes *prev_hash;
  GBytes *hash;
} DcAuditRow;

void     dc_audit_row_clear (DcAuditRow *row);
gboolean dc_db_audit_head (DcDb *db, gint64 *out_seq, guint8 hash[32], gboolean *found, GError **error);
gboolean dc_db_audit_insert (DcDb *db, const DcAuditRow *row, GError **error);
/* The highest sequence number ever handed out (sqlite_sequence): outlives deleted entries. */
gboolean dc_db_audit_high_water (DcDb *db, gint64 *out_seq, GError **error);
typedef gboolean (*DcAuditFunc) (const DcAuditRow *row, gpointer user_data, GError **error);
gboolean dc_db_audit_foreach (DcDb *db, DcAuditFunc func, gpointer user_data, GError **error);
/* The newest entry about one row. */
gboolean dc_db_audit_latest_for (DcDb *db, const char *table, gint64 id, DcAuditRow *row, gboolean *found,
                                 GError **error);

typedef struct {
  gint64  id;
  gint64  seq;
  GBytes *head_hash;
  gint64  at;
  GBytes *signature;
} DcCheckpointRow;

void     dc_checkpoint_row_clear (DcCheckpointRow *row);
gboolean dc_db_checkpoint_insert (DcDb *db, const DcCheckpointRow *row, GError **error);
gboolean dc_db_checkpoint_latest (DcDb *db, DcCheckpointRow *row, gboolean *found, GError **error);
/* Every checkpoint; an array of DcCheckpointRow. */
GArray  *dc_db_checkpoint_list (DcDb *db, GError **error);

/* Names of the triggers present in the schema. */
GPtrArray *dc_db_trigger_names (DcDb *db, GError **error);
/* PRAGMA quick_check: NULL when "ok", else what SQLite reported. */
char      *dc_db_quick_check (DcDb *db, GError **error);

/* ---- history, for the manager's record pages ---- */

typedef struct {
  gint64   id;
  gint64   customer_id;
  char    *member_number;
  gint64   verification_id;
  gint64   entered_at;
  gint64   exited_at;      /* 0 = still in */
  char    *exit_reason;    /* NULL while in */
  gboolean minor;
  char    *staff_in;       /* names */
  char    *staff_out;
  char    *terminals;      /* labels in the order used, joined by " → "; NULL if none */
} DcVisitHistoryRow;

void     dc_visit_history_row_clear (DcVisitHistoryRow *row);
/* Visits newest first: of customer @customer_id (0: anyone's), or only visit @visit_id
 * (0: any); at most @limit. An array of DcVisitHistoryRow. */
GArray  *dc_db_visit_history (DcDb *db, gint64 customer_id, gint64 visit_id, guint limit, GError **error);

typedef struct {
  gint64  id;
  char   *terminal;
  gint64  started_at;
  gint64  ended_at;        /* 0 = open */
} DcSessionHistoryRow;

void     dc_session_history_row_clear (DcSessionHistoryRow *row);
/* The terminal sessions of a visit in the order they began; an array of DcSessionHistoryRow. */
GArray  *dc_db_visit_sessions (DcDb *db, gint64 visit_id, GError **error);

typedef struct {
  gint64  id;
  gint64  verified_at;
  char   *doc_type;
  char   *verifier;        /* who checked the document (name) */
  char   *recorder;        /* who wrote this version (name) */
  gint64  recorded_at;     /* the row's first audit entry: when it was written */
  gint64  supersedes;      /* 0 = the original */
  char   *reason;
} DcVersionRow;

void     dc_version_row_clear (DcVersionRow *row);
/* Every version of the identity record that @verification_id belongs to: the versions it
 * supersedes and those superseding it, oldest first; an array of DcVersionRow. */
GArray  *dc_db_verification_chain (DcDb *db, gint64 verification_id, GError **error);

/* ---- retention: holds (db/dc-db-holds.c) ---- */

typedef struct {
  gint64  id;
  gint64  created_at;
  gint64  staff_id;
  char   *created_by;       /* staff name */
  char   *scope;            /* the machine form, see app/dc-hold.c */
  char   *reason;
  char   *reference;        /* NULL if none */
  gint64  disclosure_id;    /* 0 if none */
  gint64  released_at;      /* 0 while in force */
  char   *released_by;      /* staff name, NULL while in force */
  char   *release_reason;
} DcHoldRow;

void     dc_hold_row_clear (DcHoldRow *row);
gboolean dc_db_hold_insert (DcDb *db, const DcHoldRow *row, gint64 *out_id, GError **error);
gboolean dc_db_hold_get (DcDb *db, gint64 id, DcHoldRow *row, gboolean *found, GError **error);
/* Holds newest first, released ones too when @include_released; an array of DcHoldRow. */
GArray  *dc_db_hold_list (DcDb *db, gboolean include_released, GError **error);
/* Stamp the release of a hold still in force; *@released is FALSE when there was none. */
gboolean dc_db_hold_release (DcDb *db, gint64 id, gint64 at, gint64 staff_id, const char *reason,
                             gboolean *released, GError **error);

/* Does row @id of @table exist? @table is one of "visits", "customers", "verifications",
 * "terminals", "disclosures". */
gboolean dc_db_hold_target_exists (DcDb *db, const char *table, gint64 id, gboolean *found, GError **error);
/* The label of terminal @id (NULL when there is none). */
char    *dc_db_hold_terminal_label (DcDb *db, gint64 id, GError **error);

/* What one hold keeps, added to three sets of gint64* (keys freed with g_free): visits,
 * verifications, customers. */
gboolean dc_db_held_by_visit (DcDb *db, gint64 visit_id, GHashTable *visits, GHashTable *verifications,
                              GHashTable *customers, GError **error);
gboolean dc_db_held_by_customer (DcDb *db, gint64 customer_id, GHashTable *visits, GHashTable *verifications,
                                 GHashTable *customers, GError **error);
gboolean dc_db_held_by_verification (DcDb *db, gint64 verification_id, GHashTable *visits,
                                     GHashTable *verifications, GHashTable *customers, GError **error);
/* Every session overlapping [@from, @to) — open ones too — on @terminals (gint64 ids; NULL
 * or empty: any), and their visits, verifications and customers. */
gboolean dc_db_held_by_range (DcDb *db, gint64 from, gint64 to, GArray *terminals, GHashTable *visits,
                              GHashTable *verifications, GHashTable *customers, GError **error);
/* Add to @verifications every version in the correction chains of those already in it. */
gboolean dc_db_held_chains (DcDb *db, GHashTable *verifications, GError **error);

/* Visits still open that began before @entered_before, with their open session (0: none). */
typedef struct {
  gint64 visit_id;
  gint64 session_id;
} DcStaleVisit;

GArray  *dc_db_visits_stale (DcDb *db, gint64 entered_before, GError **error);

/* ---- retention: purge (db/dc-db-retention.c) ---- */

/* Work out what a purge at @cutoff deletes, in temporary tables of this connection (no
 * personal data: ids and times), for the calls below until dc_db_purge_clear: closed
 * visits that ended before @cutoff; verifications whose whole group (an original and its
 * corrections) no remaining visit relies on; customers with no verification or visit
 * left. Rows in the held sets (gint64* sets, NULL = none) stay, and so does what they
 * need. Run inside a transaction, so that the picture is consistent. */
gboolean dc_db_purge_prepare (DcDb *db, gint64 cutoff, GHashTable *held_visits, GHashTable *held_verifications,
                              GHashTable *held_customers, GError **error);

typedef enum {
  DC_DB_PURGE_VISITS,          /* @ended: the visit's exit, @count: 1 */
  DC_DB_PURGE_SESSIONS,        /* per visit: @ended its exit, @count its sessions */
  DC_DB_PURGE_VERIFICATIONS,   /* @ended: the last exit of a visit relying on the group */
  DC_DB_PURGE_CUSTOMERS,       /* @ended: the last of their verifications' */
} DcDbPurgeKind;

typedef gboolean (*DcDbPurgeFunc) (gint64 ended, gint64 count, gpointer user_data, GError **error);
/* Each prepared row of @kind. */
gboolean dc_db_purge_foreach (DcDb *db, DcDbPurgeKind kind, DcDbPurgeFunc func, gpointer user_data, GError **error);
/* Delete the prepared rows (the caller allows the purge on this connection around it);
 * @out_counts[kind] receives how many of each were deleted. Refuses unless secure_delete is on. */
gboolean dc_db_purge_delete (DcDb *db, gint64 out_counts[4], GError **error);
/* Empty the temporary tables. */
gboolean dc_db_purge_clear (DcDb *db, GError **error);

/* Visits still open, and the oldest exit still stored (0 when none). */
gboolean dc_db_purge_stats (DcDb *db, gint64 *out_open, gint64 *out_oldest_end, GError **error);

typedef struct {
  gint64 id;
  gint64 at;
  gint64 cutoff;
  gint64 customers, verifications, visits, sessions;
  gint64 seq;                  /* dc_db_purge_entries: its audit entry */
} DcPurgeRow;

gboolean dc_db_purge_insert (DcDb *db, const DcPurgeRow *row, gint64 *out_id, GError **error);
/* Every purge, newest first; an array of DcPurgeRow (seq 0). */
GArray  *dc_db_purge_list (DcDb *db, GError **error);
/* Every purge with the sequence number of its "purge" audit entry, in chain order. */
GArray  *dc_db_purge_entries (DcDb *db, GError **error);

/* Give freed pages back to the file system (PRAGMA incremental_vacuum). */
gboolean dc_db_purge_vacuum (DcDb *db, GError **error);
/* Zero the unused bytes of every page of the tables that hold sealed identities and blind
 * indexes (verifications, customers, identity_keys, cards, and their indexes): the gap
 * between a page's cell pointers and its cells, and the inside of its free blocks. When
 * SQLite rebuilds a page while rebalancing, secure_delete does not clear that gap, which
 * then keeps old copies of moved cells, purged ones among them. Run outside any
 * transaction, after a truncating checkpoint: it takes the write lock, checks that the WAL
 * is empty, and writes the file directly (only bytes no cell uses, so a reader reading the
 * page meanwhile sees the same records). @out_pages: pages changed. */
gboolean dc_db_purge_scrub (DcDb *db, guint *out_pages, GError **error);

/* For verify: the rows of @table that audit entries name but the table no longer holds,
 * in id order, summarised from their entries. */
typedef struct {
  gint64   id;
  gint64   first_at;           /* the first entry about the row: when it was written */
  gboolean first_correct;      /* that entry was a correction ("correct") */
  gint64   last_seq;           /* the newest entry about it */
  gint64   last_write_at;      /* the newest entry that is not a read (0: none) */
  gboolean removed;            /* the newest entry records that Daicho removed the row */
} DcMissingRow;

typedef gboolean (*DcMissingFunc) (const DcMissingRow *row, gpointer user_data, GError **error);
gboolean dc_db_audit_missing_rows (DcDb *db, const char *table, DcMissingFunc func, gpointer user_data,
                                   GError **error);

G_END_DECLS
