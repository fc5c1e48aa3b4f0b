/* app/dc-recovery-code.h — the printed recovery key: Crockford base32 with a check group, read back leniently. */
#pragma once

#include <glib.h>
#include "dc-error.h"

G_BEGIN_DECLS

/* The recovery code's printed form: 20 bytes as 32 Crockford base32 characters plus a
 * 4-character check group (the first 20 bits of BLAKE2b-256 of the bytes), in 9 groups
 * of 4 joined by '-'. Format returns a sodium_malloc'd string (free with dc_secret_free);
 * parse is lenient as dc_vault_unlock describes and writes the bytes to @key (which the
 * caller keeps in sodium_malloc memory), or fails with DC_ERROR_WRONG_SECRET. */
#define DC_RECOVERY_KEY_BYTES 20
char     *dc_recovery_code_format (const guint8 key[DC_RECOVERY_KEY_BYTES]);
gboolean  dc_recovery_code_parse (const char *code, guint8 key[DC_RECOVERY_KEY_BYTES],
                                  GError **error);

G_END_DECLS
