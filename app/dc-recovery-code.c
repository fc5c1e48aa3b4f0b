/* app/dc-recovery-code.c — the printed recovery key: Crockford base32 with a check group, read back leniently. */
#include "dc-recovery-code.h"
#include "dc-vault.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

#define CODE_KEY_CHARS   32   /* 160 bits / 5 */
#define CODE_CHECK_CHARS 4    /* 20 bits */
#define CODE_CHARS       (CODE_KEY_CHARS + CODE_CHECK_CHARS)

static guint32
code_check (const guint8 key[DC_RECOVERY_KEY_BYTES])
{
  guint8 hash[crypto_generichash_BYTES];

  crypto_generichash (hash, sizeof hash, key, DC_RECOVERY_KEY_BYTES, NULL, 0);
  return ((guint32) hash[0] << 12) | ((guint32) hash[1] << 4) | (hash[2] >> 4);
}

/* The 5-bit group @i of @key, most significant bit first. */
static guint
key_quintet (const guint8 key[DC_RECOVERY_KEY_BYTES], guint i)
{
  guint value = 0;

  for (guint b = 5 * i; b < 5 * i + 5; b++)
    value = (value << 1) | ((key[b / 8] >> (7 - b % 8)) & 1);
  return value;
}

static void
key_set_quintet (guint8 key[DC_RECOVERY_KEY_BYTES], guint i, guint value)
{
  for (guint b = 5 * i, k = 0; k < 5; b++, k++)
    if ((value >> (4 - k)) & 1)
      key[b / 8] |= 0x80 >> (b % 8);
}

char *
dc_recovery_code_format (const guint8 key[DC_RECOVERY_KEY_BYTES])
{
  char *code = dc_secure_alloc (CODE_CHARS + CODE_CHARS / 4);
  guint32 check = code_check (key);
  gsize at = 0;

  for (guint i = 0; i < CODE_CHARS; i++)
    {
      guint value = i < CODE_KEY_CHARS ? key_quintet (key, i)
                    : (check >> (5 * (CODE_CHARS - 1 - i))) & 31;

      if (i > 0 && i % 4 == 0)
        code[at++] = '-';
      code[at++] = crockford[value];
    }
  code[at] = '\0';
  return code;
}

/* Crockford's decoding: either case, O as 0, I and L as 1; -1 for anything else. */
static int
crockford_value (char c)
{
  const char *at;

  c = g_ascii_toupper (c);
  if (c == 'O')
    c = '0';
  else if (c == 'I' || c == 'L')
    c = '1';
  at = c != '\0' ? strchr (crockford, c) : NULL;
  return at != NULL ? (int) (at - crockford) : -1;
}

gboolean
dc_recovery_code_parse (const char *code, guint8 key[DC_RECOVERY_KEY_BYTES], GError **error)
{
  guint32 check = 0;
  guint n = 0;

  g_return_val_if_fail (code != NULL, FALSE);

  sodium_memzero (key, DC_RECOVERY_KEY_BYTES);
  for (const char *p = code; *p != '\0'; p++)
    {
      int value;

      if (*p == '-' || g_ascii_isspace (*p))
        continue;
      value = crockford_value (*p);
      if (value < 0 || n == CODE_CHARS)
        {
          n = CODE_CHARS + 1;   /* a stray or extra character: refuse the whole code */
          break;
        }
      if (n < CODE_KEY_CHARS)
        key_set_quintet (key, n, value);
      else
        check = (check << 5) | value;
      n++;
    }
  if (n == CODE_CHARS && check == code_check (key))
    return TRUE;
  sodium_memzero (key, DC_RECOVERY_KEY_BYTES);
  g_set_error_literal (error, DC_ERROR, DC_ERROR_WRONG_SECRET,
                       _("The recovery key was mistyped: "
                         "check each group against the printed copy."));
  return FALSE;
}
