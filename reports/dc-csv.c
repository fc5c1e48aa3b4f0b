/* reports/dc-csv.c — RFC 4180 CSV: quoting fields on the way out, a strict reader on the way back. */
#include "dc-csv.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "dc-error.h"

#define UTF8_BOM "\xEF\xBB\xBF"

/* Spaces at either end are quoted too: spreadsheet programs trim them otherwise. */
static gboolean
needs_quotes (const char *field)
{
  gsize len = strlen (field);

  if (len == 0)
    return FALSE;
  if (field[0] == ' ' || field[len - 1] == ' ' || field[0] == '\t' || field[len - 1] == '\t')
    return TRUE;
  return strpbrk (field, ",\"\r\n") != NULL;
}

void
dc_csv_append_field (GString *out, const char *field)
{
  g_return_if_fail (out != NULL);

  if (field == NULL || !needs_quotes (field))
    {
      g_string_append (out, field != NULL ? field : "");
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

void
dc_csv_append_row (GString *out, const char *const *fields, gsize n)
{
  g_return_if_fail (out != NULL);
  g_return_if_fail (fields != NULL || n == 0);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      dc_csv_append_field (out, fields[i]);
    }
  g_string_append (out, "\r\n");
}

/* ---- reading ---- */

typedef struct {
  const char *p;
  const char *end;
  guint       line;     /* physical line, 1-based, for messages */
  GString    *field;
  GPtrArray  *row;      /* char * */
  GPtrArray  *rows;     /* GStrv */
} Reader;

static void
finish_field (Reader *r)
{
  g_ptr_array_add (r->row, g_strndup (r->field->str, r->field->len));
  g_string_truncate (r->field, 0);
}

static void
finish_row (Reader *r)
{
  g_ptr_array_add (r->row, NULL);
  g_ptr_array_add (r->rows, g_ptr_array_steal (r->row, NULL));
}

/* At a line end (CRLF or LF) or not: how many bytes it takes. A lone CR is not a line end. */
static gsize
line_end_length (const Reader *r)
{
  if (r->p < r->end && r->p[0] == '\n')
    return 1;
  if (r->end - r->p >= 2 && r->p[0] == '\r' && r->p[1] == '\n')
    return 2;
  return 0;
}

static gboolean
fail (Reader *r, const char *message, GError **error)
{
  g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("CSV line %u: %s"), r->line, message);
  return FALSE;
}

/* A quoted field, r->p just past its opening quote; leaves r->p just past the closing one. */
static gboolean
read_quoted (Reader *r, GError **error)
{
  guint start_line = r->line;

  while (r->p < r->end)
    {
      char c = *r->p++;

      if (c != '"')
        {
          if (c == '\n')
            r->line++;
          g_string_append_c (r->field, c);
          continue;
        }
      if (r->p < r->end && *r->p == '"')
        {
          g_string_append_c (r->field, '"');
          r->p++;
          continue;
        }
      return TRUE;
    }
  r->line = start_line;
  return fail (r, _("a quoted field is never closed."), error);
}

/* One field starting at r->p; leaves r->p at the separator, the line end or the end. */
static gboolean
read_field (Reader *r, GError **error)
{
  if (r->p < r->end && *r->p == '"')
    {
      r->p++;
      if (!read_quoted (r, error))
        return FALSE;
      if (r->p < r->end && *r->p != ',' && line_end_length (r) == 0)
        return fail (r, _("text follows a closing quote."), error);
      return TRUE;
    }
  while (r->p < r->end && *r->p != ',' && line_end_length (r) == 0)
    {
      if (*r->p == '"')
        return fail (r, _("a quote inside a field that does not start with one."), error);
      if (*r->p == '\r')
        return fail (r, _("a carriage return outside quotes."), error);
      g_string_append_c (r->field, *r->p++);
    }
  return TRUE;
}

static gboolean
read_all (Reader *r, GError **error)
{
  while (r->p < r->end)
    {
      gsize eol;

      if (!read_field (r, error))
        return FALSE;
      finish_field (r);
      if (r->p < r->end && *r->p == ',')
        {
          r->p++;
          /* A separator at the very end still opens one last, empty field. */
          if (r->p == r->end)
            finish_field (r);
          continue;
        }
      finish_row (r);
      eol = line_end_length (r);
      r->p += eol;
      r->line++;
    }
  if (r->row->len > 0)
    finish_row (r);
  return TRUE;
}

GPtrArray *
dc_csv_parse (const char *text, gsize len, GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  Reader r = { text, text + len, 1, field, row, rows };

  g_return_val_if_fail (text != NULL || len == 0, NULL);

  if (len >= 3 && memcmp (text, UTF8_BOM, 3) == 0)
    r.p += 3;
  /* Also refuses NUL bytes, which would cut a field short. */
  if (!g_utf8_validate_len (r.p, (gsize) (r.end - r.p), NULL))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The CSV text is not valid UTF-8."));
      return NULL;
    }
  if (!read_all (&r, error))
    return NULL;
  return g_steal_pointer (&rows);
}
