/* tests/test-store.c — creating and opening a store, signing staff in, PIN lock-out, roles, staff and terminals. */
#include "dc-audit.h"
#include "dc-checkin.h"
#include "dc-db.h"
#include "dc-store.h"
#include "dc-test-util.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#define PASSPHRASE     "correct horse 台帳"
#define PIN            "4711"
#define COUNTER_PIN    "1234"
#define AUDITOR_PASS   "auditor passphrase 1"
#define AUDITOR_PIN    "5555"

/* One store made at the first test that needs it (Argon2 is slow), copied for each case.
 * The actors stay valid for every copy: same master key, same staff ids. */
typedef struct {
  DcTestTemplate base;       /* manager: Hana; counter: Ken */
  char          *recovery;
} Template;

/* ---- helpers ---- */

static gboolean
dir_is_empty_or_absent (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir == NULL || g_dir_read_name (dir) == NULL;
}

/* A count through a connection of its own, as any outside reader would see it. */
static gint64
plain_count (DcStore *store, const char *sql, const char *text)
{
  g_autofree char *path = g_build_filename (dc_store_dir (store), DC_STORE_DB_NAME, NULL);
  sqlite3 *h = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &h, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (h, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (h);
  return n;
}

static gint64
audit_actions (DcStore *store, const char *action)
{
  return plain_count (store, "SELECT count(*) FROM audit WHERE action = ?", action);
}

static gint64
total_rows (DcStore *store)
{
  return plain_count (store,
                      "SELECT (SELECT count(*) FROM audit) + (SELECT count(*) FROM staff)"
                      " + (SELECT count(*) FROM keyslots) + (SELECT count(*) FROM terminals)"
                      " + (SELECT count(*) FROM checkpoints) + (SELECT count(*) FROM customers)"
                      " + (SELECT count(*) FROM visits)", NULL);
}

static void
setup_fill (DcStoreSetup *setup, const char *name)
{
  memset (setup, 0, sizeof *setup);
  setup->name = name;
  setup->operator_name = "株式会社テスト";
  setup->address = "東京都新宿区西新宿2-8-1";
  setup->prefecture = "tokyo";
  setup->manager = "Hana";
}

static void
template_ensure (Template *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) store = NULL;
  DcStoreSetup setup;
  char *code = NULL;

  if (!dc_test_template_start (&t->base, "store"))
    return;
  setup_fill (&setup, "テスト店");
  store = dc_test_store_create (t->base.dir, &setup, PASSPHRASE, PIN, &code);
  t->recovery = g_strdup (code);
  dc_secret_free (code);

  t->base.manager = dc_store_sign_in_passphrase (store, "Hana", PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (store, t->base.manager, "Ken", "counter", COUNTER_PIN, NULL, NULL, &error));
  g_assert_true (dc_store_add_staff (store, t->base.manager, "Aki", "auditor", AUDITOR_PIN, AUDITOR_PASS, NULL,
                                     &error));
  g_assert_true (dc_store_add_terminal (store, t->base.manager, "PC-1", "A1", FALSE, NULL, &error));
  g_assert_true (dc_store_add_terminal (store, t->base.manager, "PC-2", "A2", TRUE, NULL, &error));
  g_assert_no_error (error);
  t->base.counter = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
  g_assert_no_error (error);
  dc_test_assert_intact (store);
}

static void
template_clear (Template *t)
{
  dc_test_template_clear (&t->base);
  g_free (t->recovery);
}

/* A fresh copy of the template, closed: its folder. */
static char *
fresh_copy (Template *t)
{
  template_ensure (t);
  return dc_test_template_copy (&t->base);
}

/* A fresh copy of the template, open. */
static DcStore *
fresh_store (Template *t)
{
  g_autofree char *dir = fresh_copy (t);

  return dc_test_store_open (dir);
}

/* ---- create and open ---- */

static void
test_create_open (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autoptr(DcStore) store = fresh_store (t);
  g_autoptr(GError) error = NULL;
  g_autofree char *db = g_build_filename (t->base.dir, DC_STORE_DB_NAME, NULL);
  g_autofree char *empty = g_build_filename (t->base.root, "empty", NULL);
  g_autofree char *empty_db = g_build_filename (empty, DC_STORE_DB_NAME, NULL);
  DcStore *none;
  struct stat st;
  static const guint8 zero[32];

  /* the template was made by dc_store_create: private folder, private file */
  g_assert_cmpint (g_stat (t->base.dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0700);
  g_assert_cmpint (g_stat (db, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);

  g_assert_cmpstr (dc_store_name (store), ==, "テスト店");
  g_assert_cmpstr (dc_store_operator (store), ==, "株式会社テスト");
  g_assert_cmpuint (strlen (dc_store_uuid (store)), ==, 36);
  g_assert_cmpstr (dc_store_profile (store)->id, ==, "tokyo");
  g_assert_cmpstr (g_time_zone_get_identifier (dc_store_timezone (store)), ==, "Asia/Tokyo");
  g_assert_false (dc_store_is_demo (store));
  g_assert_true (memcmp (dc_store_box_pk (store), zero, 32) != 0);
  g_assert_true (memcmp (dc_store_sign_pk (store), zero, 32) != 0);
  g_assert_cmpint (dc_db_schema_version (dc_store_db (store)), ==, DC_DB_SCHEMA_VERSION);
  g_assert_nonnull (t->recovery);
  g_assert_cmpuint (strlen (t->recovery), >=, 32);
  /* the recovery code is shown once: it is stored nowhere */
  {
    g_autofree char *contents = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (db, &contents, &len, NULL));
    g_assert_false (dc_test_contains_bytes (contents, len, t->recovery, strlen (t->recovery)));
  }
  dc_test_assert_intact (store);

  /* opening where there is no store creates nothing */
  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  none = dc_store_open (empty, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_assert_true (g_error_matches (error, DC_DB_ERROR, DC_DB_ERROR_NOT_FOUND)
                 || g_error_matches (error, DC_ERROR, DC_ERROR_NOT_FOUND));
  g_assert_false (g_file_test (empty_db, G_FILE_TEST_EXISTS));
}

static void
test_create_exists (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autofree char *dir = fresh_copy (t);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) again = NULL;
  DcStoreSetup setup;
  DcStore *store;
  char *code = NULL;

  before = dc_test_dir_fingerprint (dir);
  setup_fill (&setup, "Another");
  store = dc_store_create (dir, &setup, "another passphrase", "9999", &code, &error);
  g_assert_null (store);
  g_assert_null (code);
  g_assert_error (error, DC_ERROR, DC_ERROR_EXISTS);
  after = dc_test_dir_fingerprint (dir);
  g_assert_cmpstr (before, ==, after);

  g_clear_error (&error);
  again = dc_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dc_store_name (again), ==, "テスト店");
  dc_test_assert_intact (again);
}

typedef struct {
  const char *name;
  const char *store_name;
  const char *operator_name;
  const char *manager;
  const char *prefecture;
  const char *timezone;
  const char *passphrase;
  const char *pin;
  gint        code;       /* -1: any DC_ERROR code */
} BadSetup;

static const char long_name[] =
  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789X";

static const BadSetup bad_setups[] = {
  { "no-name", "", "Op", "Hana", "tokyo", NULL, PASSPHRASE, PIN, DC_ERROR_MISSING_FIELD },
  { "null-name", NULL, "Op", "Hana", "tokyo", NULL, PASSPHRASE, PIN, DC_ERROR_MISSING_FIELD },
  { "long-name", long_name, "Op", "Hana", "tokyo", NULL, PASSPHRASE, PIN, -1 },
  { "no-operator", "Shop", "", "Hana", "tokyo", NULL, PASSPHRASE, PIN, DC_ERROR_MISSING_FIELD },
  { "no-manager", "Shop", "Op", "", "tokyo", NULL, PASSPHRASE, PIN, DC_ERROR_MISSING_FIELD },
  { "unknown-profile", "Shop", "Op", "Hana", "atlantis", NULL, PASSPHRASE, PIN, DC_ERROR_INVALID },
  { "weak-passphrase", "Shop", "Op", "Hana", "tokyo", NULL, "short", PIN, DC_ERROR_WEAK_SECRET },
  { "weak-pin", "Shop", "Op", "Hana", "tokyo", NULL, PASSPHRASE, "12", DC_ERROR_WEAK_SECRET },
  { "unknown-timezone", "Shop", "Op", "Hana", "tokyo", "Mars/Olympus_Mons", PASSPHRASE, PIN, DC_ERROR_INVALID },
};

static void
test_create_bad_setup (gconstpointer data)
{
  Template *t = (Template *) data;

  template_ensure (t);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_setups); i++)
    {
      const BadSetup *b = &bad_setups[i];
      g_autofree char *dir = g_strdup_printf ("%s/bad-%s", t->base.root, b->name);
      g_autoptr(GError) error = NULL;
      DcStoreSetup setup = {
        .name = b->store_name,
        .operator_name = b->operator_name,
        .prefecture = b->prefecture,
        .timezone = b->timezone,
        .manager = b->manager,
      };
      DcStore *store;
      char *code = NULL;

      g_test_message ("bad setup: %s", b->name);
      store = dc_store_create (dir, &setup, b->passphrase, b->pin, &code, &error);
      g_assert_null (store);
      g_assert_null (code);
      if (b->code < 0)
        g_assert_true (error != NULL && error->domain == DC_ERROR);
      else
        g_assert_error (error, DC_ERROR, b->code);
      g_assert_true (dir_is_empty_or_absent (dir));
    }
}

/* ---- signing in ---- */

static void
test_sign_in_passphrase (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autoptr(DcStore) store = fresh_store (t);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) actor = NULL;
  g_autoptr(DcActor) wrong = NULL;
  gint64 checkpoints = plain_count (store, "SELECT count(*) FROM checkpoints", NULL);
  gint64 sign_ins = audit_actions (store, "sign-in");

  actor = dc_store_sign_in_passphrase (store, "Hana", PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (actor);
  g_assert_cmpstr (dc_actor_name (actor), ==, "Hana");
  g_assert_cmpstr (dc_actor_role (actor), ==, "manager");
  g_assert_cmpint (dc_actor_staff_id (actor), ==, dc_actor_staff_id (t->base.manager));
  g_assert_true (dc_actor_is_manager (actor));
  g_assert_true (dc_actor_can_read_identity (actor));
  /* a passphrase sign-in is in the chain and signs its head */
  g_assert_cmpint (audit_actions (store, "sign-in"), ==, sign_ins + 1);
  g_assert_cmpint (plain_count (store, "SELECT count(*) FROM checkpoints", NULL), ==, checkpoints + 1);

  wrong = dc_store_sign_in_passphrase (store, "Hana", "correct horse 台帳!", &error);
  g_assert_null (wrong);
  g_assert_error (error, DC_ERROR, DC_ERROR_WRONG_SECRET);
  g_assert_cmpint (audit_actions (store, "passphrase-failed"), ==, 1);
  g_clear_error (&error);

  wrong = dc_store_sign_in_passphrase (store, "Nobody", PASSPHRASE, &error);
  g_assert_null (wrong);
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  g_clear_error (&error);
  wrong = dc_store_sign_in_passphrase (store, "", PASSPHRASE, &error);
  g_assert_null (wrong);
  g_assert_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD);
  dc_test_assert_intact (store);
}

static void
test_sign_in_recovery (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autoptr(DcStore) store = fresh_store (t);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) actor = NULL;
  g_autoptr(DcActor) refused = NULL;
  g_autofree char *lower = g_ascii_strdown (t->recovery, -1);
  g_autofree char *typo = g_strdup (t->recovery);

  actor = dc_store_sign_in_recovery (store, "Hana", t->recovery, &error);
  g_assert_no_error (error);
  g_assert_true (dc_actor_is_manager (actor));
  g_assert_true (dc_actor_can_read_identity (actor));
  g_assert_cmpint (audit_actions (store, "sign-in-recovery"), ==, 1);
  g_clear_pointer (&actor, dc_actor_free);

  /* typed loosely */
  actor = dc_store_sign_in_recovery (store, "Hana", lower, &error);
  g_assert_no_error (error);
  g_assert_nonnull (actor);

  typo[0] = typo[0] == 'A' ? 'B' : 'A';
  refused = dc_store_sign_in_recovery (store, "Hana", typo, &error);
  g_assert_null (refused);
  g_assert_error (error, DC_ERROR, DC_ERROR_WRONG_SECRET);
  g_clear_error (&error);

  /* only on behalf of a manager */
  refused = dc_store_sign_in_recovery (store, "Ken", t->recovery, &error);
  g_assert_null (refused);
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  refused = dc_store_sign_in_recovery (store, "Aki", t->recovery, &error);
  g_assert_null (refused);
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  dc_test_assert_intact (store);
}

static void
test_sign_in_pin (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autoptr(DcStore) store = fresh_store (t);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) ken = NULL;
  g_autoptr(DcActor) hana = NULL;

  ken = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dc_actor_role (ken), ==, "counter");
  g_assert_false (dc_actor_is_manager (ken));
  g_assert_false (dc_actor_can_read_identity (ken));

  /* a manager's PIN gives the counter's powers, not the master key */
  hana = dc_store_sign_in_pin (store, "Hana", PIN, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dc_actor_role (hana), ==, "manager");
  g_assert_false (dc_actor_is_manager (hana));
  g_assert_false (dc_actor_can_read_identity (hana));
  dc_test_assert_intact (store);
}

static void
test_pin_lockout (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autoptr(DcStore) store = fresh_store (t);
  g_autoptr(GError) error = NULL;
  DcActor *actor;

  for (int i = 1; i <= DC_PIN_ATTEMPTS; i++)
    {
      actor = dc_store_sign_in_pin (store, "Ken", "0000", &error);
      g_assert_null (actor);
      if (i < DC_PIN_ATTEMPTS)
        g_assert_error (error, DC_ERROR, DC_ERROR_WRONG_SECRET);
      else
        g_assert_error (error, DC_ERROR, DC_ERROR_LOCKED);
      g_clear_error (&error);
      dc_test_assert_intact (store);
    }
  /* now even the right PIN is refused */
  actor = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
  g_assert_null (actor);
  g_assert_error (error, DC_ERROR, DC_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_cmpint (audit_actions (store, "pin-failed"), ==, DC_PIN_ATTEMPTS - 1);
  g_assert_cmpint (audit_actions (store, "pin-locked"), ==, 1);
  g_assert_cmpint (plain_count (store, "SELECT count(*) FROM staff WHERE name = ? AND locked_at IS NOT NULL", "Ken"),
                   ==, 1);

  /* the lock survives closing the program */
  {
    g_autofree char *dir = g_strdup (dc_store_dir (store));
    g_clear_pointer (&store, dc_store_free);
    store = dc_store_open (dir, &error);
    g_assert_no_error (error);
  }
  actor = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
  g_assert_null (actor);
  g_assert_error (error, DC_ERROR, DC_ERROR_LOCKED);
  g_clear_error (&error);

  /* a counter cannot unlock, a manager can */
  g_assert_false (dc_store_unlock_staff (store, t->base.counter, "Ken", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (dc_store_unlock_staff (store, t->base.manager, "Nobody", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (dc_store_unlock_staff (store, t->base.manager, "Ken", &error));
  g_assert_no_error (error);
  g_assert_cmpint (audit_actions (store, "staff-unlock"), ==, 1);
  actor = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (actor);
  dc_actor_free (actor);
  g_assert_cmpint (plain_count (store, "SELECT failed_pins FROM staff WHERE name = ?", "Ken"), ==, 0);
  dc_test_assert_intact (store);
}

static void
test_pin_reset_on_success (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autoptr(DcStore) store = fresh_store (t);
  g_autoptr(GError) error = NULL;
  DcActor *actor;

  /* five wrong in a row lock; a right one in between starts the count again */
  for (int round = 0; round < 2; round++)
    {
      for (int i = 1; i < DC_PIN_ATTEMPTS; i++)
        {
          actor = dc_store_sign_in_pin (store, "Ken", "9999", &error);
          g_assert_null (actor);
          g_assert_error (error, DC_ERROR, DC_ERROR_WRONG_SECRET);
          g_clear_error (&error);
        }
      actor = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
      g_assert_no_error (error);
      g_assert_nonnull (actor);
      dc_actor_free (actor);
    }
  g_assert_cmpint (audit_actions (store, "pin-failed"), ==, 2 * (DC_PIN_ATTEMPTS - 1));
  g_assert_cmpint (audit_actions (store, "pin-locked"), ==, 0);
  g_assert_cmpint (audit_actions (store, "pin-reset"), ==, 2);
  /* one staff member's failures are not another's */
  actor = dc_store_sign_in_pin (store, "Hana", PIN, &error);
  g_assert_no_error (error);
  dc_actor_free (actor);
  dc_test_assert_intact (store);
}

/* GLib convention: a NULL GError ** is allowed. A wrong PIN or passphrase must still be
 * counted and must not crash. Runs in a child process so a crash fails only this case. */
static void
test_wrong_secret_null_error (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autofree char *dir = NULL;
  g_autoptr(DcStore) store = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(DcStore) child = dc_store_open (g_getenv ("DC_TEST_STORE_DIR"), NULL);

      g_assert_nonnull (child);
      g_assert_null (dc_store_sign_in_pin (child, "Ken", "0000", NULL));
      g_assert_null (dc_store_sign_in_passphrase (child, "Hana", "not the passphrase", NULL));
      return;
    }
  dir = fresh_copy (t);
  g_setenv ("DC_TEST_STORE_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("DC_TEST_STORE_DIR");
  g_test_trap_assert_passed ();
  store = dc_store_open (dir, NULL);
  g_assert_nonnull (store);
  g_assert_cmpint (audit_actions (store, "pin-failed"), ==, 1);
  g_assert_cmpint (audit_actions (store, "passphrase-failed"), ==, 1);
}

/* ---- roles ---- */

static void
assert_cannot_manage (DcStore *store, DcActor *actor)
{
  g_autoptr(GError) error = NULL;
  gint64 rows = total_rows (store);

  g_assert_false (dc_store_add_staff (store, actor, "Mio", "counter", "2468", NULL, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (dc_store_add_terminal (store, actor, "PC-9", NULL, TRUE, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (dc_store_unlock_staff (store, actor, "Ken", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (dc_store_set_passphrase (store, actor, "Hana", "a brand new passphrase", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_assert_cmpint (total_rows (store), ==, rows);
}

static void
test_counter_cannot_manage (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autoptr(DcStore) store = fresh_store (t);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) hana_pin = NULL;

  assert_cannot_manage (store, t->base.counter);
  assert_cannot_manage (store, NULL);
  hana_pin = dc_store_sign_in_pin (store, "Hana", PIN, &error);
  g_assert_no_error (error);
  assert_cannot_manage (store, hana_pin);
  dc_test_assert_intact (store);
}

static void
test_counter_no_passphrase (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autoptr(DcStore) store = fresh_store (t);
  g_autoptr(GError) error = NULL;
  DcActor *actor;

  actor = dc_store_sign_in_passphrase (store, "Ken", COUNTER_PIN, &error);
  g_assert_null (actor);
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  actor = dc_store_sign_in_passphrase (store, "Ken", PASSPHRASE, &error);
  g_assert_null (actor);
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  dc_test_assert_intact (store);
}

static void
test_auditor (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autoptr(DcStore) store = fresh_store (t);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcActor) aki = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;
  DcCheckinRequest request = { .terminal = "PC-1", .internet = TRUE };
  DcCheckinResult result = { 0 };
  DcCheckinResult refused = { 0 };
  gint64 rows;

  aki = dc_store_sign_in_passphrase (store, "Aki", AUDITOR_PASS, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (dc_actor_role (aki), ==, "auditor");
  g_assert_true (dc_actor_can_read_identity (aki));
  g_assert_false (dc_actor_is_manager (aki));
  assert_cannot_manage (store, aki);

  dc_test_identity_fill (&request.identity, 2099);
  rows = total_rows (store);
  g_assert_false (dc_checkin (store, aki, &request, &refused, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (total_rows (store), ==, rows);

  /* the counter checks in; the auditor may read it, not check it out */
  g_assert_true (dc_checkin (store, t->base.counter, &request, &result, &error));
  g_assert_no_error (error);
  g_assert_false (dc_checkout (store, aki, "PC-1", 0, DC_EXIT_STAFF, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (dc_move (store, aki, "PC-1", "PC-2", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (dc_checkin_member (store, aki, result.member_number, "PC-2", &refused, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);

  record = dc_read_identity (store, aki, result.verification_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->identity.name, ==, "山田 太郎");
  g_assert_cmpint (audit_actions (store, "read"), ==, 1);
  dc_checkin_result_clear (&result);
  dc_test_assert_intact (store);
}

/* ---- staff and terminals ---- */

#define ACCEPTED (-1)   /* DC_ERROR_INVALID is 0 */

typedef struct {
  const char *name;
  const char *role;
  const char *pin;
  const char *passphrase;
  gint        code;   /* ACCEPTED or a DcErrorCode */
} StaffCase;

static const StaffCase staff_cases[] = {
  { "", "counter", "2468", NULL, DC_ERROR_MISSING_FIELD },
  { NULL, "counter", "2468", NULL, DC_ERROR_MISSING_FIELD },
  { "0123456789012345678901234567890123456789012345678901234567890", "counter", "2468", NULL, DC_ERROR_INVALID },
  { "Ken\nKen", "counter", "2468", NULL, DC_ERROR_INVALID },
  { "Ken\tx", "counter", "2468", NULL, DC_ERROR_INVALID },
  { "Ken", "counter", "2468", NULL, DC_ERROR_EXISTS },
  { "Hana", "manager", "2468", "yet another passphrase", DC_ERROR_EXISTS },
  { "Mio", "boss", "2468", NULL, DC_ERROR_INVALID },
  { "Mio", NULL, "2468", NULL, DC_ERROR_INVALID },
  { "Mio", "manager", "2468", NULL, DC_ERROR_MISSING_FIELD },
  { "Mio", "auditor", "2468", NULL, DC_ERROR_MISSING_FIELD },
  { "Mio", "counter", "12", NULL, DC_ERROR_WEAK_SECRET },
  { "Mio", "counter", "12ab", NULL, DC_ERROR_WEAK_SECRET },
  { "Mio", "manager", "2468", "short", DC_ERROR_WEAK_SECRET },
  /* exactly 60 characters, Japanese: accepted */
  { "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
    "counter", "2468", NULL, ACCEPTED },
  { "Mio", "counter", "13579", NULL, ACCEPTED },
  { "Mio", "counter", "2468", NULL, DC_ERROR_EXISTS },
};

typedef struct {
  const char *label;
  const char *booth;
  gint        code;
} TerminalCase;

static const TerminalCase terminal_cases[] = {
  { "", NULL, DC_ERROR_MISSING_FIELD },
  { NULL, NULL, DC_ERROR_MISSING_FIELD },
  { "PC-123456789012345678901234567890", NULL, DC_ERROR_INVALID },   /* 33 characters */
  { "PC\n3", NULL, DC_ERROR_INVALID },
  { "PC-3", "B\x01", DC_ERROR_INVALID },
  { "PC-3", "0123456789012345678901234567890123", DC_ERROR_INVALID },
  { "PC-1", NULL, DC_ERROR_EXISTS },
  { "PC-12345678901234567890123456789", NULL, ACCEPTED },                  /* 32 characters */
  { "PC-3", "", ACCEPTED },
  { "ブース4", "個室4", ACCEPTED },
  { "ブース4", NULL, DC_ERROR_EXISTS },
};

static void
test_names (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autoptr(DcStore) store = fresh_store (t);

  for (gsize i = 0; i < G_N_ELEMENTS (staff_cases); i++)
    {
      const StaffCase *c = &staff_cases[i];
      g_autoptr(GError) error = NULL;
      gint64 rows = total_rows (store);
      gint64 id = 0;
      gboolean ok;

      g_test_message ("staff case %zu", i);
      ok = dc_store_add_staff (store, t->base.manager, c->name, c->role, c->pin, c->passphrase, &id, &error);
      if (c->code == ACCEPTED)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (id, >, 0);
          g_assert_cmpint (plain_count (store, "SELECT count(*) FROM staff WHERE name = ?", c->name), ==, 1);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, DC_ERROR, c->code);
          g_assert_cmpint (total_rows (store), ==, rows);
        }
    }
  for (gsize i = 0; i < G_N_ELEMENTS (terminal_cases); i++)
    {
      const TerminalCase *c = &terminal_cases[i];
      g_autoptr(GError) error = NULL;
      gint64 rows = total_rows (store);
      gint64 id = 0;
      gboolean ok;

      g_test_message ("terminal case %zu", i);
      ok = dc_store_add_terminal (store, t->base.manager, c->label, c->booth, FALSE, &id, &error);
      if (c->code == ACCEPTED)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (id, >, 0);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, DC_ERROR, c->code);
          g_assert_cmpint (total_rows (store), ==, rows);
        }
    }
  dc_test_assert_intact (store);
}

static void
test_set_passphrase (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autoptr(DcStore) store = fresh_store (t);
  g_autoptr(GError) error = NULL;
  DcActor *actor;

  g_assert_false (dc_store_set_passphrase (store, t->base.manager, "Ken", "counter passphrase", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (dc_store_set_passphrase (store, t->base.manager, "Aki", "short", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_WEAK_SECRET);
  g_clear_error (&error);

  g_assert_true (dc_store_set_passphrase (store, t->base.manager, "Aki", "a brand new passphrase", &error));
  g_assert_no_error (error);
  dc_test_assert_intact (store);

  actor = dc_store_sign_in_passphrase (store, "Aki", AUDITOR_PASS, &error);
  g_assert_null (actor);
  g_assert_error (error, DC_ERROR, DC_ERROR_WRONG_SECRET);
  g_clear_error (&error);
  actor = dc_store_sign_in_passphrase (store, "Aki", "a brand new passphrase", &error);
  g_assert_no_error (error);
  g_assert_true (dc_actor_can_read_identity (actor));
  dc_actor_free (actor);
  /* the old slot is gone from the file, not merely shadowed */
  g_assert_cmpint (plain_count (store, "SELECT count(*) FROM keyslots k JOIN staff s ON s.id = k.staff_id"
                                      " WHERE s.name = ? AND k.kind = 'passphrase'", "Aki"), ==, 1);
  dc_test_assert_intact (store);
}

int
main (int argc, char **argv)
{
  Template t = { 0 };
  int rc;

  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/store/create/open", &t, test_create_open);
  g_test_add_data_func ("/store/create/exists", &t, test_create_exists);
  g_test_add_data_func ("/store/create/bad-setup", &t, test_create_bad_setup);
  g_test_add_data_func ("/store/sign-in/passphrase", &t, test_sign_in_passphrase);
  g_test_add_data_func ("/store/sign-in/recovery", &t, test_sign_in_recovery);
  g_test_add_data_func ("/store/sign-in/pin", &t, test_sign_in_pin);
  g_test_add_data_func ("/store/pin/lockout", &t, test_pin_lockout);
  g_test_add_data_func ("/store/pin/reset-on-success", &t, test_pin_reset_on_success);
  g_test_add_data_func ("/store/role/counter-cannot-manage", &t, test_counter_cannot_manage);
  g_test_add_data_func ("/store/role/counter-no-passphrase", &t, test_counter_no_passphrase);
  g_test_add_data_func ("/store/role/auditor", &t, test_auditor);
  g_test_add_data_func ("/store/staff/names", &t, test_names);
  g_test_add_data_func ("/store/staff/set-passphrase", &t, test_set_passphrase);
  g_test_add_data_func ("/store/robustness/null-error", &t, test_wrong_secret_null_error);

  rc = g_test_run ();
  template_clear (&t);
  return rc;
}
