/* tests/dc-test-util.h — helpers the unit tests share: file trees, Tokyo time, stores on a test clock, running daicho-ctl. */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

#include "dc-audit.h"
#include "dc-identity.h"
#include "dc-store.h"

G_BEGIN_DECLS

/* ---- files ---- */

/* Remove @path and everything below it; a symbolic link is removed, never followed. */
void      dc_test_remove_tree (const char *path);
/* Copy one file (mode 0600), asserting that it worked. */
void      dc_test_copy_file (const char *from, const char *to);
/* Copy the files of the folder @from (not its subfolders) into @to, created 0700. */
void      dc_test_copy_dir (const char *from, const char *to);
/* The names and SHA-256 of every file in @path: equal strings mean nothing was written. */
char     *dc_test_dir_fingerprint (const char *path);
gboolean  dc_test_contains_bytes (const char *hay, gsize hay_len, const char *needle, gsize needle_len);
/* Does the file at @path contain @needle? FALSE when it cannot be read. */
gboolean  dc_test_file_contains (const char *path, const char *needle);

/* ---- plain SQLite, as an outside reader or an attacker would use it ---- */

gint64    dc_test_sql_int (sqlite3 *handle, const char *sql);
char     *dc_test_sql_text (sqlite3 *handle, const char *sql);
void      dc_test_sql_exec (sqlite3 *handle, const char *sql);

/* ---- time ---- */

/* UTC microseconds of a wall-clock time in @zone ("Asia/Tokyo" …). */
gint64    dc_test_local_time (const char *zone, int y, int m, int d, int h, int mi);
gint64    dc_test_tokyo (int y, int m, int d, int h, int mi);
/* Today's date in Tokyo, by the real clock (for programs whose store clock is real). */
void      dc_test_tokyo_today (GDate *date);
char     *dc_test_iso_date (const GDate *date);

/* ---- stores ---- */

/* @store reads the time from *@now (UTC microseconds), which the test moves. */
void      dc_test_store_use_clock (DcStore *store, gint64 *now);
/* A new store, asserting success; @recovery (may be NULL) receives the recovery code, to
 * free with dc_secret_free. */
DcStore  *dc_test_store_create (const char *dir, const DcStoreSetup *setup, const char *passphrase,
                                const char *pin, char **recovery);
DcStore  *dc_test_store_open (const char *dir);
/* Terminals PC-01 … PC-@n, all filtered or none. */
void      dc_test_add_terminals (DcStore *store, DcActor *manager, guint n, gboolean filtered);
/* The audit report, each problem logged with g_test_message. */
DcVerifyReport *dc_test_verify (DcStore *store);
/* Verify finds no problem, and it did check entries and rows. */
void      dc_test_assert_intact (DcStore *store);

/* A store made once per test program (Argon2 is slow) and copied for each case. Its
 * actors act on every copy: same master key, same staff. */
typedef struct {
  char    *root;      /* a temporary folder: the template and its copies */
  char    *dir;       /* the template store, inside @root */
  guint    copies;
  DcActor *manager;   /* signed in by passphrase */
  DcActor *counter;   /* signed in by PIN */
} DcTestTemplate;

/* TRUE the first time: @t has a temporary folder named after @what, and the caller makes
 * the store at t->dir. FALSE once it is made. */
gboolean  dc_test_template_start (DcTestTemplate *t, const char *what);
/* A copy of the template store in a folder of its own inside t->root: its path. */
char     *dc_test_template_copy (DcTestTemplate *t);
/* A copy of the template store, open, reading the time from *@now. */
DcStore  *dc_test_template_open (DcTestTemplate *t, gint64 *now);
/* Remove the template and every copy; free the actors. */
void      dc_test_template_clear (DcTestTemplate *t);

/* ---- people ---- */

/* An adult: 山田 太郎, born 1 April 1990, living in Nishi-Shinjuku, with driving licence
 * 301234567890 valid to 31 December @expiry_year. */
void      dc_test_identity_fill (DcIdentity *id, int expiry_year);

/* ---- programs: daicho-ctl and the sqlite3 tool ---- */

typedef struct {
  int   status;   /* exit status; -1 when the child did not exit */
  char *out;
  char *err;
} DcTestRun;

void      dc_test_run_clear (DcTestRun *run);
/* Start @argv (NULL-terminated) with pipes on stdin, stdout and stderr and no controlling
 * terminal (a forgotten --pin-fd must fail, not wait at a prompt), LC_ALL=C.UTF-8, no
 * DAICHO_STORE, XDG_DATA_HOME=@xdg_data_home unless that is NULL, and each secret that is
 * not NULL, with a newline, to read on descriptor 3, 4 or 5. */
GSubprocess *dc_test_spawn (const char *const *argv, const char *xdg_data_home, const char *fd3,
                            const char *fd4, const char *fd5);
/* Wait for @proc with an empty stdin; its status and output in @run. */
void      dc_test_run_finish (GSubprocess *proc, DcTestRun *run);
/* The same, asserting that it exited 0 (else the log names @what and has its stderr): its stdout. */
char     *dc_test_run_finish_ok (GSubprocess *proc, const char *what);
/* dc_test_spawn and dc_test_run_finish. */
void      dc_test_run (const char *const *argv, const char *xdg_data_home, const char *fd3, const char *fd4,
                       const char *fd5, DcTestRun *run);
/* The sqlite3 tool at @tool on the database of the store folder @dir. */
void      dc_test_sqlite3_run (const char *tool, const char *dir, const char *sql, DcTestRun *run);
/* The same, asserting success: its standard output. */
char     *dc_test_sqlite3 (const char *tool, const char *dir, const char *sql);
/* The same, its output as a number. */
gint64    dc_test_sqlite3_int (const char *tool, const char *dir, const char *sql);
/* daicho-ctl at @ctl with @args (NULL-terminated) after it, as dc_test_run. */
void      dc_test_ctl (const char *ctl, const char *const *args, const char *xdg_data_home, const char *fd3,
                       const char *fd4, const char *fd5, DcTestRun *run);
/* The same, asserting that it exited 0 (else the log has its stderr): its stdout. */
char     *dc_test_ctl_ok (const char *ctl, const char *const *args, const char *xdg_data_home, const char *fd3,
                          const char *fd4, const char *fd5);
/* @text (what a program said, named @what in the failure) is valid UTF-8 with no
 * "(null)", unexpanded "%s", GLib warning or failed assertion in it. */
void      dc_test_assert_human (const char *what, const char *text);
/* @text contains @needle (else the log shows both). */
void      dc_test_assert_has (const char *text, const char *needle);

/* ---- the store's own database ---- */

/* The first column of the first row of @sql, with one parameter @arg; asserting a row. */
gint64    dc_test_db_int (DcStore *store, const char *sql, gint64 arg);
char     *dc_test_db_text (DcStore *store, const char *sql, gint64 arg);

G_END_DECLS
