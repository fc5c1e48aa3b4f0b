/* tests/test-report.c — CSV writing and reading (against Python's csv module too), records.csv and records.pdf as police read them. */
#include "dc-csv.h"
#include "dc-checkin.h"
#include "dc-pdf.h"
#include "dc-records-report.h"
#include "dc-test-util.h"

#include <json-glib/json-glib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#define PASSPHRASE "correct horse battery"
#define PIN        "4321"
#define BOM        "\xEF\xBB\xBF"

/* One store for every case that needs one (Argon2 is slow), made on first use. */
typedef struct {
  char    *root;
  DcStore *store;
} Fixture;

static DcStore *
fixture_store (Fixture *f)
{
  DcStoreSetup setup = {
    .name = "ネットカフェ台帳 新宿西口店",
    .operator_name = "株式会社だいちょう",
    .prefecture = "tokyo",
    .manager = "Hana",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  if (f->store != NULL)
    return f->store;
  f->root = g_dir_make_tmp ("test-report-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (f->root, "store", NULL);
  f->store = dc_test_store_create (dir, &setup, PASSPHRASE, PIN, NULL);
  return f->store;
}

static char *
tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-report-out-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* ---- CSV: writing ---- */

static void
test_csv_field (void)
{
  static const struct {
    const char *field;
    const char *expected;
  } cases[] = {
    { "plain", "plain" },
    { "", "" },
    { NULL, "" },
    { "山田 太郎", "山田 太郎" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "\"", "\"\"\"\"" },
    { "two\r\nlines", "\"two\r\nlines\"" },
    { "lf\nonly", "\"lf\nonly\"" },
    { "cr\ronly", "\"cr\ronly\"" },
    { " leading", "\" leading\"" },
    { "trailing ", "\"trailing \"" },
    { "\ttab", "\"\ttab\"" },
    { "in ner", "in ner" },
    { "東京都新宿区西新宿１－２－３、４階", "東京都新宿区西新宿１－２－３、４階" },   /* a Japanese comma is not a separator */
    { "山田, 太郎", "\"山田, 太郎\"" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      dc_csv_append_field (out, cases[i].field);
      g_assert_cmpstr (out->str, ==, cases[i].expected);
    }
}

static void
test_csv_row (void)
{
  const char *fields[] = { "a", NULL, "b,c", "" };
  g_autoptr(GString) out = g_string_new ("x");

  dc_csv_append_row (out, fields, G_N_ELEMENTS (fields));
  g_assert_cmpstr (out->str, ==, "xa,,\"b,c\",\r\n");
  dc_csv_append_row (out, fields, 1);
  g_assert_cmpstr (out->str, ==, "xa,,\"b,c\",\r\na\r\n");
}

/* ---- CSV: reading ---- */

static void
assert_rows (GPtrArray *rows, const char *const *const *expected)
{
  guint n = 0;

  while (expected[n] != NULL)
    n++;
  g_assert_cmpuint (rows->len, ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstrv ((const char *const *) g_ptr_array_index (rows, i), expected[i]);
}

#define ROW(...) ((const char *const[]) { __VA_ARGS__, NULL })
#define ROWS(...) ((const char *const *const[]) { __VA_ARGS__, NULL })

static void
test_csv_parse_valid (void)
{
  const struct {
    const char *text;
    const char *const *const *rows;
  } cases[] = {
    { "", ROWS (NULL) },
    { BOM, ROWS (NULL) },
    { "a,b\r\nc,d\r\n", ROWS (ROW ("a", "b"), ROW ("c", "d")) },
    { BOM "a,b\r\n", ROWS (ROW ("a", "b")) },
    { "a,b\nc,d", ROWS (ROW ("a", "b"), ROW ("c", "d")) },
    { "a,b", ROWS (ROW ("a", "b")) },
    { ",\r\n", ROWS (ROW ("", "")) },
    { "a,", ROWS (ROW ("a", "")) },
    { "\"a,b\",\"say \"\"hi\"\"\"\r\n", ROWS (ROW ("a,b", "say \"hi\"")) },
    { "\"two\r\nlines\",x\r\ny\r\n", ROWS (ROW ("two\r\nlines", "x"), ROW ("y")) },
    { "\"\",\"\"\r\n", ROWS (ROW ("", "")) },
    { "\" sp \", in ner \r\n", ROWS (ROW (" sp ", " in ner ")) },
    { "a\r\n\r\nb\r\n", ROWS (ROW ("a"), ROW (""), ROW ("b")) },
    { "\"氏名\",住所\r\n山田,東京都\r\n", ROWS (ROW ("氏名", "住所"), ROW ("山田", "東京都")) },
    { "\"BOM\xEF\xBB\xBF inside\"", ROWS (ROW ("BOM\xEF\xBB\xBF inside")) },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = dc_csv_parse (cases[i].text, strlen (cases[i].text), &error);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_no_error (error);
      assert_rows (rows, cases[i].rows);
    }
}

static void
test_csv_parse_invalid (void)
{
  static const struct {
    const char *text;
    gsize       len;     /* 0: strlen */
    const char *needle;  /* in the message */
  } cases[] = {
    { "a,b\r\n\"open,c\r\n", 0, "line 2" },
    { "a,b\r\nc\"d\r\n", 0, "line 2" },
    { "x\r\ny\r\n\"closed\"text\r\n", 0, "line 3" },
    { "\"a\nb\"x", 0, "line 2" },
    { "a\rb\r\n", 0, "line 1" },
    { "\"", 0, "line 1" },
    { "ok\r\n\xFF\xFE\r\n", 0, "UTF-8" },
    { "a\0b", 3, "UTF-8" },
    { BOM "\"a\"\"", 0, "line 1" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gsize len = cases[i].len != 0 ? cases[i].len : strlen (cases[i].text);
      g_autoptr(GPtrArray) rows = dc_csv_parse (cases[i].text, len, &error);

      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, error != NULL ? error->message : "no error");
      g_assert_null (rows);
      g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
    }
}

/* A field made of what CSV finds hard: separators, quotes, line ends, spaces, Japanese. */
static char *
random_field (void)
{
  static const char *const pieces[] = { ",", "\"", "\r\n", "\n", "\r", " ", "a", "Z", "9", "山", "田", "、", "\"\"", "" };
  GString *field = g_string_new (NULL);
  guint n = (guint) g_test_rand_int_range (0, 8);

  for (guint i = 0; i < n; i++)
    g_string_append (field, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
  return g_string_free (field, FALSE);
}

static GPtrArray *
random_rows (guint n_rows)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  for (guint r = 0; r < n_rows; r++)
    {
      guint n = (guint) g_test_rand_int_range (1, 6);
      char **row = g_new0 (char *, n + 1);

      for (guint i = 0; i < n; i++)
        row[i] = random_field ();
      /* A lone empty field is a blank line, which readers may drop: give it content. */
      if (n == 1 && row[0][0] == '\0')
        g_free (row[0]), row[0] = g_strdup ("x");
      g_ptr_array_add (rows, row);
    }
  return rows;
}

static GString *
write_rows (GPtrArray *rows)
{
  GString *out = g_string_new (BOM);

  for (guint r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);

      dc_csv_append_row (out, (const char *const *) row, g_strv_length (row));
    }
  return out;
}

static void
assert_same_rows (GPtrArray *a, GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstrv ((const char *const *) g_ptr_array_index (a, i), (const char *const *) g_ptr_array_index (b, i));
}

static void
test_csv_round_trip (void)
{
  for (guint k = 0; k < 500; k++)
    {
      g_autoptr(GPtrArray) rows = random_rows ((guint) g_test_rand_int_range (0, 6));
      g_autoptr(GString) text = write_rows (rows);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) back = dc_csv_parse (text->str, text->len, &error);

      g_assert_no_error (error);
      assert_same_rows (rows, back);
      /* Every record ends with CRLF; line ends inside fields are quoted. */
      if (rows->len > 0)
        g_assert_true (g_str_has_suffix (text->str, "\r\n"));
    }
}

/* Parse @len bytes from an exactly sized heap copy, so that a read past the end is a read
 * past the allocation (valgrind, MALLOC_CHECK_). What parses must survive a rewrite. */
static void
fuzz_one (const char *data, gsize len)
{
  g_autofree char *copy = g_memdup2 (data, len);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = dc_csv_parse (len > 0 ? copy : "", len, &error);

  if (rows == NULL)
    {
      g_assert_error (error, DC_ERROR, DC_ERROR_INVALID);
      return;
    }
  g_assert_no_error (error);
  for (guint r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);

      g_assert_cmpuint (g_strv_length (row), >=, 1);
      for (guint i = 0; row[i] != NULL; i++)
        g_assert_true (g_utf8_validate (row[i], -1, NULL));
    }
  {
    g_autoptr(GString) again = write_rows (rows);
    g_autoptr(GPtrArray) back = dc_csv_parse (again->str, again->len, &error);

    g_assert_no_error (error);
    assert_same_rows (rows, back);
  }
}

static void
random_bytes (GString *out)
{
  static const char *const pieces[] = { ",", "\"", "\r", "\n", "\r\n", "a", " ", "あ", "\xEF\xBB\xBF", "\xFF", "\0" };
  guint n = (guint) g_test_rand_int_range (0, 40);

  g_string_truncate (out, 0);
  for (guint i = 0; i < n; i++)
    {
      if (g_test_rand_bit ())
        g_string_append_c (out, (char) g_test_rand_int_range (0, 256));
      else
        {
          const char *p = pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))];

          g_string_append_len (out, p, *p == '\0' ? 1 : (gssize) strlen (p));
        }
    }
}

static void
mutate (GString *text)
{
  static const char specials[] = { ',', '"', '\r', '\n', ' ', '\xE3', '\0' };
  guint n = (guint) g_test_rand_int_range (1, 4);

  for (guint i = 0; i < n && text->len > 0; i++)
    {
      gsize at = (gsize) g_test_rand_int_range (0, (gint32) text->len);

      switch (g_test_rand_int_range (0, 4))
        {
        case 0:
          text->str[at] = specials[g_test_rand_int_range (0, G_N_ELEMENTS (specials))];
          break;
        case 1:
          g_string_insert_c (text, (gssize) at, specials[g_test_rand_int_range (0, G_N_ELEMENTS (specials))]);
          break;
        case 2:
          g_string_erase (text, (gssize) at, 1);
          break;
        default:
          g_string_truncate (text, at);
          break;
        }
    }
}

static void
test_csv_fuzz (void)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint k = 0; k < 5000; k++)
    {
      random_bytes (text);
      fuzz_one (text->str, text->len);
    }
  for (guint k = 0; k < 5000; k++)
    {
      g_autoptr(GPtrArray) rows = random_rows ((guint) g_test_rand_int_range (1, 5));
      g_autoptr(GString) valid = write_rows (rows);

      mutate (valid);
      fuzz_one (valid->str, valid->len);
    }
}

/* ---- records: a result made by hand, as dc_police_query would return it ---- */

typedef struct {
  const char *terminal;      /* NULL: a visit without a session */
  gint64      started_at, ended_at;
  gint64      visit_id, entered_at, exited_at;
  const char *exit_reason;
  const char *name, *kana, *address;
  const char *doc_type, *doc_number;
  const char *staff_in;
  const char *member;
  gboolean    minor, corrected;
  const char *supplementary;
  const char *nationality;
} RowSpec;

static DcIdentityRecord *
make_identity (const RowSpec *spec)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  DcIdentityRecord *record;
  DcIdentity id;

  dc_test_identity_fill (&id, 2030);
  id.name = spec->name;
  id.kana = spec->kana;
  id.address = spec->address;
  if (spec->doc_type != NULL)
    id.doc_type = spec->doc_type;
  id.doc_number = spec->doc_number;
  if (spec->supplementary != NULL)
    {
      id.address_differs = TRUE;
      id.supplementary_type = spec->supplementary;
      g_date_set_dmy (&id.supplementary_date, 1, 2, 2026);
    }
  if (spec->nationality != NULL)
    {
      id.non_resident = TRUE;
      id.nationality = spec->nationality;
      id.passport_number = "TZ1234567";
    }
  bytes = dc_identity_serialize (&id);
  record = dc_identity_record_new_from_bytes (bytes, &error);
  g_assert_no_error (error);
  return record;
}

static void
add_row (DcQueryResult *result, const RowSpec *spec)
{
  DcQueryRow row = { 0 };

  row.session_id = spec->terminal != NULL ? spec->visit_id * 10 : 0;
  row.terminal = g_strdup (spec->terminal);
  row.terminal_filtered = spec->minor;
  row.started_at = spec->started_at;
  row.ended_at = spec->ended_at;
  row.visit_id = spec->visit_id;
  row.entered_at = spec->entered_at;
  row.exited_at = spec->exited_at;
  row.exit_reason = g_strdup (spec->exit_reason);
  row.minor = spec->minor;
  row.staff_in = g_strdup (spec->staff_in != NULL ? spec->staff_in : "佐藤");
  row.staff_out = g_strdup (spec->exited_at != 0 ? "鈴木" : NULL);
  row.customer_id = spec->visit_id + 5;
  row.member_number = g_strdup (spec->member);
  row.verification_id = spec->visit_id + 7;
  row.corrected = spec->corrected;
  row.verified_at = spec->entered_at;
  row.verifier = g_strdup ("佐藤");
  row.identity = make_identity (spec);
  row.doc_type = g_strdup (row.identity->identity.doc_type);
  g_array_append_val (result->rows, row);
  result->sessions += row.session_id != 0;
  result->visits++;
  result->verifications++;
  result->customers++;
}

/* What this test allocated (dc_query_result_free belongs to the query code). */
static void
result_free (DcQueryResult *result)
{
  for (guint i = 0; i < result->rows->len; i++)
    {
      DcQueryRow *row = &g_array_index (result->rows, DcQueryRow, i);

      g_free (row->terminal);
      g_free (row->exit_reason);
      g_free (row->staff_in);
      g_free (row->staff_out);
      g_free (row->member_number);
      g_free (row->verifier);
      g_free (row->doc_type);
      g_clear_pointer (&row->identity, dc_identity_record_free);
    }
  g_array_unref (result->rows);
  g_free (result);
}

typedef DcQueryResult DcQueryResult_test;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DcQueryResult_test, result_free)

static DcQueryResult *
result_new (void)
{
  DcQueryResult *result = g_new0 (DcQueryResult, 1);

  result->rows = g_array_new (FALSE, TRUE, sizeof (DcQueryRow));
  return result;
}

/* Names that break naive CSV: a comma, quotes, a CRLF and an LF inside; spaces around staff. */
static const RowSpec tricky[] = {
  { "PC-12", 0, 0, 900001, 0, 0, "staff", "山田, 太郎", "ヤマダ タロウ", "東京都新宿区西新宿1-2-3, 4階",
    "drivers_license", "301234567890", "  佐藤 ", "1234567", FALSE, FALSE, NULL, NULL },
  { "PC-03", 0, 0, 900002, 0, 0, "auto", "O\"Brien \"Bob\"", "オブライエン", "改行\r\nのある\n住所",
    "passport", "TZ1234567", NULL, NULL, TRUE, TRUE, "utility_bill", NULL },
  { NULL, 0, 0, 900003, 0, 0, NULL, "Smith\r\nJohn", NULL, NULL, "passport", "TZ1234567", NULL, NULL,
    FALSE, FALSE, NULL, "アメリカ合衆国" },
};

static DcQueryResult *
tricky_result (void)
{
  DcQueryResult *result = result_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (tricky); i++)
    {
      RowSpec spec = tricky[i];

      spec.entered_at = dc_test_tokyo (2026, 3, 4, 14, 0) + (gint64) i * G_USEC_PER_SEC;
      spec.started_at = spec.entered_at + 60 * G_USEC_PER_SEC;
      spec.ended_at = i == 0 ? dc_test_tokyo (2026, 3, 4, 14, 32) : 0;   /* the second is still on it */
      spec.exited_at = i == 0 ? spec.ended_at + 60 * G_USEC_PER_SEC : i == 1 ? spec.started_at + G_USEC_PER_SEC : 0;
      add_row (result, &spec);
    }
  return result;
}

static gssize
column (const char *name)
{
  gsize n;
  const char *const *columns = dc_records_csv_columns (&n);

  for (gsize i = 0; i < n; i++)
    if (strcmp (columns[i], name) == 0)
      return (gssize) i;
  g_error ("no column %s", name);
}

static const char *
cell (GPtrArray *rows, guint row, const char *name)
{
  char **fields = g_ptr_array_index (rows, row);

  return fields[column (name)];
}

static GPtrArray *
parse_bytes (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  GPtrArray *rows = dc_csv_parse (data, len, &error);

  g_assert_no_error (error);
  return rows;
}

static void
test_records_csv (gconstpointer data)
{
  DcStore *store = fixture_store ((Fixture *) data);
  g_autoptr(DcQueryResult_test) result = tricky_result ();
  g_autoptr(GBytes) csv = dc_records_csv (store, result);
  g_autoptr(GPtrArray) rows = parse_bytes (csv);
  gsize len, n_columns;
  const char *text = g_bytes_get_data (csv, &len);
  const char *const *columns = dc_records_csv_columns (&n_columns);
  g_autofree char *header = g_strjoinv (",", (char **) columns);

  /* BOM, then the Japanese header line exactly, every record ended by CRLF. */
  g_assert_true (len > 3 && memcmp (text, BOM, 3) == 0);
  g_assert_true (g_str_has_prefix (text + 3, header));
  g_assert_true (g_str_has_prefix (text + 3 + strlen (header), "\r\n"));
  g_assert_true (g_str_has_suffix (text, "\"\r\n") || g_str_has_suffix (text, ",\r\n")
                 || g_str_has_suffix (text, "\r\n"));
  g_assert_nonnull (strstr (text, "\"O\"\"Brien \"\"Bob\"\"\""));   /* quotes doubled */
  g_assert_nonnull (strstr (text, "\"Smith\r\nJohn\""));

  g_assert_cmpuint (rows->len, ==, 1 + G_N_ELEMENTS (tricky));
  for (guint r = 0; r < rows->len; r++)
    g_assert_cmpuint (g_strv_length (g_ptr_array_index (rows, r)), ==, n_columns);
  g_assert_cmpstr (cell (rows, 1, "氏名"), ==, "山田, 太郎");
  g_assert_cmpstr (cell (rows, 2, "氏名"), ==, "O\"Brien \"Bob\"");
  g_assert_cmpstr (cell (rows, 3, "氏名"), ==, "Smith\r\nJohn");
  g_assert_cmpstr (cell (rows, 2, "住所"), ==, "改行\r\nのある\n住所");
  g_assert_cmpstr (cell (rows, 1, "入店受付"), ==, "  佐藤 ");
  g_assert_cmpstr (cell (rows, 1, "住所"), ==, "東京都新宿区西新宿1-2-3, 4階");

  /* Times in ISO 8601 with the store's offset; an open session has no end. */
  g_assert_cmpstr (cell (rows, 1, "入店"), ==, "2026-03-04T14:00:00+09:00");
  g_assert_cmpstr (cell (rows, 1, "利用開始"), ==, "2026-03-04T14:01:00+09:00");
  g_assert_cmpstr (cell (rows, 1, "利用終了"), ==, "2026-03-04T14:32:00+09:00");
  g_assert_cmpstr (cell (rows, 1, "退店"), ==, "2026-03-04T14:33:00+09:00");
  g_assert_cmpstr (cell (rows, 2, "利用終了"), ==, "");
  g_assert_cmpstr (cell (rows, 1, "確認日時"), ==, "2026-03-04T14:00:00+09:00");

  /* A visit without a session: empty terminal columns, but its visit is there. */
  g_assert_cmpstr (cell (rows, 3, "端末"), ==, "");
  g_assert_cmpstr (cell (rows, 3, "利用開始"), ==, "");
  g_assert_cmpstr (cell (rows, 3, "端末フィルタリング"), ==, "");
  g_assert_cmpstr (cell (rows, 3, "来店番号"), ==, "900003");
  g_assert_cmpstr (cell (rows, 3, "退店"), ==, "");
  g_assert_cmpstr (cell (rows, 3, "国籍"), ==, "アメリカ合衆国");
  g_assert_cmpstr (cell (rows, 3, "旅券番号"), ==, "TZ1234567");

  /* Codes in Japanese. */
  g_assert_cmpstr (cell (rows, 1, "端末"), ==, "PC-12");
  g_assert_cmpstr (cell (rows, 1, "本人確認書類"), ==, "運転免許証");
  g_assert_cmpstr (cell (rows, 2, "本人確認書類"), ==, "旅券");
  g_assert_cmpstr (cell (rows, 1, "書類番号"), ==, "301234567890");
  g_assert_cmpstr (cell (rows, 1, "有効期限"), ==, "2030-12-31");
  g_assert_cmpstr (cell (rows, 1, "生年月日"), ==, "1990-04-01");
  g_assert_cmpstr (cell (rows, 2, "退店理由"), ==, "自動終了（長時間未退店）");
  g_assert_cmpstr (cell (rows, 2, "補完書類"), ==, "公共料金の領収証書");
  g_assert_cmpstr (cell (rows, 2, "補完書類日付"), ==, "2026-02-01");
  g_assert_cmpstr (cell (rows, 2, "年少者"), ==, "はい");
  g_assert_cmpstr (cell (rows, 1, "年少者"), ==, "いいえ");
  g_assert_cmpstr (cell (rows, 2, "訂正"), ==, "はい");
  g_assert_cmpstr (cell (rows, 2, "端末フィルタリング"), ==, "あり");
  g_assert_cmpstr (cell (rows, 1, "会員番号"), ==, "1234567");
  g_assert_cmpstr (cell (rows, 1, "フリガナ"), ==, "ヤマダ タロウ");
}

static void
test_records_labels (gconstpointer data)
{
  DcStore *store = fixture_store ((Fixture *) data);
  g_autoptr(DcQueryResult_test) result = result_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  gsize n_docs, n_supp;
  const DcDocType *docs = dc_doc_types (&n_docs);
  const DcSupplementaryType *supp = dc_supplementary_types (&n_supp);
  guint n_exits = DC_EXIT_RECOVERED + 1;
  guint n = (guint) MAX (MAX (n_docs, n_supp), n_exits);

  for (guint i = 0; i < n; i++)
    {
      RowSpec spec = { "PC-01", 1, 2, 100 + i, 1, 3, dc_exit_reason_code ((DcExitReason) MIN (i, n_exits - 1)),
                       "試験 太郎", "シケン タロウ", "東京都", docs[MIN (i, n_docs - 1)].code, NULL };

      spec.supplementary = supp[MIN (i, n_supp - 1)].code;
      add_row (result, &spec);
    }
  csv = dc_records_csv (store, result);
  rows = parse_bytes (csv);
  /* Every code of the tables in app/ has a Japanese label of its own. */
  for (guint i = 0; i < n; i++)
    {
      const char *doc = cell (rows, i + 1, "本人確認書類");
      const char *sup = cell (rows, i + 1, "補完書類");
      const char *exit = cell (rows, i + 1, "退店理由");

      if (i < n_docs)
        {
          g_assert_cmpstr (doc, !=, docs[i].code);
          g_assert_false (g_hash_table_contains (seen, doc));
          g_hash_table_add (seen, (gpointer) doc);
        }
      if (i < n_supp)
        {
          g_assert_cmpstr (sup, !=, supp[i].code);
          g_assert_false (g_hash_table_contains (seen, sup));
          g_hash_table_add (seen, (gpointer) sup);
        }
      if (i < n_exits)
        {
          g_assert_cmpstr (exit, !=, dc_exit_reason_code ((DcExitReason) i));
          g_assert_false (g_hash_table_contains (seen, exit));
          g_hash_table_add (seen, (gpointer) exit);
        }
      g_assert_true (doc[0] != '\0' && sup[0] != '\0' && exit[0] != '\0');
      g_assert_false (g_str_is_ascii (doc) || g_str_is_ascii (sup) || g_str_is_ascii (exit));
    }
}

/* ---- an independent reader: Python's csv module ---- */

static const char python_reader[] =
  "import csv, json, sys\n"
  "with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n"
  "    rows = list(csv.reader(f, strict=True))\n"
  "json.dump(rows, sys.stdout, ensure_ascii=True)\n";

static char *
run_ok (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
  return out;
}

static gboolean
have_tools (const char *const *tools)
{
  for (guint i = 0; tools[i] != NULL; i++)
    {
      g_autofree char *path = g_find_program_in_path (tools[i]);

      if (path == NULL)
        {
          g_autofree char *message = g_strdup_printf ("%s is not installed", tools[i]);

          g_test_fail_printf ("%s: make deps installs it", message);
          return FALSE;
        }
    }
  return TRUE;
}

static GPtrArray *
python_rows (const char *path)
{
  const char *argv[] = { "python3", "-c", python_reader, path, NULL };
  g_autofree char *json = run_ok (argv);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  JsonArray *array;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint r = 0; r < json_array_get_length (array); r++)
    {
      JsonArray *fields = json_array_get_array_element (array, r);
      char **row = g_new0 (char *, json_array_get_length (fields) + 1);

      for (guint i = 0; i < json_array_get_length (fields); i++)
        row[i] = g_strdup (json_array_get_string_element (fields, i));
      g_ptr_array_add (rows, row);
    }
  return rows;
}

static void
test_records_csv_python (gconstpointer data)
{
  DcStore *store;
  g_autoptr(DcQueryResult_test) result = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GPtrArray) ours = NULL;
  g_autoptr(GPtrArray) theirs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;

  if (!have_tools ((const char *[]) { "python3", NULL }))
    return;
  store = fixture_store ((Fixture *) data);
  result = tricky_result ();
  csv = dc_records_csv (store, result);
  dir = tmp_dir ();
  path = g_build_filename (dir, "records.csv", NULL);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (csv, NULL), (gssize) g_bytes_get_size (csv), &error));
  g_assert_no_error (error);

  ours = parse_bytes (csv);
  theirs = python_rows (path);
  assert_same_rows (ours, theirs);
  g_assert_cmpstr (cell (theirs, 3, "氏名"), ==, "Smith\r\nJohn");
  g_assert_cmpstr (cell (theirs, 1, "入店受付"), ==, "  佐藤 ");

  /* Random rows of hard fields too. */
  for (guint k = 0; k < 20; k++)
    {
      g_autoptr(GPtrArray) rows = random_rows (8);
      g_autoptr(GString) text = write_rows (rows);
      g_autoptr(GPtrArray) back = NULL;

      g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, &error));
      back = python_rows (path);
      assert_same_rows (rows, back);
    }
  dc_test_remove_tree (dir);
}

/* ---- records.pdf ---- */

#define MANY_ROWS   150
#define FIRST_VISIT 700001

static const char *const checkpoint_hash = "c0ffee00deadbeefc0ffee00deadbeefc0ffee00deadbeefc0ffee00deadbeef";

/* 150 sessions on 30 terminals, people with addresses of one to four lines; each address
 * ends in a room number unique to its row: a cut row would put its visit number and its
 * room on two pages. */
static const char *const surnames[][2] = {
  { "山田", "ヤマダ" }, { "佐藤", "サトウ" }, { "鈴木", "スズキ" }, { "高橋", "タカハシ" }, { "田中", "タナカ" },
  { "伊藤", "イトウ" }, { "渡辺", "ワタナベ" }, { "中村", "ナカムラ" }, { "小林", "コバヤシ" }, { "加藤", "カトウ" },
  { "長谷川", "ハセガワ" },
};
static const char *const given_names[][2] = {
  { "太郎", "タロウ" }, { "花子", "ハナコ" }, { "一郎", "イチロウ" }, { "美咲", "ミサキ" }, { "健太", "ケンタ" },
  { "さくら", "サクラ" }, { "翔", "ショウ" },
};
static const char *const streets[] = {
  "東京都新宿区西新宿一丁目1番1号",
  "東京都渋谷区道玄坂二丁目10番12号 道玄坂サンプルマンション",
  "東京都豊島区西池袋三丁目28番13号 池袋ウエストゲートレジデンス 十四階",
  "東京都世田谷区三軒茶屋一丁目37番2号 サンプルハイツ三軒茶屋 B棟",
  "神奈川県川崎市中原区小杉町三丁目264番地3 武蔵小杉サンプルタワーレジデンス イーストウイング 三十二階",
  "埼玉県さいたま市大宮区桜木町一丁目7番地5 大宮サンプルビル",
  "千葉県千葉市美浜区中瀬二丁目6番地1 ワールドビジネスガーデン マリブウエスト 二十階 株式会社サンプル 社員寮",
};

static char *
many_name (guint i)
{
  return g_strdup_printf ("%s %s", surnames[i % G_N_ELEMENTS (surnames)][0], given_names[i % G_N_ELEMENTS (given_names)][0]);
}

static DcQueryResult *
many_result (void)
{
  DcQueryResult *result = result_new ();

  for (guint i = 0; i < MANY_ROWS; i++)
    {
      g_autofree char *terminal = g_strdup_printf ("PC-%02u", i % 30 + 1);
      g_autofree char *name = many_name (i);
      g_autofree char *kana = g_strdup_printf ("%s %s", surnames[i % G_N_ELEMENTS (surnames)][1],
                                               given_names[i % G_N_ELEMENTS (given_names)][1]);
      g_autofree char *address = g_strdup_printf ("%s R%03u号室", streets[i % G_N_ELEMENTS (streets)], i);
      g_autofree char *member = g_strdup_printf ("%07u", 1000003 + i * 7);
      RowSpec spec = { terminal };

      spec.visit_id = FIRST_VISIT + i;
      spec.entered_at = dc_test_tokyo (2026, 3, 4, 9, 0) + (gint64) i * 60 * G_USEC_PER_SEC;
      spec.started_at = spec.entered_at + 30 * G_USEC_PER_SEC;
      spec.ended_at = spec.started_at + (gint64) 3600 * G_USEC_PER_SEC;
      spec.exited_at = spec.ended_at + 60 * G_USEC_PER_SEC;
      spec.exit_reason = "staff";
      spec.name = name;
      spec.kana = kana;
      spec.address = address;
      spec.doc_type = i % 9 == 4 ? "residence_card" : "drivers_license";
      spec.doc_number = i % 9 == 4 ? "AB12345678CD" : "301234567890";
      spec.member = i % 3 == 0 ? member : NULL;
      add_row (result, &spec);
    }
  return result;
}

static char *
sha256_hex (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

static DcPdfDoc *
records_doc (DcStore *store, const DcQueryResult *result, const char *csv_sha256)
{
  DcRequest request = { 0 };
  DcRecordsHeader header = { 0 };

  request.agency = (char *) "新宿警察署 生活安全課";
  request.officer = (char *) "警部補 田中";
  request.reference = (char *) "新生安第123号";
  request.basis = DC_BASIS_INQUIRY;
  header.request = &request;
  header.scope = "2026-03-04 09:00:00 – 12:00:00";
  header.exported_at = dc_test_tokyo (2026, 3, 5, 10, 15);
  header.staff = "Hana";
  header.csv_sha256 = csv_sha256;
  header.checkpoint_seq = 4242;
  header.checkpoint_hash = checkpoint_hash;
  header.checkpoint_signature = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e"
                                "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";
  header.key_id = "0123456789ABCDEF";
  return dc_records_pdf (store, &header, result);
}

static guint
pdf_pages (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *info = run_ok (argv);
  const char *line = strstr (info, "\nPages:");

  g_assert_nonnull (line);
  return (guint) g_ascii_strtoull (line + strlen ("\nPages:"), NULL, 10);
}

static char *
page_text (const char *path, guint page)
{
  g_autofree char *n = g_strdup_printf ("%u", page);
  const char *argv[] = { "pdftotext", "-layout", "-enc", "UTF-8", "-f", n, "-l", n, path, "-", NULL };

  return run_ok (argv);
}

/* How often @word occurs in @text as a whole token (not inside a longer run of letters and digits). */
static guint
count_token (const char *text, const char *word)
{
  guint count = 0;
  gsize len = strlen (word);

  for (const char *p = strstr (text, word); p != NULL; p = strstr (p + 1, word))
    if ((p == text || !g_ascii_isalnum (p[-1])) && !g_ascii_isalnum (p[len]))
      count++;
  return count;
}

/* "n / N" in the footer: pdftotext -layout may close up the narrow spaces around the slash. */
static guint
count_page_number (const char *text, guint n, guint total)
{
  g_autofree char *pattern = g_strdup_printf ("(?<![0-9])%u ?/ ?%u(?![0-9])", n, total);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint count = 0;

  for (g_regex_match (regex, text, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    count++;
  return count;
}

typedef struct {
  double x0, y0, x1, y1;
  char  *text;
} Word;

static void
word_clear (gpointer data)
{
  g_free (((Word *) data)->text);
}

/* No two words printed over each other: a row measured too short would put its last line
 * where the next row's first line is. pdftotext's boxes are the font's full line height
 * (1.45 em), taller than the line pitch (1.25 em), so words collide when they share a
 * column and their centres are closer than three quarters of a box. */
static void
assert_no_overprint (const char *path, guint page)
{
  g_autofree char *n = g_strdup_printf ("%u", page);
  g_autofree char *html = run_ok ((const char *[]) { "pdftotext", "-bbox", "-f", n, "-l", n, path, "-", NULL });
  g_autoptr(GRegex) regex = g_regex_new ("<word xMin=\"([0-9.]+)\" yMin=\"([0-9.]+)\" xMax=\"([0-9.]+)\" "
                                         "yMax=\"([0-9.]+)\">([^<]*)</word>", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (Word));

  g_array_set_clear_func (words, word_clear);
  for (g_regex_match (regex, html, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      Word w;
      char *v;

      v = g_match_info_fetch (match, 1), w.x0 = g_ascii_strtod (v, NULL), g_free (v);
      v = g_match_info_fetch (match, 2), w.y0 = g_ascii_strtod (v, NULL), g_free (v);
      v = g_match_info_fetch (match, 3), w.x1 = g_ascii_strtod (v, NULL), g_free (v);
      v = g_match_info_fetch (match, 4), w.y1 = g_ascii_strtod (v, NULL), g_free (v);
      w.text = g_match_info_fetch (match, 5);
      g_array_append_val (words, w);
    }
  g_assert_cmpuint (words->len, >, 0);
  for (guint i = 0; i < words->len; i++)
    for (guint j = i + 1; j < words->len; j++)
      {
        Word *a = &g_array_index (words, Word, i), *b = &g_array_index (words, Word, j);
        double overlap_x = MIN (a->x1, b->x1) - MAX (a->x0, b->x0);
        double centre_gap = fabs ((a->y0 + a->y1) - (b->y0 + b->y1)) / 2;

        if (overlap_x > 0.5 && centre_gap < 0.75 * MIN (a->y1 - a->y0, b->y1 - b->y0))
          g_error ("page %u: “%s” and “%s” overprint", page, a->text, b->text);
      }
}

/* Dark pixels in a PNG, as a fraction: a blank or black page is not a rendering. */
static double
ink_fraction (const char *png)
{
  cairo_surface_t *image = cairo_image_surface_create_from_png (png);
  int width, height, stride;
  guint dark = 0;
  const guint8 *data;

  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_flush (image);
  width = cairo_image_surface_get_width (image);
  height = cairo_image_surface_get_height (image);
  stride = cairo_image_surface_get_stride (image);
  data = cairo_image_surface_get_data (image);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guint32 px = *(const guint32 *) (data + y * stride + x * 4);

        if (((px >> 8) & 0xff) < 128)
          dark++;
      }
  cairo_surface_destroy (image);
  return (double) dark / (width * height);
}

static void
render_png (const char *pdf, guint page, const char *dir, const char *name)
{
  g_autofree char *n = g_strdup_printf ("%u", page);
  g_autofree char *prefix = g_build_filename (dir, name, NULL);
  g_autofree char *png = g_strconcat (prefix, ".png", NULL);
  const char *argv[] = { "pdftoppm", "-png", "-r", "60", "-f", n, "-l", n, "-singlefile", pdf, prefix, NULL };
  g_autofree char *out = run_ok (argv);
  double ink;

  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  ink = ink_fraction (png);
  g_test_message ("%s: %.1f %% ink", name, ink * 100);
  g_assert_cmpfloat (ink, >, 0.01);
  g_assert_cmpfloat (ink, <, 0.5);
}

static void
test_records_pdf (gconstpointer data)
{
  DcStore *store;
  g_autoptr(DcQueryResult_test) result = NULL;
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(DcPdfDoc) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree guint *visit_page = g_new0 (guint, MANY_ROWS);
  g_autofree guint *end_page = g_new0 (guint, MANY_ROWS);
  const char *tools[] = { "pdftotext", "pdfinfo", "pdftoppm", "pdffonts", NULL };
  const char *fonts_argv[] = { "pdffonts", NULL, NULL };
  g_autofree char *fonts = NULL;
  guint n_pages;

  if (!have_tools (tools))
    return;
  store = fixture_store ((Fixture *) data);
  result = many_result ();
  csv = dc_records_csv (store, result);
  digest = sha256_hex (csv);
  doc = records_doc (store, result, digest);
  dir = tmp_dir ();
  path = g_build_filename (dir, "records.pdf", NULL);
  g_assert_true (dc_pdf_doc_write (doc, path, &error));
  g_assert_no_error (error);

  n_pages = pdf_pages (path);
  g_assert_cmpuint (n_pages, ==, dc_pdf_doc_layout (doc, DC_PDF_A4_HEIGHT, DC_PDF_A4_WIDTH));
  g_assert_cmpuint (n_pages, >=, 5);

  for (guint p = 1; p <= n_pages; p++)
    {
      g_autofree char *text = page_text (path, p);
      g_autofree char *footer = g_strdup_printf ("records.csv SHA-256: %s", digest);

      g_assert_cmpuint (count_page_number (text, p, n_pages), ==, 1);
      g_assert_nonnull (strstr (text, footer));
      g_assert_cmpuint (count_token (text, checkpoint_hash), ==, p == n_pages ? 1 : 0);
      g_assert_nonnull (strstr (text, "氏名／フリガナ"));   /* the header row on every page */
      assert_no_overprint (path, p);
      if (p == 1)
        {
          g_assert_nonnull (strstr (text, "新生安第123号"));
          g_assert_nonnull (strstr (text, "捜査関係事項照会"));
          g_assert_nonnull (strstr (text, "ネットカフェ台帳 新宿西口店"));
          g_assert_nonnull (strstr (text, "株式会社だいちょう"));
          g_assert_nonnull (strstr (text, "0123456789ABCDEF"));
        }
      for (guint i = 0; i < MANY_ROWS; i++)
        {
          g_autofree char *visit = g_strdup_printf ("%u", FIRST_VISIT + i);
          g_autofree char *end = g_strdup_printf ("R%03u", i);
          g_autofree char *name = many_name (i);
          g_autofree char *terminal = g_strdup_printf ("PC-%02u", i % 30 + 1);
          guint visits = count_token (text, visit);

          g_assert_cmpuint (visits, <=, 1);
          if (visits == 1)
            {
              g_assert_cmpuint (visit_page[i], ==, 0);
              visit_page[i] = p;
              g_assert_nonnull (strstr (text, name));
              g_assert_cmpuint (count_token (text, terminal), >=, 1);
            }
          if (count_token (text, end) == 1)
            end_page[i] = p;
        }
    }
  /* Every row on exactly one page, whole. */
  for (guint i = 0; i < MANY_ROWS; i++)
    {
      g_assert_cmpuint (visit_page[i], !=, 0);
      g_assert_cmpuint (end_page[i], ==, visit_page[i]);
    }

  /* Set in Noto Sans CJK JP, embedded (no fallback font, no missing glyphs). */
  fonts_argv[1] = path;
  fonts = run_ok (fonts_argv);
  g_assert_nonnull (strstr (fonts, "NotoSansCJKjp"));
  g_assert_null (strstr (fonts, " no "));   /* every font embedded */

  render_png (path, 1, dir, "first");
  render_png (path, n_pages, dir, "last");
  dc_test_remove_tree (dir);
}

static void
test_records_pdf_empty (gconstpointer data)
{
  DcStore *store;
  g_autoptr(DcQueryResult_test) result = result_new ();
  g_autoptr(GBytes) csv = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(DcPdfDoc) doc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;

  if (!have_tools ((const char *[]) { "pdftotext", "pdfinfo", NULL }))
    return;
  store = fixture_store ((Fixture *) data);
  csv = dc_records_csv (store, result);
  rows = parse_bytes (csv);
  g_assert_cmpuint (rows->len, ==, 1);   /* the header line alone */
  doc = records_doc (store, result, "abc123");
  dir = tmp_dir ();
  path = g_build_filename (dir, "records.pdf", NULL);
  g_assert_true (dc_pdf_doc_write (doc, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pdf_pages (path), ==, 1);
  text = page_text (path, 1);
  g_assert_nonnull (strstr (text, "該当する記録はありません"));
  g_assert_cmpuint (count_page_number (text, 1, 1), ==, 1);
  g_assert_nonnull (strstr (text, checkpoint_hash));
  dc_test_remove_tree (dir);
}

/* ---- the document builder on its own ---- */

static DcPdfDoc *
sample_doc (guint n_rows)
{
  static const char *const titles[] = { "列A", "列B", "列C" };
  static const double widths[] = { 1, 3, 1 };
  DcPdfDoc *doc = dc_pdf_doc_new (FALSE);

  dc_pdf_doc_set_title (doc, "試験文書 Title");
  dc_pdf_doc_set_footer (doc, "footer text フッター");
  dc_pdf_doc_add_heading (doc, "見出し");
  dc_pdf_doc_add_paragraph (doc, "本文です。This paragraph wraps when the page is narrow enough to need it.");
  dc_pdf_doc_add_field (doc, "項目", "値");
  dc_pdf_doc_add_space (doc, 12);
  dc_pdf_doc_begin_table (doc, G_N_ELEMENTS (titles), titles, widths);
  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *a = g_strdup_printf ("R%u", i);
      const char *cells[] = { a, "内容 content that may wrap over a few lines in the middle column", NULL };

      dc_pdf_doc_add_row (doc, cells);
    }
  dc_pdf_doc_end_table (doc);
  dc_pdf_doc_add_paragraph (doc, "おわり");
  return doc;
}

static void
draw_all (DcPdfDoc *doc, guint n_pages, int width, int height, double scale)
{
  for (guint p = 0; p < n_pages; p++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
      cairo_t *cr = cairo_create (surface);
      guint32 first;
      gboolean drawn = FALSE;

      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      cairo_scale (cr, scale, scale);
      dc_pdf_doc_draw_page (doc, cr, p);
      g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
      cairo_surface_flush (surface);
      first = *(guint32 *) cairo_image_surface_get_data (surface);
      for (int y = 0; y < height && !drawn; y++)
        for (int x = 0; x < width && !drawn; x++)
          drawn = *(guint32 *) (cairo_image_surface_get_data (surface) + y * cairo_image_surface_get_stride (surface) + x * 4) != first;
      g_assert_true (drawn);
      cairo_destroy (cr);
      cairo_surface_destroy (surface);
    }
}

/* A printer's page (Letter, as GtkPrintOperation gives it) lays out the same way every
 * time, and draw-page onto any cairo context works. */
static void
test_pdf_print_size (void)
{
  g_autoptr(DcPdfDoc) doc = sample_doc (120);
  guint letter = dc_pdf_doc_layout (doc, 612, 792);
  guint a4 = dc_pdf_doc_layout (doc, DC_PDF_A4_WIDTH, DC_PDF_A4_HEIGHT);

  g_assert_cmpuint (letter, >=, 2);
  g_assert_cmpuint (a4, >=, 2);
  g_assert_cmpuint (dc_pdf_doc_layout (doc, 612, 792), ==, letter);
  draw_all (doc, letter, 612, 792, 1.0);
  draw_all (doc, letter, 306, 396, 0.5);   /* a scaled context, as a preview draws */
  g_assert_cmpuint (dc_pdf_doc_layout (doc, 612, 792), ==, letter);
  /* A tiny page: still terminates, every page drawable. */
  draw_all (doc, dc_pdf_doc_layout (doc, 200, 160), 200, 160, 1.0);
}

/* One row taller than a page: the only row that is cut, between lines, the header row
 * repeated; everything in it is printed once. */
static void
test_pdf_tall_row (void)
{
  static const char *const titles[] = { "列A", "列B" };
  static const double widths[] = { 1, 4 };
  g_autoptr(DcPdfDoc) doc = dc_pdf_doc_new (FALSE);
  g_autoptr(GString) tall = g_string_new ("BEGINX ");
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  guint n_pages;
  guint seen_words = 0;

  if (!have_tools ((const char *[]) { "pdftotext", "pdfinfo", NULL }))
    return;
  for (guint i = 0; i < 400; i++)
    g_string_append_printf (tall, "W%03u あいうえおかきくけこ ", i);
  g_string_append (tall, "ENDX");
  dc_pdf_doc_set_title (doc, "長い行");
  dc_pdf_doc_begin_table (doc, 2, titles, widths);
  dc_pdf_doc_add_row (doc, (const char *[]) { "short", "before" });
  dc_pdf_doc_add_row (doc, (const char *[]) { "tall", tall->str });
  dc_pdf_doc_add_row (doc, (const char *[]) { "after", "AFTERX" });
  dc_pdf_doc_end_table (doc);
  dir = tmp_dir ();
  path = g_build_filename (dir, "tall.pdf", NULL);
  g_assert_true (dc_pdf_doc_write (doc, path, &error));
  g_assert_no_error (error);
  n_pages = pdf_pages (path);
  g_assert_cmpuint (n_pages, >=, 2);
  for (guint p = 1; p <= n_pages; p++)
    {
      g_autofree char *text = page_text (path, p);

      g_assert_nonnull (strstr (text, "列B"));
      if (p == 1)
        g_assert_nonnull (strstr (text, "BEGINX"));
      if (p == n_pages)
        g_assert_nonnull (strstr (text, "ENDX"));
      for (guint i = 0; i < 400; i++)
        {
          g_autofree char *word = g_strdup_printf ("W%03u", i);

          seen_words += count_token (text, word);
        }
    }
  g_assert_cmpuint (seen_words, ==, 400);
  dc_test_remove_tree (dir);
}

/* Cells near the width of their column, Latin and kana: each is measured right (a cell
 * that wraps is as tall as its lines), so nothing is printed over the next row. */
static void
test_pdf_cell_heights (void)
{
  static const char *const titles[] = { "狭い列", "広い列" };
  static const double widths[] = { 1, 4 };
  static const char *const pieces[] = { "a", "W", "i", "0", "-", " ", "あ", "漢", "ー", "、", "Ｗ", "ｱ", "\n" };
  g_autoptr(DcPdfDoc) doc = dc_pdf_doc_new (TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  guint n_pages;

  if (!have_tools ((const char *[]) { "pdftotext", "pdfinfo", NULL }))
    return;
  dc_pdf_doc_begin_table (doc, 2, titles, widths);
  for (guint r = 0; r < 120; r++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint n = (guint) g_test_rand_int_range (12, 30);

      for (guint i = 0; i < n; i++)
        g_string_append (text, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces) - (i < 2 ? 1 : 0))]);
      dc_pdf_doc_add_row (doc, (const char *[]) { text->str, "x" });
    }
  dc_pdf_doc_end_table (doc);
  dir = tmp_dir ();
  path = g_build_filename (dir, "cells.pdf", NULL);
  g_assert_true (dc_pdf_doc_write (doc, path, &error));
  g_assert_no_error (error);
  n_pages = pdf_pages (path);
  for (guint p = 1; p <= n_pages; p++)
    assert_no_overprint (path, p);
  dc_test_remove_tree (dir);
}

static void
test_pdf_metadata (void)
{
  g_autoptr(DcPdfDoc) doc = sample_doc (3);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *info = NULL;
  g_autofree char *text = NULL;

  if (!have_tools ((const char *[]) { "pdftotext", "pdfinfo", NULL }))
    return;
  dir = tmp_dir ();
  path = g_build_filename (dir, "doc.pdf", NULL);
  g_assert_true (dc_pdf_doc_write (doc, path, &error));
  g_assert_no_error (error);
  info = run_ok ((const char *[]) { "pdfinfo", path, NULL });
  g_assert_nonnull (strstr (info, "試験文書 Title"));
  g_assert_nonnull (strstr (info, "595.276 x 841.89 pts (A4)"));
  text = page_text (path, 1);
  g_assert_nonnull (strstr (text, "footer text フッター"));
  g_assert_nonnull (strstr (text, "R2"));
  g_assert_nonnull (strstr (text, "おわり"));
  dc_test_remove_tree (dir);
}

static void
test_pdf_write_error (void)
{
  g_autoptr(DcPdfDoc) doc = sample_doc (1);
  g_autoptr(GError) error = NULL;

  g_assert_false (dc_pdf_doc_write (doc, "/nonexistent-dir/x/records.pdf", &error));
  g_assert_error (error, DC_ERROR, DC_ERROR_IO);
}

int
main (int argc, char **argv)
{
  Fixture f = { 0 };
  int rc;

  setlocale (LC_ALL, "");
  g_setenv ("TZ", "America/New_York", TRUE);   /* the store's zone decides, never the machine's */
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report/csv/field", test_csv_field);
  g_test_add_func ("/report/csv/row", test_csv_row);
  g_test_add_func ("/report/csv/parse-valid", test_csv_parse_valid);
  g_test_add_func ("/report/csv/parse-invalid", test_csv_parse_invalid);
  g_test_add_func ("/report/csv/round-trip", test_csv_round_trip);
  g_test_add_func ("/report/csv/fuzz", test_csv_fuzz);
  g_test_add_data_func ("/report/records/csv", &f, test_records_csv);
  g_test_add_data_func ("/report/records/labels", &f, test_records_labels);
  g_test_add_data_func ("/report/records/csv-python", &f, test_records_csv_python);
  g_test_add_data_func ("/report/records/pdf", &f, test_records_pdf);
  g_test_add_data_func ("/report/records/pdf-empty", &f, test_records_pdf_empty);
  g_test_add_func ("/report/pdf/print-size", test_pdf_print_size);
  g_test_add_func ("/report/pdf/tall-row", test_pdf_tall_row);
  g_test_add_func ("/report/pdf/cell-heights", test_pdf_cell_heights);
  g_test_add_func ("/report/pdf/metadata", test_pdf_metadata);
  g_test_add_func ("/report/pdf/write-error", test_pdf_write_error);

  rc = g_test_run ();
  g_clear_pointer (&f.store, dc_store_free);
  if (f.root != NULL)
    dc_test_remove_tree (f.root);
  g_free (f.root);
  return rc;
}
