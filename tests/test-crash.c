/* tests/test-crash.c — a counter process killed at random moments: the store opens, is whole, and lost no reported visit. */
#include "dc-audit.h"
#include "dc-checkin.h"
#include "dc-db-records.h"
#include "dc-store.h"
#include "dc-test-util.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PASSPHRASE   "correct horse battery staple"
#define MANAGER_PIN  "1357"
#define CLERK_PIN    "2468"
#define N_TERMINALS  40
#define MIN_KILLS    30
#define MAX_KILLS    60
#define BUDGET_USEC  (70 * G_USEC_PER_SEC)

/* ---- the child: a counter checking people in and out as fast as it can ---- */

static void
say (int fd, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
say (int fd, const char *format, ...)
{
  g_autofree char *line = NULL;
  va_list ap;

  va_start (ap, format);
  line = g_strdup_vprintf (format, ap);
  va_end (ap);
  /* one short write: a pipe takes it whole or not at all */
  if (write (fd, line, strlen (line)) != (gssize) strlen (line))
    _exit (5);
}

static void
fill_person (DcCheckinRequest *req, const GDate *today, guint round, guint j, char *name, gsize name_size)
{
  dc_identity_init (&req->identity);
  g_snprintf (name, name_size, "試験 太郎%u-%u", round, j);
  req->identity.doc_type = "drivers_license";
  req->identity.doc_number = "301234567890";
  req->identity.doc_expiry = *today;
  g_date_add_years (&req->identity.doc_expiry, 3);
  req->identity.name = name;
  req->identity.kana = "シケン タロウ";
  g_date_set_dmy (&req->identity.dob, 1, 1, 1970);
  g_date_add_days (&req->identity.dob, j % 9000);
  req->identity.address = "東京都千代田区丸の内1-9-1";
}

static void G_GNUC_NORETURN
counter_child (const char *dir, guint round, int fd)
{
  g_autoptr(GError) error = NULL;
  DcStore *store;
  DcActor *clerk;
  GDate today;

  store = dc_store_open (dir, &error);
  if (store == NULL)
    {
      say (fd, "err open: %s\n", error->message);
      _exit (2);
    }
  clerk = dc_store_sign_in_pin (store, "clerk", CLERK_PIN, &error);
  if (clerk == NULL)
    {
      say (fd, "err sign-in: %s\n", error->message);
      _exit (3);
    }
  dc_store_today (store, &today);
  say (fd, "ready\n");
  for (guint j = 0; j < 100000; j++)
    {
      char name[64], terminal[16];
      DcCheckinRequest req = { .terminal = terminal, .internet = TRUE };
      DcCheckinResult result = { 0 };

      g_snprintf (terminal, sizeof terminal, "PC-%02u", 1 + j % N_TERMINALS);
      fill_person (&req, &today, round, j, name, sizeof name);
      if (!dc_checkin (store, clerk, &req, &result, &error))
        {
          say (fd, "err checkin: %s\n", error->message);
          _exit (4);
        }
      say (fd, "in %" G_GINT64_FORMAT "\n", result.visit_id);
      if (!dc_checkout (store, clerk, NULL, result.visit_id, DC_EXIT_STAFF, &error))
        {
          say (fd, "err checkout: %s\n", error->message);
          _exit (4);
        }
      say (fd, "out %" G_GINT64_FORMAT "\n", result.visit_id);
      dc_checkin_result_clear (&result);
    }
  _exit (0);
}

/* ---- the parent ---- */

typedef struct {
  char   *dir;
  GArray *checked_in;    /* visit ids the children reported, over all rounds */
  GArray *checked_out;
} Ctx;

static void
make_store (Ctx *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) boss = NULL;
  DcStoreSetup setup = { .name = "Crash test store", .operator_name = "Test Operator KK", .prefecture = "tokyo",
                         .manager = "boss" };

  store = dc_test_store_create (ctx->dir, &setup, PASSPHRASE, MANAGER_PIN, NULL);
  boss = dc_store_sign_in_passphrase (store, "boss", PASSPHRASE, &error);
  g_assert_no_error (error);
  dc_test_add_terminals (store, boss, N_TERMINALS, TRUE);
  g_assert_true (dc_store_add_staff (store, boss, "clerk", "counter", CLERK_PIN, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Read one line (without the newline) from @fd; NULL at the end. */
static char *
read_line (int fd, GString *pending)
{
  for (;;)
    {
      const char *nl = memchr (pending->str, '\n', pending->len);
      char buf[512];
      gssize n;

      if (nl != NULL)
        {
          char *line = g_strndup (pending->str, nl - pending->str);
          g_string_erase (pending, 0, nl - pending->str + 1);
          return line;
        }
      do
        n = read (fd, buf, sizeof buf);
      while (n < 0 && errno == EINTR);
      if (n <= 0)
        return NULL;   /* a partial last line cannot happen: every line is one write */
      g_string_append_len (pending, buf, n);
    }
}

/* Fork a counter, let it work for @delay_ms, kill it; returns how many check-ins it reported. */
static guint
one_round (Ctx *ctx, guint round, gint delay_ms)
{
  g_autoptr(GString) pending = g_string_new (NULL);
  int fds[2], status = 0;
  guint reported = 0;
  char *line;
  pid_t pid;

  g_assert_cmpint (pipe (fds), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      close (fds[0]);
      counter_child (ctx->dir, round, fds[1]);
    }
  close (fds[1]);

  line = read_line (fds[0], pending);
  if (g_strcmp0 (line, "ready") != 0)
    g_test_message ("round %u: the counter said “%s” instead of ready", round, line);
  g_assert_cmpstr (line, ==, "ready");
  g_free (line);

  g_usleep (delay_ms * 1000);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);

  while ((line = read_line (fds[0], pending)) != NULL)
    {
      gint64 id;

      if (g_str_has_prefix (line, "err "))
        g_test_message ("round %u: %s", round, line);
      g_assert_false (g_str_has_prefix (line, "err "));
      id = g_ascii_strtoll (line + (line[0] == 'i' ? 3 : 4), NULL, 10);
      g_assert_cmpint (id, >, 0);
      if (line[0] == 'i')
        {
          g_array_append_val (ctx->checked_in, id);
          reported++;
        }
      else
        g_array_append_val (ctx->checked_out, id);
      g_free (line);
    }
  close (fds[0]);
  /* killed, not finished or failed on its own */
  g_assert_true (WIFSIGNALED (status));
  g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
  return reported;
}

static char *
integrity (DcStore *store)
{
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (dc_db_handle (dc_store_db (store)), "PRAGMA integrity_check", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s%s", out->len > 0 ? "; " : "", (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

/* After a kill: the store opens, SQLite and the audit chain find nothing wrong, every
 * reported visit is there (and ended when its check-out was reported); then whatever the
 * killed counter left open is checked out, as the counter would on restart. */
static void
check_after_kill (Ctx *ctx, guint round)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) store = dc_store_open (ctx->dir, &error);
  g_autoptr(DcVerifyReport) report = NULL;
  g_autoptr(DcActor) clerk = NULL;
  g_autoptr(GArray) terminals = NULL;
  g_autofree char *check = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (store);
  check = integrity (store);
  g_assert_cmpstr (check, ==, "ok");
  report = dc_audit_verify (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < report->problems->len; i++)
    g_test_message ("round %u: %s", round, (char *) g_ptr_array_index (report->problems, i));
  g_assert_cmpuint (report->problems->len, ==, 0);

  for (guint i = 0; i < ctx->checked_in->len; i++)
    {
      DcVisitRow visit = { 0 };
      gboolean found = FALSE;

      g_assert_true (dc_db_visit_get (dc_store_db (store), g_array_index (ctx->checked_in, gint64, i), &visit, &found,
                                      &error));
      g_assert_true (found);
      dc_visit_row_clear (&visit);
    }
  for (guint i = 0; i < ctx->checked_out->len; i++)
    {
      DcVisitRow visit = { 0 };
      gboolean found = FALSE;

      g_assert_true (dc_db_visit_get (dc_store_db (store), g_array_index (ctx->checked_out, gint64, i), &visit,
                                      &found, &error));
      g_assert_true (found);
      g_assert_cmpint (visit.exited_at, !=, 0);
      dc_visit_row_clear (&visit);
    }

  clerk = dc_store_sign_in_pin (store, "clerk", CLERK_PIN, &error);
  g_assert_no_error (error);
  terminals = dc_db_terminal_list (dc_store_db (store), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < terminals->len; i++)
    {
      DcTerminalRow *t = &g_array_index (terminals, DcTerminalRow, i);

      if (t->open_session != 0)
        g_assert_true (dc_checkout (store, clerk, t->label, 0, DC_EXIT_RECOVERED, &error));
      g_assert_no_error (error);
    }
}

static void
test_kill_during_checkins (void)
{
  g_autoptr(GError) error = NULL;
  Ctx ctx = { 0 };
  gint64 start = g_get_monotonic_time ();
  guint rounds = 0, busy_rounds = 0, total = 0;
  gint longest_ms = 200;   /* kills are drawn from 5 ms to this */

  ctx.dir = g_dir_make_tmp ("daicho-test-crash-XXXXXX", &error);
  g_assert_no_error (error);
  ctx.checked_in = g_array_new (FALSE, FALSE, sizeof (gint64));
  ctx.checked_out = g_array_new (FALSE, FALSE, sizeof (gint64));
  make_store (&ctx);

  while (rounds < MIN_KILLS || (rounds < MAX_KILLS && g_get_monotonic_time () - start < BUDGET_USEC))
    {
      guint n = one_round (&ctx, rounds, g_test_rand_int_range (5, longest_ms + 1));

      total += n;
      busy_rounds += n > 0 ? 1 : 0;
      /* a slow host (a busy CI machine) may not finish a check-in in 200 ms: wait longer
       * after a round that reported none, and come back down after one that did */
      longest_ms = n == 0 ? MIN (longest_ms * 3 / 2, 5000) : MAX (longest_ms * 4 / 5, 200);
      check_after_kill (&ctx, rounds);
      rounds++;
    }
  g_test_message ("%u kills, %u check-ins and %u check-outs reported, kills drawn up to %d ms at the end, %.1f s",
                  rounds, total, ctx.checked_out->len, longest_ms, (g_get_monotonic_time () - start) / 1e6);
  g_assert_cmpuint (rounds, >=, MIN_KILLS);
  /* the kills landed in the middle of the work, not before it */
  g_assert_cmpuint (busy_rounds, >=, MIN_KILLS / 2);

  for (const char *const *suffix = (const char *const[]) { "", "-wal", "-shm", NULL }; *suffix != NULL; suffix++)
    {
      g_autofree char *path = g_strconcat (ctx.dir, "/" DC_STORE_DB_NAME, *suffix, NULL);
      g_unlink (path);
    }
  g_assert_cmpint (g_rmdir (ctx.dir), ==, 0);
  g_array_unref (ctx.checked_in);
  g_array_unref (ctx.checked_out);
  g_free (ctx.dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crash/sigkill-during-checkins", test_kill_during_checkins);
  return g_test_run ();
}
