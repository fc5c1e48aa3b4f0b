/* app/dc-profile.h — prefecture rule profiles: who is a minor, when the youth curfew applies. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One curfew band: people younger than @under_age may not stay from @start_minute
 * (included) to @end_minute (excluded), minutes after local midnight. A band whose start
 * is after its end wraps past midnight; one whose start equals its end is empty. */
typedef struct {
  guint    under_age;
  guint    start_minute;
  guint    end_minute;
  gboolean store_rule;   /* the store's own hours, not an ordinance's */
} DcCurfewBand;

#define DC_PROFILE_MAX_BANDS 4

typedef struct {
  const char   *id;                 /* "tokyo", "osaka", "custom" */
  const char   *label;              /* English, translatable with _() */
  guint         minor_under;        /* under this age a visitor is a minor (18) */
  gboolean      allow_health_insurance_card; /* old 健康保険証 accepted as ID */
  guint         n_bands;
  DcCurfewBand  bands[DC_PROFILE_MAX_BANDS];
  const char   *prefecture;         /* the custom profile: its prefecture's id; NULL: @id */
} DcProfile;

/* Built-in profiles: "tokyo" (under 18, 23:00–04:00), "osaka" (under 16 19:00–05:00,
 * 16–17 22:00–05:00). Returns NULL for an unknown id. */
const DcProfile *dc_profile_lookup (const char *id);

/* All built-in profiles, for a chooser. */
const DcProfile *dc_profile_list (gsize *n_profiles);

/* Is someone of @age a minor under @profile? */
gboolean dc_profile_is_minor (const DcProfile *profile, guint age);

/* Does the curfew forbid someone of @age to be in the store at @minute_of_day
 * (0…1439, as dc_time_minute_of_day () gives)? */
gboolean dc_profile_in_curfew (const DcProfile *profile, guint age, guint minute_of_day);

/* Minutes from @minute_of_day until the curfew for @age begins (0 if in curfew now),
 * or -1 when no band applies to that age. */
gint dc_profile_minutes_to_curfew (const DcProfile *profile, guint age, guint minute_of_day);
/* The band that applies to @age now or, if none does, the one that starts soonest (the
 * one dc_profile_minutes_to_curfew counts to); NULL when none covers that age. */
const DcCurfewBand *dc_profile_next_band (const DcProfile *profile, guint age, guint minute_of_day);
/* Whose rule @band is, for a sentence: "this store's own curfew" or "Tokyo youth ordinance".
 * Newly allocated, translated. */
char *dc_profile_band_rule (const DcProfile *profile, const DcCurfewBand *band);

/* The prefecture whose law applies (cards, documents): the id of a built-in profile, and
 * for the custom profile the prefecture it was made on ("tokyo"), never "custom". */
const char *dc_profile_prefecture (const DcProfile *profile);
/* Is this the store's own curfew (the custom profile) rather than a prefecture's ordinance? */
gboolean    dc_profile_is_custom (const DcProfile *profile);
/* Whose rule the curfew is, for a sentence: "Tokyo youth ordinance", or "this store's own
 * curfew" for the custom profile, which no law names (translated, newly allocated). */
char       *dc_profile_curfew_rule (const DcProfile *profile);
/* TRUE when someone of @age may be let in at @minute_of_day; else FALSE with
 * DC_ERROR_CURFEW saying from when, under whose rule, and to ask them to go home. */
gboolean    dc_profile_check_curfew (const DcProfile *profile, guint age, guint minute_of_day, GError **error);

/* ---- the custom profile: curfew bands a manager sets for a store (settings) ----
 * The settings DC_SETTING_CURFEW_* (app/dc-store.h) hold a choice (the prefecture's profile
 * or the custom one) and DC_PROFILE_CUSTOM_BANDS bands, each an under-age (16 or 18: the
 * counter tier knows only those birthdays), a start and an end minute (start = end: no band).
 * Who is a minor and which documents count stay the prefecture's. */
#define DC_PROFILE_CUSTOM_BANDS 2

typedef struct _DcStore DcStore;

/* Is @key one of the settings the custom profile is read from? */
gboolean         dc_profile_is_curfew_setting (const char *key);
/* The setting keys of custom band @i (0 … DC_PROFILE_CUSTOM_BANDS - 1). */
void             dc_profile_custom_keys (guint i, const char **under_key, const char **start_key,
                                         const char **end_key);
/* The store's curfew profile: @prefecture itself, or — when the manager chose the custom
 * profile — @custom filled from the store's settings on @prefecture's other rules. The
 * store's own bands add to the ordinance's, which @custom keeps: a store may be stricter
 * than the law, never laxer. Only the
 * bands, id and label of @custom change (its prefecture is always the same), so a reader of
 * the other fields on another thread (dc_checkin_prepare) never sees them move. */
const DcProfile *dc_profile_for_store (DcStore *store, const DcProfile *prefecture, DcProfile *custom);

G_END_DECLS
