/* app/dc-normalize.c — the one normaliser under every blind index: names and document numbers. */
#include "dc-normalize.h"

#include <string.h>

/* Variant kanji folded for the blind indexes. Almost all are 旧字体 or 俗字 of a 通用字体
 * that the family register itself may replace on a simple request (法務省民事局 notices on
 * characters in names), so both spellings name the same person; clerks also cannot type
 * the rare form reliably. 斉 and 齊 go to 斎 too: 斉藤/斎藤/齋藤/齊藤 are one surname in
 * practice and constantly confused. A false fold costs little (indexes pair the name with
 * the date of birth and police search shows candidates), a missed one duplicates a person. */
static const struct { gunichar from, to; } kanji_folds[] = {
  { 0x9AD9, 0x9AD8 },  /* 髙 → 高 */
  { 0xFA11, 0x5D0E },  /* 﨑 → 崎 */
  { 0x5D5C, 0x5D0E },  /* 嵜 → 崎 */
  { 0x9F4B, 0x658E },  /* 齋 → 斎 */
  { 0x9F4A, 0x658E },  /* 齊 → 斎 */
  { 0x6589, 0x658E },  /* 斉 → 斎 */
  { 0x908A, 0x8FBA },  /* 邊 → 辺 */
  { 0x9089, 0x8FBA },  /* 邉 → 辺 */
  { 0x6FA4, 0x6CA2 },  /* 澤 → 沢 */
  { 0x6FF1, 0x6D5C },  /* 濱 → 浜 */
  { 0x5FB7, 0x5FB3 },  /* 德 → 徳 */
  { 0x5EE3, 0x5E83 },  /* 廣 → 広 */
  { 0x6AFB, 0x685C },  /* 櫻 → 桜 */
  { 0x570B, 0x56FD },  /* 國 → 国 */
  { 0x95DC, 0x95A2 },  /* 關 → 関 */
  { 0x9F8D, 0x7ADC },  /* 龍 → 竜 */
  { 0x7028, 0x702C },  /* 瀨 → 瀬 */
  { 0x66FE, 0x66FD },  /* 曾 → 曽 */
  { 0x69C7, 0x69D9 },  /* 槇 → 槙 */
  { 0x6801, 0x67F3 },  /* 栁 → 柳 */
  { 0x51A8, 0x5BCC },  /* 冨 → 富 */
  { 0x20BB7, 0x5409 }, /* 𠮷 → 吉 */
  { 0x771E, 0x771F },  /* 眞 → 真 */
  { 0x60E0, 0x6075 },  /* 惠 → 恵 */
  { 0x5D8B, 0x5CF6 },  /* 嶋 → 島 */
  { 0x5D8C, 0x5CF6 },  /* 嶌 → 島 */
  { 0x5CEF, 0x5CF0 },  /* 峯 → 峰 */
  { 0x85CF, 0x8535 },  /* 藏 → 蔵 */
  { 0x69AE, 0x6804 },  /* 榮 → 栄 */
};

static gunichar
fold_kanji (gunichar c)
{
  for (gsize i = 0; i < G_N_ELEMENTS (kanji_folds); i++)
    if (kanji_folds[i].from == c)
      return kanji_folds[i].to;
  return c;
}

/* Invisible or separating characters that must not change an index. */
static gboolean
is_name_separator (gunichar c)
{
  return g_unichar_isspace (c)
         || g_unichar_type (c) == G_UNICODE_FORMAT   /* zero-width space, BOM … */
         || c == 0x30FB || c == 0xFF65 || c == 0x00B7; /* ・ ･ · */
}

char *
dc_normalize_nfkc (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  char *out = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKC);

  return out != NULL ? out : g_strdup ("");
}

char *
dc_normalize_name (const char *text)
{
  g_autofree char *compat = dc_normalize_nfkc (text);
  g_autofree char *folded = g_utf8_casefold (compat, -1);
  g_autoptr(GString) out = g_string_sized_new (strlen (folded));
  char *composed;

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_name_separator (c))
        continue;
      /* Hiragana and its iteration marks ゝゞ sit exactly 0x60 below katakana. */
      if ((c >= 0x3041 && c <= 0x3096) || c == 0x309D || c == 0x309E)
        c += 0x60;
      g_string_append_unichar (out, fold_kanji (c));
    }

  /* NFKC turns a spacing ゛ into space + combining mark; with the space gone, compose
   * the mark with its kana so "か゛" and "が" agree. */
  composed = g_utf8_normalize (out->str, -1, G_NORMALIZE_NFC);
  return composed != NULL ? composed : g_strdup ("");
}

/* Japanese input methods turn "-" into ー, and cards print several dashes. */
gboolean
dc_normalize_is_number_separator (gunichar c)
{
  return g_unichar_isspace (c)
         || g_unichar_type (c) == G_UNICODE_FORMAT
         || c == '-' || (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0x30FC;
}

char *
dc_normalize_number (const char *text)
{
  g_autofree char *compat = dc_normalize_nfkc (text);
  g_autofree char *upper = g_utf8_strup (compat, -1);
  GString *out = g_string_sized_new (strlen (upper));

  for (const char *p = upper; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!dc_normalize_is_number_separator (c))
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

char *
dc_normalize_trim (const char *text)
{
  const char *start = text != NULL ? text : "";
  const char *end;

  if (!g_utf8_validate (start, -1, NULL))
    return g_strdup (start);
  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, (gsize) (end - start));
}
