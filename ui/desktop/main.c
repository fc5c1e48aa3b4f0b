/* ui/desktop/main.c — daicho, the counter app: locale, secrets hygiene, then the GApplication. */
#include "dc-application.h"
#include "dc-vault.h"

#include <glib/gi18n.h>
#include <locale.h>

int
main (int argc, char **argv)
{
  const char *localedir = g_getenv ("DAICHO_LOCALEDIR");
  g_autoptr(DcApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  dc_application_choose_renderer ();

  dc_secret_disable_core_dumps ();
  if (!dc_crypto_init ())
    return 1;
  app = dc_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
