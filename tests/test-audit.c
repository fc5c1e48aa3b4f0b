/* tests/test-audit.c — the audit chain: the entry hash format, and verify naming every edit an attacker makes outside Daicho. */
#include "dc-audit.h"
#include "dc-schema.h"
#include "dc-checkin.h"
#include "dc-db.h"
#include "dc-store.h"
#include "dc-test-util.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#define PASSPHRASE  "correct horse 台帳"
#define PIN         "4711"
#define COUNTER_PIN "1234"

/* A store with a little of everything, made once (Argon2 is slow) and copied per case. */
typedef DcTestTemplate Template;

typedef struct {
  gint64 now;
} Clock;

/* ---- helpers ---- */

static void
identity (DcIdentity *id, const char *name, int d, int m, int y)
{
  dc_test_identity_fill (id, 2035);
  id->name = name;
  id->kana = "テスト";
  g_date_set_dmy (&id->dob, d, m, y);
}

static void
checkin (DcStore *store, DcActor *actor, const char *name, int y, const char *terminal, DcCheckinResult *r)
{
  g_autoptr(GError) error = NULL;
  DcCheckinRequest request = { .terminal = terminal, .internet = TRUE };

  identity (&request.identity, name, 1, 4, y);
  g_assert_true (dc_checkin (store, actor, &request, r, &error));
  g_assert_no_error (error);
}

static void
template_ensure (Template *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;
  DcStoreSetup setup = { .name = "テスト店", .operator_name = "株式会社テスト", .prefecture = "tokyo",
                         .manager = "Hana" };
  DcCheckinResult a = { 0 }, b = { 0 }, c = { 0 }, m = { 0 };
  Clock clock = { dc_test_tokyo (2030, 3, 4, 10, 0) };
  DcActor *again;

  if (!dc_test_template_start (t, "audit"))
    return;
  store = dc_test_store_create (t->dir, &setup, PASSPHRASE, PIN, NULL);
  dc_test_store_use_clock (store, &clock.now);

  t->manager = dc_store_sign_in_passphrase (store, "Hana", PASSPHRASE, &error);
  g_assert_no_error (error);
  g_assert_true (dc_store_add_staff (store, t->manager, "Ken", "counter", COUNTER_PIN, NULL, NULL, &error));
  g_assert_true (dc_store_add_terminal (store, t->manager, "PC-1", NULL, FALSE, NULL, &error));
  g_assert_true (dc_store_add_terminal (store, t->manager, "PC-2", NULL, FALSE, NULL, &error));
  g_assert_true (dc_store_add_terminal (store, t->manager, "PC-3", NULL, TRUE, NULL, &error));
  g_assert_true (dc_store_add_terminal (store, t->manager, "PC-4", NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
  t->counter = dc_store_sign_in_pin (store, "Ken", COUNTER_PIN, &error);
  g_assert_no_error (error);

  checkin (store, t->counter, "山田 太郎", 1990, "PC-1", &a);
  clock.now += 5 * G_TIME_SPAN_MINUTE;
  checkin (store, t->counter, "佐藤 花子", 1980, "PC-2", &b);
  checkin (store, t->counter, "鈴木 一郎", 2014, "PC-3", &c);
  clock.now += 30 * G_TIME_SPAN_MINUTE;
  g_assert_true (dc_move (store, t->counter, "PC-1", "PC-4", &error));
  g_assert_true (dc_checkout (store, t->counter, "PC-2", 0, DC_EXIT_STAFF, &error));
  clock.now += G_TIME_SPAN_HOUR;
  g_assert_true (dc_checkin_member (store, t->counter, b.member_number, "PC-2", &m, &error));
  g_assert_no_error (error);
  record = dc_read_identity (store, t->manager, a.verification_id, &error);
  g_assert_no_error (error);
  g_assert_null (dc_store_sign_in_pin (store, "Ken", "0000", &error));
  g_clear_error (&error);
  clock.now += G_TIME_SPAN_HOUR;
  g_assert_true (dc_checkout (store, t->counter, "PC-3", 0, DC_EXIT_CUSTOMER, &error));
  g_assert_no_error (error);
  /* last: a sign-in that signs the head of the chain */
  again = dc_store_sign_in_passphrase (store, "Hana", PASSPHRASE, &error);
  g_assert_no_error (error);
  dc_actor_free (again);
  dc_checkin_result_clear (&a);
  dc_checkin_result_clear (&b);
  dc_checkin_result_clear (&c);
  dc_checkin_result_clear (&m);
}

/* A fresh copy of the template, closed: its directory. */
static char *
fresh_copy (Template *t)
{
  template_ensure (t);
  return dc_test_template_copy (t);
}

/* An attacker's connection: plain SQLite, none of Daicho's functions. */
static sqlite3 *
plain_open (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, DC_STORE_DB_NAME, NULL);
  sqlite3 *h = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &h, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  return h;
}

/* Read a trigger's SQL and drop it; the caller re-creates it with dc_test_sql_exec. */
static char *
drop_trigger (sqlite3 *h, const char *name)
{
  g_autofree char *drop = g_strdup_printf ("DROP TRIGGER %s", name);
  sqlite3_stmt *stmt = NULL;
  char *sql;

  g_assert_cmpint (sqlite3_prepare_v2 (h, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  sql = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  dc_test_sql_exec (h, drop);
  return sql;
}

/* Flip one byte of a blob column, as a bit-rot or an edit would. */
static void
flip_blob_byte (sqlite3 *h, const char *table, const char *column, gint64 id, int offset)
{
  g_autofree char *select = g_strdup_printf ("SELECT %s FROM %s WHERE id = ?", column, table);
  g_autofree char *update = g_strdup_printf ("UPDATE %s SET %s = ? WHERE id = ?", table, column);
  g_autofree guint8 *copy = NULL;
  sqlite3_stmt *stmt = NULL;
  int len;

  g_assert_cmpint (sqlite3_prepare_v2 (h, select, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  len = sqlite3_column_bytes (stmt, 0);
  g_assert_cmpint (len, >, offset);
  copy = g_memdup2 (sqlite3_column_blob (stmt, 0), len);
  sqlite3_finalize (stmt);
  copy[offset] ^= 0x40;

  g_assert_cmpint (sqlite3_prepare_v2 (h, update, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, copy, len, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

/* Does @text contain @number with no digit right before or after it? */
static gboolean
contains_number (const char *text, gint64 number)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, number);
  gsize n = strlen (digits);

  for (const char *p = strstr (text, digits); p != NULL; p = strstr (p + 1, digits))
    if ((p == text || !g_ascii_isdigit (p[-1])) && !g_ascii_isdigit (p[n]))
      return TRUE;
  return FALSE;
}

/* One problem names @word (any case) and, when @number > 0, that number. */
static gboolean
problem_names (DcVerifyReport *report, const char *word, gint64 number)
{
  for (guint i = 0; i < report->problems->len; i++)
    {
      const char *p = g_ptr_array_index (report->problems, i);
      g_autofree char *lower = g_ascii_strdown (p, -1);
      g_autofree char *want = g_ascii_strdown (word, -1);

      if (strstr (lower, want) != NULL && (number <= 0 || contains_number (p, number)))
        return TRUE;
    }
  return FALSE;
}

/* ---- the formats, computed independently ---- */

static void
put_u64 (GByteArray *out, guint64 v)
{
  guint8 b[8];

  for (int i = 0; i < 8; i++)
    b[i] = (guint8) (v >> (56 - 8 * i));
  g_byte_array_append (out, b, 8);
}

static void
put_chunk (GByteArray *out, const void *data, gsize len)
{
  put_u64 (out, len);
  if (len > 0)
    g_byte_array_append (out, data, len);
}

/* The documented layout of an entry (app/dc-audit.c, entry_hash): BLAKE2b-256 of
 * chunk("daicho-audit-v1") u64(seq) u64(at) u64(staff or 0) chunk(action)
 * chunk(table or "") u64(subject or 0) chunk(row hash or empty) chunk(prev hash),
 * u64 big-endian, chunk = u64 length then bytes. */
static void
entry_hash (gint64 seq, gint64 at, gint64 staff, const char *action, const char *table, gint64 subject,
            const guint8 *row_hash, gsize row_hash_len, const guint8 *prev, gsize prev_len, guint8 out[32])
{
  g_autoptr(GByteArray) b = g_byte_array_new ();

  put_chunk (b, "daicho-audit-v1", 15);
  put_u64 (b, (guint64) seq);
  put_u64 (b, (guint64) at);
  put_u64 (b, (guint64) staff);
  put_chunk (b, action, strlen (action));
  put_chunk (b, table != NULL ? table : "", table != NULL ? strlen (table) : 0);
  put_u64 (b, (guint64) subject);
  put_chunk (b, row_hash, row_hash_len);
  put_chunk (b, prev, prev_len);
  g_assert_cmpint (crypto_generichash (out, 32, b->data, b->len, NULL, 0), ==, 0);
}

/* A row's canonical bytes (db/dc-db.c, encode_row), re-implemented from the plain row. */
static GByteArray *
row_bytes (sqlite3 *h, const char *table, gint64 id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s WHERE id = %" G_GINT64_FORMAT, table, id);
  GByteArray *b = g_byte_array_new ();
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (h, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  put_chunk (b, "daicho-row-v1", 13);
  put_chunk (b, table, strlen (table));
  for (int c = 0; c < sqlite3_column_count (stmt); c++)
    {
      const char *name = sqlite3_column_name (stmt, c);
      guint8 tag;

      put_chunk (b, name, strlen (name));
      switch (sqlite3_column_type (stmt, c))
        {
        case SQLITE_INTEGER:
          tag = 'i';
          g_byte_array_append (b, &tag, 1);
          put_u64 (b, (guint64) sqlite3_column_int64 (stmt, c));
          break;
        case SQLITE_TEXT:
          tag = 't';
          g_byte_array_append (b, &tag, 1);
          put_chunk (b, sqlite3_column_text (stmt, c), sqlite3_column_bytes (stmt, c));
          break;
        case SQLITE_BLOB:
          tag = 'x';
          g_byte_array_append (b, &tag, 1);
          put_chunk (b, sqlite3_column_blob (stmt, c), sqlite3_column_bytes (stmt, c));
          break;
        case SQLITE_NULL:
          tag = 'n';
          g_byte_array_append (b, &tag, 1);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  sqlite3_finalize (stmt);
  return b;
}

static char *
hex32 (const guint8 *h)
{
  return dc_hex (h, 32);
}

static void
test_entry_hash_known_answer (void)
{
  guint8 row[32], prev[32], out[32];
  g_autofree char *hex = NULL;
  g_autofree char *hex2 = NULL;
  g_autofree char *abc = NULL;
  static const guint8 zero[32];
  static const guint8 some[] = { 0x00, 0xab, 0xff };
  g_autofree char *some_hex = dc_hex (some, sizeof some);

  /* hashes computed with Python hashlib.blake2b (digest_size=32) over the same layout */
  memset (row, 0x11, 32);
  memset (prev, 0x22, 32);
  entry_hash (7, G_GINT64_CONSTANT (1898996400000000), 3, "checkin", "visits", 12, row, 32, prev, 32, out);
  hex = hex32 (out);
  g_assert_cmpstr (hex, ==, "452a5438302b0072311f0acd6776f13b7f82d0a0b3e1ddb7844b91097754e901");
  entry_hash (1, G_GINT64_CONSTANT (1898996400000000), 0, "sign-in", NULL, 0, NULL, 0, zero, 32, out);
  hex2 = hex32 (out);
  g_assert_cmpstr (hex2, ==, "d27999cdd306762f9e966a3ff3eba247263959a450515a30562b2e38c95cef66");

  /* dc_hash256 is plain BLAKE2b-256, as anyone checking a chain assumes */
  dc_hash256 ((const guint8 *) "abc", 3, out);
  abc = hex32 (out);
  g_assert_cmpstr (abc, ==, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  g_assert_cmpstr (some_hex, ==, "00abff");
}

typedef struct {
  gint64  id, at, staff, subject;
  char   *action, *table;
  GBytes *row_hash, *prev, *hash;
} PlainEntry;

static void
plain_entry_clear (PlainEntry *e)
{
  g_free (e->action);
  g_free (e->table);
  g_clear_pointer (&e->row_hash, g_bytes_unref);
  g_clear_pointer (&e->prev, g_bytes_unref);
  g_clear_pointer (&e->hash, g_bytes_unref);
}

static GBytes *
col_bytes (sqlite3_stmt *stmt, int c)
{
  if (sqlite3_column_type (stmt, c) == SQLITE_NULL)
    return NULL;
  return g_bytes_new (sqlite3_column_blob (stmt, c), sqlite3_column_bytes (stmt, c));
}

static void
plain_entry (sqlite3 *h, gint64 id, PlainEntry *e)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (h, "SELECT id, at, staff_id, action, subject_table, subject_id, row_hash,"
                                          " prev_hash, hash FROM audit WHERE id = ?", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  e->id = sqlite3_column_int64 (stmt, 0);
  e->at = sqlite3_column_int64 (stmt, 1);
  e->staff = sqlite3_column_int64 (stmt, 2);   /* NULL reads as 0 */
  e->action = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  e->table = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  e->subject = sqlite3_column_int64 (stmt, 5);
  e->row_hash = col_bytes (stmt, 6);
  e->prev = col_bytes (stmt, 7);
  e->hash = col_bytes (stmt, 8);
  sqlite3_finalize (stmt);
}

static void
assert_entry_hash (const PlainEntry *e)
{
  gsize row_len = 0, prev_len = 0;
  const guint8 *row = e->row_hash != NULL ? g_bytes_get_data (e->row_hash, &row_len) : NULL;
  const guint8 *prev = g_bytes_get_data (e->prev, &prev_len);
  guint8 want[32];

  entry_hash (e->id, e->at, e->staff, e->action, e->table, e->subject, row, row_len, prev, prev_len, want);
  g_assert_cmpmem (g_bytes_get_data (e->hash, NULL), g_bytes_get_size (e->hash), want, 32);
}

static void
test_entry_hash_in_store (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autofree char *dir = fresh_copy (t);
  g_autoptr(DcStore) store = dc_test_store_open (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(DcVerifyReport) report = NULL;
  g_autoptr(GByteArray) canonical = g_byte_array_new ();
  g_autoptr(GByteArray) mine = NULL;
  PlainEntry before = { 0 }, event = { 0 }, row = { 0 };
  Clock clock = { dc_test_tokyo (2030, 4, 1, 9, 0) + 123456 };
  guint8 row_hash[32];
  gboolean found;
  gint64 head;
  sqlite3 *h;

  dc_test_store_use_clock (store, &clock.now);
  h = plain_open (dir);
  head = dc_test_sql_int (h, "SELECT max (id) FROM audit");
  plain_entry (h, head, &before);

  g_assert_true (dc_db_begin (dc_store_db (store), &error));
  g_assert_true (dc_audit_event (store, 0, "kat-event", &error));
  clock.now += 1;
  g_assert_true (dc_audit_row (store, dc_actor_staff_id (t->counter), "kat-row", "terminals", 1, &error));
  g_assert_true (dc_db_commit (dc_store_db (store), &error));
  g_assert_no_error (error);

  /* an entry about no row */
  plain_entry (h, head + 1, &event);
  g_assert_cmpint (event.at, ==, dc_test_tokyo (2030, 4, 1, 9, 0) + 123456);
  g_assert_cmpint (event.staff, ==, 0);
  g_assert_cmpstr (event.action, ==, "kat-event");
  g_assert_null (event.table);
  g_assert_cmpint (event.subject, ==, 0);
  g_assert_null (event.row_hash);
  g_assert_true (g_bytes_equal (event.prev, before.hash));
  assert_entry_hash (&event);

  /* an entry about a row: its hash is BLAKE2b-256 of the row's canonical bytes */
  plain_entry (h, head + 2, &row);
  g_assert_cmpint (row.at, ==, event.at + 1);
  g_assert_cmpint (row.staff, ==, dc_actor_staff_id (t->counter));
  g_assert_cmpstr (row.table, ==, "terminals");
  g_assert_cmpint (row.subject, ==, 1);
  g_assert_true (g_bytes_equal (row.prev, event.hash));
  mine = row_bytes (h, "terminals", 1);
  g_assert_true (dc_db_row_canonical (dc_store_db (store), "terminals", 1, canonical, &found, &error));
  g_assert_true (found);
  g_assert_cmpmem (canonical->data, canonical->len, mine->data, mine->len);
  g_assert_cmpint (crypto_generichash (row_hash, 32, mine->data, mine->len, NULL, 0), ==, 0);
  g_assert_cmpmem (g_bytes_get_data (row.row_hash, NULL), g_bytes_get_size (row.row_hash), row_hash, 32);
  assert_entry_hash (&row);

  /* every entry of the whole chain follows the same layout and links to the one before */
  for (gint64 id = 1; id <= head + 2; id++)
    {
      PlainEntry e = { 0 };

      plain_entry (h, id, &e);
      assert_entry_hash (&e);
      if (id == 1)
        {
          static const guint8 zero[32];
          g_assert_cmpmem (g_bytes_get_data (e.prev, NULL), g_bytes_get_size (e.prev), zero, 32);
        }
      else
        {
          PlainEntry p = { 0 };

          plain_entry (h, id - 1, &p);
          g_assert_true (g_bytes_equal (e.prev, p.hash));
          plain_entry_clear (&p);
        }
      plain_entry_clear (&e);
    }
  sqlite3_close (h);

  report = dc_test_verify (store);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpint (report->head_seq, ==, head + 2);
  g_assert_cmpmem (report->head_hash, 32, g_bytes_get_data (row.hash, NULL), 32);
  plain_entry_clear (&before);
  plain_entry_clear (&event);
  plain_entry_clear (&row);
}

/* ---- verify ---- */

/* Every row of every audited table: the schema's own list, so a new table is counted too. */
static gint64
audited_rows (sqlite3 *h)
{
  g_autoptr(GString) sql = g_string_new ("SELECT 0");

  for (const char *const *t = dc_schema_audited_tables (); *t != NULL; t++)
    g_string_append_printf (sql, " + (SELECT count(*) FROM %s)", *t);
  return dc_test_sql_int (h, sql->str);
}

static void
test_verify_intact (gconstpointer data)
{
  Template *t = (Template *) data;
  g_autofree char *dir = fresh_copy (t);
  g_autoptr(DcStore) store = dc_test_store_open (dir);
  g_autoptr(DcVerifyReport) report = dc_test_verify (store);
  g_autoptr(DcVerifyReport) second = NULL;
  sqlite3 *h = plain_open (dir);
  PlainEntry head = { 0 };
  gint64 entries = dc_test_sql_int (h, "SELECT count(*) FROM audit");

  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpint (report->entries, ==, entries);
  g_assert_cmpint (report->entries, >, 30);
  g_assert_cmpint (report->head_seq, ==, dc_test_sql_int (h, "SELECT max (id) FROM audit"));
  g_assert_cmpint (report->rows, ==, audited_rows (h));
  g_assert_cmpint (report->checkpoints, ==, dc_test_sql_int (h, "SELECT count(*) FROM checkpoints"));
  g_assert_cmpint (report->checkpoints, >=, 3);
  /* the template's last act was a passphrase sign-in: the head itself is signed */
  g_assert_cmpint (report->checkpoint_seq, ==, report->head_seq);
  plain_entry (h, report->head_seq, &head);
  g_assert_cmpmem (report->head_hash, 32, g_bytes_get_data (head.hash, NULL), 32);
  /* verify reads, it never writes */
  second = dc_test_verify (store);
  g_assert_cmpuint (second->problems->len, ==, 0);
  g_assert_cmpint (dc_test_sql_int (h, "SELECT count(*) FROM audit"), ==, entries);
  plain_entry_clear (&head);
  sqlite3_close (h);
}

/* What a tampering did, and what verify must name. */
typedef struct {
  const char *word;     /* a table name or a word of the sentence */
  gint64      number;   /* the row id or entry number, 0 = none */
  const char *word2;    /* a second problem to find, or NULL */
  gint64      number2;
} Expect;

typedef void (*TamperFunc) (sqlite3 *h, Expect *e);

static void
tamper_verification_payload (sqlite3 *h, Expect *e)
{
  g_autofree char *trigger = drop_trigger (h, "verifications_no_update");

  e->number = dc_test_sql_int (h, "SELECT min (id) FROM verifications");
  flip_blob_byte (h, "verifications", "payload", e->number, 40);
  dc_test_sql_exec (h, trigger);
  e->word = "identity record";
}

static void
tamper_visit_entered (sqlite3 *h, Expect *e)
{
  g_autofree char *trigger = drop_trigger (h, "visits_no_update");
  g_autofree char *sql = NULL;

  e->number = dc_test_sql_int (h, "SELECT min (id) FROM visits");
  sql = g_strdup_printf ("UPDATE visits SET entered_at = entered_at + 600000000 WHERE id = %" G_GINT64_FORMAT,
                         e->number);
  dc_test_sql_exec (h, sql);
  dc_test_sql_exec (h, trigger);
  e->word = "visit";
}

static void
tamper_delete_session (sqlite3 *h, Expect *e)
{
  g_autofree char *trigger = drop_trigger (h, "terminal_sessions_no_delete");
  g_autofree char *sql = NULL;

  e->number = dc_test_sql_int (h, "SELECT min (id) FROM terminal_sessions WHERE ended_at IS NOT NULL");
  sql = g_strdup_printf ("DELETE FROM terminal_sessions WHERE id = %" G_GINT64_FORMAT, e->number);
  dc_test_sql_exec (h, sql);
  dc_test_sql_exec (h, trigger);
  e->word = "terminal session";
}

static void
tamper_delete_last_entries (sqlite3 *h, Expect *e)
{
  g_autofree char *trigger = drop_trigger (h, "audit_no_delete");
  g_autofree char *sql = NULL;
  gint64 last = dc_test_sql_int (h, "SELECT max (id) FROM audit");

  sql = g_strdup_printf ("DELETE FROM audit WHERE id > %" G_GINT64_FORMAT, last - 3);
  dc_test_sql_exec (h, sql);
  dc_test_sql_exec (h, trigger);
  e->word = "audit entries";
  e->number = last - 2;
  e->word2 = "deleted";
  e->number2 = last;
}

/* The careful attacker also lowers the counter, so no gap shows: the signed checkpoint does. */
static void
tamper_truncate_chain (sqlite3 *h, Expect *e)
{
  g_autofree char *trigger = drop_trigger (h, "audit_no_delete");
  g_autofree char *sql = NULL;
  gint64 last = dc_test_sql_int (h, "SELECT max (id) FROM audit");

  sql = g_strdup_printf ("DELETE FROM audit WHERE id > %" G_GINT64_FORMAT ";"
                         "UPDATE sqlite_sequence SET seq = %" G_GINT64_FORMAT " WHERE name = 'audit'",
                         last - 3, last - 3);
  dc_test_sql_exec (h, sql);
  dc_test_sql_exec (h, trigger);
  e->word = "checkpoint";
  e->number = dc_test_sql_int (h, "SELECT max (id) FROM checkpoints");
  e->word2 = "checkpoint";
  e->number2 = last;
}

static void
tamper_audit_action (sqlite3 *h, Expect *e)
{
  g_autofree char *trigger = drop_trigger (h, "audit_no_update");

  dc_test_sql_exec (h, "UPDATE audit SET action = 'checkout' WHERE id = 5");
  dc_test_sql_exec (h, trigger);
  e->word = "audit entry";
  e->number = 5;
}

static void
tamper_insert_visit (sqlite3 *h, Expect *e)
{
  /* a visit nobody recorded: a customer who is out, on a free terminal's day */
  dc_test_sql_exec (h, "INSERT INTO visits (customer_id, verification_id, entered_at, exited_at, staff_in,"
                       " exit_reason, minor)"
                       " SELECT customer_id, verification_id, entered_at - 86400000000, entered_at - 82800000000,"
                       " staff_in, 'staff', 0 FROM visits ORDER BY id LIMIT 1");
  e->number = sqlite3_last_insert_rowid (h);
  e->word = "visit";
}

static void
tamper_drop_trigger (sqlite3 *h, Expect *e)
{
  g_autofree char *sql = drop_trigger (h, "customers_no_update");

  e->word = "customers_no_update";
}

static void
tamper_drop_two_triggers (sqlite3 *h, Expect *e)
{
  g_autofree char *a = drop_trigger (h, "visits_exit_once");
  g_autofree char *b = drop_trigger (h, "audit_no_delete");

  e->word = "visits_exit_once";
  e->word2 = "audit_no_delete";
}

static void
tamper_checkpoint_signature (sqlite3 *h, Expect *e)
{
  g_autofree char *trigger = drop_trigger (h, "checkpoints_no_update");

  e->number = dc_test_sql_int (h, "SELECT min (id) FROM checkpoints");
  flip_blob_byte (h, "checkpoints", "signature", e->number, 10);
  dc_test_sql_exec (h, trigger);
  e->word = "checkpoint";
}

static void
tamper_staff_role (sqlite3 *h, Expect *e)
{
  /* staff has no update trigger (PIN counters change): the chain still covers it */
  dc_test_sql_exec (h, "UPDATE staff SET role = 'manager' WHERE name = 'Ken'");
  e->number = dc_test_sql_int (h, "SELECT id FROM staff WHERE name = 'Ken'");
  e->word = "staff member";
}

static void
tamper_plant_keyslot (sqlite3 *h, Expect *e)
{
  dc_test_sql_exec (h, "INSERT INTO keyslots (kind, staff_id, opslimit, memlimit, salt, nonce, wrapped, created_at)"
                       " SELECT kind, staff_id, opslimit, memlimit, salt, nonce, wrapped, created_at FROM keyslots"
                       " WHERE kind = 'pin' ORDER BY id LIMIT 1");
  e->number = sqlite3_last_insert_rowid (h);
  e->word = "key slot";
}

/* Edit a row and forge its audit entry to match: the next entry no longer links to it. */
static void
tamper_forge_entry (sqlite3 *h, Expect *e)
{
  g_autofree char *t1 = drop_trigger (h, "visits_no_update");
  g_autofree char *t2 = drop_trigger (h, "audit_no_update");
  g_autofree char *sql = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  PlainEntry entry = { 0 };
  guint8 row_hash[32], hash[32];
  gsize prev_len = 0;
  const guint8 *prev;
  gint64 visit = dc_test_sql_int (h, "SELECT min (id) FROM visits");
  gint64 seq;
  sqlite3_stmt *stmt = NULL;

  sql = g_strdup_printf ("UPDATE visits SET entered_at = entered_at + 600000000 WHERE id = %" G_GINT64_FORMAT, visit);
  dc_test_sql_exec (h, sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT max (id) FROM audit WHERE subject_table = 'visits' AND subject_id = %" G_GINT64_FORMAT,
                         visit);
  seq = dc_test_sql_int (h, sql);
  plain_entry (h, seq, &entry);
  bytes = row_bytes (h, "visits", visit);
  g_assert_cmpint (crypto_generichash (row_hash, 32, bytes->data, bytes->len, NULL, 0), ==, 0);
  prev = g_bytes_get_data (entry.prev, &prev_len);
  entry_hash (entry.id, entry.at, entry.staff, entry.action, entry.table, entry.subject, row_hash, 32, prev, prev_len,
              hash);
  g_assert_cmpint (sqlite3_prepare_v2 (h, "UPDATE audit SET row_hash = ?, hash = ? WHERE id = ?", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, row_hash, 32, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 2, hash, 32, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, seq);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  dc_test_sql_exec (h, t1);
  dc_test_sql_exec (h, t2);
  plain_entry_clear (&entry);
  e->word = "audit entry";
  e->number = seq + 1;
}

/* Re-link every entry after @from, as an attacker who knows the (public) format would. */
static void
relink_tail (sqlite3 *h, gint64 from)
{
  gint64 last = dc_test_sql_int (h, "SELECT max (id) FROM audit");

  for (gint64 id = from + 1; id <= last; id++)
    {
      PlainEntry prev = { 0 }, e = { 0 };
      sqlite3_stmt *stmt = NULL;
      gsize row_len = 0;
      const guint8 *row;
      guint8 hash[32];

      plain_entry (h, id - 1, &prev);
      plain_entry (h, id, &e);
      row = e.row_hash != NULL ? g_bytes_get_data (e.row_hash, &row_len) : NULL;
      entry_hash (e.id, e.at, e.staff, e.action, e.table, e.subject, row, row_len,
                  g_bytes_get_data (prev.hash, NULL), 32, hash);
      g_assert_cmpint (sqlite3_prepare_v2 (h, "UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?", -1, &stmt,
                                           NULL), ==, SQLITE_OK);
      sqlite3_bind_blob (stmt, 1, g_bytes_get_data (prev.hash, NULL), 32, SQLITE_TRANSIENT);
      sqlite3_bind_blob (stmt, 2, hash, 32, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, id);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_finalize (stmt);
      plain_entry_clear (&prev);
      plain_entry_clear (&e);
    }
}

/* The forged entry and every entry after it made consistent: only the signature shows it. */
static void
tamper_rewrite_tail (sqlite3 *h, Expect *e)
{
  g_autofree char *trigger = NULL;
  Expect forged = { 0 };

  tamper_forge_entry (h, &forged);
  trigger = drop_trigger (h, "audit_no_update");
  relink_tail (h, forged.number - 1);
  dc_test_sql_exec (h, trigger);
  e->word = "checkpoint";
  e->number = dc_test_sql_int (h, "SELECT max (id) FROM checkpoints");
  e->word2 = "checkpoint";
  e->number2 = dc_test_sql_int (h, "SELECT max (seq) FROM checkpoints");
}

typedef struct {
  const char *name;
  TamperFunc  tamper;
} TamperCase;

static const TamperCase tamper_cases[] = {
  { "verification-payload", tamper_verification_payload },
  { "visit-entered-at", tamper_visit_entered },
  { "delete-session", tamper_delete_session },
  { "delete-last-entries", tamper_delete_last_entries },
  { "truncate-chain", tamper_truncate_chain },
  { "audit-action", tamper_audit_action },
  { "insert-visit", tamper_insert_visit },
  { "drop-trigger", tamper_drop_trigger },
  { "drop-two-triggers", tamper_drop_two_triggers },
  { "checkpoint-signature", tamper_checkpoint_signature },
  { "staff-role", tamper_staff_role },
  { "plant-keyslot", tamper_plant_keyslot },
  { "forge-entry", tamper_forge_entry },
  { "rewrite-tail", tamper_rewrite_tail },
};

typedef struct {
  Template         *template;
  const TamperCase *tamper;
} TamperData;

static void
test_tamper (gconstpointer data)
{
  const TamperData *td = data;
  g_autofree char *dir = fresh_copy (td->template);
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcVerifyReport) report = NULL;
  Expect e = { 0 };
  sqlite3 *h;

  /* the copy is intact before the attacker comes */
  store = dc_test_store_open (dir);
  report = dc_test_verify (store);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_clear_pointer (&report, dc_verify_report_free);
  g_clear_pointer (&store, dc_store_free);

  h = plain_open (dir);
  td->tamper->tamper (h, &e);
  g_assert_cmpint (sqlite3_close (h), ==, SQLITE_OK);

  store = dc_test_store_open (dir);
  report = dc_test_verify (store);
  g_assert_cmpuint (report->problems->len, >, 0);
  if (!problem_names (report, e.word, e.number))
    g_error ("%s: no problem names “%s” %" G_GINT64_FORMAT, td->tamper->name, e.word, e.number);
  if (e.word2 != NULL && !problem_names (report, e.word2, e.number2))
    g_error ("%s: no problem names “%s” %" G_GINT64_FORMAT, td->tamper->name, e.word2, e.number2);
}

int
main (int argc, char **argv)
{
  Template t = { 0 };
  TamperData cases[G_N_ELEMENTS (tamper_cases)];
  int rc;

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

  g_test_add_func ("/audit/entry-hash/known-answer", test_entry_hash_known_answer);
  g_test_add_data_func ("/audit/entry-hash/in-store", &t, test_entry_hash_in_store);
  g_test_add_data_func ("/audit/verify/intact", &t, test_verify_intact);
  for (gsize i = 0; i < G_N_ELEMENTS (tamper_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/audit/verify/tampered/%s", tamper_cases[i].name);

      cases[i].template = &t;
      cases[i].tamper = &tamper_cases[i];
      g_test_add_data_func (path, &cases[i], test_tamper);
    }

  rc = g_test_run ();
  dc_test_template_clear (&t);
  return rc;
}
