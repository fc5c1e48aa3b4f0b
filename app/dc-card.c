/* app/dc-card.c — member cards: the payload and its MAC, the checks a scan goes through, and the card's life (issue, reissue, lost, revoke). */
#include "dc-card.h"
#include "dc-audit.h"
#include "dc-db-cards.h"
#include "dc-db-records.h"
#include "dc-member.h"
#include "dc-normalize.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <sodium.h>
#include <string.h>

#define ID_CHARS     8     /* operator and store ids: 40 bits */
#define MAC_BYTES    10
#define MAC_CHARS    16    /* 80 bits */
#define MAX_GEN_CHARS 9
#define MAX_PREF_CHARS 16
#define N_FIELDS     7

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* The first @n_chars base32 characters of @bytes (n_chars * 5 ≤ len * 8) into @out. */
static void
base32 (const guint8 *bytes, gsize len, char *out, gsize n_chars)
{
  guint bits = 0, have = 0;
  gsize i = 0, o = 0;

  g_assert (n_chars * 5 <= len * 8);
  while (o < n_chars)
    {
      if (have < 5)
        {
          bits = (bits << 8) | bytes[i++];
          have += 8;
        }
      out[o++] = crockford[(bits >> (have - 5)) & 31];
      have -= 5;
    }
  out[o] = '\0';
}

static void
hash_id (const char *text, gsize len, char out[ID_CHARS + 1])
{
  guint8 digest[crypto_generichash_BYTES];

  crypto_generichash (digest, sizeof digest, (const guint8 *) text, len, NULL, 0);
  base32 (digest, sizeof digest, out, ID_CHARS);
}

/* The operator id: the same legal entity under the same prefecture's rules, whatever the store. */
static void
operator_id (DcStore *store, char out[ID_CHARS + 1])
{
  g_autofree char *name = dc_normalize_name (dc_store_operator (store));
  g_autoptr(GString) text = g_string_new ("daicho-operator");

  g_string_append_c (text, '\0');
  g_string_append (text, name);
  g_string_append_c (text, '\0');
  g_string_append (text, dc_profile_prefecture (dc_store_profile (store)));
  hash_id (text->str, text->len, out);
}

static void
store_id (DcStore *store, char out[ID_CHARS + 1])
{
  g_autofree char *text = g_strconcat ("daicho-store:", dc_store_uuid (store), NULL);

  hash_id (text, strlen (text), out);
}

/* The prefecture's, not the curfew's: a store that sets its own curfew hours is still under
 * its prefecture's law, and its cards stay valid when the hours change. */
static char *
prefecture_code (DcStore *store)
{
  return g_ascii_strup (dc_profile_prefecture (dc_store_profile (store)), -1);
}

static const char *
prefecture_label (DcStore *store)
{
  const DcProfile *prefecture = dc_profile_lookup (dc_profile_prefecture (dc_store_profile (store)));

  return prefecture != NULL ? _(prefecture->label) : dc_profile_prefecture (dc_store_profile (store));
}

/* The MAC of @text under the card key (itself keyed BLAKE2b under the index key). */
static void
card_mac (const DcVault *vault, const char *text, gsize len, char out[MAC_CHARS + 1])
{
  guint8 key[DC_BLIND_BYTES];
  guint8 mac[MAC_BYTES];

  G_STATIC_ASSERT (DC_BLIND_BYTES >= crypto_generichash_KEYBYTES_MIN);
  dc_vault_blind_index (vault, "card", "mac-key-1", key);
  crypto_generichash (mac, sizeof mac, (const guint8 *) text, len, key, sizeof key);
  sodium_memzero (key, sizeof key);
  base32 (mac, sizeof mac, out, MAC_CHARS);
}

gboolean
dc_card_is_payload (const char *text)
{
  return text != NULL && g_ascii_strncasecmp (text, DC_CARD_PREFIX, strlen (DC_CARD_PREFIX)) == 0;
}

char *
dc_card_payload (DcStore *store, const DcVault *vault, const char *member_number, gint64 generation)
{
  g_autofree char *pref = prefecture_code (store);
  char op[ID_CHARS + 1], shop[ID_CHARS + 1], mac[MAC_CHARS + 1];
  GString *text;

  g_return_val_if_fail (generation >= 1, NULL);
  operator_id (store, op);
  store_id (store, shop);
  text = g_string_new (NULL);
  g_string_printf (text, DC_CARD_PREFIX "%s:%s:%s:%s:%" PRId64 ":", pref, op, shop, member_number, generation);
  card_mac (vault, text->str, text->len, mac);
  g_string_append (text, mac);
  return g_string_free (text, FALSE);
}

/* ---- checking a scan ---- */

static gboolean
all_chars (const char *s, gsize min, gsize max, const char *allowed)
{
  gsize len = strlen (s);

  return len >= min && len <= max && strspn (s, allowed) == len;
}

static DcCardCheck
refuse (GError **error, DcCardCheck check, gint code, const char *message)
{
  g_set_error_literal (error, DC_ERROR, code, message);
  return check;
}

/* The form alone: seven fields, each of its alphabet and length. */
static gboolean
well_formed (char **f)
{
  gint64 gen;

  if (g_strv_length (f) != N_FIELDS)
    return FALSE;
  if (!all_chars (f[1], 1, MAX_PREF_CHARS, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
      || !all_chars (f[2], ID_CHARS, ID_CHARS, crockford) || !all_chars (f[3], ID_CHARS, ID_CHARS, crockford)
      || !all_chars (f[4], 2, 20, "0123456789") || !all_chars (f[5], 1, MAX_GEN_CHARS, "0123456789")
      || !all_chars (f[6], MAC_CHARS, MAC_CHARS, crockford))
    return FALSE;
  gen = g_ascii_strtoll (f[5], NULL, 10);
  return gen >= 1 && f[5][0] != '0';
}

/* Everything that needs no database: prefix, form, prefecture, operator, store, MAC. */
static DcCardCheck
check_text (DcStore *store, const DcVault *vault, const char *text, char ***out_fields, GError **error)
{
  g_auto(GStrv) f = NULL;
  g_autofree char *pref = prefecture_code (store);
  char op[ID_CHARS + 1], shop[ID_CHARS + 1], mac[MAC_CHARS + 1];
  const char *mac_at;

  if (!dc_card_is_payload (text))
    return refuse (error, DC_CARD_NOT_DAICHO, DC_ERROR_INVALID,
                   _("This code is not a Daicho member card. Ask for the member card, or check an identity document."));
  f = g_strsplit (text, ":", -1);
  if (!well_formed (f))
    return refuse (error, DC_CARD_GARBAGE, DC_ERROR_INVALID,
                   _("This member card cannot be read. Scan it again; if it still fails, check an identity document."));
  if (strcmp (f[1], pref) != 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_DOC_NOT_ACCEPTED,
                   _("This card was issued by a store outside %s: it does not prove an identity check here. Check an identity document."),
                   prefecture_label (store));
      return DC_CARD_OTHER_PREFECTURE;
    }
  operator_id (store, op);
  if (strcmp (f[2], op) != 0)
    return refuse (error, DC_CARD_OTHER_OPERATOR, DC_ERROR_DOC_NOT_ACCEPTED,
                   _("This card was issued by another company: it does not prove an identity check here. Check an identity document."));
  store_id (store, shop);
  if (strcmp (f[3], shop) != 0)
    return refuse (error, DC_CARD_OTHER_STORE, DC_ERROR_DOC_NOT_ACCEPTED,
                   _("This card belongs to another store: its members are not registered here. Check an identity document."));
  mac_at = strrchr (text, ':') + 1;
  card_mac (vault, text, (gsize) (mac_at - text), mac);
  if (sodium_memcmp (mac, f[6], MAC_CHARS) != 0 || !dc_member_number_check (f[4], NULL))
    return refuse (error, DC_CARD_FORGED, DC_ERROR_CRYPTO,
                   _("This card is forged or damaged: it was not issued by this store. Check an identity document."));
  *out_fields = g_steal_pointer (&f);
  return DC_CARD_VALID;
}

/* The state of the card in the database. */
static DcCardCheck
check_state (DcStore *store, const char *member, gint64 generation, GError **error)
{
  DcCardRow row = { 0 };
  gboolean found;
  DcCardCheck check = DC_CARD_VALID;

  if (!dc_db_card_find (dc_store_db (store), member, generation, &row, &found, error))
    return DC_CARD_FAILED;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND,
                   _("Card of member %s is not on record in this store. Check an identity document."), member);
      return DC_CARD_UNKNOWN;
    }
  if (g_strcmp0 (row.end_reason, "reissued") == 0)
    {
      check = DC_CARD_REPLACED;
      g_set_error (error, DC_ERROR, DC_ERROR_DOC_NOT_ACCEPTED,
                   _("This is an old card of member %s: a new card replaced it. Ask for the new card."), member);
    }
  else if (g_strcmp0 (row.end_reason, "lost") == 0)
    {
      check = DC_CARD_LOST;
      g_set_error (error, DC_ERROR, DC_ERROR_DOC_NOT_ACCEPTED,
                   _("The card of member %s was reported lost. Check an identity document before letting this person in."),
                   member);
    }
  else if (row.ended_at != 0)
    {
      check = DC_CARD_REVOKED;
      g_set_error (error, DC_ERROR, DC_ERROR_DOC_NOT_ACCEPTED,
                   _("The card of member %s was revoked. Call a manager."), member);
    }
  dc_card_row_clear (&row);
  return check;
}

DcCardCheck
dc_card_check_full (DcStore *store, const DcVault *vault, const char *payload, char **out_member_number,
                    gint64 *out_generation, GError **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) f = NULL;
  gint64 generation;
  DcCardCheck check;

  g_return_val_if_fail (store != NULL && vault != NULL, DC_CARD_FAILED);
  if (out_member_number != NULL)
    *out_member_number = NULL;
  trimmed = g_strstrip (g_strdup (payload != NULL ? payload : ""));
  /* a scanner with caps lock on types lower case: base32 and the prefix are case-blind */
  text = g_ascii_strup (trimmed, -1);
  check = check_text (store, vault, text, &f, error);
  if (check != DC_CARD_VALID)
    return check;
  generation = g_ascii_strtoll (f[5], NULL, 10);
  check = check_state (store, f[4], generation, error);
  if (check == DC_CARD_VALID)
    {
      if (out_member_number != NULL)
        *out_member_number = g_strdup (f[4]);
      if (out_generation != NULL)
        *out_generation = generation;
    }
  return check;
}

DcCardCheck
dc_card_check (DcStore *store, const DcVault *vault, const char *payload, char **out_member_number, GError **error)
{
  return dc_card_check_full (store, vault, payload, out_member_number, NULL, error);
}

gboolean
dc_checkin_card (DcStore *store, DcActor *actor, const char *payload, const char *terminal, DcCheckinResult *result,
                 GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autofree char *member = NULL;
  gboolean ok;

  memset (result, 0, sizeof *result);
  g_return_val_if_fail (actor != NULL, FALSE);
  if (!dc_db_begin (db, error))
    return FALSE;
  ok = dc_card_check (store, dc_actor_vault (actor), payload, &member, error) == DC_CARD_VALID
       && dc_batch_checkin_member (store, actor, member, terminal, result, error);
  ok = ok && dc_db_commit (db, error);
  if (!ok)
    dc_db_rollback (db);
  return ok;
}

/* ---- the card's life ---- */

static gboolean
issue (DcStore *store, gint64 staff_id, gint64 customer_id, gint64 generation, gint64 now, const char *action,
       GError **error)
{
  gint64 id = 0;

  return dc_db_card_insert (dc_store_db (store), customer_id, generation, now, staff_id, &id, error)
         && dc_audit_row (store, staff_id, action, "cards", id, error);
}

gboolean
dc_card_issue_first (DcStore *store, gint64 staff_id, gint64 customer_id, gint64 now, GError **error)
{
  return issue (store, staff_id, customer_id, 1, now, "card-issue", error);
}

static gboolean
find_member (DcStore *store, const char *member_number, gint64 *out_customer, char **out_member, GError **error)
{
  g_autofree char *member = NULL;
  gboolean found;

  if (member_number == NULL || !dc_member_number_check (member_number, &member))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("This is not a valid member number: check the digits."));
      return FALSE;
    }
  if (!dc_db_customer_find_by_member (dc_store_db (store), member, out_customer, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no member %s."), member);
      return FALSE;
    }
  *out_member = g_steal_pointer (&member);
  return TRUE;
}

static gboolean
current_locked (DcStore *store, DcActor *actor, const char *member_number, char **out_payload,
                gint64 *out_generation, GError **error)
{
  g_autofree char *member = NULL;
  DcCardRow row = { 0 };
  gint64 customer = 0, generation = 1;
  gboolean found, ok = TRUE;

  if (!find_member (store, member_number, &customer, &member, error)
      || !dc_db_card_get (dc_store_db (store), customer, 0, &row, &found, error))
    return FALSE;
  if (!found)
    ok = issue (store, dc_actor_staff_id (actor), customer, 1, dc_store_now (store), "card-issue", error);
  else if (row.ended_at != 0)
    {
      if (g_strcmp0 (row.end_reason, "lost") == 0)
        g_set_error (error, DC_ERROR, DC_ERROR_DOC_NOT_ACCEPTED,
                     _("The card of member %s was reported lost: a manager must reissue it."), member);
      else
        g_set_error (error, DC_ERROR, DC_ERROR_DOC_NOT_ACCEPTED,
                     _("The card of member %s was revoked: only a manager can issue a new one."), member);
      ok = FALSE;
    }
  else
    generation = row.generation;
  dc_card_row_clear (&row);
  if (!ok)
    return FALSE;
  *out_payload = dc_card_payload (store, dc_actor_vault (actor), member, generation);
  if (out_generation != NULL)
    *out_generation = generation;
  return TRUE;
}

gboolean
dc_card_current (DcStore *store, DcActor *actor, const char *member_number, char **out_payload,
                 gint64 *out_generation, GError **error)
{
  DcDb *db = dc_store_db (store);
  gboolean ok;

  *out_payload = NULL;
  if (actor == NULL || g_str_equal (dc_actor_role (actor), "auditor"))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION, _("Auditors cannot print member cards."));
      return FALSE;
    }
  if (!dc_db_begin (db, error))
    return FALSE;
  ok = current_locked (store, actor, member_number, out_payload, out_generation, error) && dc_db_commit (db, error);
  if (!ok)
    {
      dc_db_rollback (db);
      g_clear_pointer (out_payload, g_free);
    }
  return ok;
}

typedef enum {
  CHANGE_REISSUE,
  CHANGE_LOST,
  CHANGE_REVOKE,
} CardChange;

static const char *const change_reasons[] = { "reissued", "lost", "revoked" };
static const char *const change_actions[] = { "card-reissue", "card-lost", "card-revoke" };

static gboolean
change_locked (DcStore *store, DcActor *manager, const char *member_number, CardChange change,
               gint64 *out_generation, GError **error)
{
  DcDb *db = dc_store_db (store);
  g_autofree char *member = NULL;
  DcCardRow row = { 0 };
  gint64 customer = 0, staff = dc_actor_staff_id (manager), now = dc_store_now (store);
  gboolean found, ok = TRUE;

  if (!find_member (store, member_number, &customer, &member, error)
      || !dc_db_card_get (db, customer, 0, &row, &found, error))
    return FALSE;
  if (found && row.ended_at == 0)
    ok = dc_db_card_end (db, row.id, now, staff, change_reasons[change], error)
         && dc_audit_row (store, staff, change_actions[change], "cards", row.id, error);
  else if (change != CHANGE_REISSUE)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("Member %s has no valid card."), member);
      ok = FALSE;
    }
  if (ok && change == CHANGE_REISSUE)
    {
      gint64 generation = found ? row.generation + 1 : 1;

      ok = issue (store, staff, customer, generation, now, "card-reissue", error);
      if (ok && out_generation != NULL)
        *out_generation = generation;
    }
  dc_card_row_clear (&row);
  return ok;
}

static gboolean
change (DcStore *store, DcActor *manager, const char *member_number, CardChange what, gint64 *out_generation,
        GError **error)
{
  DcDb *db = dc_store_db (store);
  gboolean ok;

  if (manager == NULL || !dc_actor_is_manager (manager))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION, _("Only a manager may reissue, end or revoke a member card."));
      return FALSE;
    }
  if (!dc_db_begin (db, error))
    return FALSE;
  ok = change_locked (store, manager, member_number, what, out_generation, error) && dc_db_commit (db, error);
  if (!ok)
    dc_db_rollback (db);
  return ok;
}

gboolean
dc_card_reissue (DcStore *store, DcActor *manager, const char *member_number, gint64 *out_generation,
                 GError **error)
{
  return change (store, manager, member_number, CHANGE_REISSUE, out_generation, error);
}

gboolean
dc_card_report_lost (DcStore *store, DcActor *manager, const char *member_number, GError **error)
{
  return change (store, manager, member_number, CHANGE_LOST, NULL, error);
}

gboolean
dc_card_revoke (DcStore *store, DcActor *manager, const char *member_number, GError **error)
{
  return change (store, manager, member_number, CHANGE_REVOKE, NULL, error);
}
