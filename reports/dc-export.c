/* reports/dc-export.c — writing the police bundle: query, signed checkpoint, files in a hidden folder, ledger, then the folder in place. */
#define _GNU_SOURCE   /* renameat2: never put a bundle over a folder that appeared meanwhile */
#include "dc-export.h"
#include "dc-file.h"
#include "dc-audit.h"
#include "dc-db-records.h"
#include "dc-minisign.h"
#include "dc-records-report.h"
#include "dc-time.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Everything one export gathers on its way. */
typedef struct {
  DcStore          *store;
  DcActor          *actor;
  DcExportProgress  progress;
  gpointer          progress_data;
  gint64            exported_at;
  DcRequest        *request;
  DcQueryResult    *result;
  char             *scope;        /* describe (): no personal data, for the manifest */
  char             *scope_full;   /* with the values searched for, for the paper */
  DcCheckpointRow   checkpoint;
  char             *key_id;
  char             *work;         /* the hidden folder the files are written in */
  char             *csv_sha256;
  char             *pdf_sha256;
  char             *readme_sha256;
  char             *manifest_sha256;
} Export;

static void
export_clear (Export *ex)
{
  g_clear_pointer (&ex->request, dc_request_free);
  g_clear_pointer (&ex->result, dc_query_result_free);
  g_clear_pointer (&ex->scope, g_free);
  g_clear_pointer (&ex->scope_full, g_free);
  dc_checkpoint_row_clear (&ex->checkpoint);
  g_clear_pointer (&ex->key_id, g_free);
  g_clear_pointer (&ex->work, g_free);
  g_clear_pointer (&ex->csv_sha256, g_free);
  g_clear_pointer (&ex->pdf_sha256, g_free);
  g_clear_pointer (&ex->readme_sha256, g_free);
  g_clear_pointer (&ex->manifest_sha256, g_free);
}

void
dc_export_summary_clear (DcExportSummary *summary)
{
  g_clear_pointer (&summary->manifest_sha256, g_free);
  g_clear_pointer (&summary->dir, g_free);
}

static void
step (Export *ex, double fraction, const char *what)
{
  if (ex->progress != NULL)
    ex->progress (fraction, what, ex->progress_data);
}


static char *
sha256_hex (const void *data, gsize len)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
}

/* ---- files ---- */



/* A new file in the work folder (dc_file_write_new: 0600, on disk before it returns). */
static gboolean
write_file (Export *ex, const char *name, const void *data, gsize len, GError **error)
{
  g_autofree char *path = g_build_filename (ex->work, name, NULL);

  return dc_file_write_new (path, data, len, error);
}

static gboolean
write_text (Export *ex, const char *name, const char *text, char **out_sha256, GError **error)
{
  if (out_sha256 != NULL)
    *out_sha256 = sha256_hex (text, strlen (text));
  return write_file (ex, name, text, strlen (text), error);
}


/* ---- the records ---- */

static gboolean
write_csv (Export *ex, GError **error)
{
  g_autoptr(GBytes) csv = dc_records_csv (ex->store, ex->result);
  gsize len = 0;
  const void *data = g_bytes_get_data (csv, &len);

  ex->csv_sha256 = sha256_hex (data, len);
  return write_file (ex, DC_EXPORT_CSV, data, len, error);
}

static gboolean
write_pdf (Export *ex, GError **error)
{
  g_autofree char *hash = dc_hex (g_bytes_get_data (ex->checkpoint.head_hash, NULL),
                                  g_bytes_get_size (ex->checkpoint.head_hash));
  g_autofree char *signature = dc_hex (g_bytes_get_data (ex->checkpoint.signature, NULL),
                                       g_bytes_get_size (ex->checkpoint.signature));
  g_autofree char *path = g_build_filename (ex->work, DC_EXPORT_PDF, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;
  DcRecordsHeader header = {
    .request = ex->request,
    .scope = ex->scope_full,
    .exported_at = ex->exported_at,
    .staff = dc_actor_name (ex->actor),
    .csv_sha256 = ex->csv_sha256,
    .checkpoint_seq = ex->checkpoint.seq,
    .checkpoint_hash = hash,
    .checkpoint_signature = signature,
    .key_id = ex->key_id,
  };
  g_autoptr(DcPdfDoc) doc = NULL;
  g_autofree char *pub = dc_minisign_public_key (dc_store_sign_pk (ex->store), NULL);
  g_auto(GStrv) pub_lines = g_strsplit (pub, "\n", 3);

  header.public_key = g_strv_length (pub_lines) >= 2 ? pub_lines[1] : NULL;
  doc = dc_records_pdf (ex->store, &header, ex->result);

  /* cairo creates the file itself: made private here, inside the private folder */
  if (!dc_pdf_doc_write (doc, path, error))
    return FALSE;
  if (g_chmod (path, 0600) != 0)
    {
      dc_file_set_error (error, errno, _("Cannot write %s"), path);
      return FALSE;
    }
  if (!g_file_get_contents (path, &data, &len, error) || !dc_file_sync_path (path, error))
    return FALSE;
  ex->pdf_sha256 = sha256_hex (data, len);
  return TRUE;
}

/* ---- what says what the records are ---- */

static void
add_string (JsonBuilder *b, const char *member, const char *value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, value != NULL ? value : "");
}

static void
add_int (JsonBuilder *b, const char *member, gint64 value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_int_value (b, value);
}

static void
add_hex (JsonBuilder *b, const char *member, GBytes *bytes)
{
  g_autofree char *hex = dc_hex (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  add_string (b, member, hex);
}

static void
build_request (Export *ex, JsonBuilder *b)
{
  json_builder_set_member_name (b, "request");
  if (ex->request == NULL)
    {
      json_builder_add_null_value (b);
      return;
    }
  json_builder_begin_object (b);
  add_int (b, "id", ex->request->id);
  add_string (b, "reference", ex->request->reference);
  add_string (b, "agency", ex->request->agency);
  add_string (b, "basis", dc_legal_basis_code (ex->request->basis));
  json_builder_end_object (b);
}

static void
build_checkpoint (Export *ex, JsonBuilder *b)
{
  g_autoptr(GBytes) pk = g_bytes_new (dc_store_sign_pk (ex->store), DC_SIGN_PK_BYTES);

  json_builder_set_member_name (b, "checkpoint");
  json_builder_begin_object (b);
  add_int (b, "seq", ex->checkpoint.seq);
  add_int (b, "at", ex->checkpoint.at);
  add_hex (b, "head_hash", ex->checkpoint.head_hash);
  add_hex (b, "signature", ex->checkpoint.signature);
  add_hex (b, "public_key", pk);
  json_builder_end_object (b);
}

static char *
manifest_text (Export *ex)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *exported = dc_time_to_iso (ex->exported_at, dc_store_timezone (ex->store));
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  add_string (b, "format", DC_EXPORT_FORMAT);
  json_builder_set_member_name (b, "store");
  json_builder_begin_object (b);
  add_string (b, "name", dc_store_name (ex->store));
  add_string (b, "operator", dc_store_operator (ex->store));
  add_string (b, "uuid", dc_store_uuid (ex->store));
  json_builder_end_object (b);
  build_request (ex, b);
  add_string (b, "scope", ex->scope);
  add_string (b, "exported_at", exported);
  add_string (b, "staff", dc_actor_name (ex->actor));
  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  add_int (b, "sessions", ex->result->sessions);
  add_int (b, "visits", ex->result->visits);
  add_int (b, "verifications", ex->result->verifications);
  add_int (b, "customers", ex->result->customers);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "files");
  json_builder_begin_object (b);
  add_string (b, DC_EXPORT_CSV, ex->csv_sha256);
  add_string (b, DC_EXPORT_PDF, ex->pdf_sha256);
  json_builder_end_object (b);
  build_checkpoint (ex, b);
  add_string (b, "key_id", ex->key_id);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  text = json_generator_to_data (gen, NULL);
  return g_strconcat (text, "\n", NULL);
}

/* README.txt: Japanese, the ordinance's language, for the officer who opens the folder. */
static char *
readme_text (Export *ex)
{
  g_autofree char *exported = dc_time_to_iso (ex->exported_at, dc_store_timezone (ex->store));
  g_autofree char *pub = dc_minisign_public_key (dc_store_sign_pk (ex->store), NULL);
  g_auto(GStrv) pub_lines = g_strsplit (pub, "\n", -1);
  GString *t = g_string_new ("\xEF\xBB\xBF");   /* a BOM: Windows editors then read UTF-8 */

  g_string_append (t, "台帳 (Daicho) 記録の提出データ\n==============================\n\n");
  g_string_append_printf (t, "このフォルダは、%s（運営: %s）が", dc_store_name (ex->store), dc_store_operator (ex->store));
  if (ex->request != NULL)
    g_string_append_printf (t, "、%s からの照会（照会番号: %s）に応じて", ex->request->agency, ex->request->reference);
  g_string_append (t, "提出したインターネット端末の利用記録と本人確認の記録です。\n\n");
  g_string_append_printf (t, "作成日時: %s\n作成者: %s\n照会範囲: %s\n", exported, dc_actor_name (ex->actor), ex->scope);
  g_string_append_printf (t, "件数: 端末利用 %u 件、来店 %u 件、本人確認 %u 件、利用者 %u 名\n",
                          ex->result->sessions, ex->result->visits, ex->result->verifications, ex->result->customers);
  g_string_append_printf (t, "署名鍵の ID: %s\n公開鍵: %s\n\n", ex->key_id, pub_lines[1]);
  g_string_append (t,
    "ファイル\n--------\n"
    "records.pdf            記録の一覧（印刷用）。各ページの下に records.csv の SHA-256 を記載しています。\n"
    "records.csv            同じ記録のデータ（UTF-8、Excel で開けます）。1 行が端末の利用 1 回（端末を使わなかった来店は端末の欄が空の 1 行）です。\n"
    "manifest.json          店舗、照会、範囲、件数、records.csv と records.pdf の SHA-256、監査記録のチェックポイント。\n"
    "manifest.json.minisig  manifest.json の署名（minisign 形式）。\n"
    "SHA256SUMS             records.csv、records.pdf、manifest.json、README.txt の SHA-256（sha256sum 形式）。\n"
    "SHA256SUMS.minisig     SHA256SUMS の署名（minisign 形式）。\n"
    "store.pub              店舗の公開鍵（minisign 形式）。\n"
    "README.txt             この説明。\n\n"
    "確認の方法\n----------\n"
    "minisign（https://jedisct1.github.io/minisign/）と sha256sum を使い、このフォルダの中で次の 3 つのコマンドを実行してください。\n\n"
    "  minisign -Vm manifest.json -p store.pub\n"
    "  minisign -Vm SHA256SUMS -p store.pub\n"
    "  sha256sum -c SHA256SUMS\n\n"
    "初めの 2 つが「Signature and comment signature verified」と表示し、3 つ目がすべてのファイルに「OK」と"
    "表示すれば、どのファイルも店舗が署名した後に変更されていません。\n\n"
    "ただし、署名が示すのは store.pub の鍵で署名されたことだけです。store.pub が店舗の鍵であることを必ず確かめてください。\n");
  g_string_append_printf (t,
    "- 署名鍵の ID（%s）が、店舗から別に受け取った鍵 ID、または手渡された印刷物（records.pdf）に記載された鍵 ID と同じであること。\n"
    "- より確実には、公開鍵（store.pub の 2 行目、RW で始まる文字列）が、店舗から別に受け取った公開鍵と同じであること。"
    "受け取った公開鍵で「minisign -Vm manifest.json -P 公開鍵」としても確認できます。\n", ex->key_id);
  return g_string_free (t, FALSE);
}

static char *
sums_text (Export *ex)
{
  return g_strdup_printf ("%s  " DC_EXPORT_CSV "\n%s  " DC_EXPORT_PDF "\n%s  " DC_EXPORT_MANIFEST "\n%s  "
                          DC_EXPORT_README "\n", ex->csv_sha256, ex->pdf_sha256, ex->manifest_sha256,
                          ex->readme_sha256);
}

/* Sign @text (as written in @name) into "@name.minisig". */
static gboolean
write_signature (Export *ex, const char *name, const char *text, GError **error)
{
  g_autofree char *exported = dc_time_to_iso (ex->exported_at, dc_store_timezone (ex->store));
  g_autofree char *trusted = g_strdup_printf ("daicho export %s request %s %s", dc_store_uuid (ex->store),
                                              ex->request != NULL ? ex->request->reference : "-", exported);
  g_autofree char *sig_name = g_strconcat (name, ".minisig", NULL);
  g_autofree char *sig = dc_minisign_sign (dc_actor_vault (ex->actor), (const guint8 *) text, strlen (text), NULL,
                                           trusted, error);

  return sig != NULL && write_text (ex, sig_name, sig, NULL, error);
}

static gboolean
write_signed_files (Export *ex, GError **error)
{
  g_autofree char *readme = readme_text (ex);
  g_autofree char *manifest = NULL;
  g_autofree char *sums = NULL;
  g_autofree char *pub = dc_minisign_public_key (dc_store_sign_pk (ex->store), NULL);

  if (!write_text (ex, DC_EXPORT_README, readme, &ex->readme_sha256, error))
    return FALSE;
  manifest = manifest_text (ex);
  if (!write_text (ex, DC_EXPORT_MANIFEST, manifest, &ex->manifest_sha256, error)
      || !write_signature (ex, DC_EXPORT_MANIFEST, manifest, error))
    return FALSE;
  sums = sums_text (ex);
  return write_text (ex, DC_EXPORT_SUMS, sums, NULL, error)
         && write_signature (ex, DC_EXPORT_SUMS, sums, error)
         && write_text (ex, DC_EXPORT_PUBKEY, pub, NULL, error);
}

static gboolean
write_files (Export *ex, GError **error)
{
  step (ex, 0.25, _("Writing records.csv"));
  if (!write_csv (ex, error))
    return FALSE;
  step (ex, 0.35, _("Writing records.pdf"));
  if (!write_pdf (ex, error))
    return FALSE;
  step (ex, 0.8, _("Writing and signing the manifest"));
  return write_signed_files (ex, error) && dc_file_sync_dir (ex->work, error);
}

/* ---- in order ---- */

/* @out_dir must be new, in a folder that exists: checked before anything is done. */
static gboolean
check_out_dir (const char *out_dir, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (out_dir);
  GStatBuf st;

  if (g_lstat (out_dir, &st) == 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("%s already exists: choose a new folder for the bundle."),
                   out_dir);
      return FALSE;
    }
  if (!g_file_test (parent, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The folder %s does not exist."), parent);
      return FALSE;
    }
  return TRUE;
}

static gboolean
gather (Export *ex, gint64 request_id, const DcQueryScope *scope, GError **error)
{
  DcDb *db = dc_store_db (ex->store);
  gboolean found = FALSE;

  step (ex, 0.0, _("Reading the request"));
  ex->request = dc_request_get (ex->store, ex->actor, request_id, error);
  if (ex->request == NULL)
    return FALSE;
  step (ex, 0.05, _("Finding the records"));
  ex->result = dc_police_query (ex->store, ex->actor, scope, request_id, error);
  if (ex->result == NULL)
    return FALSE;
  ex->scope = dc_query_scope_describe (ex->store, scope);
  ex->scope_full = dc_query_scope_describe_full (ex->store, scope);

  /* the checkpoint covers the query's own audit entry: the bundle is tied to the chain */
  step (ex, 0.2, _("Signing a checkpoint of the audit chain"));
  if (!dc_audit_checkpoint (ex->store, dc_actor_vault (ex->actor), error)
      || !dc_db_checkpoint_latest (db, &ex->checkpoint, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_TAMPERED, _("The audit chain has no signed checkpoint."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
record (Export *ex, gint64 request_id, const DcQueryScope *scope, gboolean hold, gint64 *out_id, GError **error)
{
  DcExportEntry entry = {
    .request_id = request_id,
    .query_id = ex->result->query_id,
    .sessions = ex->result->sessions,
    .visits = ex->result->visits,
    .verifications = ex->result->verifications,
    .manifest_sha256 = ex->manifest_sha256,
    .hold = hold,
    .scope = scope,
    .result = ex->result,
  };

  step (ex, 0.9, _("Recording the export in the ledger"));
  return dc_police_record_export (ex->store, ex->actor, &entry, out_id, error);
}

/* The folder appears whole, and never over one that appeared since the check. */
static gboolean
move_into_place (Export *ex, const char *out_dir, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (out_dir);
  int rc;

  step (ex, 0.95, _("Putting the bundle in place"));
  rc = renameat2 (AT_FDCWD, ex->work, AT_FDCWD, out_dir, RENAME_NOREPLACE);
  if (rc != 0 && (errno == EINVAL || errno == ENOSYS) && !g_file_test (out_dir, G_FILE_TEST_EXISTS))
    rc = g_rename (ex->work, out_dir);
  if (rc != 0)
    {
      dc_file_set_error (error, errno, _("Cannot put the bundle in place at %s"), out_dir);
      return FALSE;
    }
  return dc_file_sync_dir (parent, error);
}

gboolean
dc_export_bundle (DcStore *store, DcActor *actor, gint64 request_id, const DcQueryScope *scope, gboolean hold,
                  const char *out_dir, DcExportProgress progress, gpointer progress_data, DcExportSummary *out,
                  GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *template = NULL;
  Export ex = { .store = store, .actor = actor, .progress = progress, .progress_data = progress_data };
  gint64 export_id = 0;
  gboolean ok, placed = FALSE;

  g_return_val_if_fail (store != NULL && actor != NULL && scope != NULL && out_dir != NULL, FALSE);

  dir = g_canonicalize_filename (out_dir, NULL);
  if (!check_out_dir (dir, error))
    return FALSE;
  ex.exported_at = dc_store_now (store);
  ok = gather (&ex, request_id, scope, error);
  if (ok)
    {
      ex.key_id = dc_minisign_key_id_text (dc_store_sign_pk (store));
      template = g_strconcat (dir, ".partial-XXXXXX", NULL);
      ex.work = g_strdup (g_mkdtemp_full (template, 0700));
      if (ex.work == NULL)
        {
          dc_file_set_error (error, errno, _("Cannot create a folder beside %s"), dir);
          ok = FALSE;
        }
    }
  ok = ok && write_files (&ex, error) && record (&ex, request_id, scope, hold, &export_id, error);
  placed = ok && move_into_place (&ex, dir, error);
  if (ex.work != NULL && !placed)
    dc_file_remove_flat_dir (ex.work);
  if (placed)
    {
      step (&ex, 1.0, _("The bundle is ready"));
      if (out != NULL)
        {
          out->export_id = export_id;
          out->query_id = ex.result->query_id;
          out->sessions = ex.result->sessions;
          out->visits = ex.result->visits;
          out->verifications = ex.result->verifications;
          out->customers = ex.result->customers;
          out->manifest_sha256 = g_strdup (ex.manifest_sha256);
          out->dir = g_steal_pointer (&dir);
        }
    }
  export_clear (&ex);
  return placed;
}
