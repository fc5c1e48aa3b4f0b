/* db/dc-db-police.c — the SQL of police requests: the ledger, the query log, finding sessions and visits. */
#include "dc-db-police.h"
#include "dc-db-records-private.h"

/* ---- helpers ---- */

/* A JSON array of ids, for json_each (): one statement whatever the number of ids. */
static char *
json_ids (GArray *ids)
{
  GString *json = g_string_sized_new (2 + (ids != NULL ? ids->len * 8 : 0));

  g_string_append_c (json, '[');
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      /* by hand: printf costs more than the query's look-up of the id */
      gint64 id = g_array_index (ids, gint64, i);
      guint64 magnitude = id < 0 ? -(guint64) id : (guint64) id;
      char digits[24];
      gsize n = sizeof digits;

      do
        digits[--n] = (char) ('0' + magnitude % 10);
      while ((magnitude /= 10) != 0);
      if (id < 0)
        digits[--n] = '-';
      if (i > 0)
        g_string_append_c (json, ',');
      g_string_append_len (json, digits + n, (gssize) (sizeof digits - n));
    }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}


static gboolean
collect_ids (DcDb *db, sqlite3_stmt *stmt, GArray *out, GError **error)
{
  GError *local = NULL;

  if (stmt == NULL)
    return FALSE;
  while (dc_db_next (db, stmt, &local))
    {
      gint64 id = dc_db_col_int (stmt, 0);

      g_array_append_val (out, id);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/* ---- the request ledger ---- */

void
dc_disclosure_row_clear (DcDisclosureRow *row)
{
  g_clear_pointer (&row->agency, g_free);
  g_clear_pointer (&row->officer, g_free);
  g_clear_pointer (&row->reference, g_free);
  g_clear_pointer (&row->basis, g_free);
  g_clear_pointer (&row->scope, g_bytes_unref);
  g_clear_pointer (&row->note, g_bytes_unref);
  g_clear_pointer (&row->staff, g_free);
}

gboolean
dc_db_disclosure_insert (DcDb *db, const DcDisclosureRow *row, gint64 *out_id, GError **error)
{
  /* scope and note are sealed bytes: stored as BLOB values (a TEXT column keeps a BLOB as is) */
  if (!dc_db_run (db, error,
                  "INSERT INTO disclosures (received_at, agency, officer, reference, basis, scope, note, staff_id)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                  "itttt" "xxi", row->received_at, row->agency, row->officer, row->reference, row->basis,
                  row->scope, row->note, row->staff_id))
    return FALSE;
  *out_id = dc_db_last_id (db);
  return TRUE;
}

#define DISCLOSURE_COLUMNS \
  "SELECT d.id, d.received_at, d.agency, d.officer, d.reference, d.basis, d.scope, d.note, d.staff_id, s.name" \
  " FROM disclosures d JOIN staff s ON s.id = d.staff_id"

static void
read_disclosure (sqlite3_stmt *stmt, gpointer element)
{
  DcDisclosureRow *row = element;

  row->id = dc_db_col_int (stmt, 0);
  row->received_at = dc_db_col_int (stmt, 1);
  row->agency = dc_db_col_text (stmt, 2);
  row->officer = dc_db_col_text (stmt, 3);
  row->reference = dc_db_col_text (stmt, 4);
  row->basis = dc_db_col_text (stmt, 5);
  row->scope = dc_db_col_bytes (stmt, 6);
  row->note = dc_db_col_bytes (stmt, 7);
  row->staff_id = dc_db_col_int (stmt, 8);
  row->staff = dc_db_col_text (stmt, 9);
}

gboolean
dc_db_disclosure_get (DcDb *db, gint64 id, DcDisclosureRow *row, gboolean *found, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, DISCLOSURE_COLUMNS " WHERE d.id = ?", "i", id);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  if (dc_db_next (db, stmt, &local))
    {
      *found = TRUE;
      read_disclosure (stmt, row);
    }
  return dc_db_finish_lookup (db, stmt, found, local, error);
}

GArray *
dc_db_disclosure_list (DcDb *db, GError **error)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (DcDisclosureRow));

  g_array_set_clear_func (rows, (GDestroyNotify) dc_disclosure_row_clear);
  return dc_db_collect (db, dc_db_query (db, error, DISCLOSURE_COLUMNS " ORDER BY d.received_at DESC, d.id DESC", ""),
                  rows, read_disclosure, error);
}

void
dc_disclosure_export_row_clear (DcDisclosureExportRow *row)
{
  g_clear_pointer (&row->staff, g_free);
  g_clear_pointer (&row->scope, g_free);
  g_clear_pointer (&row->manifest_sha256, g_free);
}

gboolean
dc_db_disclosure_export_insert (DcDb *db, const DcDisclosureExportRow *row, gint64 *out_id, GError **error)
{
  if (!dc_db_run (db, error,
                  "INSERT INTO disclosure_exports (disclosure_id, query_id, at, staff_id, sessions, visits,"
                  " verifications, manifest_sha256, holds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  "iiiiiiiti", row->disclosure_id, row->query_id, row->at, row->staff_id, row->sessions,
                  row->visits, row->verifications, row->manifest_sha256, row->holds))
    return FALSE;
  *out_id = dc_db_last_id (db);
  return TRUE;
}

static void
read_export (sqlite3_stmt *stmt, gpointer element)
{
  DcDisclosureExportRow *row = element;

  row->id = dc_db_col_int (stmt, 0);
  row->disclosure_id = dc_db_col_int (stmt, 1);
  row->query_id = dc_db_col_int (stmt, 2);
  row->at = dc_db_col_int (stmt, 3);
  row->staff_id = dc_db_col_int (stmt, 4);
  row->staff = dc_db_col_text (stmt, 5);
  row->scope = dc_db_col_text (stmt, 6);
  row->sessions = dc_db_col_int (stmt, 7);
  row->visits = dc_db_col_int (stmt, 8);
  row->verifications = dc_db_col_int (stmt, 9);
  row->manifest_sha256 = dc_db_col_text (stmt, 10);
  row->holds = dc_db_col_int (stmt, 11);
}

GArray *
dc_db_disclosure_exports (DcDb *db, gint64 disclosure_id, GError **error)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (DcDisclosureExportRow));
  sqlite3_stmt *stmt;

  g_array_set_clear_func (rows, (GDestroyNotify) dc_disclosure_export_row_clear);
  stmt = dc_db_query (db, error,
                      "SELECT e.id, e.disclosure_id, e.query_id, e.at, e.staff_id, s.name, q.scope, e.sessions,"
                      " e.visits, e.verifications, e.manifest_sha256, e.holds"
                      " FROM disclosure_exports e JOIN staff s ON s.id = e.staff_id JOIN queries q ON q.id = e.query_id"
                      " WHERE ?1 = 0 OR e.disclosure_id = ?1 ORDER BY e.id", "i", disclosure_id);
  return dc_db_collect (db, stmt, rows, read_export, error);
}

/* ---- the query log ---- */

gboolean
dc_db_query_log_insert (DcDb *db, const DcQueryLogRow *row, gint64 *out_id, GError **error)
{
  if (!dc_db_run (db, error,
                  "INSERT INTO queries (at, staff_id, disclosure_id, kind, scope, sealed_scope, sessions, visits)"
                  " VALUES (?, ?, nullif (?, 0), ?, ?, ?, ?, ?)",
                  "iiittxii", row->at, row->staff_id, row->disclosure_id, row->kind, row->scope, row->sealed_scope,
                  row->sessions, row->visits))
    return FALSE;
  *out_id = dc_db_last_id (db);
  return TRUE;
}

gboolean
dc_db_query_log_disclosure (DcDb *db, gint64 query_id, gint64 *out_disclosure, gboolean *found, GError **error)
{
  return dc_db_int (db, out_disclosure, found, error, "SELECT coalesce (disclosure_id, 0) FROM queries WHERE id = ?",
                    "i", query_id);
}

/* ---- finding the records ---- */

void
dc_police_row_clear (DcPoliceRow *row)
{
  g_clear_pointer (&row->terminal, g_free);
  g_clear_pointer (&row->exit_reason, g_free);
  g_clear_pointer (&row->staff_in, g_free);
  g_clear_pointer (&row->staff_out, g_free);
  g_clear_pointer (&row->member_number, g_free);
  dc_police_verification_clear (&row->recorded);
}

/* The columns of a DcPoliceRow, from sessions "s" (may be absent), visits "v", customers
 * "c", the verification the visit recorded "vr" and its read key "k". The row keeps the
 * verification only when no correction supersedes it: the version in force is another row
 * then. Staff names and terminal labels come from Names: a handful of rows read once per
 * query costs less than three or four more look-ups for every row. */
#define POLICE_COLUMNS \
  "SELECT coalesce (s.id, 0), coalesce (s.terminal_id, 0), coalesce (s.started_at, 0)," \
  " coalesce (s.ended_at, 0), v.id, v.entered_at, coalesce (v.exited_at, 0), v.exit_reason, v.minor," \
  " v.staff_in, coalesce (v.staff_out, 0), v.customer_id, c.member_number, v.verification_id," \
  " EXISTS (SELECT 1 FROM verifications n WHERE n.supersedes = vr.id)," \
  " vr.customer_id, vr.verified_at, vr.verifier_id, vr.doc_type, vr.payload, k.wrapped"
#define VISIT_JOINS \
  " JOIN customers c ON c.id = v.customer_id JOIN verifications vr ON vr.id = v.verification_id" \
  " LEFT JOIN identity_keys k ON k.verification_id = vr.id"

typedef struct {
  char    *label;
  gboolean filtered;
} TerminalName;

static void
terminal_name_free (TerminalName *name)
{
  g_free (name->label);
  g_free (name);
}

/* Staff names and terminal labels by id, as they are now. */
typedef struct {
  GHashTable *staff;       /* gint64 → char * */
  GHashTable *terminals;   /* gint64 → TerminalName */
} Names;

static void
names_clear (Names *names)
{
  g_clear_pointer (&names->staff, g_hash_table_unref);
  g_clear_pointer (&names->terminals, g_hash_table_unref);
}

static gboolean
names_load (DcDb *db, Names *names, GError **error)
{
  GError *local = NULL;
  sqlite3_stmt *stmt;

  names->staff = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  names->terminals = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) terminal_name_free);
  stmt = dc_db_query (db, error, "SELECT id, name FROM staff", "");
  if (stmt == NULL)
    return FALSE;
  while (dc_db_next (db, stmt, &local))
    {
      gint64 id = dc_db_col_int (stmt, 0);

      g_hash_table_insert (names->staff, g_memdup2 (&id, sizeof id), dc_db_col_text (stmt, 1));
    }
  if (local == NULL && (stmt = dc_db_query (db, &local, "SELECT id, label, filtered FROM terminals", "")) != NULL)
    while (dc_db_next (db, stmt, &local))
      {
        gint64 id = dc_db_col_int (stmt, 0);
        TerminalName *name = g_new0 (TerminalName, 1);

        name->label = dc_db_col_text (stmt, 1);
        name->filtered = dc_db_col_int (stmt, 2) != 0;
        g_hash_table_insert (names->terminals, g_memdup2 (&id, sizeof id), name);
      }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  DcDbStamp stamp;   /* taken before the names were read */
  Names     names;
} NamesCache;

static void
names_cache_free (gpointer data)
{
  NamesCache *cache = data;

  names_clear (&cache->names);
  g_free (cache);
}

/* Staff names and terminal labels, kept with the connection and read again only when either
 * table may have changed: three hundred terminals read and hashed were a tenth of a time
 * point's query. */
static const Names *
names_get (DcDb *db, GError **error)
{
  NamesCache *cache = dc_db_get_data (db, "dc-police-names");
  DcDbStamp stamp;

  if (!dc_db_names_stamp (db, &stamp, error))
    return NULL;
  if (cache != NULL && cache->stamp.data_version == stamp.data_version && cache->stamp.changes == stamp.changes)
    return &cache->names;
  cache = g_new0 (NamesCache, 1);
  cache->stamp = stamp;
  if (!names_load (db, &cache->names, error))
    {
      names_cache_free (cache);
      return NULL;
    }
  dc_db_set_data (db, "dc-police-names", cache, names_cache_free);
  return &cache->names;
}

static char *
staff_name (const Names *names, gint64 id)
{
  return id != 0 ? g_strdup (g_hash_table_lookup (names->staff, &id)) : NULL;
}

static void
read_verification_at (sqlite3_stmt *stmt, int first, DcPoliceVerification *row)
{
  row->customer_id = dc_db_col_int (stmt, first);
  row->verified_at = dc_db_col_int (stmt, first + 1);
  row->doc_type = dc_db_col_text (stmt, first + 3);
  row->payload = dc_db_col_bytes (stmt, first + 4);
  row->read_key = dc_db_col_bytes (stmt, first + 5);
}

static void
read_police_row (sqlite3_stmt *stmt, DcPoliceRow *row)
{
  row->session_id = dc_db_col_int (stmt, 0);
  row->terminal_id = dc_db_col_int (stmt, 1);
  row->started_at = dc_db_col_int (stmt, 2);
  row->ended_at = dc_db_col_int (stmt, 3);
  row->visit_id = dc_db_col_int (stmt, 4);
  row->entered_at = dc_db_col_int (stmt, 5);
  row->exited_at = dc_db_col_int (stmt, 6);
  row->exit_reason = dc_db_col_text (stmt, 7);
  row->minor = dc_db_col_int (stmt, 8) != 0;
  row->staff_in_id = dc_db_col_int (stmt, 9);
  row->staff_out_id = dc_db_col_int (stmt, 10);
  row->customer_id = dc_db_col_int (stmt, 11);
  row->member_number = dc_db_col_text (stmt, 12);
  row->verification_id = dc_db_col_int (stmt, 13);
  row->superseded = dc_db_col_int (stmt, 14) != 0;
  if (!row->superseded)
    {
      read_verification_at (stmt, 15, &row->recorded);
      row->recorded.id = row->verification_id;
      row->verifier_id = dc_db_col_int (stmt, 17);
    }
}

static void
police_row_read (sqlite3_stmt *stmt, gpointer element)
{
  read_police_row (stmt, element);
}

/* The rows of @stmt, an array of DcPoliceRow not named yet (NULL on error: @stmt NULL too). */
static GArray *
collect_police_rows (DcDb *db, sqlite3_stmt *stmt, GError **error)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (DcPoliceRow));

  g_array_set_clear_func (rows, (GDestroyNotify) dc_police_row_clear);
  return dc_db_collect (db, stmt, rows, police_row_read, error);
}

gboolean
dc_db_police_rows_name (DcDb *db, GArray *rows, GError **error)
{
  const Names *names;

  if (rows->len == 0)
    return TRUE;
  names = names_get (db, error);
  if (names == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      DcPoliceRow *row = &g_array_index (rows, DcPoliceRow, i);
      const TerminalName *terminal = row->terminal_id != 0 ? g_hash_table_lookup (names->terminals, &row->terminal_id)
                                                           : NULL;

      g_free (row->terminal);
      row->terminal = terminal != NULL ? g_strdup (terminal->label) : NULL;
      row->terminal_filtered = terminal != NULL && terminal->filtered;
      g_free (row->staff_in);
      row->staff_in = staff_name (names, row->staff_in_id);
      g_free (row->staff_out);
      row->staff_out = staff_name (names, row->staff_out_id);
      if (!row->superseded)
        {
          g_free (row->recorded.verifier);
          row->recorded.verifier = staff_name (names, row->verifier_id);
        }
    }
  return TRUE;
}

/* Closed sessions: those that started at most the longest session's length before @from
 * (one index search on sessions_length, then a range of sessions_start) and ended at or
 * after it. Open sessions: at most one per terminal, found terminal by terminal through
 * the partial index sessions_one_open (the CROSS JOIN keeps terminals outside). One
 * statement, so that both kinds see the same moment of the database. Sorted by the
 * caller: the order needs the terminal's label. */
#define TIME_SQL \
  "WITH hit (id) AS (" \
  "  SELECT id FROM terminal_sessions" \
  "   WHERE started_at BETWEEN ?1 - (SELECT coalesce (max (ended_at - started_at), 0) FROM terminal_sessions)" \
  "   AND ?2 AND ended_at >= ?1 AND id % ?4 >= ?5 AND id % ?4 < ?6" \
  "  UNION ALL SELECT o.id FROM terminals t CROSS JOIN terminal_sessions o" \
  "   ON o.terminal_id = t.id AND o.ended_at IS NULL WHERE o.started_at <= ?2 AND o.id % ?4 >= ?5 AND o.id % ?4 < ?6)" \
  POLICE_COLUMNS " FROM hit CROSS JOIN terminal_sessions s ON s.id = hit.id" \
  " JOIN visits v ON v.id = s.visit_id" VISIT_JOINS \
  " WHERE ?3 IS NULL OR s.terminal_id IN (SELECT value FROM json_each (?3))"

static gint
compare_by_start (gconstpointer a, gconstpointer b)
{
  const DcPoliceRow *x = a, *y = b;
  gint label;

  if (x->started_at != y->started_at)
    return x->started_at < y->started_at ? -1 : 1;
  label = g_strcmp0 (x->terminal, y->terminal);
  if (label != 0)
    return label;
  return (x->session_id > y->session_id) - (x->session_id < y->session_id);
}

void
dc_db_police_time_sort (GArray *rows)
{
  g_array_sort (rows, compare_by_start);
}

GArray *
dc_db_police_time_part (DcDb *db, gint64 from, gint64 to, GArray *terminal_ids, guint lo, guint hi, guint of,
                        GError **error)
{
  g_autofree char *only = terminal_ids != NULL && terminal_ids->len > 0 ? json_ids (terminal_ids) : NULL;

  g_return_val_if_fail (lo < hi && hi <= of, NULL);
  return collect_police_rows (db, dc_db_query (db, error, TIME_SQL, "iitiii", from, to, only, (gint64) of,
                                               (gint64) lo, (gint64) hi), error);
}

GArray *
dc_db_police_time (DcDb *db, gint64 from, gint64 to, GArray *terminal_ids, GError **error)
{
  g_autoptr(GArray) rows = dc_db_police_time_part (db, from, to, terminal_ids, 0, 1, 1, error);

  if (rows == NULL || !dc_db_police_rows_name (db, rows, error))
    return NULL;
  dc_db_police_time_sort (rows);
  return g_steal_pointer (&rows);
}

GPtrArray *
dc_db_police_time_plan (DcDb *db, GError **error)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, "EXPLAIN QUERY PLAN " TIME_SQL, "iitiii", (gint64) 0, (gint64) 1,
                                    "[1]", (gint64) 1, (gint64) 0, (gint64) 1);

  if (stmt == NULL)
    return NULL;
  while (dc_db_next (db, stmt, &local))
    g_ptr_array_add (lines, dc_db_col_text (stmt, 3));
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&lines);
}

GArray *
dc_db_police_visits_of (DcDb *db, GArray *customer_ids, GError **error)
{
  g_autofree char *json = json_ids (customer_ids);
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    POLICE_COLUMNS " FROM visits v" VISIT_JOINS
                                    " LEFT JOIN terminal_sessions s ON s.visit_id = v.id"
                                    " WHERE v.customer_id IN (SELECT value FROM json_each (?))"
                                    " ORDER BY v.entered_at DESC, v.id DESC, s.started_at, s.id", "t", json);

  g_autoptr(GArray) rows = collect_police_rows (db, stmt, error);

  if (rows == NULL || !dc_db_police_rows_name (db, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

gboolean
dc_db_police_customers_by_person (DcDb *db, GBytes *person_index, GArray *out, GError **error)
{
  return collect_ids (db,
                      dc_db_query (db, error,
                                   "SELECT id FROM customers WHERE person_index = ?1"
                                   " UNION SELECT customer_id FROM verifications WHERE person_index = ?1 ORDER BY 1",
                                   "x", person_index),
                      out, error);
}

gboolean
dc_db_police_customers_by_document (DcDb *db, GBytes *document_index, GArray *out, GError **error)
{
  return collect_ids (db,
                      dc_db_query (db, error,
                                   "SELECT DISTINCT customer_id FROM verifications WHERE document_index = ? ORDER BY 1",
                                   "x", document_index),
                      out, error);
}

void
dc_police_verification_clear (DcPoliceVerification *row)
{
  g_clear_pointer (&row->verifier, g_free);
  g_clear_pointer (&row->doc_type, g_free);
  g_clear_pointer (&row->payload, g_bytes_unref);
  g_clear_pointer (&row->read_key, g_bytes_unref);
}

#define VERIFICATION_COLUMNS \
  "SELECT v.id, v.customer_id, v.verified_at, s.name, v.doc_type, v.payload, k.wrapped" \
  " FROM verifications v JOIN staff s ON s.id = v.verifier_id" \
  " LEFT JOIN identity_keys k ON k.verification_id = v.id"

static void
read_verification (sqlite3_stmt *stmt, gpointer element)
{
  DcPoliceVerification *row = element;

  row->id = dc_db_col_int (stmt, 0);
  row->customer_id = dc_db_col_int (stmt, 1);
  row->verified_at = dc_db_col_int (stmt, 2);
  row->verifier = dc_db_col_text (stmt, 3);
  row->doc_type = dc_db_col_text (stmt, 4);
  row->payload = dc_db_col_bytes (stmt, 5);
  row->read_key = dc_db_col_bytes (stmt, 6);
}

static GArray *
verifications_new (void)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (DcPoliceVerification));

  g_array_set_clear_func (rows, (GDestroyNotify) dc_police_verification_clear);
  return rows;
}

GArray *
dc_db_police_name_candidates (DcDb *db, gint64 name_index, GError **error)
{
  return dc_db_collect (db, dc_db_query (db, error, VERIFICATION_COLUMNS " WHERE v.name_index = ? ORDER BY v.id", "i",
                                   name_index),
                  verifications_new (), read_verification, error);
}

GArray *
dc_db_police_verifications (DcDb *db, GArray *ids, GError **error)
{
  g_autofree char *json = json_ids (ids);

  return dc_db_collect (db, dc_db_query (db, error,
                                   VERIFICATION_COLUMNS " WHERE v.id IN (SELECT value FROM json_each (?)) ORDER BY v.id",
                                   "t", json),
                  verifications_new (), read_verification, error);
}

gboolean
dc_db_police_in_force (DcDb *db, GArray *ids, GHashTable *out, GError **error)
{
  g_autofree char *json = json_ids (ids);
  GError *local = NULL;
  /* A correction names the version it supersedes, and only the newest version can be
   * corrected: the chain is a line, its newest row the deepest (and the highest id). */
  sqlite3_stmt *stmt = dc_db_query (db, error,
                                    "WITH RECURSIVE chain (root, id) AS ("
                                    "  SELECT value, value FROM json_each (?)"
                                    "  UNION SELECT c.root, n.id FROM chain c"
                                    "   JOIN verifications n ON n.supersedes = c.id)"
                                    " SELECT root, max (id) FROM chain GROUP BY root", "t", json);

  if (stmt == NULL)
    return FALSE;
  while (dc_db_next (db, stmt, &local))
    {
      gint64 root = dc_db_col_int (stmt, 0), id = dc_db_col_int (stmt, 1);

      g_hash_table_replace (out, g_memdup2 (&root, sizeof root), g_memdup2 (&id, sizeof id));
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

/* ---- read keys ---- */

gboolean
dc_db_identity_key_insert (DcDb *db, gint64 id, const guint8 *wrapped, gsize len, GError **error)
{
  return dc_db_run (db, error,
                    "INSERT INTO identity_keys (verification_id, wrapped)"
                    " SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM verifications WHERE id = ?1)"
                    " ON CONFLICT DO NOTHING", "ir", id, wrapped, len);
}

GBytes *
dc_db_identity_key_get (DcDb *db, gint64 id, GError **error)
{
  GError *local = NULL;
  GBytes *wrapped = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, "SELECT wrapped FROM identity_keys WHERE verification_id = ?", "i", id);

  if (stmt == NULL)
    return NULL;
  if (dc_db_next (db, stmt, &local))
    {
      wrapped = dc_db_col_bytes (stmt, 0);
      sqlite3_reset (stmt);
    }
  if (local != NULL)
    g_propagate_error (error, local);
  return wrapped;
}

static void
read_missing (sqlite3_stmt *stmt, gpointer element)
{
  DcPoliceVerification *row = element;

  row->id = dc_db_col_int (stmt, 0);
  row->payload = dc_db_col_bytes (stmt, 1);
}

GArray *
dc_db_identity_keys_missing (DcDb *db, gint64 after, guint limit, GError **error)
{
  return dc_db_collect (db, dc_db_query (db, error,
                                         "SELECT v.id, v.payload FROM verifications v"
                                         " WHERE v.id > ? AND NOT EXISTS"
                                         "  (SELECT 1 FROM identity_keys k WHERE k.verification_id = v.id)"
                                         " ORDER BY v.id LIMIT ?", "ii", after, (gint64) limit),
                        verifications_new (), read_missing, error);
}

gboolean
dc_db_identity_keys_count_missing (DcDb *db, gint64 *out, GError **error)
{
  gboolean found;

  return dc_db_int (db, out, &found, error,
                    "SELECT (SELECT count (*) FROM verifications) - (SELECT count (*) FROM identity_keys)", "");
}
