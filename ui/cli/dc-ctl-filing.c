/* ui/cli/dc-ctl-filing.c — daicho-ctl commands for what the store owes the police: filing (変更届) and selfcheck (§1.5 measures). */
#include "dc-ctl.h"
#include "dc-date.h"
#include "dc-filing.h"
#include "dc-filing-report.h"
#include "dc-time.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

/* ---- filing ---- */

static void
print_filing (DcStore *store, const DcFiling *f)
{
  GTimeZone *tz = dc_store_timezone (store);
  g_autofree char *at = dc_time_to_display (f->at, tz);
  g_autofree char *due = NULL;
  GDate day;

  dc_filing_due_day (store, f->due, &day);
  due = dc_date_to_iso (&day);
  if (f->filed_at != 0)
    g_print (_("Filing %" PRId64 " (filed): %s\n"), f->id, dc_filing_kind_label (f->kind));
  else if (dc_store_now (store) > f->due)
    g_print (_("Filing %" PRId64 " (OVERDUE: was due %s): %s\n"), f->id, due, dc_filing_kind_label (f->kind));
  else
    g_print (_("Filing %" PRId64 " (due %s): %s\n"), f->id, due, dc_filing_kind_label (f->kind));
  g_print ("  %s\n", f->what);
  g_print ("  %s %s, %s\n", _("changed"), at, f->recorded_by != NULL ? f->recorded_by : _("at set-up"));
  if (f->filed_at != 0)
    {
      g_autofree char *filed = dc_time_to_display (f->filed_at, tz);

      g_print ("  %s %s, %s: %s\n", _("filed"), filed, f->filed_by != NULL ? f->filed_by : "-",
               f->filed_note != NULL ? f->filed_note : "");
    }
}

static int
filing_list (int argc, char **argv)
{
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Filed ones too"), NULL },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(GArray) filings = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  store = dc_ctl_parse_open ("filing list",
                             N_("List the changes that must be notified to the police (変更届) within 10 days: "
                                "pending ones first, by due date. No secret is needed."),
                             entries, &argc, &argv, &rc);
  if (store == NULL)
    return rc;
  filings = dc_filing_list (store, !all, &error);
  if (filings == NULL)
    return dc_ctl_fail (error);
  if (filings->len == 0)
    g_print ("%s\n", all ? _("No change has been recorded.") : _("No notification is pending."));
  for (guint i = 0; i < filings->len; i++)
    print_filing (store, &g_array_index (filings, DcFiling, i));
  return 0;
}

static int
filing_filed_run (DcCtlCommon *common, gint64 id, gboolean all, const char *note)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) manager = NULL;
  GError *error = NULL;
  guint n = 0;

  if ((id > 0) == all)
    return dc_ctl_usage ("%s", _("filing filed needs --filing ID or --all."));
  if (note == NULL || *note == '\0')
    return dc_ctl_usage ("%s", _("filing filed needs --note: where and when the notification was handed in."));
  store = dc_ctl_open_store (common);
  if (store == NULL || (manager = dc_ctl_sign_in_passphrase (store, common)) == NULL)
    return DC_CTL_EXIT_FAILED;
  if (all ? !dc_filing_mark_all_filed (store, manager, note, &n, &error)
          : !dc_filing_mark_filed (store, manager, id, note, &error))
    return dc_ctl_fail (error);
  if (all)
    g_print (g_dngettext (GETTEXT_PACKAGE, "%u notification marked filed.\n", "%u notifications marked filed.\n", n),
             n);
  else
    g_print (_("Filing %" PRId64 " marked filed.\n"), id);
  return 0;
}

static int
filing_filed (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  gint64 id = 0;
  gboolean all = FALSE;
  g_autofree char *note = NULL;
  GOptionEntry entries[] = {
    { "filing", 0, 0, G_OPTION_ARG_INT64, &id, N_("The filing handed in"), N_("ID") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Every pending filing (one notification covered them all)"), NULL },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note,
      N_("Where and when it was handed in, the receipt number (required)"), N_("TEXT") },
    { NULL }
  };
  int rc = DC_CTL_EXIT_USAGE;

  if (dc_ctl_parse ("filing filed", NULL,
                    N_("Mark a change notified to the police: the reminder stops. Needs a manager's passphrase."),
                    entries, DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    rc = filing_filed_run (&common, id, all, note);
  dc_ctl_common_clear (&common);
  return rc;
}

static int
filing_print (int argc, char **argv)
{
  g_autofree char *out = NULL;
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out, N_("The PDF file to write"), N_("FILE") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Filed changes too"), NULL },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  store = dc_ctl_parse_open ("filing print",
                             N_("Write the summary of changes to notify (PDF, Japanese): what changed, when, the "
                                "due date, and the latest self-inspection. No secret is needed."),
                             entries, &argc, &argv, &rc);
  if (store == NULL)
    return rc;
  if (out == NULL || *out == '\0')
    return dc_ctl_usage ("%s", _("filing print needs --out FILE.pdf."));
  if (!dc_filing_report_write (store, all, out, &error))
    return dc_ctl_fail (error);
  g_print (_("Summary written: %s\n"), out);
  return 0;
}

static int
filing_notification_run (DcCtlCommon *common, const char *set, gboolean clear)
{
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) manager = NULL;
  g_autofree char *text = NULL;
  GError *error = NULL;

  if (set != NULL && clear)
    return dc_ctl_usage ("%s", _("filing notification takes --set TEXT or --clear, not both."));
  if ((set != NULL || clear) && (common->staff == NULL || *common->staff == '\0'))
    return dc_ctl_usage ("%s", _("Say who is acting with --staff NAME."));
  store = dc_ctl_open_store (common);
  if (store == NULL)
    return DC_CTL_EXIT_FAILED;
  if (set != NULL || clear)
    {
      if ((manager = dc_ctl_sign_in_passphrase (store, common)) == NULL)
        return DC_CTL_EXIT_FAILED;
      if (!dc_filing_set_notification (store, manager, clear ? NULL : set, &error))
        return dc_ctl_fail (error);
    }
  if (!dc_filing_get_notification (store, &text, &error))
    return dc_ctl_fail (error);
  g_print ("%s\n", text != NULL ? text : _("No notification details are on file."));
  return 0;
}

static int
filing_notification (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  g_autofree char *set = NULL;
  gboolean clear = FALSE;
  GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING, &set,
      N_("The notification as filed: police station, date, receipt number"), N_("TEXT") },
    { "clear", 0, 0, G_OPTION_ARG_NONE, &clear, N_("Remove the details on file"), NULL },
    { NULL }
  };
  int rc = DC_CTL_EXIT_USAGE;

  if (dc_ctl_parse ("filing notification", NULL,
                    N_("Show the store's notification (届出) on file, which the inspection report prints; "
                       "--set or --clear need a manager's passphrase."),
                    entries, DC_CTL_STAFF_OPTIONAL | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    rc = filing_notification_run (&common, set, clear);
  dc_ctl_common_clear (&common);
  return rc;
}

int
dc_ctl_filing (int argc, char **argv)
{
  static const DcCtlSubcommand subcommands[] = {
    { "list", filing_list }, { "filed", filing_filed }, { "print", filing_print },
    { "notification", filing_notification }, { NULL }
  };

  return dc_ctl_dispatch (argc, argv, subcommands,
                          _("Usage: daicho-ctl filing list|filed|print|notification [OPTION…]"));
}

/* ---- selfcheck ---- */

/* Each item named once in --yes or --no ("all" in --yes: every item not in --no). FALSE
 * after saying what is wrong. */
static gboolean
read_answers (char **yes, char **no, gboolean ok[DC_CHECK_N_ITEMS])
{
  gboolean seen[DC_CHECK_N_ITEMS] = { FALSE };
  gboolean all_yes = FALSE;
  g_autoptr(GString) missing = g_string_new (NULL);

  for (guint pass = 0; pass < 2; pass++)
    for (char **p = pass == 0 ? no : yes; p != NULL && *p != NULL; p++)
      {
        gint item = dc_check_item_from_id (*p);

        if (pass == 1 && g_str_equal (*p, "all"))
          {
            all_yes = TRUE;
            continue;
          }
        if (item < 0 || seen[item])
          {
            g_printerr ("daicho-ctl: %s\n", item < 0 ? _("Unknown item (see selfcheck items).")
                                                     : _("An item is given twice."));
            return FALSE;
          }
        seen[item] = TRUE;
        ok[item] = pass == 1;
      }
  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    if (!seen[i] && all_yes)
      ok[i] = TRUE;
    else if (!seen[i])
      g_string_append_printf (missing, " %s", dc_check_item_id (i));
  if (missing->len == 0)
    return TRUE;
  g_printerr ("daicho-ctl: %s%s\n", _("Answer every item with --yes or --no; missing:"), missing->str);
  return FALSE;
}

/* --item-note ITEM=TEXT into @notes; FALSE after saying what is wrong. */
static gboolean
read_notes (char **item_notes, char *notes[DC_CHECK_N_ITEMS])
{
  for (char **p = item_notes; p != NULL && *p != NULL; p++)
    {
      const char *eq = strchr (*p, '=');
      g_autofree char *id = eq != NULL ? g_strndup (*p, (gsize) (eq - *p)) : NULL;
      gint item = dc_check_item_from_id (id);

      if (item < 0)
        {
          g_printerr ("daicho-ctl: --item-note: %s\n", _("Write ITEM=TEXT with a known item."));
          return FALSE;
        }
      g_free (notes[item]);
      notes[item] = g_strdup (eq + 1);
    }
  return TRUE;
}

typedef struct {
  char **yes, **no, **item_notes;
  char  *note;
} CheckArgs;

static int
selfcheck_add_run (DcCtlCommon *common, CheckArgs *a)
{
  gboolean ok[DC_CHECK_N_ITEMS] = { FALSE };
  char *notes[DC_CHECK_N_ITEMS] = { NULL };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) manager = NULL;
  GError *error = NULL;
  gint64 id = 0;
  int rc = DC_CTL_EXIT_USAGE;

  if (!read_answers (a->yes, a->no, ok) || !read_notes (a->item_notes, notes))
    goto out;
  rc = DC_CTL_EXIT_FAILED;
  store = dc_ctl_open_store (common);
  if (store == NULL || (manager = dc_ctl_sign_in_passphrase (store, common)) == NULL)
    goto out;
  if (!dc_self_check_add (store, manager, ok, (const char *const *) notes, a->note, &id, &error))
    {
      rc = dc_ctl_fail (error);
      goto out;
    }
  g_print (_("Self-inspection %" PRId64 " recorded.\n"), id);
  rc = 0;
out:
  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    g_free (notes[i]);
  return rc;
}

static int
selfcheck_add (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  CheckArgs a = { 0 };
  GOptionEntry entries[] = {
    { "yes", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.yes, N_("An item in place (may be repeated; all: every other item)"),
      N_("ITEM") },
    { "no", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.no, N_("An item not in place (may be repeated)"), N_("ITEM") },
    { "item-note", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.item_notes, N_("A note on one item"), N_("ITEM=TEXT") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &a.note, N_("A note on the whole inspection"), N_("TEXT") },
    { NULL }
  };
  int rc = DC_CTL_EXIT_USAGE;

  if (dc_ctl_parse ("selfcheck add", NULL,
                    N_("Record a self-inspection of the anti-misuse measures: answer every item (selfcheck items) "
                       "with --yes or --no. Needs a manager's passphrase."),
                    entries, DC_CTL_STAFF | DC_CTL_PASSPHRASE, &common, &argc, &argv))
    rc = selfcheck_add_run (&common, &a);
  g_strfreev (a.yes);
  g_strfreev (a.no);
  g_strfreev (a.item_notes);
  g_free (a.note);
  dc_ctl_common_clear (&common);
  return rc;
}

static void
print_check (DcStore *store, const DcSelfCheck *c)
{
  g_autofree char *at = dc_time_to_display (c->at, dc_store_timezone (store));

  g_print (_("Self-inspection %" PRId64 ", %s, by %s\n"), c->id, at, c->by);
  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    {
      const DcCheckAnswer *a = &c->items[i];

      g_print ("  [%s] %s", !a->answered ? "?" : a->ok ? _("yes") : _("NO"), dc_check_item_label (i));
      if (a->note != NULL)
        g_print (" — %s", a->note);
      g_print ("\n");
    }
  if (c->note != NULL)
    g_print ("  %s %s\n", _("note:"), c->note);
}

static int
selfcheck_show (int argc, char **argv)
{
  gboolean all = FALSE;
  GOptionEntry entries[] = {
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("Every self-inspection, newest first"), NULL },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(GArray) checks = NULL;
  GError *error = NULL;
  int rc = DC_CTL_EXIT_FAILED;

  store = dc_ctl_parse_open ("selfcheck show",
                             N_("Show the latest self-inspection of the anti-misuse measures. No secret is needed."),
                             entries, &argc, &argv, &rc);
  if (store == NULL)
    return rc;
  checks = dc_self_check_list (store, all ? 0 : 1, &error);
  if (checks == NULL)
    return dc_ctl_fail (error);
  if (checks->len == 0)
    g_print ("%s\n", _("No self-inspection has been recorded."));
  for (guint i = 0; i < checks->len; i++)
    print_check (store, &g_array_index (checks, DcSelfCheck, i));
  return 0;
}

static int
selfcheck_items (int argc, char **argv)
{
  for (guint i = 0; i < DC_CHECK_N_ITEMS; i++)
    g_print ("%-18s %s\n", dc_check_item_id (i), dc_check_item_label (i));
  return 0;
}

int
dc_ctl_selfcheck (int argc, char **argv)
{
  static const DcCtlSubcommand subcommands[] = {
    { "add", selfcheck_add }, { "show", selfcheck_show }, { "items", selfcheck_items }, { NULL }
  };

  return dc_ctl_dispatch (argc, argv, subcommands, _("Usage: daicho-ctl selfcheck add|show|items [OPTION…]"));
}
