/* tests/dc-test-util.c — helpers the unit tests share: file trees, Tokyo time, stores on a test clock, running daicho-ctl. */
#include "dc-test-util.h"
#include "dc-db.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* ---- files ---- */

void
dc_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          dc_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

void
dc_test_copy_file (const char *from, const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  g_file_get_contents (from, &data, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents_full (to, data, (gssize) len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error);
  g_assert_no_error (error);
}

void
dc_test_copy_dir (const char *from, const char *to)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *src = g_build_filename (from, name, NULL);
      g_autofree char *dst = g_build_filename (to, name, NULL);

      dc_test_copy_file (src, dst);
    }
}

static char *
file_checksum (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  /* a file that cannot be read still shows, as "?" */
  if (!g_file_get_contents (path, &data, &len, NULL))
    return g_strdup ("?");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

/* g_ptr_array_sort passes pointers to the elements */
static gint
compare_lines (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

char *
dc_test_dir_fingerprint (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return g_strdup ("(no folder)");
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_autofree char *sum = file_checksum (file);

      g_ptr_array_add (lines, g_strdup_printf ("%s %s", name, sum));
    }
  g_ptr_array_sort (lines, compare_lines);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

gboolean
dc_test_contains_bytes (const char *hay, gsize hay_len, const char *needle, gsize needle_len)
{
  const char *end = hay + hay_len;

  /* memchr to the first byte: the plaintext scan searches megabytes for many strings */
  for (const char *at = hay; needle_len > 0 && (gsize) (end - at) >= needle_len; at++)
    {
      at = memchr (at, needle[0], end - at);
      if (at == NULL || (gsize) (end - at) < needle_len)
        return FALSE;
      if (memcmp (at, needle, needle_len) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
dc_test_file_contains (const char *path, const char *needle)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;
  return dc_test_contains_bytes (data, len, needle, strlen (needle));
}

/* ---- plain SQLite ---- */

static sqlite3_stmt *
sql_first_row (sqlite3 *handle, const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return stmt;
}

gint64
dc_test_sql_int (sqlite3 *handle, const char *sql)
{
  sqlite3_stmt *stmt = sql_first_row (handle, sql);
  gint64 value = sqlite3_column_int64 (stmt, 0);

  sqlite3_finalize (stmt);
  return value;
}

char *
dc_test_sql_text (sqlite3 *handle, const char *sql)
{
  sqlite3_stmt *stmt = sql_first_row (handle, sql);
  char *value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));

  sqlite3_finalize (stmt);
  return value;
}

void
dc_test_sql_exec (sqlite3 *handle, const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (handle, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

/* ---- time ---- */

gint64
dc_test_local_time (const char *zone, int y, int m, int d, int h, int mi)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) dt = NULL;

  g_assert_nonnull (tz);
  dt = g_date_time_new (tz, y, m, d, h, mi, 0);
  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

gint64
dc_test_tokyo (int y, int m, int d, int h, int mi)
{
  return dc_test_local_time ("Asia/Tokyo", y, m, d, h, mi);
}

void
dc_test_tokyo_today (GDate *date)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Tokyo");
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  int y, m, d;

  g_date_time_get_ymd (now, &y, &m, &d);
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
}

char *
dc_test_iso_date (const GDate *date)
{
  char buf[16];

  g_date_strftime (buf, sizeof buf, "%Y-%m-%d", date);
  return g_strdup (buf);
}

/* ---- stores ---- */

static gint64
read_now (gpointer user_data)
{
  return *(const gint64 *) user_data;
}

void
dc_test_store_use_clock (DcStore *store, gint64 *now)
{
  dc_store_set_clock (store, read_now, now);
}

DcStore *
dc_test_store_create (const char *dir, const DcStoreSetup *setup, const char *passphrase, const char *pin,
                      char **recovery)
{
  g_autoptr(GError) error = NULL;
  char *code = NULL;
  DcStore *store = dc_store_create (dir, setup, passphrase, pin, &code, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_nonnull (code);
  if (recovery != NULL)
    *recovery = code;
  else
    dc_secret_free (code);
  return store;
}

DcStore *
dc_test_store_open (const char *dir)
{
  g_autoptr(GError) error = NULL;
  DcStore *store = dc_store_open (dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

void
dc_test_add_terminals (DcStore *store, DcActor *manager, guint n, gboolean filtered)
{
  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *label = g_strdup_printf ("PC-%02u", i);

      g_assert_true (dc_store_add_terminal (store, manager, label, NULL, filtered, NULL, &error));
      g_assert_no_error (error);
    }
}

DcVerifyReport *
dc_test_verify (DcStore *store)
{
  g_autoptr(GError) error = NULL;
  DcVerifyReport *report = dc_audit_verify (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("verify: %s", (const char *) g_ptr_array_index (report->problems, i));
  return report;
}

void
dc_test_assert_intact (DcStore *store)
{
  g_autoptr(DcVerifyReport) report = dc_test_verify (store);

  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpint (report->entries, >, 0);
  g_assert_cmpint (report->rows, >, 0);
}

/* ---- people ---- */

void
dc_test_identity_fill (DcIdentity *id, int expiry_year)
{
  dc_identity_init (id);
  id->doc_type = "drivers_license";
  id->doc_number = "301234567890";
  g_date_set_dmy (&id->doc_expiry, 31, 12, (GDateYear) expiry_year);
  id->name = "山田 太郎";
  id->kana = "ヤマダ タロウ";
  g_date_set_dmy (&id->dob, 1, 4, 1990);
  id->address = "東京都新宿区西新宿2-8-1";
}

/* ---- the template store ---- */

gboolean
dc_test_template_start (DcTestTemplate *t, const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (t->dir != NULL)
    return FALSE;
  name = g_strdup_printf ("dc-test-%s-XXXXXX", what);
  t->root = g_dir_make_tmp (name, &error);
  g_assert_no_error (error);
  t->dir = g_build_filename (t->root, "template", NULL);
  return TRUE;
}

char *
dc_test_template_copy (DcTestTemplate *t)
{
  char *dir;

  g_assert_nonnull (t->dir);
  dir = g_strdup_printf ("%s/copy-%u", t->root, ++t->copies);
  dc_test_copy_dir (t->dir, dir);
  return dir;
}

DcStore *
dc_test_template_open (DcTestTemplate *t, gint64 *now)
{
  g_autofree char *dir = dc_test_template_copy (t);
  DcStore *store = dc_test_store_open (dir);

  dc_test_store_use_clock (store, now);
  return store;
}

void
dc_test_template_clear (DcTestTemplate *t)
{
  if (t->root != NULL)
    dc_test_remove_tree (t->root);
  g_clear_pointer (&t->root, g_free);
  g_clear_pointer (&t->dir, g_free);
  g_clear_pointer (&t->manager, dc_actor_free);
  g_clear_pointer (&t->counter, dc_actor_free);
}

/* ---- programs ---- */

void
dc_test_run_clear (DcTestRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
child_setup (gpointer user_data)
{
  setsid ();
}

static GSubprocessLauncher *
launcher_new (const char *xdg_data_home)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                             | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                             | G_SUBPROCESS_FLAGS_STDERR_PIPE);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  g_subprocess_launcher_unsetenv (launcher, "DAICHO_STORE");
  if (xdg_data_home != NULL)
    g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", xdg_data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  return launcher;
}

/* The child reads @secret and a newline from @target_fd. */
static void
give_secret (GSubprocessLauncher *launcher, const char *secret, int target_fd)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  int fds[2];

  if (secret == NULL)
    return;
  g_unix_open_pipe (fds, FD_CLOEXEC, &error);
  g_assert_no_error (error);
  line = g_strconcat (secret, "\n", NULL);
  g_assert_cmpint (write (fds[1], line, strlen (line)), ==, (gssize) strlen (line));
  close (fds[1]);
  g_subprocess_launcher_take_fd (launcher, fds[0], target_fd);
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  return g_strndup (data != NULL ? data : "", len);
}

GSubprocess *
dc_test_spawn (const char *const *argv, const char *xdg_data_home, const char *fd3, const char *fd4,
               const char *fd5)
{
  g_autoptr(GSubprocessLauncher) launcher = launcher_new (xdg_data_home);
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  give_secret (launcher, fd3, 3);
  give_secret (launcher, fd4, 4);
  give_secret (launcher, fd5, 5);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  return proc;
}

void
dc_test_run_finish (GSubprocess *proc, DcTestRun *run)
{
  g_autoptr(GBytes) in = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate (proc, in, NULL, &out, &err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);
}

char *
dc_test_run_finish_ok (GSubprocess *proc, const char *what)
{
  DcTestRun run = { 0 };
  char *out;

  dc_test_run_finish (proc, &run);
  if (run.status != 0)
    g_test_message ("%s failed: %s", what, run.err);
  g_assert_cmpint (run.status, ==, 0);
  out = g_steal_pointer (&run.out);
  dc_test_run_clear (&run);
  return out;
}

void
dc_test_run (const char *const *argv, const char *xdg_data_home, const char *fd3, const char *fd4,
             const char *fd5, DcTestRun *run)
{
  g_autoptr(GSubprocess) proc = dc_test_spawn (argv, xdg_data_home, fd3, fd4, fd5);

  dc_test_run_finish (proc, run);
}

static GSubprocess *
sqlite3_spawn (const char *tool, const char *dir, const char *sql)
{
  g_autofree char *db = g_build_filename (dir, DC_STORE_DB_NAME, NULL);
  const char *argv[] = { tool, db, sql, NULL };

  return dc_test_spawn (argv, NULL, NULL, NULL, NULL);
}

void
dc_test_sqlite3_run (const char *tool, const char *dir, const char *sql, DcTestRun *run)
{
  g_autoptr(GSubprocess) proc = sqlite3_spawn (tool, dir, sql);

  dc_test_run_finish (proc, run);
}

char *
dc_test_sqlite3 (const char *tool, const char *dir, const char *sql)
{
  g_autoptr(GSubprocess) proc = sqlite3_spawn (tool, dir, sql);

  return dc_test_run_finish_ok (proc, "sqlite3");
}

gint64
dc_test_sqlite3_int (const char *tool, const char *dir, const char *sql)
{
  g_autofree char *out = dc_test_sqlite3 (tool, dir, sql);

  return g_ascii_strtoll (g_strstrip (out), NULL, 10);
}

void
dc_test_ctl (const char *ctl, const char *const *args, const char *xdg_data_home, const char *fd3,
             const char *fd4, const char *fd5, DcTestRun *run)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) ctl);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  dc_test_run ((const char *const *) argv->pdata, xdg_data_home, fd3, fd4, fd5, run);
}

char *
dc_test_ctl_ok (const char *ctl, const char *const *args, const char *xdg_data_home, const char *fd3,
                const char *fd4, const char *fd5)
{
  DcTestRun run = { 0 };
  char *out;

  dc_test_ctl (ctl, args, xdg_data_home, fd3, fd4, fd5, &run);
  if (run.status != 0)
    g_test_message ("daicho-ctl %s failed (%d): %s", args[0], run.status, run.err);
  g_assert_cmpint (run.status, ==, 0);
  out = g_steal_pointer (&run.out);
  dc_test_run_clear (&run);
  return out;
}

void
dc_test_assert_has (const char *text, const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_test_message ("“%s” not found in:\n%s", needle, text);
  g_assert_nonnull (strstr (text, needle));
}

void
dc_test_assert_human (const char *what, const char *text)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  if (strstr (text, "(null)") != NULL || strstr (text, "CRITICAL") != NULL || strstr (text, "WARNING") != NULL
      || strstr (text, "assertion") != NULL || strstr (text, "%s") != NULL)
    g_error ("%s is not a message for people: %s", what, text);
}

/* ---- the store's own database ---- */

gint64
dc_test_db_int (DcStore *store, const char *sql, gint64 arg)
{
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;
  gint64 n = -1;

  g_assert_true (dc_db_int (dc_store_db (store), &n, &found, &error, sql, "i", arg));
  g_assert_no_error (error);
  g_assert_true (found);
  return n;
}

char *
dc_test_db_text (DcStore *store, const char *sql, gint64 arg)
{
  sqlite3_stmt *stmt = dc_db_query (dc_store_db (store), NULL, sql, "i", arg);
  char *text;

  g_assert_nonnull (stmt);
  g_assert_true (dc_db_next (dc_store_db (store), stmt, NULL));
  text = dc_db_col_text (stmt, 0);
  sqlite3_reset (stmt);
  return text;
}
