/* db/dc-db-police.h — the SQL of police requests: the ledger, the query log, finding sessions and visits. */
#pragma once

#include "dc-db.h"

G_BEGIN_DECLS

/* ---- the request ledger (disclosures) ---- */

typedef struct {
  gint64  id;
  gint64  received_at;
  char   *agency;
  char   *officer;
  char   *reference;
  char   *basis;        /* "inspection", "inquiry", "warrant", "other" */
  GBytes *scope;        /* sealed; NULL if none */
  GBytes *note;         /* sealed; NULL if none */
  gint64  staff_id;
  char   *staff;        /* name (read only) */
} DcDisclosureRow;

void     dc_disclosure_row_clear (DcDisclosureRow *row);
gboolean dc_db_disclosure_insert (DcDb *db, const DcDisclosureRow *row, gint64 *out_id, GError **error);
gboolean dc_db_disclosure_get (DcDb *db, gint64 id, DcDisclosureRow *row, gboolean *found, GError **error);
/* Every request, newest first (received, then entered); an array of DcDisclosureRow. */
GArray  *dc_db_disclosure_list (DcDb *db, GError **error);

typedef struct {
  gint64  id;
  gint64  disclosure_id;
  gint64  query_id;
  gint64  at;
  gint64  staff_id;
  char   *staff;        /* name (read only) */
  char   *scope;        /* the query's readable scope (read only) */
  gint64  sessions, visits, verifications;
  char   *manifest_sha256;
  gint64  holds;
} DcDisclosureExportRow;

void     dc_disclosure_export_row_clear (DcDisclosureExportRow *row);
gboolean dc_db_disclosure_export_insert (DcDb *db, const DcDisclosureExportRow *row, gint64 *out_id, GError **error);
/* The exports of request @disclosure_id (0: of every request), oldest first; an array of
 * DcDisclosureExportRow. */
GArray  *dc_db_disclosure_exports (DcDb *db, gint64 disclosure_id, GError **error);

/* ---- the query log ---- */

typedef struct {
  gint64      at;
  gint64      staff_id;
  gint64      disclosure_id;   /* 0: none */
  const char *kind;            /* "time", "person", "name", "document", "member" */
  const char *scope;           /* readable, no personal data */
  GBytes     *sealed_scope;    /* the values searched for, sealed */
  gint64      sessions, visits;
} DcQueryLogRow;

gboolean dc_db_query_log_insert (DcDb *db, const DcQueryLogRow *row, gint64 *out_id, GError **error);
/* The request a logged query was made for (0: none); @found FALSE when there is no such query. */
gboolean dc_db_query_log_disclosure (DcDb *db, gint64 query_id, gint64 *out_disclosure, gboolean *found,
                                     GError **error);

/* ---- finding the records ---- */

/* A verification with what a police row shows of it. */
typedef struct {
  gint64  id;
  gint64  customer_id;
  gint64  verified_at;
  char   *verifier;     /* name */
  char   *doc_type;
  GBytes *payload;      /* sealed */
  GBytes *read_key;     /* its wrapped read key (identity_keys); NULL if none is cached */
} DcPoliceVerification;

void     dc_police_verification_clear (DcPoliceVerification *row);

/* One terminal session (or a visit without one) with its visit and customer, and the
 * verification the visit recorded: read with the row, so that a query needs no second look-up
 * unless the record was corrected since. */
typedef struct {
  gint64   session_id;        /* 0: a visit without a session */
  char    *terminal;          /* NULL when session_id is 0 */
  gboolean terminal_filtered;
  gint64   started_at;
  gint64   ended_at;          /* 0 = open */
  gint64   visit_id;
  gint64   entered_at;
  gint64   exited_at;         /* 0 = still in */
  char    *exit_reason;
  gboolean minor;
  char    *staff_in;
  char    *staff_out;
  gint64   customer_id;
  char    *member_number;
  gint64   verification_id;   /* the one the visit recorded */
  gint64   terminal_id, staff_in_id, staff_out_id, verifier_id;   /* named by dc_db_police_rows_name */
  gboolean superseded;        /* a correction of it exists: the version in force is another */
  DcPoliceVerification recorded;   /* verification_id's row when not @superseded, else zeros */
} DcPoliceRow;

void     dc_police_row_clear (DcPoliceRow *row);

/* Every session overlapping [@from, @to] (both inclusive), open ones too, on @terminal_ids
 * (gint64; NULL or empty: any), by start, then terminal label. A session is never longer
 * than the longest one closed, which bounds the range of starts searched (index
 * sessions_length gives that bound in one step); the open ones come from the partial
 * index sessions_one_open, one look-up per terminal. An array of DcPoliceRow. */
GArray  *dc_db_police_time (DcDb *db, gint64 from, gint64 to, GArray *terminal_ids, GError **error);
/* A share of the above: the sessions whose id modulo @of is at least @lo and below @hi, in
 * no order and not named yet. Shares of one query can run on several connections at once;
 * session ids are handed out as sessions start, so each share holds about (@hi - @lo) / @of
 * of the rows. */
GArray  *dc_db_police_time_part (DcDb *db, gint64 from, gint64 to, GArray *terminal_ids, guint lo, guint hi, guint of,
                                 GError **error);
/* Put rows in dc_db_police_time ()'s order; their terminals must be named. */
void     dc_db_police_time_sort (GArray *rows);
/* Name the rows of dc_db_police_time_part (): terminal labels and filtering, staff names, as
 * they are now (a label is never changed nor reused, a name never changed). */
gboolean dc_db_police_rows_name (DcDb *db, GArray *rows, GError **error);
/* EXPLAIN QUERY PLAN of the statement above: its detail lines (for the tests). */
GPtrArray *dc_db_police_time_plan (DcDb *db, GError **error);

/* Every visit of the customers @customer_ids (gint64) with its sessions: visits newest first,
 * each visit's sessions in the order used, one row with session_id 0 for a visit without
 * any. An array of DcPoliceRow. */
GArray  *dc_db_police_visits_of (DcDb *db, GArray *customer_ids, GError **error);

/* Customers known by a person index (their own, or one of any of their verifications: a
 * corrected name finds them too), or by a document index; appended to @out (gint64), ascending. */
gboolean dc_db_police_customers_by_person (DcDb *db, GBytes *person_index, GArray *out, GError **error);
gboolean dc_db_police_customers_by_document (DcDb *db, GBytes *document_index, GArray *out, GError **error);

/* Every verification whose coarse name index is @name_index; an array of DcPoliceVerification. */
GArray  *dc_db_police_name_candidates (DcDb *db, gint64 name_index, GError **error);
/* The verifications @ids (gint64); an array of DcPoliceVerification, by id. */
GArray  *dc_db_police_verifications (DcDb *db, GArray *ids, GError **error);
/* For each of @ids (gint64), the version in force of its record: the newest correction
 * down the supersedes chain (itself when none). Inserts id → in-force id (gint64* keys
 * and values, g_free'd by @out) into @out. */
gboolean dc_db_police_in_force (DcDb *db, GArray *ids, GHashTable *out, GError **error);

/* ---- read keys (identity_keys) ---- */

/* Store the wrapped read key of verification @id. Nothing happens when it has one already
 * (insert-only: another program may have cached it first) or when the verification is gone
 * (purged since it was read). */
gboolean dc_db_identity_key_insert (DcDb *db, gint64 id, const guint8 *wrapped, gsize len, GError **error);
/* The wrapped read key of verification @id; NULL (no error) when none is cached. */
GBytes  *dc_db_identity_key_get (DcDb *db, gint64 id, GError **error);
/* Up to @limit verifications with an id above @after that have no read key, by id; an array
 * of DcPoliceVerification (only id and payload set). */
GArray  *dc_db_identity_keys_missing (DcDb *db, gint64 after, guint limit, GError **error);
/* How many verifications have no read key. */
gboolean dc_db_identity_keys_count_missing (DcDb *db, gint64 *out, GError **error);

G_END_DECLS
