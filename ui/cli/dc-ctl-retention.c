/* ui/cli/dc-ctl-retention.c — daicho-ctl commands about keeping and removing records: hold, purge, backup, restore, schedule. */
#include "dc-ctl.h"
#include "dc-backup.h"
#include "dc-hold.h"
#include "dc-member.h"
#include "dc-retention.h"
#include "dc-schedule.h"
#include "dc-time.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

/* ---- holds ---- */

/* @text as a point in store time (or with its own offset). With @end a date alone is the
 * end of that day (the start of the next), so "--to 2026-03-04" takes in the whole of the 4th.
 * An unreadable time is a usage error, as in the police commands. */
static gboolean
parse_time_option (DcStore *store, const char *option, const char *text, gboolean end, gint64 *out)
{
  g_autoptr(GError) error = NULL;
  GTimeZone *tz = dc_store_timezone (store);

  if (end ? dc_time_parse_end (text, tz, out, &error) : dc_time_parse (text, tz, out, &error))
    return TRUE;
  dc_ctl_usage ("%s: %s", option, error->message);
  return FALSE;
}

typedef struct {
  gint64  visit;
  char   *member;
  char   *from, *to;
  char  **terminals;
  char   *reason, *reference;
} HoldArgs;

static void
hold_args_clear (HoldArgs *a)
{
  g_clear_pointer (&a->member, g_free);
  g_clear_pointer (&a->from, g_free);
  g_clear_pointer (&a->to, g_free);
  g_clear_pointer (&a->terminals, g_strfreev);
  g_clear_pointer (&a->reason, g_free);
  g_clear_pointer (&a->reference, g_free);
}

/* Empty or only spaces, full-width ones included ("　" is no reason). */
static gboolean
is_blank (const char *text)
{
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* What the command line can get wrong before anything is opened. */
static int
hold_add_check (const HoldArgs *a)
{
  guint scopes = (a->visit != 0) + (a->member != NULL) + (a->from != NULL || a->to != NULL);

  if (scopes != 1)
    return dc_ctl_usage ("%s", _("hold add needs one of --visit ID, --member NUMBER, or --from TIME with --to TIME."));
  if ((a->from == NULL) != (a->to == NULL))
    return dc_ctl_usage ("%s", _("A time range needs both --from and --to."));
  if (a->terminals != NULL && a->from == NULL)
    return dc_ctl_usage ("%s", _("--terminal only narrows a time range (--from and --to)."));
  if (a->visit < 0)
    return dc_ctl_usage ("%s", _("--visit takes a visit number."));
  if (is_blank (a->reason))
    return dc_ctl_usage ("%s", _("hold add needs --reason: say why these records must be kept."));
  return 0;
}

/* The scope from the options: 0, or the exit status after saying what is wrong (what the
 * user typed wrong is a usage error; what the store refuses, a failure). */
static int
hold_scope (DcStore *store, const HoldArgs *a, DcHoldScope *scope)
{
  g_autofree char *member = NULL;
  GError *error = NULL;

  if (a->visit > 0)
    {
      scope->kind = DC_HOLD_VISIT;
      scope->id = a->visit;
      return 0;
    }
  if (a->member != NULL)
    {
      if (!dc_member_number_check (a->member, &member))
        return dc_ctl_usage ("--member: %s", _("This is not a valid member number: check the digits."));
      if (dc_hold_scope_for_member (store, member, scope, &error))
        return 0;
      return dc_ctl_fail (error);
    }
  scope->kind = DC_HOLD_RANGE;
  if (!parse_time_option (store, "--from", a->from, FALSE, &scope->from)
      || !parse_time_option (store, "--to", a->to, TRUE, &scope->to))
    return DC_CTL_EXIT_USAGE;
  if (scope->from >= scope->to)
    return dc_ctl_usage ("%s", _("--from must be before --to."));
  for (guint i = 0; a->terminals != NULL && a->terminals[i] != NULL; i++)
    if (!dc_hold_scope_add_terminal (store, scope, a->terminals[i], &error))
      return dc_ctl_fail (error);
  return 0;
}

static int
hold_add_run (DcCtlCommon *common, HoldArgs *a)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) actor = NULL;
  DcHoldScope scope = { 0 };
  GError *error = NULL;
  gint64 id = 0;
  int rc = hold_add_check (a);

  if (rc != 0)
    return rc;
  rc = DC_CTL_EXIT_FAILED;
  store = dc_ctl_open_store (common);
  if (store == NULL)
    goto out;
  /* everything that can be wrong is said before the passphrase is asked for */
  if ((rc = hold_scope (store, a, &scope)) != 0)
    goto out;
  rc = DC_CTL_EXIT_FAILED;
  if ((actor = dc_ctl_sign_in_passphrase (store, common)) == NULL)
    goto out;
  if (!dc_hold_add (store, actor, &scope, a->reason, is_blank (a->reference) ? NULL : a->reference, 0, &id, &error))
    {
      rc = dc_ctl_fail (error);
      goto out;
    }
  g_print (_("Hold %" PRId64 " placed: the records it covers are kept until a manager releases it.\n"), id);
  rc = 0;
out:
  dc_hold_scope_clear (&scope);
  return rc;
}

static int
hold_add (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  HoldArgs a = { 0 };
  GOptionEntry entries[] = {
    { "visit", 0, 0, G_OPTION_ARG_INT64, &a.visit, N_("Hold one visit, with its sessions, verification and customer"),
      N_("ID") },
    { "member", 0, 0, G_OPTION_ARG_STRING, &a.member, N_("Hold everything of one member"), N_("NUMBER") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &a.from,
      N_("Hold every session in use from this time (store time unless an offset is given)"), N_("TIME") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &a.to, N_("… until this time (a date alone: to the end of that day)"),
      N_("TIME") },
    { "terminal", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.terminals,
      N_("Only sessions on this terminal (may be repeated; default all)"), N_("LABEL") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &a.reason, N_("Why the records must be kept (required)"), N_("TEXT") },
    { "reference", 0, 0, G_OPTION_ARG_STRING, &a.reference, N_("The request's reference, e.g. the police letter"),
      N_("TEXT") },
    { NULL }
  };
  int rc = DC_CTL_EXIT_USAGE;

  if (dc_ctl_parse ("hold add", NULL,
                    N_("Keep records past their retention date until a manager releases the hold. Name one visit, "
                       "one member, or a time range (TIME: 2026-03-04 14:32, 2026-03-04T14:32:10+09:00 or "
                       "2026-03-04). Needs a manager's or auditor's passphrase; prints the hold's number."),
                    entries, DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    rc = hold_add_run (&common, &a);
  hold_args_clear (&a);
  dc_ctl_common_clear (&common);
  return rc;
}

static void
print_hold (DcStore *store, const DcHold *h)
{
  GTimeZone *tz = dc_store_timezone (store);
  g_autofree char *created = dc_time_to_display (h->created_at, tz);

  g_print (_("Hold %" PRId64 ": %s\n"), h->id, h->scope);
  g_print ("  %s %s, %s\n", _("placed"), created, h->created_by);
  g_print ("  %s %s\n", _("reason:"), h->reason);
  if (h->reference != NULL)
    g_print ("  %s %s\n", _("reference:"), h->reference);
  if (h->released_at != 0)
    {
      g_autofree char *released = dc_time_to_display (h->released_at, tz);

      g_print ("  %s %s, %s: %s\n", _("released"), released, h->released_by != NULL ? h->released_by : "-",
               h->release_reason != NULL ? h->release_reason : "");
    }
}

static int
hold_list (int argc, char **argv)
{
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Released holds too"), NULL },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(GArray) holds = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  store = dc_ctl_parse_open ("hold list",
                             N_("List the holds in force, newest first. Holds carry no personal data: no secret is needed."),
                             entries, &argc, &argv, &rc);
  if (store == NULL)
    return rc;
  holds = dc_hold_list (store, all, &error);
  if (holds == NULL)
    return dc_ctl_fail (error);
  g_array_set_clear_func (holds, (GDestroyNotify) dc_hold_clear);
  if (holds->len == 0)
    g_print ("%s\n", all ? _("There are no holds.") : _("No hold is in force."));
  for (guint i = 0; i < holds->len; i++)
    print_hold (store, &g_array_index (holds, DcHold, i));
  return 0;
}

static int
hold_release (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  gint64 id = 0;
  g_autofree char *reason = NULL;
  GOptionEntry entries[] = {
    { "hold", 0, 0, G_OPTION_ARG_INT64, &id, N_("The hold to release"), N_("ID") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why it is no longer needed (required)"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) manager = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("hold release", NULL,
                     N_("Release a hold: its records age normally again. Needs a manager's passphrase."), entries,
                     DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (id <= 0)
    rc = dc_ctl_usage ("%s", _("hold release needs --hold ID."));
  else if (is_blank (reason))
    rc = dc_ctl_usage ("%s", _("hold release needs --reason: say why the records may go."));
  else if ((store = dc_ctl_open_store (&common)) != NULL
           && (manager = dc_ctl_sign_in_passphrase (store, &common)) != NULL)
    {
      if (dc_hold_release (store, manager, id, reason, &error))
        {
          g_print (_("Hold %" PRId64 " released.\n"), id);
          rc = 0;
        }
      else
        rc = dc_ctl_fail (error);
    }
  dc_ctl_common_clear (&common);
  return rc;
}

int
dc_ctl_hold (int argc, char **argv)
{
  static const DcCtlSubcommand subcommands[] = {
    { "add", hold_add }, { "list", hold_list }, { "release", hold_release }, { NULL }
  };

  return dc_ctl_dispatch (argc, argv, subcommands, _("Usage: daicho-ctl hold add|list|release [OPTION…]"));
}

/* ---- purge ---- */

/* Columns line up by display width: Japanese headings are two columns a character. */
static int
pad_for (const char *text, guint width)
{
  guint used = dc_ctl_display_width (text);

  return used < width ? (int) (width - used) : 0;
}

static void
print_cell (const char *text, guint width)
{
  g_print ("%*s%s", pad_for (text, width), "", text);
}

static void
print_label (const char *label, guint width)
{
  g_print ("%s%*s", label, pad_for (label, width), "");
}

static void
print_row (const char *label, gint64 visits, gint64 sessions, gint64 verifications, gint64 customers)
{
  const gint64 values[] = { visits, sessions, verifications, customers };

  print_label (label, 10);
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *n = g_strdup_printf ("%" PRId64, values[i]);
      print_cell (n, 15);
    }
  g_print ("\n");
}

static void
print_plan (DcStore *store, const DcPurgePlan *plan, gboolean done)
{
  GTimeZone *tz = dc_store_timezone (store);
  g_autofree char *cutoff = dc_time_to_display (plan->cutoff, tz);

  if (done)
    g_print (_("Purged the records of services that ended before %s (store time).\n"), cutoff);
  else
    g_print (_("Dry run: nothing is removed. Services that ended before %s (store time) are past retention.\n"), cutoff);
  print_label (_("Month"), 10);
  print_cell (_("Visits"), 15);
  print_cell (_("Sessions"), 15);
  print_cell (_("Verifications"), 15);
  print_cell (_("Customers"), 15);
  g_print ("\n");
  for (guint i = 0; plan->months != NULL && i < plan->months->len; i++)
    {
      const DcPurgeMonth *m = &g_array_index (plan->months, DcPurgeMonth, i);
      print_row (m->month, m->visits, m->sessions, m->verifications, m->customers);
    }
  print_row (_("Total"), plan->visits, plan->sessions, plan->verifications, plan->customers);
  print_row (_("Held back"), plan->held_visits, plan->held_sessions, plan->held_verifications, plan->held_customers);
  g_print (_("Visits still open (never purged while open): %" PRId64 "\n"), plan->open_visits);
  if (plan->oldest_end != 0)
    {
      g_autofree char *oldest = dc_time_to_display (plan->oldest_end, tz);
      g_autofree char *from = dc_time_to_display (plan->oldest_purge_from, tz);

      g_print (_("Oldest record: a service that ended %s; it may be purged from %s.\n"), oldest, from);
    }
}

/* A restore keeps the database it replaced beside the store, and no purge reaches it. */
static void
print_set_aside (DcStore *store)
{
  g_autoptr(GPtrArray) aside = dc_backup_set_aside (dc_store_dir (store));

  for (guint i = 0; i < aside->len; i++)
    g_print (_("Warning: %s was set aside by a restore and holds personal data that no purge reaches. Delete it "
               "once the restored store is in use.\n"),
             (const char *) g_ptr_array_index (aside, i));
}

int
dc_ctl_purge (int argc, char **argv)
{
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Only show what would be removed"), NULL },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcPurgePlan) plan = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  store = dc_ctl_parse_open ("purge",
                             N_("Remove for good every record past its retention date (three years after the service "
                                "ended) that no hold keeps; visits left open too long are closed first. Prints the "
                                "counts by month of service end. Needs no secret, so a timer can run it."),
                             entries, &argc, &argv, &rc);
  if (store == NULL)
    return rc;
  if (dry_run)
    plan = dc_purge_plan (store, &error);
  else if (!dc_purge_run (store, 0, &plan, &error))
    g_clear_pointer (&plan, dc_purge_plan_free);
  if (plan == NULL)
    return dc_ctl_fail (error);
  print_plan (store, plan, !dry_run);
  print_set_aside (store);
  return 0;
}

/* ---- backup and restore ---- */

int
dc_ctl_backup (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *dir = NULL;
  GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_FILENAME, &dir, N_("The backup folder (created if missing)"), N_("DIR") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autofree char *path = NULL;
  g_autofree char *size = NULL;
  DcBackupInfo info = { 0 };
  GError *error = NULL;
  guint deleted = 0;

  if (!dc_ctl_parse ("backup", NULL,
                     N_("Write an encrypted copy of the store into DIR while the counter keeps working, then "
                        "delete this store's backups there that are older than the store keeps them (never the "
                        "newest). Needs no secret."),
                     entries, 0, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (dir == NULL || *dir == '\0')
    {
      dc_ctl_common_clear (&common);
      return dc_ctl_usage ("%s", _("backup needs --to DIR."));
    }
  store = dc_ctl_open_store (&common);
  dc_ctl_common_clear (&common);
  if (store == NULL)
    return DC_CTL_EXIT_FAILED;
  path = dc_backup_create (store, dir, &error);
  if (path == NULL || !dc_backup_inspect (path, &info, &error))
    return dc_ctl_fail (error);
  size = g_format_size (info.size);
  g_print (_("Backup written: %s (%s)\n"), path, size);
  dc_backup_info_clear (&info);
  if (!dc_backup_rotate (store, dir, &deleted, &error))
    return dc_ctl_fail (error);
  g_print (_("Backups older than %" PRId64 " days deleted: %u\n"),
           dc_store_get_setting (store, DC_SETTING_BACKUP_KEEP_DAYS), deleted);
  return 0;
}

static void
print_backup_info (const DcBackupInfo *info, GTimeZone *tz)
{
  g_autofree char *when = dc_time_to_display (info->created_at, tz);
  g_autofree char *size = g_format_size (info->size);

  g_print (_("Backup of “%s” taken %s (%s).\n"), info->store_name != NULL ? info->store_name : "", when, size);
}

/* Check and decrypt @file beside the store: nothing is replaced yet. The manager who
 * signed in comes back in @out_manager, to sign the restored chain. */
static char *
restore_unpack (DcCtlCommon *common, gboolean recovery, const char *file, char **out_store_dir,
                DcActor **out_manager)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) manager = NULL;
  DcBackupInfo info = { 0 };
  GError *error = NULL;
  char *unpacked;

  store = dc_ctl_open_store (common);
  if (store == NULL || (manager = dc_ctl_sign_in_manager (store, common, recovery)) == NULL)
    return NULL;
  if (!dc_backup_inspect (file, &info, &error))
    {
      dc_ctl_fail (error);
      return NULL;
    }
  print_backup_info (&info, dc_store_timezone (store));
  dc_backup_info_clear (&info);
  unpacked = dc_backup_unpack (store, manager, file, &error);
  if (unpacked == NULL)
    {
      dc_ctl_fail (error);
      return NULL;
    }
  *out_store_dir = g_strdup (dc_store_dir (store));
  *out_manager = g_steal_pointer (&manager);
  return unpacked;
}

/* The restored store: its chain says it was restored and by whom, then verify speaks. */
static int
restore_finish (DcStore *store, DcActor *manager)
{
  g_autoptr(DcVerifyReport) report = NULL;
  GError *error = NULL;

  if (manager != NULL && !dc_backup_record_restore (store, dc_actor_vault (manager), dc_actor_name (manager), &error))
    return dc_ctl_fail (error);
  report = dc_audit_verify (store, &error);
  if (report == NULL)
    return dc_ctl_fail (error);
  return dc_ctl_print_report (report);
}

static int
restore_in_place (DcCtlCommon *common, gboolean recovery, const char *file)
{
  g_autofree char *unpacked = NULL;
  g_autofree char *store_dir = NULL;
  g_autofree char *aside = NULL;
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(DcStore) store = NULL;
  GError *error = NULL;

  /* The store is closed (every handle on the database let go) before its file is replaced. */
  unpacked = restore_unpack (common, recovery, file, &store_dir, &manager);
  if (unpacked == NULL)
    return DC_CTL_EXIT_FAILED;
  g_print ("%s\n", _("The backup is complete and unaltered."));
  if (!dc_backup_install (store_dir, unpacked, &aside, &error))
    {
      /* Not deleted here: whether the old database is still in place is for the manager to see. */
      if (g_file_test (unpacked, G_FILE_TEST_EXISTS))
        {
          g_printerr ("daicho-ctl: ");
          g_printerr (_("The checked copy of the backup is at %s."), unpacked);
          g_printerr ("\n");
        }
      return dc_ctl_fail (error);
    }
  g_print (_("Restored. The database that was in use is kept at %s\n"), aside);
  store = dc_store_open (store_dir, &error);
  if (store == NULL)
    return dc_ctl_fail (error);
  return restore_finish (store, manager);
}

/* No store in @dir (its disk died, a new machine): the backup alone makes it again, opened
 * with the recovery key, or with a manager's passphrase when --staff names one. */
static int
restore_new (DcCtlCommon *common, gboolean recovery, const char *file, const char *dir)
{
  gboolean passphrase = common->staff != NULL && !recovery;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(DcSecret) secret = NULL;
  g_autoptr(DcStore) store = NULL;
  DcBackupInfo info = { 0 };
  GError *error = NULL;

  if (!dc_backup_inspect (file, &info, &error))
    return dc_ctl_fail (error);
  print_backup_info (&info, tz);
  dc_backup_info_clear (&info);
  g_print (_("There is no store in %s: the backup is restored there as the store.\n"), dir);
  if (passphrase)
    {
      g_autofree char *prompt = g_strdup_printf (_("Passphrase for %s: "), common->staff);

      secret = dc_ctl_secret (common->passphrase_fd, prompt);
    }
  else
    secret = dc_ctl_secret (common->recovery_fd, _("Recovery key: "));
  if (secret == NULL)
    return DC_CTL_EXIT_FAILED;
  store = dc_backup_restore_new (file, dir, passphrase ? DC_SLOT_PASSPHRASE : DC_SLOT_RECOVERY, common->staff,
                                 secret, &error);
  if (store == NULL)
    return dc_ctl_fail (error);
  g_print (_("Restored into %s.\n"), dc_store_dir (store));
  return restore_finish (store, NULL);
}

static int
restore_run (DcCtlCommon *common, gboolean recovery, const char *file)
{
  g_autofree char *dir = dc_ctl_store_dir (common);
  g_autofree char *db = g_build_filename (dir, DC_STORE_DB_NAME, NULL);

  if (!g_file_test (db, G_FILE_TEST_EXISTS))
    return restore_new (common, recovery, file, dir);
  if (common->staff == NULL || *common->staff == '\0')
    return dc_ctl_usage ("%s", _("Say who is acting with --staff NAME."));
  return restore_in_place (common, recovery, file);
}

int
dc_ctl_restore (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_auto(GStrv) files = NULL;
  g_autofree char *staff = NULL;
  gboolean recovery = FALSE;
  /* --staff here, not the shared one: restoring into an empty folder with the recovery key
   * names nobody */
  GOptionEntry entries[] = {
    { "staff", 0, 0, G_OPTION_ARG_STRING, &staff, N_("The manager who restores"), N_("NAME") },
    { "recovery", 0, 0, G_OPTION_ARG_NONE, &recovery, N_("Unlock with the recovery key instead of a passphrase"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE") },
    { NULL }
  };
  int rc = DC_CTL_EXIT_USAGE;

  if (!dc_ctl_parse ("restore", NULL,
                     N_("Restore the backup FILE. When the store folder holds a store, its database is replaced: "
                        "the whole file is checked first, the database in use is kept aside, never deleted, and the "
                        "restored store is verified; this needs --staff NAME with that manager's passphrase (or "
                        "--recovery with the recovery key). Stop the counter app first. When the folder holds no "
                        "store (the old one is lost), the backup becomes the store there: it opens with the "
                        "recovery key, or with a manager's passphrase when --staff NAME is given."),
                     entries, DC_CTL_PASSPHRASE | DC_CTL_RECOVERY, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  common.staff = g_steal_pointer (&staff);
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    rc = dc_ctl_usage ("%s", _("restore needs the backup file: daicho-ctl restore FILE --staff NAME."));
  else
    rc = restore_run (&common, recovery, files[0]);
  dc_ctl_common_clear (&common);
  return rc;
}

/* ---- schedule ---- */

/* The services run this very program. */
static char *
self_path (void)
{
  char *path = g_file_read_link ("/proc/self/exe", NULL);

  return path != NULL ? path : g_find_program_in_path ("daicho-ctl");
}

static int
schedule_install (int argc, char **argv)
{
  g_autofree char *backup_dir = NULL;
  GOptionEntry entries[] = {
    { "backup-dir", 0, 0, G_OPTION_ARG_FILENAME, &backup_dir,
      N_("Where the daily backups go (default: “backups” beside the store folder)"), N_("DIR") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autofree char *ctl = NULL;
  g_autofree char *units = NULL;
  g_autofree char *backups = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  store = dc_ctl_parse_open ("schedule install",
                             N_("Install and start systemd user timers that run the purge and then a backup every day "
                                "(a run missed while the computer was off happens at the next start). One store per "
                                "user account."),
                             entries, &argc, &argv, &rc);
  if (store == NULL)
    return rc;
  ctl = self_path ();
  if (ctl == NULL)
    {
      g_printerr ("daicho-ctl: %s\n", _("Cannot tell where daicho-ctl is installed."));
      return DC_CTL_EXIT_FAILED;
    }
  if (!dc_schedule_install (store, ctl, backup_dir, &error))
    return dc_ctl_fail (error);
  units = dc_schedule_unit_dir ();
  backups = backup_dir != NULL ? g_canonicalize_filename (backup_dir, NULL) : dc_schedule_default_backup_dir (store);
  g_print (_("The daily purge and backup are scheduled for the store in %s.\n"), dc_store_dir (store));
  g_print (_("Backups go to %s\n"), backups);
  g_print (_("Units written to %s\n"), units);
  return 0;
}

static int
schedule_remove (int argc, char **argv)
{
  g_autoptr(DcStore) store = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  store = dc_ctl_parse_open ("schedule remove",
                             N_("Stop the daily purge and backup and remove their units. Backups already written stay."),
                             NULL, &argc, &argv, &rc);
  if (store == NULL)
    return rc;
  if (!dc_schedule_remove (store, &error))
    return dc_ctl_fail (error);
  g_print ("%s\n", _("The daily purge and backup are no longer scheduled."));
  return 0;
}

static void
print_pair (const char *label, const char *value)
{
  print_label (label, 14);
  g_print (" %s\n", value);
}

static void
print_when (DcStore *store, const char *label, gint64 at, const char *none)
{
  g_autofree char *text = at != 0 ? dc_time_to_display (at, dc_store_timezone (store)) : NULL;

  print_pair (label, text != NULL ? text : none);
}

static int
schedule_status (int argc, char **argv)
{
  g_autoptr(DcStore) store = NULL;
  g_auto(DcScheduleStatus) status = { 0 };
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  store = dc_ctl_parse_open ("schedule status",
                             N_("Whether the daily purge and backup are installed and active, and when they last ran."),
                             NULL, &argc, &argv, &rc);
  if (store == NULL)
    return rc;
  if (!dc_schedule_status (store, &status, &error))
    return dc_ctl_fail (error);
  print_pair (_("Installed:"), status.installed ? _("yes") : _("no"));
  print_pair (_("Active:"), status.active ? _("yes") : _("no"));
  print_pair (_("Backups in:"), status.backup_dir != NULL ? status.backup_dir : "-");
  print_when (store, _("Last purge:"), status.last_purge, _("never"));
  print_when (store, _("Last backup:"), status.last_backup, _("never"));
  print_when (store, _("Next run:"), status.next_run, _("unknown"));
  return 0;
}

int
dc_ctl_schedule (int argc, char **argv)
{
  static const DcCtlSubcommand subcommands[] = {
    { "install", schedule_install }, { "remove", schedule_remove }, { "status", schedule_status }, { NULL }
  };

  return dc_ctl_dispatch (argc, argv, subcommands, _("Usage: daicho-ctl schedule install|remove|status [OPTION…]"));
}
