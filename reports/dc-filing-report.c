/* reports/dc-filing-report.c — the printable summary of changes to notify the police (変更届) and the self-inspection, in Japanese. */
#include "dc-filing-report.h"

#include "dc-filing.h"

#include <inttypes.h>

/* For the police station: Japanese, the ordinance's language, whatever the program's
 * locale (literals, not gettext), as reports/dc-inspection.c. */

static const char *const kind_labels[] = {
  [DC_FILING_ADOPTION] = "記録の作成及び保存の方法（本システムの導入）",
  [DC_FILING_TERMINALS] = "通信端末機器の数",
  [DC_FILING_BOOTHS] = "個室等の数",
  [DC_FILING_METHOD] = "記録の作成及び保存の方法",
  [DC_FILING_OTHER] = "その他",
};

static const char *const item_labels[] = {
  [DC_CHECK_SECURITY_SOFTWARE] = "端末へのセキュリティ又はリカバリーソフトウェアの導入",
  [DC_CHECK_CCTV] = "防犯カメラの設置及び作動",
  [DC_CHECK_LIGHTING] = "店内及び個室等の照明",
  [DC_CHECK_ADULT_SHELVES] = "成人向け図書の区分陳列",
  [DC_CHECK_MINOR_FILTERING] = "青少年に使用させる端末へのフィルタリングソフトウェアの導入",
  [DC_CHECK_WARNINGS] = "利用者への警告表示",
};
G_STATIC_ASSERT (G_N_ELEMENTS (item_labels) == DC_CHECK_N_ITEMS);

/* "2026年3月4日 14:32" in the store's zone. */
static char *
when (DcStore *store, gint64 at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, dc_store_timezone (store)) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y年%-m月%-d日 %H:%M") : g_strdup ("—");
}

/* "2026年3月14日" for a due instant. */
static char *
due_day (DcStore *store, gint64 due)
{
  GDate day;

  dc_filing_due_day (store, due, &day);
  return g_strdup_printf ("%u年%u月%u日", g_date_get_year (&day), g_date_get_month (&day), g_date_get_day (&day));
}

static char *
what (const DcFiling *f)
{
  const char *verb;

  if (f->change == NULL)
    return g_strdup (f->kind == DC_FILING_ADOPTION
                       ? "本人確認記録及び通信端末機器特定記録等の作成及び保存を本システム（Daicho）により開始した。"
                       : f->what);
  verb = g_str_equal (f->change, "added") ? "を追加" : g_str_equal (f->change, "removed") ? "を撤去" : "を変更";
  return g_strdup_printf ("端末 %s %s（端末数 %" PRId64 " → %" PRId64 "、個室等 %" PRId64 " → %" PRId64 "）",
                          f->label, verb, f->terminals_before, f->terminals_after, f->booths_before,
                          f->booths_after);
}

/* @filed_only: skip the pending ones (listed in their own section). */
static void
add_filings_table (DcPdfDoc *doc, DcStore *store, GArray *filings, gboolean filed_only)
{
  static const char *const titles[] = { "変更日時", "届出事項", "内容", "届出期限", "届出" };
  static const double widths[] = { 2, 2, 4, 1.6, 2.4 };

  dc_pdf_doc_begin_table (doc, G_N_ELEMENTS (titles), titles, widths);
  for (guint i = 0; i < filings->len; i++)
    {
      const DcFiling *f = &g_array_index (filings, DcFiling, i);
      g_autofree char *at = when (store, f->at);
      g_autofree char *text = what (f);
      g_autofree char *due = due_day (store, f->due);
      g_autofree char *filed = NULL;
      g_autofree char *filed_at = NULL;

      if (filed_only && f->filed_at == 0)
        continue;
      if (f->filed_at == 0)
        filed = g_strdup (dc_store_now (store) > f->due ? "未届出（期限超過）" : "未届出");
      else
        {
          filed_at = when (store, f->filed_at);
          filed = g_strdup_printf ("%s 済（%s）%s", filed_at, f->filed_by != NULL ? f->filed_by : "—",
                                   f->filed_note != NULL ? f->filed_note : "");
        }
      {
        const char *cells[] = { at, kind_labels[f->kind], text, due, filed };

        dc_pdf_doc_add_row (doc, cells);
      }
    }
  dc_pdf_doc_end_table (doc);
}

gboolean
dc_filing_report_add_pending (DcPdfDoc *doc, DcStore *store, GError **error)
{
  g_autoptr(GArray) filings = dc_filing_list (store, TRUE, error);

  if (filings == NULL)
    return FALSE;
  dc_pdf_doc_add_heading (doc, "未届出の変更");
  if (filings->len == 0)
    dc_pdf_doc_add_paragraph (doc, "届出を要する変更で未届出のものはない。");
  else
    {
      dc_pdf_doc_add_paragraph (doc, "次の変更は、変更の日から10日以内に管轄警察署に届け出る必要がある"
                                     "（変更届）。");
      add_filings_table (doc, store, filings, FALSE);
    }
  return TRUE;
}

gboolean
dc_filing_report_add_self_check (DcPdfDoc *doc, DcStore *store, GError **error)
{
  static const char *const titles[] = { "点検項目", "結果", "備考" };
  static const double widths[] = { 5, 1, 4 };
  DcSelfCheck check = { 0 };
  g_autofree char *at = NULL;
  gboolean found = FALSE;

  if (!dc_self_check_latest (store, &check, &found, error))
    return FALSE;
  dc_pdf_doc_add_heading (doc, "不正利用防止措置の自主点検（最新）");
  if (!found)
    {
      dc_pdf_doc_add_paragraph (doc, "自主点検の記録はない。");
      return TRUE;
    }
  at = when (store, check.at);
  dc_pdf_doc_add_field (doc, "点検日時", at);
  dc_pdf_doc_add_field (doc, "点検者", check.by);
  dc_pdf_doc_begin_table (doc, G_N_ELEMENTS (titles), titles, widths);
  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    {
      const DcCheckAnswer *a = &check.items[i];
      const char *cells[] = { item_labels[i], !a->answered ? "未回答" : a->ok ? "適" : "不適", a->note };

      dc_pdf_doc_add_row (doc, cells);
    }
  dc_pdf_doc_end_table (doc);
  if (check.note != NULL)
    dc_pdf_doc_add_field (doc, "所見", check.note);
  dc_self_check_clear (&check);
  return TRUE;
}

DcPdfDoc *
dc_filing_report (DcStore *store, gboolean all, GError **error)
{
  g_autoptr(DcPdfDoc) doc = dc_pdf_doc_new (FALSE);
  g_autoptr(GArray) filings = NULL;
  g_autofree char *made = when (store, dc_store_now (store));
  g_autofree char *footer = g_strdup_printf ("%s　%s 作成", dc_store_name (store), made);
  g_autofree char *title = g_strdup_printf ("届出事項の変更の記録%s", dc_store_is_demo (store) ? "【デモ】" : "");

  dc_pdf_doc_set_title (doc, title);
  dc_pdf_doc_set_footer (doc, footer);
  dc_pdf_doc_add_heading (doc, "店舗");
  dc_pdf_doc_add_field (doc, "店舗名", dc_store_name (store));
  dc_pdf_doc_add_field (doc, "営業者", dc_store_operator (store));
  dc_pdf_doc_add_field (doc, "作成日時", made);
  if (!dc_filing_report_add_pending (doc, store, error))
    return NULL;
  if (all)
    {
      filings = dc_filing_list (store, FALSE, error);
      if (filings == NULL)
        return NULL;
      dc_pdf_doc_add_heading (doc, "届出済みの変更");
      add_filings_table (doc, store, filings, TRUE);
    }
  if (!dc_filing_report_add_self_check (doc, store, error))
    return NULL;
  return g_steal_pointer (&doc);
}

gboolean
dc_filing_report_write (DcStore *store, gboolean all, const char *path, GError **error)
{
  g_autoptr(DcPdfDoc) doc = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  doc = dc_filing_report (store, all, error);
  return doc != NULL && dc_pdf_doc_write (doc, path, error);
}
