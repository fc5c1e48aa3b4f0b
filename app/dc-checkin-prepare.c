/* app/dc-checkin-prepare.c — the half of a check-in that needs no database: document rules, sealing, indexes, the counter tier. */
#include "dc-checkin-private.h"
#include "dc-date.h"
#include "dc-normalize.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

/* ---- the counter tier: when a minor turns 18, readable without the master key ---- */

#define TIER_VERSION 1

static void
tier_ad (gint64 customer_id, gint64 verification_id, guint8 ad[32])
{
  memset (ad, 0, 32);
  memcpy (ad, "daicho-tier-v1", 14);
  for (int i = 0; i < 8; i++)
    {
      ad[16 + i] = (guint8) ((guint64) customer_id >> (56 - 8 * i));
      ad[24 + i] = (guint8) ((guint64) verification_id >> (56 - 8 * i));
    }
}

GBytes *
dc_checkin_tier_seal (const DcVault *vault, gint64 customer_id, gint64 verification_id, const GDate *dob)
{
  guint8 plain[9], ad[32];
  GDate adult, sixteen;
  guint32 j18, j16;
  g_autoptr(GBytes) bytes = NULL;

  dc_date_turns (dob, 18, &adult);
  dc_date_turns (dob, 16, &sixteen);
  j18 = g_date_get_julian (&adult);
  j16 = g_date_get_julian (&sixteen);
  plain[0] = TIER_VERSION;
  for (int i = 0; i < 4; i++)
    {
      plain[1 + i] = (guint8) (j18 >> (24 - 8 * i));
      plain[5 + i] = (guint8) (j16 >> (24 - 8 * i));
    }
  bytes = g_bytes_new (plain, sizeof plain);
  tier_ad (customer_id, verification_id, ad);
  return dc_vault_tier_encrypt (vault, bytes, ad, sizeof ad);
}

gboolean
dc_checkin_tier_open (const DcVault *vault, gint64 customer_id, gint64 verification_id, GBytes *tier,
                      GDate *adult_on, GDate *sixteen_on, GError **error)
{
  gboolean version_ok;
  guint8 ad[32];
  guint8 p[9];   /* version, then the two Julian days: small enough for the stack, wiped below */
  guint32 j18 = 0, j16 = 0;

  tier_ad (customer_id, verification_id, ad);
  /* the board reads this for every visit: no secure allocation per call (sodium_malloc costs
   * an mmap, an mlock and guard pages, ~80 µs) */
  if (!dc_vault_tier_decrypt_to (vault, tier, ad, sizeof ad, p, sizeof p, error))
    return FALSE;
  version_ok = p[0] == TIER_VERSION;
  for (int i = 0; i < 4; i++)
    {
      j18 = (j18 << 8) | p[1 + i];
      j16 = (j16 << 8) | p[5 + i];
    }
  sodium_memzero (p, sizeof p);
  if (!version_ok || !g_date_valid_julian (j18) || !g_date_valid_julian (j16))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO, _("The counter record of this customer is malformed."));
      return FALSE;
    }
  g_date_clear (adult_on, 1);
  g_date_set_julian (adult_on, j18);
  if (sixteen_on != NULL)
    {
      g_date_clear (sixteen_on, 1);
      g_date_set_julian (sixteen_on, j16);
    }
  return TRUE;
}

/* ---- the identity: rules, indexes, sealing ---- */

GBytes *
dc_checkin_person_index (const DcVault *vault, const char *name, const GDate *dob)
{
  g_autofree char *norm = dc_normalize_name (name);
  g_autofree char *iso = dc_date_to_iso (dob);
  g_autofree char *person = g_strconcat (norm, "\x1f", iso, NULL);
  guint8 blind[DC_BLIND_BYTES];

  dc_vault_blind_index (vault, "person", person, blind);
  return g_bytes_new (blind, sizeof blind);
}

GBytes *
dc_checkin_document_index (const DcVault *vault, const char *doc_code, const char *normalized_number)
{
  g_autofree char *key = g_strconcat (doc_code, "\x1f", normalized_number, NULL);
  guint8 blind[DC_BLIND_BYTES];

  dc_vault_blind_index (vault, "document", key, blind);
  sodium_memzero (key, strlen (key));
  return g_bytes_new (blind, sizeof blind);
}

void
dc_checkin_prepared_clear (DcCheckinPrepared *p)
{
  g_clear_pointer (&p->payload, g_bytes_unref);
  g_clear_pointer (&p->person_index, g_bytes_unref);
  g_clear_pointer (&p->document_index, g_bytes_unref);
}

gboolean
dc_checkin_prepare_into (DcStore *store, const DcVault *vault, const DcIdentity *id, const GDate *day,
                         DcCheckinPrepared *p, DcField *bad_field, GError **error)
{
  const DcProfile *profile = dc_store_profile (store);
  const DcDocType *doc;
  g_autoptr(GBytes) plain = NULL;
  g_autofree char *name = NULL;

  if (!dc_identity_check (id, day, profile->allow_health_insurance_card, bad_field, error))
    return FALSE;
  doc = dc_doc_type_lookup (id->doc_type);
  p->store = store;
  p->day = *day;
  p->doc_type = doc->code;
  p->dob = id->dob;
  p->age = dc_date_age_on (&id->dob, day);
  p->minor = dc_profile_is_minor (profile, p->age);

  name = dc_normalize_name (id->name);
  p->person_index = dc_checkin_person_index (vault, id->name, &id->dob);
  p->name_index = dc_vault_name_index (vault, name);

  if (doc->number_allowed && id->doc_number != NULL && *id->doc_number != '\0')
    {
      g_autofree char *number = dc_normalize_number (id->doc_number);

      p->document_index = dc_checkin_document_index (vault, doc->code, number);
      sodium_memzero (number, strlen (number));
    }

  /* a fresh ephemeral key per payload (crypto_box_seal): the counter cannot read it back */
  plain = dc_identity_serialize (id);
  p->payload = dc_seal (dc_store_box_pk (store), plain);
  return TRUE;
}

DcCheckinPrepared *
dc_checkin_prepare (DcStore *store, const DcVault *vault, const DcIdentity *identity, const GDate *day,
                    DcField *bad_field, GError **error)
{
  DcCheckinPrepared *p;
  DcField field = DC_FIELD_NONE;

  g_return_val_if_fail (store != NULL && vault != NULL && identity != NULL, NULL);
  g_return_val_if_fail (day != NULL && g_date_valid (day), NULL);

  p = g_new0 (DcCheckinPrepared, 1);
  if (!dc_checkin_prepare_into (store, vault, identity, day, p, &field, error))
    {
      dc_checkin_prepared_free (p);
      p = NULL;
    }
  if (bad_field != NULL)
    *bad_field = field;
  return p;
}

void
dc_checkin_prepared_free (DcCheckinPrepared *prepared)
{
  if (prepared == NULL)
    return;
  dc_checkin_prepared_clear (prepared);
  g_free (prepared);
}
