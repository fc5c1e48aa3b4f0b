/* reports/dc-ledger-report.c — the police request ledger on paper: every request and what was handed over for it. */
#include "dc-records-report.h"

#include <inttypes.h>
#include <string.h>

static const char *const ledger_columns[] = {
  "照会", "受理日時", "照会機関／担当官", "照会番号", "法的根拠", "照会内容", "提供日時", "提供者",
  "提供件数", "manifest.json の SHA-256", "保全",
};
static const double ledger_widths[] = { 4, 9, 14, 12, 11, 14, 9, 7, 9, 15, 4 };
G_STATIC_ASSERT (G_N_ELEMENTS (ledger_columns) == G_N_ELEMENTS (ledger_widths));

/* The digest in four groups of 16, so that it wraps where a reader can follow it. */
static char *
grouped_digest (const char *hex)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize len = hex != NULL ? strlen (hex) : 0;

  for (gsize i = 0; i < len; i += 16)
    {
      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append_len (out, hex + i, MIN (16, len - i));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
add_rows (DcPdfDoc *doc, DcStore *store, const DcRequest *r)
{
  GTimeZone *tz = dc_store_timezone (store);
  g_autofree char *id = g_strdup_printf ("%" PRId64, r->id);
  g_autofree char *received = dc_records_display_time (r->received_at, tz);
  g_autofree char *who = g_strdup_printf ("%s\n%s", r->agency, r->officer);
  guint n = r->exports != NULL ? r->exports->len : 0;

  for (guint i = 0; i < MAX (n, 1); i++)
    {
      const DcExportRecord *e = i < n ? &g_array_index (r->exports, DcExportRecord, i) : NULL;
      g_autofree char *at = e != NULL ? dc_records_display_time (e->at, tz) : g_strdup ("（未提供）");
      g_autofree char *counts = e != NULL ? g_strdup_printf ("端末利用 %" PRId64 "\n来店 %" PRId64
                                                             "\n本人確認 %" PRId64,
                                                             e->sessions, e->visits, e->verifications)
                                          : g_strdup ("");
      g_autofree char *digest = e != NULL ? grouped_digest (e->manifest_sha256) : g_strdup ("");
      g_autofree char *holds = e != NULL && e->holds > 0 ? g_strdup_printf ("%" PRId64 " 件", e->holds)
                                                         : g_strdup (e != NULL ? "なし" : "");
      /* the request's own columns once, on its first row */
      const char *cells[] = {
        i == 0 ? id : "", i == 0 ? received : "", i == 0 ? who : "", i == 0 ? r->reference : "",
        i == 0 ? dc_records_basis_ja (r->basis) : "", i == 0 && r->scope != NULL ? r->scope : "",
        at, e != NULL && e->staff != NULL ? e->staff : "", counts, digest, holds,
      };

      dc_pdf_doc_add_row (doc, cells);
    }
}

DcPdfDoc *
dc_ledger_pdf (DcStore *store, const GArray *requests)
{
  DcPdfDoc *doc = dc_pdf_doc_new (TRUE);
  g_autofree char *now = dc_records_display_time (dc_store_now (store), dc_store_timezone (store));
  g_autofree char *count = g_strdup_printf ("%u 件", requests->len);

  dc_pdf_doc_set_title (doc, "警察からの照会と提供の台帳");
  dc_pdf_doc_set_footer (doc, dc_store_name (store));
  if (dc_store_is_demo (store))
    dc_pdf_doc_add_paragraph (doc, "※ デモ用の店舗です。ここに記載された照会は架空のものです。");
  dc_pdf_doc_add_field (doc, "店舗名", dc_store_name (store));
  dc_pdf_doc_add_field (doc, "営業者", dc_store_operator (store));
  dc_pdf_doc_add_field (doc, "出力日時", now);
  dc_pdf_doc_add_field (doc, "照会の数", count);
  dc_pdf_doc_add_paragraph (doc, "提供件数は出力フォルダーの manifest.json に記載された件数、SHA-256 はその "
                                 "manifest.json のものです。提供した出力フォルダーと照合できます。");
  dc_pdf_doc_add_space (doc, 6);
  dc_pdf_doc_begin_table (doc, G_N_ELEMENTS (ledger_columns), ledger_columns, ledger_widths);
  for (guint i = 0; i < requests->len; i++)
    add_rows (doc, store, &g_array_index (requests, DcRequest, i));
  if (requests->len == 0)
    {
      const char *cells[G_N_ELEMENTS (ledger_columns)] = { "", "", "照会の記録はありません。" };

      dc_pdf_doc_add_row (doc, cells);
    }
  dc_pdf_doc_end_table (doc);
  return doc;
}
