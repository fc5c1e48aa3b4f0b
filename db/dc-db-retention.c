/* db/dc-db-retention.c — the purge's SQL: what is past retention, deleting it, the purges ledger, and what verify needs of it. */
#include "dc-db-records.h"
#include "dc-schema.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The work tables live in the connection's temporary schema (in memory: temp_store is
 * MEMORY), hold ids and times only, and are emptied after every plan or run. */
static const char create_work_tables[] =
  "CREATE TEMP TABLE IF NOT EXISTS dc_held_visits (id INTEGER PRIMARY KEY);"
  "CREATE TEMP TABLE IF NOT EXISTS dc_held_verifications (id INTEGER PRIMARY KEY);"
  "CREATE TEMP TABLE IF NOT EXISTS dc_held_customers (id INTEGER PRIMARY KEY);"
  "CREATE TEMP TABLE IF NOT EXISTS dc_purge_visits (id INTEGER PRIMARY KEY, ended INTEGER NOT NULL,"
  "  sessions INTEGER NOT NULL);"
  "CREATE TEMP TABLE IF NOT EXISTS dc_purge_candidates (id INTEGER PRIMARY KEY);"
  "CREATE TEMP TABLE IF NOT EXISTS dc_purge_roots (id INTEGER PRIMARY KEY);"
  "CREATE TEMP TABLE IF NOT EXISTS dc_purge_members (id INTEGER PRIMARY KEY, root INTEGER NOT NULL, ended INTEGER);"
  "CREATE INDEX IF NOT EXISTS temp.dc_purge_members_root ON dc_purge_members (root);"
  "CREATE TEMP TABLE IF NOT EXISTS dc_purge_kept (root INTEGER PRIMARY KEY);"
  "CREATE TEMP TABLE IF NOT EXISTS dc_purge_verifications (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL,"
  "  ended INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS temp.dc_purge_verifications_customer ON dc_purge_verifications (customer_id);"
  "CREATE TEMP TABLE IF NOT EXISTS dc_purge_customer_candidates (id INTEGER PRIMARY KEY);"
  "CREATE TEMP TABLE IF NOT EXISTS dc_purge_customers (id INTEGER PRIMARY KEY, ended INTEGER NOT NULL);";

static const char clear_work_tables[] =
  "DELETE FROM temp.dc_held_visits; DELETE FROM temp.dc_held_verifications; DELETE FROM temp.dc_held_customers;"
  "DELETE FROM temp.dc_purge_visits; DELETE FROM temp.dc_purge_candidates; DELETE FROM temp.dc_purge_roots;"
  "DELETE FROM temp.dc_purge_members; DELETE FROM temp.dc_purge_kept; DELETE FROM temp.dc_purge_verifications;"
  "DELETE FROM temp.dc_purge_customer_candidates; DELETE FROM temp.dc_purge_customers;";

/* Each step of the plan, in order; ?1 is the cutoff. */
static const char *const prepare_steps[] = {
  /* visits that ended before the cutoff and are not held; open visits have no exit */
  "INSERT INTO temp.dc_purge_visits (id, ended, sessions)"
  " SELECT v.id, v.exited_at, (SELECT count (*) FROM terminal_sessions s WHERE s.visit_id = v.id)"
  " FROM visits v WHERE v.exited_at < ?1 AND v.id NOT IN (SELECT id FROM temp.dc_held_visits)",

  /* verifications that may lose their last visit now ... */
  "INSERT OR IGNORE INTO temp.dc_purge_candidates (id)"
  " SELECT v.verification_id FROM temp.dc_purge_visits p JOIN visits v ON v.id = p.id",
  /* ... or have none left (a hold released after its visits went). One verified after the
   * cutoff was made with a visit that cannot have gone yet: it is not looked at. */
  "INSERT OR IGNORE INTO temp.dc_purge_candidates (id)"
  " SELECT f.id FROM verifications f WHERE f.verified_at < ?1"
  " AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.verification_id = f.id)",

  /* a verification and its corrections are one record: find the original of each group
   * (UNION, not UNION ALL, so that even a looped chain ends: it has no original and stays) */
  "WITH RECURSIVE up (id) AS (SELECT id FROM temp.dc_purge_candidates"
  "  UNION SELECT f.supersedes FROM up JOIN verifications f ON f.id = up.id WHERE f.supersedes IS NOT NULL)"
  " INSERT OR IGNORE INTO temp.dc_purge_roots (id)"
  " SELECT up.id FROM up JOIN verifications f ON f.id = up.id WHERE f.supersedes IS NULL",
  /* every version of each group, with the last exit of its visits that go now */
  "WITH RECURSIVE down (root, id) AS (SELECT id, id FROM temp.dc_purge_roots"
  "  UNION SELECT down.root, f.id FROM down JOIN verifications f ON f.supersedes = down.id)"
  " INSERT OR IGNORE INTO temp.dc_purge_members (id, root, ended)"
  " SELECT down.id, down.root, (SELECT max (p.ended) FROM visits v JOIN temp.dc_purge_visits p ON p.id = v.id"
  "                             WHERE v.verification_id = down.id)"
  " FROM down",
  /* a group stays while any version is held or relied on by a visit that stays */
  "INSERT OR IGNORE INTO temp.dc_purge_kept (root)"
  " SELECT m.root FROM temp.dc_purge_members m"
  " WHERE m.id IN (SELECT id FROM temp.dc_held_verifications)"
  "  OR EXISTS (SELECT 1 FROM visits v WHERE v.verification_id = m.id"
  "             AND v.id NOT IN (SELECT id FROM temp.dc_purge_visits))",
  /* the rest goes, dated by the group's last visit (or, with none left, its check) */
  "INSERT INTO temp.dc_purge_verifications (id, customer_id, ended)"
  " SELECT m.id, f.customer_id, g.ended FROM temp.dc_purge_members m"
  " JOIN verifications f ON f.id = m.id"
  " JOIN (SELECT m2.root AS root, coalesce (max (m2.ended), max (f2.verified_at)) AS ended"
  "       FROM temp.dc_purge_members m2 JOIN verifications f2 ON f2.id = m2.id GROUP BY m2.root) g"
  "   ON g.root = m.root"
  " WHERE m.root NOT IN (SELECT root FROM temp.dc_purge_kept)",

  /* customers who may lose their last verification now, or have none left */
  "INSERT OR IGNORE INTO temp.dc_purge_customer_candidates (id)"
  " SELECT customer_id FROM temp.dc_purge_verifications",
  "INSERT OR IGNORE INTO temp.dc_purge_customer_candidates (id)"
  " SELECT c.id FROM customers c WHERE c.created_at < ?1"
  " AND NOT EXISTS (SELECT 1 FROM verifications f WHERE f.customer_id = c.id)",
  /* a customer goes when not held and nothing of theirs stays */
  "INSERT INTO temp.dc_purge_customers (id, ended)"
  " SELECT k.id, coalesce ((SELECT max (p.ended) FROM temp.dc_purge_verifications p WHERE p.customer_id = k.id),"
  "                        c.created_at)"
  " FROM temp.dc_purge_customer_candidates k JOIN customers c ON c.id = k.id"
  " WHERE k.id NOT IN (SELECT id FROM temp.dc_held_customers)"
  "  AND NOT EXISTS (SELECT 1 FROM verifications f WHERE f.customer_id = k.id"
  "                  AND f.id NOT IN (SELECT id FROM temp.dc_purge_verifications))"
  "  AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.customer_id = k.id"
  "                  AND v.id NOT IN (SELECT id FROM temp.dc_purge_visits))"
  /* nor a card event on or after the cutoff (a reissue long after the last visit): verify
   * accepts a missing card only when its last event came before a later purge's cutoff */
  "  AND NOT EXISTS (SELECT 1 FROM cards d WHERE d.customer_id = k.id"
  "                  AND max (d.issued_at, coalesce (d.ended_at, 0)) >= ?1)",
};

static gboolean
insert_held (DcDb *db, const char *sql, GHashTable *set, GError **error)
{
  GHashTableIter iter;
  gpointer key;

  if (set == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!dc_db_run (db, error, sql, "i", *(const gint64 *) key))
      return FALSE;
  return TRUE;
}

gboolean
dc_db_purge_prepare (DcDb *db, gint64 cutoff, GHashTable *held_visits, GHashTable *held_verifications,
                     GHashTable *held_customers, GError **error)
{
  if (!dc_db_exec (db, create_work_tables, error) || !dc_db_exec (db, clear_work_tables, error)
      || !insert_held (db, "INSERT OR IGNORE INTO temp.dc_held_visits (id) VALUES (?)", held_visits, error)
      || !insert_held (db, "INSERT OR IGNORE INTO temp.dc_held_verifications (id) VALUES (?)", held_verifications,
                       error)
      || !insert_held (db, "INSERT OR IGNORE INTO temp.dc_held_customers (id) VALUES (?)", held_customers, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (prepare_steps); i++)
    if (!dc_db_run (db, error, prepare_steps[i], strstr (prepare_steps[i], "?1") != NULL ? "i" : "", cutoff))
      return FALSE;
  return TRUE;
}

gboolean
dc_db_purge_foreach (DcDb *db, DcDbPurgeKind kind, DcDbPurgeFunc func, gpointer user_data, GError **error)
{
  static const char *const sql[] = {
    [DC_DB_PURGE_VISITS] = "SELECT ended, 1 FROM temp.dc_purge_visits",
    [DC_DB_PURGE_SESSIONS] = "SELECT ended, sessions FROM temp.dc_purge_visits WHERE sessions > 0",
    [DC_DB_PURGE_VERIFICATIONS] = "SELECT ended, 1 FROM temp.dc_purge_verifications",
    [DC_DB_PURGE_CUSTOMERS] = "SELECT ended, 1 FROM temp.dc_purge_customers",
  };
  GError *local = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (sql), FALSE);
  stmt = dc_db_query (db, error, sql[kind], "");
  if (stmt == NULL)
    return FALSE;
  while (dc_db_next (db, stmt, &local))
    if (!func (dc_db_col_int (stmt, 0), dc_db_col_int (stmt, 1), user_data, error))
      {
        sqlite3_reset (stmt);
        return FALSE;
      }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_db_purge_delete (DcDb *db, gint64 out_counts[4], GError **error)
{
  /* children first: the foreign keys are checked at the end of each statement, so a
   * group of verifications that supersede each other goes in one */
  static const char *const sql[] = {
    [DC_DB_PURGE_SESSIONS] = "DELETE FROM terminal_sessions WHERE visit_id IN (SELECT id FROM temp.dc_purge_visits)",
    [DC_DB_PURGE_VISITS] = "DELETE FROM visits WHERE id IN (SELECT id FROM temp.dc_purge_visits)",
    [DC_DB_PURGE_VERIFICATIONS] = "DELETE FROM verifications WHERE id IN (SELECT id FROM temp.dc_purge_verifications)",
    [DC_DB_PURGE_CUSTOMERS] = "DELETE FROM customers WHERE id IN (SELECT id FROM temp.dc_purge_customers)",
  };
  static const DcDbPurgeKind order[] = {
    DC_DB_PURGE_SESSIONS, DC_DB_PURGE_VISITS, DC_DB_PURGE_VERIFICATIONS, DC_DB_PURGE_CUSTOMERS,
  };
  gint64 secure = 0;
  gboolean found;

  /* the deleted cells must be overwritten, not merely unlinked */
  if (!dc_db_int (db, &secure, &found, error, "PRAGMA secure_delete", ""))
    return FALSE;
  if (secure != 1)
    {
      g_set_error (error, DC_DB_ERROR, DC_DB_ERROR_FAILED,
                   _("Secure deletion is off on this connection: nothing was purged."));
      return FALSE;
    }
  /* a customer's cards go with them (they reference the customer); the purges row has no
   * count for them: verify dates each missing card by its last event instead */
  if (!dc_db_run (db, error, "DELETE FROM cards WHERE customer_id IN (SELECT id FROM temp.dc_purge_customers)", ""))
    return FALSE;
  /* a verification's cached read key goes with it (it references the verification); no
   * count: it is no record, and verify does not look at it */
  if (!dc_db_run (db, error,
                  "DELETE FROM identity_keys WHERE verification_id IN (SELECT id FROM temp.dc_purge_verifications)", ""))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (order); i++)
    {
      if (!dc_db_run (db, error, sql[order[i]], ""))
        return FALSE;
      out_counts[order[i]] = dc_db_changes (db);
    }
  /* secure_delete zeroes a deleted cell where it lies, but when SQLite rebalances a page it
   * rebuilds it over its old image: copies of keys that moved stay behind in the gap, and
   * the blind indexes, random keys, move all the time. Rebuilding those indexes frees every
   * old page (zeroed, secure_delete) and leaves no copy of a purged key behind. */
  if (out_counts[DC_DB_PURGE_VERIFICATIONS] + out_counts[DC_DB_PURGE_CUSTOMERS] > 0
      && !dc_db_exec (db, "REINDEX customers_person; REINDEX verifications_person;"
                          " REINDEX verifications_document; REINDEX verifications_name;", error))
    return FALSE;
  return TRUE;
}

gboolean
dc_db_purge_clear (DcDb *db, GError **error)
{
  return dc_db_exec (db, create_work_tables, error) && dc_db_exec (db, clear_work_tables, error);
}

gboolean
dc_db_purge_stats (DcDb *db, gint64 *out_open, gint64 *out_oldest_end, GError **error)
{
  gboolean found;

  *out_oldest_end = 0;
  return dc_db_int (db, out_open, &found, error, "SELECT count (*) FROM visits WHERE exited_at IS NULL", "")
         && dc_db_int (db, out_oldest_end, &found, error,
                       "SELECT min (exited_at) FROM visits WHERE exited_at IS NOT NULL", "");
}

gboolean
dc_db_purge_insert (DcDb *db, const DcPurgeRow *row, gint64 *out_id, GError **error)
{
  if (!dc_db_run (db, error,
                  "INSERT INTO purges (at, cutoff, customers, verifications, visits, sessions)"
                  " VALUES (?, ?, ?, ?, ?, ?)", "iiiiii",
                  row->at, row->cutoff, row->customers, row->verifications, row->visits, row->sessions))
    return FALSE;
  *out_id = dc_db_last_id (db);
  return TRUE;
}

static GArray *
purge_rows (DcDb *db, const char *sql, GError **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (DcPurgeRow));
  GError *local = NULL;
  sqlite3_stmt *stmt = dc_db_query (db, error, sql, "");

  if (stmt == NULL)
    return NULL;
  while (dc_db_next (db, stmt, &local))
    {
      DcPurgeRow row = {
        .id = dc_db_col_int (stmt, 0),
        .at = dc_db_col_int (stmt, 1),
        .cutoff = dc_db_col_int (stmt, 2),
        .customers = dc_db_col_int (stmt, 3),
        .verifications = dc_db_col_int (stmt, 4),
        .visits = dc_db_col_int (stmt, 5),
        .sessions = dc_db_col_int (stmt, 6),
        .seq = dc_db_col_int (stmt, 7),
      };

      g_array_append_val (rows, row);
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

GArray *
dc_db_purge_list (DcDb *db, GError **error)
{
  return purge_rows (db,
                     "SELECT id, at, cutoff, customers, verifications, visits, sessions, 0 FROM purges"
                     " ORDER BY id DESC", error);
}

GArray *
dc_db_purge_entries (DcDb *db, GError **error)
{
  return purge_rows (db,
                     "SELECT p.id, p.at, p.cutoff, p.customers, p.verifications, p.visits, p.sessions, a.id"
                     " FROM audit a JOIN purges p ON p.id = a.subject_id"
                     " WHERE a.subject_table = 'purges' AND a.action = 'purge' ORDER BY a.id", error);
}

gboolean
dc_db_purge_vacuum (DcDb *db, GError **error)
{
  /* the store was created with auto_vacuum = INCREMENTAL (dc_db_open): without it the
   * pragma does nothing and the freed (zeroed) pages stay inside the file */
  return dc_db_exec (db, "PRAGMA incremental_vacuum", error);
}

/* ---- scrubbing the unused bytes of pages ---- */

static guint
get2 (const guint8 *p)
{
  return (guint) p[0] << 8 | p[1];
}

/* Zero what no cell of b-tree page @data (@usable bytes of it used by the format; its
 * header at @hdr, 100 on page 1) uses. FALSE when the page is not a b-tree page or looks
 * inconsistent: it is then left alone. */
static gboolean
scrub_page (guint8 *data, guint usable, guint hdr, gboolean *changed)
{
  guint8 type = data[hdr];
  guint header_size, n_cells, content, pointers_end, free_at, steps = 0;

  *changed = FALSE;
  if (type != 2 && type != 5 && type != 10 && type != 13)
    return FALSE;
  header_size = type == 2 || type == 5 ? 12 : 8;
  n_cells = get2 (data + hdr + 3);
  content = get2 (data + hdr + 5);
  if (content == 0)
    content = 65536;
  pointers_end = hdr + header_size + 2 * n_cells;
  if (pointers_end > content || content > usable)
    return FALSE;
  for (guint i = pointers_end; i < content; i++)
    if (data[i] != 0)
      {
        memset (data + pointers_end, 0, content - pointers_end);
        *changed = TRUE;
        break;
      }
  /* free blocks: a chain in ascending order inside the cell content area; the first four
   * bytes of each are its link and size */
  for (free_at = get2 (data + hdr + 1); free_at != 0; free_at = get2 (data + free_at))
    {
      guint size;

      if (free_at < content || free_at + 4 > usable || ++steps > usable / 4)
        return FALSE;
      size = get2 (data + free_at + 2);
      if (size < 4 || free_at + size > usable)
        return FALSE;
      for (guint i = free_at + 4; i < free_at + size; i++)
        if (data[i] != 0)
          {
            memset (data + free_at + 4, 0, size - 4);
            *changed = TRUE;
            break;
          }
      if (get2 (data + free_at) != 0 && get2 (data + free_at) <= free_at)
        return FALSE;
    }
  return TRUE;
}

/* The b-tree pages (interior and leaf) of every table and index of @tables. */
static GArray *
pages_of (DcDb *db, const char *const *tables, GError **error)
{
  g_autoptr(GArray) pages = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GError *local = NULL;
  sqlite3_stmt *stmt;

  for (guint t = 0; tables[t] != NULL; t++)
    {
      stmt = dc_db_query (db, error, "SELECT name FROM sqlite_schema WHERE tbl_name = ? AND type IN ('table', 'index')"
                          " AND rootpage > 0", "t", tables[t]);
      if (stmt == NULL)
        return NULL;
      while (dc_db_next (db, stmt, &local))
        g_ptr_array_add (names, dc_db_col_text (stmt, 0));
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
    }
  for (guint i = 0; i < names->len; i++)
    {
      /* dbstat walks the one b-tree named: its pages in this transaction */
      stmt = dc_db_query (db, error, "SELECT pageno FROM dbstat WHERE name = ? AND pagetype IN ('internal', 'leaf')",
                          "t", names->pdata[i]);
      if (stmt == NULL)
        return NULL;
      while (dc_db_next (db, stmt, &local))
        {
          gint64 page = dc_db_col_int (stmt, 0);

          g_array_append_val (pages, page);
        }
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
    }
  return g_steal_pointer (&pages);
}

static gboolean
scrub_file (const char *path, GArray *pages, guint page_size, guint *out_pages, GError **error)
{
  g_autofree guint8 *data = g_malloc (page_size);
  int fd = g_open (path, O_RDWR | O_CLOEXEC, 0);
  gboolean ok = fd >= 0 && pread (fd, data, 100, 0) == 100;
  /* the bytes at the end of each page that the format leaves to extensions (header byte 20) */
  guint usable = ok ? page_size - data[20] : 0;

  for (guint i = 0; ok && i < pages->len; i++)
    {
      gint64 page = g_array_index (pages, gint64, i);
      off_t at = (off_t) (page - 1) * page_size;
      gboolean changed = FALSE;

      ok = pread (fd, data, page_size, at) == (gssize) page_size;
      if (ok && scrub_page (data, usable, page == 1 ? 100 : 0, &changed) && changed)
        {
          ok = pwrite (fd, data, page_size, at) == (gssize) page_size;
          (*out_pages)++;
        }
    }
  ok = ok && (*out_pages == 0 || fdatasync (fd) == 0);
  if (!ok)
    {
      int saved = errno;

      g_set_error (error, DC_DB_ERROR, DC_DB_ERROR_FAILED, _("Cannot wipe the free space of %s: %s"), path,
                   g_strerror (saved));
    }
  if (fd >= 0)
    close (fd);
  return ok;
}

gboolean
dc_db_purge_scrub (DcDb *db, guint *out_pages, GError **error)
{
  static const char *const tables[] = { "verifications", "customers", "identity_keys", "cards", NULL };
  g_autofree char *wal = g_strconcat (dc_db_path (db), "-wal", NULL);
  g_autoptr(GArray) pages = NULL;
  gint64 page_size = 0;
  gboolean found, ok;
  GStatBuf st;

  *out_pages = 0;
  g_return_val_if_fail (!dc_db_in_transaction (db), FALSE);
  /* the write lock: no other connection can commit (and so write the WAL or, through a
   * checkpoint, the file) while the file is written here */
  if (!dc_db_begin (db, error))
    return FALSE;
  if (g_stat (wal, &st) == 0 && st.st_size > 0)
    {
      dc_db_rollback (db);
      g_set_error (error, DC_DB_ERROR, DC_DB_ERROR_BUSY,
                   _("Another program wrote to the store meanwhile: its free space was not wiped."));
      return FALSE;
    }
  ok = dc_db_int (db, &page_size, &found, error, "PRAGMA page_size", "")
       && (pages = pages_of (db, tables, error)) != NULL
       && scrub_file (dc_db_path (db), pages, (guint) page_size, out_pages, error);
  /* nothing was changed through SQLite: the transaction only held the lock */
  dc_db_rollback (db);
  /* this connection's cache holds the pages as they were: read them again */
  sqlite3_db_release_memory (dc_db_handle (db));
  return ok;
}

/* ---- verify ---- */

static gboolean
audited_table (const char *table)
{
  for (const char *const *t = dc_schema_audited_tables (); *t != NULL; t++)
    if (g_str_equal (*t, table))
      return TRUE;
  return FALSE;
}

gboolean
dc_db_audit_missing_rows (DcDb *db, const char *table, DcMissingFunc func, gpointer user_data, GError **error)
{
  g_autofree char *sql = NULL;
  GError *local = NULL;
  DcMissingRow row = { 0 };
  gboolean have = FALSE, ok = TRUE;
  sqlite3_stmt *stmt;

  /* table names cannot be bound: only the schema's own are interpolated */
  g_return_val_if_fail (audited_table (table), FALSE);

  /* one pass over the entries of rows that are gone, in (row, entry) order along the
   * audit_subject index: no query per row */
  sql = g_strdup_printf ("SELECT a.subject_id, a.id, a.at, a.action, a.row_hash IS NULL FROM audit a"
                         " WHERE a.subject_table = ?1"
                         " AND NOT EXISTS (SELECT 1 FROM %s t WHERE t.id = a.subject_id)"
                         " ORDER BY a.subject_id, a.id", table);
  stmt = dc_db_query (db, error, sql, "t", table);
  if (stmt == NULL)
    return FALSE;
  while (ok && dc_db_next (db, stmt, &local))
    {
      gint64 id = dc_db_col_int (stmt, 0);
      gint64 at = dc_db_col_int (stmt, 2);
      const char *action = (const char *) sqlite3_column_text (stmt, 3);
      gboolean read = g_strcmp0 (action, "read") == 0;

      if (have && row.id != id)
        ok = func (&row, user_data, error);
      if (!have || row.id != id)
        {
          row = (DcMissingRow) { .id = id, .first_at = at, .first_correct = g_strcmp0 (action, "correct") == 0 };
          have = TRUE;
        }
      row.last_seq = dc_db_col_int (stmt, 1);
      row.removed = dc_db_col_int (stmt, 4) != 0;
      if (!read)
        row.last_write_at = at;
    }
  if (!ok)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return !have || func (&row, user_data, error);
}
