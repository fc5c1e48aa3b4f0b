/* ui/cli/dc-ctl-common.c — option parsing, secrets from a descriptor or the terminal, sign-in, error output. */
#include "dc-ctl.h"

#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <unistd.h>

int
dc_ctl_fail (GError *error)
{
  g_printerr ("daicho-ctl: %s\n", error != NULL ? error->message : _("Failed."));
  g_clear_error (&error);
  return DC_CTL_EXIT_FAILED;
}

int
dc_ctl_usage (const char *format, ...)
{
  va_list ap;
  g_autofree char *msg = NULL;

  va_start (ap, format);
  msg = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_printerr ("daicho-ctl: %s\n", msg);
  return DC_CTL_EXIT_USAGE;
}

void
dc_ctl_common_clear (DcCtlCommon *common)
{
  g_clear_pointer (&common->store_dir, g_free);
  g_clear_pointer (&common->staff, g_free);
}

gboolean
dc_ctl_parse (const char *name, const char *params, const char *summary, GOptionEntry *entries,
              DcCtlOptions which, DcCtlCommon *common, int *argc, char ***argv)
{
  GOptionEntry shared[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &common->store_dir,
      N_("Store folder (default: $DAICHO_STORE, else the user's data folder)"), N_("DIR") },
    { "staff", 0, 0, G_OPTION_ARG_STRING, &common->staff, N_("Who is acting (goes into the audit chain)"), N_("NAME") },
    { "passphrase-fd", 0, 0, G_OPTION_ARG_INT, &common->passphrase_fd,
      N_("Read the acting manager's or auditor's passphrase from this file descriptor"), N_("N") },
    { "pin-fd", 0, 0, G_OPTION_ARG_INT, &common->pin_fd, N_("Read the PIN from this file descriptor"), N_("N") },
    { "new-passphrase-fd", 0, 0, G_OPTION_ARG_INT, &common->new_passphrase_fd,
      N_("Read the new passphrase from this file descriptor"), N_("N") },
    { "recovery-fd", 0, 0, G_OPTION_ARG_INT, &common->recovery_fd,
      N_("Read the recovery key from this file descriptor"), N_("N") },
    { NULL }
  };
  GOptionEntry chosen[G_N_ELEMENTS (shared)];
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("daicho-ctl %s", name);
  guint n = 0;

  common->passphrase_fd = common->pin_fd = common->new_passphrase_fd = common->recovery_fd = -1;
  chosen[n++] = shared[0];
  if (which & (DC_CTL_STAFF | DC_CTL_STAFF_OPTIONAL))
    chosen[n++] = shared[1];
  if (which & DC_CTL_PASSPHRASE)
    chosen[n++] = shared[2];
  if (which & DC_CTL_PIN)
    chosen[n++] = shared[3];
  if (which & DC_CTL_NEW_PASSPHRASE)
    chosen[n++] = shared[4];
  if (which & DC_CTL_RECOVERY)
    chosen[n++] = shared[5];
  chosen[n] = shared[G_N_ELEMENTS (shared) - 1];

  g_set_prgname (prgname);
  ctx = g_option_context_new (params);
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_set_summary (ctx, _(summary));
  g_option_context_add_main_entries (ctx, chosen, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      g_printerr ("daicho-ctl %s: %s\n", name, error->message);
      return FALSE;
    }
  if (*argc > 1)
    {
      g_printerr ("daicho-ctl %s: %s “%s”\n", name, _("Unexpected argument"), (*argv)[1]);
      return FALSE;
    }
  /* Only descriptors the caller passed are open yet: later ones are the store's own files. */
  {
    const gint fds[] = { common->passphrase_fd, common->pin_fd, common->new_passphrase_fd, common->recovery_fd };

    for (gsize i = 0; i < G_N_ELEMENTS (fds); i++)
      if (fds[i] >= 0 && fcntl (fds[i], F_GETFD) == -1)
        {
          g_printerr ("daicho-ctl %s: ", name);
          g_printerr (_("File descriptor %d is not open: pass the secret on it, or leave the option out."), fds[i]);
          g_printerr ("\n");
          return FALSE;
        }
  }
  if ((which & DC_CTL_STAFF) && (common->staff == NULL || *common->staff == '\0'))
    {
      g_printerr ("daicho-ctl %s: %s\n", name, _("Say who is acting with --staff NAME."));
      return FALSE;
    }
  return TRUE;
}

char *
dc_ctl_store_dir (DcCtlCommon *common)
{
  return common->store_dir != NULL ? g_strdup (common->store_dir) : dc_store_default_dir ();
}

DcStore *
dc_ctl_open_store (DcCtlCommon *common)
{
  g_autofree char *dir = dc_ctl_store_dir (common);
  GError *error = NULL;
  DcStore *store = dc_store_open (dir, &error);

  if (store == NULL)
    dc_ctl_fail (error);
  return store;
}

char *
dc_ctl_secret (gint fd, const char *prompt)
{
  GError *error = NULL;
  char *secret;

  if (fd >= 0)
    secret = dc_secret_read_fd (fd, &error);
  else
    secret = dc_secret_prompt (prompt, &error);
  if (secret == NULL)
    {
      if (fd < 0 && g_error_matches (error, DC_ERROR, DC_ERROR_IO))
        {
          g_clear_error (&error);
          g_printerr ("daicho-ctl: %s\n", _("No terminal to ask for a secret: pass it with --passphrase-fd or --pin-fd."));
          return NULL;
        }
      dc_ctl_fail (error);
    }
  return secret;
}

DcActor *
dc_ctl_sign_in_pin (DcStore *store, DcCtlCommon *common)
{
  g_autoptr(DcSecret) pin = NULL;
  g_autofree char *prompt = g_strdup_printf (_("PIN for %s: "), common->staff);
  GError *error = NULL;
  DcActor *actor;

  pin = dc_ctl_secret (common->pin_fd, prompt);
  if (pin == NULL)
    return NULL;
  actor = dc_store_sign_in_pin (store, common->staff, pin, &error);
  if (actor == NULL)
    dc_ctl_fail (error);
  return actor;
}

DcActor *
dc_ctl_sign_in_passphrase (DcStore *store, DcCtlCommon *common)
{
  g_autoptr(DcSecret) passphrase = NULL;
  g_autofree char *prompt = g_strdup_printf (_("Passphrase for %s: "), common->staff);
  GError *error = NULL;
  DcActor *actor;

  passphrase = dc_ctl_secret (common->passphrase_fd, prompt);
  if (passphrase == NULL)
    return NULL;
  actor = dc_store_sign_in_passphrase (store, common->staff, passphrase, &error);
  if (actor == NULL)
    dc_ctl_fail (error);
  return actor;
}

DcStore *
dc_ctl_parse_open (const char *name, const char *summary, GOptionEntry *entries, int *argc, char ***argv, int *rc)
{
  DcCtlCommon common = { 0 };
  DcStore *store = NULL;

  if (!dc_ctl_parse (name, NULL, summary, entries, 0, &common, argc, argv))
    *rc = DC_CTL_EXIT_USAGE;
  else if ((store = dc_ctl_open_store (&common)) == NULL)
    *rc = DC_CTL_EXIT_FAILED;
  dc_ctl_common_clear (&common);
  return store;
}

DcActor *
dc_ctl_sign_in_manager (DcStore *store, DcCtlCommon *common, gboolean recovery)
{
  g_autoptr(DcSecret) code = NULL;
  GError *error = NULL;
  DcActor *actor;

  if (!recovery)
    return dc_ctl_sign_in_passphrase (store, common);
  code = dc_ctl_secret (common->recovery_fd, _("Recovery key: "));
  if (code == NULL)
    return NULL;
  actor = dc_store_sign_in_recovery (store, common->staff, code, &error);
  if (actor == NULL)
    dc_ctl_fail (error);
  return actor;
}

int
dc_ctl_dispatch (int argc, char **argv, const DcCtlSubcommand *subcommands, const char *usage)
{
  for (const DcCtlSubcommand *s = subcommands; argc >= 2 && s->name != NULL; s++)
    if (g_str_equal (argv[1], s->name))
      return s->run (argc - 1, argv + 1);
  return dc_ctl_usage ("%s", usage);
}

guint
dc_ctl_display_width (const char *text)
{
  guint used = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    used += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return used;
}

void
dc_ctl_print_field (const char *label, guint width, const char *value)
{
  guint used = dc_ctl_display_width (label);

  if (value == NULL || *value == '\0')
    return;
  g_print ("  %s%*s %s\n", label, used < width ? (int) (width - used) : 0, "", value);
}
