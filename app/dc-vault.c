/* app/dc-vault.c — the key hierarchy: master key, derived keys, key slots, field crypto. */
#include "dc-vault.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

/* Changing any of these makes every existing store unreadable. */
#define KDF_CONTEXT       "daicho01"
#define KDF_ID_BOX_SEED   1
#define KDF_ID_SIGN_SEED  2
#define KDF_ID_INDEX      3
#define KDF_ID_TIER       4
#define KDF_ID_READ       5
#define READ_KEY_DOMAIN   "daicho-read-key-v1"
#define RECOVERY_DOMAIN   "daicho-recovery"
#define NAME_DOMAIN       "name"
#define STAFF_KEY_BYTES   (2 * DC_KEY_BYTES)

G_STATIC_ASSERT (sizeof KDF_CONTEXT - 1 == crypto_kdf_CONTEXTBYTES);
G_STATIC_ASSERT (DC_KEY_BYTES == crypto_kdf_KEYBYTES);
G_STATIC_ASSERT (DC_KEY_BYTES == crypto_box_PUBLICKEYBYTES);
G_STATIC_ASSERT (DC_KEY_BYTES == crypto_box_SEEDBYTES);
G_STATIC_ASSERT (DC_KEY_BYTES == crypto_sign_SEEDBYTES);
G_STATIC_ASSERT (DC_SIGN_PK_BYTES == crypto_sign_PUBLICKEYBYTES);
G_STATIC_ASSERT (DC_SIGNATURE_BYTES == crypto_sign_BYTES);
G_STATIC_ASSERT (DC_SALT_BYTES == crypto_pwhash_SALTBYTES);
G_STATIC_ASSERT (DC_NONCE_BYTES == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
G_STATIC_ASSERT (DC_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
G_STATIC_ASSERT (DC_BLIND_BYTES >= crypto_generichash_BYTES_MIN);
G_STATIC_ASSERT (DC_SALT_BYTES >= crypto_generichash_KEYBYTES_MIN);

/* The whole struct lives in one sodium_malloc block: guarded, locked, wiped on free. */
struct _DcVault
{
  gboolean has_master;
  guint8   master[DC_KEY_BYTES];
  guint8   seed[DC_KEY_BYTES];      /* scratch for key-pair derivation, wiped after use */
  guint8   box_pk[crypto_box_PUBLICKEYBYTES];
  guint8   box_sk[crypto_box_SECRETKEYBYTES];
  guint8   sign_pk[crypto_sign_PUBLICKEYBYTES];
  guint8   sign_sk[crypto_sign_SECRETKEYBYTES];
  guint8   staff[STAFF_KEY_BYTES];  /* index key || tier key: what a PIN slot wraps */
  guint8   read[DC_KEY_BYTES];      /* wraps cached read keys; only with the master key */
};

#define INDEX_KEY(v) ((v)->staff)
#define TIER_KEY(v)  ((v)->staff + DC_KEY_BYTES)

gboolean
dc_crypto_init (void)
{
  return sodium_init () >= 0;
}

static DcVault *
vault_alloc (void)
{
  DcVault *vault = dc_secure_alloc (sizeof (DcVault));

  sodium_memzero (vault, sizeof (DcVault));
  return vault;
}

void
dc_vault_free (DcVault *vault)
{
  sodium_free (vault);
}

static void
vault_derive (DcVault *vault)
{
  crypto_kdf_derive_from_key (vault->seed, sizeof vault->seed, KDF_ID_BOX_SEED, KDF_CONTEXT,
                              vault->master);
  crypto_box_seed_keypair (vault->box_pk, vault->box_sk, vault->seed);
  crypto_kdf_derive_from_key (vault->seed, sizeof vault->seed, KDF_ID_SIGN_SEED, KDF_CONTEXT,
                              vault->master);
  crypto_sign_seed_keypair (vault->sign_pk, vault->sign_sk, vault->seed);
  sodium_memzero (vault->seed, sizeof vault->seed);
  crypto_kdf_derive_from_key (INDEX_KEY (vault), DC_KEY_BYTES, KDF_ID_INDEX, KDF_CONTEXT,
                              vault->master);
  crypto_kdf_derive_from_key (TIER_KEY (vault), DC_KEY_BYTES, KDF_ID_TIER, KDF_CONTEXT,
                              vault->master);
  crypto_kdf_derive_from_key (vault->read, DC_KEY_BYTES, KDF_ID_READ, KDF_CONTEXT, vault->master);
  vault->has_master = TRUE;
}

DcVault *
dc_vault_new (void)
{
  DcVault *vault = vault_alloc ();

  crypto_kdf_keygen (vault->master);
  vault_derive (vault);
  return vault;
}

gboolean
dc_vault_has_master (const DcVault *vault)
{
  g_return_val_if_fail (vault != NULL, FALSE);
  return vault->has_master;
}

static gboolean
need_master (const DcVault *vault, GError **error)
{
  if (vault->has_master)
    return TRUE;
  g_set_error_literal (error, DC_ERROR, DC_ERROR_PERMISSION,
                       _("This needs a manager's passphrase."));
  return FALSE;
}

void
dc_vault_public_keys (const DcVault *vault,
                      guint8 box_pk[DC_KEY_BYTES],
                      guint8 sign_pk[DC_SIGN_PK_BYTES])
{
  g_return_if_fail (vault != NULL && vault->has_master);
  memcpy (box_pk, vault->box_pk, DC_KEY_BYTES);
  memcpy (sign_pk, vault->sign_pk, DC_SIGN_PK_BYTES);
}

gboolean
dc_vault_matches (const DcVault *vault,
                  const guint8 box_pk[DC_KEY_BYTES],
                  const guint8 sign_pk[DC_SIGN_PK_BYTES])
{
  g_return_val_if_fail (vault != NULL && vault->has_master, FALSE);
  return sodium_memcmp (vault->box_pk, box_pk, DC_KEY_BYTES) == 0
         && sodium_memcmp (vault->sign_pk, sign_pk, DC_SIGN_PK_BYTES) == 0;
}

/* ---- Key slots ---- */

void
dc_key_slot_free (DcKeySlot *slot)
{
  if (slot == NULL)
    return;
  g_clear_pointer (&slot->wrapped, g_bytes_unref);
  g_free (slot);
}

static const char *
slot_label (DcSlotKind kind)
{
  switch (kind)
    {
    case DC_SLOT_PASSPHRASE:
      return "daicho-slot-passphrase-v1";
    case DC_SLOT_RECOVERY:
      return "daicho-slot-recovery-v1";
    case DC_SLOT_PIN:
      return "daicho-slot-pin-v1";
    default:
      return NULL;
    }
}

/* Associated data: the slot's kind and its Argon2 limits, so that editing either in the
 * database breaks the tag instead of silently weakening the slot. */
static gsize
slot_ad (const DcKeySlot *slot, guint8 ad[64])
{
  const char *label = slot_label (slot->kind);
  gsize len = strlen (label);
  guint64 ops = GUINT64_TO_LE (slot->opslimit);
  guint64 mem = GUINT64_TO_LE (slot->memlimit);

  memcpy (ad, label, len);
  memcpy (ad + len, &ops, sizeof ops);
  memcpy (ad + len + sizeof ops, &mem, sizeof mem);
  return len + sizeof ops + sizeof mem;
}

static gsize
slot_plain_len (DcSlotKind kind)
{
  return kind == DC_SLOT_PIN ? STAFF_KEY_BYTES : DC_KEY_BYTES;
}

static DcKeySlot *
slot_new (DcSlotKind kind, guint64 opslimit, guint64 memlimit)
{
  DcKeySlot *slot = g_new0 (DcKeySlot, 1);

  slot->kind = kind;
  slot->opslimit = opslimit;
  slot->memlimit = memlimit;
  randombytes_buf (slot->salt, sizeof slot->salt);
  randombytes_buf (slot->nonce, sizeof slot->nonce);
  return slot;
}

static void
slot_wrap (DcKeySlot *slot, const guint8 *wrap_key, const guint8 *plain)
{
  gsize plain_len = slot_plain_len (slot->kind);
  gsize cipher_len = plain_len + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  guint8 *cipher = g_malloc (cipher_len);
  guint8 ad[64];
  gsize ad_len = slot_ad (slot, ad);

  crypto_aead_xchacha20poly1305_ietf_encrypt (cipher, NULL, plain, plain_len, ad, ad_len,
                                              NULL, slot->nonce, wrap_key);
  slot->wrapped = g_bytes_new_take (cipher, cipher_len);
}

static gboolean
slot_unwrap (const DcKeySlot *slot, const guint8 *wrap_key, guint8 *plain)
{
  gsize len;
  const guint8 *cipher = g_bytes_get_data (slot->wrapped, &len);
  guint8 ad[64];
  gsize ad_len = slot_ad (slot, ad);

  return crypto_aead_xchacha20poly1305_ietf_decrypt (plain, NULL, NULL, cipher, len, ad, ad_len,
                                                     slot->nonce, wrap_key) == 0;
}

static gboolean
pwhash (guint8 key[DC_KEY_BYTES], const char *secret, const DcKeySlot *slot, GError **error)
{
  if (slot->memlimit <= G_MAXSIZE
      && crypto_pwhash (key, DC_KEY_BYTES, secret, strlen (secret), slot->salt, slot->opslimit,
                        (gsize) slot->memlimit, crypto_pwhash_ALG_ARGON2ID13) == 0)
    return TRUE;
  g_set_error_literal (error, DC_ERROR, DC_ERROR_CRYPTO,
                       _("The key could not be derived: there is not enough memory."));
  return FALSE;
}

static void
recovery_wrap_key (guint8 key[DC_KEY_BYTES], const guint8 recovery[DC_RECOVERY_KEY_BYTES],
                   const guint8 salt[DC_SALT_BYTES])
{
  crypto_generichash_state state;

  crypto_generichash_init (&state, salt, DC_SALT_BYTES, DC_KEY_BYTES);
  crypto_generichash_update (&state, (const guint8 *) RECOVERY_DOMAIN, strlen (RECOVERY_DOMAIN));
  crypto_generichash_update (&state, recovery, DC_RECOVERY_KEY_BYTES);
  crypto_generichash_final (&state, key, DC_KEY_BYTES);
  sodium_memzero (&state, sizeof state);
}

static gboolean
passphrase_is_strong (const char *passphrase, GError **error)
{
  if (!g_utf8_validate (passphrase, -1, NULL))
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_INVALID,
                           _("The passphrase is not valid UTF-8 text."));
      return FALSE;
    }
  if (g_utf8_strlen (passphrase, -1) >= 10)
    return TRUE;
  g_set_error_literal (error, DC_ERROR, DC_ERROR_WEAK_SECRET,
                       _("A passphrase needs at least 10 characters."));
  return FALSE;
}

static gboolean
pin_is_valid (const char *pin)
{
  gsize len = strlen (pin);

  if (len < 4 || len > 8)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isdigit (pin[i]))
      return FALSE;
  return TRUE;
}

/* Argon2 on @secret, then wrap @plain: the shared tail of the passphrase and PIN wraps. */
static DcKeySlot *
wrap_with_pwhash (DcSlotKind kind, guint64 ops, guint64 mem, const char *secret,
                  const guint8 *plain, GError **error)
{
  g_autoptr(DcKeySlot) slot = slot_new (kind, ops, mem);
  guint8 *key = dc_secure_alloc (DC_KEY_BYTES);
  gboolean ok = pwhash (key, secret, slot, error);

  if (ok)
    slot_wrap (slot, key, plain);
  sodium_free (key);
  return ok ? g_steal_pointer (&slot) : NULL;
}

DcKeySlot *
dc_vault_wrap_passphrase (const DcVault *vault, const char *passphrase, GError **error)
{
  g_return_val_if_fail (vault != NULL && passphrase != NULL, NULL);

  if (!need_master (vault, error) || !passphrase_is_strong (passphrase, error))
    return NULL;
  return wrap_with_pwhash (DC_SLOT_PASSPHRASE, crypto_pwhash_OPSLIMIT_MODERATE,
                           crypto_pwhash_MEMLIMIT_MODERATE, passphrase, vault->master, error);
}

DcKeySlot *
dc_vault_wrap_pin (const DcVault *vault, const char *pin, GError **error)
{
  g_return_val_if_fail (vault != NULL && pin != NULL, NULL);

  if (!pin_is_valid (pin))
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_WEAK_SECRET, _("A PIN is 4 to 8 digits."));
      return NULL;
    }
  return wrap_with_pwhash (DC_SLOT_PIN, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                           crypto_pwhash_MEMLIMIT_INTERACTIVE, pin, vault->staff, error);
}

DcKeySlot *
dc_vault_wrap_recovery (const DcVault *vault, char **out_code, GError **error)
{
  DcKeySlot *slot;
  guint8 *recovery;
  guint8 *key;

  g_return_val_if_fail (vault != NULL && out_code != NULL, NULL);

  if (!need_master (vault, error))
    return NULL;
  slot = slot_new (DC_SLOT_RECOVERY, 0, 0);
  recovery = dc_secure_alloc (DC_RECOVERY_KEY_BYTES);
  key = dc_secure_alloc (DC_KEY_BYTES);
  randombytes_buf (recovery, DC_RECOVERY_KEY_BYTES);
  recovery_wrap_key (key, recovery, slot->salt);
  slot_wrap (slot, key, vault->master);
  *out_code = dc_recovery_code_format (recovery);
  sodium_free (key);
  sodium_free (recovery);
  return slot;
}

static void
set_altered (GError **error)
{
  g_set_error_literal (error, DC_ERROR, DC_ERROR_CRYPTO,
                       _("The key slot was altered and cannot be used."));
}

/* Refuse what a genuine slot never holds, before spending any effort on it: above all,
 * limits below the ones we wrap with, which would make guessing cheaper. */
static gboolean
slot_is_sound (const DcKeySlot *slot, GError **error)
{
  gboolean sound;

  switch (slot->kind)
    {
    case DC_SLOT_PASSPHRASE:
      sound = slot->opslimit >= crypto_pwhash_OPSLIMIT_MODERATE
              && slot->memlimit >= crypto_pwhash_MEMLIMIT_MODERATE;
      break;
    case DC_SLOT_PIN:
      sound = slot->opslimit >= crypto_pwhash_OPSLIMIT_INTERACTIVE
              && slot->memlimit >= crypto_pwhash_MEMLIMIT_INTERACTIVE;
      break;
    case DC_SLOT_RECOVERY:
      sound = slot->opslimit == 0 && slot->memlimit == 0;
      break;
    default:
      sound = FALSE;
      break;
    }
  if (sound && slot->wrapped != NULL
      && g_bytes_get_size (slot->wrapped)
         == slot_plain_len (slot->kind) + crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return TRUE;
  set_altered (error);
  return FALSE;
}

/* The key that wraps @slot, from the secret a person typed. */
static gboolean
slot_wrap_key (const DcKeySlot *slot, const char *secret, guint8 key[DC_KEY_BYTES],
               GError **error)
{
  guint8 *recovery;
  gboolean ok;

  if (slot->kind != DC_SLOT_RECOVERY)
    return pwhash (key, secret, slot, error);

  recovery = dc_secure_alloc (DC_RECOVERY_KEY_BYTES);
  ok = dc_recovery_code_parse (secret, recovery, error);
  if (ok)
    recovery_wrap_key (key, recovery, slot->salt);
  sodium_free (recovery);
  return ok;
}

static void
set_wrong_secret (DcSlotKind kind, GError **error)
{
  const char *message = kind == DC_SLOT_PIN ? _("Wrong PIN.")
                        : kind == DC_SLOT_RECOVERY ? _("Wrong recovery key.")
                        : _("Wrong passphrase.");

  g_set_error_literal (error, DC_ERROR, DC_ERROR_WRONG_SECRET, message);
}

DcVault *
dc_vault_unlock (const DcKeySlot *slot, const char *secret, GError **error)
{
  g_autoptr(DcVault) vault = NULL;
  guint8 *key;
  gboolean ok;

  g_return_val_if_fail (slot != NULL && secret != NULL, NULL);

  if (!slot_is_sound (slot, error))
    return NULL;
  key = dc_secure_alloc (DC_KEY_BYTES);
  if (!slot_wrap_key (slot, secret, key, error))
    {
      sodium_free (key);
      return NULL;
    }
  vault = vault_alloc ();
  ok = slot_unwrap (slot, key, slot->kind == DC_SLOT_PIN ? vault->staff : vault->master);
  sodium_free (key);
  if (!ok)
    {
      set_wrong_secret (slot->kind, error);
      return NULL;
    }
  if (slot->kind != DC_SLOT_PIN)
    vault_derive (vault);
  return g_steal_pointer (&vault);
}

/* ---- Sealed payloads, counter tier, signatures, indexes ---- */

static GBytes *
secure_bytes (guint8 *data, gsize len)
{
  return g_bytes_new_with_free_func (data, len, sodium_free, data);
}

GBytes *
dc_seal (const guint8 box_pk[DC_KEY_BYTES], GBytes *plain)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (plain, &len);
  guint8 *sealed = g_malloc (len + crypto_box_SEALBYTES);

  if (crypto_box_seal (sealed, data, len, box_pk) != 0)
    g_error ("crypto_box_seal failed");
  return g_bytes_new_take (sealed, len + crypto_box_SEALBYTES);
}

static void
set_undecryptable (GError **error)
{
  g_set_error_literal (error, DC_ERROR, DC_ERROR_CRYPTO,
                       _("The record could not be decrypted: it is damaged or was altered."));
}

GBytes *
dc_vault_open_sealed (const DcVault *vault, GBytes *sealed, GError **error)
{
  gsize len;
  const guint8 *data;
  guint8 *plain;

  g_return_val_if_fail (vault != NULL && sealed != NULL, NULL);

  if (!need_master (vault, error))
    return NULL;
  data = g_bytes_get_data (sealed, &len);
  if (len < crypto_box_SEALBYTES)
    {
      set_undecryptable (error);
      return NULL;
    }
  /* At least one byte: sodium_malloc (0) is not worth relying on. */
  plain = dc_secure_alloc (MAX (len - crypto_box_SEALBYTES, 1));
  if (crypto_box_seal_open (plain, data, len, vault->box_pk, vault->box_sk) != 0)
    {
      sodium_free (plain);
      set_undecryptable (error);
      return NULL;
    }
  return secure_bytes (plain, len - crypto_box_SEALBYTES);
}

gboolean
dc_vault_open_sealed_to (const DcVault *vault, GBytes *sealed, guint8 *out, gsize out_len, GError **error)
{
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (vault != NULL && sealed != NULL && out != NULL, FALSE);

  if (!need_master (vault, error))
    return FALSE;
  data = g_bytes_get_data (sealed, &len);
  if (len != out_len + crypto_box_SEALBYTES
      || crypto_box_seal_open (out, data, len, vault->box_pk, vault->box_sk) != 0)
    {
      sodium_memzero (out, out_len);
      set_undecryptable (error);
      return FALSE;
    }
  return TRUE;
}

/* ---- Read keys: the shared key of a sealed box, kept wrapped so that it opens without X25519 ----
 *
 * A sealed box is epk || MAC || ciphertext, made with crypto_box_easy under the nonce
 * BLAKE2b-24 (epk || recipient pk) and the key crypto_box_beforenm (epk, store sk): with
 * that key, crypto_box_open_easy_afternm opens the box as crypto_box_seal_open would,
 * minus the X25519. The key is wrapped with XChaCha20-Poly1305 under the read key, the
 * record's id bound as associated data: a wrapped key altered, or moved to another
 * record, does not unwrap. */

G_STATIC_ASSERT (DC_READ_KEY_WRAPPED_BYTES
                 == DC_NONCE_BYTES + crypto_box_BEFORENMBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES);
G_STATIC_ASSERT (crypto_box_NONCEBYTES == DC_NONCE_BYTES);

static void
read_key_ad (gint64 record_id, guint8 ad[sizeof READ_KEY_DOMAIN - 1 + 8])
{
  guint64 id = GUINT64_TO_LE ((guint64) record_id);

  memcpy (ad, READ_KEY_DOMAIN, sizeof READ_KEY_DOMAIN - 1);
  memcpy (ad + sizeof READ_KEY_DOMAIN - 1, &id, sizeof id);
}

static void
sealed_nonce (const guint8 *epk, const guint8 *pk, guint8 nonce[DC_NONCE_BYTES])
{
  crypto_generichash_state state;

  crypto_generichash_init (&state, NULL, 0, DC_NONCE_BYTES);
  crypto_generichash_update (&state, epk, crypto_box_PUBLICKEYBYTES);
  crypto_generichash_update (&state, pk, crypto_box_PUBLICKEYBYTES);
  crypto_generichash_final (&state, nonce, DC_NONCE_BYTES);
}

static void
read_key_wrap (const DcVault *vault, gint64 record_id, const guint8 key[crypto_box_BEFORENMBYTES],
               guint8 wrapped[DC_READ_KEY_WRAPPED_BYTES])
{
  guint8 ad[sizeof READ_KEY_DOMAIN - 1 + 8];

  read_key_ad (record_id, ad);
  randombytes_buf (wrapped, DC_NONCE_BYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt (wrapped + DC_NONCE_BYTES, NULL, key, crypto_box_BEFORENMBYTES,
                                              ad, sizeof ad, NULL, wrapped, vault->read);
}

/* The shared key of @data's box; FALSE if the ephemeral key is a weak point. */
static gboolean
sealed_key (const DcVault *vault, const guint8 *data, guint8 key[crypto_box_BEFORENMBYTES])
{
  return crypto_box_beforenm (key, data, vault->box_sk) == 0;
}

static gboolean
sealed_open_with (const DcVault *vault, const guint8 *data, gsize len, const guint8 *key, guint8 *out)
{
  guint8 nonce[DC_NONCE_BYTES];

  sealed_nonce (data, vault->box_pk, nonce);
  return crypto_box_open_easy_afternm (out, data + crypto_box_PUBLICKEYBYTES, len - crypto_box_PUBLICKEYBYTES,
                                       nonce, key) == 0;
}

gboolean
dc_vault_open_sealed_wrap_to (const DcVault *vault, GBytes *sealed, gint64 record_id, guint8 *out,
                              gsize out_len, guint8 wrapped[DC_READ_KEY_WRAPPED_BYTES], GError **error)
{
  guint8 key[crypto_box_BEFORENMBYTES];
  gsize len;
  const guint8 *data;
  gboolean ok;

  g_return_val_if_fail (vault != NULL && sealed != NULL && out != NULL && wrapped != NULL, FALSE);

  if (!need_master (vault, error))
    return FALSE;
  data = g_bytes_get_data (sealed, &len);
  ok = len == out_len + crypto_box_SEALBYTES && sealed_key (vault, data, key)
       && sealed_open_with (vault, data, len, key, out);
  if (ok)
    read_key_wrap (vault, record_id, key, wrapped);
  sodium_memzero (key, sizeof key);
  if (!ok)
    {
      sodium_memzero (out, out_len);
      set_undecryptable (error);
    }
  return ok;
}

gboolean
dc_vault_wrap_sealed_key (const DcVault *vault, GBytes *sealed, gint64 record_id,
                          guint8 wrapped[DC_READ_KEY_WRAPPED_BYTES], GError **error)
{
  guint8 key[crypto_box_BEFORENMBYTES];
  gsize len;
  const guint8 *data;
  gboolean ok;

  g_return_val_if_fail (vault != NULL && sealed != NULL && wrapped != NULL, FALSE);

  if (!need_master (vault, error))
    return FALSE;
  data = g_bytes_get_data (sealed, &len);
  ok = len >= crypto_box_SEALBYTES && sealed_key (vault, data, key);
  if (ok)
    read_key_wrap (vault, record_id, key, wrapped);
  sodium_memzero (key, sizeof key);
  if (!ok)
    set_undecryptable (error);
  return ok;
}

gboolean
dc_vault_open_sealed_cached_to (const DcVault *vault, GBytes *sealed, gint64 record_id, GBytes *wrapped,
                                guint8 *out, gsize out_len, GError **error)
{
  guint8 key[crypto_box_BEFORENMBYTES];
  guint8 ad[sizeof READ_KEY_DOMAIN - 1 + 8];
  gsize len, wrapped_len;
  const guint8 *data, *w;
  gboolean ok;

  g_return_val_if_fail (vault != NULL && sealed != NULL && wrapped != NULL && out != NULL, FALSE);

  if (!need_master (vault, error))
    return FALSE;
  data = g_bytes_get_data (sealed, &len);
  w = g_bytes_get_data (wrapped, &wrapped_len);
  read_key_ad (record_id, ad);
  if (wrapped_len != DC_READ_KEY_WRAPPED_BYTES
      || crypto_aead_xchacha20poly1305_ietf_decrypt (key, NULL, NULL, w + DC_NONCE_BYTES,
                                                     wrapped_len - DC_NONCE_BYTES, ad, sizeof ad, w,
                                                     vault->read) != 0)
    {
      sodium_memzero (key, sizeof key);
      sodium_memzero (out, out_len);
      g_set_error_literal (error, DC_ERROR, DC_ERROR_CRYPTO,
                           _("The cached read key of this record was altered and cannot be used."));
      return FALSE;
    }
  ok = len == out_len + crypto_box_SEALBYTES && sealed_open_with (vault, data, len, key, out);
  sodium_memzero (key, sizeof key);
  if (!ok)
    {
      sodium_memzero (out, out_len);
      set_undecryptable (error);
    }
  return ok;
}

GBytes *
dc_vault_tier_encrypt (const DcVault *vault, GBytes *plain, const guint8 *ad, gsize ad_len)
{
  gsize len;
  const guint8 *data;
  guint8 *out;

  g_return_val_if_fail (vault != NULL && plain != NULL, NULL);

  data = g_bytes_get_data (plain, &len);
  out = g_malloc (DC_NONCE_BYTES + len + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  randombytes_buf (out, DC_NONCE_BYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt (out + DC_NONCE_BYTES, NULL, data, len, ad, ad_len,
                                              NULL, out, TIER_KEY (vault));
  return g_bytes_new_take (out, DC_NONCE_BYTES + len + crypto_aead_xchacha20poly1305_ietf_ABYTES);
}

GBytes *
dc_vault_tier_decrypt (const DcVault *vault, GBytes *cipher, const guint8 *ad, gsize ad_len,
                       GError **error)
{
  const gsize overhead = DC_NONCE_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  gsize len;
  const guint8 *data;
  guint8 *plain;

  g_return_val_if_fail (vault != NULL && cipher != NULL, NULL);

  data = g_bytes_get_data (cipher, &len);
  if (len < overhead)
    {
      set_undecryptable (error);
      return NULL;
    }
  plain = dc_secure_alloc (MAX (len - overhead, 1));
  if (crypto_aead_xchacha20poly1305_ietf_decrypt (plain, NULL, NULL, data + DC_NONCE_BYTES,
                                                  len - DC_NONCE_BYTES, ad, ad_len, data,
                                                  TIER_KEY (vault)) != 0)
    {
      sodium_free (plain);
      set_undecryptable (error);
      return NULL;
    }
  return secure_bytes (plain, len - overhead);
}

gboolean
dc_vault_tier_decrypt_to (const DcVault *vault, GBytes *cipher, const guint8 *ad, gsize ad_len, guint8 *out,
                          gsize out_len, GError **error)
{
  const gsize overhead = DC_NONCE_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES;
  gsize len;
  const guint8 *data;

  g_return_val_if_fail (vault != NULL && cipher != NULL && out != NULL, FALSE);

  data = g_bytes_get_data (cipher, &len);
  if (len != out_len + overhead
      || crypto_aead_xchacha20poly1305_ietf_decrypt (out, NULL, NULL, data + DC_NONCE_BYTES, len - DC_NONCE_BYTES,
                                                     ad, ad_len, data, TIER_KEY (vault)) != 0)
    {
      sodium_memzero (out, out_len);
      set_undecryptable (error);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_vault_sign (const DcVault *vault, const guint8 *msg, gsize len,
               guint8 sig[DC_SIGNATURE_BYTES], GError **error)
{
  g_return_val_if_fail (vault != NULL, FALSE);

  if (!need_master (vault, error))
    return FALSE;
  crypto_sign_detached (sig, NULL, msg, len, vault->sign_sk);
  return TRUE;
}

gboolean
dc_signature_check (const guint8 sign_pk[DC_SIGN_PK_BYTES], const guint8 *msg, gsize len,
                    const guint8 sig[DC_SIGNATURE_BYTES])
{
  return crypto_sign_verify_detached (sig, msg, len, sign_pk) == 0;
}

void
dc_vault_blind_index (const DcVault *vault, const char *domain, const char *normalized,
                      guint8 out[DC_BLIND_BYTES])
{
  crypto_generichash_state state;

  g_return_if_fail (vault != NULL && domain != NULL && normalized != NULL);

  crypto_generichash_init (&state, INDEX_KEY (vault), DC_KEY_BYTES, DC_BLIND_BYTES);
  /* The NUL keeps ("ab", "c") and ("a", "bc") apart. */
  crypto_generichash_update (&state, (const guint8 *) domain, strlen (domain) + 1);
  crypto_generichash_update (&state, (const guint8 *) normalized, strlen (normalized));
  crypto_generichash_final (&state, out, DC_BLIND_BYTES);
  sodium_memzero (&state, sizeof state);
}

guint32
dc_vault_name_index (const DcVault *vault, const char *normalized)
{
  guint8 full[DC_BLIND_BYTES];
  guint32 value;

  G_STATIC_ASSERT (DC_NAME_INDEX_BITS <= 32);
  dc_vault_blind_index (vault, NAME_DOMAIN, normalized, full);
  value = ((guint32) full[0] << 24) | ((guint32) full[1] << 16)
          | ((guint32) full[2] << 8) | full[3];
  sodium_memzero (full, sizeof full);
  return value >> (32 - DC_NAME_INDEX_BITS);
}

void
dc_hash256 (const guint8 *data, gsize len, guint8 out[32])
{
  crypto_generichash (out, 32, data, len, NULL, 0);
}
