/* tests/test-retention.c — the retention dates (ordinance.md §6), the purge cutoff, and closing visits left open. */
#include "dc-checkin.h"
#include "dc-date.h"
#include "dc-db-records.h"
#include "dc-retention.h"
#include "dc-test-util.h"

#include <locale.h>
#include <string.h>

#define PASSPHRASE  "correct horse battery"
#define PIN         "4321"
#define COUNTER_PIN "1111"
#define HOUR        (G_USEC_PER_SEC * (gint64) 3600)

/* ---- helpers ---- */

static GTimeZone *
zone (const char *id)
{
  GTimeZone *tz = g_time_zone_new_identifier (id);

  g_assert_nonnull (tz);
  return tz;
}

/* UTC µs of a wall-clock time in @tz, independently of the code under test. */
static gint64
wall (GTimeZone *tz, int y, int m, int d, int h, int mi, int s)
{
  g_autoptr(GDateTime) dt = g_date_time_new (tz, y, m, d, h, mi, s);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static char *
local_text (GTimeZone *tz, gint64 utc)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (utc / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (dt, tz);
  char *text = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");

  return g_strdup_printf ("%s+%06" G_GINT64_FORMAT, text, utc % G_USEC_PER_SEC);
}

/* ---- the dates ---- */

typedef struct {
  const char *zone;
  int         y, m, d, h, mi, s;   /* the service ended, store time */
  const char *keep_through;
  const char *purge_from;          /* local midnight that day */
} DateCase;

static const DateCase date_cases[] = {
  /* ordinance.md §6, the table */
  { "Asia/Tokyo", 2026, 11, 21, 14, 0, 0, "2029-11-21", "2029-11-22" },
  { "Asia/Tokyo", 2028, 2, 28, 12, 0, 0, "2031-02-28", "2031-03-01" },
  { "Asia/Tokyo", 2028, 2, 29, 12, 0, 0, "2031-02-28", "2031-03-01" },
  { "Asia/Tokyo", 2026, 12, 31, 23, 59, 0, "2029-12-31", "2030-01-01" },
  /* leap days: the period starts the next day (Civil Code art. 140, 143) */
  { "Asia/Tokyo", 2029, 2, 28, 18, 0, 0, "2032-02-29", "2032-03-01" },
  { "Asia/Tokyo", 2025, 2, 28, 18, 0, 0, "2028-02-29", "2028-03-01" },
  { "Asia/Tokyo", 2027, 2, 28, 18, 0, 0, "2030-02-28", "2030-03-01" },
  { "Asia/Tokyo", 2029, 3, 1, 9, 0, 0, "2032-03-01", "2032-03-02" },
  { "Asia/Tokyo", 2024, 2, 29, 23, 59, 59, "2027-02-28", "2027-03-01" },
  /* last days of months */
  { "Asia/Tokyo", 2026, 1, 31, 20, 0, 0, "2029-01-31", "2029-02-01" },
  { "Asia/Tokyo", 2026, 4, 30, 20, 0, 0, "2029-04-30", "2029-05-01" },
  { "Asia/Tokyo", 2026, 6, 30, 20, 0, 0, "2029-06-30", "2029-07-01" },
  { "Asia/Tokyo", 2027, 9, 30, 20, 0, 0, "2030-09-30", "2030-10-01" },
  { "Asia/Tokyo", 2026, 8, 31, 20, 0, 0, "2029-08-31", "2029-09-01" },
  /* the edges of a day, store time */
  { "Asia/Tokyo", 2026, 5, 31, 23, 59, 59, "2029-05-31", "2029-06-01" },
  { "Asia/Tokyo", 2026, 6, 1, 0, 0, 0, "2029-06-01", "2029-06-02" },
  { "Asia/Tokyo", 2026, 12, 31, 23, 59, 59, "2029-12-31", "2030-01-01" },
  { "Asia/Tokyo", 2027, 1, 1, 0, 0, 0, "2030-01-01", "2030-01-02" },
  /* a store in another zone: its own calendar day counts */
  { "America/New_York", 2026, 11, 21, 23, 30, 0, "2029-11-21", "2029-11-22" },
  { "America/New_York", 2026, 3, 8, 3, 30, 0, "2029-03-08", "2029-03-09" },     /* clocks sprang forward */
  { "America/New_York", 2026, 11, 1, 1, 30, 0, "2029-11-01", "2029-11-02" },    /* clocks fell back */
  { "America/New_York", 2028, 2, 29, 23, 59, 59, "2031-02-28", "2031-03-01" },
  { "UTC", 2026, 12, 31, 23, 59, 59, "2029-12-31", "2030-01-01" },
  { "UTC", 2028, 2, 28, 0, 0, 0, "2031-02-28", "2031-03-01" },
};

static void
test_dates (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (date_cases); i++)
    {
      const DateCase *c = &date_cases[i];
      g_autoptr(GTimeZone) tz = zone (c->zone);
      gint64 end = wall (tz, c->y, c->m, c->d, c->h, c->mi, c->s);
      GDate keep, purge_day;
      g_autofree char *keep_text = NULL;
      gint64 expected_from;

      g_test_message ("%s %04d-%02d-%02d %02d:%02d:%02d", c->zone, c->y, c->m, c->d, c->h, c->mi, c->s);
      dc_retention_keep_through (tz, end, &keep);
      keep_text = dc_date_to_iso (&keep);
      g_assert_cmpstr (keep_text, ==, c->keep_through);

      g_assert_true (dc_date_parse (c->purge_from, &purge_day, NULL));
      expected_from = wall (tz, g_date_get_year (&purge_day), g_date_get_month (&purge_day),
                            g_date_get_day (&purge_day), 0, 0, 0);
      g_assert_cmpint (dc_retention_purge_from (tz, end), ==, expected_from);
    }
}

/* The same instant in two stores: each counts its own calendar day. */
static void
test_dates_zone_decides (void)
{
  g_autoptr(GTimeZone) tokyo = zone ("Asia/Tokyo");
  g_autoptr(GTimeZone) new_york = zone ("America/New_York");
  gint64 end = wall (new_york, 2026, 11, 21, 23, 30, 0);   /* 2026-11-22 13:30 in Tokyo */
  GDate keep;
  g_autofree char *tokyo_text = NULL, *new_york_text = NULL;

  dc_retention_keep_through (tokyo, end, &keep);
  tokyo_text = dc_date_to_iso (&keep);
  dc_retention_keep_through (new_york, end, &keep);
  new_york_text = dc_date_to_iso (&keep);
  g_assert_cmpstr (tokyo_text, ==, "2029-11-22");
  g_assert_cmpstr (new_york_text, ==, "2029-11-21");
  g_assert_cmpint (dc_retention_purge_from (tokyo, end), ==, wall (tokyo, 2029, 11, 23, 0, 0, 0));
  g_assert_cmpint (dc_retention_purge_from (new_york, end), ==, wall (new_york, 2029, 11, 22, 0, 0, 0));
}

/* ---- the cutoff ---- */

typedef struct {
  int         y, m, d, h, mi, s;   /* now, Tokyo */
  int         cy, cm, cd;          /* the cutoff: Tokyo midnight of that day */
} CutoffCase;

static const CutoffCase cutoff_cases[] = {
  { 2029, 11, 22, 0, 0, 0, 2026, 11, 22 },    /* ended 2026-11-21 may go from this midnight */
  { 2029, 11, 21, 23, 59, 59, 2026, 11, 21 }, /* … and not a second earlier */
  { 2031, 3, 1, 0, 0, 0, 2028, 3, 1 },        /* ends of 28 and 29 February go together */
  { 2031, 2, 28, 23, 59, 59, 2028, 2, 28 },
  { 2032, 2, 29, 12, 0, 0, 2029, 2, 28 },     /* ended 2029-02-28 is kept through today */
  { 2032, 3, 1, 0, 0, 0, 2029, 3, 1 },
  { 2030, 1, 1, 0, 0, 0, 2027, 1, 1 },
};

static void
test_cutoff_examples (void)
{
  g_autoptr(GTimeZone) tz = zone ("Asia/Tokyo");

  for (guint i = 0; i < G_N_ELEMENTS (cutoff_cases); i++)
    {
      const CutoffCase *c = &cutoff_cases[i];
      gint64 now = wall (tz, c->y, c->m, c->d, c->h, c->mi, c->s);

      g_assert_cmpint (dc_retention_cutoff (tz, now), ==, wall (tz, c->cy, c->cm, c->cd, 0, 0, 0));
    }
}

/* The start of local day @day in @tz, computed without the code under test: the first
 * instant whose local date is @day, found by bisection between -36 h and +36 h of UTC midnight. */
static gint64
day_start_search (GTimeZone *tz, const GDate *day)
{
  g_autoptr(GDateTime) utc = g_date_time_new_utc (g_date_get_year (day), g_date_get_month (day),
                                                  g_date_get_day (day), 0, 0, 0);
  gint64 lo = (g_date_time_to_unix (utc) - 36 * 3600) * G_USEC_PER_SEC;
  gint64 hi = (g_date_time_to_unix (utc) + 36 * 3600) * G_USEC_PER_SEC;

  /* invariant: local day of lo < @day <= local day of hi */
  while (hi - lo > 1)
    {
      gint64 mid = lo + (hi - lo) / 2;
      GDate d;

      dc_date_from_instant (mid, tz, &d);
      if (g_date_compare (&d, day) < 0)
        lo = mid;
      else
        hi = mid;
    }
  return hi;
}

/* Day starts of a span of days, looked up by Julian day number. */
typedef struct {
  guint32 first_julian;
  GArray *starts;
} DayStarts;

static void
day_starts_init (DayStarts *ds, GTimeZone *tz, const GDate *first, const GDate *last)
{
  GDate day = *first;

  ds->first_julian = g_date_get_julian (first);
  ds->starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (; g_date_compare (&day, last) <= 0; g_date_add_days (&day, 1))
    {
      gint64 start = day_start_search (tz, &day);
      g_array_append_val (ds->starts, start);
    }
}

static gint64
day_start (const DayStarts *ds, const GDate *day)
{
  guint32 j = g_date_get_julian (day);

  g_assert_cmpuint (j, >=, ds->first_julian);
  g_assert_cmpuint (j - ds->first_julian, <, ds->starts->len);
  return g_array_index (ds->starts, gint64, j - ds->first_julian);
}

static gboolean
purgeable (GTimeZone *tz, gint64 end, gint64 now)
{
  return dc_retention_purge_from (tz, end) <= now;
}

/* Ends on the days around @cutoff (first and last moment, and noon of each): purgeable
 * at @now exactly when before the cutoff. */
static void
check_ends_near (GTimeZone *tz, const DayStarts *ds, gint64 now, gint64 cutoff)
{
  GDate day;

  dc_date_from_instant (cutoff, tz, &day);
  /* the cutoff is the start of a local day */
  g_assert_cmpint (cutoff, ==, day_start (ds, &day));
  g_date_subtract_days (&day, 2);
  for (guint k = 0; k < 5; k++, g_date_add_days (&day, 1))
    {
      GDate after = day;
      gint64 ends[3];

      g_date_add_days (&after, 1);
      ends[0] = day_start (ds, &day);
      ends[1] = ends[0] + 12 * HOUR;
      ends[2] = day_start (ds, &after) - 1;
      for (guint e = 0; e < G_N_ELEMENTS (ends); e++)
        if (purgeable (tz, ends[e], now) != (ends[e] < cutoff))
          {
            g_autofree char *now_text = local_text (tz, now);
            g_autofree char *end_text = local_text (tz, ends[e]);
            g_autofree char *cut_text = local_text (tz, cutoff);

            g_error ("now %s, end %s, cutoff %s: purgeable says %d", now_text, end_text, cut_text,
                     purgeable (tz, ends[e], now));
          }
    }
}

/* For every day of several years, at several moments of the day (DST days included in New
 * York): purge_from (end) <= now ⇔ end < cutoff. Checked directly for ends on the days
 * around the cutoff, and for all others by purge_from being non-decreasing in the end. */
static void
check_cutoff_property (GTimeZone *tz, const GDate *first, const GDate *last)
{
  DayStarts ds;
  GDate from = *first, to = *last, day;
  gint64 previous_from = G_MININT64;
  guint nows_checked = 0;

  g_date_subtract_years (&from, DC_RETENTION_YEARS + 1);
  g_date_add_days (&to, 2);
  day_starts_init (&ds, tz, &from, &to);

  /* as a function of the end, purge_from is constant within a day and non-decreasing */
  for (day = from; g_date_compare (&day, last) <= 0; g_date_add_days (&day, 1))
    {
      GDate next = day;
      gint64 start = day_start (&ds, &day);

      g_date_add_days (&next, 1);
      g_assert_cmpint (dc_retention_purge_from (tz, start), ==,
                       dc_retention_purge_from (tz, day_start (&ds, &next) - 1));
      g_assert_cmpint (dc_retention_purge_from (tz, start), >=, previous_from);
      previous_from = dc_retention_purge_from (tz, start);
    }

  for (day = *first; g_date_compare (&day, last) <= 0; g_date_add_days (&day, 1))
    {
      GDate next = day;
      gint64 start = day_start (&ds, &day), next_start;
      gint64 nows[6];

      g_date_add_days (&next, 1);
      next_start = day_start (&ds, &next);
      nows[0] = start;
      nows[1] = start + 1;
      nows[2] = start + 90 * 60 * (gint64) G_USEC_PER_SEC;       /* 01:30: twice on the day clocks fall back */
      nows[3] = start + 150 * 60 * (gint64) G_USEC_PER_SEC;      /* 02:30: skipped on the day they spring forward */
      nows[4] = start + 12 * HOUR;
      nows[5] = next_start - 1;
      for (guint i = 0; i < G_N_ELEMENTS (nows); i++, nows_checked++)
        check_ends_near (tz, &ds, nows[i], dc_retention_cutoff (tz, nows[i]));
    }
  g_assert_cmpuint (nows_checked, >=, 6 * 365 * 8);
  g_array_unref (ds.starts);
}

static void
test_cutoff_property (gconstpointer data)
{
  g_autoptr(GTimeZone) tz = zone (data);
  GDate first, last;

  /* nows over 2026–2033 (leap years 2028, 2032) cover ends over 2023–2030 (2024, 2028) */
  g_date_clear (&first, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&first, 1, 1, 2026);
  g_date_set_dmy (&last, 31, 12, 2033);
  check_cutoff_property (tz, &first, &last);
}

/* ---- visits left open ---- */

typedef struct {
  DcTestTemplate base;
} Template;

static void
template_ensure (Template *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) store = NULL;
  DcStoreSetup setup = {
    .name = "テスト店",
    .operator_name = "株式会社テスト",
    .prefecture = "tokyo",
    .manager = "Hana",
  };

  if (!dc_test_template_start (&t->base, "retention"))
    return;
  store = dc_test_store_create (t->base.dir, &setup, PASSPHRASE, PIN, NULL);
  t->base.manager = dc_store_sign_in_passphrase (store, "Hana", PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (store, t->base.manager, "Ken", "counter", COUNTER_PIN, NULL, NULL, &error));
  g_assert_no_error (error);
  dc_test_add_terminals (store, t->base.manager, 4, TRUE);
  t->base.counter = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
  g_assert_no_error (error);
}

static DcStore *
fresh_store (Template *t, gint64 *now)
{
  template_ensure (t);
  return dc_test_template_open (&t->base, now);
}

/* Customer @n (a person of their own) checks in on PC-0@n at *@now. */
static gint64
checkin (Template *t, DcStore *store, guint n)
{
  static const char *const names[] = { "山田 太郎", "佐藤 花子", "鈴木 次郎", "高橋 三郎" };
  g_autoptr(GError) error = NULL;
  g_autofree char *terminal = g_strdup_printf ("PC-%02u", n);
  DcCheckinRequest request = { .terminal = terminal, .internet = TRUE };
  DcCheckinResult result = { 0 };
  gint64 visit;

  g_assert_cmpuint (n, >=, 1);
  g_assert_cmpuint (n, <=, G_N_ELEMENTS (names));
  dc_test_identity_fill (&request.identity, 2035);
  request.identity.name = names[n - 1];
  g_date_set_dmy (&request.identity.dob, (GDateDay) n, 4, 1990);
  g_assert_true (dc_checkin (store, t->base.counter, &request, &result, &error));
  g_assert_no_error (error);
  visit = result.visit_id;
  dc_checkin_result_clear (&result);
  return visit;
}

static void
assert_visit (DcStore *store, gint64 visit_id, gint64 exited_at, const char *reason)
{
  g_autoptr(GError) error = NULL;
  DcVisitRow row = { 0 };
  gboolean found = FALSE;

  g_assert_true (dc_db_visit_get (dc_store_db (store), visit_id, &row, &found, &error));
  g_assert_no_error (error);
  g_assert_true (found);
  g_assert_cmpint (row.exited_at, ==, exited_at);
  g_assert_cmpstr (row.exit_reason, ==, reason);
  g_assert_cmpint (row.staff_out, ==, 0);
  dc_visit_row_clear (&row);
}

static guint
close_stale (DcStore *store)
{
  g_autoptr(GError) error = NULL;
  guint closed = 999;

  g_assert_true (dc_retention_close_stale (store, &closed, &error));
  g_assert_no_error (error);
  return closed;
}

/* Open 25 h, 24 h exactly and 23 h at the default limit of 24 h: only the first closes. */
static void
test_close_stale_default (gconstpointer data)
{
  Template *t = (Template *) data;
  gint64 now = dc_test_tokyo (2026, 3, 10, 12, 0);
  gint64 base = now;
  g_autoptr(DcStore) store = fresh_store (t, &now);
  gint64 v25, v24, v23, v_done, session;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (dc_store_get_setting (store, DC_SETTING_AUTO_CLOSE_HOURS), ==, 24);
  now = base - 25 * HOUR;
  v25 = checkin (t, store, 1);
  now = base - 24 * HOUR;
  v24 = checkin (t, store, 2);
  now = base - 23 * HOUR;
  v23 = checkin (t, store, 3);
  now = base - 30 * HOUR;
  v_done = checkin (t, store, 4);
  now = base - 29 * HOUR;
  g_assert_true (dc_checkout (store, t->base.counter, "PC-04", 0, DC_EXIT_STAFF, &error));
  g_assert_no_error (error);

  now = base;
  g_assert_cmpuint (close_stale (store), ==, 1);
  assert_visit (store, v25, base, "auto");
  assert_visit (store, v24, 0, NULL);
  assert_visit (store, v23, 0, NULL);
  /* the visit checked out earlier is untouched */
  g_assert_cmpint (dc_test_db_int (store, "SELECT exited_at FROM visits WHERE id = ?", v_done), ==, base - 29 * HOUR);
  g_assert_cmpint (dc_test_db_int (store, "SELECT count (*) FROM visits WHERE id = ? AND exit_reason = 'staff'", v_done), ==, 1);

  /* its session ended then too; the others are still open */
  session = dc_test_db_int (store, "SELECT id FROM terminal_sessions WHERE visit_id = ?", v25);
  g_assert_cmpint (dc_test_db_int (store, "SELECT ended_at FROM terminal_sessions WHERE id = ?", session), ==, base);
  g_assert_cmpint (dc_test_db_int (store, "SELECT count (*) FROM terminal_sessions WHERE ended_at IS NULL AND ? = 0", 0), ==, 2);

  /* audited as the system, one entry per changed row */
  g_assert_cmpint (dc_test_db_int (store, "SELECT count (*) FROM audit WHERE action = 'auto-close'"
                                 " AND coalesce (staff_id, 0) = ?", 0), ==, 2);
  g_assert_cmpint (dc_test_db_int (store, "SELECT count (*) FROM audit WHERE action = 'auto-close' AND subject_table = 'visits'"
                                 " AND subject_id = ?", v25), ==, 1);
  g_assert_cmpint (dc_test_db_int (store, "SELECT count (*) FROM audit WHERE action = 'auto-close'"
                                 " AND subject_table = 'terminal_sessions' AND subject_id = ?", session), ==, 1);

  /* nothing more to do at once; a second later the one open 24 h goes */
  g_assert_cmpuint (close_stale (store), ==, 0);
  now = base + 1;
  g_assert_cmpuint (close_stale (store), ==, 1);
  assert_visit (store, v24, base + 1, "auto");
  assert_visit (store, v23, 0, NULL);

  /* the customer closed automatically can come back */
  now = base + HOUR;
  checkin (t, store, 1);
  dc_test_assert_intact (store);
}

/* The limit is the store's setting: at 48 h a visit open 25 h stays. */
static void
test_close_stale_setting (gconstpointer data)
{
  Template *t = (Template *) data;
  gint64 now = dc_test_tokyo (2026, 3, 10, 12, 0);
  gint64 base = now;
  g_autoptr(DcStore) store = fresh_store (t, &now);
  g_autoptr(GError) error = NULL;
  gint64 v25, v47;

  g_assert_true (dc_store_set_setting (store, t->base.manager, DC_SETTING_AUTO_CLOSE_HOURS, 48, &error));
  g_assert_no_error (error);
  now = base - 25 * HOUR;
  v25 = checkin (t, store, 1);
  now = base - 47 * HOUR;
  v47 = checkin (t, store, 2);

  now = base;
  g_assert_cmpuint (close_stale (store), ==, 0);
  assert_visit (store, v25, 0, NULL);
  assert_visit (store, v47, 0, NULL);

  now = base + HOUR + 1;   /* 48 h and a µs */
  g_assert_cmpuint (close_stale (store), ==, 1);
  assert_visit (store, v47, now, "auto");
  assert_visit (store, v25, 0, NULL);

  /* back to 24 h: the 26-hour visit goes */
  g_assert_true (dc_store_set_setting (store, t->base.manager, DC_SETTING_AUTO_CLOSE_HOURS, 24, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (close_stale (store), ==, 1);
  assert_visit (store, v25, now, "auto");
  dc_test_assert_intact (store);
}

/* No open visit: nothing is written, not even an audit entry. */
static void
test_close_stale_nothing (gconstpointer data)
{
  Template *t = (Template *) data;
  gint64 now = dc_test_tokyo (2026, 3, 10, 12, 0);
  g_autoptr(DcStore) store = fresh_store (t, &now);
  gint64 entries = dc_test_db_int (store, "SELECT count (*) FROM audit WHERE ? = 0", 0);

  g_assert_cmpuint (close_stale (store), ==, 0);
  g_assert_cmpint (dc_test_db_int (store, "SELECT count (*) FROM audit WHERE ? = 0", 0), ==, entries);
}

int
main (int argc, char **argv)
{
  Template t = { 0 };
  int rc;

  setlocale (LC_ALL, "");
  g_setenv ("TZ", "Europe/London", TRUE);   /* the store's zone decides, never the machine's */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/retention/dates/table", test_dates);
  g_test_add_func ("/retention/dates/zone-decides", test_dates_zone_decides);
  g_test_add_func ("/retention/cutoff/examples", test_cutoff_examples);
  g_test_add_data_func ("/retention/cutoff/property/tokyo", "Asia/Tokyo", test_cutoff_property);
  g_test_add_data_func ("/retention/cutoff/property/utc", "UTC", test_cutoff_property);
  g_test_add_data_func ("/retention/cutoff/property/new-york", "America/New_York", test_cutoff_property);
  g_test_add_data_func ("/retention/close-stale/default", &t, test_close_stale_default);
  g_test_add_data_func ("/retention/close-stale/setting", &t, test_close_stale_setting);
  g_test_add_data_func ("/retention/close-stale/nothing", &t, test_close_stale_nothing);

  rc = g_test_run ();
  dc_test_template_clear (&t.base);
  return rc;
}
