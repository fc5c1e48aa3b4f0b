/* reports/dc-records-report.c — a police query's records as records.csv (every column) and records.pdf (what fits on paper). */
#include "dc-records-report.h"

#include <string.h>

#include "dc-csv.h"
#include "dc-time.h"

#define UTF8_BOM "\xEF\xBB\xBF"

/* The ordinance's names for the documents of app/dc-identity.c, and the other codes: the
 * bundle is read by Japanese police, so these are not translations of the English labels
 * but the words of the law. */
typedef struct {
  const char *code;
  const char *ja;
} Label;

static const Label doc_labels[] = {
  { "drivers_license", "運転免許証" },
  { "driving_history_cert", "運転経歴証明書" },
  { "qualification_cert", "資格確認書" },
  { "residence_card", "在留カード" },
  { "special_permanent_resident_cert", "特別永住者証明書" },
  { "basic_resident_card", "住民基本台帳カード" },
  { "my_number_card", "個人番号カード" },
  { "passport", "旅券" },
  { "crew_handbook", "乗員手帳" },
  { "family_register_copy", "戸籍謄本・抄本" },
  { "resident_record_copy", "住民票の写し" },
  { "student_id", "学生証" },
  { "other_public_document", "官公庁発行の書類（その他）" },
  { "health_insurance_card", "健康保険証" },
};

static const Label supplementary_labels[] = {
  { "tax_receipt", "国税・地方税の領収証書" },
  { "social_insurance_receipt", "社会保険料の領収証書" },
  { "utility_bill", "公共料金の領収証書" },
  { "tax_certificate", "納税証明書" },
  { "other_public_receipt", "官公庁発行の領収証書（その他）" },
};

static const Label exit_labels[] = {
  { "staff", "受付で退店" },
  { "customer", "利用者が退店操作" },
  { "curfew", "年少者の深夜制限" },
  { "auto", "自動終了（長時間未退店）" },
  { "recovered", "障害復旧時に終了" },
};

static const char *const basis_labels[] = {
  [DC_BASIS_INSPECTION] = "条例に基づく立入検査",
  [DC_BASIS_INQUIRY] = "捜査関係事項照会（刑事訴訟法第197条第2項）",
  [DC_BASIS_WARRANT] = "令状",
  [DC_BASIS_OTHER] = "その他",
};

static const char *const csv_columns[] = {
  "端末", "端末フィルタリング", "利用開始", "利用終了", "来店番号", "入店", "退店", "退店理由",
  "年少者", "会員番号", "氏名", "フリガナ", "生年月日", "住所", "本人確認書類", "書類番号",
  "有効期限", "発行日", "補完書類", "補完書類日付", "国籍", "旅券番号", "確認日時", "確認者",
  "訂正", "入店受付", "退店受付",
};
#define N_CSV_COLUMNS G_N_ELEMENTS (csv_columns)

/* An unknown code is shown as it is rather than hidden. */
static const char *
label_of (const Label *table, gsize n, const char *code)
{
  if (code == NULL)
    return "";
  for (gsize i = 0; i < n; i++)
    if (strcmp (table[i].code, code) == 0)
      return table[i].ja;
  return code;
}

const char *
dc_records_basis_ja (DcLegalBasis basis)
{
  return (guint) basis < G_N_ELEMENTS (basis_labels) ? basis_labels[basis] : basis_labels[DC_BASIS_OTHER];
}

const char *const *
dc_records_csv_columns (gsize *n_columns)
{
  if (n_columns != NULL)
    *n_columns = N_CSV_COLUMNS;
  return csv_columns;
}

/* ---- values as text ---- */

static char *
iso_or_empty (gint64 utc_us, GTimeZone *tz)
{
  return utc_us != 0 ? dc_time_to_iso (utc_us, tz) : g_strdup ("");
}

/* "2026-03-04 14:32:10": paper shows seconds (police ask about a minute) and states the
 * zone once in the header. */
static char *
format_time (gint64 utc_us, GTimeZone *tz, const char *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (utc_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, tz) : NULL;

  return local != NULL ? g_date_time_format (local, format) : g_strdup ("");
}

char *
dc_records_display_time (gint64 utc_us, GTimeZone *tz)
{
  return format_time (utc_us, tz, "%Y-%m-%d %H:%M:%S");
}

/* In a table cell: the date above the time. */
static char *
cell_time (gint64 utc_us, GTimeZone *tz)
{
  return format_time (utc_us, tz, "%Y-%m-%d\n%H:%M:%S");
}

static char *
date_or_empty (const GDate *date)
{
  if (!g_date_valid (date))
    return g_strdup ("");
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static char *
id_or_empty (gint64 id)
{
  return id != 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, id) : g_strdup ("");
}

static const char *
yes_no (gboolean yes)
{
  return yes ? "はい" : "いいえ";
}

static const char *
text_or_empty (const char *text)
{
  return text != NULL ? text : "";
}

static const DcIdentity *
row_identity (const DcQueryRow *row)
{
  static const DcIdentity none = { 0 };

  return row->identity != NULL ? &row->identity->identity : &none;
}

static const char *
row_doc_type (const DcQueryRow *row)
{
  return row->doc_type != NULL ? row->doc_type : row_identity (row)->doc_type;
}

/* ---- records.csv ---- */

static void
append_csv_row (GString *out, const DcQueryRow *row, GTimeZone *tz)
{
  const DcIdentity *id = row_identity (row);
  gboolean session = row->session_id != 0;
  g_autofree char *started = session ? iso_or_empty (row->started_at, tz) : g_strdup ("");
  g_autofree char *ended = session ? iso_or_empty (row->ended_at, tz) : g_strdup ("");
  g_autofree char *visit = id_or_empty (row->visit_id);
  g_autofree char *entered = iso_or_empty (row->entered_at, tz);
  g_autofree char *exited = iso_or_empty (row->exited_at, tz);
  g_autofree char *dob = date_or_empty (&id->dob);
  g_autofree char *expiry = date_or_empty (&id->doc_expiry);
  g_autofree char *issued = date_or_empty (&id->doc_issued);
  g_autofree char *supp_date = date_or_empty (&id->supplementary_date);
  g_autofree char *verified = iso_or_empty (row->verified_at, tz);
  const char *fields[N_CSV_COLUMNS] = {
    session ? text_or_empty (row->terminal) : "",
    session ? (row->terminal_filtered ? "あり" : "なし") : "",
    started, ended, visit, entered, exited,
    row->exit_reason != NULL ? label_of (exit_labels, G_N_ELEMENTS (exit_labels), row->exit_reason) : "",
    yes_no (row->minor),
    text_or_empty (row->member_number),
    text_or_empty (id->name), text_or_empty (id->kana), dob, text_or_empty (id->address),
    label_of (doc_labels, G_N_ELEMENTS (doc_labels), row_doc_type (row)),
    text_or_empty (id->doc_number), expiry, issued,
    label_of (supplementary_labels, G_N_ELEMENTS (supplementary_labels), id->supplementary_type),
    supp_date, text_or_empty (id->nationality), text_or_empty (id->passport_number),
    verified, text_or_empty (row->verifier), yes_no (row->corrected),
    text_or_empty (row->staff_in), text_or_empty (row->staff_out),
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (csv_columns) == 27);
  dc_csv_append_row (out, fields, N_CSV_COLUMNS);
}

GBytes *
dc_records_csv (DcStore *store, const DcQueryResult *result)
{
  GString *out = g_string_new (UTF8_BOM);
  GTimeZone *tz;

  g_return_val_if_fail (store != NULL && result != NULL, NULL);

  tz = dc_store_timezone (store);
  dc_csv_append_row (out, csv_columns, N_CSV_COLUMNS);
  for (guint i = 0; result->rows != NULL && i < result->rows->len; i++)
    append_csv_row (out, &g_array_index (result->rows, DcQueryRow, i), tz);
  return g_string_free_to_bytes (out);
}

/* ---- records.pdf ---- */

static const char *const pdf_titles[] = {
  "端末", "利用開始", "利用終了", "来店番号", "入店", "退店", "氏名／フリガナ", "生年月日", "住所",
  "本人確認書類", "会員番号",
};
/* Times break between date and time; the address takes what is left. */
static const double pdf_widths[] = { 40, 58, 58, 42, 58, 58, 88, 58, 190, 82, 50 };
#define N_PDF_COLUMNS G_N_ELEMENTS (pdf_titles)

static char *
person_cell (const DcQueryRow *row)
{
  const DcIdentity *id = row_identity (row);
  GString *text = g_string_new (text_or_empty (id->name));

  if (id->kana != NULL && *id->kana != '\0')
    g_string_append_printf (text, "\n%s", id->kana);
  if (row->minor)
    g_string_append (text, "\n（年少者）");
  return g_string_free (text, FALSE);
}

/* A visitor without an address in Japan is identified by nationality and passport. */
static char *
address_cell (const DcQueryRow *row)
{
  const DcIdentity *id = row_identity (row);
  GString *text = g_string_new (text_or_empty (id->address));

  if (id->nationality != NULL && *id->nationality != '\0')
    g_string_append_printf (text, "%s国籍：%s", text->len > 0 ? "\n" : "", id->nationality);
  if (id->passport_number != NULL && *id->passport_number != '\0')
    g_string_append_printf (text, "%s旅券番号：%s", text->len > 0 ? "\n" : "", id->passport_number);
  return g_string_free (text, FALSE);
}

static char *
document_cell (const DcQueryRow *row)
{
  const DcIdentity *id = row_identity (row);
  GString *text = g_string_new (label_of (doc_labels, G_N_ELEMENTS (doc_labels), row_doc_type (row)));

  if (id->doc_number != NULL && *id->doc_number != '\0')
    g_string_append_printf (text, "\n%s", id->doc_number);
  if (row->corrected)
    g_string_append (text, "\n（訂正あり）");
  return g_string_free (text, FALSE);
}

static void
add_pdf_row (DcPdfDoc *doc, const DcQueryRow *row, GTimeZone *tz)
{
  const DcIdentity *id = row_identity (row);
  gboolean session = row->session_id != 0;
  g_autofree char *started = session ? cell_time (row->started_at, tz) : g_strdup ("");
  g_autofree char *ended = !session ? g_strdup ("")
                           : row->ended_at != 0 ? cell_time (row->ended_at, tz) : g_strdup ("利用中");
  g_autofree char *visit = id_or_empty (row->visit_id);
  g_autofree char *entered = cell_time (row->entered_at, tz);
  g_autofree char *exited = row->exited_at != 0 ? cell_time (row->exited_at, tz) : g_strdup ("在店中");
  g_autofree char *person = person_cell (row);
  g_autofree char *dob = date_or_empty (&id->dob);
  g_autofree char *address = address_cell (row);
  g_autofree char *document = document_cell (row);
  const char *cells[N_PDF_COLUMNS] = {
    session ? text_or_empty (row->terminal) : "（なし）",
    started, ended, visit, entered, exited, person, dob, address, document,
    text_or_empty (row->member_number),
  };

  dc_pdf_doc_add_row (doc, cells);
}

static void
add_header (DcPdfDoc *doc, DcStore *store, const DcRecordsHeader *header, const DcQueryResult *result)
{
  GTimeZone *tz = dc_store_timezone (store);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (header->exported_at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);
  g_autofree char *exported = dc_records_display_time (header->exported_at, tz);
  g_autofree char *zone = g_date_time_format (local, "%:z");
  g_autofree char *zone_text = g_strdup_printf ("%s（UTC%s）", g_time_zone_get_identifier (tz), zone);
  g_autofree char *counts = g_strdup_printf ("端末利用 %u 件／来店 %u 件／本人確認 %u 件／顧客 %u 人",
                                             result->sessions, result->visits, result->verifications,
                                             result->customers);
  const DcRequest *request = header->request;

  if (dc_store_is_demo (store))
    dc_pdf_doc_add_paragraph (doc, "※ デモ用の店舗です。ここに記載された記録は架空のものです。");
  dc_pdf_doc_add_field (doc, "店舗名", dc_store_name (store));
  dc_pdf_doc_add_field (doc, "営業者", dc_store_operator (store));
  if (request != NULL)
    {
      dc_pdf_doc_add_field (doc, "照会機関", request->agency);
      dc_pdf_doc_add_field (doc, "照会番号", request->reference);
      dc_pdf_doc_add_field (doc, "法的根拠", dc_records_basis_ja (request->basis));
    }
  else
    dc_pdf_doc_add_field (doc, "照会番号", "（照会の登録なし）");
  dc_pdf_doc_add_field (doc, "照会範囲", header->scope);
  dc_pdf_doc_add_field (doc, "件数", counts);
  dc_pdf_doc_add_field (doc, "出力日時", exported);
  dc_pdf_doc_add_field (doc, "時刻の基準", zone_text);
  dc_pdf_doc_add_field (doc, "出力者", header->staff);
  if (header->key_id != NULL)
    dc_pdf_doc_add_field (doc, "鍵ID", header->key_id);
}

static void
add_checkpoint (DcPdfDoc *doc, const DcRecordsHeader *header)
{
  g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, header->checkpoint_seq);

  dc_pdf_doc_add_heading (doc, "監査チェーンのチェックポイント");
  dc_pdf_doc_add_paragraph (doc, "出力時点の監査チェーンの先頭です。店舗の署名鍵（下記の鍵ID）で署名されています。"
                                 "各ページ下部の records.csv の SHA-256 は、署名された manifest.json に記載されています。");
  dc_pdf_doc_add_field (doc, "連番", seq);
  dc_pdf_doc_add_field (doc, "ハッシュ", header->checkpoint_hash);
  if (header->checkpoint_signature != NULL)
    dc_pdf_doc_add_field (doc, "署名", header->checkpoint_signature);
  if (header->key_id != NULL)
    dc_pdf_doc_add_field (doc, "鍵ID", header->key_id);
  if (header->public_key != NULL)
    dc_pdf_doc_add_field (doc, "公開鍵", header->public_key);
}

DcPdfDoc *
dc_records_pdf (DcStore *store, const DcRecordsHeader *header, const DcQueryResult *result)
{
  g_autoptr(DcPdfDoc) doc = dc_pdf_doc_new (TRUE);
  g_autofree char *footer = NULL;
  GTimeZone *tz;

  g_return_val_if_fail (store != NULL && header != NULL && result != NULL, NULL);

  tz = dc_store_timezone (store);
  dc_pdf_doc_set_title (doc, "本人確認記録・端末利用記録");
  if (header->csv_sha256 != NULL)
    {
      footer = g_strdup_printf ("records.csv SHA-256: %s", header->csv_sha256);
      dc_pdf_doc_set_footer (doc, footer);
    }
  add_header (doc, store, header, result);

  dc_pdf_doc_add_heading (doc, "記録");
  dc_pdf_doc_begin_table (doc, N_PDF_COLUMNS, pdf_titles, pdf_widths);
  for (guint i = 0; result->rows != NULL && i < result->rows->len; i++)
    add_pdf_row (doc, &g_array_index (result->rows, DcQueryRow, i), tz);
  dc_pdf_doc_end_table (doc);
  dc_pdf_doc_add_space (doc, 4);
  if (result->rows == NULL || result->rows->len == 0)
    dc_pdf_doc_add_paragraph (doc, "該当する記録はありません。");
  else
    dc_pdf_doc_add_paragraph (doc, "全項目は records.csv にあります（退店理由、有効期限、補完書類、確認者など）。");

  if (header->checkpoint_hash != NULL)
    {
      dc_pdf_doc_add_space (doc, 8);
      add_checkpoint (doc, header);
    }
  return g_steal_pointer (&doc);
}
