/* reports/dc-inspection.c — the inspection report: how the store keeps its records, in numbers, with no personal data. */
#include "dc-inspection.h"

#include "dc-audit.h"
#include "dc-backup.h"
#include "dc-date.h"
#include "dc-db-records.h"
#include "dc-db-report.h"
#include "dc-filing-report.h"
#include "dc-retention.h"
#include "dc-time.h"

#include <inttypes.h>

/* The report is for the police and the prefecture: Japanese, the ordinance's language,
 * whatever the program's locale (literals, not gettext). */

static const char method_text[] =
  "本人確認記録及び通信端末機器特定記録は、本システム（Daicho）により電子的に作成し、保存している。"
  "氏名、住居、生年月日、本人確認書類の番号等の本人特定事項は、店舗の公開鍵で暗号化して記録し、"
  "平文でディスクに保存することはない。記録の閲覧には管理者又は監査者のパスフレーズによる解錠を要し、"
  "閲覧はすべて監査記録に残る。個人番号、健康保険の記号・番号等、記録が禁止されている番号は記録しない。";

static const char append_only_text[] =
  "記録は追記のみとし、誤りの訂正は理由を付した新たな記録の追加により行う。記録の変更及び削除は"
  "データベースにより拒否される。記録の作成、閲覧、訂正及び削除は、すべて改ざんの検知が可能な監査チェーン"
  "（各項目が直前の項目のハッシュを含む連鎖。店舗の署名鍵で署名したチェックポイント付き）に記録される。";

static const char retention_text[] =
  "記録は、最終のサービス提供を終えた日から3年間保存する。保存期間を過ぎた記録は削除処理により消去し、"
  "消去した件数のみを記録に残す（警察からの保全要請により保留中の記録を除く）。"
  "店舗のデータは暗号化したバックアップに定期的に複製する。";

static const char *
profile_label (const char *id)
{
  if (g_strcmp0 (id, "tokyo") == 0)
    return "東京都（インターネット端末利用営業の規制に関する条例）";
  if (g_strcmp0 (id, "osaka") == 0)
    return "大阪府";
  return id;
}

static const char *
terminal_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "booth") == 0)
    return "個室";
  if (g_strcmp0 (kind, "open_seat") == 0)
    return "オープン席";
  if (g_strcmp0 (kind, "flat") == 0)
    return "フラット席";
  if (g_strcmp0 (kind, "room") == 0)
    return "個室（端末なし）";
  return kind != NULL ? kind : "—";
}

/* "2026年3月4日 14:32" in the store's zone; "—" for 0. */
static char *
when (DcStore *store, gint64 at)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (at == 0)
    return g_strdup ("—");
  utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  local = utc != NULL ? g_date_time_to_timezone (utc, dc_store_timezone (store)) : NULL;
  if (local == NULL)
    return g_strdup ("—");
  return g_date_time_format (local, "%Y年%-m月%-d日 %H:%M");
}

static char *
count_text (gint64 n)
{
  return g_strdup_printf ("%" PRId64, n);
}

static gboolean
add_store (DcPdfDoc *doc, DcStore *store, gint64 now, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcStoreRow row = { 0 };
  g_autofree char *notification = NULL;
  g_autofree char *since = NULL;
  g_autofree char *made = when (store, now);
  gboolean found = FALSE;

  if (!dc_db_store_get (db, &row, &found, error) || !dc_db_report_notification (db, &notification, error))
    {
      dc_store_row_clear (&row);
      return FALSE;
    }
  since = when (store, row.created_at);
  dc_pdf_doc_add_heading (doc, "店舗");
  dc_pdf_doc_add_field (doc, "店舗名", dc_store_name (store));
  dc_pdf_doc_add_field (doc, "営業者", dc_store_operator (store));
  if (row.address != NULL && *row.address != '\0')
    dc_pdf_doc_add_field (doc, "所在地", row.address);
  dc_pdf_doc_add_field (doc, "届出事項", notification != NULL && *notification != '\0'
                                            ? notification : "（本システムに登録されていない）");
  dc_pdf_doc_add_field (doc, "適用規則", profile_label (row.prefecture));
  dc_pdf_doc_add_field (doc, "時間帯", row.timezone);
  dc_pdf_doc_add_field (doc, "本システムへの登録", since);
  dc_pdf_doc_add_field (doc, "報告書作成", made);
  if (dc_store_is_demo (store))
    dc_pdf_doc_add_field (doc, "注記", "デモ用の店舗であり、記録はすべて合成データである。");
  dc_store_row_clear (&row);
  return TRUE;
}

static void
add_method (DcPdfDoc *doc)
{
  dc_pdf_doc_add_heading (doc, "記録の方法");
  dc_pdf_doc_add_paragraph (doc, method_text);
  dc_pdf_doc_add_paragraph (doc, append_only_text);
  dc_pdf_doc_add_paragraph (doc, retention_text);
}

/* Month starts (local, in the store's zone) from the month in which the retention window
 * begins to the month after this one; a first bound of G_MININT64 catches anything older
 * still stored (held, or not yet purged). */
static GArray *
month_bounds (DcStore *store, gint64 now, gint64 *out_window_start)
{
  GTimeZone *tz = dc_store_timezone (store);
  GArray *bounds = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 older = G_MININT64;
  GDate month, today;

  *out_window_start = dc_retention_cutoff (tz, now);
  dc_date_from_instant (*out_window_start, tz, &month);
  dc_date_from_instant (now, tz, &today);
  g_date_set_day (&month, 1);
  g_array_append_val (bounds, older);
  while (g_date_compare (&month, &today) <= 0)
    {
      gint64 start = dc_date_start_instant (&month, tz);

      g_array_append_val (bounds, start);
      g_date_add_months (&month, 1);
    }
  {
    gint64 end = dc_date_start_instant (&month, tz);
    g_array_append_val (bounds, end);
  }
  return bounds;
}

static void
add_month_row (DcPdfDoc *doc, const char *label, gint64 verifications, gint64 visits)
{
  g_autofree char *v = count_text (verifications);
  g_autofree char *n = count_text (visits);
  const char *cells[] = { label, v, n };

  dc_pdf_doc_add_row (doc, cells);
}

static gboolean
add_months (DcPdfDoc *doc, DcStore *store, gint64 now, GError **error)
{
  static const char *const titles[] = { "月", "本人確認", "入店" };
  static const double widths[] = { 2, 1, 1 };
  GTimeZone *tz = dc_store_timezone (store);
  DcDb *db = dc_store_db (store);
  gint64 window_start;
  g_autoptr(GArray) bounds = month_bounds (store, now, &window_start);
  guint n = bounds->len - 1;
  g_autofree gint64 *verifications = g_new0 (gint64, n);
  g_autofree gint64 *visits = g_new0 (gint64, n);
  g_autofree char *start_text = NULL;
  g_autofree char *intro = NULL;
  gint64 total_verifications = 0, total_visits = 0;
  GDate day;

  if (!dc_db_report_count_by_interval (db, DC_DB_REPORT_VERIFICATIONS, (gint64 *) bounds->data, bounds->len,
                                       verifications, error)
      || !dc_db_report_count_by_interval (db, DC_DB_REPORT_VISITS, (gint64 *) bounds->data, bounds->len, visits,
                                          error))
    return FALSE;

  dc_date_from_instant (window_start, tz, &day);
  start_text = dc_date_to_iso (&day);
  intro = g_strdup_printf ("保存期間（%s 以降に終了したサービスの記録）の各月に行った本人確認及び入店の件数"
                           "（店舗の時間帯による暦月）。", start_text);
  dc_pdf_doc_add_heading (doc, "月別件数");
  dc_pdf_doc_add_paragraph (doc, intro);
  dc_pdf_doc_begin_table (doc, G_N_ELEMENTS (titles), titles, widths);
  /* anything older than the window is still here only while held, or until the next purge */
  if (verifications[0] != 0 || visits[0] != 0)
    {
      g_autofree char *label = NULL;

      dc_date_from_instant (g_array_index (bounds, gint64, 1), tz, &day);
      g_date_subtract_months (&day, 1);
      label = g_strdup_printf ("%04u年%02u月以前", g_date_get_year (&day), (guint) g_date_get_month (&day));
      add_month_row (doc, label, verifications[0], visits[0]);
    }
  for (guint i = 0; i < n; i++)
    {
      total_verifications += verifications[i];
      total_visits += visits[i];
      if (i > 0)
        {
          g_autofree char *label = NULL;

          dc_date_from_instant (g_array_index (bounds, gint64, i), tz, &day);
          label = g_strdup_printf ("%04u年%02u月", g_date_get_year (&day), (guint) g_date_get_month (&day));
          add_month_row (doc, label, verifications[i], visits[i]);
        }
    }
  add_month_row (doc, "合計", total_verifications, total_visits);
  dc_pdf_doc_end_table (doc);
  return TRUE;
}

static gboolean
add_oldest (DcPdfDoc *doc, DcStore *store, GError **error)
{
  gint64 visit = 0, verification = 0, open_visits = 0, oldest_end = 0;
  g_autofree char *visit_text = NULL;
  g_autofree char *verification_text = NULL;
  g_autofree char *end_text = NULL;

  if (!dc_db_report_oldest (dc_store_db (store), &visit, &verification, error)
      || !dc_db_purge_stats (dc_store_db (store), &open_visits, &oldest_end, error))
    return FALSE;
  visit_text = when (store, visit);
  verification_text = when (store, verification);
  end_text = when (store, oldest_end);
  dc_pdf_doc_add_heading (doc, "最古の記録");
  dc_pdf_doc_add_field (doc, "最古の入店", visit_text);
  dc_pdf_doc_add_field (doc, "最古の本人確認", verification_text);
  dc_pdf_doc_add_field (doc, "最も早く終了したサービス", end_text);
  return TRUE;
}

static gboolean
add_purge (DcPdfDoc *doc, DcStore *store, GError **error)
{
  DcDbReportPurge purge = { 0 };
  gboolean found = FALSE;

  if (!dc_db_report_last_purge (dc_store_db (store), &purge, &found, error))
    return FALSE;
  dc_pdf_doc_add_heading (doc, "最終削除");
  if (!found)
    {
      dc_pdf_doc_add_paragraph (doc, "削除処理はまだ行われていない。");
      return TRUE;
    }
  {
    g_autofree char *at = when (store, purge.at);
    g_autofree char *cutoff = when (store, purge.cutoff);
    g_autofree char *before = g_strdup_printf ("%s より前に終了したサービスの記録", cutoff);
    g_autofree char *counts = g_strdup_printf ("顧客 %" PRId64 "、本人確認 %" PRId64 "、入店 %" PRId64
                                               "、端末利用 %" PRId64, purge.customers, purge.verifications,
                                               purge.visits, purge.sessions);

    dc_pdf_doc_add_field (doc, "実施日時", at);
    dc_pdf_doc_add_field (doc, "削除の対象", before);
    dc_pdf_doc_add_field (doc, "削除件数", counts);
  }
  return TRUE;
}

static gboolean
add_backup (DcPdfDoc *doc, DcStore *store, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *at_text = NULL;
  gint64 at = 0;

  if (!dc_backup_last (store, &at, &path, error))
    return FALSE;
  dc_pdf_doc_add_heading (doc, "最終バックアップ");
  if (at == 0)
    {
      dc_pdf_doc_add_paragraph (doc, "バックアップはまだ作成されていない。");
      return TRUE;
    }
  at_text = when (store, at);
  dc_pdf_doc_add_field (doc, "作成日時", at_text);
  if (path != NULL)
    {
      g_autofree char *display = g_filename_display_name (path);
      dc_pdf_doc_add_field (doc, "保存先", display);
    }
  dc_pdf_doc_add_field (doc, "方式", "店舗の公開鍵で暗号化した一貫性のある複製");
  return TRUE;
}

static gboolean
add_audit (DcPdfDoc *doc, DcStore *store, GError **error)
{
  g_autoptr(DcVerifyReport) report = dc_audit_verify (store, error);
  DcCheckpointRow checkpoint = { 0 };
  g_autofree char *head = NULL;
  g_autofree char *summary = NULL;
  gboolean found = FALSE;

  if (report == NULL || !dc_db_checkpoint_latest (dc_store_db (store), &checkpoint, &found, error))
    return FALSE;
  dc_pdf_doc_add_heading (doc, "監査チェーン");
  if (report->problems->len == 0)
    summary = g_strdup_printf ("異常なし（監査記録 %" PRId64 " 件、照合した記録 %" PRId64 " 件、署名付きチェックポイント %"
                               PRId64 " 件）", report->entries, report->rows, report->checkpoints);
  else
    summary = g_strdup_printf ("異常あり：%u 件の問題が見つかった（監査記録 %" PRId64 " 件）", report->problems->len,
                               report->entries);
  dc_pdf_doc_add_field (doc, "検証結果", summary);
  head = dc_hex (report->head_hash, 32);
  {
    g_autofree char *head_text = g_strdup_printf ("第 %" PRId64 " 項 %s", report->head_seq, head);
    dc_pdf_doc_add_field (doc, "最新の項目", head_text);
  }
  if (found)
    {
      gsize len = 0;
      const guint8 *hash = checkpoint.head_hash != NULL ? g_bytes_get_data (checkpoint.head_hash, &len) : NULL;
      g_autofree char *hex = hash != NULL && len == 32 ? dc_hex (hash, 32) : g_strdup ("—");
      g_autofree char *at = when (store, checkpoint.at);
      g_autofree char *text = g_strdup_printf ("第 %" PRId64 " 項 %s（%s 署名）", checkpoint.seq, hex, at);

      dc_pdf_doc_add_field (doc, "最新のチェックポイント", text);
    }
  else
    dc_pdf_doc_add_field (doc, "最新のチェックポイント", "なし");
  for (guint i = 0; i < report->problems->len; i++)
    dc_pdf_doc_add_paragraph (doc, g_ptr_array_index (report->problems, i));
  dc_checkpoint_row_clear (&checkpoint);
  return TRUE;
}

static gboolean
add_terminals (DcPdfDoc *doc, DcStore *store, GError **error)
{
  static const char *const titles[] = { "端末", "ブース", "種別", "フィルタリング", "状態" };
  static const double widths[] = { 2, 2, 2, 1.5, 1.5 };
  g_autoptr(GArray) rows = dc_db_terminal_list (dc_store_db (store), error);

  if (rows == NULL)
    return FALSE;
  dc_pdf_doc_add_heading (doc, "端末一覧");
  dc_pdf_doc_add_paragraph (doc, "フィルタリング欄の ◯ は、有害情報のフィルタリングソフトウェアを導入済みの端末"
                                 "（青少年に使用させることができる端末）を示す。");
  dc_pdf_doc_begin_table (doc, G_N_ELEMENTS (titles), titles, widths);
  for (guint i = 0; i < rows->len; i++)
    {
      DcTerminalRow *t = &g_array_index (rows, DcTerminalRow, i);
      const char *cells[] = {
        t->label,
        t->booth != NULL && *t->booth != '\0' ? t->booth : "—",
        terminal_kind_label (t->kind),
        t->filtered ? "◯" : "—",
        !t->active ? "使用停止" : t->out_of_order ? "故障中" : "使用可",
      };

      dc_pdf_doc_add_row (doc, cells);
    }
  dc_pdf_doc_end_table (doc);
  g_array_set_clear_func (rows, (GDestroyNotify) dc_terminal_row_clear);
  return TRUE;
}

/* The report's making goes into the chain first, so the verification below covers it. */
static gboolean
audit_making (DcStore *store, GError **error)
{
  DcDb *db = dc_store_db (store);

  if (!dc_db_begin (db, error))
    return FALSE;
  if (!dc_audit_event (store, 0, "inspection-report", error) || !dc_db_commit (db, error))
    {
      dc_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

DcPdfDoc *
dc_inspection_report (DcStore *store, GError **error)
{
  g_autoptr(DcPdfDoc) doc = NULL;
  g_autofree char *title = NULL;
  g_autofree char *footer = NULL;
  g_autofree char *made = NULL;
  gint64 now;

  g_return_val_if_fail (store != NULL, NULL);
  if (!audit_making (store, error))
    return NULL;
  now = dc_store_now (store);
  made = when (store, now);
  doc = dc_pdf_doc_new (FALSE);
  title = g_strdup_printf ("記録の作成及び保存の状況（立入検査用）%s", dc_store_is_demo (store) ? "【デモ】" : "");
  footer = g_strdup_printf ("%s　%s 作成", dc_store_name (store), made);
  dc_pdf_doc_set_title (doc, title);
  dc_pdf_doc_set_footer (doc, footer);
  if (!add_store (doc, store, now, error))
    return NULL;
  add_method (doc);
  if (!add_months (doc, store, now, error) || !add_oldest (doc, store, error) || !add_purge (doc, store, error)
      || !add_backup (doc, store, error) || !add_audit (doc, store, error) || !add_terminals (doc, store, error)
      || !dc_filing_report_add_pending (doc, store, error) || !dc_filing_report_add_self_check (doc, store, error))
    return NULL;
  return g_steal_pointer (&doc);
}

gboolean
dc_inspection_report_write (DcStore *store, const char *path, GError **error)
{
  g_autoptr(DcPdfDoc) doc = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  doc = dc_inspection_report (store, error);
  return doc != NULL && dc_pdf_doc_write (doc, path, error);
}
