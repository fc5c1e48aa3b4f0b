/* tests/test-vault.c — the key hierarchy, key slots, field crypto and secret input. */
#include "dc-vault.h"

#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

/* Known answers, computed independently (Python: hashlib BLAKE2b, the cryptography
 * package's X25519, Ed25519, ChaCha20-Poly1305 and Argon2id, HChaCha20 by hand) for the
 * master key 0x40..0x5f. They pin every format a store keeps on disk. */
#define KAT_BOX_PK "\xb3\x4b\xc5\x18\x73\xfe\x5c\x11\xe8\xde\xa7\xd4\x3f\x27\xff\x0c\x31\xc2\xf0\xc0\x58\x41\xee\xe4\x88\x54\x22\xf7\x51\x2b\x85\x65"
#define KAT_SIGN_PK "\xf8\x64\x8e\xc3\x6c\x0b\xde\xb2\x4e\x62\xba\x2a\xe0\x0b\x81\xfd\x87\x58\x42\xca\x0c\xea\x4a\x06\x4c\xca\xdd\x69\xe5\xba\x62\x8b"
/* Domain "person", "ヤマダタロウ19900101". */
#define KAT_BLIND "\xa5\x7e\x86\xff\xd5\x8c\x82\xf1\x8e\xdb\xe0\xb6\x29\x2c\x1f\xc0"
#define KAT_NAME_INDEX 1459 /* "ヤマダタロウ" */
/* nonce 0xa0..0xb7 || XChaCha20-Poly1305 of "2030-04-01", AD "visit:42". */
#define KAT_TIER "\xa0\xa1\xa2\xa3\xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xaf\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7\xf7\x5f\x63\xc7\x62\x92\x74\xc1\x7c\x41\x7c\x0e\xc7\xee\xec\x1a\x56\xc6\x09\xd2\x98\x73\x76\xf7\xf5\xa9"
/* The recovery key 0x01..0x14, salt 0x10..0x1f, nonce 0x80..0x97. */
#define KAT_RECOVERY_CODE "0410-6105-0R3G-G28A-1C60-T3GF-208H-44RM-GXX5"
#define KAT_RECOVERY_WRAPPED "\x94\x1e\x87\xad\x4b\x97\xd3\x44\xa5\x96\xe4\x4f\x8e\x21\xa8\xe5\xc5\x8e\x19\xa8\x17\xe7\x0e\x06\x87\x8b\x9c\x84\x07\x61\x33\x3d\x5a\xb3\xff\x94\xae\x7d\xa5\x69\x00\xe2\x62\xaf\xda\x43\xba\x25"
/* PIN "4711" and passphrase "correct horse 台帳", salt 0x20..0x2f, nonce 0x90..0xa7. */
#define KAT_PIN_WRAPPED "\xe1\xc8\xe2\x07\xa8\xe9\xe8\xb7\x39\x0f\x36\xbb\xbf\x44\xbe\xcc\xfe\x83\x20\xa7\x06\x26\x03\x0e\xc5\xb4\xef\x04\xbd\x06\x15\xc4\x8f\x11\xcf\xad\x19\x88\xf2\xce\x62\xd8\x24\x60\xa9\xd8\x86\x7d\x82\x3d\xe8\xfd\x0e\xbe\x26\x85\x5c\xd8\x9e\x83\xba\x78\x38\x77\x6e\x61\xae\xda\xc5\x36\x68\xee\x99\xba\x0d\x0b\x34\x7f\x19\x23"
#define KAT_PASSPHRASE_WRAPPED "\xfa\x4c\xd7\x6f\x05\x9b\x3b\x21\x80\xe1\x25\x7c\x08\x5c\xf6\x42\x07\xdf\x9e\xb1\x91\x6c\x01\xc0\xcc\x1b\xd3\xff\xdb\x8d\x33\x02\xe7\x13\x09\xf9\xb3\x9d\xca\x39\x97\x15\x0c\x68\xc6\x52\xa8\x8a"

#define PASSPHRASE "correct horse 台帳"

static void
fill_seq (guint8 *out, gsize len, guint8 first)
{
  for (gsize i = 0; i < len; i++)
    out[i] = first + i;
}

static DcKeySlot *
kat_slot (DcSlotKind kind, guint64 ops, guint64 mem, guint8 salt0, guint8 nonce0,
          const char *wrapped, gsize wrapped_len)
{
  DcKeySlot *slot = g_new0 (DcKeySlot, 1);

  slot->kind = kind;
  slot->opslimit = ops;
  slot->memlimit = mem;
  fill_seq (slot->salt, DC_SALT_BYTES, salt0);
  fill_seq (slot->nonce, DC_NONCE_BYTES, nonce0);
  slot->wrapped = g_bytes_new (wrapped, wrapped_len);
  return slot;
}

static DcKeySlot *
slot_copy (const DcKeySlot *slot)
{
  DcKeySlot *copy = g_memdup2 (slot, sizeof *slot);

  copy->wrapped = g_bytes_ref (slot->wrapped);
  return copy;
}

static void
assert_staff_kat (const DcVault *vault)
{
  guint8 blind[DC_BLIND_BYTES];
  g_autoptr(GBytes) cipher = g_bytes_new_static (KAT_TIER, sizeof KAT_TIER - 1);
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GError) error = NULL;

  dc_vault_blind_index (vault, "person", "ヤマダタロウ19900101", blind);
  g_assert_cmpmem (blind, sizeof blind, KAT_BLIND, DC_BLIND_BYTES);
  g_assert_cmpuint (dc_vault_name_index (vault, "ヤマダタロウ"), ==, KAT_NAME_INDEX);
  plain = dc_vault_tier_decrypt (vault, cipher, (const guint8 *) "visit:42", 8, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), "2030-04-01", 10);
}

static void
assert_master_kat (const DcVault *vault)
{
  guint8 box_pk[DC_KEY_BYTES], sign_pk[DC_SIGN_PK_BYTES];

  g_assert_true (dc_vault_has_master (vault));
  dc_vault_public_keys (vault, box_pk, sign_pk);
  g_assert_cmpmem (box_pk, sizeof box_pk, KAT_BOX_PK, DC_KEY_BYTES);
  g_assert_cmpmem (sign_pk, sizeof sign_pk, KAT_SIGN_PK, DC_SIGN_PK_BYTES);
  g_assert_true (dc_vault_matches (vault, box_pk, sign_pk));
  assert_staff_kat (vault);
}

static void
test_kat_recovery (void)
{
  g_autoptr(DcKeySlot) slot = kat_slot (DC_SLOT_RECOVERY, 0, 0, 0x10, 0x80, KAT_RECOVERY_WRAPPED,
                                        sizeof KAT_RECOVERY_WRAPPED - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcVault) vault = dc_vault_unlock (slot, KAT_RECOVERY_CODE, &error);

  g_assert_no_error (error);
  assert_master_kat (vault);
}

static void
test_kat_pin (void)
{
  g_autoptr(DcKeySlot) slot = kat_slot (DC_SLOT_PIN, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE, 0x20, 0x90,
                                        KAT_PIN_WRAPPED, sizeof KAT_PIN_WRAPPED - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcVault) vault = dc_vault_unlock (slot, "4711", &error);

  g_assert_no_error (error);
  g_assert_false (dc_vault_has_master (vault));
  assert_staff_kat (vault);
}

static void
test_kat_passphrase (void)
{
  g_autoptr(DcKeySlot) slot = kat_slot (DC_SLOT_PASSPHRASE, crypto_pwhash_OPSLIMIT_MODERATE,
                                        crypto_pwhash_MEMLIMIT_MODERATE, 0x20, 0x90,
                                        KAT_PASSPHRASE_WRAPPED, sizeof KAT_PASSPHRASE_WRAPPED - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcVault) vault = dc_vault_unlock (slot, PASSPHRASE, &error);

  g_assert_no_error (error);
  assert_master_kat (vault);
}

static void
test_hash256 (void)
{
  guint8 out[32];

  dc_hash256 ((const guint8 *) "abc", 3, out);
  g_assert_cmpmem (out, 32,
                   "\xbd\xdd\x81\x3c\x63\x42\x39\x72\x31\x71\xef\x3f\xee\x98\x57\x9b"
                   "\x94\x96\x4e\x3b\xb1\xcb\x3e\x42\x72\x62\xc8\xc0\x68\xd5\x23\x19", 32);
}

/* ---- Recovery code ---- */

static void
test_recovery_format (void)
{
  static const struct { guint8 fill; gboolean seq; const char *code; } cases[] = {
    { 0x01, TRUE, KAT_RECOVERY_CODE },
    { 0x00, FALSE, "0000-0000-0000-0000-0000-0000-0000-0000-5QT0" },
    { 0xff, FALSE, "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-NYZW" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint8 key[DC_RECOVERY_KEY_BYTES], back[DC_RECOVERY_KEY_BYTES];
      g_autoptr(DcSecret) code = NULL;
      g_autoptr(GError) error = NULL;

      if (cases[i].seq)
        fill_seq (key, sizeof key, cases[i].fill);
      else
        memset (key, cases[i].fill, sizeof key);
      code = dc_recovery_code_format (key);
      g_assert_cmpstr (code, ==, cases[i].code);
      g_assert_true (dc_recovery_code_parse (code, back, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (back, sizeof back, key, sizeof key);
    }
}

static void
assert_mistyped (const char *code)
{
  guint8 key[DC_RECOVERY_KEY_BYTES];
  g_autoptr(GError) error = NULL;

  g_assert_false (dc_recovery_code_parse (code, key, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_WRONG_SECRET);
  g_assert_nonnull (strstr (error->message, "mistyped"));
}

/* Every one-character substitution and every swap of two neighbours in the known code. */
static void
test_recovery_typos (void)
{
  static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  guint tried = 0;

  for (gsize i = 0; KAT_RECOVERY_CODE[i] != '\0'; i++)
    {
      char typo[] = KAT_RECOVERY_CODE;

      if (typo[i] == '-')
        continue;
      for (const char *a = alphabet; *a != '\0'; a++)
        if (*a != KAT_RECOVERY_CODE[i])
          {
            typo[i] = *a;
            assert_mistyped (typo);
            tried++;
          }
      if (KAT_RECOVERY_CODE[i + 1] != '-' && KAT_RECOVERY_CODE[i + 1] != '\0'
          && KAT_RECOVERY_CODE[i + 1] != KAT_RECOVERY_CODE[i])
        {
          g_autofree char *swap = g_strdup (KAT_RECOVERY_CODE);

          swap[i] = KAT_RECOVERY_CODE[i + 1];
          swap[i + 1] = KAT_RECOVERY_CODE[i];
          assert_mistyped (swap);
        }
    }
  g_assert_cmpuint (tried, ==, 36 * 31);
}

static void
test_recovery_lenient (void)
{
  static const char *const good[] = {
    KAT_RECOVERY_CODE,
    "0410-6105-0r3g-g28a-1c60-t3gf-208h-44rm-gxx5",
    "041061050R3GG28A1C60T3GF208H44RMGXX5",
    " 0410 6105 0R3G G28A 1C60 T3GF 208H 44RM GXX5 ",
    "O41O-6IO5-oR3G-G28A-lC6O-T3GF-2O8H-44RM-GXX5",
    "0410-6105\n0R3G-G28A-1C60-T3GF-208H-44RM-GXX5\n",
  };
  static const char *const bad[] = {
    "",
    "0410-6105-0R3G-G28A-1C60-T3GF-208H-44RM",         /* a group missing */
    "0410-6105-0R3G-G28A-1C60-T3GF-208H-44RM-GXX5-0",  /* one too many */
    "0410-6105-0R3G-G28A-1C60-T3GF-208H-44RM-GXU5",    /* U is not Crockford */
    "0410-6105-0R3G-G28A-1C60-T3GF-208H-44RM-GX*5",
  };
  guint8 expected[DC_RECOVERY_KEY_BYTES];

  fill_seq (expected, sizeof expected, 0x01);
  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      guint8 key[DC_RECOVERY_KEY_BYTES];
      g_autoptr(GError) error = NULL;

      g_assert_true (dc_recovery_code_parse (good[i], key, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (key, sizeof key, expected, sizeof expected);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_mistyped (bad[i]);
}

/* ---- Slots ---- */

typedef enum { FLIP_WRAPPED, FLIP_NONCE, FLIP_SALT, LOWER_OPS, LOWER_MEM, RAISE_OPS,
               CHANGE_KIND, TRUNCATE } Tamper;

static void
tamper (DcKeySlot *slot, Tamper how)
{
  gsize len;
  g_autofree guint8 *data = g_bytes_unref_to_data (g_steal_pointer (&slot->wrapped), &len);

  switch (how)
    {
    case FLIP_WRAPPED:
      data[len / 2] ^= 0x01;
      break;
    case FLIP_NONCE:
      slot->nonce[3] ^= 0x80;
      break;
    case FLIP_SALT:
      slot->salt[0] ^= 0x01;
      break;
    case LOWER_OPS:
      slot->opslimit--;
      break;
    case LOWER_MEM:
      slot->memlimit /= 2;
      break;
    case RAISE_OPS:
      slot->opslimit++;
      break;
    case CHANGE_KIND:
      slot->kind = slot->kind == DC_SLOT_PIN ? DC_SLOT_PASSPHRASE : DC_SLOT_PIN;
      break;
    case TRUNCATE:
      len--;
      break;
    default:
      g_assert_not_reached ();
    }
  slot->wrapped = g_bytes_new (data, len);
}

typedef struct { Tamper how; int code; } TamperCase;

static void
assert_tamper_refused (const DcKeySlot *good, const char *secret, const TamperCase *cases,
                       gsize n)
{
  for (gsize i = 0; i < n; i++)
    {
      g_autoptr(DcKeySlot) slot = slot_copy (good);
      g_autoptr(GError) error = NULL;
      g_autoptr(DcVault) vault = NULL;

      tamper (slot, cases[i].how);
      vault = dc_vault_unlock (slot, secret, &error);
      g_assert_null (vault);
      g_assert_error (error, DC_ERROR, cases[i].code);
      if (cases[i].code == DC_ERROR_CRYPTO)
        g_assert_nonnull (strstr (error->message, "altered"));
    }
}

static void
assert_wrong (const DcKeySlot *slot, const char *secret, const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcVault) vault = dc_vault_unlock (slot, secret, &error);

  g_assert_null (vault);
  g_assert_error (error, DC_ERROR, DC_ERROR_WRONG_SECRET);
  g_assert_cmpstr (error->message, ==, message);
}

/* A payload sealed before the unlock opens after it: the slot wraps the same master. */
static void
assert_opens (const DcVault *vault, GBytes *sealed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = dc_vault_open_sealed (vault, sealed, &error);

  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), "山田太郎", strlen ("山田太郎"));
}

static GBytes *
seal_name (const DcVault *vault)
{
  guint8 box_pk[DC_KEY_BYTES], sign_pk[DC_SIGN_PK_BYTES];
  g_autoptr(GBytes) plain = g_bytes_new_static ("山田太郎", strlen ("山田太郎"));

  dc_vault_public_keys (vault, box_pk, sign_pk);
  return dc_seal (box_pk, plain);
}

static void
assert_same_keys (const DcVault *a, const DcVault *b)
{
  guint8 box_pk[DC_KEY_BYTES], sign_pk[DC_SIGN_PK_BYTES];

  dc_vault_public_keys (a, box_pk, sign_pk);
  g_assert_true (dc_vault_matches (b, box_pk, sign_pk));
}

/* Six Argon2id runs at MODERATE: the wrap, the unlock, the wrong one, three tampered. */
static void
test_slot_passphrase (void)
{
  static const TamperCase cases[] = {
    { FLIP_WRAPPED, DC_ERROR_WRONG_SECRET }, { FLIP_NONCE, DC_ERROR_WRONG_SECRET },
    { FLIP_SALT, DC_ERROR_WRONG_SECRET },    { LOWER_OPS, DC_ERROR_CRYPTO },
    { LOWER_MEM, DC_ERROR_CRYPTO },          { CHANGE_KIND, DC_ERROR_CRYPTO },
    { TRUNCATE, DC_ERROR_CRYPTO },
  };
  g_autoptr(DcVault) vault = dc_vault_new ();
  g_autoptr(GBytes) sealed = seal_name (vault);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcKeySlot) slot = dc_vault_wrap_passphrase (vault, PASSPHRASE, &error);
  g_autoptr(DcVault) again = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (slot->kind, ==, DC_SLOT_PASSPHRASE);
  g_assert_cmpuint (slot->opslimit, ==, crypto_pwhash_OPSLIMIT_MODERATE);
  g_assert_cmpuint (slot->memlimit, ==, crypto_pwhash_MEMLIMIT_MODERATE);
  g_assert_cmpuint (g_bytes_get_size (slot->wrapped), ==, DC_KEY_BYTES + 16);

  again = dc_vault_unlock (slot, PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_vault_has_master (again));
  assert_same_keys (vault, again);
  assert_opens (again, sealed);

  assert_wrong (slot, "correct horse 台帖", "Wrong passphrase.");
  assert_tamper_refused (slot, PASSPHRASE, cases, G_N_ELEMENTS (cases));
}

static void
test_slot_recovery (void)
{
  static const TamperCase cases[] = {
    { FLIP_WRAPPED, DC_ERROR_WRONG_SECRET }, { FLIP_NONCE, DC_ERROR_WRONG_SECRET },
    { FLIP_SALT, DC_ERROR_WRONG_SECRET },    { RAISE_OPS, DC_ERROR_CRYPTO },
    { TRUNCATE, DC_ERROR_CRYPTO },
  };
  g_autoptr(DcVault) vault = dc_vault_new ();
  g_autoptr(DcVault) other = dc_vault_new ();
  g_autoptr(GBytes) sealed = seal_name (vault);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcSecret) code = NULL, other_code = NULL;
  g_autoptr(DcKeySlot) slot = dc_vault_wrap_recovery (vault, &code, &error);
  g_autoptr(DcKeySlot) other_slot = dc_vault_wrap_recovery (other, &other_code, &error);
  g_autoptr(DcVault) again = NULL;
  g_autofree char *lower = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (slot->kind, ==, DC_SLOT_RECOVERY);
  g_assert_cmpuint (slot->opslimit, ==, 0);
  g_assert_true (g_regex_match_simple ("^([0-9A-HJKMNP-TV-Z]{4}-){8}[0-9A-HJKMNP-TV-Z]{4}$",
                                       code, 0, 0));

  lower = g_ascii_strdown (code, -1);
  again = dc_vault_unlock (slot, lower, &error);
  g_assert_no_error (error);
  assert_same_keys (vault, again);
  assert_opens (again, sealed);

  assert_wrong (slot, other_code, "Wrong recovery key.");
  {
    g_autofree char *typo = g_strdup (code);

    typo[strlen (typo) - 1] = typo[strlen (typo) - 1] == '0' ? '1' : '0';
    assert_wrong (slot, typo,
                  "The recovery key was mistyped: check each group against the printed copy.");
  }
  assert_tamper_refused (slot, code, cases, G_N_ELEMENTS (cases));
}

static void
test_slot_pin (void)
{
  static const TamperCase cases[] = {
    { FLIP_WRAPPED, DC_ERROR_WRONG_SECRET }, { FLIP_NONCE, DC_ERROR_WRONG_SECRET },
    { FLIP_SALT, DC_ERROR_WRONG_SECRET },    { RAISE_OPS, DC_ERROR_WRONG_SECRET },
    { LOWER_OPS, DC_ERROR_CRYPTO },          { LOWER_MEM, DC_ERROR_CRYPTO },
    { CHANGE_KIND, DC_ERROR_CRYPTO },        { TRUNCATE, DC_ERROR_CRYPTO },
  };
  g_autoptr(DcVault) vault = dc_vault_new ();
  g_autoptr(GBytes) sealed = seal_name (vault);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcKeySlot) slot = dc_vault_wrap_pin (vault, "0042", &error);
  g_autoptr(DcVault) staff = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (slot->kind, ==, DC_SLOT_PIN);
  g_assert_cmpuint (slot->opslimit, ==, crypto_pwhash_OPSLIMIT_INTERACTIVE);
  g_assert_cmpuint (slot->memlimit, ==, crypto_pwhash_MEMLIMIT_INTERACTIVE);
  g_assert_cmpuint (g_bytes_get_size (slot->wrapped), ==, 2 * DC_KEY_BYTES + 16);

  staff = dc_vault_unlock (slot, "0042", &error);
  g_assert_no_error (error);
  g_assert_false (dc_vault_has_master (staff));
  assert_wrong (slot, "0043", "Wrong PIN.");
  assert_wrong (slot, "42", "Wrong PIN.");
  assert_tamper_refused (slot, "0042", cases, G_N_ELEMENTS (cases));
}

static void
assert_permission (GError *error)
{
  g_assert_error (error, DC_ERROR, DC_ERROR_PERMISSION);
  g_assert_cmpstr (error->message, ==, "This needs a manager's passphrase.");
}

/* What a counter unlock may and may not do, against the manager's vault. */
static void
test_pin_vault_powers (void)
{
  g_autoptr(DcVault) vault = dc_vault_new ();
  g_autoptr(GBytes) sealed = seal_name (vault);
  g_autoptr(DcKeySlot) slot = dc_vault_wrap_pin (vault, "12345678", NULL);
  g_autoptr(DcVault) staff = dc_vault_unlock (slot, "12345678", NULL);
  g_autoptr(GBytes) plain = g_bytes_new_static ("2031-12-24", 10);
  g_autoptr(GBytes) by_staff = dc_vault_tier_encrypt (staff, plain, (const guint8 *) "row:7", 5);
  g_autoptr(GBytes) by_manager = dc_vault_tier_encrypt (vault, plain, (const guint8 *) "row:7", 5);
  g_autoptr(GError) error = NULL;
  guint8 a[DC_BLIND_BYTES], b[DC_BLIND_BYTES], sig[DC_SIGNATURE_BYTES];
  char *code = NULL;

  g_assert_nonnull (staff);
  g_assert_null (dc_vault_open_sealed (staff, sealed, &error));
  assert_permission (error);
  g_clear_error (&error);
  g_assert_false (dc_vault_sign (staff, (const guint8 *) "x", 1, sig, &error));
  assert_permission (error);
  g_clear_error (&error);
  g_assert_null (dc_vault_wrap_passphrase (staff, PASSPHRASE, &error));
  assert_permission (error);
  g_clear_error (&error);
  g_assert_null (dc_vault_wrap_recovery (staff, &code, &error));
  g_assert_null (code);
  assert_permission (error);
  g_clear_error (&error);

  dc_vault_blind_index (vault, "doc", "DL:123456789012", a);
  dc_vault_blind_index (staff, "doc", "DL:123456789012", b);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  g_assert_cmpuint (dc_vault_name_index (vault, "ヤマダ"), ==, dc_vault_name_index (staff, "ヤマダ"));

  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) back = dc_vault_tier_decrypt (i ? vault : staff, i ? by_staff : by_manager,
                                                      (const guint8 *) "row:7", 5, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (back, plain));
    }
}

static void
test_weak_secrets (void)
{
  static const char *const weak_passphrases[] = {
    "", "short", "123456789", "あいうえおかきくけ" /* 9 characters, 27 bytes */,
  };
  static const char *const weak_pins[] = {
    "", "123", "123456789", "12a4", "12 34", "１２３４" /* full-width digits */, "-123",
  };
  g_autoptr(DcVault) vault = dc_vault_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DcKeySlot) ten = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (weak_passphrases); i++)
    {
      g_assert_null (dc_vault_wrap_passphrase (vault, weak_passphrases[i], &error));
      g_assert_error (error, DC_ERROR, DC_ERROR_WEAK_SECRET);
      g_clear_error (&error);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (weak_pins); i++)
    {
      g_assert_null (dc_vault_wrap_pin (vault, weak_pins[i], &error));
      g_assert_error (error, DC_ERROR, DC_ERROR_WEAK_SECRET);
      g_clear_error (&error);
    }
  g_assert_null (dc_vault_wrap_passphrase (vault, "\xff\xfe invalid utf-8", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
  g_clear_error (&error);

  /* The boundary: ten characters are enough, counted as characters. */
  ten = dc_vault_wrap_passphrase (vault, "あいうえおかきくけこ", &error);
  g_assert_no_error (error);
  g_assert_nonnull (ten);
}

/* ---- Field crypto ---- */

static void
test_matches (void)
{
  g_autoptr(DcVault) vault = dc_vault_new ();
  g_autoptr(DcVault) other = dc_vault_new ();
  guint8 box_pk[DC_KEY_BYTES], sign_pk[DC_SIGN_PK_BYTES];
  guint8 other_box[DC_KEY_BYTES], other_sign[DC_SIGN_PK_BYTES];

  dc_vault_public_keys (vault, box_pk, sign_pk);
  dc_vault_public_keys (other, other_box, other_sign);
  g_assert_true (dc_vault_matches (vault, box_pk, sign_pk));
  g_assert_false (dc_vault_matches (vault, other_box, other_sign));
  g_assert_false (dc_vault_matches (vault, box_pk, other_sign));
  g_assert_false (dc_vault_matches (vault, other_box, sign_pk));
}

static void
test_seal (void)
{
  g_autoptr(DcVault) vault = dc_vault_new ();
  g_autoptr(DcVault) other = dc_vault_new ();
  g_autoptr(GBytes) sealed = seal_name (vault);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  guint8 box_pk[DC_KEY_BYTES], sign_pk[DC_SIGN_PK_BYTES];
  gsize len;
  g_autofree guint8 *bad = g_memdup2 (g_bytes_get_data (sealed, &len), g_bytes_get_size (sealed));
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (len, ==, strlen ("山田太郎") + crypto_box_SEALBYTES);
  assert_opens (vault, sealed);

  dc_vault_public_keys (vault, box_pk, sign_pk);
  {
    g_autoptr(GBytes) sealed_empty = dc_seal (box_pk, empty);
    g_autoptr(GBytes) back = dc_vault_open_sealed (vault, sealed_empty, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (back), ==, 0);
  }

  for (gsize at = 0; at < len; at += 7)
    {
      g_autoptr(GBytes) tampered = NULL;

      bad[at] ^= 0x20;
      tampered = g_bytes_new (bad, len);
      bad[at] ^= 0x20;
      g_assert_null (dc_vault_open_sealed (vault, tampered, &error));
      g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
      g_clear_error (&error);
    }
  {
    g_autoptr(GBytes) shortened = g_bytes_new (bad, crypto_box_SEALBYTES - 1);

    g_assert_null (dc_vault_open_sealed (vault, shortened, &error));
    g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
    g_clear_error (&error);
  }
  g_assert_null (dc_vault_open_sealed (other, sealed, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
}

static void
test_tier (void)
{
  g_autoptr(DcVault) vault = dc_vault_new ();
  g_autoptr(DcVault) other = dc_vault_new ();
  g_autoptr(GBytes) plain = g_bytes_new_static ("2030-04-01", 10);
  g_autoptr(GBytes) cipher = dc_vault_tier_encrypt (vault, plain, (const guint8 *) "visit:1", 7);
  g_autoptr(GBytes) twice = dc_vault_tier_encrypt (vault, plain, (const guint8 *) "visit:1", 7);
  g_autoptr(GBytes) back = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  g_autofree guint8 *bad = g_memdup2 (g_bytes_get_data (cipher, &len), g_bytes_get_size (cipher));
  struct { const DcVault *vault; const char *ad; gsize cut; gsize flip; } cases[] = {
    { vault, "visit:2", 0, G_MAXSIZE },  /* another row's AD */
    { vault, "", 0, G_MAXSIZE },
    { other, "visit:1", 0, G_MAXSIZE },  /* another store's key */
    { vault, "visit:1", 0, 0 },          /* nonce */
    { vault, "visit:1", 0, 30 },         /* ciphertext */
    { vault, "visit:1", 1, G_MAXSIZE },  /* tag cut short */
    { vault, "visit:1", len - 39, G_MAXSIZE }, /* shorter than nonce and tag */
  };

  g_assert_cmpuint (len, ==, 10 + DC_NONCE_BYTES + 16);
  g_assert_false (g_bytes_equal (cipher, twice)); /* a fresh nonce each time */
  back = dc_vault_tier_decrypt (vault, cipher, (const guint8 *) "visit:1", 7, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (back, plain));

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) c = NULL;
      g_autoptr(GBytes) out = NULL;

      if (cases[i].flip != G_MAXSIZE)
        bad[cases[i].flip] ^= 1;
      c = g_bytes_new (bad, len - cases[i].cut);
      if (cases[i].flip != G_MAXSIZE)
        bad[cases[i].flip] ^= 1;
      out = dc_vault_tier_decrypt (cases[i].vault, c, (const guint8 *) cases[i].ad,
                                   strlen (cases[i].ad), &error);
      g_assert_null (out);
      g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
      g_clear_error (&error);
    }
}

static void
test_sign (void)
{
  g_autoptr(DcVault) vault = dc_vault_new ();
  g_autoptr(DcVault) other = dc_vault_new ();
  guint8 box_pk[DC_KEY_BYTES], sign_pk[DC_SIGN_PK_BYTES], other_pk[DC_SIGN_PK_BYTES];
  guint8 sig[DC_SIGNATURE_BYTES];
  const guint8 *msg = (const guint8 *) "export 2025-03-04";
  g_autoptr(GError) error = NULL;

  dc_vault_public_keys (vault, box_pk, sign_pk);
  dc_vault_public_keys (other, box_pk, other_pk);
  g_assert_true (dc_vault_sign (vault, msg, 17, sig, &error));
  g_assert_no_error (error);
  g_assert_true (dc_signature_check (sign_pk, msg, 17, sig));
  g_assert_false (dc_signature_check (sign_pk, msg, 16, sig));
  g_assert_false (dc_signature_check (other_pk, msg, 17, sig));
  sig[10] ^= 1;
  g_assert_false (dc_signature_check (sign_pk, msg, 17, sig));
}

static void
test_blind_index (void)
{
  g_autoptr(DcVault) vault = dc_vault_new ();
  g_autoptr(DcVault) other = dc_vault_new ();
  guint8 a[DC_BLIND_BYTES], b[DC_BLIND_BYTES];
  guint seen[4] = { 0 };

  dc_vault_blind_index (vault, "person", "ヤマダタロウ19900101", a);
  dc_vault_blind_index (vault, "person", "ヤマダタロウ19900101", b);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  dc_vault_blind_index (vault, "doc", "ヤマダタロウ19900101", b);
  g_assert_cmpint (memcmp (a, b, sizeof a), !=, 0);
  dc_vault_blind_index (other, "person", "ヤマダタロウ19900101", b);
  g_assert_cmpint (memcmp (a, b, sizeof a), !=, 0);
  /* The separator: the boundary between domain and value matters. */
  dc_vault_blind_index (vault, "ab", "c", a);
  dc_vault_blind_index (vault, "a", "bc", b);
  g_assert_cmpint (memcmp (a, b, sizeof a), !=, 0);

  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *name = g_strdup_printf ("name%u", i);
      guint32 coarse = dc_vault_name_index (vault, name);

      g_assert_cmpuint (coarse, <, 1u << DC_NAME_INDEX_BITS);
      dc_vault_blind_index (vault, "name", name, a);
      g_assert_cmpuint (coarse, ==, ((guint32) a[0] << 4) | (a[1] >> 4));
      seen[coarse >> 10]++;
    }
  /* All four quarters of the range are used: the top bits are not stuck. */
  for (guint q = 0; q < 4; q++)
    g_assert_cmpuint (seen[q], >, 300);
}

/* ---- Secrets ---- */

static int
pipe_with (const char *data, gsize len)
{
  int fds[2];

  g_assert_no_errno (pipe (fds));
  g_assert_cmpint (write (fds[1], data, len), ==, (gssize) len);
  close (fds[1]);
  return fds[0];
}

static void
test_secret_read_fd (void)
{
  g_autofree char *longest = g_strnfill (DC_SECRET_MAX_BYTES, 'x');
  g_autofree char *longest_crlf = g_strconcat (longest, "\r\n", NULL);
  g_autofree char *too_long = g_strconcat (longest, "y\n", NULL);
  g_autofree char *too_long_eof = g_strconcat (longest, "y", NULL);
  struct { const char *in; const char *first; const char *second; } cases[] = {
    { "first\nsecond\n", "first", "second" },
    { "crlf\r\nnext", "crlf", "next" },
    { "no newline", "no newline", NULL },
    { "\n", "", NULL },
    { "a\rb\n", "a\rb", NULL },
    { "", NULL, NULL },
    { longest_crlf, longest, NULL },
    { too_long, NULL, NULL },
    { too_long_eof, NULL, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int fd = pipe_with (cases[i].in, strlen (cases[i].in));
      g_autoptr(GError) error = NULL;
      g_autoptr(DcSecret) first = dc_secret_read_fd (fd, &error);
      g_autoptr(DcSecret) second = NULL;

      g_assert_cmpstr (first, ==, cases[i].first);
      if (cases[i].first == NULL)
        {
          g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
          close (fd);
          continue;
        }
      g_assert_no_error (error);
      /* Nothing beyond the first line was consumed. */
      second = dc_secret_read_fd (fd, &error);
      g_assert_cmpstr (second, ==, cases[i].second);
      if (second == NULL)
        g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
      close (fd);
    }
}

static void
test_secret_read_bad_fd (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (dc_secret_read_fd (-1, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_IO);
}

static void
test_secret_dup (void)
{
  g_autoptr(DcSecret) copy = dc_secret_dup ("s3cret passphrase");

  g_assert_cmpstr (copy, ==, "s3cret passphrase");
  g_assert_null (dc_secret_dup (NULL));
  dc_secret_free (NULL);
}

static void
test_secret_prompt_no_tty (void)
{
  g_autoptr(GError) error = NULL;
  int fd = open ("/dev/tty", O_RDWR | O_NOCTTY);

  if (fd >= 0)
    {
      close (fd);
      g_test_skip ("a terminal is attached: the prompt would wait for input");
      return;
    }
  g_assert_null (dc_secret_prompt ("PIN: ", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_IO);
}

static void
test_core_dumps (void)
{
  if (g_test_subprocess ())
    {
      struct rlimit limit;

      dc_secret_disable_core_dumps ();
      g_assert_no_errno (getrlimit (RLIMIT_CORE, &limit));
      g_assert_cmpuint (limit.rlim_cur, ==, 0);
      g_assert_cmpuint (limit.rlim_max, ==, 0);
      g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* ---- read keys ---- */

/* The construction the read keys rely on, on libsodium alone: a sealed box is epk || box,
 * the box made under BLAKE2b-24 (epk || recipient pk) and the key beforenm (epk, sk). If a
 * libsodium release changed it, this fails before any store does. */
static void
test_read_key_construction (void)
{
  guint8 pk[crypto_box_PUBLICKEYBYTES], sk[crypto_box_SECRETKEYBYTES], key[crypto_box_BEFORENMBYTES];
  guint8 nonce[crypto_box_NONCEBYTES], sealed[300 + crypto_box_SEALBYTES], a[300], b[300];
  crypto_generichash_state state;

  crypto_box_keypair (pk, sk);
  randombytes_buf (a, sizeof a);
  g_assert_cmpint (crypto_box_seal (sealed, a, sizeof a, pk), ==, 0);
  g_assert_cmpint (crypto_box_seal_open (b, sealed, sizeof sealed, pk, sk), ==, 0);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
  memset (b, 0, sizeof b);
  crypto_generichash_init (&state, NULL, 0, sizeof nonce);
  crypto_generichash_update (&state, sealed, crypto_box_PUBLICKEYBYTES);
  crypto_generichash_update (&state, pk, sizeof pk);
  crypto_generichash_final (&state, nonce, sizeof nonce);
  g_assert_cmpint (crypto_box_beforenm (key, sealed, sk), ==, 0);
  g_assert_cmpint (crypto_box_open_easy_afternm (b, sealed + crypto_box_PUBLICKEYBYTES,
                                                 sizeof sealed - crypto_box_PUBLICKEYBYTES, nonce, key), ==, 0);
  g_assert_cmpmem (a, sizeof a, b, sizeof b);
}

static GBytes *
seal_random (const DcVault *vault, gsize len, GBytes **out_plain)
{
  guint8 box_pk[DC_KEY_BYTES], sign_pk[DC_SIGN_PK_BYTES];
  guint8 *data = g_malloc (MAX (len, 1));

  randombytes_buf (data, len);
  *out_plain = g_bytes_new_take (data, len);
  dc_vault_public_keys (vault, box_pk, sign_pk);
  return dc_seal (box_pk, *out_plain);
}

/* The cached path opens exactly what crypto_box_seal_open opens, for the key the query
 * computes as it opens and for the one the fill pass computes without opening. */
static void
test_read_key_same_bytes (void)
{
  g_autoptr(DcVault) vault = dc_vault_new ();
  const gsize sizes[] = { 0, 1, 16, 500, 4096 };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GBytes) sealed = seal_random (vault, sizes[i], &plain);
      g_autoptr(GBytes) reference = dc_vault_open_sealed (vault, sealed, NULL);
      g_autoptr(GBytes) by_query = NULL, by_fill = NULL;
      g_autofree guint8 *out = g_malloc0 (sizes[i] + 1);
      guint8 wrapped[DC_READ_KEY_WRAPPED_BYTES], wrapped_fill[DC_READ_KEY_WRAPPED_BYTES];
      g_autoptr(GError) error = NULL;
      gint64 id = 1000 + (gint64) i;

      g_assert_nonnull (reference);
      g_assert_true (g_bytes_equal (reference, plain));
      g_assert_true (dc_vault_open_sealed_wrap_to (vault, sealed, id, out, sizes[i], wrapped, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (out, sizes[i], g_bytes_get_data (plain, NULL), sizes[i]);
      g_assert_true (dc_vault_wrap_sealed_key (vault, sealed, id, wrapped_fill, &error));
      g_assert_no_error (error);
      /* a fresh nonce each time: two wraps of one key differ */
      g_assert_true (memcmp (wrapped, wrapped_fill, sizeof wrapped) != 0);

      by_query = g_bytes_new (wrapped, sizeof wrapped);
      by_fill = g_bytes_new (wrapped_fill, sizeof wrapped_fill);
      for (guint k = 0; k < 2; k++)
        {
          memset (out, 0, sizes[i] + 1);
          g_assert_true (dc_vault_open_sealed_cached_to (vault, sealed, id, k == 0 ? by_query : by_fill, out,
                                                         sizes[i], &error));
          g_assert_no_error (error);
          g_assert_cmpmem (out, sizes[i], g_bytes_get_data (reference, NULL), sizes[i]);
        }
    }
}

/* A wrapped key altered anywhere, moved to another record, cut short, or made by another
 * store does not open anything, and the output is wiped. */
static void
test_read_key_refused (void)
{
  g_autoptr(DcVault) vault = dc_vault_new ();
  g_autoptr(DcVault) other = dc_vault_new ();
  g_autoptr(GBytes) plain = NULL, plain2 = NULL;
  g_autoptr(GBytes) sealed = seal_random (vault, 200, &plain);
  g_autoptr(GBytes) sealed2 = seal_random (vault, 200, &plain2);
  g_autoptr(GError) error = NULL;
  guint8 wrapped[DC_READ_KEY_WRAPPED_BYTES], foreign[DC_READ_KEY_WRAPPED_BYTES], out[200];
  g_autoptr(GBytes) good = NULL;

  g_assert_true (dc_vault_wrap_sealed_key (vault, sealed, 7, wrapped, NULL));
  good = g_bytes_new (wrapped, sizeof wrapped);
  for (gsize at = 0; at < sizeof wrapped; at++)
    {
      g_autoptr(GBytes) bad = NULL;

      wrapped[at] ^= 0x01;
      bad = g_bytes_new (wrapped, sizeof wrapped);
      wrapped[at] ^= 0x01;
      memset (out, 0xee, sizeof out);
      g_assert_false (dc_vault_open_sealed_cached_to (vault, sealed, 7, bad, out, sizeof out, &error));
      g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
      g_assert_cmpstr (error->message, ==, "The cached read key of this record was altered and cannot be used.");
      g_clear_error (&error);
    }
  /* moved: the key of record 7 offered for record 8 (whose payload it does not open either) */
  g_assert_false (dc_vault_open_sealed_cached_to (vault, sealed2, 8, good, out, sizeof out, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
  g_clear_error (&error);
  g_assert_false (dc_vault_open_sealed_cached_to (vault, sealed, 8, good, out, sizeof out, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
  g_clear_error (&error);
  /* the right id but another record's payload: the key unwraps, the box does not open */
  memset (out, 0xee, sizeof out);
  g_assert_false (dc_vault_open_sealed_cached_to (vault, sealed2, 7, good, out, sizeof out, &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
  g_assert_cmpstr (error->message, ==, "The record could not be decrypted: it is damaged or was altered.");
  for (gsize i = 0; i < sizeof out; i++)
    g_assert_cmpint (out[i], ==, 0);
  g_clear_error (&error);
  {
    g_autoptr(GBytes) shortened = g_bytes_new (wrapped, sizeof wrapped - 1);

    g_assert_false (dc_vault_open_sealed_cached_to (vault, sealed, 7, shortened, out, sizeof out, &error));
    g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
    g_clear_error (&error);
  }
  /* another store's read key: its own wrap of the same payload id does not unwrap here */
  {
    g_autoptr(GBytes) theirs = NULL;

    g_assert_true (dc_vault_wrap_sealed_key (other, sealed, 7, foreign, NULL));
    theirs = g_bytes_new (foreign, sizeof foreign);
    g_assert_false (dc_vault_open_sealed_cached_to (vault, sealed, 7, theirs, out, sizeof out, &error));
    g_assert_error (error, DC_ERROR, DC_ERROR_CRYPTO);
    g_clear_error (&error);
  }
  /* and the genuine key still opens it */
  g_assert_true (dc_vault_open_sealed_cached_to (vault, sealed, 7, good, out, sizeof out, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (out, sizeof out, g_bytes_get_data (plain, NULL), sizeof out);
}

/* The counter's unlock has no read key: it can neither make nor use one. */
static void
test_read_key_pin_vault (void)
{
  g_autoptr(DcVault) vault = dc_vault_new ();
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) sealed = seal_random (vault, 50, &plain);
  g_autoptr(DcKeySlot) slot = dc_vault_wrap_pin (vault, "12345678", NULL);
  g_autoptr(DcVault) staff = dc_vault_unlock (slot, "12345678", NULL);
  g_autoptr(GBytes) good = NULL;
  g_autoptr(GError) error = NULL;
  guint8 wrapped[DC_READ_KEY_WRAPPED_BYTES], out[50];

  g_assert_nonnull (staff);
  g_assert_true (dc_vault_wrap_sealed_key (vault, sealed, 3, wrapped, NULL));
  good = g_bytes_new (wrapped, sizeof wrapped);
  g_assert_false (dc_vault_open_sealed_cached_to (staff, sealed, 3, good, out, sizeof out, &error));
  assert_permission (error);
  g_clear_error (&error);
  g_assert_false (dc_vault_wrap_sealed_key (staff, sealed, 3, wrapped, &error));
  assert_permission (error);
  g_clear_error (&error);
  g_assert_false (dc_vault_open_sealed_wrap_to (staff, sealed, 3, out, sizeof out, wrapped, &error));
  assert_permission (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (dc_crypto_init ());

  g_test_add_func ("/vault/kat/hash256", test_hash256);
  g_test_add_func ("/vault/kat/recovery-slot", test_kat_recovery);
  g_test_add_func ("/vault/kat/pin-slot", test_kat_pin);
  g_test_add_func ("/vault/kat/passphrase-slot", test_kat_passphrase);
  g_test_add_func ("/vault/recovery-code/format", test_recovery_format);
  g_test_add_func ("/vault/recovery-code/typos", test_recovery_typos);
  g_test_add_func ("/vault/recovery-code/lenient", test_recovery_lenient);
  g_test_add_func ("/vault/slot/passphrase", test_slot_passphrase);
  g_test_add_func ("/vault/slot/recovery", test_slot_recovery);
  g_test_add_func ("/vault/slot/pin", test_slot_pin);
  g_test_add_func ("/vault/slot/weak", test_weak_secrets);
  g_test_add_func ("/vault/pin-vault/powers", test_pin_vault_powers);
  g_test_add_func ("/vault/matches", test_matches);
  g_test_add_func ("/vault/seal", test_seal);
  g_test_add_func ("/vault/read-key/construction", test_read_key_construction);
  g_test_add_func ("/vault/read-key/same-bytes", test_read_key_same_bytes);
  g_test_add_func ("/vault/read-key/refused", test_read_key_refused);
  g_test_add_func ("/vault/read-key/pin-vault", test_read_key_pin_vault);
  g_test_add_func ("/vault/tier", test_tier);
  g_test_add_func ("/vault/sign", test_sign);
  g_test_add_func ("/vault/blind-index", test_blind_index);
  g_test_add_func ("/secret/read-fd", test_secret_read_fd);
  g_test_add_func ("/secret/read-bad-fd", test_secret_read_bad_fd);
  g_test_add_func ("/secret/dup", test_secret_dup);
  g_test_add_func ("/secret/prompt-no-tty", test_secret_prompt_no_tty);
  g_test_add_func ("/secret/core-dumps", test_core_dumps);

  return g_test_run ();
}
