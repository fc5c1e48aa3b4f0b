/* app/dc-member.c — member numbers with a Damm check digit. */
#include "dc-member.h"
#include "dc-normalize.h"

#include <string.h>

/* The Damm quasigroup of order 10 (H. M. Damm, 2004). */
static const guint8 damm[10][10] = {
  { 0, 3, 1, 7, 5, 9, 8, 6, 4, 2 },
  { 7, 0, 9, 2, 1, 5, 4, 8, 6, 3 },
  { 4, 2, 0, 6, 8, 7, 1, 3, 5, 9 },
  { 1, 7, 5, 0, 9, 8, 3, 4, 2, 6 },
  { 6, 1, 2, 3, 0, 4, 5, 9, 7, 8 },
  { 3, 6, 7, 4, 2, 0, 9, 5, 8, 1 },
  { 5, 8, 6, 9, 7, 2, 0, 1, 3, 4 },
  { 8, 9, 4, 5, 3, 6, 2, 0, 1, 7 },
  { 9, 4, 3, 8, 6, 1, 7, 2, 0, 5 },
  { 2, 5, 8, 1, 4, 3, 6, 7, 9, 0 },
};

static guint
damm_digit (const char *digits)
{
  guint interim = 0;

  for (const char *p = digits; *p != '\0'; p++)
    interim = damm[interim][*p - '0'];
  return interim;
}

char *
dc_member_number_for_id (gint64 customer_id)
{
  g_autofree char *body = NULL;

  g_return_val_if_fail (customer_id > 0, NULL);
  body = g_strdup_printf ("1%06" G_GINT64_FORMAT, customer_id);
  return g_strdup_printf ("%s%u", body, damm_digit (body));
}

gboolean
dc_member_number_check (const char *text, char **out_normalized)
{
  g_autofree char *nfkc = NULL;
  g_autoptr(GString) digits = g_string_new (NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  nfkc = dc_normalize_nfkc (text);
  for (const char *p = nfkc; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x80 && g_ascii_isdigit ((char) c))
        g_string_append_c (digits, (char) c);
      else if (!dc_normalize_is_number_separator (c))   /* spaces, hyphens, ー as IMEs type it */
        return FALSE;
    }
  if (digits->len < 8 || digits->len > 19 || digits->str[0] != '1' || damm_digit (digits->str) != 0)
    return FALSE;
  if (out_normalized != NULL)
    *out_normalized = g_string_free (g_steal_pointer (&digits), FALSE);
  return TRUE;
}
