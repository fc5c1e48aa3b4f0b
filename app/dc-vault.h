/* app/dc-vault.h — the key hierarchy (design.md §4): master key, derived keys, key slots, field crypto. */
#pragma once

#include <glib.h>
#include "dc-error.h"
#include "dc-recovery-code.h"

G_BEGIN_DECLS

#define DC_KEY_BYTES        32   /* master, index, tier, X25519 keys */
#define DC_SIGN_PK_BYTES    32
#define DC_SIGNATURE_BYTES  64
#define DC_BLIND_BYTES      16   /* person and document indexes */
#define DC_NAME_INDEX_BITS  12   /* name-only index: deliberately coarse */
#define DC_SALT_BYTES       16
#define DC_NONCE_BYTES      24

/* An unlocked vault. All secrets live in sodium_malloc memory and are wiped on free.
 * A vault unlocked from a manager's passphrase or the recovery key holds the master key
 * and everything derived from it; one unlocked from a staff PIN holds only the index and
 * counter-tier keys (it can seal but never open an identity payload). */
typedef struct _DcVault DcVault;

typedef enum {
  DC_SLOT_PASSPHRASE,   /* manager or auditor: Argon2id ≥ MODERATE, wraps the master key */
  DC_SLOT_RECOVERY,     /* the printed recovery key: wraps the master key */
  DC_SLOT_PIN,          /* staff PIN: Argon2id INTERACTIVE, wraps index + tier keys only */
} DcSlotKind;

/* A wrapped key as stored in the keyslots table. */
typedef struct {
  DcSlotKind kind;
  guint64    opslimit;               /* Argon2id; 0 for recovery slots */
  guint64    memlimit;
  guint8     salt[DC_SALT_BYTES];
  guint8     nonce[DC_NONCE_BYTES];
  GBytes    *wrapped;                /* XChaCha20-Poly1305 ciphertext + tag */
} DcKeySlot;

void dc_key_slot_free (DcKeySlot *slot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcKeySlot, dc_key_slot_free)

/* libsodium must be initialised once per program; returns FALSE if it cannot be. */
gboolean dc_crypto_init (void);

/* A fresh store: a new random master key. */
DcVault  *dc_vault_new (void);
void      dc_vault_free (DcVault *vault);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcVault, dc_vault_free)

gboolean  dc_vault_has_master (const DcVault *vault);

/* The store's public keys, derived from the master key (only with the master key). */
void      dc_vault_public_keys (const DcVault *vault,
                                guint8 box_pk[DC_KEY_BYTES],
                                guint8 sign_pk[DC_SIGN_PK_BYTES]);

/* Wrap the master key under a passphrase (≥ 10 characters, else DC_ERROR_WEAK_SECRET).
 * Needs the master key. Argon2id at libsodium's MODERATE limits. */
DcKeySlot *dc_vault_wrap_passphrase (const DcVault *vault, const char *passphrase, GError **error);

/* Wrap the master key under a new recovery key; *@out_code receives the printable code
 * (sodium_malloc'd, free with dc_secret_free), groups of 4 Crockford base32 characters
 * with a check group, e.g. "7K3M-QX2P-…". */
DcKeySlot *dc_vault_wrap_recovery (const DcVault *vault, char **out_code, GError **error);

/* Wrap the index and tier keys under a staff PIN (4–8 ASCII digits, else
 * DC_ERROR_WEAK_SECRET). Works on any vault, so a staff member can change their own PIN;
 * who may add staff is the rules layer's decision. */
DcKeySlot *dc_vault_wrap_pin (const DcVault *vault, const char *pin, GError **error);

/* Unwrap a slot. A wrong secret → DC_ERROR_WRONG_SECRET (never anything more specific).
 * A passphrase slot whose stored limits are below MODERATE is refused (DC_ERROR_CRYPTO):
 * a tampered slot must not downgrade the KDF. The recovery code is accepted with any case,
 * with or without hyphens and spaces, with O→0 and I/L→1; its check group is verified first
 * (a typo → DC_ERROR_WRONG_SECRET saying the code is mistyped). */
DcVault  *dc_vault_unlock (const DcKeySlot *slot, const char *secret, GError **error);

/* After an unlock with the master key: do its derived public keys match the stored ones?
 * (Guards against a slot swapped for one wrapping another master key.) */
gboolean  dc_vault_matches (const DcVault *vault,
                            const guint8 box_pk[DC_KEY_BYTES],
                            const guint8 sign_pk[DC_SIGN_PK_BYTES]);

/* Seal @plain to the store's public key (crypto_box_seal): anyone may write, only a
 * master-key vault may read. */
GBytes   *dc_seal (const guint8 box_pk[DC_KEY_BYTES], GBytes *plain);
/* Open a sealed payload. Needs the master key (DC_ERROR_PERMISSION otherwise);
 * DC_ERROR_CRYPTO when it does not open. The result lives in sodium_malloc memory,
 * wiped when the GBytes is freed. */
GBytes   *dc_vault_open_sealed (const DcVault *vault, GBytes *sealed, GError **error);
/* The same into @out (exactly @out_len bytes of plaintext expected, else DC_ERROR_CRYPTO),
 * for many payloads opened at once into one secure block: no secure allocation per call.
 * @out should be sodium_malloc memory; the caller wipes it. Touches nothing in @vault but
 * its keys, so threads may open payloads with one vault at the same time. */
gboolean  dc_vault_open_sealed_to (const DcVault *vault, GBytes *sealed, guint8 *out, gsize out_len,
                                   GError **error);

/* Read keys (docs/decisions.md, "Police read keys"): the per-record shared key of a sealed
 * payload (crypto_box_beforenm of its ephemeral public key and the store's secret key),
 * wrapped with XChaCha20-Poly1305 under a key derived from the master key, @record_id bound
 * as associated data; nonce || ciphertext || tag. With it a payload opens without an
 * X25519. All three need the master key (DC_ERROR_PERMISSION otherwise: a PIN vault has no
 * read key) and, like dc_vault_open_sealed_to, may run on several threads at once. */
#define DC_READ_KEY_WRAPPED_BYTES (DC_NONCE_BYTES + DC_KEY_BYTES + 16)
/* dc_vault_open_sealed_to, also giving the payload's wrapped read key. */
gboolean  dc_vault_open_sealed_wrap_to (const DcVault *vault, GBytes *sealed, gint64 record_id, guint8 *out,
                                        gsize out_len, guint8 wrapped[DC_READ_KEY_WRAPPED_BYTES], GError **error);
/* Only the wrapped read key (one X25519): nothing is decrypted. DC_ERROR_CRYPTO for a payload
 * too short to be a sealed box, or whose ephemeral key is not a valid point. */
gboolean  dc_vault_wrap_sealed_key (const DcVault *vault, GBytes *sealed, gint64 record_id,
                                    guint8 wrapped[DC_READ_KEY_WRAPPED_BYTES], GError **error);
/* Open @sealed (@out_len bytes of plaintext expected) with its wrapped read key @wrapped.
 * DC_ERROR_CRYPTO when the key does not unwrap for @record_id (altered, or moved from
 * another record) or the payload does not open with it; @out is then wiped. */
gboolean  dc_vault_open_sealed_cached_to (const DcVault *vault, GBytes *sealed, gint64 record_id, GBytes *wrapped,
                                          guint8 *out, gsize out_len, GError **error);

/* Counter tier: XChaCha20-Poly1305 under the tier key, random nonce prepended,
 * @ad bound as associated data. */
GBytes   *dc_vault_tier_encrypt (const DcVault *vault, GBytes *plain, const guint8 *ad, gsize ad_len);
GBytes   *dc_vault_tier_decrypt (const DcVault *vault, GBytes *cipher, const guint8 *ad, gsize ad_len,
                                 GError **error);
/* The same into @out (exactly @out_len bytes of plaintext expected), for small payloads read
 * in bulk: no secure allocation per call; the caller wipes @out (sodium_memzero). */
gboolean  dc_vault_tier_decrypt_to (const DcVault *vault, GBytes *cipher, const guint8 *ad, gsize ad_len,
                                    guint8 *out, gsize out_len, GError **error);

/* Blind index: keyed BLAKE2b over "@domain\0@normalized" with the index key.
 * Full index: DC_BLIND_BYTES bytes into @out. The domain "name" is reserved for
 * dc_vault_name_index: never store its full index, or the coarse one means nothing. */
void      dc_vault_blind_index (const DcVault *vault, const char *domain, const char *normalized,
                                guint8 out[DC_BLIND_BYTES]);
/* Coarse index for name-only search: the first DC_NAME_INDEX_BITS bits (big-endian) of
 * the blind index in domain "name", as an integer below 1 << DC_NAME_INDEX_BITS. */
guint32   dc_vault_name_index (const DcVault *vault, const char *normalized);

/* Ed25519 detached signature with the store key (needs the master key). */
gboolean  dc_vault_sign (const DcVault *vault, const guint8 *msg, gsize len,
                         guint8 sig[DC_SIGNATURE_BYTES], GError **error);
gboolean  dc_signature_check (const guint8 sign_pk[DC_SIGN_PK_BYTES], const guint8 *msg, gsize len,
                              const guint8 sig[DC_SIGNATURE_BYTES]);

/* BLAKE2b-256, unkeyed: row and chain hashes anyone can recompute. */
void      dc_hash256 (const guint8 *data, gsize len, guint8 out[32]);

/* Secrets read from people: sodium_malloc'd NUL-terminated strings.
 * Declare them as g_autoptr(DcSecret) so they are wiped on every path. */
typedef char DcSecret;
char     *dc_secret_read_fd (int fd, GError **error);          /* one line from @fd, newline stripped */
char     *dc_secret_prompt (const char *prompt, GError **error); /* from /dev/tty, no echo */
char     *dc_secret_dup (const char *text);
void      dc_secret_free (char *secret);                       /* wipes, then frees */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcSecret, dc_secret_free)

/* Lines longer than this (newline excluded) are refused by dc_secret_read_fd/_prompt. */
#define DC_SECRET_MAX_BYTES 1024

/* sodium_malloc that aborts on failure, as g_malloc does; free with sodium_free. */
gpointer  dc_secure_alloc (gsize size);

/* For the programs, before any secret is read: no core file, no ptrace by the same user. */
void      dc_secret_disable_core_dumps (void);

G_END_DECLS
