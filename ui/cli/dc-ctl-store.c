/* ui/cli/dc-ctl-store.c — daicho-ctl commands about the store: init, staff, terminal, status, show, verify, demo. */
#include "dc-ctl.h"
#include "dc-audit.h"
#include "dc-checkin.h"
#include "dc-date.h"
#include "dc-db-records.h"
#include "dc-records.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <stdio.h>

/* Ask twice on a terminal; once from a descriptor. */
static char *
new_secret (gint fd, const char *prompt, const char *again)
{
  g_autoptr(DcSecret) first = dc_ctl_secret (fd, prompt);
  g_autoptr(DcSecret) second = NULL;

  if (first == NULL || fd >= 0)
    return g_steal_pointer (&first);
  second = dc_ctl_secret (-1, again);
  if (second == NULL)
    return NULL;
  if (!g_str_equal (first, second))
    {
      g_printerr ("daicho-ctl: %s\n", _("The two entries differ: nothing was changed."));
      return NULL;
    }
  return g_steal_pointer (&first);
}

int
dc_ctl_init (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *name = NULL, *operator_name = NULL, *manager = NULL, *prefecture = NULL, *tz = NULL,
                  *address = NULL, *dir = NULL;
  GOptionEntry entries[] = {
    { "store-name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The store's name"), N_("NAME") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &operator_name, N_("The legal entity that runs the store"), N_("NAME") },
    { "manager", 0, 0, G_OPTION_ARG_STRING, &manager, N_("The first manager's name"), N_("NAME") },
    { "prefecture", 0, 0, G_OPTION_ARG_STRING, &prefecture, N_("Rule profile: tokyo (default) or osaka"), N_("ID") },
    { "timezone", 0, 0, G_OPTION_ARG_STRING, &tz, N_("Time zone (default Asia/Tokyo)"), N_("ZONE") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_("The store's address"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(DcSecret) passphrase = NULL;
  g_autoptr(DcSecret) pin = NULL;
  g_autoptr(DcSecret) code = NULL;
  g_autoptr(DcStore) store = NULL;
  GError *error = NULL;
  DcStoreSetup setup = { 0 };
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("init", NULL, N_("Create a store. The manager's passphrase and PIN are asked for "
                                      "(or read with --passphrase-fd and --pin-fd); the recovery key is printed once."),
                     entries, DC_CTL_PASSPHRASE | DC_CTL_PIN, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (name == NULL || operator_name == NULL || manager == NULL)
    {
      rc = dc_ctl_usage ("%s", _("init needs --store-name, --operator and --manager."));
      goto out;
    }
  dir = dc_ctl_store_dir (&common);
  passphrase = new_secret (common.passphrase_fd, _("New manager passphrase (10 characters or more): "),
                           _("The same passphrase again: "));
  if (passphrase == NULL)
    goto out;
  pin = new_secret (common.pin_fd, _("New manager PIN (4 to 8 digits): "), _("The same PIN again: "));
  if (pin == NULL)
    goto out;

  setup.name = name;
  setup.operator_name = operator_name;
  setup.manager = manager;
  setup.prefecture = prefecture != NULL ? prefecture : "tokyo";
  setup.timezone = tz;
  setup.address = address;
  store = dc_store_create (dir, &setup, passphrase, pin, &code, &error);
  if (store == NULL)
    {
      rc = dc_ctl_fail (error);
      goto out;
    }
  g_print ("%s\n", _("Store created. This is the recovery key. It is shown only this once: print it or write it "
                     "down and keep it locked away. Without it, losing every manager passphrase loses the records."));
  g_print ("\n    %s\n\n", code);
  rc = 0;
out:
  dc_ctl_common_clear (&common);
  return rc;
}

/* ---- staff ---- */


static int
staff_add (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *name = NULL, *role = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The new staff member's name"), N_("NAME") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("counter, manager or auditor"), N_("ROLE") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(DcSecret) pin = NULL;
  g_autoptr(DcSecret) passphrase = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("staff add", NULL,
                     N_("Add a staff member with a PIN (managers and auditors also get a passphrase). "
                        "Needs a manager's passphrase."),
                     entries, DC_CTL_STAFF | DC_CTL_PASSPHRASE | DC_CTL_PIN | DC_CTL_NEW_PASSPHRASE,
                     &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (name == NULL || role == NULL)
    {
      rc = dc_ctl_usage ("%s", _("staff add needs --name and --role."));
      goto out;
    }
  if (!g_str_equal (role, "counter") && !g_str_equal (role, "manager") && !g_str_equal (role, "auditor"))
    {
      rc = dc_ctl_usage ("%s", _("The role must be counter, manager or auditor."));
      goto out;
    }
  store = dc_ctl_open_store (&common);
  if (store == NULL || (manager = dc_ctl_sign_in_passphrase (store, &common)) == NULL)
    goto out;
  pin = new_secret (common.pin_fd, _("PIN for the new staff member (4 to 8 digits): "), _("The same PIN again: "));
  if (pin == NULL)
    goto out;
  if (!g_str_equal (role, "counter"))
    {
      passphrase = new_secret (common.new_passphrase_fd, _("Passphrase for the new staff member: "),
                               _("The same passphrase again: "));
      if (passphrase == NULL)
        goto out;
    }
  if (!dc_store_add_staff (store, manager, name, role, pin, passphrase, NULL, &error))
    {
      rc = dc_ctl_fail (error);
      goto out;
    }
  g_print (_("Added %s (%s).\n"), name, dc_records_role_label (role));
  rc = 0;
out:
  dc_ctl_common_clear (&common);
  return rc;
}

static int
staff_list (int argc, char **argv)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(GArray) rows = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  store = dc_ctl_parse_open ("staff list",
                             N_("List staff with their role and state."),
                             NULL, &argc, &argv, &rc);
  if (store == NULL)
    return rc;
  rows = dc_db_staff_list (dc_store_db (store), &error);
  if (rows == NULL)
    return dc_ctl_fail (error);
  for (guint i = 0; i < rows->len; i++)
    {
      DcStaffRow *r = &g_array_index (rows, DcStaffRow, i);
      g_print ("%s\t%s\t%s\n", r->name, dc_records_role_label (r->role),
               !r->active ? _("inactive") : r->locked_at != 0 ? _("locked") : _("active"));
    }
  return 0;
}

static int
staff_unlock (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *name = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The locked staff member"), N_("NAME") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) manager = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("staff unlock", NULL, N_("Unlock a staff member after too many wrong PINs."), entries,
                     DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (name == NULL)
    rc = dc_ctl_usage ("%s", _("staff unlock needs --name."));
  else if ((store = dc_ctl_open_store (&common)) != NULL
           && (manager = dc_ctl_sign_in_passphrase (store, &common)) != NULL)
    {
      if (dc_store_unlock_staff (store, manager, name, &error))
        {
          g_print (_("%s is unlocked.\n"), name);
          rc = 0;
        }
      else
        rc = dc_ctl_fail (error);
    }
  dc_ctl_common_clear (&common);
  return rc;
}

static int
staff_passphrase (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *name = NULL;
  gboolean recovery = FALSE;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("Whose passphrase to replace"), N_("NAME") },
    { "recovery", 0, 0, G_OPTION_ARG_NONE, &recovery, N_("Unlock with the recovery key instead of a passphrase"), NULL },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(DcSecret) secret = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("staff passphrase", NULL,
                     N_("Set a new passphrase for a manager or auditor. With --recovery, the acting manager "
                        "unlocks with the recovery key (a forgotten passphrase)."),
                     entries, DC_CTL_STAFF | DC_CTL_PASSPHRASE | DC_CTL_RECOVERY | DC_CTL_NEW_PASSPHRASE,
                     &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (name == NULL)
    {
      rc = dc_ctl_usage ("%s", _("staff passphrase needs --name."));
      goto out;
    }
  store = dc_ctl_open_store (&common);
  if (store == NULL)
    goto out;
  manager = dc_ctl_sign_in_manager (store, &common, recovery);
  if (manager == NULL)
    goto out;
  secret = new_secret (common.new_passphrase_fd, _("New passphrase (10 characters or more): "),
                       _("The same passphrase again: "));
  if (secret == NULL)
    goto out;
  if (!dc_store_set_passphrase (store, manager, name, secret, &error))
    {
      rc = dc_ctl_fail (error);
      goto out;
    }
  g_print (_("The passphrase of %s is replaced; the old one no longer works.\n"), name);
  rc = 0;
out:
  dc_ctl_common_clear (&common);
  return rc;
}

int
dc_ctl_staff (int argc, char **argv)
{
  static const DcCtlSubcommand subcommands[] = {
    { "add", staff_add }, { "list", staff_list }, { "unlock", staff_unlock }, { "passphrase", staff_passphrase },
    { NULL }
  };

  return dc_ctl_dispatch (argc, argv, subcommands, _("Usage: daicho-ctl staff add|list|unlock|passphrase [OPTION…]"));
}

/* ---- terminals ---- */

static int
terminal_add (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *label = NULL, *booth = NULL;
  gboolean filtered = FALSE;
  GOptionEntry entries[] = {
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("The terminal's label, e.g. PC-12"), N_("LABEL") },
    { "booth", 0, 0, G_OPTION_ARG_STRING, &booth, N_("The booth it stands in"), N_("BOOTH") },
    { "filtered", 0, 0, G_OPTION_ARG_NONE, &filtered, N_("Filtering software is installed (may be given to minors)"), NULL },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) manager = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("terminal add", NULL, N_("Add a terminal. Needs a manager's passphrase."), entries,
                     DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (label == NULL)
    rc = dc_ctl_usage ("%s", _("terminal add needs --label."));
  else if ((store = dc_ctl_open_store (&common)) != NULL
           && (manager = dc_ctl_sign_in_passphrase (store, &common)) != NULL)
    {
      if (dc_store_add_terminal (store, manager, label, booth, filtered, NULL, &error))
        {
          g_print (filtered ? _("Added terminal %s (filtered).\n") : _("Added terminal %s.\n"), label);
          rc = 0;
        }
      else
        rc = dc_ctl_fail (error);
    }
  dc_ctl_common_clear (&common);
  return rc;
}

static const char *
terminal_state_text (const DcTerminalRow *t)
{
  if (!t->active)
    return _("retired");
  if (t->out_of_order)
    return _("out of order");
  return t->open_session != 0 ? _("in use") : _("free");
}

static int
terminal_list (int argc, char **argv)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(GArray) rows = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  store = dc_ctl_parse_open ("terminal list",
                             N_("List terminals and whether each is free."),
                             NULL, &argc, &argv, &rc);
  if (store == NULL)
    return rc;
  rows = dc_db_terminal_list (dc_store_db (store), &error);
  if (rows == NULL)
    return dc_ctl_fail (error);
  for (guint i = 0; i < rows->len; i++)
    {
      DcTerminalRow *t = &g_array_index (rows, DcTerminalRow, i);
      g_print ("%s\t%s\t%s\t%s\n", t->label, t->booth != NULL ? t->booth : "-",
               t->filtered ? _("filtered") : "-", terminal_state_text (t));
    }
  return 0;
}

static int
terminal_retire (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *label = NULL;
  GOptionEntry entries[] = {
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("The terminal's label"), N_("LABEL") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) manager = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("terminal retire", NULL,
                     N_("Retire a terminal for good: its records stay, its label is not used again. Needs a "
                        "manager's passphrase."),
                     entries, DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (label == NULL)
    rc = dc_ctl_usage ("%s", _("terminal retire needs --label."));
  else if ((store = dc_ctl_open_store (&common)) != NULL
           && (manager = dc_ctl_sign_in_passphrase (store, &common)) != NULL)
    {
      if (dc_store_retire_terminal (store, manager, label, &error))
        {
          g_print (_("Retired terminal %s.\n"), label);
          rc = 0;
        }
      else
        rc = dc_ctl_fail (error);
    }
  dc_ctl_common_clear (&common);
  return rc;
}

/* "yes" or "no" into 1 or 0; -1 for anything else. */
static gint
yes_no (const char *text)
{
  if (g_strcmp0 (text, "yes") == 0)
    return 1;
  if (g_strcmp0 (text, "no") == 0)
    return 0;
  return -1;
}

static int
terminal_set (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *label = NULL, *booth = NULL, *kind = NULL, *filtered = NULL;
  GOptionEntry entries[] = {
    { "label", 0, 0, G_OPTION_ARG_STRING, &label, N_("The terminal's label"), N_("LABEL") },
    { "booth", 0, 0, G_OPTION_ARG_STRING, &booth, N_("The booth it stands in (\"\" for none)"), N_("BOOTH") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("booth, open_seat, flat or room"), N_("KIND") },
    { "filtered", 0, 0, G_OPTION_ARG_STRING, &filtered, N_("Whether filtering software is installed"), N_("yes|no") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) manager = NULL;
  DcTerminalChange change = { .filtered = -1 };
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("terminal set", NULL,
                     N_("Change a terminal's booth, kind or filtering. Needs a manager's passphrase."), entries,
                     DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  change.booth = booth;
  change.kind = kind;
  change.filtered = yes_no (filtered);
  if (label == NULL || (booth == NULL && kind == NULL && filtered == NULL))
    rc = dc_ctl_usage ("%s", _("terminal set needs --label and at least one of --booth, --kind, --filtered."));
  else if (filtered != NULL && change.filtered < 0)
    rc = dc_ctl_usage ("%s", _("--filtered takes yes or no."));
  else if ((store = dc_ctl_open_store (&common)) != NULL
           && (manager = dc_ctl_sign_in_passphrase (store, &common)) != NULL)
    {
      if (dc_store_change_terminal (store, manager, label, &change, &error))
        {
          g_print (_("Changed terminal %s.\n"), label);
          rc = 0;
        }
      else
        rc = dc_ctl_fail (error);
    }
  dc_ctl_common_clear (&common);
  return rc;
}

int
dc_ctl_terminal (int argc, char **argv)
{
  static const DcCtlSubcommand subcommands[] = {
    { "add", terminal_add }, { "list", terminal_list }, { "retire", terminal_retire }, { "set", terminal_set },
    { NULL }
  };

  return dc_ctl_dispatch (argc, argv, subcommands, _("Usage: daicho-ctl terminal add|list|retire|set [OPTION…]"));
}

/* ---- status ---- */

int
dc_ctl_status (int argc, char **argv)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(GArray) in = NULL;
  g_autoptr(GArray) terminals = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;
  guint free_terminals = 0, active_terminals = 0, minors = 0;
  gint64 now;

  store = dc_ctl_parse_open ("status",
                             N_("Who is in the store now. Shows no personal data and needs no secret."),
                             NULL, &argc, &argv, &rc);
  if (store == NULL)
    return rc;
  in = dc_db_presence_list (dc_store_db (store), &error);
  terminals = in != NULL ? dc_db_terminal_list (dc_store_db (store), &error) : NULL;
  if (terminals == NULL)
    return dc_ctl_fail (error);
  for (guint i = 0; i < terminals->len; i++)
    {
      DcTerminalRow *t = &g_array_index (terminals, DcTerminalRow, i);
      if (t->active && !t->out_of_order && t->open_session == 0)
        free_terminals++;
      active_terminals += t->active ? 1 : 0;
    }
  now = dc_store_now (store);
  g_print ("%s%s\n", dc_store_name (store), dc_store_is_demo (store) ? _(" [DEMO — synthetic data]") : "");
  g_print (_("%u in the store, %u of %u terminals free\n"), in->len, free_terminals, active_terminals);
  for (guint i = 0; i < in->len; i++)
    {
      DcPresenceRow *p = &g_array_index (in, DcPresenceRow, i);
      g_autofree char *since = dc_time_to_display (p->entered_at, dc_store_timezone (store));
      gint64 minutes = (now - p->entered_at) / G_USEC_PER_SEC / 60;

      minors += p->minor ? 1 : 0;
      g_print ("  %-8s %s  %s %s  %" G_GINT64_FORMAT ":%02d%s\n", p->terminal != NULL ? p->terminal : "-",
               p->member_number, _("since"), since, minutes / 60, (int) (minutes % 60),
               p->minor ? _("  [minor]") : "");
    }
  if (minors > 0)
    g_print (_("%u minors in the store\n"), minors);
  return 0;
}

/* ---- verify ---- */

int
dc_ctl_print_report (const DcVerifyReport *report)
{
  g_autofree char *head = dc_hex (report->head_hash, 32);

  for (guint i = 0; i < report->problems->len; i++)
    g_print ("%s %s\n", _("PROBLEM:"), (char *) g_ptr_array_index (report->problems, i));
  g_print (_("%" PRId64 " audit entries, %" PRId64 " records, %" PRId64
             " signed checkpoints (newest at entry %" PRId64 ")\n"),
           report->entries, report->rows, report->checkpoints, report->checkpoint_seq);
  g_print (_("Chain head: entry %" PRId64 ", %s\n"), report->head_seq, head);
  if (report->problems->len > 0)
    {
      g_print (_("NOT INTACT: %u problems found.\n"), report->problems->len);
      return DC_CTL_EXIT_FAILED;
    }
  g_print ("%s\n", _("Intact."));
  return 0;
}

int
dc_ctl_verify (int argc, char **argv)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcVerifyReport) report = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  store = dc_ctl_parse_open ("verify",
                             N_("Walk the audit chain, recompute every record's hash and check every signature. "
                                "Exit 0 when the store is intact; otherwise each problem is named."),
                             NULL, &argc, &argv, &rc);
  if (store == NULL)
    return rc;
  report = dc_audit_verify (store, &error);
  if (report == NULL)
    return dc_ctl_fail (error);
  return dc_ctl_print_report (report);
}

/* ---- show ---- */

/* Pad by display width, not bytes: Japanese labels are two columns a character. */
static void
print_field (const char *label, const char *value)
{
  dc_ctl_print_field (label, 22, value);
}

static void
print_date (const char *label, const GDate *date)
{
  g_autofree char *text = NULL;

  if (!g_date_valid (date))
    return;
  text = dc_date_to_iso (date);
  print_field (label, text);
}

int
dc_ctl_show (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  gint64 visit_id = 0;
  GOptionEntry entries[] = {
    { "visit", 0, 0, G_OPTION_ARG_INT64, &visit_id, N_("The visit to show"), N_("ID") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) actor = NULL;
  g_autoptr(DcIdentityRecord) record = NULL;
  g_autofree char *member = NULL, *entered = NULL, *exited = NULL;
  DcVisitRow visit = { 0 };
  GError *error = NULL;
  gboolean found;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("show", NULL,
                     N_("Show a visit and the identity record it relied on. Needs a manager's or auditor's "
                        "passphrase; the reading is written to the audit chain."),
                     entries, DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (visit_id <= 0)
    {
      rc = dc_ctl_usage ("%s", _("show needs --visit ID."));
      goto out;
    }
  store = dc_ctl_open_store (&common);
  if (store == NULL || (actor = dc_ctl_sign_in_passphrase (store, &common)) == NULL)
    goto out;
  if (!dc_db_visit_get (dc_store_db (store), visit_id, &visit, &found, &error))
    {
      rc = dc_ctl_fail (error);
      goto out;
    }
  if (!found)
    {
      g_printerr ("daicho-ctl: %s\n", _("There is no such visit."));
      goto out;
    }
  record = dc_read_identity (store, actor, visit.verification_id, &error);
  if (record == NULL || !dc_db_customer_member (dc_store_db (store), visit.customer_id, &member, &error))
    {
      rc = dc_ctl_fail (error);
      goto out;
    }
  entered = dc_time_to_iso (visit.entered_at, dc_store_timezone (store));
  exited = visit.exited_at != 0 ? dc_time_to_iso (visit.exited_at, dc_store_timezone (store)) : NULL;
  g_print (_("Visit #%" PRId64 "\n"), visit.id);
  print_field (_("Member number"), member);
  print_field (_("Entered"), entered);
  print_field (_("Left"), exited != NULL ? exited : _("still in"));
  print_field (_("Exit reason"), dc_records_exit_label (visit.exit_reason));
  print_field (_("Minor"), visit.minor ? _("yes") : _("no"));
  {
    const DcIdentity *id = &record->identity;
    const DcDocType *doc = dc_doc_type_lookup (id->doc_type);

    print_field (_("Name"), id->name);
    print_field (_("Kana"), id->kana);
    print_date (_("Date of birth"), &id->dob);
    print_field (_("Address"), id->address);
    print_field (_("Document"), doc != NULL ? _(doc->label) : id->doc_type);
    print_field (_("Document number"), id->doc_number);
    print_date (_("Document expiry"), &id->doc_expiry);
    print_date (_("Document issued"), &id->doc_issued);
    print_field (_("Supplementary document"), id->supplementary_type);
    print_date (_("Supplementary dated"), &id->supplementary_date);
    print_field (_("Nationality"), id->nationality);
    print_field (_("Passport number"), id->passport_number);
  }
  rc = 0;
out:
  dc_visit_row_clear (&visit);
  dc_ctl_common_clear (&common);
  return rc;
}
