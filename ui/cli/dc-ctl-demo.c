/* ui/cli/dc-ctl-demo.c — daicho-ctl demo: a store full of synthetic history. */
#include "dc-ctl.h"
#include "dc-demo.h"

#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <unistd.h>

static void
demo_progress (guint day, guint days, gpointer user_data)
{
  if (isatty (STDERR_FILENO))
    g_printerr ("\r%s %u/%u", _("Day"), day, days);
}

int
dc_ctl_demo (int argc, char **argv)
{
  DcCtlCommon common = { 0 };
  gint days = 30, per_day = 300, seed = 1, terminals = 0;
  GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, N_("Days of history (default 30)"), N_("N") },
    { "visits-per-day", 0, 0, G_OPTION_ARG_INT, &per_day, N_("Visits a day (default 300)"), N_("M") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_("Random seed (default 1)"), N_("S") },
    { "terminals", 0, 0, G_OPTION_ARG_INT, &terminals, N_("Number of terminals (default 60, more for over 200 visits a day)"), N_("N") },
    { NULL }
  };
  g_autoptr(DcStore) store = NULL;
  g_autofree char *dir = NULL;
  DcDemoOptions options = { 0 };
  DcDemoStats stats = { 0 };
  GError *error = NULL;
  gint64 start;

  if (!dc_ctl_parse ("demo", NULL,
                     N_("Create a demo store full of synthetic customers and visits, made through the same "
                        "check-in code as real ones. Manager passphrase “demo-passphrase”, every PIN 0000."),
                     entries, 0, &common, &argc, &argv))
    return DC_CTL_EXIT_USAGE;
  dir = dc_ctl_store_dir (&common);
  dc_ctl_common_clear (&common);
  if (days < 1 || days > 3650 || per_day < 1 || per_day > 5000 || terminals < 0 || terminals > 1000)
    return dc_ctl_usage ("%s", _("demo: --days 1–3650, --visits-per-day 1–5000, --terminals up to 1000."));

  options.days = (guint) days;
  options.visits_per_day = (guint) per_day;
  options.seed = (guint32) seed;
  options.terminals = (guint) terminals;
  options.progress = demo_progress;
  start = g_get_monotonic_time ();
  store = dc_demo_create (dir, &options, &stats, &error);
  if (isatty (STDERR_FILENO))
    g_printerr ("\n");
  if (store == NULL)
    return dc_ctl_fail (error);
  g_print (_("Demo store created in %s in %.1f s: %" PRIu64 " visits, %" PRIu64
             " new customers, %" PRIu64 " returning with a document, %" PRIu64
             " with a member card, %" PRIu64 " seat changes, %" PRIu64 " visits by minors; %"
             PRIu64 " turned away (store full, curfew, invalid document).\n"),
           dir, (g_get_monotonic_time () - start) / 1e6, stats.visits, stats.new_customers,
           stats.returning_by_document, stats.returning_by_card, stats.seat_changes, stats.minors, stats.refused);
  return 0;
}
