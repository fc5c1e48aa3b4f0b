/* ui/cli/dc-ctl-visit.c — daicho-ctl counter commands: checkin, checkout, move. */
#include "dc-ctl.h"
#include "dc-card.h"
#include "dc-checkin.h"
#include "dc-date.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

static gboolean
parse_date_option (const char *option, const char *text, GDate *out)
{
  g_autoptr(GError) error = NULL;

  if (text == NULL)
    return TRUE;
  if (dc_date_parse (text, out, &error))
    return TRUE;
  g_printerr ("daicho-ctl: %s: %s\n", option, error->message);
  return FALSE;
}

typedef struct {
  char *terminal, *doc, *doc_number, *name, *kana, *dob, *address, *expiry, *issued, *supplementary,
       *nationality, *passport, *member, *card;
  gboolean no_internet;
} CheckinArgs;

static void
checkin_args_clear (CheckinArgs *a)
{
  char **fields[] = { &a->terminal, &a->doc, &a->doc_number, &a->name, &a->kana, &a->dob, &a->address,
                      &a->expiry, &a->issued, &a->supplementary, &a->nationality, &a->passport, &a->member,
                      &a->card };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    g_clear_pointer (fields[i], g_free);
}

/* TYPE:DATE → type and date; the date part goes through the one date parser. */
static gboolean
parse_supplementary (const char *text, char **type, GDate *date)
{
  const char *colon = text != NULL ? strchr (text, ':') : NULL;

  if (colon == NULL || colon == text)
    {
      g_printerr ("daicho-ctl: %s\n", _("--supplementary takes TYPE:DATE, e.g. utility_bill:2026-10-01."));
      return FALSE;
    }
  *type = g_strndup (text, colon - text);
  return parse_date_option ("--supplementary", colon + 1, date);
}

static gboolean
build_identity (CheckinArgs *a, DcIdentity *id, char **supp_type)
{
  dc_identity_init (id);
  id->doc_type = a->doc;
  id->doc_number = a->doc_number;
  id->name = a->name;
  id->kana = a->kana;
  id->address = a->address;
  id->nationality = a->nationality;
  id->passport_number = a->passport;
  id->non_resident = a->nationality != NULL && a->address == NULL;
  if (a->dob == NULL)
    {
      g_printerr ("daicho-ctl: %s\n", _("Give the date of birth with --dob."));
      return FALSE;
    }
  if (!parse_date_option ("--dob", a->dob, &id->dob) || !parse_date_option ("--doc-expiry", a->expiry, &id->doc_expiry)
      || !parse_date_option ("--doc-issued", a->issued, &id->doc_issued))
    return FALSE;
  if (a->supplementary != NULL)
    {
      if (!parse_supplementary (a->supplementary, supp_type, &id->supplementary_date))
        return FALSE;
      id->address_differs = TRUE;
      id->supplementary_type = *supp_type;
    }
  return TRUE;
}

static int
checkin_run (DcCtlCommon *common, CheckinArgs *a)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) actor = NULL;
  g_autofree char *supp_type = NULL;
  DcCheckinRequest req = { .terminal = a->terminal, .internet = !a->no_internet };
  DcCheckinResult result = { 0 };
  GError *error = NULL;
  gboolean ok;

  if (a->terminal == NULL)
    return dc_ctl_usage ("%s", _("checkin needs --terminal."));
  if (a->member == NULL && a->card == NULL && a->doc == NULL)
    return dc_ctl_usage ("%s", _("checkin needs --doc (an identity document), --member or --card."));
  if (a->member == NULL && a->card == NULL && !build_identity (a, &req.identity, &supp_type))
    return DC_CTL_EXIT_FAILED;

  store = dc_ctl_open_store (common);
  if (store == NULL || (actor = dc_ctl_sign_in_pin (store, common)) == NULL)
    return DC_CTL_EXIT_FAILED;
  if (a->card != NULL)
    ok = dc_checkin_card (store, actor, a->card, a->terminal, &result, &error);
  else if (a->member != NULL)
    ok = dc_checkin_member (store, actor, a->member, a->terminal, &result, &error);
  else
    ok = dc_checkin (store, actor, &req, &result, &error);
  if (!ok)
    return dc_ctl_fail (error);

  g_print (_("Checked in: visit %" PRId64 ", member %s, terminal %s%s%s\n"), result.visit_id,
           result.member_number, a->terminal, result.new_customer ? _(" (new member)") : "",
           result.minor ? _(" [minor]") : "");
  dc_checkin_result_clear (&result);
  return 0;
}

int
dc_ctl_checkin (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  CheckinArgs a = { 0 };
  GOptionEntry entries[] = {
    { "terminal", 0, 0, G_OPTION_ARG_STRING, &a.terminal, N_("The terminal to give"), N_("LABEL") },
    { "doc", 0, 0, G_OPTION_ARG_STRING, &a.doc, N_("Identity document type, e.g. drivers_license"), N_("TYPE") },
    { "doc-number", 0, 0, G_OPTION_ARG_STRING, &a.doc_number,
      N_("The document's number (never for My Number or health insurance documents)"), N_("N") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &a.name, N_("Name as on the document"), N_("NAME") },
    { "kana", 0, 0, G_OPTION_ARG_STRING, &a.kana, N_("Name in kana"), N_("KANA") },
    { "dob", 0, 0, G_OPTION_ARG_STRING, &a.dob, N_("Date of birth (1990-04-01, H2.4.1, 平成2年4月1日 …)"), N_("DATE") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &a.address, N_("Current address"), N_("TEXT") },
    { "doc-expiry", 0, 0, G_OPTION_ARG_STRING, &a.expiry, N_("The document's expiry date"), N_("DATE") },
    { "doc-issued", 0, 0, G_OPTION_ARG_STRING, &a.issued, N_("The document's issue date"), N_("DATE") },
    { "supplementary", 0, 0, G_OPTION_ARG_STRING, &a.supplementary,
      N_("Supplementary document when the address differs from the document"), N_("TYPE:DATE") },
    { "nationality", 0, 0, G_OPTION_ARG_STRING, &a.nationality, N_("Nationality (visitors without an address in Japan)"),
      N_("COUNTRY") },
    { "passport", 0, 0, G_OPTION_ARG_STRING, &a.passport, N_("Passport number (visitors without an address in Japan)"),
      N_("N") },
    { "member", 0, 0, G_OPTION_ARG_STRING, &a.member, N_("Check a member in on their existing verification"),
      N_("NUMBER") },
    { "card", 0, 0, G_OPTION_ARG_STRING, &a.card, N_("Check a member in from what their card's QR code holds"),
      N_("PAYLOAD") },
    { "no-internet", 0, 0, G_OPTION_ARG_NONE, &a.no_internet, N_("The customer does not use the internet"), NULL },
    { NULL }
  };
  int rc = DC_CTL_EXIT_USAGE;

  if (dc_ctl_parse ("checkin", NULL,
                    N_("Check a customer in from an identity document (or a member by number). Needs the acting "
                       "staff member's PIN."),
                    entries, DC_CTL_STAFF | DC_CTL_PIN, &common, &argc, &argv))
    rc = checkin_run (&common, &a);
  checkin_args_clear (&a);
  dc_ctl_common_clear (&common);
  return rc;
}

int
dc_ctl_checkout (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *terminal = NULL, *reason_code = NULL;
  gint64 visit = 0;
  GOptionEntry entries[] = {
    { "terminal", 0, 0, G_OPTION_ARG_STRING, &terminal, N_("The terminal of the customer leaving"), N_("LABEL") },
    { "visit", 0, 0, G_OPTION_ARG_INT64, &visit, N_("The visit to end"), N_("ID") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason_code, N_("staff (default), customer or curfew"), N_("REASON") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) actor = NULL;
  DcExitReason reason = DC_EXIT_STAFF;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("checkout", NULL, N_("Check a customer out. Needs the acting staff member's PIN."), entries,
                     DC_CTL_STAFF | DC_CTL_PIN, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if ((terminal == NULL) == (visit <= 0))
    rc = dc_ctl_usage ("%s", _("checkout needs either --terminal or --visit."));
  else if (reason_code != NULL && !dc_exit_reason_parse (reason_code, &reason))
    rc = dc_ctl_usage (_("Unknown exit reason “%s”: use staff, customer or curfew."), reason_code);
  else if ((store = dc_ctl_open_store (&common)) != NULL && (actor = dc_ctl_sign_in_pin (store, &common)) != NULL)
    {
      if (dc_checkout (store, actor, terminal, visit, reason, &error))
        {
          if (terminal != NULL)
            g_print (_("Checked out from %s.\n"), terminal);
          else
            g_print (_("Checked out: visit %" PRId64 ".\n"), visit);
          rc = 0;
        }
      else
        rc = dc_ctl_fail (error);
    }
  dc_ctl_common_clear (&common);
  return rc;
}

int
dc_ctl_move (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *from = NULL, *to = NULL;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("The customer's terminal now"), N_("LABEL") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The free terminal to move to"), N_("LABEL") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) actor = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse ("move", NULL, N_("Move a customer to another terminal. Needs the acting staff member's PIN."),
                     entries, DC_CTL_STAFF | DC_CTL_PIN, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (from == NULL || to == NULL)
    rc = dc_ctl_usage ("%s", _("move needs --from and --to."));
  else if ((store = dc_ctl_open_store (&common)) != NULL && (actor = dc_ctl_sign_in_pin (store, &common)) != NULL)
    {
      if (dc_move (store, actor, from, to, &error))
        {
          g_print (_("Moved from %s to %s.\n"), from, to);
          rc = 0;
        }
      else
        rc = dc_ctl_fail (error);
    }
  dc_ctl_common_clear (&common);
  return rc;
}
