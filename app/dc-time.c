/* app/dc-time.c — instants: the local day and minute of a UTC time, and reading and writing points in time. */
#include "dc-time.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dc-date.h"
#include "dc-date-private.h"
#include "dc-error.h"

/* g_date_get_julian () of 1970-01-01: GDate counts 0001-01-01 as day 1. */
#define UNIX_EPOCH_JULIAN G_GINT64_CONSTANT (719163)
#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

/* The wall-clock date and time in @tz of @utc_us, or NULL outside GDateTime's years. */
static GDateTime *
local_date_time (gint64     utc_us,
                 GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = NULL;
  gint64 secs = utc_us / G_USEC_PER_SEC;

  /* Round toward the past, so 1 µs before midnight is still the previous day. */
  if (utc_us % G_USEC_PER_SEC < 0)
    secs--;
  utc = g_date_time_new_from_unix_utc (secs);
  if (utc == NULL)
    return NULL;
  return g_date_time_to_timezone (utc, tz);
}

void
dc_date_from_instant (gint64     utc_us,
                      GTimeZone *tz,
                      GDate     *out)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_if_fail (tz != NULL && out != NULL);
  local = local_date_time (utc_us, tz);
  g_return_if_fail (local != NULL);

  g_date_clear (out, 1);
  g_date_set_dmy (out, g_date_time_get_day_of_month (local),
                  g_date_time_get_month (local), g_date_time_get_year (local));
}

/* Seconds since the epoch of a wall-clock time read as if it were UTC, which is how
 * GTimeZone's interval functions take local times. */
static gint64
local_seconds (const GDate *day,
               guint        hour,
               guint        minute,
               guint        second)
{
  return ((gint64) g_date_get_julian (day) - UNIX_EPOCH_JULIAN) * SECONDS_PER_DAY
         + hour * 3600 + minute * 60 + second;
}

gint64
dc_date_start_instant (const GDate *day,
                       GTimeZone   *tz)
{
  gint64 local;
  gint interval;

  g_return_val_if_fail (day != NULL && g_date_valid (day), 0);
  g_return_val_if_fail (tz != NULL, 0);

  /* Where the clocks jump over midnight (America/Santiago in September) the day starts
   * when they land: g_time_zone_adjust_time moves a time in a gap to the gap's end.
   * Where midnight happens twice, asking for the daylight reading picks the first. */
  local = local_seconds (day, 0, 0, 0);
  interval = g_time_zone_adjust_time (tz, G_TIME_TYPE_DAYLIGHT, &local);
  return (local - g_time_zone_get_offset (tz, interval)) * G_USEC_PER_SEC;
}

guint
dc_time_minute_of_day (gint64     utc_us,
                       GTimeZone *tz)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (tz != NULL, 0);
  local = local_date_time (utc_us, tz);
  g_return_val_if_fail (local != NULL, 0);

  return (guint) (g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local));
}

typedef struct
{
  guint    hour;
  guint    minute;
  guint    second;
  guint    usec;
  gboolean has_offset;
  gint     offset;  /* seconds east of UTC */
} Clock;

/* Reads up to @max_len ASCII digits at *@s (the caller checks what follows);
 * FALSE if there are fewer than @min_len. */
static gboolean
read_digits (const char **s,
             guint        min_len,
             guint        max_len,
             guint       *value,
             guint       *len)
{
  guint n = 0;

  *value = 0;
  for (; n < max_len && g_ascii_isdigit (**s); (*s)++, n++)
    *value = *value * 10 + (guint) (**s - '0');
  if (len != NULL)
    *len = n;
  return n >= min_len;
}

/* "Z", "+09:00", "+0900", "+09", "-05:00", and "+09:18:59" as dc_time_to_iso writes
 * for local mean time. */
static gboolean
read_offset (const char *s,
             Clock      *c)
{
  guint hours, minutes = 0, seconds = 0;
  gint sign;

  if ((*s == 'Z' || *s == 'z') && s[1] == '\0')
    {
      c->has_offset = TRUE;
      return TRUE;
    }
  if (*s != '+' && *s != '-')
    return FALSE;
  sign = *s++ == '-' ? -1 : 1;
  if (!read_digits (&s, 2, 2, &hours, NULL))
    return FALSE;
  if (*s == ':')
    s++;
  if (*s != '\0' && !read_digits (&s, 2, 2, &minutes, NULL))
    return FALSE;
  if (*s == ':' && (s++, !read_digits (&s, 2, 2, &seconds, NULL)))
    return FALSE;
  if (*s != '\0' || hours > 18 || minutes > 59 || seconds > 59)
    return FALSE;
  c->has_offset = TRUE;
  c->offset = sign * (gint) (hours * 3600 + minutes * 60 + seconds);
  return TRUE;
}

/* "14:32", "14:32:10", "14:32:10.5", each optionally followed by an offset. */
static gboolean
read_clock (const char *s,
            Clock      *c)
{
  guint len;

  memset (c, 0, sizeof *c);
  if (!read_digits (&s, 1, 2, &c->hour, NULL) || *s++ != ':'
      || !read_digits (&s, 2, 2, &c->minute, NULL))
    return FALSE;
  if (*s == ':')
    {
      s++;
      if (!read_digits (&s, 2, 2, &c->second, NULL))
        return FALSE;
      if (*s == '.' || *s == ',')
        {
          s++;
          if (!read_digits (&s, 1, 6, &c->usec, &len))
            return FALSE;
          for (; len < 6; len++)
            c->usec *= 10;
        }
    }
  while (*s == ' ')
    s++;
  return *s == '\0' || read_offset (s, c);
}

static gboolean
refuse_time (GError **error)
{
  g_set_error_literal (error, DC_ERROR, DC_ERROR_INVALID_DATE,
                       _("This is not a time that can be read; "
                         "type it like 2026-03-04 14:32."));
  return FALSE;
}

/* Finds where the time of day starts in @norm ("…T14:32", "… 14:32") and where the
 * date before it ends; FALSE if there is a ':' but no such split. */
static gboolean
split_date_time (const char  *norm,
                 const char  *colon,
                 const char **date_end,
                 const char **time_start)
{
  const char *t = colon;
  const char *d;

  while (t > norm && colon - t < 2 && g_ascii_isdigit (t[-1]))
    t--;
  if (t == colon || t == norm)
    return FALSE;
  d = t;
  if (d[-1] == 'T' || d[-1] == 't')
    d--;
  else if (d[-1] == ' ')
    while (d > norm && d[-1] == ' ')
      d--;
  else
    return FALSE;
  *date_end = d;
  *time_start = t;
  return TRUE;
}

/* UTC seconds of wall-clock @local in @tz; FALSE when the clocks skipped it. Where it
 * happens twice (the hour the clocks go back) the first, daylight-time one is meant. */
static gboolean
local_to_utc (GTimeZone *tz,
              gint64     local,
              gint64    *utc)
{
  gint interval = g_time_zone_find_interval (tz, G_TIME_TYPE_DAYLIGHT, local);

  if (interval < 0)
    return FALSE;
  *utc = local - g_time_zone_get_offset (tz, interval);
  return TRUE;
}

static gboolean
clock_to_instant (const GDate  *day,
                  const Clock  *c,
                  GTimeZone    *tz,
                  gint64       *out_utc_us,
                  GError      **error)
{
  gint64 local = local_seconds (day, c->hour, c->minute, c->second);
  gint64 utc = local - c->offset;
  g_autoptr(GDateTime) check = NULL;

  if (!c->has_offset && !local_to_utc (tz, local, &utc))
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_INVALID_DATE,
                           _("This time does not exist here: the clocks were put "
                             "forward past it."));
      return FALSE;
    }
  check = local_date_time (utc * G_USEC_PER_SEC, tz);
  if (check == NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID_DATE,
                   _("The year must be between %u and %u."), DC_DATE_MIN_YEAR, DC_DATE_MAX_YEAR);
      return FALSE;
    }
  *out_utc_us = utc * G_USEC_PER_SEC + c->usec;
  return TRUE;
}

gboolean
dc_time_parse (const char  *text,
               GTimeZone   *tz,
               gint64      *out_utc_us,
               GError     **error)
{
  g_autofree char *norm = NULL;
  g_autofree char *date_text = NULL;
  const char *colon, *date_end, *time_start;
  GDate day;
  Clock clock;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (tz != NULL, FALSE);
  g_return_val_if_fail (out_utc_us != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  norm = dc_date_normalize_input (text);
  if (norm == NULL)
    return refuse_time (error);
  colon = strchr (norm, ':');
  if (colon == NULL)
    {
      if (!dc_date_parse (norm, &day, error))
        return FALSE;
      *out_utc_us = dc_date_start_instant (&day, tz);
      return TRUE;
    }

  if (!split_date_time (norm, colon, &date_end, &time_start))
    return refuse_time (error);
  date_text = g_strndup (norm, (gsize) (date_end - norm));
  if (!dc_date_parse (date_text, &day, error))
    return FALSE;
  if (!read_clock (time_start, &clock))
    return refuse_time (error);
  if (clock.hour > 23 || clock.minute > 59 || clock.second > 59)
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_INVALID_DATE,
                           _("There is no such time of day: hours go up to 23, "
                             "minutes and seconds up to 59."));
      return FALSE;
    }
  return clock_to_instant (&day, &clock, tz, out_utc_us, error);
}

gboolean
dc_time_parse_end (const char  *text,
                   GTimeZone   *tz,
                   gint64      *out_utc_us,
                   GError     **error)
{
  g_autofree char *norm = NULL;
  GDate day;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (tz != NULL, FALSE);
  g_return_val_if_fail (out_utc_us != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* the same test dc_time_parse makes for a date alone: no time of day in it */
  norm = dc_date_normalize_input (text);
  if (norm == NULL || strchr (norm, ':') != NULL)
    return dc_time_parse (text, tz, out_utc_us, error);
  if (!dc_date_parse (norm, &day, error))
    return FALSE;
  g_date_add_days (&day, 1);
  *out_utc_us = dc_date_start_instant (&day, tz);
  return TRUE;
}

static char *
format_instant (gint64      utc_us,
                GTimeZone  *tz,
                const char *format)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (tz != NULL, NULL);
  local = local_date_time (utc_us, tz);
  g_return_val_if_fail (local != NULL, NULL);

  return g_date_time_format (local, format);
}

char *
dc_time_to_iso (gint64     utc_us,
                GTimeZone *tz)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (tz != NULL, NULL);
  local = local_date_time (utc_us, tz);
  g_return_val_if_fail (local != NULL, NULL);

  /* Before standard time (Tokyo until 1888: +09:18:59) an offset has seconds, which
   * "+hh:mm" would lose. */
  if (g_date_time_get_utc_offset (local) % (60 * G_USEC_PER_SEC) != 0)
    return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%::z");
  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

char *
dc_time_to_display (gint64     utc_us,
                    GTimeZone *tz)
{
  return format_instant (utc_us, tz, "%Y-%m-%d %H:%M");
}
