/* ui/cli/daicho-ctl.c — the command line: store set-up, counter work for scripts, verification, retention, police requests. */
#include "dc-ctl.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>

typedef struct {
  const char  *name;
  DcCtlCommand run;
  const char  *summary;   /* English, for _() */
} Command;

static const Command commands[] = {
  { "init", dc_ctl_init, N_("Create a store: the first manager, the keys and the recovery key") },
  { "staff", dc_ctl_staff, N_("Add, list or unlock staff; reset a passphrase") },
  { "terminal", dc_ctl_terminal, N_("Add, list, retire or change terminals") },
  { "checkin", dc_ctl_checkin, N_("Check a customer in from an identity document or a member number") },
  { "checkout", dc_ctl_checkout, N_("Check a customer out") },
  { "move", dc_ctl_move, N_("Move a customer to another terminal") },
  { "member", dc_ctl_member, N_("Member cards: print one, reissue, report lost, revoke") },
  { "status", dc_ctl_status, N_("Who is in the store now (no personal data)") },
  { "show", dc_ctl_show, N_("Show a visit with its identity record (manager or auditor; audited)") },
  { "verify", dc_ctl_verify, N_("Check the audit chain and every record against it") },
  { "hold", dc_ctl_hold, N_("Keep records past their retention date (police requests): add, list, release") },
  { "purge", dc_ctl_purge, N_("Remove records past their retention date for good (--dry-run: only show)") },
  { "backup", dc_ctl_backup, N_("Write an encrypted backup of the store and delete old ones") },
  { "restore", dc_ctl_restore, N_("Replace the store's database with a backup (manager)") },
  { "schedule", dc_ctl_schedule, N_("Run the purge and the backup every day (systemd user timers)") },
  { "request", dc_ctl_request, N_("Enter a police request in the ledger, or list the ledger") },
  { "query", dc_ctl_query, N_("Find the records police ask for (manager or auditor; audited)") },
  { "export", dc_ctl_export, N_("Write the signed bundle of records for a police request") },
  { "read-keys", dc_ctl_read_keys, N_("Cache the keys that let police queries open identity records quickly") },
  { "verify-export", dc_ctl_verify_export, N_("Check a bundle written by export (needs no secret)") },
  { "report", dc_ctl_report, N_("Write the inspection report (PDF, no personal data)") },
  { "filing", dc_ctl_filing, N_("Changes to notify the police (変更届): list, mark filed, print") },
  { "selfcheck", dc_ctl_selfcheck, N_("Self-inspection of the anti-misuse measures: add, show") },
  { "demo", dc_ctl_demo, N_("Create a demo store with synthetic history") },
};

static void
usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: daicho-ctl COMMAND [OPTION…]   (daicho-ctl COMMAND --help for its options)"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-13s %s\n", commands[i].name, _(commands[i].summary));
}

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("DAICHO_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* secrets pass through this process: never into a core file */
  dc_secret_disable_core_dumps ();
  if (!dc_crypto_init ())
    {
      g_printerr ("daicho-ctl: %s\n", _("The cryptography library could not start."));
      return DC_CTL_EXIT_FAILED;
    }

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? DC_CTL_EXIT_USAGE : 0;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  g_printerr ("daicho-ctl: %s “%s”\n", _("Unknown command"), argv[1]);
  usage (stderr);
  return DC_CTL_EXIT_USAGE;
}
