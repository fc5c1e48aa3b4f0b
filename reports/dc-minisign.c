/* reports/dc-minisign.c — minisign's public-key and signature files, made with the store key and checked with libsodium. */
#include "dc-minisign.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#define UNTRUSTED_PREFIX "untrusted comment: "
#define TRUSTED_PREFIX   "trusted comment: "
#define ALG_BYTES        2
#define ALG_ED25519      "Ed"   /* the key's algorithm, and a legacy signature of the message itself */
#define ALG_PREHASHED    "ED"   /* a signature of BLAKE2b-512 (message): minisign's default since 0.10 */
#define PREHASH_BYTES    64
#define KEY_BLOB_BYTES   (ALG_BYTES + DC_MINISIGN_KEY_ID_BYTES + DC_SIGN_PK_BYTES)
#define SIG_BLOB_BYTES   (ALG_BYTES + DC_MINISIGN_KEY_ID_BYTES + DC_SIGNATURE_BYTES)

/* minisign reads each line into a fixed buffer (1024 bytes for the untrusted comment, 8192
 * for the trusted one, prefix and newline included): longer comments would not verify. */
#define UNTRUSTED_MAX_BYTES 1000
#define TRUSTED_MAX_BYTES   8000

void
dc_minisign_key_id (const guint8 sign_pk[DC_SIGN_PK_BYTES], guint8 id[DC_MINISIGN_KEY_ID_BYTES])
{
  static const char domain[] = "daicho minisign key id";
  crypto_generichash_state state;
  guint8 hash[32];

  /* derived, not random as minisign's are: the same store always shows the same id */
  crypto_generichash_init (&state, NULL, 0, sizeof hash);
  crypto_generichash_update (&state, (const guint8 *) domain, strlen (domain));
  crypto_generichash_update (&state, sign_pk, DC_SIGN_PK_BYTES);
  crypto_generichash_final (&state, hash, sizeof hash);
  memcpy (id, hash, DC_MINISIGN_KEY_ID_BYTES);
}

char *
dc_minisign_id_text (const guint8 id[DC_MINISIGN_KEY_ID_BYTES])
{
  guint64 n = 0;

  /* minisign prints the id as a little-endian 64-bit number */
  for (int i = DC_MINISIGN_KEY_ID_BYTES - 1; i >= 0; i--)
    n = (n << 8) | id[i];
  return g_strdup_printf ("%016" G_GINT64_MODIFIER "X", n);
}

char *
dc_minisign_key_id_text (const guint8 sign_pk[DC_SIGN_PK_BYTES])
{
  guint8 id[DC_MINISIGN_KEY_ID_BYTES];

  dc_minisign_key_id (sign_pk, id);
  return dc_minisign_id_text (id);
}

static gboolean
is_one_line (const char *text)
{
  return text == NULL || strpbrk (text, "\r\n") == NULL;
}

char *
dc_minisign_public_key (const guint8 sign_pk[DC_SIGN_PK_BYTES], const char *untrusted_comment)
{
  guint8 blob[KEY_BLOB_BYTES];
  g_autofree char *id_text = dc_minisign_key_id_text (sign_pk);
  g_autofree char *b64 = NULL;

  g_return_val_if_fail (is_one_line (untrusted_comment), NULL);

  memcpy (blob, ALG_ED25519, ALG_BYTES);
  dc_minisign_key_id (sign_pk, blob + ALG_BYTES);
  memcpy (blob + ALG_BYTES + DC_MINISIGN_KEY_ID_BYTES, sign_pk, DC_SIGN_PK_BYTES);
  b64 = g_base64_encode (blob, sizeof blob);
  if (untrusted_comment == NULL)
    return g_strdup_printf (UNTRUSTED_PREFIX "minisign public key %s\n%s\n", id_text, b64);
  return g_strdup_printf (UNTRUSTED_PREFIX "%s\n%s\n", untrusted_comment, b64);
}

/* Strict standard base64 of exactly @len bytes (g_base64_decode skips what it does not know). */
static gboolean
decode_exact (const char *b64, guint8 *out, gsize len)
{
  gsize out_len = 0;
  const char *end = NULL;

  if (sodium_base642bin (out, len, b64, strlen (b64), NULL, &out_len, &end, sodium_base64_VARIANT_ORIGINAL) != 0)
    return FALSE;
  return out_len == len && *end == '\0';
}

/* The lines of a key or signature file, without their CR: minisign accepts both line ends. */
static GStrv
split_lines (const char *text)
{
  GStrv lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    g_strdelimit (lines[i], "\r", '\0');
  return lines;
}

gboolean
dc_minisign_parse_public_key (const char *text, guint8 sign_pk[DC_SIGN_PK_BYTES],
                              guint8 id[DC_MINISIGN_KEY_ID_BYTES], GError **error)
{
  g_auto(GStrv) lines = split_lines (text);
  guint8 blob[KEY_BLOB_BYTES];
  const char *key_line;

  /* a key file (comment, then the key), or the bare key as `minisign -P` takes it */
  if (lines[0] != NULL && g_str_has_prefix (lines[0], UNTRUSTED_PREFIX))
    key_line = lines[1];
  else
    key_line = lines[0];
  if (key_line == NULL || !decode_exact (key_line, blob, sizeof blob))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("This is not a minisign public key."));
      return FALSE;
    }
  if (memcmp (blob, ALG_ED25519, ALG_BYTES) != 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("This public key is for an algorithm minisign does not use."));
      return FALSE;
    }
  if (id != NULL)
    memcpy (id, blob + ALG_BYTES, DC_MINISIGN_KEY_ID_BYTES);
  memcpy (sign_pk, blob + ALG_BYTES + DC_MINISIGN_KEY_ID_BYTES, DC_SIGN_PK_BYTES);
  return TRUE;
}

static void
prehash (const guint8 *msg, gsize len, guint8 out[PREHASH_BYTES])
{
  crypto_generichash (out, PREHASH_BYTES, msg, len, NULL, 0);
}

static gboolean
check_comment (const char *comment, gsize max, GError **error)
{
  if (!is_one_line (comment))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("A signature comment must be a single line."));
      return FALSE;
    }
  if (comment != NULL && strlen (comment) > max)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("A signature comment is too long."));
      return FALSE;
    }
  return TRUE;
}

char *
dc_minisign_sign (const DcVault *vault, const guint8 *msg, gsize len, const char *untrusted_comment,
                  const char *trusted_comment, GError **error)
{
  guint8 box_pk[DC_KEY_BYTES], sign_pk[DC_SIGN_PK_BYTES];
  guint8 hash[PREHASH_BYTES], blob[SIG_BLOB_BYTES], global[DC_SIGNATURE_BYTES];
  guint8 *sig = blob + ALG_BYTES + DC_MINISIGN_KEY_ID_BYTES;
  const char *trusted = trusted_comment != NULL ? trusted_comment : "";
  g_autoptr(GByteArray) signed_comment = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *b64_sig = NULL;
  g_autofree char *b64_global = NULL;

  if (!check_comment (untrusted_comment, UNTRUSTED_MAX_BYTES, error)
      || !check_comment (trusted_comment, TRUSTED_MAX_BYTES, error))
    return NULL;
  if (!dc_vault_has_master (vault))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION, _("Signing needs a manager or auditor signed in with a passphrase."));
      return NULL;
    }
  dc_vault_public_keys (vault, box_pk, sign_pk);
  memcpy (blob, ALG_PREHASHED, ALG_BYTES);
  dc_minisign_key_id (sign_pk, blob + ALG_BYTES);
  prehash (msg, len, hash);
  if (!dc_vault_sign (vault, hash, sizeof hash, sig, error))
    return NULL;

  /* the global signature binds the trusted comment to this signature */
  signed_comment = g_byte_array_sized_new (DC_SIGNATURE_BYTES + strlen (trusted));
  g_byte_array_append (signed_comment, sig, DC_SIGNATURE_BYTES);
  g_byte_array_append (signed_comment, (const guint8 *) trusted, strlen (trusted));
  if (!dc_vault_sign (vault, signed_comment->data, signed_comment->len, global, error))
    return NULL;

  id_text = dc_minisign_key_id_text (sign_pk);
  b64_sig = g_base64_encode (blob, sizeof blob);
  b64_global = g_base64_encode (global, sizeof global);
  if (untrusted_comment == NULL)
    return g_strdup_printf (UNTRUSTED_PREFIX "signature from Daicho store key %s\n%s\n" TRUSTED_PREFIX "%s\n%s\n",
                            id_text, b64_sig, trusted, b64_global);
  return g_strdup_printf (UNTRUSTED_PREFIX "%s\n%s\n" TRUSTED_PREFIX "%s\n%s\n", untrusted_comment, b64_sig,
                          trusted, b64_global);
}

/* A signature file, read as minisign reads it. */
typedef struct {
  guint8      blob[SIG_BLOB_BYTES];
  guint8      global[DC_SIGNATURE_BYTES];
  const char *trusted;   /* into the lines */
} SigFile;

static gboolean
parse_signature (GStrv lines, SigFile *out, GError **error)
{
  if (g_strv_length (lines) < 4 || !g_str_has_prefix (lines[0], UNTRUSTED_PREFIX)
      || !decode_exact (lines[1], out->blob, sizeof out->blob) || !g_str_has_prefix (lines[2], TRUSTED_PREFIX)
      || !decode_exact (lines[3], out->global, sizeof out->global))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO, _("The signature is not in minisign's format."));
      return FALSE;
    }
  if (memcmp (out->blob, ALG_PREHASHED, ALG_BYTES) != 0 && memcmp (out->blob, ALG_ED25519, ALG_BYTES) != 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO, _("The signature uses an algorithm minisign does not know."));
      return FALSE;
    }
  out->trusted = lines[2] + strlen (TRUSTED_PREFIX);
  return TRUE;
}

gboolean
dc_minisign_verify (const guint8 sign_pk[DC_SIGN_PK_BYTES], const guint8 *key_id, const char *signature_text,
                    const guint8 *msg, gsize len, char **out_trusted_comment, GError **error)
{
  g_auto(GStrv) lines = split_lines (signature_text);
  guint8 derived_id[DC_MINISIGN_KEY_ID_BYTES], hash[PREHASH_BYTES];
  const guint8 *sig;
  SigFile file;
  g_autoptr(GByteArray) signed_comment = NULL;
  gboolean ok;

  if (!parse_signature (lines, &file, error))
    return FALSE;
  if (key_id == NULL)
    {
      dc_minisign_key_id (sign_pk, derived_id);
      key_id = derived_id;
    }
  if (memcmp (file.blob + ALG_BYTES, key_id, DC_MINISIGN_KEY_ID_BYTES) != 0)
    {
      g_autofree char *theirs = dc_minisign_id_text (file.blob + ALG_BYTES);
      g_autofree char *ours = dc_minisign_id_text (key_id);

      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO, _("The signature was made with key %s, not with the key %s."),
                   theirs, ours);
      return FALSE;
    }

  sig = file.blob + ALG_BYTES + DC_MINISIGN_KEY_ID_BYTES;
  if (memcmp (file.blob, ALG_PREHASHED, ALG_BYTES) == 0)
    {
      prehash (msg, len, hash);
      ok = dc_signature_check (sign_pk, hash, sizeof hash, sig);
    }
  else
    ok = dc_signature_check (sign_pk, msg, len, sig);
  if (!ok)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO,
                   _("The signature does not match: the file was changed after it was signed, or another key signed it."));
      return FALSE;
    }

  signed_comment = g_byte_array_sized_new (DC_SIGNATURE_BYTES + strlen (file.trusted));
  g_byte_array_append (signed_comment, sig, DC_SIGNATURE_BYTES);
  g_byte_array_append (signed_comment, (const guint8 *) file.trusted, strlen (file.trusted));
  if (!dc_signature_check (sign_pk, signed_comment->data, signed_comment->len, file.global))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO, _("The signature's trusted comment was changed after it was signed."));
      return FALSE;
    }
  if (out_trusted_comment != NULL)
    *out_trusted_comment = g_strdup (file.trusted);
  return TRUE;
}
