/* ui/cli/dc-ctl-member.c — daicho-ctl member cards: print one, reissue, report lost, revoke. */
#include "dc-ctl.h"
#include "dc-card.h"
#include "dc-card-pdf.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>

/* member card: the current card as a PDF (and its payload on stdout, for scripts). */
static int
member_card (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *member = NULL, *out = NULL, *payload = NULL;
  GOptionEntry entries[] = {
    { "member", 0, 0, G_OPTION_ARG_STRING, &member, N_("The member number"), N_("NUMBER") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("Write the card here as a PDF (85.6 × 54 mm)"), N_("FILE") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) actor = NULL;
  GError *error = NULL;
  gint64 generation = 0;

  if (!dc_ctl_parse ("member card", NULL,
                     N_("Print a member's current card and show what its QR code holds. A member registered "
                        "before cards existed gets their first card. Needs the acting staff member's PIN."),
                     entries, DC_CTL_STAFF | DC_CTL_PIN, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (member == NULL)
    {
      dc_ctl_common_clear (&common);
      return dc_ctl_usage ("%s", _("member card needs --member."));
    }
  store = dc_ctl_open_store (&common);
  if (store == NULL || (actor = dc_ctl_sign_in_pin (store, &common)) == NULL)
    {
      dc_ctl_common_clear (&common);
      return DC_CTL_EXIT_FAILED;
    }
  dc_ctl_common_clear (&common);
  if (!dc_card_current (store, actor, member, &payload, &generation, &error))
    return dc_ctl_fail (error);
  if (out != NULL)
    {
      g_auto(GStrv) fields = g_strsplit (payload, ":", -1);
      DcCardFace face = { .store_name = dc_store_name (store), .member_number = fields[4], .payload = payload };

      if (!dc_card_pdf_write (&face, out, &error))
        return dc_ctl_fail (error);
      g_printerr (_("Card %" PRId64 " of member %s written to %s.\n"), generation, fields[4], out);
    }
  g_print ("%s\n", payload);
  return 0;
}

typedef enum {
  CHANGE_REISSUE,
  CHANGE_LOST,
  CHANGE_REVOKE,
} CardChange;

static gboolean
apply_change (DcStore *store, DcActor *manager, const char *member, CardChange change, GError **error)
{
  gboolean ok = FALSE;

  switch (change)
    {
    case CHANGE_REISSUE:
      ok = dc_card_reissue (store, manager, member, NULL, error);
      if (ok)
        g_print (_("Member %s has a new card: print it with daicho-ctl member card.\n"), member);
      break;
    case CHANGE_LOST:
      ok = dc_card_report_lost (store, manager, member, error);
      if (ok)
        g_print (_("The card of member %s no longer works.\n"), member);
      break;
    case CHANGE_REVOKE:
      ok = dc_card_revoke (store, manager, member, error);
      if (ok)
        g_print (_("The card of member %s is revoked.\n"), member);
      break;
    default:
      g_assert_not_reached ();
    }
  return ok;
}

/* The manager commands share everything but the call and the sentence printed. */
static int
member_change (int argc, char **argv, const char *name, const char *summary, CardChange change)
{
  DcCtlCommon common = { 0 };
  g_autofree char *member = NULL;
  GOptionEntry entries[] = {
    { "member", 0, 0, G_OPTION_ARG_STRING, &member, N_("The member number"), N_("NUMBER") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) actor = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  if (!dc_ctl_parse (name, NULL, summary, entries, DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  if (member == NULL)
    rc = dc_ctl_usage (_("%s needs --member."), name);
  else if ((store = dc_ctl_open_store (&common)) != NULL
           && (actor = dc_ctl_sign_in_passphrase (store, &common)) != NULL)
    rc = apply_change (store, actor, member, change, &error) ? 0 : dc_ctl_fail (error);
  dc_ctl_common_clear (&common);
  return rc;
}

static int
member_reissue (int argc, char **argv)
{
  return member_change (argc, argv, "member reissue",
                        N_("Issue a new card to a member: the old card stops working. Needs a manager's passphrase."),
                        CHANGE_REISSUE);
}

static int
member_lost (int argc, char **argv)
{
  return member_change (argc, argv, "member lost",
                        N_("Report a member's card lost: it stops working until a manager reissues it. Needs a "
                           "manager's passphrase."),
                        CHANGE_LOST);
}

static int
member_revoke (int argc, char **argv)
{
  return member_change (argc, argv, "member revoke",
                        N_("Revoke a member's card: it stops working. Needs a manager's passphrase."), CHANGE_REVOKE);
}

int
dc_ctl_member (int argc, char **argv)
{
  static const DcCtlSubcommand subcommands[] = {
    { "card", member_card }, { "reissue", member_reissue }, { "lost", member_lost }, { "revoke", member_revoke },
    { NULL }
  };

  return dc_ctl_dispatch (argc, argv, subcommands, _("Usage: daicho-ctl member card|reissue|lost|revoke [OPTION…]"));
}
