/* app/dc-date.h — the one parser for dates a clerk types (西暦 and 和暦), ages, and the legal calendar. */
#pragma once

#include <glib.h>

#include "dc-time.h"   /* instants: dc_date_from_instant (), dc_time_parse () … */

G_BEGIN_DECLS

/* Parse a calendar date as typed at the counter or read off a card:
 *   "1990-04-01", "19900401", "1990/4/1", "1990.4.1", "1990年4月1日",
 *   "H2.4.1", "H02.04.01", "h2/4/1", "平成2年4月1日", "平2.4.1", "令和元年5月1日", "R1.5.1", "R元.5.1",
 *   for the eras 明治(M) 大正(T) 昭和(S) 平成(H) 令和(R); full-width digits, letters and
 *   punctuation (NFKC, so also ㍻ ㋿) and "ー"/dashes for "-" are accepted; white space
 *   around and between the parts is ignored ("平成 2年 4月 1日"), but not between digits
 *   ("1990 4 1"); the final 日 may be left off. A Gregorian year has 4 digits; an era
 *   year 1–4 (元 = 1). Years 1868–9999 only; 明治 is taken to begin on 1868-10-23.
 * A date outside its era ("平成31年5月1日", "昭和64年1月8日"), that does not exist
 * ("2023-02-29") or that cannot be read is refused with DC_ERROR_INVALID_DATE and a
 * message that says why. On success @out is a valid GDate; on failure it is untouched. */
gboolean dc_date_parse (const char *text, GDate *out, GError **error);

/* "1990-04-01" (newly allocated). */
char *dc_date_to_iso (const GDate *date);

/* "平成2年4月1日", "令和元年5月1日" (newly allocated; dates before 明治 fall back to ISO). */
char *dc_date_to_wareki (const GDate *date);

/* Completed years of age on day @on for someone born on @dob, by the Japanese rule
 * (年齢計算ニ関スル法律 with Civil Code art. 143: a year of age is completed at the end of
 * the day before the anniversary; someone born on 29 February completes it at the end of
 * 28 February in common years). */
guint dc_date_age_on (const GDate *dob, const GDate *on);

/* The first day on which someone born on @dob is @years old (by the same rule:
 * the birthday itself, or 1 March for a 29 February birth in a common year). */
void dc_date_turns (const GDate *dob, guint years, GDate *out);

/* Retention (ordinance.md §6, Civil Code art. 140 and 143): for a service that ended on
 * local day @end_day, the last day the record must be kept, @years (>= 1) later. The
 * first day is not counted, so the period starts the day after @end_day; it ends on the
 * day before the day corresponding to that start, or on the last day of that month when
 * the corresponding day does not exist. Usually this is the same date @years later;
 * it is one day later when that start is 1 March and the final year is a leap year
 * (ended 2029-02-28 → kept through 2032-02-29), and 28 February when the start is
 * 29 February and the final year is common (ended 2028-02-28 → 2031-02-28). */
void dc_date_keep_through (const GDate *end_day, guint years, GDate *out);

G_END_DECLS
