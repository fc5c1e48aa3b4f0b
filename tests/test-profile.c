/* tests/test-profile.c — the built-in prefecture profiles and the youth curfew arithmetic. */
#include "dc-profile.h"

#include <string.h>
#include "dc-checkin.h"
#include "dc-counter.h"
#include "dc-test-util.h"

#define HM(h, m) ((h) * 60 + (m))

typedef struct
{
  const char *profile;
  guint       age;
  guint       minute;
  gboolean    in_curfew;
} CurfewCase;

static const CurfewCase curfew_cases[] = {
  /* Tokyo: under 18, 23:00 to 04:00 */
  { "tokyo", 17, HM (22, 59), FALSE },
  { "tokyo", 17, HM (23, 0), TRUE },
  { "tokyo", 17, HM (23, 30), TRUE },
  { "tokyo", 17, HM (23, 59), TRUE },
  { "tokyo", 17, HM (0, 0), TRUE },
  { "tokyo", 17, HM (3, 59), TRUE },
  { "tokyo", 17, HM (4, 0), FALSE },
  { "tokyo", 17, HM (16, 0), FALSE },
  { "tokyo", 0, HM (23, 0), TRUE },
  { "tokyo", 18, HM (23, 30), FALSE },
  { "tokyo", 18, HM (3, 0), FALSE },
  { "tokyo", 40, HM (0, 0), FALSE },
  /* Osaka: under 16 19:00 to 05:00, under 18 22:00 to 05:00 */
  { "osaka", 15, HM (18, 59), FALSE },
  { "osaka", 15, HM (19, 0), TRUE },
  { "osaka", 15, HM (21, 0), TRUE },
  { "osaka", 15, HM (4, 59), TRUE },
  { "osaka", 15, HM (5, 0), FALSE },
  { "osaka", 16, HM (19, 0), FALSE },
  { "osaka", 16, HM (21, 59), FALSE },
  { "osaka", 16, HM (22, 0), TRUE },
  { "osaka", 17, HM (22, 0), TRUE },
  { "osaka", 17, HM (4, 59), TRUE },
  { "osaka", 17, HM (5, 0), FALSE },
  { "osaka", 18, HM (22, 0), FALSE },
  { "osaka", 18, HM (2, 0), FALSE },
};

static void
test_in_curfew (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (curfew_cases); i++)
    {
      const CurfewCase *c = &curfew_cases[i];
      const DcProfile *profile = dc_profile_lookup (c->profile);

      g_assert_nonnull (profile);
      g_test_message ("%s, age %u, %02u:%02u", c->profile, c->age, c->minute / 60, c->minute % 60);
      g_assert_cmpint (dc_profile_in_curfew (profile, c->age, c->minute), ==, c->in_curfew);
    }
}

typedef struct
{
  const char *profile;
  guint       age;
  guint       minute;
  gint        minutes;
} ToCurfewCase;

static void
test_minutes_to_curfew (void)
{
  static const ToCurfewCase cases[] = {
    { "tokyo", 17, HM (22, 30), 30 },
    { "tokyo", 17, HM (22, 50), 10 },
    { "tokyo", 17, HM (22, 59), 1 },
    { "tokyo", 17, HM (23, 0), 0 },
    { "tokyo", 17, HM (3, 59), 0 },
    { "tokyo", 17, HM (4, 0), 19 * 60 },
    { "tokyo", 17, HM (0, 0), 0 },
    { "tokyo", 18, HM (22, 30), -1 },
    { "osaka", 15, HM (18, 0), 60 },     /* the earlier, under-16 band */
    { "osaka", 15, HM (5, 0), 14 * 60 },
    { "osaka", 16, HM (18, 0), 4 * 60 }, /* only the under-18 band */
    { "osaka", 17, HM (21, 45), 15 },
    { "osaka", 17, HM (23, 0), 0 },
    { "osaka", 18, HM (21, 45), -1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const DcProfile *profile = dc_profile_lookup (cases[i].profile);

      g_test_message ("%s, age %u, minute %u", cases[i].profile, cases[i].age, cases[i].minute);
      g_assert_cmpint (dc_profile_minutes_to_curfew (profile, cases[i].age, cases[i].minute),
                       ==, cases[i].minutes);
    }
}

/* For every profile, age and minute of the day: the countdown is 0 exactly when in
 * curfew, and otherwise counts down a minute a minute until the curfew starts. */
static void
test_countdown_agrees (void)
{
  gsize n;
  const DcProfile *profiles = dc_profile_list (&n);

  for (gsize p = 0; p < n; p++)
    for (guint age = 0; age <= 20; age++)
      for (guint minute = 0; minute < 1440; minute++)
        {
          gint wait = dc_profile_minutes_to_curfew (&profiles[p], age, minute);
          gboolean in = dc_profile_in_curfew (&profiles[p], age, minute);

          g_assert_cmpint (wait == 0, ==, in);
          if (wait > 0)
            {
              g_assert_cmpint (dc_profile_minutes_to_curfew (&profiles[p], age, (minute + 1) % 1440),
                               ==, wait - 1);
              g_assert_true (dc_profile_in_curfew (&profiles[p], age, (minute + (guint) wait) % 1440));
            }
        }
}

static void
test_lookup (void)
{
  const DcProfile *tokyo = dc_profile_lookup ("tokyo");
  const DcProfile *osaka = dc_profile_lookup ("osaka");
  const DcProfile *list;
  gsize n = 0;

  g_assert_nonnull (tokyo);
  g_assert_cmpstr (tokyo->id, ==, "tokyo");
  g_assert_cmpstr (tokyo->label, ==, "Tokyo");
  g_assert_cmpuint (tokyo->minor_under, ==, 18);
  g_assert_false (tokyo->allow_health_insurance_card);
  g_assert_cmpuint (tokyo->n_bands, ==, 1);
  g_assert_cmpuint (tokyo->bands[0].under_age, ==, 18);
  g_assert_cmpuint (tokyo->bands[0].start_minute, ==, 1380);
  g_assert_cmpuint (tokyo->bands[0].end_minute, ==, 240);

  g_assert_nonnull (osaka);
  g_assert_cmpstr (osaka->id, ==, "osaka");
  g_assert_cmpuint (osaka->minor_under, ==, 18);
  g_assert_cmpuint (osaka->n_bands, ==, 2);

  g_assert_null (dc_profile_lookup ("kyoto"));
  g_assert_null (dc_profile_lookup (""));
  g_assert_null (dc_profile_lookup ("Tokyo"));

  list = dc_profile_list (&n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_true (&list[0] == tokyo || &list[1] == tokyo);
  g_assert_true (&list[0] == osaka || &list[1] == osaka);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpuint (list[i].n_bands, <=, DC_PROFILE_MAX_BANDS);
}

static void
test_is_minor (void)
{
  const DcProfile *tokyo = dc_profile_lookup ("tokyo");

  g_assert_true (dc_profile_is_minor (tokyo, 0));
  g_assert_true (dc_profile_is_minor (tokyo, 17));
  g_assert_false (dc_profile_is_minor (tokyo, 18));
  g_assert_false (dc_profile_is_minor (tokyo, 60));
}

/* A custom profile: a band that does not wrap, and an empty one that never applies. */
static void
test_custom_bands (void)
{
  const DcProfile custom = {
    "custom", "Custom", 20, TRUE, 2,
    { { 20, 1200, 1320 },   /* 20:00 to 22:00, same day */
      { 20, 600, 600 } },   /* start == end: empty */
  };

  g_assert_false (dc_profile_in_curfew (&custom, 19, 1199));
  g_assert_true (dc_profile_in_curfew (&custom, 19, 1200));
  g_assert_true (dc_profile_in_curfew (&custom, 19, 1319));
  g_assert_false (dc_profile_in_curfew (&custom, 19, 1320));
  g_assert_false (dc_profile_in_curfew (&custom, 19, 600));
  g_assert_false (dc_profile_in_curfew (&custom, 19, 0));
  g_assert_cmpint (dc_profile_minutes_to_curfew (&custom, 19, 1320), ==, 1320);
  g_assert_cmpint (dc_profile_minutes_to_curfew (&custom, 19, 600), ==, 600);
  g_assert_cmpint (dc_profile_minutes_to_curfew (&custom, 20, 1100), ==, -1);
  g_assert_true (dc_profile_is_minor (&custom, 19));
}

/* ---- the custom profile, read from a store's settings ---- */

static void
set (DcStore *store, DcActor *manager, const char *key, gint64 value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (dc_store_set_setting (store, manager, key, value, &error));
  g_assert_no_error (error);
}

static gboolean
checkin_minor (DcStore *store, DcActor *actor, const char *name, const char *terminal, GError **error)
{
  DcCheckinRequest request = { .terminal = terminal, .internet = TRUE };
  DcCheckinResult result = { 0 };
  gboolean ok;

  dc_test_identity_fill (&request.identity, 2035);
  request.identity.name = name;
  g_date_set_dmy (&request.identity.dob, 5, 5, 2010);   /* 16 in 2026 */
  ok = dc_checkin (store, actor, &request, &result, error);
  dc_checkin_result_clear (&result);
  return ok;
}

/* A new Tokyo store on the clock @now, with @terminals filtered terminals and its manager
 * signed in. */
static DcStore *
tokyo_store (const char *store_dir, gint64 *now, guint terminals, DcActor **manager)
{
  DcStoreSetup setup = { .name = "S", .operator_name = "O", .prefecture = "tokyo", .manager = "M" };
  DcStore *store = dc_test_store_create (store_dir, &setup, "correct horse battery", "1234", NULL);
  GError *error = NULL;

  dc_test_store_use_clock (store, now);
  *manager = dc_store_sign_in_passphrase (store, "M", "correct horse battery", &error);
  g_assert_no_error (error);
  dc_test_add_terminals (store, *manager, terminals, TRUE);
  return store;
}

/* A manager switches a Tokyo store to its own bands (under 18 from 21:00 to 05:00, under 16
 * from 20:00): check-in, the board and a reopened store all follow; switching back restores
 * Tokyo's 23:00. Out-of-range values are refused. */
static void
test_custom_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("daicho-profile-XXXXXX", NULL);
  g_autofree char *store_dir = g_build_filename (dir, "store", NULL);
  gint64 now = dc_test_tokyo (2026, 11, 21, 21, 30);
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(DcStore) store = tokyo_store (store_dir, &now, 3, &manager);
  g_autoptr(DcBoard) board = NULL;
  g_autoptr(GError) error = NULL;
  const DcProfile *profile;

  g_assert_cmpstr (dc_store_profile (store)->id, ==, "tokyo");
  g_assert_true (checkin_minor (store, manager, "未成年 一郎", "PC-01", &error));    /* 21:30 is fine in Tokyo */
  g_assert_no_error (error);

  set (store, manager, DC_SETTING_CURFEW_BAND1_START, 21 * 60);
  set (store, manager, DC_SETTING_CURFEW_BAND1_END, 5 * 60);
  set (store, manager, DC_SETTING_CURFEW_BAND2_START, 20 * 60);
  set (store, manager, DC_SETTING_CURFEW_BAND2_END, 5 * 60);
  /* the bands are stored but not used until the custom profile is chosen */
  g_assert_cmpstr (dc_store_profile (store)->id, ==, "tokyo");
  set (store, manager, DC_SETTING_CURFEW_PROFILE, DC_CURFEW_PROFILE_CUSTOM);

  profile = dc_store_profile (store);
  g_assert_cmpstr (profile->id, ==, "custom");
  g_assert_cmpuint (profile->minor_under, ==, 18);
  g_assert_cmpuint (profile->n_bands, ==, 3);   /* the store's two, then Tokyo's own */
  g_assert_true (dc_profile_in_curfew (profile, 17, HM (21, 0)));
  g_assert_false (dc_profile_in_curfew (profile, 17, HM (20, 59)));
  g_assert_true (dc_profile_in_curfew (profile, 15, HM (20, 0)));
  g_assert_true (dc_profile_in_curfew (profile, 15, HM (4, 59)));
  g_assert_false (dc_profile_in_curfew (profile, 15, HM (5, 0)));
  g_assert_false (dc_profile_in_curfew (profile, 18, HM (23, 0)));

  /* check-in refused at 21:30 now; the board counts the minor already in as in curfew */
  g_assert_false (checkin_minor (store, manager, "未成年 二郎", "PC-02", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_CURFEW);
  /* the store's own hours are not passed off as an ordinance */
  g_assert_nonnull (strstr (error->message, "this store's own curfew"));
  g_assert_null (strstr (error->message, "ordinance"));
  g_clear_error (&error);
  board = dc_board_read (store, dc_actor_vault (manager), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (board->minors, ==, 1);
  g_assert_cmpint (g_array_index (board->visits, DcBoardVisit, 0).minutes_to_curfew, ==, 0);
  g_clear_pointer (&board, dc_board_free);

  /* the store's hours cannot undo the ordinance: with both bands emptied (start = end),
   * a minor is let in at 22:30 but still refused at 23:30, in the ordinance's words */
  set (store, manager, DC_SETTING_CURFEW_BAND1_START, 0);
  set (store, manager, DC_SETTING_CURFEW_BAND1_END, 0);
  set (store, manager, DC_SETTING_CURFEW_BAND2_START, 0);
  set (store, manager, DC_SETTING_CURFEW_BAND2_END, 0);
  profile = dc_store_profile (store);
  g_assert_false (dc_profile_in_curfew (profile, 17, HM (22, 30)));
  g_assert_true (dc_profile_in_curfew (profile, 17, HM (23, 30)));
  g_assert_true (dc_profile_in_curfew (profile, 17, HM (3, 59)));
  g_assert_false (dc_profile_in_curfew (profile, 18, HM (23, 30)));
  g_assert_cmpint (dc_profile_minutes_to_curfew (profile, 17, HM (22, 30)), ==, 30);
  {
    const DcCurfewBand *band = dc_profile_next_band (profile, 17, HM (22, 30));
    g_autofree char *rule = dc_profile_band_rule (profile, band);

    /* what the counter says of a minor's coming curfew names the ordinance, not the store */
    g_assert_nonnull (band);
    g_assert_false (band->store_rule);
    g_assert_cmpuint (band->start_minute, ==, HM (23, 0));
    g_assert_cmpstr (rule, ==, "Tokyo youth ordinance");
  }
  g_assert_false (dc_profile_check_curfew (profile, 17, HM (23, 30), &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_CURFEW);
  g_assert_nonnull (strstr (error->message, "Tokyo youth ordinance"));
  g_clear_error (&error);
  now = dc_test_tokyo (2026, 11, 21, 23, 30);
  g_assert_false (checkin_minor (store, manager, "未成年 三郎", "PC-03", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_CURFEW);
  g_assert_nonnull (strstr (error->message, "Tokyo youth ordinance"));
  g_clear_error (&error);
  now = dc_test_tokyo (2026, 11, 21, 21, 30);
  set (store, manager, DC_SETTING_CURFEW_BAND1_START, 21 * 60);
  set (store, manager, DC_SETTING_CURFEW_BAND1_END, 5 * 60);
  {
    const DcCurfewBand *band = dc_profile_next_band (dc_store_profile (store), 17, HM (20, 0));
    g_autofree char *rule = dc_profile_band_rule (dc_store_profile (store), band);

    /* the store's 21:00 comes before Tokyo's 23:00: its own rule is named */
    g_assert_nonnull (band);
    g_assert_true (band->store_rule);
    g_assert_cmpuint (band->start_minute, ==, HM (21, 0));
    g_assert_cmpstr (rule, ==, "this store's own curfew");
    g_assert_null (dc_profile_next_band (dc_store_profile (store), 18, HM (20, 0)));
  }

  /* a limit the tier cannot tell apart, or a minute past midnight, is refused */
  g_assert_false (dc_store_set_setting (store, manager, DC_SETTING_CURFEW_BAND1_UNDER, 20, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (dc_store_set_setting (store, manager, DC_SETTING_CURFEW_BAND1_START, 24 * 60, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_clear_error (&error);

  /* the choice is the store's: a reopened store has it too */
  g_clear_pointer (&manager, dc_actor_free);
  g_clear_pointer (&store, dc_store_free);
  store = dc_test_store_open (store_dir);
  dc_test_store_use_clock (store, &now);
  g_assert_cmpstr (dc_store_profile (store)->id, ==, "custom");
  g_assert_cmpuint (dc_store_profile (store)->bands[0].start_minute, ==, 21 * 60);
  manager = dc_store_sign_in_passphrase (store, "M", "correct horse battery", &error);
  g_assert_no_error (error);

  set (store, manager, DC_SETTING_CURFEW_PROFILE, 0);
  g_assert_cmpstr (dc_store_profile (store)->id, ==, "tokyo");
  board = dc_board_read (store, dc_actor_vault (manager), &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_array_index (board->visits, DcBoardVisit, 0).minutes_to_curfew, ==, 90);
  g_assert_true (checkin_minor (store, manager, "未成年 二郎", "PC-02", &error));
  g_assert_no_error (error);
  dc_test_assert_intact (store);

  g_clear_pointer (&manager, dc_actor_free);
  g_clear_pointer (&store, dc_store_free);
  dc_test_remove_tree (dir);
}

/* The board judges each person in from their verification's counter tier, read with the
 * board itself: a 17-year-old is a minor in curfew at 23:30 and, still in the store past
 * midnight on their 18th birthday, is no longer one (the visit's own flag says minor). */
static void
test_board_birthday (void)
{
  g_autofree char *dir = g_dir_make_tmp ("daicho-profile-XXXXXX", NULL);
  g_autofree char *store_dir = g_build_filename (dir, "store", NULL);
  gint64 now = dc_test_tokyo (2026, 11, 21, 16, 0);
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(DcStore) store = tokyo_store (store_dir, &now, 1, &manager);
  g_autoptr(DcBoard) board = NULL;
  g_autoptr(GError) error = NULL;
  DcCheckinRequest request = { .terminal = "PC-01", .internet = TRUE };
  DcCheckinResult result = { 0 };
  const DcBoardVisit *visit;
  dc_test_identity_fill (&request.identity, 2035);
  request.identity.name = "誕生日 花子";
  g_date_set_dmy (&request.identity.dob, 22, 11, 2008);   /* 18 on 2026-11-22 */
  g_assert_true (dc_checkin (store, manager, &request, &result, &error));
  g_assert_no_error (error);
  g_assert_true (result.minor);

  now = dc_test_tokyo (2026, 11, 21, 23, 30);
  board = dc_board_read (store, dc_actor_vault (manager), &error);
  g_assert_no_error (error);
  visit = &g_array_index (board->visits, DcBoardVisit, 0);
  g_assert_cmpint (visit->visit_id, ==, result.visit_id);
  g_assert_true (visit->minor);
  g_assert_cmpint (visit->minutes_to_curfew, ==, 0);
  g_assert_cmpuint (board->minors, ==, 1);
  g_clear_pointer (&board, dc_board_free);

  now = dc_test_tokyo (2026, 11, 22, 0, 30);
  board = dc_board_read (store, dc_actor_vault (manager), &error);
  g_assert_no_error (error);
  visit = &g_array_index (board->visits, DcBoardVisit, 0);
  g_assert_false (visit->minor);
  g_assert_cmpint (visit->minutes_to_curfew, ==, -1);
  g_assert_cmpuint (board->minors, ==, 0);

  dc_checkin_result_clear (&result);
  g_clear_pointer (&board, dc_board_free);
  g_clear_pointer (&manager, dc_actor_free);
  g_clear_pointer (&store, dc_store_free);
  dc_test_remove_tree (dir);
}

/* The keys of the custom bands are the curfew settings, and no other key is. */
static void
test_custom_keys (void)
{
  for (guint i = 0; i < DC_PROFILE_CUSTOM_BANDS; i++)
    {
      const char *under, *start, *end;

      dc_profile_custom_keys (i, &under, &start, &end);
      g_assert_true (dc_profile_is_curfew_setting (under));
      g_assert_true (dc_profile_is_curfew_setting (start));
      g_assert_true (dc_profile_is_curfew_setting (end));
      g_assert_nonnull (dc_setting_spec (under));
      g_assert_nonnull (dc_setting_spec (start));
      g_assert_nonnull (dc_setting_spec (end));
    }
  g_assert_true (dc_profile_is_curfew_setting (DC_SETTING_CURFEW_PROFILE));
  g_assert_false (dc_profile_is_curfew_setting (DC_SETTING_CURFEW_SOUND));
  g_assert_false (dc_profile_is_curfew_setting (DC_SETTING_IDLE_LOCK_MINUTES));
  g_assert_false (dc_profile_is_curfew_setting (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/profile/lookup", test_lookup);
  g_test_add_func ("/profile/is-minor", test_is_minor);
  g_test_add_func ("/profile/curfew/in", test_in_curfew);
  g_test_add_func ("/profile/curfew/minutes-to", test_minutes_to_curfew);
  g_test_add_func ("/profile/curfew/countdown-agrees", test_countdown_agrees);
  g_test_add_func ("/profile/curfew/custom-bands", test_custom_bands);
  g_test_add_func ("/profile/custom/keys", test_custom_keys);
  g_test_add_func ("/profile/custom/store", test_custom_store);
  g_test_add_func ("/profile/board/birthday", test_board_birthday);

  return g_test_run ();
}
