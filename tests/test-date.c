/* tests/test-date.c — the date parser, 和暦, ages, retention arithmetic, instants and a parser fuzz. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dc-date.h"
#include "dc-error.h"

/* Builds a GDate from "YYYY-MM-DD" without the parser under test. */
static void
date_from_iso (const char *iso,
               GDate      *out)
{
  guint y, m, d;

  g_assert_cmpint (sscanf (iso, "%u-%u-%u", &y, &m, &d), ==, 3);
  g_assert_true (g_date_valid_dmy (d, m, y));
  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
}

static void
assert_date_is (const GDate *date,
                const char  *iso)
{
  g_autofree char *got = dc_date_to_iso (date);

  g_assert_cmpstr (got, ==, iso);
}

static GTimeZone *
zone (const char *id)
{
  GTimeZone *tz = g_time_zone_new_identifier (id);

  g_assert_nonnull (tz);
  return tz;
}

/* ---- dc_date_parse: accepted ---- */

typedef struct
{
  const char *input;
  const char *iso;
} AcceptCase;

static const AcceptCase accept_cases[] = {
  /* 西暦 */
  { "1990-04-01", "1990-04-01" },
  { "19900401", "1990-04-01" },
  { "1990/4/1", "1990-04-01" },
  { "1990/04/01", "1990-04-01" },
  { "1990.4.1", "1990-04-01" },
  { "1990年4月1日", "1990-04-01" },
  { "1990年4月1", "1990-04-01" },
  { "1990 年 4 月 1 日", "1990-04-01" },
  { "  1990-04-01\t\n", "1990-04-01" },
  { "１９９０－０４－０１", "1990-04-01" },
  { "１９９０／４／１", "1990-04-01" },
  { "１９９０．４．１", "1990-04-01" },
  { "１９９０年４月１日", "1990-04-01" },
  { "1990ー4ー1", "1990-04-01" },
  { "1990−4−1", "1990-04-01" },
  { "　1990-04-01　", "1990-04-01" },
  { "2024-02-29", "2024-02-29" },
  { "2000-02-29", "2000-02-29" },
  { "1868-01-01", "1868-01-01" },
  { "9999-12-31", "9999-12-31" },
  { "2026-12-31", "2026-12-31" },
  /* 和暦 as on licences and forms */
  { "H2.4.1", "1990-04-01" },
  { "H02.04.01", "1990-04-01" },
  { "h2/4/1", "1990-04-01" },
  { "H2-4-1", "1990-04-01" },
  { "H2年4月1日", "1990-04-01" },
  { "平成2年4月1日", "1990-04-01" },
  { "平成02年04月01日", "1990-04-01" },
  { "平2.4.1", "1990-04-01" },
  { "平成 2年 4月 1日", "1990-04-01" },
  { "平成　２年　４月　１日", "1990-04-01" },
  { " H 2 . 4 . 1 ", "1990-04-01" },
  { "Ｈ２．４．１", "1990-04-01" },
  { "ｈ2.4.1", "1990-04-01" },
  { "㍻2年4月1日", "1990-04-01" },
  { "令和元年5月1日", "2019-05-01" },
  { "㋿元年5月1日", "2019-05-01" },
  { "R1.5.1", "2019-05-01" },
  { "R元.5.1", "2019-05-01" },
  { "r01.05.01", "2019-05-01" },
  { "令元.5.1", "2019-05-01" },
  { "R8.3.4", "2026-03-04" },
  { "R6.2.29", "2024-02-29" },
  { "R5.2.28", "2023-02-28" },
  { "S63.12.31", "1988-12-31" },
  { "昭和40年1月1日", "1965-01-01" },
  { "T10.1.1", "1921-01-01" },
  { "M40.1.1", "1907-01-01" },
  /* the real edges of each era, from both sides */
  { "明治元年10月23日", "1868-10-23" },
  { "M1.10.23", "1868-10-23" },
  { "明治45年7月29日", "1912-07-29" },
  { "M45.7.29", "1912-07-29" },
  { "大正元年7月30日", "1912-07-30" },
  { "T1.7.30", "1912-07-30" },
  { "大正15年12月24日", "1926-12-24" },
  { "T15.12.24", "1926-12-24" },
  { "昭和元年12月25日", "1926-12-25" },
  { "S1.12.25", "1926-12-25" },
  { "昭和64年1月7日", "1989-01-07" },
  { "S64.1.7", "1989-01-07" },
  { "平成元年1月8日", "1989-01-08" },
  { "H1.1.8", "1989-01-08" },
  { "平成31年4月30日", "2019-04-30" },
  { "H31.4.30", "2019-04-30" },
  { "令和元年5月1日", "2019-05-01" },
  { "R99.12.31", "2117-12-31" },
  { "R100.1.1", "2118-01-01" },
  { "R7981.12.31", "9999-12-31" },
};

static void
test_parse_accepts (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (accept_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      GDate date;

      g_test_message ("%s", accept_cases[i].input);
      g_assert_true (dc_date_parse (accept_cases[i].input, &date, &error));
      g_assert_no_error (error);
      g_assert_true (g_date_valid (&date));
      assert_date_is (&date, accept_cases[i].iso);
    }
}

/* ---- dc_date_parse: refused, with a message that says why ---- */

typedef struct
{
  const char *input;
  const char *why;  /* a piece of the message */
} RefuseCase;

#define UNREADABLE "type it like"
#define HEISEI "Heisei ran from 8 Jan 1989 to 30 Apr 2019"
#define SHOWA "Showa ran from 25 Dec 1926 to 7 Jan 1989"
#define TAISHO "Taisho ran from 30 Jul 1912 to 24 Dec 1926"
#define MEIJI "Meiji ran from 23 Oct 1868 to 29 Jul 1912"
#define REIWA "Reiwa began on 1 May 2019"

static const RefuseCase refuse_cases[] = {
  { "", "Enter a date" },
  { "   ", "Enter a date" },
  { "　", "Enter a date" },
  /* outside the era, both sides of each edge */
  { "平成31年5月1日", HEISEI },
  { "H31.5.1", HEISEI },
  { "平成元年1月7日", HEISEI },
  { "H1.1.7", HEISEI },
  { "平成0年1月8日", HEISEI },
  { "H0.5.1", HEISEI },
  { "H99.1.1", HEISEI },
  { "昭和64年1月8日", SHOWA },
  { "S64.1.8", SHOWA },
  { "昭和元年12月24日", SHOWA },
  { "S1.12.24", SHOWA },
  { "S0.12.25", SHOWA },
  { "大正15年12月25日", TAISHO },
  { "T15.12.25", TAISHO },
  { "大正元年7月29日", TAISHO },
  { "T1.7.29", TAISHO },
  { "明治45年7月30日", MEIJI },
  { "M45.7.30", MEIJI },
  { "明治元年10月22日", MEIJI },
  { "M1.1.1", MEIJI },
  { "令和元年4月30日", REIWA },
  { "R1.4.30", REIWA },
  { "R元.4.30", REIWA },
  { "令和0年5月1日", REIWA },
  { "R0.12.31", REIWA },
  /* days that do not exist */
  { "2023-02-29", "has no day 29" },
  { "20230229", "has no day 29" },
  { "1900-02-29", "has no day 29" },
  { "1990-04-31", "has no day 31" },
  { "1990-04-00", "has no day 0" },
  { "1990-13-01", "no month 13" },
  { "1990-00-10", "no month 0" },
  { "R5.2.29", "has no day 29" },
  { "H31.2.29", "has no day 29" },
  { "平成2年2月30日", "has no day 30" },
  /* years out of range */
  { "1867-12-31", "between 1868 and 9999" },
  { "0001-01-01", "between 1868 and 9999" },
  { "00000000", "between 1868 and 9999" },
  { "10000-01-01", UNREADABLE },
  { "100000101", UNREADABLE },
  /* not a date */
  { "1990-04-01x", UNREADABLE },
  { "x1990-04-01", UNREADABLE },
  { "1990-04-01 12", UNREADABLE },
  { "1990-04-01日", UNREADABLE },
  { "1990-4/1", UNREADABLE },
  { "1990--4-1", UNREADABLE },
  { "1990-4-1-", UNREADABLE },
  { "90-4-1", UNREADABLE },
  { "990401", UNREADABLE },
  { "1990 4 1", UNREADABLE },
  { "1990 04 01", UNREADABLE },
  { "1990-004-01", UNREADABLE },
  { "1990年4月", UNREADABLE },
  { "1990年元月1日", UNREADABLE },
  { "元年4月1日", UNREADABLE },
  { "H2.4", UNREADABLE },
  { "H2.4.1.5", UNREADABLE },
  { "H123.4.1", HEISEI },
  { "H12345.4.1", UNREADABLE },
  { "R7982.1.1", "between 1868 and 9999" },
  { "H2年4.1", UNREADABLE },
  { "HH2.4.1", UNREADABLE },
  { "X2.4.1", UNREADABLE },
  { "平成2年4月1日生", UNREADABLE },
  { "2024-02-29T00:00", UNREADABLE },
  { "H2.4.1 14:00", UNREADABLE },
  { "２٣٣٣-01-01", UNREADABLE },
  { "\xff\xfe", UNREADABLE },
  { "1990-04-0\xe3", UNREADABLE },
  { "today", UNREADABLE },
};

static void
test_parse_refuses (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (refuse_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      GDate date;

      g_test_message ("%s", refuse_cases[i].input);
      g_assert_false (dc_date_parse (refuse_cases[i].input, &date, &error));
      g_assert_error (error, DC_ERROR, DC_ERROR_INVALID_DATE);
      g_assert_nonnull (strstr (error->message, refuse_cases[i].why));
    }
}

/* ---- 和暦 output ---- */

static void
test_to_wareki (void)
{
  static const AcceptCase cases[] = {
    { "令和元年5月1日", "2019-05-01" },
    { "令和8年3月4日", "2026-03-04" },
    { "平成2年4月1日", "1990-04-01" },
    { "平成31年4月30日", "2019-04-30" },
    { "平成元年1月8日", "1989-01-08" },
    { "昭和64年1月7日", "1989-01-07" },
    { "昭和元年12月25日", "1926-12-25" },
    { "大正15年12月24日", "1926-12-24" },
    { "大正元年7月30日", "1912-07-30" },
    { "明治45年7月29日", "1912-07-29" },
    { "明治元年10月23日", "1868-10-23" },
    { "1868-10-22", "1868-10-22" },  /* before 明治: ISO */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *wareki = NULL;
      GDate date;

      date_from_iso (cases[i].iso, &date);
      wareki = dc_date_to_wareki (&date);
      g_assert_cmpstr (wareki, ==, cases[i].input);
    }
}

/* ---- ages ---- */

typedef struct
{
  const char *dob;
  const char *on;
  guint       age;
} AgeCase;

static void
test_age_on (void)
{
  static const AgeCase cases[] = {
    { "2008-02-29", "2026-02-28", 17 },
    { "2008-02-29", "2026-03-01", 18 },  /* 2026 is a common year */
    { "2008-02-29", "2024-02-28", 15 },
    { "2008-02-29", "2024-02-29", 16 },  /* 2024 is a leap year */
    { "2008-02-29", "2028-02-29", 20 },
    { "2008-02-29", "2008-02-29", 0 },
    { "2008-11-21", "2026-11-20", 17 },
    { "2008-11-21", "2026-11-21", 18 },
    { "2008-03-01", "2026-02-28", 17 },
    { "2008-03-01", "2026-03-01", 18 },
    { "2007-12-31", "2025-12-30", 17 },
    { "2007-12-31", "2025-12-31", 18 },
    { "2008-01-01", "2025-12-31", 17 },
    { "2008-01-01", "2026-01-01", 18 },
    { "2008-02-28", "2026-02-27", 17 },
    { "2008-02-28", "2026-02-28", 18 },
    { "2008-11-21", "2000-01-01", 0 },   /* not born yet */
    { "1926-12-25", "2026-12-25", 100 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate dob, on;

      date_from_iso (cases[i].dob, &dob);
      date_from_iso (cases[i].on, &on);
      g_test_message ("%s on %s", cases[i].dob, cases[i].on);
      g_assert_cmpuint (dc_date_age_on (&dob, &on), ==, cases[i].age);
    }
}

typedef struct
{
  const char *from;
  guint       years;
  const char *expect;
} YearsCase;

static void
test_turns (void)
{
  static const YearsCase cases[] = {
    { "2008-02-29", 18, "2026-03-01" },
    { "2008-02-29", 16, "2024-02-29" },
    { "2008-02-29", 20, "2028-02-29" },
    { "2004-02-29", 18, "2022-03-01" },
    { "2008-11-21", 18, "2026-11-21" },
    { "2007-02-28", 18, "2025-02-28" },
    { "2008-12-31", 18, "2026-12-31" },
    { "2008-11-21", 0, "2008-11-21" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate dob, turns;

      date_from_iso (cases[i].from, &dob);
      dc_date_turns (&dob, cases[i].years, &turns);
      assert_date_is (&turns, cases[i].expect);
    }
}

/* For every birthday over four years and every age up to 20, the age is reached on the
 * day dc_date_turns says and not the day before. */
static void
test_age_agrees_with_turns (void)
{
  GDate dob;

  date_from_iso ("2004-01-01", &dob);
  for (guint d = 0; d < 4 * 366; d++, g_date_add_days (&dob, 1))
    for (guint years = 1; years <= 20; years++)
      {
        GDate turns, eve;

        dc_date_turns (&dob, years, &turns);
        eve = turns;
        g_date_subtract_days (&eve, 1);
        g_assert_cmpuint (dc_date_age_on (&dob, &turns), ==, years);
        g_assert_cmpuint (dc_date_age_on (&dob, &eve), ==, years - 1);
      }
}

/* ---- retention: ordinance.md §6 ---- */

static void
test_keep_through (void)
{
  static const YearsCase cases[] = {
    /* the table in ordinance.md §6 */
    { "2026-11-21", 3, "2029-11-21" },
    { "2028-02-28", 3, "2031-02-28" },
    { "2028-02-29", 3, "2031-02-28" },
    { "2026-12-31", 3, "2029-12-31" },
    /* more */
    { "2027-02-28", 3, "2030-02-28" },
    { "2027-01-31", 3, "2030-01-31" },
    { "2029-02-28", 3, "2032-02-29" },  /* starts 2029-03-01; 2032-03-01 less a day */
    { "2029-02-27", 3, "2032-02-27" },
    { "2028-02-28", 4, "2032-02-28" },  /* starts 2028-02-29, which 2032 has */
    { "2028-02-29", 4, "2032-02-29" },
    { "2028-01-31", 3, "2031-01-31" },
    { "2026-04-30", 3, "2029-04-30" },
    { "2026-05-31", 3, "2029-05-31" },
    { "2026-06-30", 3, "2029-06-30" },
    { "2026-01-01", 3, "2029-01-01" },
    { "2026-11-21", 1, "2027-11-21" },
    { "2026-01-01", 1, "2027-01-01" },
    { "2027-12-31", 1, "2028-12-31" },
    { "2027-02-28", 1, "2028-02-29" },
    { "2028-02-28", 1, "2029-02-28" },
    { "2028-02-29", 1, "2029-02-28" },
    { "2031-02-28", 1, "2032-02-29" },
    { "2027-03-31", 1, "2028-03-31" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate end, keep;

      date_from_iso (cases[i].from, &end);
      g_test_message ("%s + %u", cases[i].from, cases[i].years);
      dc_date_keep_through (&end, cases[i].years, &keep);
      assert_date_is (&keep, cases[i].expect);
    }
}

/* Over four years of end days: the period always ends on the same day of the month,
 * the day after it or the end of February, and a later end is never kept less long. */
static void
test_keep_through_monotonic (void)
{
  GDate end, previous;

  date_from_iso ("2026-01-01", &end);
  g_date_clear (&previous, 1);
  for (guint d = 0; d < 4 * 366; d++, g_date_add_days (&end, 1))
    {
      GDate keep, same;

      dc_date_keep_through (&end, 3, &keep);
      g_assert_cmpuint (g_date_get_year (&keep), ==, g_date_get_year (&end) + 3);
      if (g_date_valid (&previous))
        g_assert_cmpint (g_date_compare (&keep, &previous), >=, 0);
      previous = keep;
      if (g_date_valid_dmy (g_date_get_day (&end), g_date_get_month (&end),
                            g_date_get_year (&keep)))
        {
          g_date_clear (&same, 1);
          g_date_set_dmy (&same, g_date_get_day (&end), g_date_get_month (&end),
                          g_date_get_year (&keep));
          g_assert_cmpint (g_date_days_between (&same, &keep), >=, 0);
          g_assert_cmpint (g_date_days_between (&same, &keep), <=, 1);
        }
    }
}

/* ---- instants ---- */

#define S(secs) ((gint64) (secs) * G_USEC_PER_SEC)

static void
assert_instant_day (gint64      utc_us,
                    GTimeZone  *tz,
                    const char *iso)
{
  GDate date;

  dc_date_from_instant (utc_us, tz, &date);
  assert_date_is (&date, iso);
}

static void
test_instant_tokyo (void)
{
  g_autoptr(GTimeZone) tz = zone ("Asia/Tokyo");
  GDate day;

  date_from_iso ("2026-03-04", &day);
  g_assert_cmpint (dc_date_start_instant (&day, tz), ==, S (1772550000));
  assert_instant_day (S (1772550000), tz, "2026-03-04");
  assert_instant_day (S (1772550000) - 1, tz, "2026-03-03");
  g_assert_cmpuint (dc_time_minute_of_day (S (1772550000), tz), ==, 0);
  g_assert_cmpuint (dc_time_minute_of_day (S (1772550000) - 1, tz), ==, 1439);
  g_assert_cmpuint (dc_time_minute_of_day (S (1772550000 + 14 * 3600 + 32 * 60 + 59), tz),
                    ==, 14 * 60 + 32);
}

static void
test_instant_utc_epoch (void)
{
  g_autoptr(GTimeZone) tz = zone ("UTC");
  g_autofree char *iso = NULL;
  GDate day;

  date_from_iso ("1970-01-01", &day);
  g_assert_cmpint (dc_date_start_instant (&day, tz), ==, 0);
  assert_instant_day (-1, tz, "1969-12-31");
  g_assert_cmpuint (dc_time_minute_of_day (-1, tz), ==, 1439);
  iso = dc_time_to_iso (-1, tz);
  g_assert_cmpstr (iso, ==, "1969-12-31T23:59:59+00:00");
}

static void
test_instant_new_york_dst (void)
{
  g_autoptr(GTimeZone) tz = zone ("America/New_York");
  GDate day;

  /* 2026-03-08: clocks go from 02:00 EST to 03:00 EDT at 07:00Z. */
  date_from_iso ("2026-03-08", &day);
  g_assert_cmpint (dc_date_start_instant (&day, tz), ==, S (1772946000));
  date_from_iso ("2026-03-09", &day);
  g_assert_cmpint (dc_date_start_instant (&day, tz), ==, S (1773028800));
  g_assert_cmpuint (dc_time_minute_of_day (S (1772953200) - 1, tz), ==, 1 * 60 + 59);
  g_assert_cmpuint (dc_time_minute_of_day (S (1772953200), tz), ==, 3 * 60);
  assert_instant_day (S (1772946000) - 1, tz, "2026-03-07");
  assert_instant_day (S (1772946000), tz, "2026-03-08");

  /* 2026-11-01: clocks go back from 02:00 EDT to 01:00 EST at 06:00Z; 01:30 twice. */
  date_from_iso ("2026-11-01", &day);
  g_assert_cmpint (dc_date_start_instant (&day, tz), ==, S (1793505600));
  date_from_iso ("2026-11-02", &day);
  g_assert_cmpint (dc_date_start_instant (&day, tz), ==, S (1793595600));
  g_assert_cmpuint (dc_time_minute_of_day (S (1793505600 + 90 * 60), tz), ==, 90);
  g_assert_cmpuint (dc_time_minute_of_day (S (1793505600 + 150 * 60), tz), ==, 90);
}

/* America/Santiago moves its clocks at midnight: 2023-09-03 has no 00:00 and begins
 * at 01:00 (04:00Z). */
static void
test_instant_midnight_gap (void)
{
  g_autoptr(GTimeZone) tz = zone ("America/Santiago");
  GDate day;

  date_from_iso ("2023-09-03", &day);
  g_assert_cmpint (dc_date_start_instant (&day, tz), ==, S (1693713600));
  assert_instant_day (S (1693713600) - 1, tz, "2023-09-02");
  assert_instant_day (S (1693713600), tz, "2023-09-03");
  g_assert_cmpuint (dc_time_minute_of_day (S (1693713600), tz), ==, 60);
}

/* In every test zone, each day of 2023–2026 starts at an instant that falls on that
 * day, one second after an instant on the day before. */
static void
test_instant_every_day (void)
{
  static const char *zones[] = { "Asia/Tokyo", "America/New_York", "America/Santiago", "UTC" };

  for (gsize z = 0; z < G_N_ELEMENTS (zones); z++)
    {
      g_autoptr(GTimeZone) tz = zone (zones[z]);
      GDate day;

      date_from_iso ("2023-01-01", &day);
      for (guint d = 0; d < 4 * 365; d++, g_date_add_days (&day, 1))
        {
          gint64 start = dc_date_start_instant (&day, tz);
          GDate got, before, eve;

          dc_date_from_instant (start, tz, &got);
          dc_date_from_instant (start - G_USEC_PER_SEC, tz, &before);
          eve = day;
          g_date_subtract_days (&eve, 1);
          g_assert_cmpint (g_date_compare (&got, &day), ==, 0);
          g_assert_cmpint (g_date_compare (&before, &eve), ==, 0);
        }
    }
}

/* ---- dc_time_parse ---- */

typedef struct
{
  const char *input;
  const char *zone;
  const char *utc;  /* expected instant as UTC ISO, NULL when refused */
} TimeCase;

static const TimeCase time_cases[] = {
  { "2026-03-04 14:32", "Asia/Tokyo", "2026-03-04T05:32:00+00:00" },
  { "2026-03-04 14:32:10", "Asia/Tokyo", "2026-03-04T05:32:10+00:00" },
  { "2026-03-04T14:32", "Asia/Tokyo", "2026-03-04T05:32:00+00:00" },
  { "2026/3/4 14:32", "Asia/Tokyo", "2026-03-04T05:32:00+00:00" },
  { "2026/3/4  9:05", "Asia/Tokyo", "2026-03-04T00:05:00+00:00" },
  { "２０２６／３／４　１４：３２", "Asia/Tokyo", "2026-03-04T05:32:00+00:00" },
  { "R8.3.4 14:32", "Asia/Tokyo", "2026-03-04T05:32:00+00:00" },
  { "令和8年3月4日 14:32", "Asia/Tokyo", "2026-03-04T05:32:00+00:00" },
  { "2026-03-04", "Asia/Tokyo", "2026-03-03T15:00:00+00:00" },
  { " 2026-03-04 00:00 ", "Asia/Tokyo", "2026-03-03T15:00:00+00:00" },
  { "2026-03-04 23:59:59", "Asia/Tokyo", "2026-03-04T14:59:59+00:00" },
  { "2026-03-04 14:32", "America/New_York", "2026-03-04T19:32:00+00:00" },
  /* an offset or Z wins over the zone */
  { "2026-03-04T14:32:10+09:00", "America/New_York", "2026-03-04T05:32:10+00:00" },
  { "2026-03-04T05:32:10Z", "America/New_York", "2026-03-04T05:32:10+00:00" },
  { "2026-03-04T05:32:10z", "Asia/Tokyo", "2026-03-04T05:32:10+00:00" },
  { "2026-03-04 14:32 +0900", "UTC", "2026-03-04T05:32:00+00:00" },
  { "2026-03-04T00:32:10-05:00", "Asia/Tokyo", "2026-03-04T05:32:10+00:00" },
  { "2026-03-04T14:32:10+09", "UTC", "2026-03-04T05:32:10+00:00" },
  { "2026-03-04T14:32:10.75+09:00", "UTC", "2026-03-04T05:32:10+00:00" },
  /* New York clock changes: 02:30 never happens, 01:30 happens twice (the first) */
  { "2026-03-08 02:30", "America/New_York", NULL },
  { "2026-03-08 03:00", "America/New_York", "2026-03-08T07:00:00+00:00" },
  { "2026-03-08 01:59", "America/New_York", "2026-03-08T06:59:00+00:00" },
  { "2026-11-01 01:30", "America/New_York", "2026-11-01T05:30:00+00:00" },
  { "2026-03-08", "America/New_York", "2026-03-08T05:00:00+00:00" },
  /* refused */
  { "2026-03-04 25:00", "Asia/Tokyo", NULL },
  { "2026-03-04 24:00", "Asia/Tokyo", NULL },
  { "2026-03-04 14:60", "Asia/Tokyo", NULL },
  { "2026-03-04 14:32:60", "Asia/Tokyo", NULL },
  { "2026-02-30 10:00", "Asia/Tokyo", NULL },
  { "2026-03-04 14", "Asia/Tokyo", NULL },
  { "2026-03-04 14:3", "Asia/Tokyo", NULL },
  { "2026-03-04 14:320", "Asia/Tokyo", NULL },
  { "2026-03-04 114:32", "Asia/Tokyo", NULL },
  { "2026-03-0414:32", "Asia/Tokyo", NULL },
  { "2026-03-04 14:32 junk", "Asia/Tokyo", NULL },
  { "2026-03-04 14:32+25:00", "Asia/Tokyo", NULL },
  { "2026-03-04 14:32:10.1234567", "Asia/Tokyo", NULL },
  { "14:32", "Asia/Tokyo", NULL },
  { ":", "Asia/Tokyo", NULL },
  { "garbage", "Asia/Tokyo", NULL },
  { "", "Asia/Tokyo", NULL },
  { "\xff 14:32", "Asia/Tokyo", NULL },
  { "9999-12-31 23:00-05:00", "UTC", NULL },
};

static void
test_time_parse (void)
{
  g_autoptr(GTimeZone) utc = zone ("UTC");

  for (gsize i = 0; i < G_N_ELEMENTS (time_cases); i++)
    {
      g_autoptr(GTimeZone) tz = zone (time_cases[i].zone);
      g_autoptr(GError) error = NULL;
      gint64 us = 0;
      gboolean ok;

      g_test_message ("%s in %s", time_cases[i].input, time_cases[i].zone);
      ok = dc_time_parse (time_cases[i].input, tz, &us, &error);
      if (time_cases[i].utc == NULL)
        {
          g_assert_false (ok);
          g_assert_error (error, DC_ERROR, DC_ERROR_INVALID_DATE);
        }
      else
        {
          g_autofree char *got = NULL;

          g_assert_no_error (error);
          g_assert_true (ok);
          got = dc_time_to_iso (us, utc);
          g_assert_cmpstr (got, ==, time_cases[i].utc);
        }
    }
}

static void
test_time_fraction (void)
{
  g_autoptr(GTimeZone) tz = zone ("UTC");
  gint64 us = 0;

  g_assert_true (dc_time_parse ("2026-03-04T05:32:10.75Z", tz, &us, NULL));
  g_assert_cmpint (us % G_USEC_PER_SEC, ==, 750000);
  g_assert_true (dc_time_parse ("2026-03-04T05:32:10.000001Z", tz, &us, NULL));
  g_assert_cmpint (us % G_USEC_PER_SEC, ==, 1);
}

static void
test_time_format (void)
{
  g_autoptr(GTimeZone) tokyo = zone ("Asia/Tokyo");
  g_autoptr(GTimeZone) ny = zone ("America/New_York");
  gint64 us = S (1772602320) + 999999;  /* 2026-03-04T05:32:00.999999Z */
  g_autofree char *iso = dc_time_to_iso (us, tokyo);
  g_autofree char *display = dc_time_to_display (us, tokyo);
  g_autofree char *iso_ny = dc_time_to_iso (us, ny);
  g_autofree char *summer = dc_time_to_iso (S (1793505600), ny);
  gint64 back = 0;

  g_assert_cmpstr (iso, ==, "2026-03-04T14:32:00+09:00");
  g_assert_cmpstr (display, ==, "2026-03-04 14:32");
  g_assert_cmpstr (iso_ny, ==, "2026-03-04T00:32:00-05:00");
  g_assert_cmpstr (summer, ==, "2026-11-01T00:00:00-04:00");
  g_assert_true (dc_time_parse (iso, ny, &back, NULL));
  g_assert_cmpint (back, ==, S (1772602320));
}

/* Tokyo kept local mean time (+09:18:59) until 1888; the ISO text keeps the seconds. */
static void
test_time_local_mean_time (void)
{
  g_autoptr(GTimeZone) tokyo = zone ("Asia/Tokyo");
  g_autofree char *iso = NULL;
  gint64 us = 0, back = 0;

  g_assert_true (dc_time_parse ("1880-01-01 00:00", tokyo, &us, NULL));
  iso = dc_time_to_iso (us, tokyo);
  g_assert_cmpstr (iso, ==, "1880-01-01T00:00:00+09:18:59");
  g_assert_true (dc_time_parse (iso, tokyo, &back, NULL));
  g_assert_cmpint (back, ==, us);
}

/* ---- fuzz ---- */

typedef struct
{
  const char *name;
  const char *kanji_short;
  char        letter;
  guint       year, month, day;
} TestEra;

/* An independent copy of the era table, so the fuzz does not trust the code it tests. */
static const TestEra test_eras[] = {
  { "明治", "明", 'M', 1868, 10, 23 },
  { "大正", "大", 'T', 1912, 7, 30 },
  { "昭和", "昭", 'S', 1926, 12, 25 },
  { "平成", "平", 'H', 1989, 1, 8 },
  { "令和", "令", 'R', 2019, 5, 1 },
};

static const TestEra *
test_era_of (const GDate *date)
{
  for (gsize i = G_N_ELEMENTS (test_eras); i > 0; i--)
    {
      const TestEra *e = &test_eras[i - 1];
      GDate start;

      g_date_clear (&start, 1);
      g_date_set_dmy (&start, e->day, e->month, e->year);
      if (g_date_compare (date, &start) >= 0)
        return e;
    }
  return NULL;
}

static char *
full_width (const char *ascii)
{
  GString *s = g_string_new (NULL);

  for (const char *p = ascii; *p; p++)
    if (*p >= '!' && *p <= '~')
      g_string_append_unichar (s, 0xFF01 + (gunichar) (*p - '!'));
    else
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

/* A random valid date between 明治 and 令和99年, written one of the ways a clerk might. */
static char *
random_valid_date (GRand *rand,
                   GDate *date)
{
  GDate lo, hi;
  const TestEra *era;
  guint y, m, d, ey;
  g_autofree char *ascii = NULL;

  date_from_iso ("1868-10-23", &lo);
  date_from_iso ("2117-12-31", &hi);
  g_date_clear (date, 1);
  g_date_set_julian (date, (guint32) g_rand_int_range (rand, (gint32) g_date_get_julian (&lo),
                                                       (gint32) g_date_get_julian (&hi) + 1));
  y = g_date_get_year (date);
  m = g_date_get_month (date);
  d = g_date_get_day (date);
  era = test_era_of (date);
  ey = y - era->year + 1;

  switch (g_rand_int_range (rand, 0, 10))
    {
    case 0: return g_strdup_printf ("%04u-%02u-%02u", y, m, d);
    case 1: return g_strdup_printf ("%04u%02u%02u", y, m, d);
    case 2: return g_strdup_printf ("%u/%u/%u", y, m, d);
    case 3: return g_strdup_printf ("%u.%u.%u", y, m, d);
    case 4: return g_strdup_printf ("%u年%u月%u日", y, m, d);
    case 5: return g_strdup_printf ("%c%u.%u.%u", era->letter, ey, m, d);
    case 6: return g_strdup_printf ("%c%02u/%02u/%02u", g_ascii_tolower (era->letter), ey, m, d);
    case 7:
      if (ey == 1)
        return g_strdup_printf ("%s元年%u月%u日", era->name, m, d);
      return g_strdup_printf ("%s %u年 %u月 %u日", era->name, ey, m, d);
    case 8:
      ascii = g_strdup_printf ("%04u-%02u-%02u", y, m, d);
      return full_width (ascii);
    default:
      return g_strdup_printf ("%s%u-%u-%u", era->kanji_short, ey, m, d);
    }
}

static const char *const fuzz_pool[] = {
  "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "00", "01", "12", "29", "30", "31",
  "1989", "2019", "1868", "9999", "0229",
  "０", "１", "２", "３", "９", "①", "¹", "٣",
  "H", "h", "R", "r", "S", "s", "T", "t", "M", "m", "X", "Ｈ", "ｒ", "Z",
  "平成", "令和", "昭和", "大正", "明治", "平", "令", "昭", "大", "明", "㍻", "㋿", "治", "成",
  "元", "年", "月", "日", "生",
  "-", "/", ".", ",", ":", "+", "－", "／", "．", "ー", "—", "−", "：",
  " ", "　", "\t", "\n",
  "é", "\xe3\x80", "\x80", "\xc0\xaf", "\xef\xbf\xbf",
};

static const char *const fuzz_seeds[] = {
  "1990-04-01", "19900401", "1990/4/1", "1990.4.1", "1990年4月1日", "H2.4.1", "H02.04.01",
  "h2/4/1", "H2-4-1", "平成2年4月1日", "平2.4.1", "令和元年5月1日", "R1.5.1", "R元.5.1",
  "平成31年4月30日", "昭和64年1月7日", "大正元年7月30日", "明治45年7月29日", "2024-02-29",
  "平成 2年 4月 1日", "Ｈ２．４．１", "９９９９－１２－３１",
};

static void
append_random_bytes (GRand   *rand,
                     GString *s,
                     guint    max_len)
{
  guint len = (guint) g_rand_int_range (rand, 0, (gint32) max_len + 1);

  for (guint i = 0; i < len; i++)
    g_string_append_c (s, (char) g_rand_int_range (rand, 1, 256));
}

static void
append_pool (GRand   *rand,
             GString *s,
             guint    max_tokens)
{
  guint n = (guint) g_rand_int_range (rand, 1, (gint32) max_tokens + 1);

  for (guint i = 0; i < n; i++)
    g_string_append (s, fuzz_pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (fuzz_pool))]);
}

static void
mutate (GRand   *rand,
        GString *s)
{
  guint pos = s->len ? (guint) g_rand_int_range (rand, 0, (gint32) s->len) : 0;
  guint span = (guint) g_rand_int_range (rand, 1, 4);

  switch (g_rand_int_range (rand, 0, 5))
    {
    case 0:
      if (s->len)
        s->str[pos] = (char) g_rand_int_range (rand, 1, 256);
      break;
    case 1:
      g_string_insert (s, pos, fuzz_pool[g_rand_int_range (rand, 0, G_N_ELEMENTS (fuzz_pool))]);
      break;
    case 2:
      g_string_erase (s, pos, MIN (span, s->len - pos));
      break;
    case 3:
      g_string_insert_len (s, pos, s->str + pos, MIN (span, s->len - pos));
      break;
    default:
      if (s->len)
        s->str[pos] = (char) ('0' + g_rand_int_range (rand, 0, 10));
      break;
    }
}

static char *
random_input (GRand *rand)
{
  GString *s = g_string_new (NULL);
  const char *seed = fuzz_seeds[g_rand_int_range (rand, 0, G_N_ELEMENTS (fuzz_seeds))];
  const char *other = fuzz_seeds[g_rand_int_range (rand, 0, G_N_ELEMENTS (fuzz_seeds))];

  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0:
      append_random_bytes (rand, s, 24);
      break;
    case 1:
      append_pool (rand, s, 12);
      break;
    case 2:
      if (g_rand_boolean (rand))
        {
          GDate unused;
          g_autofree char *valid = random_valid_date (rand, &unused);

          g_string_append (s, valid);
        }
      else
        g_string_append (s, seed);
      for (gint n = g_rand_int_range (rand, 1, 4); n > 0; n--)
        mutate (rand, s);
      break;
    default:
      g_string_append_len (s, seed, g_rand_int_range (rand, 0, (gint32) strlen (seed) + 1));
      g_string_append (s, other + g_rand_int_range (rand, 0, (gint32) strlen (other) + 1));
      break;
    }
  return g_string_free (s, FALSE);
}

/* A date the parser accepted must be real, in range, and read back the same from the
 * ISO and 和暦 text we write for it. */
static void
assert_round_trips (const GDate *date)
{
  g_autofree char *iso = NULL;
  g_autofree char *wareki = NULL;
  GDate again, lo;

  g_assert_true (g_date_valid (date));
  g_assert_cmpuint (g_date_get_year (date), >=, 1868);
  g_assert_cmpuint (g_date_get_year (date), <=, 9999);
  iso = dc_date_to_iso (date);
  g_assert_true (dc_date_parse (iso, &again, NULL));
  g_assert_cmpint (g_date_compare (date, &again), ==, 0);

  date_from_iso ("1868-10-23", &lo);
  if (g_date_compare (date, &lo) < 0)
    return;
  wareki = dc_date_to_wareki (date);
  g_assert_true (dc_date_parse (wareki, &again, NULL));
  g_assert_cmpint (g_date_compare (date, &again), ==, 0);
}

static void
check_input (const char *input,
             GTimeZone  *tz)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) time_error = NULL;
  GDate date;
  gint64 us;

  g_date_clear (&date, 1);
  if (dc_date_parse (input, &date, &error))
    {
      g_assert_no_error (error);
      assert_round_trips (&date);
    }
  else
    {
      g_assert_error (error, DC_ERROR, DC_ERROR_INVALID_DATE);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpstr (error->message, !=, "");
    }

  if (dc_time_parse (input, tz, &us, &time_error))
    {
      g_autofree char *iso = dc_time_to_iso (us, tz);
      gint64 back;

      g_assert_true (dc_time_parse (iso, tz, &back, NULL));
      g_assert_cmpint (back, ==, us - (us % G_USEC_PER_SEC + G_USEC_PER_SEC) % G_USEC_PER_SEC);
    }
  else
    g_assert_error (time_error, DC_ERROR, DC_ERROR_INVALID_DATE);
}

static guint
fuzz_iterations (void)
{
  const char *env = g_getenv ("DC_FUZZ_ITERATIONS");

  return env ? (guint) g_ascii_strtoull (env, NULL, 10) : 200000;
}

static void
test_fuzz (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0xDA1C0);
  g_autoptr(GTimeZone) tz = zone ("Asia/Tokyo");
  guint n = fuzz_iterations ();
  guint accepted = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *input = random_input (rand);
      GDate date;

      check_input (input, tz);
      if (dc_date_parse (input, &date, NULL))
        accepted++;
    }
  g_test_message ("%u of %u random inputs were dates", accepted, n);
  /* Some mutations keep a date valid; if none did, the generator has broken. */
  g_assert_cmpuint (accepted, >, n / 100);
}

/* Every valid date, however written, reads back as itself. */
static void
test_generated_dates (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (0x1990401);
  guint n = MAX (fuzz_iterations () / 4, 1000);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      GDate expect, got;
      g_autofree char *text = random_valid_date (rand, &expect);

      if (!dc_date_parse (text, &got, &error))
        g_error ("%s: %s", text, error->message);
      g_assert_cmpint (g_date_compare (&expect, &got), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("TZ", "Asia/Tokyo", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/date/parse/accepts", test_parse_accepts);
  g_test_add_func ("/date/parse/refuses", test_parse_refuses);
  g_test_add_func ("/date/parse/generated", test_generated_dates);
  g_test_add_func ("/date/parse/fuzz", test_fuzz);
  g_test_add_func ("/date/wareki", test_to_wareki);
  g_test_add_func ("/date/age/on", test_age_on);
  g_test_add_func ("/date/age/turns", test_turns);
  g_test_add_func ("/date/age/agrees-with-turns", test_age_agrees_with_turns);
  g_test_add_func ("/date/keep-through/table", test_keep_through);
  g_test_add_func ("/date/keep-through/monotonic", test_keep_through_monotonic);
  g_test_add_func ("/date/instant/tokyo", test_instant_tokyo);
  g_test_add_func ("/date/instant/utc-epoch", test_instant_utc_epoch);
  g_test_add_func ("/date/instant/new-york-dst", test_instant_new_york_dst);
  g_test_add_func ("/date/instant/midnight-gap", test_instant_midnight_gap);
  g_test_add_func ("/date/instant/every-day", test_instant_every_day);
  g_test_add_func ("/time/parse", test_time_parse);
  g_test_add_func ("/time/fraction", test_time_fraction);
  g_test_add_func ("/time/format", test_time_format);
  g_test_add_func ("/time/local-mean-time", test_time_local_mean_time);

  return g_test_run ();
}
