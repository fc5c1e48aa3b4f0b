/* tests/test-db.c — the SQLite wrapper: private files, pragmas, refusals, append-only triggers, transactions, canonical rows. */
#include "dc-db.h"
#include "dc-schema.h"
#include "dc-test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#define DC_APPLICATION_ID 0x44414943

/* ---- helpers ---- */

typedef struct {
  char *dir;
  char *path;
  DcDb *db;
} Fixture;

static void
fixture_setup (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("dc-test-db-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "sub", "daicho.db", NULL);
  fx->db = dc_db_open (fx->path, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->db);
}

static void
fixture_teardown (Fixture *fx, gconstpointer data)
{
  g_clear_pointer (&fx->db, dc_db_close);
  dc_test_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->path);
}

static sqlite3 *
plain_open (const char *path)
{
  sqlite3 *handle = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (handle, 5000);
  return handle;
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static gint64
count_rows (sqlite3 *handle, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return dc_test_sql_int (handle, sql);
}

/* One row in every record table, written with plain SQL (inserting is allowed). */
static void
fill_records (DcDb *db)
{
  dc_test_sql_exec (dc_db_handle (db),
                    "INSERT INTO staff (id, name, role, created_at) VALUES (1, 'Mgr', 'manager', 1);"
                    "INSERT INTO terminals (id, label, created_at) VALUES (1, 'PC-1', 1), (2, 'PC-2', 1);"
                    "INSERT INTO customers (id, member_number, person_index, created_at)"
                    "  VALUES (1, '10000014', x'00', 1), (2, '10000028', x'01', 1);"
                    "INSERT INTO verifications (id, customer_id, verified_at, verifier_id, recorder_id, doc_type,"
                    "  payload, person_index, name_index, tier)"
                    "  VALUES (1, 1, 1, 1, 1, 'passport', x'01', x'00', 5, x'03'),"
                    "  (2, 2, 1, 1, 1, 'passport', x'02', x'01', 6, x'04');"
                    "INSERT INTO visits (id, customer_id, verification_id, entered_at, staff_in, minor, internet)"
                    "  VALUES (1, 1, 1, 100, 1, 0, 1);"
                    "INSERT INTO terminal_sessions (id, visit_id, terminal_id, started_at) VALUES (1, 1, 1, 100);"
                    "INSERT INTO disclosures (id, received_at, agency, officer, reference, basis, staff_id)"
                    "  VALUES (1, 100, 'Shinjuku PS', 'Officer', 'REF-1', 'inquiry', 1);"
                    "INSERT INTO holds (id, created_at, staff_id, scope, reason) VALUES (1, 100, 1, 'all', 'case');"
                    "INSERT INTO purges (id, at, cutoff, customers, verifications, visits, sessions)"
                    "  VALUES (1, 100, 50, 0, 0, 0, 0);"
                    "INSERT INTO audit (id, at, action, prev_hash, hash) VALUES (1, 100, 'x', x'00', x'01');"
                    "INSERT INTO checkpoints (id, seq, head_hash, at, signature) VALUES (1, 1, x'01', 100, x'02');");
}

/* ---- opening ---- */

static void
test_open_private (Fixture *fx, gconstpointer data)
{
  g_autofree char *sub = g_path_get_dirname (fx->path);
  g_autofree char *wal = g_strconcat (fx->path, "-wal", NULL);
  struct stat st;

  g_assert_cmpint (g_stat (sub, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, 0700);
  g_assert_cmpint (g_stat (fx->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);

  /* the WAL copies the mode of the file SQLite found */
  fill_records (fx->db);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_cmpstr (dc_db_path (fx->db), ==, fx->path);
}

static void
test_open_pragmas (Fixture *fx, gconstpointer data)
{
  sqlite3 *h = dc_db_handle (fx->db);
  g_autofree char *mode = dc_test_sql_text (h, "PRAGMA journal_mode");

  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (dc_test_sql_int (h, "PRAGMA synchronous"), ==, 2);
  g_assert_cmpint (dc_test_sql_int (h, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (dc_test_sql_int (h, "PRAGMA secure_delete"), ==, 1);
  g_assert_cmpint (dc_test_sql_int (h, "PRAGMA trusted_schema"), ==, 0);
  g_assert_cmpint (dc_test_sql_int (h, "PRAGMA user_version"), ==, DC_DB_SCHEMA_VERSION);
  g_assert_cmpint (dc_test_sql_int (h, "PRAGMA application_id"), ==, DC_APPLICATION_ID);
  g_assert_cmpint (dc_db_schema_version (fx->db), ==, DC_DB_SCHEMA_VERSION);

  /* bulk mode is the one exception, and it is undone */
  g_assert_true (dc_db_set_bulk (fx->db, TRUE, NULL));
  g_assert_cmpint (dc_test_sql_int (h, "PRAGMA synchronous"), ==, 0);
  g_assert_true (dc_db_set_bulk (fx->db, FALSE, NULL));
  g_assert_cmpint (dc_test_sql_int (h, "PRAGMA synchronous"), ==, 2);

  /* every trigger verify expects was created */
  for (const char *const *t = dc_schema_triggers (); *t != NULL; t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
                                              " AND name = '%s'", *t);
      g_assert_cmpint (dc_test_sql_int (h, sql), ==, 1);
    }
}

/* The purge relies on incremental vacuum; it can only be chosen while the file is empty. */
static void
test_open_auto_vacuum (Fixture *fx, gconstpointer data)
{
  g_assert_cmpint (dc_test_sql_int (dc_db_handle (fx->db), "PRAGMA auto_vacuum"), ==, 2);
  g_clear_pointer (&fx->db, dc_db_close);
  fx->db = dc_db_open (fx->path, FALSE, NULL);
  g_assert_nonnull (fx->db);
  g_assert_cmpint (dc_test_sql_int (dc_db_handle (fx->db), "PRAGMA auto_vacuum"), ==, 2);
}

static void
test_open_reopen (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (fx->dir, "none", "daicho.db", NULL);
  g_autofree char *missing_dir = g_path_get_dirname (missing);
  DcDb *again;

  fill_records (fx->db);
  g_clear_pointer (&fx->db, dc_db_close);

  fx->db = dc_db_open (fx->path, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (dc_db_schema_version (fx->db), ==, DC_DB_SCHEMA_VERSION);
  g_assert_cmpint (count_rows (dc_db_handle (fx->db), "customers"), ==, 2);
  g_assert_cmpint (dc_test_sql_int (dc_db_handle (fx->db), "PRAGMA foreign_keys"), ==, 1);

  again = dc_db_open (missing, FALSE, &error);
  g_assert_null (again);
  g_assert_error (error, DC_DB_ERROR, DC_DB_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (missing_dir, G_FILE_TEST_EXISTS));
}

typedef enum {
  KIND_NEWER,
  KIND_FOREIGN_ID,
  KIND_FOREIGN_TABLES,
  KIND_GARBAGE,
  KIND_DAICHO_ID_WITH_NEWER_AND_TABLES,
} FileKind;

typedef struct {
  const char *name;
  FileKind    kind;
  gint        code;
} RefusalCase;

static const RefusalCase refusal_cases[] = {
  { "newer", KIND_NEWER, DC_DB_ERROR_NEWER_SCHEMA },
  { "newer-with-tables", KIND_DAICHO_ID_WITH_NEWER_AND_TABLES, DC_DB_ERROR_NEWER_SCHEMA },
  { "foreign-application-id", KIND_FOREIGN_ID, DC_DB_ERROR_CORRUPT },
  { "foreign-tables", KIND_FOREIGN_TABLES, DC_DB_ERROR_CORRUPT },
  { "garbage", KIND_GARBAGE, DC_DB_ERROR_CORRUPT },
};

static void
make_file (const char *path, FileKind kind)
{
  sqlite3 *h = NULL;

  if (kind == KIND_GARBAGE)
    {
      g_autofree guint8 *junk = g_malloc (8192);
      g_autoptr(GError) error = NULL;

      for (gsize i = 0; i < 8192; i++)
        junk[i] = (guint8) (i * 131 + 7);
      g_file_set_contents (path, (const char *) junk, 8192, &error);
      g_assert_no_error (error);
      return;
    }
  g_assert_cmpint (sqlite3_open_v2 (path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==, SQLITE_OK);
  switch (kind)
    {
    case KIND_NEWER:
      dc_test_sql_exec (h, "PRAGMA application_id = 1145129283; PRAGMA user_version = 99;");
      break;
    case KIND_DAICHO_ID_WITH_NEWER_AND_TABLES:
      dc_test_sql_exec (h, "PRAGMA application_id = 1145129283; PRAGMA user_version = 99;"
                           "CREATE TABLE future (id INTEGER PRIMARY KEY, x TEXT); INSERT INTO future VALUES (1, 'a');");
      break;
    case KIND_FOREIGN_ID:
      dc_test_sql_exec (h, "PRAGMA application_id = 1234; PRAGMA user_version = 0;");
      break;
    case KIND_FOREIGN_TABLES:
      dc_test_sql_exec (h, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
                           " INSERT INTO notes VALUES (1, 'x');");
      break;
    case KIND_GARBAGE:
    default:
      g_assert_not_reached ();
    }
  g_assert_cmpint (sqlite3_close (h), ==, SQLITE_OK);
}

static void
test_open_refused (gconstpointer data)
{
  const RefusalCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("dc-test-db-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "daicho.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  DcDb *db;

  G_STATIC_ASSERT (DC_APPLICATION_ID == 1145129283);
  g_assert_no_error (error);
  make_file (path, c->kind);
  before = file_checksum (path);

  db = dc_db_open (path, TRUE, &error);
  g_assert_null (db);
  g_assert_error (error, DC_DB_ERROR, c->code);
  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);

  /* and a second try refuses the same way: nothing was half-done */
  g_clear_error (&error);
  db = dc_db_open (path, FALSE, &error);
  g_assert_null (db);
  g_assert_error (error, DC_DB_ERROR, c->code);
  g_free (after);
  after = file_checksum (path);
  g_assert_cmpstr (before, ==, after);
  dc_test_remove_tree (dir);
}

/* ---- append-only ---- */

typedef struct {
  const char *table;
  const char *sql;
} Forbidden;

/* Every statement must fail, on the program's connection and on a plain one. */
static const Forbidden forbidden[] = {
  { "customers", "UPDATE customers SET member_number = 'x' WHERE id = 1" },
  { "customers", "UPDATE customers SET person_index = x'ff' WHERE id = 1" },
  { "customers", "DELETE FROM customers WHERE id = 2" },
  { "verifications", "UPDATE verifications SET payload = x'ff' WHERE id = 1" },
  { "verifications", "UPDATE verifications SET customer_id = 2 WHERE id = 1" },
  { "verifications", "DELETE FROM verifications WHERE id = 2" },
  { "visits", "UPDATE visits SET entered_at = 50 WHERE id = 1" },
  { "visits", "UPDATE visits SET customer_id = 2 WHERE id = 1" },
  { "visits", "UPDATE visits SET verification_id = 2 WHERE id = 1" },
  { "visits", "UPDATE visits SET staff_in = 1 WHERE id = 1" },
  { "visits", "UPDATE visits SET minor = 1 WHERE id = 1" },
  { "visits", "UPDATE visits SET internet = 0 WHERE id = 1" },
  { "visits", "UPDATE visits SET id = 9 WHERE id = 1" },
  { "visits", "DELETE FROM visits WHERE id = 1" },
  { "terminal_sessions", "UPDATE terminal_sessions SET started_at = 50 WHERE id = 1" },
  { "terminal_sessions", "UPDATE terminal_sessions SET terminal_id = 2 WHERE id = 1" },
  { "terminal_sessions", "UPDATE terminal_sessions SET visit_id = 1 WHERE id = 1" },
  { "terminal_sessions", "DELETE FROM terminal_sessions WHERE id = 1" },
  { "audit", "UPDATE audit SET action = 'y' WHERE id = 1" },
  { "audit", "UPDATE audit SET hash = x'02' WHERE id = 1" },
  { "audit", "DELETE FROM audit WHERE id = 1" },
  { "checkpoints", "UPDATE checkpoints SET signature = x'03' WHERE id = 1" },
  { "checkpoints", "DELETE FROM checkpoints WHERE id = 1" },
  { "disclosures", "UPDATE disclosures SET officer = 'Other' WHERE id = 1" },
  { "disclosures", "DELETE FROM disclosures WHERE id = 1" },
  { "purges", "UPDATE purges SET visits = 9 WHERE id = 1" },
  { "purges", "DELETE FROM purges WHERE id = 1" },
  { "holds", "UPDATE holds SET reason = 'none' WHERE id = 1" },
  { "holds", "DELETE FROM holds WHERE id = 1" },
  { "staff", "DELETE FROM staff WHERE id = 1" },
  { "terminals", "DELETE FROM terminals WHERE id = 2" },
};

static char *
table_digest (sqlite3 *h, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s ORDER BY id", table);
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (h, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const guint8 *b = sqlite3_column_blob (stmt, c);
          int n = sqlite3_column_bytes (stmt, c);

          g_string_append_printf (out, "%d:", sqlite3_column_type (stmt, c));
          for (int i = 0; i < n; i++)
            g_string_append_printf (out, "%02x", b[i]);
          g_string_append_c (out, '|');
        }
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_append_only_own (Fixture *fx, gconstpointer data)
{
  sqlite3 *h = dc_db_handle (fx->db);

  fill_records (fx->db);
  for (gsize i = 0; i < G_N_ELEMENTS (forbidden); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *before = table_digest (h, forbidden[i].table);
      g_autofree char *after = NULL;

      g_test_message ("own connection: %s", forbidden[i].sql);
      g_assert_false (dc_db_exec (fx->db, forbidden[i].sql, &error));
      g_assert_error (error, DC_DB_ERROR, DC_DB_ERROR_CONSTRAINT);
      after = table_digest (h, forbidden[i].table);
      g_assert_cmpstr (before, ==, after);

      /* through a prepared statement too */
      g_clear_error (&error);
      g_assert_false (dc_db_run (fx->db, &error, forbidden[i].sql, ""));
      g_assert_error (error, DC_DB_ERROR, DC_DB_ERROR_CONSTRAINT);
    }
}

static void
test_append_only_plain (Fixture *fx, gconstpointer data)
{
  sqlite3 *plain;

  fill_records (fx->db);
  g_clear_pointer (&fx->db, dc_db_close);
  plain = plain_open (fx->path);
  for (gsize i = 0; i < G_N_ELEMENTS (forbidden); i++)
    {
      g_autofree char *before = table_digest (plain, forbidden[i].table);
      g_autofree char *after = NULL;
      int rc;

      g_test_message ("plain connection: %s", forbidden[i].sql);
      rc = sqlite3_exec (plain, forbidden[i].sql, NULL, NULL, NULL);
      g_assert_cmpint (rc, !=, SQLITE_OK);
      after = table_digest (plain, forbidden[i].table);
      g_assert_cmpstr (before, ==, after);
    }
  /* with the pragmas off, too: foreign keys are not what stops it */
  dc_test_sql_exec (plain, "PRAGMA foreign_keys = OFF; PRAGMA trusted_schema = ON;");
  g_assert_cmpint (sqlite3_exec (plain, "DELETE FROM customers WHERE id = 2", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (plain, "UPDATE audit SET action = 'z'", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (count_rows (plain, "customers"), ==, 2);
  sqlite3_close (plain);
}

typedef struct {
  const char *sql;
  gboolean    ok;
} Step;

static void
run_steps (DcDb *db, const Step *steps, gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = dc_db_exec (db, steps[i].sql, &error);

      g_test_message ("%s -> %s", steps[i].sql, ok ? "ok" : error->message);
      if (steps[i].ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, DC_DB_ERROR, DC_DB_ERROR_CONSTRAINT);
    }
}

static void
test_append_only_stamps (Fixture *fx, gconstpointer data)
{
  static const Step steps[] = {
    /* an exit needs its reason; it cannot be before the entry */
    { "UPDATE visits SET exited_at = 200 WHERE id = 1", FALSE },
    { "UPDATE visits SET exited_at = 50, exit_reason = 'staff' WHERE id = 1", FALSE },
    { "UPDATE visits SET exited_at = 200, staff_out = 1, exit_reason = 'staff' WHERE id = 1", TRUE },
    { "UPDATE visits SET exited_at = 300, exit_reason = 'staff' WHERE id = 1", FALSE },
    { "UPDATE visits SET exited_at = NULL, exit_reason = NULL WHERE id = 1", FALSE },
    { "UPDATE visits SET exit_reason = 'auto' WHERE id = 1", FALSE },
    { "UPDATE visits SET staff_out = NULL WHERE id = 1", FALSE },
    { "UPDATE terminal_sessions SET ended_at = 50 WHERE id = 1", FALSE },
    { "UPDATE terminal_sessions SET ended_at = 200 WHERE id = 1", TRUE },
    { "UPDATE terminal_sessions SET ended_at = 300 WHERE id = 1", FALSE },
    { "UPDATE terminal_sessions SET ended_at = NULL WHERE id = 1", FALSE },
    { "UPDATE holds SET released_at = 200, released_by = 1, release_reason = 'done' WHERE id = 1", TRUE },
    { "UPDATE holds SET released_at = 300 WHERE id = 1", FALSE },
    { "UPDATE holds SET released_at = NULL WHERE id = 1", FALSE },
  };
  sqlite3 *h = dc_db_handle (fx->db);

  fill_records (fx->db);
  run_steps (fx->db, steps, G_N_ELEMENTS (steps));
  g_assert_cmpint (dc_test_sql_int (h, "SELECT exited_at FROM visits WHERE id = 1"), ==, 200);
  g_assert_cmpint (dc_test_sql_int (h, "SELECT staff_out FROM visits WHERE id = 1"), ==, 1);
  g_assert_cmpint (dc_test_sql_int (h, "SELECT ended_at FROM terminal_sessions WHERE id = 1"), ==, 200);
  g_assert_cmpint (dc_test_sql_int (h, "SELECT released_at FROM holds WHERE id = 1"), ==, 200);
}

static void
test_append_only_purge (Fixture *fx, gconstpointer data)
{
  static const Step refused[] = {
    { "DELETE FROM terminal_sessions WHERE id = 1", FALSE },
  };
  static const Step purge[] = {
    { "DELETE FROM terminal_sessions WHERE id = 1", TRUE },
    { "DELETE FROM visits WHERE id = 1", TRUE },
    { "DELETE FROM verifications WHERE id = 1", TRUE },
    { "DELETE FROM customers WHERE id = 1", TRUE },
    /* the ledgers are never deleted, not even by the purge */
    { "DELETE FROM audit WHERE id = 1", FALSE },
    { "DELETE FROM checkpoints WHERE id = 1", FALSE },
    { "DELETE FROM purges WHERE id = 1", FALSE },
    { "DELETE FROM disclosures WHERE id = 1", FALSE },
    { "DELETE FROM holds WHERE id = 1", FALSE },
    /* and it deletes, it does not edit */
    { "UPDATE customers SET member_number = 'x' WHERE id = 2", FALSE },
  };
  static const Step refused_again[] = {
    { "DELETE FROM verifications WHERE id = 2", FALSE },
  };
  sqlite3 *h = dc_db_handle (fx->db);

  fill_records (fx->db);
  run_steps (fx->db, refused, G_N_ELEMENTS (refused));
  dc_db_allow_purge (fx->db, TRUE);
  run_steps (fx->db, purge, G_N_ELEMENTS (purge));
  g_assert_cmpint (count_rows (h, "customers"), ==, 1);
  g_assert_cmpint (count_rows (h, "visits"), ==, 0);
  dc_db_allow_purge (fx->db, FALSE);
  run_steps (fx->db, refused_again, G_N_ELEMENTS (refused_again));
  g_assert_cmpint (count_rows (h, "verifications"), ==, 1);
}

static void
test_unique_open_visit (Fixture *fx, gconstpointer data)
{
  static const Step steps[] = {
    { "INSERT INTO visits (customer_id, verification_id, entered_at, staff_in, minor) VALUES (1, 1, 150, 1, 0)",
      FALSE },
    /* another customer may be in at the same time */
    { "INSERT INTO visits (id, customer_id, verification_id, entered_at, staff_in, minor) VALUES (2, 2, 2, 150, 1, 0)",
      TRUE },
    { "UPDATE visits SET exited_at = 200, exit_reason = 'staff' WHERE id = 1", TRUE },
    /* once out, the customer may come back */
    { "INSERT INTO visits (id, customer_id, verification_id, entered_at, staff_in, minor) VALUES (3, 1, 1, 300, 1, 0)",
      TRUE },
    { "INSERT INTO visits (customer_id, verification_id, entered_at, staff_in, minor) VALUES (1, 1, 310, 1, 0)",
      FALSE },
  };

  fill_records (fx->db);
  run_steps (fx->db, steps, G_N_ELEMENTS (steps));
  g_assert_cmpint (count_rows (dc_db_handle (fx->db), "visits"), ==, 3);
}

static void
test_unique_open_session (Fixture *fx, gconstpointer data)
{
  static const Step steps[] = {
    { "INSERT INTO visits (id, customer_id, verification_id, entered_at, staff_in, minor) VALUES (2, 2, 2, 150, 1, 0)",
      TRUE },
    { "INSERT INTO terminal_sessions (visit_id, terminal_id, started_at) VALUES (2, 1, 150)", FALSE },
    { "INSERT INTO terminal_sessions (id, visit_id, terminal_id, started_at) VALUES (2, 2, 2, 150)", TRUE },
    { "INSERT INTO terminal_sessions (visit_id, terminal_id, started_at) VALUES (1, 2, 160)", FALSE },
    { "UPDATE terminal_sessions SET ended_at = 170 WHERE id = 1", TRUE },
    /* a visit has one open session at a time: a seat change closes one, then opens the next */
    { "INSERT INTO terminal_sessions (id, visit_id, terminal_id, started_at) VALUES (3, 2, 1, 170)", FALSE },
    { "UPDATE terminal_sessions SET ended_at = 175 WHERE id = 2", TRUE },
    { "INSERT INTO terminal_sessions (id, visit_id, terminal_id, started_at) VALUES (3, 2, 1, 175)", TRUE },
  };

  fill_records (fx->db);
  run_steps (fx->db, steps, G_N_ELEMENTS (steps));
  g_assert_cmpint (count_rows (dc_db_handle (fx->db), "terminal_sessions"), ==, 3);
}

/* ---- transactions ---- */

static gint64
setting_count (DcDb *db)
{
  gint64 n = -1;
  gboolean found = FALSE;

  g_assert_true (dc_db_int (db, &n, &found, NULL, "SELECT count(*) FROM settings", ""));
  g_assert_true (found);
  return n;
}

static void
put_setting (DcDb *db, const char *key)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dc_db_run (db, &error, "INSERT INTO settings (key, value) VALUES (?, 'v')", "t", key));
  g_assert_no_error (error);
}

static void
test_transaction_nested (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (dc_db_in_transaction (fx->db));
  g_assert_true (dc_db_begin (fx->db, &error));
  put_setting (fx->db, "outer");
  g_assert_true (dc_db_begin (fx->db, &error));
  put_setting (fx->db, "inner");
  g_assert_true (dc_db_begin (fx->db, &error));
  put_setting (fx->db, "innermost");
  g_assert_cmpint (setting_count (fx->db), ==, 3);
  dc_db_rollback (fx->db);   /* innermost */
  g_assert_cmpint (setting_count (fx->db), ==, 2);
  dc_db_rollback (fx->db);   /* inner */
  g_assert_cmpint (setting_count (fx->db), ==, 1);
  g_assert_true (dc_db_in_transaction (fx->db));
  g_assert_true (dc_db_begin (fx->db, &error));
  put_setting (fx->db, "kept");
  g_assert_true (dc_db_commit (fx->db, &error));
  g_assert_true (dc_db_commit (fx->db, &error));
  g_assert_no_error (error);
  g_assert_false (dc_db_in_transaction (fx->db));
  g_assert_cmpint (setting_count (fx->db), ==, 2);

  /* an outer rollback takes committed inner work with it */
  g_assert_true (dc_db_begin (fx->db, &error));
  g_assert_true (dc_db_begin (fx->db, &error));
  put_setting (fx->db, "gone");
  g_assert_true (dc_db_commit (fx->db, &error));
  dc_db_rollback (fx->db);
  g_assert_no_error (error);
  g_assert_false (dc_db_in_transaction (fx->db));
  g_assert_cmpint (setting_count (fx->db), ==, 2);
  /* a rollback outside any transaction is harmless */
  dc_db_rollback (fx->db);
  g_assert_false (dc_db_in_transaction (fx->db));
  g_assert_cmpint (sqlite3_get_autocommit (dc_db_handle (fx->db)), !=, 0);

  /* and the work is on disk for another connection */
  {
    sqlite3 *plain = plain_open (fx->path);
    g_assert_cmpint (count_rows (plain, "settings"), ==, 2);
    sqlite3_close (plain);
  }
}

static void
test_transaction_failed_inner (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  /* a refused statement in a savepoint does not cost the outer work */
  g_assert_true (dc_db_begin (fx->db, NULL));
  put_setting (fx->db, "a");
  g_assert_true (dc_db_begin (fx->db, NULL));
  put_setting (fx->db, "b");
  g_assert_false (dc_db_run (fx->db, &error, "INSERT INTO settings (key, value) VALUES (?, 'v')", "t", "a"));
  g_assert_error (error, DC_DB_ERROR, DC_DB_ERROR_CONSTRAINT);
  dc_db_rollback (fx->db);
  g_assert_true (dc_db_commit (fx->db, NULL));
  g_assert_cmpint (setting_count (fx->db), ==, 1);
}

/* ---- errors ---- */

typedef struct {
  const char *sql;
  gint        code;
  const char *fragment;   /* the message names the statement */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "SELECT nothing FROM no_such_table_xyz", DC_DB_ERROR_FAILED, "no_such_table_xyz" },
  { "INSERT INTO settings (key, value) VALUES (NULL, 'v')", DC_DB_ERROR_CONSTRAINT, "INSERT INTO settings" },
  { "UPDATE audit SET action = 'q' WHERE id = 1", DC_DB_ERROR_CONSTRAINT, "UPDATE audit SET action" },
  { "INSERT INTO visits (customer_id, verification_id, entered_at, staff_in, minor) VALUES (99, 99, 1, 1, 0)",
    DC_DB_ERROR_CONSTRAINT, "INSERT INTO visits" },
};

static void
test_error_names_statement (Fixture *fx, gconstpointer data)
{
  fill_records (fx->db);
  for (gsize i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 out = 0;
      gboolean found;

      g_assert_false (dc_db_run (fx->db, &error, error_cases[i].sql, ""));
      g_assert_error (error, DC_DB_ERROR, error_cases[i].code);
      g_assert_nonnull (strstr (error->message, error_cases[i].fragment));
      g_clear_error (&error);

      g_assert_false (dc_db_exec (fx->db, error_cases[i].sql, &error));
      g_assert_error (error, DC_DB_ERROR, error_cases[i].code);
      g_assert_nonnull (strstr (error->message, error_cases[i].fragment));
      g_clear_error (&error);

      if (i == 0)
        {
          g_assert_false (dc_db_int (fx->db, &out, &found, &error, error_cases[i].sql, ""));
          g_assert_false (found);
          g_assert_nonnull (strstr (error->message, error_cases[i].fragment));
        }
    }
}

static void
test_error_no_bound_values (Fixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  /* a refused row's values never reach the message: only the statement is named */
  put_setting (fx->db, "secret-key-4711");
  g_assert_false (dc_db_run (fx->db, &error, "INSERT INTO settings (key, value) VALUES (?, ?)", "tt",
                             "secret-key-4711", "secret-value-0815"));
  g_assert_error (error, DC_DB_ERROR, DC_DB_ERROR_CONSTRAINT);
  g_assert_null (strstr (error->message, "0815"));
  g_assert_nonnull (strstr (error->message, "INSERT INTO settings"));
}

/* ---- canonical rows ---- */

typedef struct {
  const char *name;
  const char *insert;
  const char *table;
  gint64      id;
  const char *hex;   /* computed independently (Python struct.pack) */
} CanonicalCase;

static const CanonicalCase canonical_cases[] = {
  { "text", "INSERT INTO settings (id, key, value) VALUES (1, 'k', '台')", "settings", 1,
    "000000000000000d64616963686f2d726f772d7631000000000000000873657474696e677300000000000000026964690000000000"
    "00000100000000000000036b65797400000000000000016b000000000000000576616c7565740000000000000003e58fb0" },
  { "null-blob-negative",
    "INSERT INTO customers (id, member_number, person_index, created_at) VALUES (7, NULL, x'00ff', -1)",
    "customers", 7,
    "000000000000000d64616963686f2d726f772d76310000000000000009637573746f6d6572730000000000000002696469000000"
    "0000000007000000000000000d6d656d6265725f6e756d6265726e000000000000000c706572736f6e5f696e6465787800000000"
    "0000000200ff000000000000000a637265617465645f617469ffffffffffffffff" },
  { "real", "INSERT INTO purges (id, at, cutoff, customers, verifications, visits, sessions)"
            " VALUES (3, 0.5, 72623859790382856, 0, 0, 0, 2)", "purges", 3,
    "000000000000000d64616963686f2d726f772d763100000000000000067075726765730000000000000002696469000000000000"
    "000300000000000000026174663fe000000000000000000000000000066375746f66666901020304050607080000000000000009"
    "637573746f6d657273690000000000000000000000000000000d766572696669636174696f6e7369000000000000000000000000"
    "00000006766973697473690000000000000000000000000000000873657373696f6e73690000000000000002" },
};

typedef struct {
  gint64      want_id;
  GByteArray *seen;
} ForeachState;

static gboolean
foreach_cb (gint64 id, const guint8 *bytes, gsize len, gpointer user_data, GError **error)
{
  ForeachState *st = user_data;

  if (id == st->want_id)
    g_byte_array_append (st->seen, bytes, len);
  return TRUE;
}

static void
test_canonical_known_answer (Fixture *fx, gconstpointer data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (canonical_cases); i++)
    {
      const CanonicalCase *c = &canonical_cases[i];
      g_autoptr(GByteArray) out = g_byte_array_new ();
      g_autoptr(GByteArray) seen = g_byte_array_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *hex = NULL;
      ForeachState st = { c->id, seen };
      gboolean found = FALSE;
      GString *s = g_string_new (NULL);

      g_test_message ("canonical: %s", c->name);
      dc_test_sql_exec (dc_db_handle (fx->db), c->insert);
      g_assert_true (dc_db_row_canonical (fx->db, c->table, c->id, out, &found, &error));
      g_assert_no_error (error);
      g_assert_true (found);
      for (guint k = 0; k < out->len; k++)
        g_string_append_printf (s, "%02x", out->data[k]);
      hex = g_string_free (s, FALSE);
      g_assert_cmpstr (hex, ==, c->hex);

      g_assert_true (dc_db_foreach_canonical (fx->db, c->table, foreach_cb, &st, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (seen->data, seen->len, out->data, out->len);

      g_assert_true (dc_db_row_canonical (fx->db, c->table, c->id + 1000, out, &found, &error));
      g_assert_no_error (error);
      g_assert_false (found);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/db/open/private-files", test_open_private);
  ADD ("/db/open/pragmas", test_open_pragmas);
  ADD ("/db/open/reopen", test_open_reopen);
  for (gsize i = 0; i < G_N_ELEMENTS (refusal_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/db/open/refused/%s", refusal_cases[i].name);
      g_test_add_data_func (path, &refusal_cases[i], test_open_refused);
    }
  ADD ("/db/unique/open-visit", test_unique_open_visit);
  ADD ("/db/unique/open-session", test_unique_open_session);
  ADD ("/db/transaction/nested", test_transaction_nested);
  ADD ("/db/transaction/failed-inner", test_transaction_failed_inner);
  ADD ("/db/error/names-statement", test_error_names_statement);
  ADD ("/db/error/no-bound-values", test_error_no_bound_values);
  ADD ("/db/canonical/known-answer", test_canonical_known_answer);
  ADD ("/db/append-only/plain-connection", test_append_only_plain);
  ADD ("/db/append-only/one-way-stamps", test_append_only_stamps);
  ADD ("/db/append-only/own-connection", test_append_only_own);
  ADD ("/db/append-only/purge", test_append_only_purge);
  ADD ("/db/vacuum/incremental", test_open_auto_vacuum);
#undef ADD

  return g_test_run ();
}
