/* db/dc-schema.c — the numbered migrations that build the schema (design.md §3), and its triggers. */
#include "dc-schema.h"

/* Records are append-only: UPDATE and DELETE are refused by triggers, except the one-way
 * stamps (a visit's exit, a session's end, a hold's release, from NULL to a value) and
 * the purge, whose connection alone answers dc_purge_allowed() with 1. A plain sqlite3
 * shell does not even have that function, so its DELETE fails either way. */
#define APPEND_ONLY(table) \
  "CREATE TRIGGER " table "_no_delete BEFORE DELETE ON " table \
  " WHEN NOT dc_purge_allowed () BEGIN SELECT RAISE (ABORT, '" table " are append-only records'); END;\n"
#define NO_UPDATE(table) \
  "CREATE TRIGGER " table "_no_update BEFORE UPDATE ON " table \
  " BEGIN SELECT RAISE (ABORT, '" table " are append-only records'); END;\n"
#define NEVER_DELETE(table) \
  "CREATE TRIGGER " table "_no_delete BEFORE DELETE ON " table \
  " BEGIN SELECT RAISE (ABORT, '" table " are never deleted'); END;\n"

static const char migration_1[] =
  "CREATE TABLE store ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  uuid TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  operator TEXT NOT NULL,"
  "  address TEXT,"
  "  prefecture TEXT NOT NULL,"
  "  timezone TEXT NOT NULL,"
  "  notification TEXT,"
  "  demo INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL);\n"

  "CREATE TABLE settings ("
  "  id INTEGER PRIMARY KEY,"
  "  key TEXT NOT NULL UNIQUE,"
  "  value TEXT NOT NULL);\n"

  "CREATE TABLE store_keys ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  box_pk BLOB NOT NULL CHECK (length (box_pk) = 32),"
  "  sign_pk BLOB NOT NULL CHECK (length (sign_pk) = 32));\n"

  "CREATE TABLE staff ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  name TEXT NOT NULL UNIQUE,"
  "  role TEXT NOT NULL CHECK (role IN ('counter', 'manager', 'auditor')),"
  "  active INTEGER NOT NULL DEFAULT 1,"
  "  failed_pins INTEGER NOT NULL DEFAULT 0,"
  "  locked_at INTEGER,"
  "  created_at INTEGER NOT NULL);\n"

  "CREATE TABLE keyslots ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  kind TEXT NOT NULL CHECK (kind IN ('passphrase', 'recovery', 'pin')),"
  "  staff_id INTEGER REFERENCES staff (id),"
  "  opslimit INTEGER NOT NULL,"
  "  memlimit INTEGER NOT NULL,"
  "  salt BLOB NOT NULL,"
  "  nonce BLOB NOT NULL,"
  "  wrapped BLOB NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  CHECK ((kind = 'recovery') = (staff_id IS NULL)));\n"
  "CREATE INDEX keyslots_staff ON keyslots (staff_id, kind);\n"

  "CREATE TABLE terminals ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  label TEXT NOT NULL UNIQUE,"
  "  booth TEXT,"
  "  kind TEXT NOT NULL DEFAULT 'booth' CHECK (kind IN ('booth', 'open_seat', 'flat', 'room')),"
  "  filtered INTEGER NOT NULL DEFAULT 0,"
  "  net_address TEXT,"
  "  active INTEGER NOT NULL DEFAULT 1,"
  "  out_of_order INTEGER NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL);\n"

  "CREATE TABLE customers ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  member_number TEXT UNIQUE,"
  "  person_index BLOB NOT NULL,"
  "  created_at INTEGER NOT NULL);\n"
  "CREATE INDEX customers_person ON customers (person_index);\n"

  "CREATE TABLE verifications ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  customer_id INTEGER NOT NULL REFERENCES customers (id),"
  "  verified_at INTEGER NOT NULL,"
  "  verifier_id INTEGER NOT NULL REFERENCES staff (id),"
  "  recorder_id INTEGER NOT NULL REFERENCES staff (id),"
  "  doc_type TEXT NOT NULL,"
  "  payload BLOB NOT NULL,"
  "  person_index BLOB NOT NULL,"
  "  document_index BLOB,"
  "  name_index INTEGER NOT NULL,"
  "  tier BLOB NOT NULL,"
  "  supersedes INTEGER REFERENCES verifications (id),"
  "  reason TEXT);\n"
  "CREATE INDEX verifications_customer ON verifications (customer_id);\n"
  "CREATE INDEX verifications_person ON verifications (person_index);\n"
  "CREATE INDEX verifications_document ON verifications (document_index);\n"
  "CREATE INDEX verifications_name ON verifications (name_index);\n"

  "CREATE TABLE visits ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  customer_id INTEGER NOT NULL REFERENCES customers (id),"
  "  verification_id INTEGER NOT NULL REFERENCES verifications (id),"
  "  entered_at INTEGER NOT NULL,"
  "  exited_at INTEGER CHECK (exited_at IS NULL OR exited_at >= entered_at),"
  "  staff_in INTEGER NOT NULL REFERENCES staff (id),"
  "  staff_out INTEGER REFERENCES staff (id),"
  "  exit_reason TEXT CHECK (exit_reason IN ('staff', 'customer', 'curfew', 'auto', 'recovered')),"
  "  minor INTEGER NOT NULL,"
  "  internet INTEGER NOT NULL DEFAULT 1);\n"
  "CREATE UNIQUE INDEX visits_one_open ON visits (customer_id) WHERE exited_at IS NULL;\n"
  "CREATE INDEX visits_customer ON visits (customer_id, entered_at);\n"
  "CREATE INDEX visits_verification ON visits (verification_id);\n"
  "CREATE INDEX visits_exited ON visits (exited_at);\n"

  "CREATE TABLE terminal_sessions ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  visit_id INTEGER NOT NULL REFERENCES visits (id),"
  "  terminal_id INTEGER NOT NULL REFERENCES terminals (id),"
  "  started_at INTEGER NOT NULL,"
  "  ended_at INTEGER CHECK (ended_at IS NULL OR ended_at >= started_at));\n"
  "CREATE UNIQUE INDEX sessions_one_open ON terminal_sessions (terminal_id) WHERE ended_at IS NULL;\n"
  "CREATE UNIQUE INDEX sessions_one_open_per_visit ON terminal_sessions (visit_id) WHERE ended_at IS NULL;\n"
  "CREATE INDEX sessions_visit ON terminal_sessions (visit_id);\n"
  "CREATE INDEX sessions_start ON terminal_sessions (started_at);\n"

  "CREATE TABLE holds ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  created_at INTEGER NOT NULL,"
  "  staff_id INTEGER NOT NULL REFERENCES staff (id),"
  "  scope TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  reference TEXT,"
  "  disclosure_id INTEGER REFERENCES disclosures (id),"
  "  released_at INTEGER,"
  "  released_by INTEGER REFERENCES staff (id),"
  "  release_reason TEXT);\n"

  "CREATE TABLE disclosures ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  received_at INTEGER NOT NULL,"
  "  agency TEXT NOT NULL,"
  "  officer TEXT NOT NULL,"
  "  reference TEXT NOT NULL,"
  "  basis TEXT NOT NULL CHECK (basis IN ('inspection', 'inquiry', 'warrant', 'other')),"
  "  scope TEXT,"
  "  note TEXT,"
  "  staff_id INTEGER NOT NULL REFERENCES staff (id));\n"

  "CREATE TABLE purges ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at INTEGER NOT NULL,"
  "  cutoff INTEGER NOT NULL,"
  "  customers INTEGER NOT NULL,"
  "  verifications INTEGER NOT NULL,"
  "  visits INTEGER NOT NULL,"
  "  sessions INTEGER NOT NULL);\n"

  "CREATE TABLE audit ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at INTEGER NOT NULL,"
  "  staff_id INTEGER,"
  "  action TEXT NOT NULL,"
  "  subject_table TEXT,"
  "  subject_id INTEGER,"
  "  row_hash BLOB,"
  "  prev_hash BLOB NOT NULL,"
  "  hash BLOB NOT NULL);\n"
  "CREATE INDEX audit_subject ON audit (subject_table, subject_id, id);\n"

  "CREATE TABLE checkpoints ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  seq INTEGER NOT NULL,"
  "  head_hash BLOB NOT NULL,"
  "  at INTEGER NOT NULL,"
  "  signature BLOB NOT NULL);\n"

  APPEND_ONLY ("customers") NO_UPDATE ("customers")
  APPEND_ONLY ("verifications") NO_UPDATE ("verifications")
  APPEND_ONLY ("visits")
  "CREATE TRIGGER visits_no_update BEFORE UPDATE OF id, customer_id, verification_id, entered_at,"
  "  staff_in, minor, internet ON visits"
  "  BEGIN SELECT RAISE (ABORT, 'visits are append-only records'); END;\n"
  "CREATE TRIGGER visits_exit_once BEFORE UPDATE OF exited_at, staff_out, exit_reason ON visits"
  "  WHEN OLD.exited_at IS NOT NULL OR OLD.exit_reason IS NOT NULL OR NEW.exited_at IS NULL"
  "    OR NEW.exit_reason IS NULL"
  "  BEGIN SELECT RAISE (ABORT, 'a visit''s exit is recorded once'); END;\n"
  APPEND_ONLY ("terminal_sessions")
  "CREATE TRIGGER terminal_sessions_no_update BEFORE UPDATE OF id, visit_id, terminal_id, started_at"
  "  ON terminal_sessions"
  "  BEGIN SELECT RAISE (ABORT, 'terminal_sessions are append-only records'); END;\n"
  "CREATE TRIGGER terminal_sessions_end_once BEFORE UPDATE OF ended_at ON terminal_sessions"
  "  WHEN OLD.ended_at IS NOT NULL OR NEW.ended_at IS NULL"
  "  BEGIN SELECT RAISE (ABORT, 'a session''s end is recorded once'); END;\n"
  NEVER_DELETE ("holds")
  "CREATE TRIGGER holds_no_update BEFORE UPDATE OF id, created_at, staff_id, scope, reason, reference,"
  "  disclosure_id ON holds"
  "  BEGIN SELECT RAISE (ABORT, 'holds are append-only records'); END;\n"
  "CREATE TRIGGER holds_release_once BEFORE UPDATE OF released_at, released_by, release_reason ON holds"
  "  WHEN OLD.released_at IS NOT NULL OR NEW.released_at IS NULL"
  "  BEGIN SELECT RAISE (ABORT, 'a hold is released once'); END;\n"
  NEVER_DELETE ("disclosures") NO_UPDATE ("disclosures")
  NEVER_DELETE ("purges") NO_UPDATE ("purges")
  NEVER_DELETE ("audit") NO_UPDATE ("audit")
  NEVER_DELETE ("checkpoints") NO_UPDATE ("checkpoints")
  NEVER_DELETE ("staff")
  NEVER_DELETE ("terminals")
  NO_UPDATE ("store_keys") NEVER_DELETE ("store_keys")
  NEVER_DELETE ("store");

/* The purge deletes a verification together with its corrections: without this index
 * every deleted verification makes SQLite scan the whole table for rows superseding it
 * (the foreign key), and finding a group's corrections would do the same. */
static const char migration_2[] =
  "CREATE INDEX verifications_supersedes ON verifications (supersedes);\n";

/* Police requests (design.md §7). The ledger's free text (the scope as asked, the note)
 * may name a person, so disclosures.scope and disclosures.note hold sealed bytes (BLOB
 * values in those columns), readable with a manager's or an auditor's unlock. Every query
 * leaves a row in the query log, readable without a secret except the values searched for
 * (sealed); every bundle handed over leaves a row in disclosure_exports. Both append-only.
 * A session is never longer than the longest one stored, and the index on its length
 * gives that bound in one step: a time-point query then scans only the sessions that
 * started within that bound before the point (plus the open ones). */
static const char migration_3[] =
  "CREATE TABLE queries ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at INTEGER NOT NULL,"
  "  staff_id INTEGER NOT NULL REFERENCES staff (id),"
  "  disclosure_id INTEGER REFERENCES disclosures (id),"
  "  kind TEXT NOT NULL CHECK (kind IN ('time', 'person', 'name', 'document', 'member')),"
  "  scope TEXT NOT NULL,"
  "  sealed_scope BLOB,"
  "  sessions INTEGER NOT NULL,"
  "  visits INTEGER NOT NULL);\n"
  "CREATE INDEX queries_disclosure ON queries (disclosure_id);\n"
  "CREATE TABLE disclosure_exports ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  disclosure_id INTEGER NOT NULL REFERENCES disclosures (id),"
  "  query_id INTEGER NOT NULL REFERENCES queries (id),"
  "  at INTEGER NOT NULL,"
  "  staff_id INTEGER NOT NULL REFERENCES staff (id),"
  "  sessions INTEGER NOT NULL,"
  "  visits INTEGER NOT NULL,"
  "  verifications INTEGER NOT NULL,"
  "  manifest_sha256 TEXT NOT NULL,"
  "  holds INTEGER NOT NULL DEFAULT 0);\n"
  "CREATE INDEX disclosure_exports_disclosure ON disclosure_exports (disclosure_id);\n"
  "CREATE INDEX sessions_length ON terminal_sessions (ended_at - started_at);\n"
  NEVER_DELETE ("queries") NO_UPDATE ("queries")
  NEVER_DELETE ("disclosure_exports") NO_UPDATE ("disclosure_exports");

/* Members and minors (issue 6). A member card is a row of `cards`: its generation is in
 * the card's QR code, so a reissue (a new row, the old one ended) stops the old card; lost
 * and revoked end a card too. Cards go with their customer in the purge. Filings: each
 * change that calls for a 変更届 within 10 days (ordinance.md §1.1), until a manager marks
 * it filed. Self-checks: the measures of ordinance.md §1.5, confirmed with a date and a
 * name. */
static const char migration_4[] =
  "CREATE TABLE cards ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  customer_id INTEGER NOT NULL REFERENCES customers (id),"
  "  generation INTEGER NOT NULL CHECK (generation >= 1),"
  "  issued_at INTEGER NOT NULL,"
  "  staff_id INTEGER NOT NULL REFERENCES staff (id),"
  "  ended_at INTEGER,"
  "  ended_by INTEGER REFERENCES staff (id),"
  "  end_reason TEXT CHECK (end_reason IN ('reissued', 'lost', 'revoked')),"
  "  UNIQUE (customer_id, generation));\n"
  "CREATE UNIQUE INDEX cards_one_valid ON cards (customer_id) WHERE ended_at IS NULL;\n"
  APPEND_ONLY ("cards")
  "CREATE TRIGGER cards_no_update BEFORE UPDATE OF id, customer_id, generation, issued_at, staff_id ON cards"
  "  BEGIN SELECT RAISE (ABORT, 'cards are append-only records'); END;\n"
  "CREATE TRIGGER cards_end_once BEFORE UPDATE OF ended_at, ended_by, end_reason ON cards"
  "  WHEN OLD.ended_at IS NOT NULL OR NEW.ended_at IS NULL OR NEW.end_reason IS NULL"
  "  BEGIN SELECT RAISE (ABORT, 'a card is ended once'); END;\n"
  "CREATE TABLE filings ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at INTEGER NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('adoption', 'terminals', 'booths', 'method', 'other')),"
  "  summary TEXT NOT NULL,"
  "  due INTEGER NOT NULL,"
  "  staff_id INTEGER REFERENCES staff (id),"
  "  filed_at INTEGER,"
  "  filed_by INTEGER REFERENCES staff (id),"
  "  filed_note TEXT);\n"
  NEVER_DELETE ("filings")
  "CREATE TRIGGER filings_no_update BEFORE UPDATE OF id, at, kind, summary, due, staff_id ON filings"
  "  BEGIN SELECT RAISE (ABORT, 'filings are append-only records'); END;\n"
  "CREATE TRIGGER filings_file_once BEFORE UPDATE OF filed_at, filed_by, filed_note ON filings"
  "  WHEN OLD.filed_at IS NOT NULL OR NEW.filed_at IS NULL"
  "  BEGIN SELECT RAISE (ABORT, 'a filing is marked filed once'); END;\n"
  "CREATE TABLE self_checks ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  at INTEGER NOT NULL,"
  "  staff_id INTEGER NOT NULL REFERENCES staff (id),"
  "  items TEXT NOT NULL,"
  "  note TEXT);\n"
  NEVER_DELETE ("self_checks") NO_UPDATE ("self_checks");

/* Police read keys (docs/decisions.md): for a verification, the shared key of its sealed
 * payload wrapped under a key only a master-key unlock derives, so that a police query opens
 * it without an X25519. Insert-only; the purge deletes a key with its verification. Not
 * audited row by row: a key is a cache that authenticates itself (its verification id is
 * bound into its tag), and a missing one only makes a query slower; each batch written is
 * one audit entry instead. */
static const char migration_5[] =
  "CREATE TABLE identity_keys ("
  "  verification_id INTEGER PRIMARY KEY REFERENCES verifications (id),"
  "  wrapped BLOB NOT NULL CHECK (length (wrapped) = 72));\n"
  APPEND_ONLY ("identity_keys") NO_UPDATE ("identity_keys");

static const char *const migrations[] = {
  NULL,          /* version 0: the empty file */
  migration_1,
  migration_2,
  migration_3,
  migration_4,
  migration_5,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == DC_DB_SCHEMA_VERSION + 1);

const char *
dc_schema_migration (gint version)
{
  g_return_val_if_fail (version >= 1 && version <= DC_DB_SCHEMA_VERSION, NULL);
  return migrations[version];
}

static const char *const record_triggers[] = {
  "customers_no_delete", "customers_no_update",
  "verifications_no_delete", "verifications_no_update",
  "visits_no_delete", "visits_no_update", "visits_exit_once",
  "terminal_sessions_no_delete", "terminal_sessions_no_update", "terminal_sessions_end_once",
  "holds_no_delete", "holds_no_update", "holds_release_once",
  "disclosures_no_delete", "disclosures_no_update",
  "queries_no_delete", "queries_no_update",
  "disclosure_exports_no_delete", "disclosure_exports_no_update",
  "cards_no_delete", "cards_no_update", "cards_end_once",
  "filings_no_delete", "filings_no_update", "filings_file_once",
  "self_checks_no_delete", "self_checks_no_update",
  "identity_keys_no_delete", "identity_keys_no_update",
  "purges_no_delete", "purges_no_update",
  "audit_no_delete", "audit_no_update",
  "checkpoints_no_delete", "checkpoints_no_update",
  "staff_no_delete", "terminals_no_delete",
  "store_keys_no_update", "store_keys_no_delete", "store_no_delete",
  NULL,
};

const char *const *
dc_schema_triggers (void)
{
  return record_triggers;
}

/* Tables whose every row the audit chain covers, in the order verify walks them. */
static const char *const audited_tables[] = {
  "store", "settings", "store_keys", "staff", "keyslots", "terminals",
  "customers", "verifications", "visits", "terminal_sessions",
  "holds", "disclosures", "purges", "queries", "disclosure_exports",
  "cards", "filings", "self_checks",
  NULL,
};

const char *const *
dc_schema_audited_tables (void)
{
  return audited_tables;
}
