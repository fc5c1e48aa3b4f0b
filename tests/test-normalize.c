/* tests/test-normalize.c — the normalisation under every blind index (design.md §4). */
#include "dc-identity.h"

#include <string.h>

/* Every spelling in a row must normalise to the same string. */
static const char *const same_names[][4] = {
  { "山田 太郎", "山田　太郎", "山田太郎", " 山田\t太郎 " },
  { "ヤマダ タロウ", "やまだたろう", "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ" },
  { "髙橋", "高橋", NULL },
  { "渡邊", "渡辺", "渡邉", NULL },
  { "ＳＭＩＴＨ Ｊｏｈｎ", "smithjohn", "Smith John", "SMITH  JOHN" },
  { "齋藤", "齊藤", "斉藤", "斎藤" },
  { "山﨑", "山崎", "山嵜", NULL },
  { "澤田", "沢田", NULL },
  { "濱口", "浜口", NULL },
  { "德川", "徳川", NULL },
  { "廣瀨", "広瀬", NULL },
  { "櫻井", "桜井", NULL },
  { "國分", "国分", NULL },
  { "關", "関", NULL },
  { "龍一", "竜一", NULL },
  { "曾根", "曽根", NULL },
  { "槇原", "槙原", NULL },
  { "栁田", "柳田", NULL },
  { "冨田", "富田", NULL },
  { "𠮷田", "吉田", NULL },
  { "ジョン・スミス", "ジョンスミス", "ｼﾞｮﾝ･ｽﾐｽ", "ジョン·スミス" },
  { "か゛", "が", "ガ", "ｶﾞ" },       /* a spacing sound mark composes once the space goes */
  { "いすゞ", "イスヾ", NULL },         /* iteration marks follow the kana fold */
  { "山田\u200B太郎", "山田太郎", NULL }, /* zero-width space */
  { "Straße", "STRASSE", NULL },         /* full case fold, not just ASCII */
};

/* Different names must stay different. */
static const char *const different_names[][2] = {
  { "高橋", "高槁" },
  { "山田太郎", "山田次郎" },
  { "ヤマダ", "ヤマタ" }, /* the sound mark is part of the name */
  { "斎藤", "佐藤" },
  { "smith", "smyth" },
};

static void
test_same (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (same_names); i++)
    {
      g_autofree char *first = dc_normalize_name (same_names[i][0]);

      for (gsize j = 1; j < G_N_ELEMENTS (same_names[i]) && same_names[i][j] != NULL; j++)
        {
          g_autofree char *other = dc_normalize_name (same_names[i][j]);

          g_assert_cmpstr (first, ==, other);
        }
    }
}

static void
test_different (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (different_names); i++)
    {
      g_autofree char *a = dc_normalize_name (different_names[i][0]);
      g_autofree char *b = dc_normalize_name (different_names[i][1]);

      g_assert_cmpstr (a, !=, b);
    }
}

static void
test_exact (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "山田 太郎", "山田太郎" },
    { "やまだ　たろう", "ヤマダタロウ" },
    { "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダタロウ" },
    { "髙橋", "高橋" },
    { "ＳＭＩＴＨ Ｊｏｈｎ", "smithjohn" },
    { "", "" },
    { "　 \t", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = dc_normalize_name (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_idempotent (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (same_names); i++)
    for (gsize j = 0; j < G_N_ELEMENTS (same_names[i]) && same_names[i][j] != NULL; j++)
      {
        g_autofree char *once = dc_normalize_name (same_names[i][j]);
        g_autofree char *twice = dc_normalize_name (once);

        g_assert_cmpstr (once, ==, twice);
      }
}

static void
test_null_and_invalid (void)
{
  g_autofree char *null_name = dc_normalize_name (NULL);
  g_autofree char *null_number = dc_normalize_number (NULL);
  g_autofree char *bad = dc_normalize_name ("ab\xff\xfe" "cd");

  g_assert_cmpstr (null_name, ==, "");
  g_assert_cmpstr (null_number, ==, "");
  g_assert_true (g_utf8_validate (bad, -1, NULL));
}

static void
test_number (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "ab-12 34", "AB1234" },
    { "１２３４５６", "123456" },
    { "ＴＫ１２３－４５６", "TK123456" },
    { "tk 1234567", "TK1234567" },
    { "1234‐5678", "12345678" },     /* U+2010 hyphen */
    { "1234ー5678", "12345678" },     /* what a Japanese input method types for "-" */
    { "1234−5678", "12345678" },     /* U+2212 minus */
    { "　12\t34\n", "1234" },
    { "", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = dc_normalize_number (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/normalize/name/same", test_same);
  g_test_add_func ("/normalize/name/different", test_different);
  g_test_add_func ("/normalize/name/exact", test_exact);
  g_test_add_func ("/normalize/name/idempotent", test_idempotent);
  g_test_add_func ("/normalize/null-and-invalid", test_null_and_invalid);
  g_test_add_func ("/normalize/number", test_number);

  return g_test_run ();
}
