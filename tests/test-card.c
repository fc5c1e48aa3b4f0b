/* tests/test-card.c — member cards: payload round trip, every refusal of a scan, the card's life, check-in by card, the printed QR, the purge. */
#include "dc-audit.h"
#include "dc-card.h"
#include "dc-checkin.h"
#include "dc-db.h"
#include "dc-card-pdf.h"
#include "dc-counter.h"
#include "dc-member.h"
#include "dc-retention.h"
#include "dc-store.h"
#include "dc-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

#define PASSPHRASE  "correct horse 台帳"
#define PIN         "4711"
#define COUNTER_PIN "1234"
#define DOC_EXPIRY_YEAR 2035

/* A store made once per program and copied for each case; a second operator's store and an
 * Osaka store of the same operator only sign cards for the refusals. */
typedef struct {
  const char    *what;
  const char    *operator_name;
  const char    *prefecture;
  DcTestTemplate base;
} Template;

typedef struct {
  Template *home;     /* 株式会社テスト, Tokyo */
  Template *rival;    /* another company, Tokyo */
  Template *osaka;    /* the same company, Osaka */
} Fixtures;

static void
template_ensure (Template *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) store = NULL;
  DcStoreSetup setup = {
    .name = "テスト店",
    .operator_name = t->operator_name,
    .prefecture = t->prefecture,
    .manager = "Hana",
  };

  if (!dc_test_template_start (&t->base, t->what))
    return;
  store = dc_test_store_create (t->base.dir, &setup, PASSPHRASE, PIN, NULL);
  t->base.manager = dc_store_sign_in_passphrase (store, "Hana", PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (store, t->base.manager, "Ken", "counter", COUNTER_PIN, NULL, NULL, &error));
  g_assert_no_error (error);
  dc_test_add_terminals (store, t->base.manager, 3, TRUE);
  t->base.counter = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
  g_assert_no_error (error);
}

static DcStore *
fresh_store (Template *t, gint64 *now)
{
  template_ensure (t);
  *now = dc_test_tokyo (2026, 11, 20, 14, 0);
  return dc_test_template_open (&t->base, now);
}

/* A new customer checked in from a document on @terminal and checked out again: their member number. */
static char *
new_member (DcStore *store, DcActor *counter, const char *name, const char *terminal, gboolean stay)
{
  g_autoptr(GError) error = NULL;
  DcCheckinRequest req = { .terminal = terminal, .internet = TRUE };
  DcCheckinResult res = { 0 };
  char *member;

  dc_test_identity_fill (&req.identity, DOC_EXPIRY_YEAR);
  req.identity.name = (char *) name;
  g_assert_true (dc_checkin (store, counter, &req, &res, &error));
  g_assert_no_error (error);
  g_assert_true (res.new_customer);
  if (!stay)
    {
      g_assert_true (dc_checkout (store, counter, terminal, 0, DC_EXIT_STAFF, &error));
      g_assert_no_error (error);
    }
  member = g_steal_pointer (&res.member_number);
  dc_checkin_result_clear (&res);
  return member;
}

static char *
current_payload (DcStore *store, DcActor *actor, const char *member)
{
  g_autoptr(GError) error = NULL;
  char *payload = NULL;

  g_assert_true (dc_card_current (store, actor, member, &payload, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (payload);
  return payload;
}

static gint64
sql_int (DcStore *store, const char *sql)
{
  return dc_test_sql_int (dc_db_handle (dc_store_db (store)), sql);
}

/* @payload is refused as @expected with @code, by the counter's PIN vault. */
static void
assert_refused (DcStore *store, DcActor *actor, const char *payload, DcCardCheck expected, gint code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *member = NULL;
  DcCardCheck got = dc_card_check (store, dc_actor_vault (actor), payload, &member, &error);

  if (got != expected)
    g_test_message ("payload “%s”: %d, expected %d (%s)", payload, got, expected, error ? error->message : "");
  g_assert_cmpint (got, ==, expected);
  g_assert_error (error, DC_ERROR, code);
  dc_test_assert_human ("refusal", error->message);
  g_assert_null (member);
}

/* @payload with field @index (0 = "DC1") replaced by @value. */
static char *
replace_field (const char *payload, guint index, const char *value)
{
  g_auto(GStrv) f = g_strsplit (payload, ":", -1);

  g_assert_cmpuint (index, <, g_strv_length (f));
  g_free (f[index]);
  f[index] = g_strdup (value);
  return g_strjoinv (":", f);
}

/* ---- payload ---- */

static void
test_round_trip (gconstpointer data)
{
  const Fixtures *fx = data;
  g_autoptr(GError) error = NULL;
  gint64 now;
  g_autoptr(DcStore) store = fresh_store (fx->home, &now);
  DcActor *counter = fx->home->base.counter;
  g_autofree char *member = new_member (store, counter, "山田 太郎", "PC-01", FALSE);
  g_autofree char *payload = NULL, *lower = NULL, *padded = NULL, *got = NULL;
  gint64 generation = 0;

  /* issued at the first verification, audited */
  g_assert_cmpint (sql_int (store, "SELECT count (*) FROM cards WHERE generation = 1 AND ended_at IS NULL"), ==, 1);
  g_assert_cmpint (sql_int (store, "SELECT count (*) FROM audit WHERE subject_table = 'cards'"
                                   " AND action = 'card-issue'"), ==, 1);

  payload = current_payload (store, counter, member);
  g_assert_true (g_str_has_prefix (payload, "DC1:TOKYO:"));
  /* QR alphanumeric mode, and nothing a keyboard layout could turn into something else */
  g_assert_cmpuint (strspn (payload, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ:"), ==, strlen (payload));
  g_assert_cmpuint (strlen (payload), <=, 72);
  g_assert_true (dc_card_is_payload (payload));
  g_assert_true (strstr (payload, member) != NULL);

  g_assert_cmpint (dc_card_check_full (store, dc_actor_vault (counter), payload, &got, &generation, &error), ==,
                   DC_CARD_VALID);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, member);
  g_assert_cmpint (generation, ==, 1);
  g_clear_pointer (&got, g_free);

  /* a scanner with caps lock on, or a trailing newline */
  lower = g_ascii_strdown (payload, -1);
  padded = g_strdup_printf ("  %s\r\n", lower);
  g_assert_cmpint (dc_card_check (store, dc_actor_vault (counter), padded, &got, &error), ==, DC_CARD_VALID);
  g_assert_no_error (error);
  g_assert_cmpstr (got, ==, member);

  /* the same card printed twice is the same payload: nothing is random */
  g_clear_pointer (&got, g_free);
  got = current_payload (store, fx->home->base.manager, member);
  g_assert_cmpstr (got, ==, payload);
  dc_test_assert_intact (store);
}

static void
test_refusals (gconstpointer data)
{
  const Fixtures *fx = data;
  gint64 now, rival_now, osaka_now;
  g_autoptr(DcStore) store = fresh_store (fx->home, &now);
  g_autoptr(DcStore) rival = fresh_store (fx->rival, &rival_now);
  g_autoptr(DcStore) osaka = fresh_store (fx->osaka, &osaka_now);
  DcActor *counter = fx->home->base.counter;
  g_autofree char *member = new_member (store, counter, "山田 太郎", "PC-01", FALSE);
  g_autofree char *other = new_member (store, counter, "佐藤 花子", "PC-02", FALSE);
  g_autofree char *payload = current_payload (store, counter, member);
  g_autofree char *other_payload = current_payload (store, counter, other);
  g_autofree char *rival_member = new_member (rival, fx->rival->base.counter, "山田 太郎", "PC-01", FALSE);
  g_autofree char *rival_payload = current_payload (rival, fx->rival->base.counter, rival_member);
  g_autofree char *osaka_member = new_member (osaka, fx->osaka->base.counter, "山田 太郎", "PC-01", FALSE);
  g_autofree char *osaka_payload = current_payload (osaka, fx->osaka->base.counter, osaka_member);
  g_auto(GStrv) f = g_strsplit (payload, ":", -1);
  g_auto(GStrv) of = g_strsplit (other_payload, ":", -1);
  g_autofree char *mac_flipped = NULL, *member_swapped = NULL, *generation_up = NULL, *other_store = NULL;
  g_autofree char *unknown = NULL, *mac_of_other = NULL;
  const char *not_daicho[] = {
    "", "   ", "https://example.com/member?id=1000017", "4901234567894", "WIFI:S:cafe;T:WPA;P:secret;;",
    "DC2:TOKYO:AAAAAAAA:AAAAAAAA:10000017:1:AAAAAAAAAAAAAAAA", "ＤＣ１：", "DC1", "DC",
  };
  const char *garbage[] = {
    "DC1:", "DC1:TOKYO", "DC1:TOKYO:ABC:DEF:1:1:X", "DC1:::::::", "DC1:TOKYO:AAAAAAAA:AAAAAAAA:10000017:1",
    "DC1:TOKYO:AAAAAAAA:AAAAAAAA:10000017:1:AAAAAAAAAAAAAAAA:EXTRA",
    "DC1:TOKYO:AAAAAAAA:AAAAAAAA:10000017:0:AAAAAAAAAAAAAAAA",
    "DC1:TOKYO:AAAAAAAA:AAAAAAAA:10000017:01:AAAAAAAAAAAAAAAA",
    "DC1:TOKYO:AAAAAAAA:AAAAAAAA:10000017:1234567890:AAAAAAAAAAAAAAAA",
    "DC1:TOKYO:AAAAAAAU:AAAAAAAA:10000017:1:AAAAAAAAAAAAAAAA",       /* U is not Crockford */
    "DC1:TOKYO:AAAAAAAA:AAAAAAAA:1000001X:1:AAAAAAAAAAAAAAAA",
    "DC1:TOKYO:AAAAAAAA:AAAAAAAA:10000017:1:AAAAAAAAAAAAAAA",         /* short MAC */
    "DC1:東京:AAAAAAAA:AAAAAAAA:10000017:1:AAAAAAAAAAAAAAAA",
    "DC1:TOKYO:AAAAAAAA:AAAAAAAA:10000017:-1:AAAAAAAAAAAAAAAA",
  };
  char flipped[2] = { 0 };

  for (gsize i = 0; i < G_N_ELEMENTS (not_daicho); i++)
    assert_refused (store, counter, not_daicho[i], DC_CARD_NOT_DAICHO, DC_ERROR_INVALID);
  assert_refused (store, counter, NULL, DC_CARD_NOT_DAICHO, DC_ERROR_INVALID);
  for (gsize i = 0; i < G_N_ELEMENTS (garbage); i++)
    assert_refused (store, counter, garbage[i], DC_CARD_GARBAGE, DC_ERROR_INVALID);

  /* another legal entity's genuine card; the same company's card from a store in Osaka */
  assert_refused (store, counter, rival_payload, DC_CARD_OTHER_OPERATOR, DC_ERROR_DOC_NOT_ACCEPTED);
  assert_refused (store, counter, osaka_payload, DC_CARD_OTHER_PREFECTURE, DC_ERROR_DOC_NOT_ACCEPTED);
  /* and the other way round: our card is nothing to them */
  assert_refused (rival, fx->rival->base.counter, payload, DC_CARD_OTHER_OPERATOR, DC_ERROR_DOC_NOT_ACCEPTED);
  assert_refused (osaka, fx->osaka->base.counter, payload, DC_CARD_OTHER_PREFECTURE, DC_ERROR_DOC_NOT_ACCEPTED);
  /* the rival's own card with our operator id pasted in: the MAC gives it away */
  mac_of_other = replace_field (rival_payload, 2, f[2]);
  assert_refused (store, counter, mac_of_other, DC_CARD_OTHER_STORE, DC_ERROR_DOC_NOT_ACCEPTED);
  other_store = replace_field (payload, 3, "ZZZZZZZZ");
  assert_refused (store, counter, other_store, DC_CARD_OTHER_STORE, DC_ERROR_DOC_NOT_ACCEPTED);

  /* altered cards: one MAC character, another member's number, a higher generation */
  flipped[0] = f[6][5] == '7' ? '8' : '7';
  {
    g_autofree char *mac = g_strdup (f[6]);

    mac[5] = flipped[0];
    mac_flipped = replace_field (payload, 6, mac);
  }
  assert_refused (store, counter, mac_flipped, DC_CARD_FORGED, DC_ERROR_CRYPTO);
  member_swapped = replace_field (payload, 4, of[4]);
  assert_refused (store, counter, member_swapped, DC_CARD_FORGED, DC_ERROR_CRYPTO);
  generation_up = replace_field (payload, 5, "2");
  assert_refused (store, counter, generation_up, DC_CARD_FORGED, DC_ERROR_CRYPTO);

  /* genuinely signed, but no such card here (a generation never issued) */
  unknown = dc_card_payload (store, dc_actor_vault (counter), member, 7);
  assert_refused (store, counter, unknown, DC_CARD_UNKNOWN, DC_ERROR_NOT_FOUND);
}

/* ---- the card's life ---- */

static void
test_life (gconstpointer data)
{
  const Fixtures *fx = data;
  g_autoptr(GError) error = NULL;
  gint64 now;
  g_autoptr(DcStore) store = fresh_store (fx->home, &now);
  DcActor *counter = fx->home->base.counter;
  DcActor *manager = fx->home->base.manager;
  g_autofree char *member = new_member (store, counter, "山田 太郎", "PC-01", FALSE);
  g_autofree char *first = current_payload (store, counter, member);
  g_autofree char *second = NULL, *third = NULL, *fourth = NULL;
  gint64 generation = 0;

  /* the counter may not end cards */
  g_assert_false (dc_card_reissue (store, counter, member, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (dc_card_report_lost (store, counter, member, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (dc_card_revoke (store, counter, member, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (dc_card_reissue (store, manager, "10000000", NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_clear_error (&error);

  /* reissue: the old card stops working, the new one works */
  now += G_USEC_PER_SEC * (gint64) 60;
  g_assert_true (dc_card_reissue (store, manager, member, &generation, &error));
  g_assert_no_error (error);
  g_assert_cmpint (generation, ==, 2);
  second = current_payload (store, counter, member);
  g_assert_cmpstr (second, !=, first);
  assert_refused (store, counter, first, DC_CARD_REPLACED, DC_ERROR_DOC_NOT_ACCEPTED);
  g_assert_cmpint (dc_card_check (store, dc_actor_vault (counter), second, NULL, &error), ==, DC_CARD_VALID);
  g_assert_no_error (error);

  /* lost: refused, nothing to print until a manager reissues */
  g_assert_true (dc_card_report_lost (store, manager, member, &error));
  g_assert_no_error (error);
  assert_refused (store, counter, second, DC_CARD_LOST, DC_ERROR_DOC_NOT_ACCEPTED);
  g_assert_false (dc_card_current (store, counter, member, &third, NULL, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_DOC_NOT_ACCEPTED);
  g_clear_error (&error);
  g_assert_null (third);
  g_assert_false (dc_card_report_lost (store, manager, member, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (dc_card_reissue (store, manager, member, &generation, &error));
  g_assert_no_error (error);
  g_assert_cmpint (generation, ==, 3);
  third = current_payload (store, counter, member);
  assert_refused (store, counter, second, DC_CARD_LOST, DC_ERROR_DOC_NOT_ACCEPTED);
  assert_refused (store, counter, first, DC_CARD_REPLACED, DC_ERROR_DOC_NOT_ACCEPTED);

  /* revoked */
  g_assert_true (dc_card_revoke (store, manager, member, &error));
  g_assert_no_error (error);
  assert_refused (store, counter, third, DC_CARD_REVOKED, DC_ERROR_DOC_NOT_ACCEPTED);
  g_assert_true (dc_card_reissue (store, manager, member, &generation, &error));
  g_assert_no_error (error);
  fourth = current_payload (store, counter, member);
  g_assert_cmpint (dc_card_check (store, dc_actor_vault (counter), fourth, NULL, &error), ==, DC_CARD_VALID);
  g_assert_no_error (error);

  /* every event audited, by whom; one valid card */
  g_assert_cmpint (sql_int (store, "SELECT count (*) FROM audit WHERE subject_table = 'cards' AND action IN"
                                   " ('card-reissue', 'card-lost', 'card-revoke')"), ==, 2 + 1 + 1 + 1 + 1);
  g_assert_cmpint (sql_int (store, "SELECT count (*) FROM cards WHERE ended_at IS NULL"), ==, 1);
  g_assert_cmpint (sql_int (store, "SELECT count (*) FROM cards WHERE ended_by = 1 AND ended_at IS NOT NULL"), ==, 3);
  dc_test_assert_intact (store);
}

/* A customer from before cards existed gets generation 1 when a card is first printed. */
static void
test_card_for_old_customer (gconstpointer data)
{
  const Fixtures *fx = data;
  gint64 now;
  g_autoptr(DcStore) store = fresh_store (fx->home, &now);
  DcActor *counter = fx->home->base.counter;
  g_autofree char *member = new_member (store, counter, "山田 太郎", "PC-01", FALSE);
  g_autofree char *payload = NULL;
  sqlite3 *h = dc_db_handle (dc_store_db (store));

  /* as a version-3 store had it: no card (the purge's permission stands in for the migration) */
  dc_db_allow_purge (dc_store_db (store), TRUE);
  dc_test_sql_exec (h, "DELETE FROM cards");
  dc_db_allow_purge (dc_store_db (store), FALSE);
  payload = current_payload (store, counter, member);
  g_assert_nonnull (strstr (payload, ":1:"));
  g_assert_cmpint (sql_int (store, "SELECT count (*) FROM cards"), ==, 1);
}

/* ---- check-in by card ---- */

static void
test_checkin_card (gconstpointer data)
{
  const Fixtures *fx = data;
  g_autoptr(GError) error = NULL;
  gint64 now;
  g_autoptr(DcStore) store = fresh_store (fx->home, &now);
  DcActor *counter = fx->home->base.counter;
  g_autofree char *member = new_member (store, counter, "山田 太郎", "PC-01", FALSE);
  g_autofree char *payload = current_payload (store, counter, member);
  DcCheckinResult res = { 0 };
  gint64 visits;

  now += G_USEC_PER_SEC * (gint64) 3600;
  g_assert_true (dc_checkin_card (store, counter, payload, "PC-02", &res, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (res.member_number, ==, member);
  g_assert_false (res.new_customer);
  g_assert_cmpint (res.visit_id, >, 0);
  dc_checkin_result_clear (&res);

  /* already in */
  g_assert_false (dc_checkin_card (store, counter, payload, "PC-03", &res, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_ALREADY_IN);
  g_clear_error (&error);
  g_assert_true (dc_checkout (store, counter, "PC-02", 0, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);

  /* a revoked card lets nobody in and writes nothing */
  g_assert_true (dc_card_revoke (store, fx->home->base.manager, member, &error));
  visits = sql_int (store, "SELECT count (*) FROM visits");
  g_assert_false (dc_checkin_card (store, counter, payload, "PC-02", &res, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_DOC_NOT_ACCEPTED);
  g_clear_error (&error);
  g_assert_null (res.member_number);
  g_assert_cmpint (sql_int (store, "SELECT count (*) FROM visits"), ==, visits);
  g_assert_false (dc_checkin_card (store, counter, "not a card", "PC-02", &res, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_clear_error (&error);
  dc_test_assert_intact (store);
}


/* ---- a minor, judged at the scan from the counter tier ---- */

/* A customer born on @dob, verified and checked out again (on a filtered terminal): their member number. */
static char *
new_member_born (DcStore *store, DcActor *counter, const char *name, int y, int m, int d)
{
  g_autoptr(GError) error = NULL;
  DcCheckinRequest req = { .terminal = "PC-01", .internet = TRUE };
  DcCheckinResult res = { 0 };
  char *member;

  dc_test_identity_fill (&req.identity, DOC_EXPIRY_YEAR);
  req.identity.name = (char *) name;
  g_date_set_dmy (&req.identity.dob, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  g_assert_true (dc_checkin (store, counter, &req, &res, &error));
  g_assert_no_error (error);
  g_assert_true (dc_checkout (store, counter, "PC-01", 0, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
  member = g_steal_pointer (&res.member_number);
  dc_checkin_result_clear (&res);
  return member;
}

typedef struct {
  int      at[5];        /* Tokyo y, m, d, h, min */
  gboolean minor;
  guint    age;
  gint     minutes;      /* to the curfew; -1 none */
  guint    curfew_at;    /* minute of day, when minutes >= 0 */
  gboolean refused;      /* DC_ERROR_CURFEW */
} TodayCase;

/* @member judged at each case's time by @counter's PIN vault, which can open no identity. */
static void
check_today (DcStore *store, DcActor *counter, gint64 *now, const char *member, const char *rule,
             const TodayCase *cases, gsize n)
{
  g_assert_false (dc_actor_can_read_identity (counter));
  for (gsize i = 0; i < n; i++)
    {
      const TodayCase *c = &cases[i];
      g_autoptr(GError) error = NULL;
      DcMemberToday today;
      gboolean ok;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      *now = dc_test_tokyo (c->at[0], c->at[1], c->at[2], c->at[3], c->at[4]);
      ok = dc_counter_member_today (store, dc_actor_vault (counter), member, &today, &error);
      g_assert_cmpint (today.minor, ==, c->minor);
      g_assert_cmpuint (today.age, ==, c->age);
      g_assert_cmpint (today.minutes_to_curfew, ==, c->minutes);
      if (c->minutes > 0)
        g_assert_cmpuint (today.curfew_minute, ==, c->curfew_at);
      if (!c->refused)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          continue;
        }
      g_assert_false (ok);
      g_assert_error (error, DC_ERROR, DC_ERROR_CURFEW);
      dc_test_assert_human ("curfew", error->message);
      dc_test_assert_has (error->message, rule);
      g_assert_null (strstr (error->message, "Custom youth"));
    }
}

static void
test_minor_today (gconstpointer data)
{
  const Fixtures *fx = data;
  gint64 now;
  g_autoptr(DcStore) store = fresh_store (fx->home, &now);
  DcActor *counter = fx->home->base.counter;
  /* turns 18 on 2026-11-21 */
  g_autofree char *member = new_member_born (store, counter, "未成年 一郎", 2008, 11, 21);
  g_autofree char *adult = new_member_born (store, counter, "成年 一郎", 1990, 4, 1);
  g_autoptr(GError) error = NULL;
  DcMemberToday today;
  /* the process runs in New York: the store's midnight in Tokyo is what counts */
  static const TodayCase cases[] = {
    { { 2026, 11, 20, 14, 0 }, TRUE, 17, 540, 23 * 60, FALSE },
    { { 2026, 11, 20, 22, 59 }, TRUE, 17, 1, 23 * 60, FALSE },
    { { 2026, 11, 20, 23, 0 }, TRUE, 17, 0, 23 * 60, TRUE },
    { { 2026, 11, 20, 23, 59 }, TRUE, 17, 0, 23 * 60, TRUE },
    { { 2026, 11, 21, 0, 0 }, FALSE, 18, -1, 0, FALSE },       /* the birthday: not flagged, let in */
    { { 2026, 11, 21, 2, 0 }, FALSE, 18, -1, 0, FALSE },
  };

  check_today (store, counter, &now, member, "Tokyo youth ordinance", cases, G_N_ELEMENTS (cases));
  g_assert_true (dc_counter_member_today (store, dc_actor_vault (counter), member, &today, &error));
  g_assert_cmpint (g_date_get_year (&today.adult_on), ==, 2026);
  g_assert_cmpint (g_date_get_month (&today.adult_on), ==, 11);
  g_assert_cmpint (g_date_get_day (&today.adult_on), ==, 21);

  /* an adult at 23:30 is let in */
  now = dc_test_tokyo (2026, 11, 20, 23, 30);
  g_assert_true (dc_counter_member_today (store, dc_actor_vault (counter), adult, &today, &error));
  g_assert_no_error (error);
  g_assert_false (today.minor);

  /* the scan says what the check-in would say */
  {
    g_autofree char *payload = current_payload (store, counter, member);
    g_autoptr(GError) refusal = NULL;
    DcCheckinResult res = { 0 };

    now = dc_test_tokyo (2026, 11, 20, 23, 30);
    g_assert_false (dc_counter_member_today (store, dc_actor_vault (counter), member, &today, &error));
    g_assert_false (dc_checkin_card (store, counter, payload, "PC-02", &res, &refusal));
    g_assert_error (refusal, DC_ERROR, DC_ERROR_CURFEW);
    g_assert_cmpstr (refusal->message, ==, error->message);
    g_clear_error (&error);
  }

  /* no such member; not a member number */
  {
    g_autofree char *nobody = dc_member_number_for_id (9999);

    g_assert_false (dc_counter_member_today (store, dc_actor_vault (counter), nobody, &today, &error));
    g_assert_error (error, DC_ERROR, DC_ERROR_NOT_FOUND);
  }
  g_clear_error (&error);
  g_assert_false (dc_counter_member_today (store, dc_actor_vault (counter), "12345", &today, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
}

/* Osaka: under 16 from 19:00, 16 and 17 from 22:00 — the tier's sixteenth birthday decides. */
static void
test_minor_today_osaka (gconstpointer data)
{
  const Fixtures *fx = data;
  gint64 now;
  g_autoptr(DcStore) store = fresh_store (fx->osaka, &now);
  DcActor *counter = fx->osaka->base.counter;
  /* turns 16 on 2026-11-21 */
  g_autofree char *member = new_member_born (store, counter, "未成年 二郎", 2010, 11, 21);
  static const TodayCase cases[] = {
    { { 2026, 11, 20, 18, 0 }, TRUE, 15, 60, 19 * 60, FALSE },
    { { 2026, 11, 20, 19, 0 }, TRUE, 15, 0, 19 * 60, TRUE },
    { { 2026, 11, 21, 18, 0 }, TRUE, 17, 240, 22 * 60, FALSE },   /* sixteen today: the later band */
    { { 2026, 11, 21, 19, 30 }, TRUE, 17, 150, 22 * 60, FALSE },
    { { 2026, 11, 21, 4, 59 }, TRUE, 17, 0, 22 * 60, TRUE },      /* still the night before's band */
  };

  check_today (store, counter, &now, member, "Osaka youth ordinance", cases, G_N_ELEMENTS (cases));
}

/* The store's own curfew: named as such, never as an ordinance or "Custom"; and the cards
 * stay the prefecture's, so changing the hours does not void every card. */
static void
test_minor_today_custom (gconstpointer data)
{
  const Fixtures *fx = data;
  gint64 now, osaka_now;
  g_autoptr(DcStore) store = fresh_store (fx->home, &now);
  g_autoptr(DcStore) osaka = fresh_store (fx->osaka, &osaka_now);
  DcActor *counter = fx->home->base.counter;
  DcActor *manager = fx->home->base.manager;
  g_autofree char *member = new_member_born (store, counter, "未成年 三郎", 2009, 6, 1);
  g_autofree char *payload = current_payload (store, counter, member);
  g_autofree char *osaka_member = new_member_born (osaka, fx->osaka->base.counter, "山田 太郎", 1990, 4, 1);
  g_autofree char *osaka_payload = current_payload (osaka, fx->osaka->base.counter, osaka_member);
  g_autofree char *again = NULL;
  g_autoptr(GError) error = NULL;
  static const TodayCase cases[] = {
    { { 2026, 11, 20, 20, 0 }, TRUE, 17, 60, 21 * 60, FALSE },
    { { 2026, 11, 20, 21, 30 }, TRUE, 17, 0, 21 * 60, TRUE },
  };

  g_assert_true (dc_store_set_setting (store, manager, DC_SETTING_CURFEW_PROFILE, DC_CURFEW_PROFILE_CUSTOM, &error));
  g_assert_true (dc_store_set_setting (store, manager, DC_SETTING_CURFEW_BAND1_START, 21 * 60, &error));
  g_assert_true (dc_store_set_setting (store, manager, DC_SETTING_CURFEW_BAND1_END, 5 * 60, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (dc_store_profile (store)->id, ==, "custom");
  g_assert_cmpstr (dc_profile_prefecture (dc_store_profile (store)), ==, "tokyo");

  check_today (store, counter, &now, member, "this store's own curfew", cases, G_N_ELEMENTS (cases));
  {
    g_autoptr(GError) refusal = NULL;

    g_assert_false (dc_profile_check_curfew (dc_store_profile (store), 17, 21 * 60 + 30, &refusal));
    g_assert_null (strstr (refusal->message, "ordinance"));
  }

  /* the card issued before the change still works, and a new one reads the same prefecture */
  g_assert_cmpint (dc_card_check (store, dc_actor_vault (counter), payload, NULL, &error), ==, DC_CARD_VALID);
  g_assert_no_error (error);
  again = dc_card_payload (store, dc_actor_vault (counter), member, 1);
  g_assert_cmpstr (again, ==, payload);
  g_assert_true (g_str_has_prefix (payload, "DC1:TOKYO:"));
  /* a card from Osaka is refused naming Tokyo, the prefecture, not the custom hours */
  g_assert_cmpint (dc_card_check (store, dc_actor_vault (counter), osaka_payload, NULL, &error), ==,
                   DC_CARD_OTHER_PREFECTURE);
  dc_test_assert_has (error->message, "outside Tokyo");
  g_assert_null (strstr (error->message, "outside Custom"));
}

/* ---- the printed card ---- */

static char *
run_tool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  gint status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                               &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_test_message ("%s: %s", argv[0], err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static gboolean
have_tools (const char *const *tools)
{
  for (; *tools != NULL; tools++)
    {
      g_autofree char *path = g_find_program_in_path (*tools);

      if (path == NULL)
        {
          g_autofree char *why = g_strdup_printf ("%s is not installed", *tools);
          g_test_fail_printf ("%s: make deps installs it", why);
          return FALSE;
        }
    }
  return TRUE;
}

/* Width and height of a PNG, from its IHDR chunk. */
static void
png_size (const char *path, guint *width, guint *height)
{
  g_autofree char *bytes = NULL;
  gsize len = 0;
  const guint8 *b;

  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_cmpuint (len, >, 24);
  b = (const guint8 *) bytes;
  *width = (guint) b[16] << 24 | (guint) b[17] << 16 | (guint) b[18] << 8 | b[19];
  *height = (guint) b[20] << 24 | (guint) b[21] << 16 | (guint) b[22] << 8 | b[23];
}

/* The card PDF at @pdf: rendered at 300 dpi, its QR code decodes to @payload; its text has @member and @store_name. */
static void
assert_card_pdf (const char *pdf, const char *payload, const char *member, const char *store_name)
{
  g_autofree char *dir = g_path_get_dirname (pdf);
  g_autofree char *prefix = g_build_filename (dir, "card", NULL);
  g_autofree char *png = g_strconcat (prefix, ".png", NULL);
  const char *render[] = { "pdftoppm", "-png", "-r", "300", "-singlefile", pdf, prefix, NULL };
  const char *scan[] = { "zbarimg", "--raw", "-q", png, NULL };
  const char *text[] = { "pdftotext", pdf, "-", NULL };
  g_autofree char *decoded = NULL, *words = NULL, *flat = NULL;
  guint width, height;

  g_free (run_tool (render));
  png_size (png, &width, &height);
  /* 85.6 × 54 mm at 300 dpi */
  g_assert_cmpuint (width, >=, 1010);
  g_assert_cmpuint (width, <=, 1012);
  g_assert_cmpuint (height, >=, 637);
  g_assert_cmpuint (height, <=, 639);
  decoded = run_tool (scan);
  g_strchomp (decoded);
  g_assert_cmpstr (decoded, ==, payload);
  words = run_tool (text);
  g_assert_nonnull (strstr (words, member));
  flat = g_strdelimit (g_strdup (words), "\n", ' ');
  g_assert_nonnull (strstr (flat, store_name));
  g_unlink (png);
}

static void
test_pdf (gconstpointer data)
{
  const Fixtures *fx = data;
  const char *tools[] = { "pdftoppm", "zbarimg", "pdftotext", NULL };
  g_autoptr(GError) error = NULL;
  gint64 now;
  g_autoptr(DcStore) store = NULL;
  g_autofree char *member = NULL, *payload = NULL, *dir = NULL, *pdf = NULL;
  DcCardFace face = { 0 };

  if (!have_tools (tools))
    return;
  store = fresh_store (fx->home, &now);
  member = new_member (store, fx->home->base.counter, "山田 太郎", "PC-01", FALSE);
  payload = current_payload (store, fx->home->base.counter, member);
  dir = g_dir_make_tmp ("daicho-card-XXXXXX", &error);
  g_assert_no_error (error);
  pdf = g_build_filename (dir, "card.pdf", NULL);
  face = (DcCardFace) { .store_name = dc_store_name (store), .member_number = member, .payload = payload };
  g_assert_true (dc_card_pdf_write (&face, pdf, &error));
  g_assert_no_error (error);
  assert_card_pdf (pdf, payload, member, "テスト店");

  /* a store name too long for the card is cut, the QR code is untouched */
  face.store_name = "インターネットカフェ・とても長い店名の新宿西口駅前本店ビル三階";
  g_assert_true (dc_card_pdf_write (&face, pdf, &error));
  g_assert_no_error (error);
  {
    g_autofree char *png = g_build_filename (dir, "card.png", NULL);
    g_autofree char *prefix = g_build_filename (dir, "card", NULL);
    const char *render[] = { "pdftoppm", "-png", "-r", "300", "-singlefile", pdf, prefix, NULL };
    const char *scan[] = { "zbarimg", "--raw", "-q", png, NULL };
    g_autofree char *decoded = NULL;

    g_free (run_tool (render));
    decoded = g_strchomp (run_tool (scan));
    g_assert_cmpstr (decoded, ==, payload);
  }
  g_assert_false (dc_card_pdf_write (&face, "/nonexistent/dir/card.pdf", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_IO);
  dc_test_remove_tree (dir);
}

/* ---- daicho-ctl ---- */

static void
test_cli (gconstpointer data)
{
  const Fixtures *fx = data;
  const char *tools[] = { "pdftoppm", "zbarimg", "pdftotext", NULL };
  const char *ctl = g_getenv ("DAICHO_CTL");
  g_autoptr(DcStore) store = NULL;
  g_autofree char *member = NULL, *dir = NULL, *pdf = NULL, *payload = NULL, *out = NULL;
  DcTestRun run = { 0 };

  if (ctl == NULL)
    {
      g_test_fail_printf ("DAICHO_CTL is not set: run the tests through meson");
      return;
    }
  if (!have_tools (tools))
    return;
  template_ensure (fx->home);
  dir = dc_test_template_copy (&fx->home->base);
  /* the member is made through the library on the real clock, as the program will run */
  store = dc_test_store_open (dir);
  member = new_member (store, fx->home->base.counter, "山田 太郎", "PC-01", FALSE);
  g_clear_pointer (&store, dc_store_free);
  pdf = g_build_filename (dir, "card.pdf", NULL);

  {
    const char *args[] = { "member", "card", "--store", dir, "--staff", "Ken", "--pin-fd", "3", "--member", member,
                           "--out", pdf, NULL };

    payload = dc_test_ctl_ok (ctl, args, NULL, COUNTER_PIN, NULL, NULL);
    g_strchomp (payload);
    g_assert_true (dc_card_is_payload (payload));
    assert_card_pdf (pdf, payload, member, "テスト店");
  }
  {
    const char *args[] = { "checkin", "--store", dir, "--staff", "Ken", "--pin-fd", "3", "--terminal", "PC-02",
                           "--card", payload, NULL };

    out = dc_test_ctl_ok (ctl, args, NULL, COUNTER_PIN, NULL, NULL);
    g_assert_nonnull (strstr (out, member));
    g_assert_nonnull (strstr (out, "PC-02"));
  }
  {
    /* the counter may not end a card; a manager may */
    const char *clerk[] = { "member", "lost", "--store", dir, "--staff", "Ken", "--passphrase-fd", "3",
                            "--member", member, NULL };
    const char *boss[] = { "member", "lost", "--store", dir, "--staff", "Hana", "--passphrase-fd", "3",
                           "--member", member, NULL };
    const char *in[] = { "checkin", "--store", dir, "--staff", "Ken", "--pin-fd", "3", "--terminal", "PC-03",
                         "--card", payload, NULL };
    const char *print[] = { "member", "card", "--store", dir, "--staff", "Ken", "--pin-fd", "3", "--member", member,
                            NULL };
    const char *reissue[] = { "member", "reissue", "--store", dir, "--staff", "Hana", "--passphrase-fd", "3",
                              "--member", member, NULL };
    const char *verify[] = { "verify", "--store", dir, NULL };

    dc_test_ctl (ctl, clerk, NULL, PASSPHRASE, NULL, NULL, &run);
    g_assert_cmpint (run.status, ==, 1);
    dc_test_run_clear (&run);
    g_free (dc_test_ctl_ok (ctl, boss, NULL, PASSPHRASE, NULL, NULL));
    dc_test_ctl (ctl, in, NULL, COUNTER_PIN, NULL, NULL, &run);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "lost"));
    dc_test_assert_human ("checkin --card", run.err);
    dc_test_run_clear (&run);
    dc_test_ctl (ctl, print, NULL, COUNTER_PIN, NULL, NULL, &run);
    g_assert_cmpint (run.status, ==, 1);
    dc_test_run_clear (&run);
    g_free (dc_test_ctl_ok (ctl, reissue, NULL, PASSPHRASE, NULL, NULL));
    g_free (out);
    out = dc_test_ctl_ok (ctl, print, NULL, COUNTER_PIN, NULL, NULL);
    g_assert_nonnull (strstr (out, ":2:"));
    g_free (dc_test_ctl_ok (ctl, verify, NULL, NULL, NULL, NULL));
  }
}

/* ---- the purge ---- */

static void
checkin_out_at (DcStore *store, DcActor *counter, const char *payload, gint64 *now, gint64 at)
{
  g_autoptr(GError) error = NULL;
  DcCheckinResult res = { 0 };

  *now = at;
  g_assert_true (dc_checkin_card (store, counter, payload, "PC-01", &res, &error));
  g_assert_no_error (error);
  dc_checkin_result_clear (&res);
  *now += G_USEC_PER_SEC * (gint64) 3600;
  g_assert_true (dc_checkout (store, counter, "PC-01", 0, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);
}

static void
purge (DcStore *store, gint64 *now, gint64 at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcPurgePlan) done = NULL;

  *now = at;
  g_assert_true (dc_purge_run (store, 0, &done, &error));
  g_assert_no_error (error);
}

static void
test_purge (gconstpointer data)
{
  const Fixtures *fx = data;
  g_autoptr(GError) error = NULL;
  gint64 now;
  g_autoptr(DcStore) store = fresh_store (fx->home, &now);
  DcActor *counter = fx->home->base.counter;
  DcActor *manager = fx->home->base.manager;
  g_autofree char *a = new_member (store, counter, "山田 太郎", "PC-01", FALSE);
  g_autofree char *b = new_member (store, counter, "佐藤 花子", "PC-01", FALSE);
  g_autofree char *c = new_member (store, counter, "鈴木 一郎", "PC-01", FALSE);
  g_autofree char *d = NULL, *pay_c = NULL;
  g_autoptr(DcVerifyReport) report = NULL;
  sqlite3 *h = dc_db_handle (dc_store_db (store));

  /* a: reissued then lost, all in 2026; c: back by card in 2027, card reissued in 2029 */
  g_assert_true (dc_card_reissue (store, manager, a, NULL, &error));
  g_assert_true (dc_card_report_lost (store, manager, a, &error));
  g_assert_no_error (error);
  pay_c = current_payload (store, counter, c);
  checkin_out_at (store, counter, pay_c, &now, dc_test_tokyo (2027, 1, 10, 12, 0));
  now = dc_test_tokyo (2029, 11, 25, 12, 0);
  g_assert_true (dc_card_reissue (store, manager, c, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sql_int (store, "SELECT count (*) FROM cards"), ==, 5);

  /* 2030-02: a and b go with their cards; c's records go but c stays with the card reissued
   * after the cutoff */
  purge (store, &now, dc_test_tokyo (2030, 2, 1, 12, 0));
  g_assert_cmpint (sql_int (store, "SELECT count (*) FROM customers"), ==, 1);
  g_assert_cmpint (sql_int (store, "SELECT count (*) FROM verifications"), ==, 0);
  g_assert_cmpint (sql_int (store, "SELECT count (*) FROM cards"), ==, 2);
  dc_test_assert_intact (store);

  /* 2033: c goes too */
  purge (store, &now, dc_test_tokyo (2033, 1, 1, 12, 0));
  g_assert_cmpint (sql_int (store, "SELECT count (*) FROM customers"), ==, 0);
  g_assert_cmpint (sql_int (store, "SELECT count (*) FROM cards"), ==, 0);
  dc_test_assert_intact (store);

  /* a card deleted outside Daicho is still caught */
  d = new_member (store, counter, "田中 次郎", "PC-01", FALSE);
  dc_db_allow_purge (dc_store_db (store), TRUE);
  dc_test_sql_exec (h, "DELETE FROM cards");
  dc_db_allow_purge (dc_store_db (store), FALSE);
  report = dc_test_verify (store);
  g_assert_cmpuint (report->problems->len, >, 0);
}

int
main (int argc, char **argv)
{
  Template home = { .what = "card", .operator_name = "株式会社テスト", .prefecture = "tokyo" };
  Template rival = { .what = "card-rival", .operator_name = "有限会社ライバル", .prefecture = "tokyo" };
  Template osaka = { .what = "card-osaka", .operator_name = "株式会社テスト", .prefecture = "osaka" };
  Fixtures fx = { &home, &rival, &osaka };
  int rc;

  g_setenv ("TZ", "America/New_York", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/card/payload/round-trip", &fx, test_round_trip);
  g_test_add_data_func ("/card/payload/refusals", &fx, test_refusals);
  g_test_add_data_func ("/card/life/reissue-lost-revoke", &fx, test_life);
  g_test_add_data_func ("/card/life/old-customer", &fx, test_card_for_old_customer);
  g_test_add_data_func ("/card/checkin", &fx, test_checkin_card);
  g_test_add_data_func ("/card/minor/tokyo-turns-18", &fx, test_minor_today);
  g_test_add_data_func ("/card/minor/osaka-bands", &fx, test_minor_today_osaka);
  g_test_add_data_func ("/card/minor/custom-curfew", &fx, test_minor_today_custom);
  g_test_add_data_func ("/card/pdf/zbarimg", &fx, test_pdf);
  g_test_add_data_func ("/card/cli", &fx, test_cli);
  g_test_add_data_func ("/card/purge", &fx, test_purge);

  rc = g_test_run ();
  dc_test_template_clear (&home.base);
  dc_test_template_clear (&rival.base);
  dc_test_template_clear (&osaka.base);
  return rc;
}
