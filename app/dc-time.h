/* app/dc-time.h — instants: the local day and minute of a UTC time, and reading and writing points in time. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The local calendar day in @tz of the instant @utc_us (microseconds since the Unix epoch). */
void dc_date_from_instant (gint64 utc_us, GTimeZone *tz, GDate *out);

/* The instant (UTC microseconds) at which local day @day begins in @tz: its local
 * midnight, or where the clocks jump over midnight the moment they land, or where
 * midnight happens twice the first of them. */
gint64 dc_date_start_instant (const GDate *day, GTimeZone *tz);

/* The wall-clock time of @utc_us in @tz as hour * 60 + minute (0…1439), as a curfew
 * reads it: 03:00 on a day the clocks jumped from 02:00 is 180, not 120. */
guint dc_time_minute_of_day (gint64 utc_us, GTimeZone *tz);

/* Parse a point in time: "2026-03-04 14:32", "2026-03-04 14:32:10", "2026/3/4 14:32",
 * "2026-03-04T14:32:10+09:00", "2026-03-04T05:32:10Z"; the date part is anything
 * dc_date_parse () reads, full-width forms included; seconds may carry a fraction (up
 * to 6 digits); offsets are Z, ±hh:mm, ±hhmm, ±hh or ±hh:mm:ss. With an offset @tz is
 * ignored; without one the time is local to @tz: a local time the clocks skipped is
 * refused, one that happened twice means the first. A date alone means the start of
 * that day (dc_date_start_instant ()). DC_ERROR_INVALID_DATE otherwise. */
gboolean dc_time_parse (const char *text, GTimeZone *tz, gint64 *out_utc_us, GError **error);

/* The same for the END of a range that excludes its end (a hold's range): a date alone
 * means the end of that day, that is the start of the next day in @tz, so "--to
 * 2026-03-04" takes in the whole of the 4th. A text with a time of day means that very
 * instant, as dc_time_parse () reads it. (An inclusive end, as a police query's, is one
 * microsecond before this when the text is a date alone: dc_date_parse () reads it.) */
gboolean dc_time_parse_end (const char *text, GTimeZone *tz, gint64 *out_utc_us, GError **error);

/* "2026-03-04T14:32:00+09:00": ISO 8601 with the offset of @tz, whole seconds (rounded
 * down); an offset with seconds (local mean time before 1888 in Tokyo) is written
 * "+09:18:59" so that dc_time_parse () reads back the same instant (newly allocated). */
char *dc_time_to_iso (gint64 utc_us, GTimeZone *tz);

/* "2026-03-04 14:32" in @tz, for people (newly allocated). */
char *dc_time_to_display (gint64 utc_us, GTimeZone *tz);

G_END_DECLS
