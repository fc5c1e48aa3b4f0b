/* app/dc-date.c — the one parser for dates a clerk types (西暦 and 和暦), ages, and the legal calendar. */
#include "dc-date.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "dc-date-private.h"
#include "dc-error.h"

/* The longest valid date, "平成 2 年 4 月 1 日", is 7 tokens; more is garbage. */
#define MAX_TOKENS 8

typedef struct
{
  const char *name;        /* "平成" */
  const char *short_name;  /* "平", as on some forms */
  char        letter;      /* 'H', as on licences */
  guint       year;        /* first day of the era, Gregorian */
  guint       month;
  guint       day;
  const char *range_msg;   /* why a date is refused as outside the era */
} Era;

/* 明治 was proclaimed on 23 October 1868 (明治元年9月8日 in the old lunisolar calendar)
 * and backdated to the start of that lunar year, and Japan kept the lunisolar calendar
 * until 明治5年12月2日. A 明治 date before 明治6年 therefore does not become Gregorian
 * by adding an offset to the year. No document a customer can show carries such a date,
 * so rather than convert lunisolar dates we let the era begin on its proclamation day,
 * refuse anything earlier, and read month and day as Gregorian throughout. */
static const Era eras[] = {
  { "明治", "明", 'M', 1868, 10, 23,
    N_("Meiji ran from 23 Oct 1868 to 29 Jul 1912; this date is outside it.") },
  { "大正", "大", 'T', 1912, 7, 30,
    N_("Taisho ran from 30 Jul 1912 to 24 Dec 1926; this date is outside it.") },
  { "昭和", "昭", 'S', 1926, 12, 25,
    N_("Showa ran from 25 Dec 1926 to 7 Jan 1989; this date is outside it.") },
  { "平成", "平", 'H', 1989, 1, 8,
    N_("Heisei ran from 8 Jan 1989 to 30 Apr 2019; this date is outside it.") },
  { "令和", "令", 'R', 2019, 5, 1,
    N_("Reiwa began on 1 May 2019; this date is before it.") },
};

typedef enum
{
  TOK_NUM,    /* ASCII digits; value and len */
  TOK_GAN,    /* 元, year 1 of an era */
  TOK_ERA,    /* value = index into eras */
  TOK_SEP,    /* value = '-', '/' or '.' */
  TOK_YEAR,   /* 年 */
  TOK_MONTH,  /* 月 */
  TOK_DAY,    /* 日 */
} TokenKind;

typedef struct
{
  TokenKind kind;
  guint     value;
  guint     len;
} Token;

typedef struct
{
  gint  era;   /* -1 for a Gregorian year */
  guint year;  /* as written: Gregorian, or year of the era */
  guint month;
  guint day;
} DateParts;

static void
era_start (const Era *era,
           GDate     *out)
{
  g_date_clear (out, 1);
  g_date_set_dmy (out, era->day, era->month, era->year);
}

/* The era @date falls in, or NULL before 明治. */
static const Era *
era_of (const GDate *date)
{
  for (gsize i = G_N_ELEMENTS (eras); i > 0; i--)
    {
      GDate start;

      era_start (&eras[i - 1], &start);
      if (g_date_compare (date, &start) >= 0)
        return &eras[i - 1];
    }
  return NULL;
}

static gboolean
era_contains (const Era   *era,
              const GDate *date)
{
  return era_of (date) == era;
}

static gboolean
is_dash (gunichar c)
{
  /* Japanese input methods turn "-" into "ー", and word processors into dashes. */
  return (c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0x30FC;
}

char *
dc_date_normalize_input (const char *text)
{
  g_autofree char *nfkc = NULL;
  GString *out;

  if (!g_utf8_validate (text, -1, NULL))
    return NULL;
  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return NULL;

  out = g_string_sized_new (strlen (nfkc));
  for (const char *p = nfkc; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_dash (c))
        g_string_append_c (out, '-');
      else if (g_unichar_isspace (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }
  return g_strstrip (g_string_free (out, FALSE));
}

/* Reads an era name at @s ("平成" or "平"); returns the bytes used, 0 if none. */
static gsize
match_era_name (const char *s,
                guint      *era_index)
{
  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    {
      if (g_str_has_prefix (s, eras[i].name))
        {
          *era_index = i;
          return strlen (eras[i].name);
        }
      if (g_str_has_prefix (s, eras[i].short_name))
        {
          *era_index = i;
          return strlen (eras[i].short_name);
        }
    }
  return 0;
}

static gboolean
match_era_letter (char   c,
                  guint *era_index)
{
  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    if (g_ascii_toupper (c) == eras[i].letter)
      {
        *era_index = i;
        return TRUE;
      }
  return FALSE;
}

/* Reads one token at *@s and advances; FALSE on anything that cannot be part of a date. */
static gboolean
next_token (const char **s,
            Token       *tok)
{
  const char *p = *s;
  gsize used;

  memset (tok, 0, sizeof *tok);
  if (g_ascii_isdigit (*p))
    {
      tok->kind = TOK_NUM;
      for (; g_ascii_isdigit (*p); p++)
        {
          if (++tok->len > 8)
            return FALSE;
          tok->value = tok->value * 10 + (guint) (*p - '0');
        }
      *s = p;
      return TRUE;
    }
  if (*p == '-' || *p == '/' || *p == '.')
    {
      tok->kind = TOK_SEP;
      tok->value = (guint) *p;
      *s = p + 1;
      return TRUE;
    }
  if (match_era_letter (*p, &tok->value))
    {
      tok->kind = TOK_ERA;
      *s = p + 1;
      return TRUE;
    }
  if ((used = match_era_name (p, &tok->value)) > 0)
    {
      tok->kind = TOK_ERA;
      *s = p + used;
      return TRUE;
    }

  {
    static const struct { const char *text; TokenKind kind; } words[] = {
      { "元", TOK_GAN }, { "年", TOK_YEAR }, { "月", TOK_MONTH }, { "日", TOK_DAY },
    };

    for (guint i = 0; i < G_N_ELEMENTS (words); i++)
      if (g_str_has_prefix (p, words[i].text))
        {
          tok->kind = words[i].kind;
          *s = p + strlen (words[i].text);
          return TRUE;
        }
  }
  return FALSE;
}

/* Spaces only separate tokens, so "平成 2年 4月 1日" reads but "1990 4 1" does not. */
static gboolean
tokenize (const char *s,
          Token      *toks,
          guint      *n_toks)
{
  guint n = 0;

  while (*s != '\0')
    {
      if (*s == ' ')
        {
          s++;
          continue;
        }
      if (n == MAX_TOKENS || !next_token (&s, &toks[n]))
        return FALSE;
      n++;
    }
  *n_toks = n;
  return TRUE;
}

static gboolean
is_num (const Token *toks,
        guint        n,
        guint        i,
        guint        max_len)
{
  return i < n && toks[i].kind == TOK_NUM && toks[i].len <= max_len;
}

static gboolean
is_kind (const Token *toks,
         guint        n,
         guint        i,
         TokenKind    kind)
{
  return i < n && toks[i].kind == kind;
}

/* "-4-1", "/4/1", ".4.1": one separator, used twice. */
static gboolean
read_separated (const Token *toks,
                guint        n,
                guint        i,
                DateParts   *p)
{
  if (n != i + 4 || !is_kind (toks, n, i, TOK_SEP) || !is_num (toks, n, i + 1, 2)
      || !is_kind (toks, n, i + 2, TOK_SEP) || toks[i + 2].value != toks[i].value
      || !is_num (toks, n, i + 3, 2))
    return FALSE;
  p->month = toks[i + 1].value;
  p->day = toks[i + 3].value;
  return TRUE;
}

/* "年4月1日"; the final 日 may be left off. */
static gboolean
read_kanji (const Token *toks,
            guint        n,
            guint        i,
            DateParts   *p)
{
  if (!is_kind (toks, n, i, TOK_YEAR) || !is_num (toks, n, i + 1, 2)
      || !is_kind (toks, n, i + 2, TOK_MONTH) || !is_num (toks, n, i + 3, 2))
    return FALSE;
  if (n == i + 5 && !is_kind (toks, n, i + 4, TOK_DAY))
    return FALSE;
  if (n != i + 4 && n != i + 5)
    return FALSE;
  p->month = toks[i + 1].value;
  p->day = toks[i + 3].value;
  return TRUE;
}

static gboolean
read_parts (const Token *toks,
            guint        n,
            DateParts   *p)
{
  p->era = -1;
  if (n == 1 && is_num (toks, n, 0, 8) && toks[0].len == 8)
    {
      p->year = toks[0].value / 10000;
      p->month = toks[0].value / 100 % 100;
      p->day = toks[0].value % 100;
      return TRUE;
    }

  if (is_kind (toks, n, 0, TOK_ERA))
    {
      p->era = (gint) toks[0].value;
      if (is_kind (toks, n, 1, TOK_GAN))
        p->year = 1;
      else if (is_num (toks, n, 1, 4))  /* 令和100年 and later read back too */
        p->year = toks[1].value;
      else
        return FALSE;
      return read_separated (toks, n, 2, p) || read_kanji (toks, n, 2, p);
    }

  if (!is_num (toks, n, 0, 4) || toks[0].len != 4)
    return FALSE;
  p->year = toks[0].value;
  return read_separated (toks, n, 1, p) || read_kanji (toks, n, 1, p);
}

static gboolean
refuse_era (const Era  *era,
            GError    **error)
{
  g_set_error_literal (error, DC_ERROR, DC_ERROR_INVALID_DATE, _(era->range_msg));
  return FALSE;
}

/* Checks @p names a real day inside its era and the supported years. */
static gboolean
parts_to_date (const DateParts  *p,
               GDate            *out,
               GError          **error)
{
  const Era *era = p->era >= 0 ? &eras[p->era] : NULL;
  guint year = p->year;
  GDate date;

  if (era != NULL)
    {
      if (year == 0)
        return refuse_era (era, error);
      year = era->year + year - 1;
    }
  if (year < DC_DATE_MIN_YEAR || year > DC_DATE_MAX_YEAR)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID_DATE,
                   _("The year must be between %u and %u."), DC_DATE_MIN_YEAR, DC_DATE_MAX_YEAR);
      return FALSE;
    }
  if (p->month < 1 || p->month > 12)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID_DATE,
                   _("There is no month %u."), p->month);
      return FALSE;
    }
  if (p->day < 1 || p->day > g_date_get_days_in_month (p->month, year))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID_DATE,
                   _("Month %u of %u has no day %u."), p->month, year, p->day);
      return FALSE;
    }

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, p->day, p->month, year);
  if (era != NULL && !era_contains (era, &date))
    return refuse_era (era, error);
  *out = date;
  return TRUE;
}

gboolean
dc_date_parse (const char  *text,
               GDate       *out,
               GError     **error)
{
  g_autofree char *norm = NULL;
  Token toks[MAX_TOKENS];
  guint n = 0;
  DateParts parts;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  norm = dc_date_normalize_input (text);
  if (norm != NULL && *norm == '\0')
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_INVALID_DATE, _("Enter a date."));
      return FALSE;
    }
  if (norm == NULL || !tokenize (norm, toks, &n) || !read_parts (toks, n, &parts))
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_INVALID_DATE,
                           _("This is not a date that can be read; "
                             "type it like 1990-04-01 or H2.4.1."));
      return FALSE;
    }
  return parts_to_date (&parts, out, error);
}

char *
dc_date_to_iso (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date),
                          g_date_get_month (date), g_date_get_day (date));
}

char *
dc_date_to_wareki (const GDate *date)
{
  const Era *era;
  guint year;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  era = era_of (date);
  if (era == NULL)
    return dc_date_to_iso (date);
  year = g_date_get_year (date) - era->year + 1;
  if (year == 1)
    return g_strdup_printf ("%s元年%u月%u日", era->name,
                            g_date_get_month (date), g_date_get_day (date));
  return g_strdup_printf ("%s%u年%u月%u日", era->name, year,
                          g_date_get_month (date), g_date_get_day (date));
}

/* Day @day of @month in @year, or the last day of that month when it has no such day
 * (Civil Code art. 143(2) proviso: only 29 February can be missing). */
static void
set_day_or_month_end (GDate      *out,
                      guint       day,
                      GDateMonth  month,
                      GDateYear   year)
{
  guint last = g_date_get_days_in_month (month, year);

  g_date_clear (out, 1);
  g_date_set_dmy (out, MIN (day, last), month, year);
}

void
dc_date_turns (const GDate *dob,
               guint        years,
               GDate       *out)
{
  guint year;

  g_return_if_fail (dob != NULL && g_date_valid (dob));
  g_return_if_fail (out != NULL);
  g_return_if_fail (years <= (guint) (G_MAXUINT16 - g_date_get_year (dob)));

  /* The day of birth counts as the first day, so a year of age ends at the end of the
   * day before the birthday and the new age holds from the birthday itself. For a
   * 29 February birth in a common year the year ends at the end of February (the
   * month's last day), so the new age holds from 1 March. */
  year = g_date_get_year (dob) + years;
  set_day_or_month_end (out, g_date_get_day (dob), g_date_get_month (dob), year);
  if (g_date_get_day (out) != g_date_get_day (dob))
    g_date_add_days (out, 1);
}

guint
dc_date_age_on (const GDate *dob,
                const GDate *on)
{
  guint years;
  GDate turns;

  g_return_val_if_fail (dob != NULL && g_date_valid (dob), 0);
  g_return_val_if_fail (on != NULL && g_date_valid (on), 0);

  if (g_date_compare (on, dob) <= 0)
    return 0;
  years = g_date_get_year (on) - g_date_get_year (dob);
  dc_date_turns (dob, years, &turns);
  return g_date_compare (&turns, on) > 0 ? years - 1 : years;
}

void
dc_date_keep_through (const GDate *end_day,
                      guint        years,
                      GDate       *out)
{
  GDate start;
  guint year;

  g_return_if_fail (end_day != NULL && g_date_valid (end_day));
  g_return_if_fail (out != NULL);
  g_return_if_fail (years >= 1 && years <= (guint) (G_MAXUINT16 - 1 - g_date_get_year (end_day)));

  /* Art. 140: the period starts the day after the service ended. Art. 143(2): it ends
   * the day before the day of the final year corresponding to that start, or at the
   * end of the month when no such day exists (a start on 29 February). Adding years
   * to @end_day directly would be wrong both ways: 2029-02-28 is kept through
   * 2032-02-29, and 2028-02-28 (start 29 Feb) only through 2031-02-28. */
  start = *end_day;
  g_date_add_days (&start, 1);
  year = g_date_get_year (&start) + years;
  set_day_or_month_end (out, g_date_get_day (&start), g_date_get_month (&start), year);
  if (g_date_get_day (out) == g_date_get_day (&start))
    g_date_subtract_days (out, 1);
}
