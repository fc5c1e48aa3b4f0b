/* tests/test-member.c — member numbers: known answers, and the Damm digit catching every single typo and swap. */
#include "dc-member.h"

#include <string.h>

/* Computed independently (Python, the Damm table as published by Wikipedia, where
 * "572" gets the check digit 4). */
static const struct {
  gint64      id;
  const char *number;
} known[] = {
  { 1, "10000012" },
  { 2, "10000020" },
  { 42, "10000422" },
  { 999999, "19999993" },
  { 1000000, "110000005" },
  { 123456789, "11234567897" },
  { G_GINT64_CONSTANT (12345678901234567), "1123456789012345676" },  /* 19 digits: the longest accepted */
};

static void
test_known_answers (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    {
      g_autofree char *number = dc_member_number_for_id (known[i].id);
      g_autofree char *normalized = NULL;

      g_assert_cmpstr (number, ==, known[i].number);
      g_assert_true (dc_member_number_check (number, &normalized));
      g_assert_cmpstr (normalized, ==, number);
      g_assert_true (dc_member_number_check (number, NULL));
    }
}

static void
test_many_ids_check (void)
{
  /* every number the store hands out must pass its own check */
  for (gint64 id = 1; id < 3000; id++)
    {
      g_autofree char *number = dc_member_number_for_id (id);

      g_assert_true (dc_member_number_check (number, NULL));
      g_assert_cmpuint (strlen (number), ==, 8);
    }
}

static void
test_single_digit_errors (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    {
      const char *good = known[i].number;
      gsize len = strlen (good);

      for (gsize pos = 0; pos < len; pos++)
        for (char digit = '0'; digit <= '9'; digit++)
          {
            g_autofree char *bad = g_strdup (good);

            if (bad[pos] == digit)
              continue;
            bad[pos] = digit;
            if (dc_member_number_check (bad, NULL))
              g_error ("%s accepted (one wrong digit in %s)", bad, good);
          }
    }
}

static void
test_adjacent_transpositions (void)
{
  /* a few more numbers with many different neighbours */
  static const gint64 ids[] = { 1, 42, 123456, 908172, 999999, 1000000, 123456789, 5647382910 };

  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *good = dc_member_number_for_id (ids[i]);
      gsize len = strlen (good);
      guint tried = 0;

      for (gsize pos = 0; pos + 1 < len; pos++)
        {
          g_autofree char *bad = g_strdup (good);
          char t;

          if (bad[pos] == bad[pos + 1])
            continue;
          t = bad[pos];
          bad[pos] = bad[pos + 1];
          bad[pos + 1] = t;
          tried++;
          if (dc_member_number_check (bad, NULL))
            g_error ("%s accepted (swap in %s)", bad, good);
        }
      g_assert_cmpuint (tried, >, 0);
    }
}

static const struct {
  const char *text;
  const char *normalized;
} accepted[] = {
  { "10000012", "10000012" },
  { "１００００００１２", NULL },   /* nine full-width digits: a typo, refused below */
  { "１０００００１２", "10000012" },
  { "1000-0012", "10000012" },
  { "1000－0012", "10000012" },      /* full-width hyphen-minus */
  { "１０００－００１２", "10000012" },
  { "1000 0012", "10000012" },
  { "1000　0012", "10000012" },      /* ideographic space */
  { " 10000012 ", "10000012" },
  { "1-0-0-0-0-0-1-2", "10000012" },
  { "1100-0000-5", "110000005" },
  { "1000ー0012", "10000012" },      /* the long-vowel mark a Japanese IME types for "-" */
  { "1000−0012", "10000012" },       /* minus sign */
  { "10000012\n", "10000012" },       /* a scanner's Enter */
};

static void
test_accepted_forms (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autofree char *normalized = NULL;
      gboolean ok = dc_member_number_check (accepted[i].text, &normalized);

      g_test_message ("%s", accepted[i].text);
      if (accepted[i].normalized == NULL)
        {
          g_assert_false (ok);
          g_assert_null (normalized);
          continue;
        }
      g_assert_true (ok);
      g_assert_cmpstr (normalized, ==, accepted[i].normalized);
    }
}

static const char *const garbage[] = {
  "",
  " ",
  "-",
  "abc",
  "1000001",                /* too short */
  "1000001Z",
  "10000012x",
  "x10000012",
  "20000011",               /* a valid Damm digit, but not our prefix */
  "00000000",
  "1000.0012",
  "1000/0012",
  "1000_0012",
  "+10000012",
  "１０００００１２ａ",
  "١٠٠٠٠٠١٢",               /* Arabic-Indic digits are not ours */
  "100000000000000000001",  /* 21 digits, valid Damm digit: too long */
  "11234567890123456783",   /* 20 digits, valid Damm digit: too long */
  "\xff\xfe" "10000012",     /* not UTF-8 */
};

static void
test_garbage_refused (void)
{
  g_assert_false (dc_member_number_check (NULL, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      char *normalized = NULL;

      g_test_message ("garbage %zu", i);
      g_assert_false (dc_member_number_check (garbage[i], &normalized));
      g_assert_null (normalized);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/member/known-answers", test_known_answers);
  g_test_add_func ("/member/many-ids", test_many_ids_check);
  g_test_add_func ("/member/single-digit-errors", test_single_digit_errors);
  g_test_add_func ("/member/adjacent-transpositions", test_adjacent_transpositions);
  g_test_add_func ("/member/accepted-forms", test_accepted_forms);
  g_test_add_func ("/member/garbage", test_garbage_refused);

  return g_test_run ();
}
