/* ui/cli/dc-ctl.h — what every daicho-ctl command shares: options, secrets, signing in, errors. */
#pragma once

#include <glib.h>
#include "dc-audit.h"
#include "dc-store.h"

G_BEGIN_DECLS

/* Exit codes: 0 done, 1 refused or failed, 2 the command line itself is wrong. */
#define DC_CTL_EXIT_FAILED 1
#define DC_CTL_EXIT_USAGE  2

typedef struct {
  char *store_dir;
  char *staff;
  gint  passphrase_fd;
  gint  pin_fd;
  gint  new_passphrase_fd;
  gint  recovery_fd;
} DcCtlCommon;

typedef int (*DcCtlCommand) (int argc, char **argv);

/* One word after the command ("hold add"), and what runs it. */
typedef struct {
  const char   *name;
  DcCtlCommand  run;
} DcCtlSubcommand;

/* Which shared options a command takes (--store always). */
typedef enum {
  DC_CTL_STAFF          = 1 << 0,   /* --staff NAME: who acts */
  DC_CTL_PASSPHRASE     = 1 << 1,   /* --passphrase-fd N */
  DC_CTL_PIN            = 1 << 2,   /* --pin-fd N */
  DC_CTL_NEW_PASSPHRASE = 1 << 3,   /* --new-passphrase-fd N */
  DC_CTL_RECOVERY       = 1 << 4,   /* --recovery-fd N */
  DC_CTL_STAFF_OPTIONAL = 1 << 5,   /* --staff NAME, needed only by some uses of the command */
} DcCtlOptions;

/* Parse @argv with @entries plus the shared options in @which; prints errors, returns FALSE
 * on a usage error (or after printing --help, with *@argc set to -1). @summary is the
 * description shown by --help; @params the positional part of the usage line. */
gboolean  dc_ctl_parse (const char *name, const char *params, const char *summary, GOptionEntry *entries,
                        DcCtlOptions which, DcCtlCommon *common, int *argc, char ***argv);
void      dc_ctl_common_clear (DcCtlCommon *common);

DcStore  *dc_ctl_open_store (DcCtlCommon *common);
/* For a command that needs no secret and takes only --store of the shared options: parse
 * @argv (no positional part), open the store and let the shared options go. NULL with *@rc
 * set to the exit code after a usage error, --help, or a store that does not open. */
DcStore  *dc_ctl_parse_open (const char *name, const char *summary, GOptionEntry *entries, int *argc,
                             char ***argv, int *rc);
/* Create-time: where the store goes. */
char     *dc_ctl_store_dir (DcCtlCommon *common);

/* A secret from @fd when given (≥ 0), else asked on the terminal. NULL after printing why. */
char     *dc_ctl_secret (gint fd, const char *prompt);

DcActor  *dc_ctl_sign_in_pin (DcStore *store, DcCtlCommon *common);
DcActor  *dc_ctl_sign_in_passphrase (DcStore *store, DcCtlCommon *common);
/* With @recovery, --staff unlocks with the recovery key (--recovery-fd); else with their passphrase. */
DcActor  *dc_ctl_sign_in_manager (DcStore *store, DcCtlCommon *common, gboolean recovery);

/* Print "daicho-ctl: message" on stderr; returns DC_CTL_EXIT_FAILED. */
int       dc_ctl_fail (GError *error);
int       dc_ctl_usage (const char *format, ...) G_GNUC_PRINTF (1, 2);
/* Run the subcommand in @subcommands (ended by a NULL name) that argv[1] names, with argv
 * from there; else print @usage as a usage error. */
int       dc_ctl_dispatch (int argc, char **argv, const DcCtlSubcommand *subcommands, const char *usage);
/* How many terminal columns @text takes: wide (Japanese) characters take two. */
guint     dc_ctl_display_width (const char *text);
/* "  label   value": @label padded by display width to @width columns; nothing when @value
 * is NULL or empty. */
void      dc_ctl_print_field (const char *label, guint width, const char *value);

/* Print what verify found and "Intact." or "NOT INTACT"; returns the exit code. */
int       dc_ctl_print_report (const DcVerifyReport *report);

int dc_ctl_init (int argc, char **argv);
int dc_ctl_staff (int argc, char **argv);
int dc_ctl_terminal (int argc, char **argv);
int dc_ctl_status (int argc, char **argv);
int dc_ctl_verify (int argc, char **argv);
int dc_ctl_show (int argc, char **argv);
int dc_ctl_demo (int argc, char **argv);
int dc_ctl_checkin (int argc, char **argv);
int dc_ctl_checkout (int argc, char **argv);
int dc_ctl_move (int argc, char **argv);
int dc_ctl_member (int argc, char **argv);
int dc_ctl_hold (int argc, char **argv);
int dc_ctl_purge (int argc, char **argv);
int dc_ctl_backup (int argc, char **argv);
int dc_ctl_restore (int argc, char **argv);
int dc_ctl_schedule (int argc, char **argv);
int dc_ctl_read_keys (int argc, char **argv);
int dc_ctl_request (int argc, char **argv);
int dc_ctl_query (int argc, char **argv);
int dc_ctl_export (int argc, char **argv);
int dc_ctl_verify_export (int argc, char **argv);
int dc_ctl_report (int argc, char **argv);
int dc_ctl_filing (int argc, char **argv);
int dc_ctl_selfcheck (int argc, char **argv);

G_END_DECLS
