/* tests/test-plaintext.c — no personal data in clear on disk: not in the database, its WAL or any other file. */
#include "dc-normalize.h"
#include "dc-store.h"
#include "dc-test-util.h"

#include <gio/gio.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PASSPHRASE  "correct horse battery staple"
#define MANAGER_PIN "1357"
#define CLERK_PIN   "2468"
#define N_PEOPLE    50
#define N_TERMINALS 60

typedef struct {
  char *ctl;
  char *root;
  char *store;
  char *past_1_month;
  char *in_3_years;
} Ctx;

/* One synthetic customer as typed at the counter. */
typedef struct {
  char       *name;
  char       *kana;         /* NULL for a visitor without an address in Japan */
  char       *dob;
  char       *address;      /* NULL for a visitor without an address in Japan */
  const char *doc;
  char       *doc_number;   /* NULL where the law forbids it */
  char       *nationality;
  char       *passport;
  gboolean    expiry;       /* else an issue date */
  gboolean    supplementary;
  gint64      visit;
  char       *member;
} Person;

static void
person_clear (Person *p)
{
  g_free (p->name);
  g_free (p->kana);
  g_free (p->dob);
  g_free (p->address);
  g_free (p->doc_number);
  g_free (p->nationality);
  g_free (p->passport);
  g_free (p->member);
}

static const char *const surnames[][2] = {
  { "山田", "ヤマダ" }, { "佐藤", "サトウ" }, { "鈴木", "すずき" }, { "高橋", "タカハシ" },
  { "田中", "タナカ" }, { "渡邊", "ワタナベ" }, { "髙木", "たかぎ" }, { "伊藤", "イトウ" },
  { "中村", "ナカムラ" }, { "小林", "コバヤシ" }, { "齋藤", "サイトウ" }, { "吉田", "ヨシダ" },
};
static const char *const given_names[][2] = {
  { "太郎", "タロウ" }, { "花子", "はなこ" }, { "一郎", "イチロウ" }, { "美咲", "ミサキ" },
  { "翔太", "ショウタ" }, { "陽菜", "ひな" }, { "大輔", "ダイスケ" }, { "さくら", "サクラ" },
};
static const char *const wards[][2] = {
  { "新宿区", "西新宿" }, { "渋谷区", "道玄坂" }, { "豊島区", "東池袋" }, { "台東区", "上野" },
  { "世田谷区", "三軒茶屋" }, { "中野区", "中央" }, { "港区", "芝公園" },
};
static const char *const latin_first[] = { "Emily", "Lukas", "Sofia", "Mateo", "Olivia", "Noah", "Chloe" };
static const char *const latin_last[] = { "Clarke", "Schneider", "Rossi", "Fernandez", "Nguyen", "Kowalski",
                                          "Lindqvist" };
static const char *const nations[] = { "Canada", "Deutschland", "Italia", "Argentina", "Viet Nam", "Polska",
                                       "Sverige" };

/* Person @i: every name, reading, address and number distinct, and spread over the documents. */
static void
person_make (guint i, Person *p)
{
  guint kind = i % 8;
  guint s = i % G_N_ELEMENTS (surnames);
  guint g = (i / G_N_ELEMENTS (surnames) + i) % G_N_ELEMENTS (given_names);
  const char *space = i % 3 == 0 ? "\u3000" : " ";   /* some clerks type a full-width space */

  memset (p, 0, sizeof *p);
  p->dob = g_strdup_printf ("%04u-%02u-%02u", 1950 + i % 50, 1 + i % 12, 1 + (i * 7) % 28);
  p->expiry = TRUE;
  if (kind == 3)
    {
      guint n = i / 8;

      p->name = g_strdup_printf ("%s %s", latin_first[n % 7], latin_last[(n + 3) % 7]);
      p->nationality = g_strdup (nations[n % 7]);
      p->passport = g_strdup_printf ("TK%07u", 4410000 + i * 37);
      p->doc = "passport";
      p->doc_number = g_strdup (p->passport);
      return;
    }
  p->name = g_strdup_printf ("%s%s%s", surnames[s][0], space, given_names[g][0]);
  p->kana = g_strdup_printf ("%s %s", surnames[s][1], given_names[g][1]);
  p->address = g_strdup_printf ("東京都%s%s%u丁目%u-%u メゾン%s%u号室", wards[i % 7][0], wards[i % 7][1], 1 + i % 5,
                                1 + i % 17, 1 + i % 9, given_names[g][1], 101 + i);
  switch (kind)
    {
    case 0:
      p->doc = "drivers_license";
      p->doc_number = g_strdup_printf ("30%010u", 123457u + i * 7919u);
      break;
    case 1:
      p->doc = "residence_card";
      p->doc_number = g_strdup_printf ("AB%08uCD", 31415926u + i);
      break;
    case 2:
      p->doc = "my_number_card";   /* shown, its number never typed */
      break;
    case 4:
      p->doc = "student_id";
      p->doc_number = g_strdup_printf ("STU-2026-%05u", 271 + i * 13);
      p->expiry = FALSE;
      break;
    case 5:
      p->doc = "resident_record_copy";
      p->doc_number = g_strdup_printf ("R%09u", 577215664u + i);
      p->expiry = FALSE;
      break;
    case 6:
      p->doc = "drivers_license";
      p->doc_number = g_strdup_printf ("31%010u", 987653u + i * 104729u);
      p->supplementary = TRUE;
      break;
    case 7:
      p->doc = "qualification_cert";
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Everything of @p that must never be found in clear. */
static void
person_secrets (const Person *p, GPtrArray *out)
{
  const char *fields[] = { p->name, p->kana, p->address, p->doc_number, p->nationality, p->passport, p->dob };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *no_space = NULL;
      g_auto(GStrv) parts = NULL;

      if (fields[i] == NULL)
        continue;
      g_ptr_array_add (out, g_strdup (fields[i]));
      parts = g_strsplit_set (fields[i], " ", -1);
      no_space = g_strjoinv ("", parts);
      g_strfreev (g_steal_pointer (&parts));
      parts = g_strsplit (no_space, "\u3000", -1);
      g_ptr_array_add (out, g_strjoinv ("", parts));
      g_ptr_array_add (out, dc_normalize_name (fields[i]));
    }
  if (p->doc_number != NULL)
    g_ptr_array_add (out, dc_normalize_number (p->doc_number));
}

/* ---- running programs ---- */

/* daicho-ctl with @args, @secret on descriptor @fd (3 or 4). */
static GSubprocess *
ctl_start (const Ctx *ctx, GPtrArray *args, const char *secret, int fd)
{
  g_assert_true (fd == 3 || fd == 4);
  g_ptr_array_insert (args, 0, ctx->ctl);
  g_ptr_array_add (args, NULL);
  return dc_test_spawn ((const char *const *) args->pdata, NULL, fd == 3 ? secret : NULL, fd == 4 ? secret : NULL,
                        NULL);
}

/* Wait for @proc; its stdout, after asserting it exited 0. */
static char *
ctl_finish (GSubprocess *proc)
{
  return dc_test_run_finish_ok (proc, "daicho-ctl");
}

static void
checkin (const Ctx *ctx, guint i, Person *p)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (NULL);
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *out = NULL;
  g_autofree char *terminal = g_strdup_printf ("PC-%02u", i + 1);
  const char *visit, *member;

#define ARG(a) g_ptr_array_add (args, (gpointer) (a))
#define OPT(o, v) G_STMT_START { if ((v) != NULL) { ARG (o); ARG (v); } } G_STMT_END
  ARG ("checkin");
  ARG ("--store");
  ARG (ctx->store);
  ARG ("--staff");
  ARG ("clerk");
  ARG ("--pin-fd");
  ARG ("4");
  ARG ("--terminal");
  ARG (terminal);
  ARG ("--doc");
  ARG (p->doc);
  OPT ("--doc-number", p->doc_number);
  OPT ("--name", p->name);
  OPT ("--kana", p->kana);
  OPT ("--dob", p->dob);
  OPT ("--address", p->address);
  OPT ("--nationality", p->nationality);
  OPT ("--passport", p->passport);
  ARG (p->expiry ? "--doc-expiry" : "--doc-issued");
  ARG (p->expiry ? ctx->in_3_years : ctx->past_1_month);
  if (p->supplementary)
    {
      char *supp = g_strconcat ("utility_bill:", ctx->past_1_month, NULL);
      g_ptr_array_add (keep, supp);
      OPT ("--supplementary", supp);
    }
#undef OPT
#undef ARG

  proc = ctl_start (ctx, args, CLERK_PIN, 4);
  out = ctl_finish (proc);
  /* "Checked in: visit N, member M, terminal T" */
  visit = strstr (out, "visit ");
  member = strstr (out, "member ");
  g_assert_nonnull (visit);
  g_assert_nonnull (member);
  p->visit = g_ascii_strtoll (visit + 6, NULL, 10);
  p->member = g_strndup (member + 7, strcspn (member + 7, ", "));
  g_assert_cmpint (p->visit, >, 0);
  g_assert_cmpuint (strlen (p->member), >=, 8);
}

/* ---- the scan ---- */

/* Look for every secret in every file of the store folder; returns what was found where. */
static char *
scan (const Ctx *ctx, GPtrArray *secrets, gsize *scanned_bytes)
{
  g_autoptr(GDir) dir = g_dir_open (ctx->store, 0, NULL);
  GString *found = g_string_new (NULL);
  const char *name;

  *scanned_bytes = 0;
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (ctx->store, name, NULL);
      g_autofree char *data = NULL;
      g_autoptr(GError) error = NULL;
      gsize len = 0;

      g_file_get_contents (path, &data, &len, &error);
      g_assert_no_error (error);
      *scanned_bytes += len;
      for (guint i = 0; i < secrets->len; i++)
        {
          const char *needle = g_ptr_array_index (secrets, i);

          if (dc_test_contains_bytes (data, len, needle, strlen (needle)))
            g_string_append_printf (found, "“%s” in %s\n", needle, name);
        }
    }
  return g_string_free (found, FALSE);
}

static gsize
file_size (const Ctx *ctx, const char *suffix)
{
  g_autofree char *path = g_strconcat (ctx->store, "/", DC_STORE_DB_NAME, suffix, NULL);
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gsize) st.st_size : 0;
}

static gboolean
file_has (const Ctx *ctx, const char *suffix, const char *needle)
{
  g_autofree char *path = g_strconcat (ctx->store, "/", DC_STORE_DB_NAME, suffix, NULL);

  return dc_test_file_contains (path, needle);
}

static void
assert_clean (const Ctx *ctx, GPtrArray *secrets, const char *when)
{
  g_autofree char *found = NULL;
  gsize bytes = 0;

  found = scan (ctx, secrets, &bytes);
  g_test_message ("%s: %u strings searched in %" G_GSIZE_FORMAT " bytes (db %" G_GSIZE_FORMAT ", wal %" G_GSIZE_FORMAT
                  ", shm %" G_GSIZE_FORMAT ")", when, secrets->len, bytes, file_size (ctx, ""),
                  file_size (ctx, "-wal"), file_size (ctx, "-shm"));
  if (*found != '\0')
    g_test_message ("%s: personal data in clear:\n%s", when, found);
  g_assert_cmpstr (found, ==, "");
}

/* ---- the store ---- */

static void
make_store (Ctx *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) boss = NULL;
  DcStoreSetup setup = { .name = "Plaintext test store", .operator_name = "Test Operator KK",
                         .prefecture = "tokyo", .manager = "boss" };

  ctx->store = g_build_filename (ctx->root, "store", NULL);
  store = dc_test_store_create (ctx->store, &setup, PASSPHRASE, MANAGER_PIN, NULL);
  boss = dc_store_sign_in_passphrase (store, "boss", PASSPHRASE, &error);
  g_assert_no_error (error);
  dc_test_add_terminals (store, boss, N_TERMINALS, FALSE);
  g_assert_true (dc_store_add_staff (store, boss, "clerk", "counter", CLERK_PIN, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* Another process holding a read transaction from before the check-ins: SQLite can then
 * copy none of them into the main file, nor delete the WAL. A process of its own, because
 * this one reads the files, and closing any descriptor of a file drops every POSIX lock the
 * process holds on it. */
typedef struct {
  GPid pid;
  int  release;
} Pin;

static void
pin_wal (const Ctx *ctx, Pin *pin)
{
  char path[4096];   /* not on the heap: the child leaves by _exit () */
  g_autoptr(GError) error = NULL;
  int ready[2], release[2];
  char c = 0;

  g_snprintf (path, sizeof path, "%s/%s", ctx->store, DC_STORE_DB_NAME);
  g_unix_open_pipe (ready, FD_CLOEXEC, &error);
  g_assert_no_error (error);
  g_unix_open_pipe (release, FD_CLOEXEC, &error);
  g_assert_no_error (error);
  pin->pid = fork ();
  g_assert_cmpint (pin->pid, >=, 0);
  if (pin->pid == 0)
    {
      sqlite3 *db = NULL;
      int ok;

      close (ready[0]);
      close (release[1]);
      ok = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK
           && sqlite3_exec (db, "BEGIN; SELECT count (*) FROM audit;", NULL, NULL, NULL) == SQLITE_OK;
      if (!ok || write (ready[1], "r", 1) != 1)
        _exit (1);
      while (read (release[0], &c, 1) < 0)
        ;
      ok = sqlite3_exec (db, "COMMIT;", NULL, NULL, NULL) == SQLITE_OK && sqlite3_close (db) == SQLITE_OK;
      _exit (ok ? 0 : 1);
    }
  close (ready[1]);
  close (release[0]);
  g_assert_cmpint (read (ready[0], &c, 1), ==, 1);
  close (ready[0]);
  pin->release = release[1];
}

/* The pin lets go; as the last connection it checkpoints and removes the WAL. */
static void
unpin_wal (Pin *pin)
{
  int status = 0;

  g_assert_cmpint (write (pin->release, "x", 1), ==, 1);
  close (pin->release);
  g_assert_cmpint (waitpid (pin->pid, &status, 0), ==, pin->pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
}

static void
expect_line (const char *out, const char *label, const char *value)
{
  g_autofree char *line = g_strdup_printf ("\n  %-22s %s\n", label, value);

  if (strstr (out, line) == NULL)
    g_test_message ("show lacks “%s %s”:\n%s", label, value, out);
  g_assert_nonnull (strstr (out, line));
}

static void
check_show (const Person *p, const char *out)
{
  g_autofree char *head = g_strdup_printf ("Visit #%" G_GINT64_FORMAT "\n", p->visit);

  g_assert_true (g_str_has_prefix (out, head));
  expect_line (out, "Member number", p->member);
  expect_line (out, "Name", p->name);
  expect_line (out, "Date of birth", p->dob);
  if (p->kana != NULL)
    expect_line (out, "Kana", p->kana);
  if (p->address != NULL)
    expect_line (out, "Address", p->address);
  if (p->doc_number != NULL)
    expect_line (out, "Document number", p->doc_number);
  else
    g_assert_null (strstr (out, "Document number"));
  if (p->nationality != NULL)
    {
      expect_line (out, "Nationality", p->nationality);
      expect_line (out, "Passport number", p->passport);
    }
}

static void
test_no_plaintext (gconstpointer data)
{
  Ctx *ctx = (Ctx *) data;
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  Person people[N_PEOPLE];
  Pin pin = { 0 };
  gint64 start = g_get_monotonic_time ();

  make_store (ctx);
  for (guint i = 0; i < N_PEOPLE; i++)
    {
      person_make (i, &people[i]);
      person_secrets (&people[i], secrets);
    }

  pin_wal (ctx, &pin);
  for (guint i = 0; i < N_PEOPLE; i++)
    {
      checkin (ctx, i, &people[i]);
      if (i == N_PEOPLE / 2)
        assert_clean (ctx, secrets, "halfway, store open");
    }

  /* Everything is in the WAL now: each member number (stored in clear, by design) proves
   * the scan reads the frames the check-ins wrote. */
  g_assert_cmpuint (file_size (ctx, "-wal"), >, 100000);
  for (guint i = 0; i < N_PEOPLE; i++)
    {
      g_assert_true (file_has (ctx, "-wal", people[i].member));
      g_assert_false (file_has (ctx, "", people[i].member));
    }
  /* and the scan would see a name if there were one */
  g_assert_true (file_has (ctx, "-wal", "clerk") || file_has (ctx, "", "clerk"));
  assert_clean (ctx, secrets, "after the check-ins, before any checkpoint");

  unpin_wal (&pin);
  /* the last connection has checkpointed: all in the main file */
  g_assert_cmpuint (file_size (ctx, "-wal"), ==, 0);
  g_assert_true (file_has (ctx, "", people[N_PEOPLE - 1].member));
  assert_clean (ctx, secrets, "after the checkpoint");

  /* and a manager still reads every one of them exactly (two programs at a time: each
   * spends most of its second in Argon2 and fsync) */
  for (guint i = 0; i < N_PEOPLE; i += 2)
    {
      GSubprocess *procs[2] = { NULL, NULL };

      for (guint k = 0; k < 2 && i + k < N_PEOPLE; k++)
        {
          g_autoptr(GPtrArray) args = g_ptr_array_new ();
          g_autofree char *visit = g_strdup_printf ("%" G_GINT64_FORMAT, people[i + k].visit);
          const char *words[] = { "show", "--store", ctx->store, "--staff", "boss", "--passphrase-fd", "3",
                                  "--visit", visit };

          for (gsize w = 0; w < G_N_ELEMENTS (words); w++)
            g_ptr_array_add (args, (gpointer) words[w]);
          procs[k] = ctl_start (ctx, args, PASSPHRASE, 3);
        }
      for (guint k = 0; k < 2 && procs[k] != NULL; k++)
        {
          g_autofree char *out = ctl_finish (procs[k]);

          check_show (&people[i + k], out);
          g_clear_object (&procs[k]);
        }
    }
  /* the readings went into the audit chain, still with nothing in clear */
  assert_clean (ctx, secrets, "after the readings");
  {
    g_autoptr(GPtrArray) args = g_ptr_array_new ();
    g_autoptr(GSubprocess) proc = NULL;
    g_autofree char *out = NULL;

    g_ptr_array_add (args, "verify");
    g_ptr_array_add (args, "--store");
    g_ptr_array_add (args, ctx->store);
    proc = ctl_start (ctx, args, "", 3);
    out = ctl_finish (proc);
    g_assert_true (g_str_has_suffix (out, "Intact.\n"));
  }

  for (guint i = 0; i < N_PEOPLE; i++)
    person_clear (&people[i]);
  g_test_message ("%.1f s", (g_get_monotonic_time () - start) / 1e6);
}

/* ---- set-up ---- */

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  Ctx ctx = { 0 };
  GDate d;
  int rc;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  ctx.ctl = g_strdup (g_getenv ("DAICHO_CTL"));
  g_assert_nonnull (ctx.ctl);
  ctx.root = g_dir_make_tmp ("daicho-test-plaintext-XXXXXX", &error);
  g_assert_no_error (error);
  dc_test_tokyo_today (&d);
  g_date_subtract_months (&d, 1);
  ctx.past_1_month = dc_test_iso_date (&d);
  g_date_add_months (&d, 1);
  g_date_add_years (&d, 3);
  ctx.in_3_years = dc_test_iso_date (&d);

  g_test_add_data_func ("/plaintext/none-on-disk-before-and-after-checkpoint", &ctx, test_no_plaintext);

  rc = g_test_run ();
  dc_test_remove_tree (ctx.root);
  g_free (ctx.root);
  g_free (ctx.store);
  g_free (ctx.ctl);
  g_free (ctx.past_1_month);
  g_free (ctx.in_3_years);
  return rc;
}
