/* app/dc-profile.c — the built-in prefecture rule profiles and the youth curfew arithmetic. */
#include "dc-profile.h"
#include "dc-error.h"
#include "dc-store.h"

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

const DcCurfewBand *
dc_profile_next_band (const DcProfile *profile,
                      guint            age,
                      guint            minute_of_day)
{
  const DcCurfewBand *best = NULL;
  guint best_wait = 0;

  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (profile->n_bands <= DC_PROFILE_MAX_BANDS, NULL);
  g_return_val_if_fail (minute_of_day < MINUTES_PER_DAY, NULL);

  for (guint i = 0; i < profile->n_bands; i++)
    {
      const DcCurfewBand *band = &profile->bands[i];
      guint wait;

      if (!band_applies (band, age))
        continue;
      if (band_contains (band, minute_of_day))
        return band;
      wait = (band->start_minute + MINUTES_PER_DAY - minute_of_day) % MINUTES_PER_DAY;
      if (best == NULL || wait < best_wait)
        {
          best = band;
          best_wait = wait;
        }
    }
  return best;
}

gint
dc_profile_minutes_to_curfew (const DcProfile *profile,
                              guint            age,
                              guint            minute_of_day)
{
  const DcCurfewBand *band;

  g_return_val_if_fail (profile != NULL, -1);
  g_return_val_if_fail (minute_of_day < MINUTES_PER_DAY, -1);

  band = dc_profile_next_band (profile, age, minute_of_day);
  if (band == NULL)
    return -1;
  if (band_contains (band, minute_of_day))
    return 0;
  return (gint) ((band->start_minute + MINUTES_PER_DAY - minute_of_day) % MINUTES_PER_DAY);
}

const char *
dc_profile_prefecture (const DcProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);

  return profile->prefecture != NULL ? profile->prefecture : profile->id;
}

gboolean
dc_profile_is_custom (const DcProfile *profile)
{
  g_return_val_if_fail (profile != NULL, FALSE);

  return g_strcmp0 (profile->id, "custom") == 0;
}

char *
dc_profile_curfew_rule (const DcProfile *profile)
{
  g_return_val_if_fail (profile != NULL, NULL);

  /* the store's own hours are not an ordinance: say whose rule it is */
  if (dc_profile_is_custom (profile))
    return g_strdup (_("this store's own curfew"));
  /* Translators: %s is a prefecture ("Tokyo") */
  return g_strdup_printf (_("%s youth ordinance"), _(profile->label));
}

/* The prefecture whose ordinance a band that is not the store's own comes from. */
static const char *
ordinance_label (const DcProfile *profile)
{
  const DcProfile *prefecture = dc_profile_lookup (dc_profile_prefecture (profile));

  return prefecture != NULL ? prefecture->label : profile->label;
}

char *
dc_profile_band_rule (const DcProfile *profile, const DcCurfewBand *band)
{
  g_return_val_if_fail (profile != NULL, NULL);

  if (band != NULL && band->store_rule)
    return g_strdup (_("this store's own curfew"));
  if (band == NULL)
    return dc_profile_curfew_rule (profile);
  /* Translators: %s is a prefecture ("Tokyo") */
  return g_strdup_printf (_("%s youth ordinance"), _(ordinance_label (profile)));
}

static char *
band_text (const DcCurfewBand *band)
{
  return g_strdup_printf ("%02u:%02u–%02u:%02u", band->start_minute / 60, band->start_minute % 60,
                          band->end_minute / 60, band->end_minute % 60);
}

gboolean
dc_profile_check_curfew (const DcProfile *profile, guint age, guint minute_of_day, GError **error)
{
  g_return_val_if_fail (profile != NULL, FALSE);
  g_return_val_if_fail (profile->n_bands <= DC_PROFILE_MAX_BANDS, FALSE);

  for (guint i = 0; i < profile->n_bands; i++)
    {
      const DcCurfewBand *band = &profile->bands[i];
      g_autofree char *hours = NULL;

      if (!band_applies (band, age) || !band_contains (band, minute_of_day))
        continue;
      hours = band_text (band);
      /* two sentences rather than one with the rule pasted in: each reads naturally in Japanese */
      if (band->store_rule)
        g_set_error (error, DC_ERROR, DC_ERROR_CURFEW,
                     _("Customers under %u may not be let in from %s (this store's own curfew). Ask them to go "
                       "home."),
                     band->under_age, hours);
      else
        g_set_error (error, DC_ERROR, DC_ERROR_CURFEW,
                     _("Customers under %u may not be let in from %s (%s youth ordinance). Ask them to go home."),
                     band->under_age, hours, _(ordinance_label (profile)));
      return FALSE;
    }
  return TRUE;
}

/* ---- the custom profile ---- */

static const struct {
  const char *under, *start, *end;
} custom_keys[DC_PROFILE_CUSTOM_BANDS] = {
  { DC_SETTING_CURFEW_BAND1_UNDER, DC_SETTING_CURFEW_BAND1_START, DC_SETTING_CURFEW_BAND1_END },
  { DC_SETTING_CURFEW_BAND2_UNDER, DC_SETTING_CURFEW_BAND2_START, DC_SETTING_CURFEW_BAND2_END },
};

gboolean
dc_profile_is_curfew_setting (const char *key)
{
  if (g_strcmp0 (key, DC_SETTING_CURFEW_PROFILE) == 0)
    return TRUE;
  for (guint i = 0; i < DC_PROFILE_CUSTOM_BANDS; i++)
    if (g_strcmp0 (key, custom_keys[i].under) == 0 || g_strcmp0 (key, custom_keys[i].start) == 0
        || g_strcmp0 (key, custom_keys[i].end) == 0)
      return TRUE;
  return FALSE;
}

void
dc_profile_custom_keys (guint        i,
                        const char **under_key,
                        const char **start_key,
                        const char **end_key)
{
  g_return_if_fail (i < DC_PROFILE_CUSTOM_BANDS);

  *under_key = custom_keys[i].under;
  *start_key = custom_keys[i].start;
  *end_key = custom_keys[i].end;
}

const DcProfile *
dc_profile_for_store (DcStore         *store,
                      const DcProfile *prefecture,
                      DcProfile       *custom)
{
  g_return_val_if_fail (prefecture != NULL && custom != NULL, prefecture);

  if (dc_store_get_setting (store, DC_SETTING_CURFEW_PROFILE) != DC_CURFEW_PROFILE_CUSTOM)
    return prefecture;

  custom->id = "custom";
  custom->label = N_("Custom");
  custom->prefecture = dc_profile_prefecture (prefecture);
  custom->minor_under = prefecture->minor_under;
  custom->allow_health_insurance_card = prefecture->allow_health_insurance_card;
  G_STATIC_ASSERT (DC_PROFILE_CUSTOM_BANDS + 2 <= DC_PROFILE_MAX_BANDS);
  g_return_val_if_fail (DC_PROFILE_CUSTOM_BANDS + prefecture->n_bands <= DC_PROFILE_MAX_BANDS, prefecture);
  for (guint i = 0; i < DC_PROFILE_CUSTOM_BANDS; i++)
    {
      DcCurfewBand *band = &custom->bands[i];
      gint64 under = dc_store_get_setting (store, custom_keys[i].under);

      /* ages are judged from the tier's two birthdays (15, 17 or 18): any other limit
       * would flag the wrong people, so take the stricter of the two that can be told apart */
      band->under_age = under <= 16 ? 16 : 18;
      band->start_minute = (guint) dc_store_get_setting (store, custom_keys[i].start);
      band->end_minute = (guint) dc_store_get_setting (store, custom_keys[i].end);
      band->store_rule = TRUE;
    }
  /* the ordinance still binds the store: its bands follow the store's own, so a store's
   * hours can only add to it (an empty band, or a later start, lets nobody in it forbids) */
  for (guint i = 0; i < prefecture->n_bands; i++)
    custom->bands[DC_PROFILE_CUSTOM_BANDS + i] = prefecture->bands[i];
  custom->n_bands = DC_PROFILE_CUSTOM_BANDS + prefecture->n_bands;
  return custom;
}
