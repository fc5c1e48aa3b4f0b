/* tests/test-records.c — the manager's lookups: visit history by member or visit number, a visit's record versions, staff states. */
#include "dc-checkin.h"
#include "dc-db.h"
#include "dc-member.h"
#include "dc-records.h"
#include "dc-store.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#define PASSPHRASE         "correct horse battery"
#define AUDITOR_PASSPHRASE "auditor passphrase 2026"

/* One store for every case (Argon2 is slow): three visits, one record corrected twice. */
typedef struct {
  char           *root;
  DcStore        *store;
  gint64          now;
  DcActor        *manager;
  DcActor        *auditor;
  DcActor        *clerk;
  DcCheckinResult taro1;       /* PC-1 → PC-2, checked out; record corrected twice */
  DcCheckinResult hanako;      /* PC-3, still in */
  DcCheckinResult taro2;       /* the next day, a fresh verification, left by himself */
  gint64          correction1;
  gint64          correction2;
  gint64          corrected_at;
} World;

static gint64
read_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static gint64
tokyo (int y, int m, int d, int h, int mi)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Tokyo");
  g_autoptr(GDateTime) dt = g_date_time_new (tz, y, m, d, h, mi, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
person (DcIdentity *id, const char *name, const char *address, int year)
{
  dc_identity_init (id);
  id->doc_type = "drivers_license";
  id->doc_number = "301234567890";
  g_date_set_dmy (&id->doc_expiry, 31, 12, 2035);
  id->name = name;
  id->kana = "テスト";
  g_date_set_dmy (&id->dob, 5, 5, year);
  id->address = address;
}

static void
checkin (World *w, const char *name, const char *terminal, DcCheckinResult *result)
{
  DcCheckinRequest request = { .terminal = terminal, .internet = TRUE };
  g_autoptr(GError) error = NULL;

  person (&request.identity, name, "東京都新宿区西新宿2-8-1", 1990);
  g_assert_true (dc_checkin (w->store, w->clerk, &request, result, &error));
  g_assert_no_error (error);
}

static void
correct (World *w, gint64 verification_id, const char *name, const char *address, const char *reason,
         gint64 *out_id)
{
  g_autoptr(GError) error = NULL;
  DcIdentity id;

  person (&id, name, address, 1990);
  g_assert_true (dc_correct_identity (w->store, w->manager, verification_id, &id, reason, out_id, NULL, &error));
  g_assert_no_error (error);
}

static void
sign_in_wrong (World *w, const char *name, guint times)
{
  for (guint i = 0; i < times; i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_null (dc_store_sign_in_pin (w->store, name, "9999", &error));
      g_assert_nonnull (error);
    }
}

static void
world_staff (World *w)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dc_store_add_staff (w->store, w->manager, "Ken", "counter", "1111", NULL, NULL, &error));
  g_assert_true (dc_store_add_staff (w->store, w->manager, "Jun", "counter", "2222", NULL, NULL, &error));
  g_assert_true (dc_store_add_staff (w->store, w->manager, "Mio", "counter", "3333", NULL, NULL, &error));
  g_assert_true (dc_store_add_staff (w->store, w->manager, "Aki", "auditor", "4444", AUDITOR_PASSPHRASE, NULL,
                                     &error));
  g_assert_no_error (error);
  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *label = g_strdup_printf ("PC-%u", i);
      g_assert_true (dc_store_add_terminal (w->store, w->manager, label, NULL, i >= 3, NULL, &error));
      g_assert_no_error (error);
    }
  sign_in_wrong (w, "Jun", DC_PIN_ATTEMPTS);
  sign_in_wrong (w, "Ken", 2);   /* two slips do not lock */
  g_assert_true (dc_store_set_staff_active (w->store, w->manager, "Mio", FALSE, &error));
  g_assert_no_error (error);
  w->clerk = dc_store_sign_in_pin (w->store, "Ken", "1111", &error);
  g_assert_no_error (error);
  w->auditor = dc_store_sign_in_passphrase (w->store, "Aki", AUDITOR_PASSPHRASE, &error);
  g_assert_no_error (error);
}

static void
world_history (World *w)
{
  g_autoptr(GError) error = NULL;

  w->now = tokyo (2026, 11, 1, 10, 0);
  checkin (w, "山田 太郎", "PC-1", &w->taro1);
  w->now = tokyo (2026, 11, 1, 10, 30);
  checkin (w, "鈴木 花子", "PC-3", &w->hanako);
  w->now = tokyo (2026, 11, 1, 11, 0);
  g_assert_true (dc_move (w->store, w->clerk, "PC-1", "PC-2", &error));
  w->now = tokyo (2026, 11, 1, 12, 0);
  g_assert_true (dc_checkout (w->store, w->clerk, "PC-2", 0, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);

  w->now = tokyo (2026, 11, 2, 9, 0);
  checkin (w, "山田 太郎", "PC-1", &w->taro2);
  g_assert_cmpint (w->taro2.customer_id, ==, w->taro1.customer_id);
  g_assert_false (w->taro2.new_customer);
  w->now = tokyo (2026, 11, 2, 10, 0);
  g_assert_true (dc_checkout (w->store, w->clerk, NULL, w->taro2.visit_id, DC_EXIT_CUSTOMER, &error));
  g_assert_no_error (error);

  w->now = tokyo (2026, 11, 3, 15, 0);
  w->corrected_at = w->now;
  correct (w, w->taro1.verification_id, "山田 太朗", "東京都新宿区西新宿2-8-1", "氏名の誤記", &w->correction1);
  w->now = tokyo (2026, 11, 3, 15, 5);
  correct (w, w->correction1, "山田 太朗", "東京都新宿区西新宿2-8-2", "住所の番地違い", &w->correction2);
}

static World *
world_new (void)
{
  World *w = g_new0 (World, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  DcStoreSetup setup = { .name = "テスト店", .operator_name = "株式会社テスト", .prefecture = "tokyo",
                         .manager = "Hana" };
  char *code = NULL;

  w->root = g_dir_make_tmp ("dc-test-records-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (w->root, "store", NULL);
  w->now = tokyo (2026, 10, 31, 9, 0);
  w->store = dc_store_create (dir, &setup, PASSPHRASE, "1234", &code, &error);
  g_assert_no_error (error);
  dc_secret_free (code);
  dc_store_set_clock (w->store, read_clock, &w->now);
  w->manager = dc_store_sign_in_passphrase (w->store, "Hana", PASSPHRASE, &error);
  g_assert_no_error (error);
  world_staff (w);
  world_history (w);
  return w;
}

static void
world_free (World *w)
{
  dc_checkin_result_clear (&w->taro1);
  dc_checkin_result_clear (&w->hanako);
  dc_checkin_result_clear (&w->taro2);
  dc_actor_free (w->manager);
  dc_actor_free (w->auditor);
  dc_actor_free (w->clerk);
  dc_store_free (w->store);
  remove_tree (w->root);
  g_free (w->root);
  g_free (w);
}

/* ---- who may look ---- */

static void
test_permission (gconstpointer data)
{
  World *w = (World *) data;
  const struct { const char *who; DcActor *actor; gboolean allowed; } cases[] = {
    { "nobody", NULL, FALSE },
    { "counter staff by PIN", w->clerk, FALSE },
    { "auditor by passphrase", w->auditor, TRUE },
    { "manager by passphrase", w->manager, TRUE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) detail_error = NULL;
      g_autoptr(GArray) visits = dc_records_find_visits (w->store, cases[i].actor, "", 10, &error);
      g_autoptr(DcVisitDetail) detail = dc_records_visit_detail (w->store, cases[i].actor, w->taro1.visit_id,
                                                                 &detail_error);

      g_test_message ("%s", cases[i].who);
      if (cases[i].allowed)
        {
          g_assert_no_error (error);
          g_assert_no_error (detail_error);
          g_assert_nonnull (visits);
          g_assert_nonnull (detail);
        }
      else
        {
          g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
          g_assert_error (detail_error, DC_ERROR, DC_ERROR_PERMISSION);
          g_assert_null (visits);
          g_assert_null (detail);
        }
    }
}

/* ---- finding visits ---- */

static char *
ids_of (GArray *visits)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; visits != NULL && i < visits->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i > 0 ? " " : "",
                            g_array_index (visits, DcVisitRecord, i).visit_id);
  return g_string_free (s, FALSE);
}

static char *
spaced (const char *member)
{
  /* as a clerk reads it off a card: full-width, in two groups */
  GString *s = g_string_new (NULL);

  for (const char *p = member; *p != '\0'; p++)
    {
      if (p - member == 4)
        g_string_append (s, "ー");
      g_string_append_unichar (s, 0xFF10 + (*p - '0'));
    }
  return g_string_free (s, FALSE);
}

static void
test_find (gconstpointer data)
{
  World *w = (World *) data;
  g_autofree char *a1 = g_strdup_printf ("%" G_GINT64_FORMAT, w->taro1.visit_id);
  g_autofree char *b1 = g_strdup_printf ("%" G_GINT64_FORMAT, w->hanako.visit_id);
  g_autofree char *a2 = g_strdup_printf ("%" G_GINT64_FORMAT, w->taro2.visit_id);
  g_autofree char *newest = g_strdup_printf ("%s %s %s", a2, b1, a1);
  g_autofree char *taro = g_strdup_printf ("%s %s", a2, a1);
  g_autofree char *hash_b1 = g_strdup_printf ("#%s", b1);
  g_autofree char *wide_a1 = g_strdup_printf ("＃%s", a1);
  g_autofree char *member_wide = spaced (w->taro1.member_number);
  g_autofree char *typo = g_strdup (w->taro1.member_number);
  g_autofree char *unknown_member = dc_member_number_for_id (999);
  const struct { const char *query; guint limit; const char *ids; gint code; } cases[] = {
    { "", 10, newest, -1 },                      /* the newest of all */
    { "  ", 2, NULL, -1 },                       /* …at most @limit */
    { w->taro1.member_number, 10, taro, -1 },    /* a member's visits, newest first */
    { member_wide, 10, taro, -1 },               /* as typed from a card */
    { w->hanako.member_number, 10, b1, -1 },
    { a1, 10, a1, -1 },                          /* a visit number */
    { hash_b1, 10, b1, -1 },
    { wide_a1, 10, a1, -1 },
    { "#999", 10, NULL, DC_ERROR_NOT_FOUND },
    { "999", 10, NULL, DC_ERROR_NOT_FOUND },
    { typo, 10, NULL, DC_ERROR_NOT_FOUND },      /* a member number with one wrong digit */
    { unknown_member, 10, NULL, DC_ERROR_NOT_FOUND },
    { "山田", 10, NULL, DC_ERROR_INVALID },       /* no search by name here: no personal data */
    { "#", 10, NULL, DC_ERROR_INVALID },
    { "12a", 10, NULL, DC_ERROR_INVALID },
    { "\xff" "1", 10, NULL, DC_ERROR_INVALID },   /* not UTF-8 */
  };

  typo[strlen (typo) - 1] = typo[strlen (typo) - 1] == '9' ? '0' : typo[strlen (typo) - 1] + 1;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) visits = dc_records_find_visits (w->store, w->manager, cases[i].query, cases[i].limit,
                                                         &error);
      g_autofree char *got = ids_of (visits);

      g_test_message ("query “%s”", cases[i].query);
      if (cases[i].code >= 0)
        {
          g_assert_error (error, DC_ERROR, cases[i].code);
          g_assert_null (visits);
          continue;
        }
      g_assert_no_error (error);
      if (cases[i].ids != NULL)
        g_assert_cmpstr (got, ==, cases[i].ids);
      else
        g_assert_cmpuint (visits->len, ==, cases[i].limit);
    }
}

static const DcVisitRecord *
find_one (World *w, gint64 visit_id, GArray **holder)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *query = g_strdup_printf ("#%" G_GINT64_FORMAT, visit_id);

  *holder = dc_records_find_visits (w->store, w->auditor, query, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint ((*holder)->len, ==, 1);
  return &g_array_index (*holder, DcVisitRecord, 0);
}

static void
test_visit_fields (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(GArray) h1 = NULL, h2 = NULL, h3 = NULL;
  const DcVisitRecord *a1 = find_one (w, w->taro1.visit_id, &h1);
  const DcVisitRecord *b1 = find_one (w, w->hanako.visit_id, &h2);
  const DcVisitRecord *a2 = find_one (w, w->taro2.visit_id, &h3);

  g_assert_cmpstr (a1->member_number, ==, w->taro1.member_number);
  g_assert_cmpint (a1->customer_id, ==, w->taro1.customer_id);
  g_assert_cmpint (a1->verification_id, ==, w->taro1.verification_id);   /* the visit keeps its record */
  g_assert_cmpint (a1->entered_at, ==, tokyo (2026, 11, 1, 10, 0));
  g_assert_cmpint (a1->exited_at, ==, tokyo (2026, 11, 1, 12, 0));
  g_assert_cmpstr (a1->exit_reason, ==, "staff");
  g_assert_cmpstr (a1->terminals, ==, "PC-1 → PC-2");
  g_assert_cmpstr (a1->staff_in, ==, "Ken");
  g_assert_cmpstr (a1->staff_out, ==, "Ken");
  g_assert_false (a1->minor);

  g_assert_cmpint (b1->exited_at, ==, 0);
  g_assert_null (b1->exit_reason);
  g_assert_null (b1->staff_out);
  g_assert_cmpstr (b1->terminals, ==, "PC-3");

  g_assert_cmpstr (a2->exit_reason, ==, "customer");
  g_assert_cmpint (a2->verification_id, ==, w->taro2.verification_id);
}

/* ---- one visit ---- */

static void
test_detail_sessions (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DcVisitDetail) d = dc_records_visit_detail (w->store, w->manager, w->taro1.visit_id, &error);
  const struct { const char *terminal; gint64 started, ended; } expected[] = {
    { "PC-1", tokyo (2026, 11, 1, 10, 0), tokyo (2026, 11, 1, 11, 0) },
    { "PC-2", tokyo (2026, 11, 1, 11, 0), tokyo (2026, 11, 1, 12, 0) },
  };

  g_assert_no_error (error);
  g_assert_cmpint (d->visit.visit_id, ==, w->taro1.visit_id);
  g_assert_cmpuint (d->sessions->len, ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const DcSessionRecord *s = &g_array_index (d->sessions, DcSessionRecord, i);

      g_assert_cmpstr (s->terminal, ==, expected[i].terminal);
      g_assert_cmpint (s->started_at, ==, expected[i].started);
      g_assert_cmpint (s->ended_at, ==, expected[i].ended);
    }

  /* still in: the session is open */
  {
    g_autoptr(DcVisitDetail) open = dc_records_visit_detail (w->store, w->manager, w->hanako.visit_id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (open->sessions->len, ==, 1);
    g_assert_cmpint (g_array_index (open->sessions, DcSessionRecord, 0).ended_at, ==, 0);
  }
}

static void
test_detail_versions (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DcVisitDetail) d = dc_records_visit_detail (w->store, w->auditor, w->taro1.visit_id, &error);
  gint64 v1 = w->taro1.verification_id;
  const struct { gint64 id, supersedes, superseded_by; const char *reason, *recorder; gint64 recorded; } expected[] = {
    { v1, 0, w->correction1, NULL, "Ken", tokyo (2026, 11, 1, 10, 0) },
    { w->correction1, v1, w->correction2, "氏名の誤記", "Hana", w->corrected_at },
    { w->correction2, w->correction1, 0, "住所の番地違い", "Hana", tokyo (2026, 11, 3, 15, 5) },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (d->versions->len, ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const DcVersionRecord *v = &g_array_index (d->versions, DcVersionRecord, i);

      g_assert_cmpint (v->verification_id, ==, expected[i].id);
      g_assert_cmpint (v->supersedes, ==, expected[i].supersedes);
      g_assert_cmpint (v->superseded_by, ==, expected[i].superseded_by);
      g_assert_cmpstr (v->reason, ==, expected[i].reason);
      g_assert_cmpstr (v->recorder, ==, expected[i].recorder);
      g_assert_cmpint (v->recorded_at, ==, expected[i].recorded);
      /* the document was checked once, by the clerk, when the customer came in */
      g_assert_cmpstr (v->verifier, ==, "Ken");
      g_assert_cmpint (v->verified_at, ==, tokyo (2026, 11, 1, 10, 0));
      g_assert_cmpstr (v->doc_type, ==, "drivers_license");
      g_assert_true (dc_visit_detail_version (d, v->verification_id) == v);
    }
  g_assert_cmpint (dc_visit_detail_current (d)->verification_id, ==, w->correction2);
  g_assert_null (dc_visit_detail_version (d, 999));
}

static void
test_detail_other_record (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(GError) error = NULL;
  /* the second visit was checked on a fresh document: its record is its own, uncorrected */
  g_autoptr(DcVisitDetail) d = dc_records_visit_detail (w->store, w->manager, w->taro2.visit_id, &error);
  g_autoptr(DcVisitDetail) missing = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (d->versions->len, ==, 1);
  g_assert_cmpint (dc_visit_detail_current (d)->verification_id, ==, w->taro2.verification_id);
  g_assert_cmpint (dc_visit_detail_current (d)->supersedes, ==, 0);
  g_assert_null (dc_visit_detail_current (d)->reason);

  missing = dc_records_visit_detail (w->store, w->manager, 999, &error);
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  g_assert_null (missing);
}

/* ---- staff ---- */

static void
test_staff (gconstpointer data)
{
  World *w = (World *) data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) staff = dc_records_staff (w->store, &error);
  const struct { const char *name, *role; DcStaffState state; gboolean passphrase; } expected[] = {
    /* by name, as SQLite sorts it */
    { "Aki", "auditor", DC_STAFF_ON_DUTY, TRUE },
    { "Hana", "manager", DC_STAFF_ON_DUTY, TRUE },
    { "Jun", "counter", DC_STAFF_LOCKED, FALSE },       /* five wrong PINs */
    { "Ken", "counter", DC_STAFF_ON_DUTY, FALSE },      /* two, then the right one */
    { "Mio", "counter", DC_STAFF_OFF_DUTY, FALSE },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (staff->len, ==, G_N_ELEMENTS (expected));
  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const DcStaffRecord *s = &g_array_index (staff, DcStaffRecord, i);

      g_assert_cmpstr (s->name, ==, expected[i].name);
      g_assert_cmpstr (s->role, ==, expected[i].role);
      g_assert_cmpint (s->state, ==, expected[i].state);
      g_assert_cmpint (s->passphrase, ==, expected[i].passphrase);
      g_assert_cmpint (s->id, >, 0);
    }
}

static void
test_labels (void)
{
  const struct { const char *code, *label; } exits[] = {
    { "staff", "checked out at the counter" },
    { "customer", "left by themselves" },
    { "curfew", "sent home at the curfew" },
    { "auto", "closed automatically" },
    { "recovered", "closed after a crash" },
    { "other", "other" },
  };
  const struct { const char *role, *label; } roles[] = {
    { "manager", "manager" }, { "auditor", "auditor" }, { "counter", "counter staff" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (exits); i++)
    g_assert_cmpstr (dc_records_exit_label (exits[i].code), ==, exits[i].label);
  g_assert_null (dc_records_exit_label (NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (roles); i++)
    g_assert_cmpstr (dc_records_role_label (roles[i].role), ==, roles[i].label);
  g_assert_cmpstr (dc_records_state_label (DC_STAFF_ON_DUTY), ==, "On duty");
  g_assert_cmpstr (dc_records_state_label (DC_STAFF_OFF_DUTY), ==, "Off duty");
  g_assert_cmpstr (dc_records_state_label (DC_STAFF_LOCKED), ==, "Locked");
}

int
main (int argc, char **argv)
{
  World *w;
  int status;

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  w = world_new ();
  g_test_add_data_func ("/records/permission", w, test_permission);
  g_test_add_data_func ("/records/find", w, test_find);
  g_test_add_data_func ("/records/visit-fields", w, test_visit_fields);
  g_test_add_data_func ("/records/detail/sessions", w, test_detail_sessions);
  g_test_add_data_func ("/records/detail/versions", w, test_detail_versions);
  g_test_add_data_func ("/records/detail/other-record", w, test_detail_other_record);
  g_test_add_data_func ("/records/staff", w, test_staff);
  g_test_add_func ("/records/labels", test_labels);
  status = g_test_run ();
  world_free (w);
  return status;
}
