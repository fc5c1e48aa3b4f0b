/* reports/dc-export-verify.c — checking a police bundle with no secret: signatures, digests, the CSV's rows, the audit checkpoint. */
#include "dc-export.h"
#include "dc-audit-private.h"
#include "dc-audit.h"
#include "dc-csv.h"
#include "dc-db.h"
#include "dc-minisign.h"

#include <errno.h>
#include <inttypes.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <stdarg.h>
#include <string.h>

#define SHA256_HEX_CHARS 64

/* The CSV column that is empty on the row of a visit that used no terminal. */
#define CSV_TERMINAL_COLUMN "端末"

static const char *const bundle_files[] = {
  DC_EXPORT_PDF, DC_EXPORT_CSV, DC_EXPORT_MANIFEST, DC_EXPORT_SIGNATURE,
  DC_EXPORT_SUMS, DC_EXPORT_SUMS_SIG, DC_EXPORT_PUBKEY, DC_EXPORT_README,
};

/* What SHA256SUMS must list. */
static const char *const summed_files[] = { DC_EXPORT_CSV, DC_EXPORT_PDF, DC_EXPORT_MANIFEST, DC_EXPORT_README };

typedef struct {
  const char    *dir;
  DcExportCheck *check;
  GHashTable    *contents;      /* name → GBytes, the files that could be read */
  GHashTable    *digests;       /* name → SHA-256 hex, computed once */
  GHashTable    *changed;       /* names already said to be changed */
  gboolean       have_key;
  guint8         pk[DC_SIGN_PK_BYTES];
  guint8         id[DC_MINISIGN_KEY_ID_BYTES];
  JsonParser    *parser;
  JsonObject    *manifest;      /* NULL when unreadable */
} Checker;

static void problem (Checker *c, const char *format, ...) G_GNUC_PRINTF (2, 3);
static void note (Checker *c, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
problem (Checker *c, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (c->check->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
note (Checker *c, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (c->check->notes, g_strdup_vprintf (format, args));
  va_end (args);
}

void
dc_export_check_free (DcExportCheck *check)
{
  if (check == NULL)
    return;
  g_ptr_array_unref (check->problems);
  g_ptr_array_unref (check->notes);
  g_free (check->store_name);
  g_free (check->reference);
  g_free (check->key_id);
  g_free (check);
}

/* ---- the files ---- */

static GBytes *
content (Checker *c, const char *name)
{
  return g_hash_table_lookup (c->contents, name);
}

static const char *
digest (Checker *c, const char *name)
{
  GBytes *bytes = content (c, name);
  char *hex;

  if (bytes == NULL)
    return NULL;
  hex = g_hash_table_lookup (c->digests, name);
  if (hex == NULL)
    {
      hex = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
      g_hash_table_insert (c->digests, (char *) name, hex);
    }
  return hex;
}

/* A file's text as a C string; NULL when it is missing or holds a NUL byte. */
static char *
text_of (Checker *c, const char *name)
{
  GBytes *bytes = content (c, name);
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  if (data == NULL || memchr (data, '\0', len) != NULL)
    return NULL;
  return g_strndup (data, len);
}

static void
read_files (Checker *c)
{
  for (guint i = 0; i < G_N_ELEMENTS (bundle_files); i++)
    {
      g_autofree char *path = g_build_filename (c->dir, bundle_files[i], NULL);
      g_autoptr(GError) error = NULL;
      char *data = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &data, &len, &error))
        {
          if (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
            problem (c, _("%s is missing."), bundle_files[i]);
          else
            problem (c, _("%s cannot be read: %s"), bundle_files[i], error->message);
          continue;
        }
      g_hash_table_insert (c->contents, (char *) bundle_files[i], g_bytes_new_take (data, len));
    }
}

static gboolean
is_bundle_file (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (bundle_files); i++)
    if (strcmp (name, bundle_files[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Something added to the folder is not a fault of the bundle, but nobody vouches for it. */
static void
note_strangers (Checker *c, GDir *dir)
{
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (!is_bundle_file (name))
      note (c, _("%s is not part of the bundle and was not checked."), name);
}

/* ---- the key and the signatures ---- */

static void
check_key (Checker *c, const guint8 *expected_sign_pk)
{
  g_autofree char *text = text_of (c, DC_EXPORT_PUBKEY);
  g_autoptr(GError) error = NULL;
  guint8 derived[DC_MINISIGN_KEY_ID_BYTES];

  if (content (c, DC_EXPORT_PUBKEY) == NULL)
    {
      /* already said missing; the store's own key still checks the rest */
      if (expected_sign_pk == NULL)
        return;
      memcpy (c->pk, expected_sign_pk, DC_SIGN_PK_BYTES);
      dc_minisign_key_id (c->pk, c->id);
      c->have_key = TRUE;
      c->check->key_id = dc_minisign_id_text (c->id);
      return;
    }
  if (text == NULL || !dc_minisign_parse_public_key (text, c->pk, c->id, &error))
    {
      problem (c, _("store.pub is not a minisign public key."));
      return;
    }
  c->have_key = TRUE;
  c->check->key_id = dc_minisign_id_text (c->id);
  /* a Daicho key's id is derived from the key: one that is not was made elsewhere */
  dc_minisign_key_id (c->pk, derived);
  if (memcmp (derived, c->id, sizeof derived) != 0)
    problem (c, _("store.pub was not made by Daicho: its key id %s does not belong to its key."), c->check->key_id);
  if (expected_sign_pk != NULL && sodium_memcmp (expected_sign_pk, c->pk, DC_SIGN_PK_BYTES) != 0)
    {
      g_autofree char *expected = dc_minisign_key_id_text (expected_sign_pk);

      problem (c, _("store.pub is not the store's key: the bundle's key is %s, the store's key is %s."),
               c->check->key_id, expected);
    }
  else if (expected_sign_pk != NULL)
    note (c, _("store.pub is the store's key %s."), c->check->key_id);
}

static void
check_signature (Checker *c, const char *name, const char *sig_name)
{
  GBytes *msg = content (c, name);
  g_autofree char *sig = text_of (c, sig_name);
  g_autofree char *trusted = NULL;
  g_autoptr(GError) error = NULL;

  if (msg == NULL || content (c, sig_name) == NULL || !c->have_key)
    {
      problem (c, _("The signature of %s cannot be checked."), name);
      return;
    }
  if (sig == NULL || !dc_minisign_verify (c->pk, c->id, sig, g_bytes_get_data (msg, NULL), g_bytes_get_size (msg),
                                          &trusted, &error))
    {
      problem (c, _("The signature of %s does not hold: %s"), name,
               error != NULL ? error->message : _("The signature is not in minisign's format."));
      return;
    }
  note (c, _("%s: the signature by key %s holds (trusted comment: %s)."), name, c->check->key_id, trusted);
}

/* ---- the manifest ---- */

static JsonObject *
member_object (JsonObject *obj, const char *member)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
member_string (JsonObject *obj, const char *member)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, member) : NULL;

  return node != NULL && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

static gboolean
member_int (JsonObject *obj, const char *member, gint64 *out)
{
  JsonNode *node = obj != NULL ? json_object_get_member (obj, member) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static void
read_manifest (Checker *c)
{
  GBytes *bytes = content (c, DC_EXPORT_MANIFEST);
  g_autoptr(GError) error = NULL;
  JsonNode *root;
  JsonObject *request;

  if (bytes == NULL)
    return;
  if (!json_parser_load_from_data (c->parser, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                                   &error)
      || (root = json_parser_get_root (c->parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      problem (c, _("manifest.json cannot be read: %s"), error != NULL ? error->message : _("it is not a JSON object."));
      return;
    }
  c->manifest = json_node_get_object (root);
  if (g_strcmp0 (member_string (c->manifest, "format"), DC_EXPORT_FORMAT) != 0)
    {
      problem (c, _("manifest.json is not a Daicho bundle's manifest (format %s)."), DC_EXPORT_FORMAT);
      c->manifest = NULL;
      return;
    }
  c->check->store_name = g_strdup (member_string (member_object (c->manifest, "store"), "name"));
  request = member_object (c->manifest, "request");
  c->check->reference = g_strdup (member_string (request, "reference"));
  if (!member_int (member_object (c->manifest, "counts"), "sessions", &c->check->sessions))
    problem (c, _("manifest.json does not say how many sessions the bundle holds."));
}

static void
check_manifest_key (Checker *c)
{
  const char *key_id = member_string (c->manifest, "key_id");

  if (c->manifest == NULL || !c->have_key)
    return;
  if (g_strcmp0 (key_id, c->check->key_id) != 0)
    problem (c, _("manifest.json names the key %s, but store.pub holds the key %s."), key_id != NULL ? key_id : "-",
             c->check->key_id);
}

/* A file whose digest is not @expected: said once per file, whichever list caught it first. */
static void
check_digest (Checker *c, const char *name, const char *expected, const char *list)
{
  const char *actual = digest (c, name);

  if (actual == NULL || g_hash_table_contains (c->changed, name))
    return;
  if (expected == NULL)
    {
      problem (c, _("%s does not list %s."), list, name);
      return;
    }
  if (g_ascii_strcasecmp (actual, expected) != 0)
    {
      g_hash_table_add (c->changed, (char *) name);
      if (strcmp (list, DC_EXPORT_MANIFEST) == 0)
        problem (c, _("%s has been changed: its SHA-256 does not match the signed manifest."), name);
      else
        problem (c, _("%s has been changed: its SHA-256 does not match SHA256SUMS."), name);
      return;
    }
  note (c, _("%s: SHA-256 matches %s."), name, list);
}

static void
check_manifest_files (Checker *c)
{
  JsonObject *files = member_object (c->manifest, "files");
  const char *const listed[] = { DC_EXPORT_CSV, DC_EXPORT_PDF };

  if (c->manifest == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (listed); i++)
    check_digest (c, listed[i], member_string (files, listed[i]), DC_EXPORT_MANIFEST);
}

/* ---- SHA256SUMS ---- */

static gboolean
is_summed_file (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (summed_files); i++)
    if (strcmp (name, summed_files[i]) == 0)
      return TRUE;
  return FALSE;
}

/* "<hex>  <name>" (or "<hex> *<name>", sha256sum's binary mode): the name, and the digest in @hex. */
static const char *
parse_sum_line (const char *line, char hex[SHA256_HEX_CHARS + 1])
{
  if (strlen (line) < SHA256_HEX_CHARS + 3 || line[SHA256_HEX_CHARS] != ' '
      || (line[SHA256_HEX_CHARS + 1] != ' ' && line[SHA256_HEX_CHARS + 1] != '*'))
    return NULL;
  for (guint i = 0; i < SHA256_HEX_CHARS; i++)
    if (!g_ascii_isxdigit (line[i]))
      return NULL;
  memcpy (hex, line, SHA256_HEX_CHARS);
  hex[SHA256_HEX_CHARS] = '\0';
  return line + SHA256_HEX_CHARS + 2;
}

static void
check_sums (Checker *c)
{
  g_autofree char *text = text_of (c, DC_EXPORT_SUMS);
  g_autoptr(GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char hex[SHA256_HEX_CHARS + 1];
      const char *name;

      if (lines[i][0] == '\0')
        continue;
      name = parse_sum_line (lines[i], hex);
      if (name == NULL)
        problem (c, _("SHA256SUMS is not in sha256sum's format (line %u)."), i + 1);
      else if (!is_summed_file (name))
        problem (c, _("SHA256SUMS lists %s, which is not a file of the bundle."), name);
      else
        g_hash_table_insert (listed, g_strdup (name), g_strdup (hex));
    }
  for (guint i = 0; i < G_N_ELEMENTS (summed_files); i++)
    {
      const char *hex = g_hash_table_lookup (listed, summed_files[i]);

      if (hex == NULL)
        problem (c, _("SHA256SUMS does not list %s."), summed_files[i]);
      else
        check_digest (c, summed_files[i], hex, DC_EXPORT_SUMS);
    }
}

/* ---- the records ---- */

static guint
count_sessions (Checker *c, GPtrArray *rows)
{
  GStrv header = g_ptr_array_index (rows, 0);
  guint columns = g_strv_length (header), sessions = 0;
  int terminal = -1;

  for (guint i = 0; i < columns; i++)
    if (strcmp (header[i], CSV_TERMINAL_COLUMN) == 0)
      terminal = (int) i;
  if (terminal < 0)
    {
      problem (c, _("records.csv has no terminal column."));
      return 0;
    }
  for (guint i = 1; i < rows->len; i++)
    {
      GStrv row = g_ptr_array_index (rows, i);

      if (g_strv_length (row) != columns)
        problem (c, _("records.csv row %u has %u fields instead of %u."), i + 1, g_strv_length (row), columns);
      else if (row[terminal][0] != '\0')
        sessions++;
    }
  return sessions;
}

static void
check_csv (Checker *c)
{
  GBytes *bytes = content (c, DC_EXPORT_CSV);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint sessions;

  if (bytes == NULL)
    return;
  rows = dc_csv_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  if (rows == NULL)
    {
      problem (c, _("records.csv is not valid CSV: %s"), error->message);
      return;
    }
  if (rows->len == 0)
    {
      problem (c, _("records.csv is empty."));
      return;
    }
  sessions = count_sessions (c, rows);
  if (c->manifest == NULL)
    return;
  if ((gint64) sessions != c->check->sessions)
    problem (c, _("manifest.json says %" PRId64 " sessions, but records.csv has %u session rows."),
             c->check->sessions, sessions);
  else
    note (c, _("records.csv: %u session rows, as the manifest says."), sessions);
}

/* ---- the audit checkpoint ---- */

static gboolean
hex_decode (const char *hex, guint8 *out, gsize len)
{
  if (hex == NULL || strlen (hex) != len * 2)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]), lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      out[i] = (guint8) (hi << 4 | lo);
    }
  return TRUE;
}

static void
check_checkpoint (Checker *c)
{
  JsonObject *cp = member_object (c->manifest, "checkpoint");
  const char *uuid = member_string (member_object (c->manifest, "store"), "uuid");
  guint8 head[32], sig[DC_SIGNATURE_BYTES], pk[DC_SIGN_PK_BYTES];
  g_autoptr(GByteArray) msg = g_byte_array_new ();
  gint64 seq = 0, at = 0;

  if (c->manifest == NULL)
    return;
  if (uuid == NULL || !member_int (cp, "seq", &seq) || !member_int (cp, "at", &at)
      || !hex_decode (member_string (cp, "head_hash"), head, sizeof head)
      || !hex_decode (member_string (cp, "signature"), sig, sizeof sig)
      || !hex_decode (member_string (cp, "public_key"), pk, sizeof pk))
    {
      problem (c, _("manifest.json has no complete audit checkpoint."));
      return;
    }
  if (c->have_key && memcmp (pk, c->pk, sizeof pk) != 0)
    {
      problem (c, _("The audit checkpoint in manifest.json was signed with another key than store.pub."));
      return;
    }
  dc_audit_checkpoint_message (uuid, seq, head, at, msg);
  if (!dc_signature_check (pk, msg->data, msg->len, sig))
    {
      problem (c, _("The audit checkpoint in manifest.json does not verify: its signature does not match its "
                    "sequence number and head hash."));
      return;
    }
  note (c, _("Audit checkpoint #%" PRId64 ": the signature holds."), seq);
}

DcExportCheck *
dc_export_verify (const char *dir, const guint8 *expected_sign_pk, GError **error)
{
  g_autoptr(GDir) listing = NULL;
  g_autoptr(DcExportCheck) check = NULL;
  Checker c = { .dir = dir };

  g_return_val_if_fail (dir != NULL, NULL);

  listing = g_dir_open (dir, 0, error);
  if (listing == NULL)
    return NULL;
  check = g_new0 (DcExportCheck, 1);
  check->problems = g_ptr_array_new_with_free_func (g_free);
  check->notes = g_ptr_array_new_with_free_func (g_free);
  c.check = check;
  c.contents = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_bytes_unref);
  c.digests = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  c.changed = g_hash_table_new (g_str_hash, g_str_equal);
  c.parser = json_parser_new ();

  read_files (&c);
  note_strangers (&c, listing);
  check_key (&c, expected_sign_pk);
  check_signature (&c, DC_EXPORT_MANIFEST, DC_EXPORT_SIGNATURE);
  check_signature (&c, DC_EXPORT_SUMS, DC_EXPORT_SUMS_SIG);
  read_manifest (&c);
  check_manifest_key (&c);
  check_manifest_files (&c);
  check_sums (&c);
  check_csv (&c);
  check_checkpoint (&c);

  g_hash_table_unref (c.contents);
  g_hash_table_unref (c.digests);
  g_hash_table_unref (c.changed);
  g_object_unref (c.parser);
  return g_steal_pointer (&check);
}
