/* app/dc-profile.c — the built-in prefecture rule profiles and the youth curfew arithmetic. */
#include "dc-profile.h"

#include <glib/gi18n-lib.h>

#define MINUTES_PER_DAY 1440

static const DcProfile profiles[] = {
  /* 東京都青少年の健全な育成に関する条例 (ordinance.md §4): under 18, 23:00 to 04:00.
   * Old 健康保険証 were phased out by 2025-12, so no built-in profile takes them. */
  { "tokyo", N_("Tokyo"), 18, FALSE, 1,
    { { 18, 23 * 60, 4 * 60 } } },
  /* 大阪府青少年健全育成条例: under 16 from 19:00, under 18 from 22:00, both to 05:00. */
  { "osaka", N_("Osaka"), 18, FALSE, 2,
    { { 16, 19 * 60, 5 * 60 },
      { 18, 22 * 60, 5 * 60 } } },
};

const DcProfile *
dc_profile_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (g_str_equal (profiles[i].id, id))
      return &profiles[i];
  return NULL;
}

const DcProfile *
dc_profile_list (gsize *n_profiles)
{
  g_return_val_if_fail (n_profiles != NULL, NULL);

  *n_profiles = G_N_ELEMENTS (profiles);
  return profiles;
}

gboolean
dc_profile_is_minor (const DcProfile *profile,
                     guint            age)
{
  g_return_val_if_fail (profile != NULL, FALSE);

  return age < profile->minor_under;
}

static gboolean
band_applies (const DcCurfewBand *band,
              guint               age)
{
  return age < band->under_age && band->start_minute != band->end_minute;
}

/* A band whose start is after its end runs through midnight. */
static gboolean
band_contains (const DcCurfewBand *band,
               guint               minute)
{
  if (band->start_minute < band->end_minute)
    return minute >= band->start_minute && minute < band->end_minute;
  return minute >= band->start_minute || minute < band->end_minute;
}

gboolean
dc_profile_in_curfew (const DcProfile *profile,
                      guint            age,
                      guint            minute_of_day)
{
  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (profile->n_bands <= DC_PROFILE_MAX_BANDS, FALSE);
  g_return_val_if_fail (minute_of_day < MINUTES_PER_DAY, FALSE);

  for (guint i = 0; i < profile->n_bands; i++)
    if (band_applies (&profile->bands[i], age)
        && band_contains (&profile->bands[i], minute_of_day))
      return TRUE;
  return FALSE;
}

gint
dc_profile_minutes_to_curfew (const DcProfile *profile,
                              guint            age,
                              guint            minute_of_day)
{
  gint best = -1;

  g_return_val_if_fail (profile != NULL, -1);
  g_return_val_if_fail (profile->n_bands <= DC_PROFILE_MAX_BANDS, -1);
  g_return_val_if_fail (minute_of_day < MINUTES_PER_DAY, -1);

  for (guint i = 0; i < profile->n_bands; i++)
    {
      const DcCurfewBand *band = &profile->bands[i];
      gint wait;

      if (!band_applies (band, age))
        continue;
      if (band_contains (band, minute_of_day))
        return 0;
      wait = (gint) ((band->start_minute + MINUTES_PER_DAY - minute_of_day) % MINUTES_PER_DAY);
      if (best < 0 || wait < best)
        best = wait;
    }
  return best;
}
