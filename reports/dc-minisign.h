/* reports/dc-minisign.h — minisign's public-key and signature formats, signed with the store's Ed25519 key. */
#pragma once

#include <glib.h>
#include "dc-vault.h"

G_BEGIN_DECLS

/* The formats are minisign's (https://jedisct1.github.io/minisign/): a public key is
 * "untrusted comment: …\n" + base64("Ed" ‖ key id (8) ‖ Ed25519 public key (32)) + "\n";
 * a signature is "untrusted comment: …\n" + base64("ED" ‖ key id ‖ Ed25519 signature of
 * BLAKE2b-512 (message)) + "\ntrusted comment: …\n" + base64(Ed25519 signature of
 * (signature ‖ trusted comment)) + "\n". The stock `minisign -Vm FILE -p KEY` checks them.
 * The key id is derived from the public key, so one store always has the same id (keys made
 * by `minisign -G` have random ids: their files carry it, so checking takes the id too). */

#define DC_MINISIGN_KEY_ID_BYTES 8

void     dc_minisign_key_id (const guint8 sign_pk[DC_SIGN_PK_BYTES], guint8 id[DC_MINISIGN_KEY_ID_BYTES]);
/* The key id as minisign prints it (16 upper-case hex digits, little-endian as minisign shows it). */
char    *dc_minisign_key_id_text (const guint8 sign_pk[DC_SIGN_PK_BYTES]);
/* Any key id (as read from a key or signature file) in the same form. */
char    *dc_minisign_id_text (const guint8 id[DC_MINISIGN_KEY_ID_BYTES]);

/* The public key file's text. */
char    *dc_minisign_public_key (const guint8 sign_pk[DC_SIGN_PK_BYTES], const char *untrusted_comment);
/* Read a public key file's text (or the bare base64 line `minisign -P` takes): its key and
 * id (@id may be NULL). DC_ERROR_INVALID when it is not one. */
gboolean dc_minisign_parse_public_key (const char *text, guint8 sign_pk[DC_SIGN_PK_BYTES],
                                       guint8 id[DC_MINISIGN_KEY_ID_BYTES], GError **error);

/* Sign @msg (needs a master-key vault). Comments are single lines (newlines refused). */
char    *dc_minisign_sign (const DcVault *vault, const guint8 *msg, gsize len, const char *untrusted_comment,
                           const char *trusted_comment, GError **error);
/* Check a signature file's text against @msg and the public key @sign_pk with id @key_id
 * (the public key file's; NULL = the id derived from @sign_pk, as Daicho's keys have), as
 * minisign does (the prehashed "ED" form, and the legacy "Ed" form): the key id must match,
 * both signatures must hold. On success *@out_trusted_comment (if not NULL) is the trusted
 * comment. DC_ERROR_CRYPTO with a sentence saying what is wrong otherwise. */
gboolean dc_minisign_verify (const guint8 sign_pk[DC_SIGN_PK_BYTES], const guint8 *key_id,
                             const char *signature_text, const guint8 *msg, gsize len,
                             char **out_trusted_comment, GError **error);

G_END_DECLS
