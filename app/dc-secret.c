/* app/dc-secret.c — reading passphrases and PINs from people into memory that is wiped. */
#include "dc-vault.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

gpointer
dc_secure_alloc (gsize size)
{
  gpointer mem;

  /* sodium_malloc needs the library's page size, which sodium_init sets: cheap once done */
  if (sodium_init () < 0)
    g_error ("sodium_init failed");
  mem = sodium_malloc (size);

  if (mem == NULL)
    g_error ("sodium_malloc: cannot allocate %" G_GSIZE_FORMAT " bytes", size);
  return mem;
}

char *
dc_secret_dup (const char *text)
{
  gsize len;
  char *copy;

  if (text == NULL)
    return NULL;
  len = strlen (text);
  copy = dc_secure_alloc (len + 1);
  memcpy (copy, text, len + 1);
  return copy;
}

void
dc_secret_free (char *secret)
{
  /* sodium_free wipes before unmapping and accepts NULL. */
  sodium_free (secret);
}

/* One byte at a time: a buffered read would leave the rest of the pipe's data (perhaps
 * another secret) in a user-space buffer nobody wipes. */
static gssize
read_byte (int fd, char *c)
{
  gssize n;

  do
    n = read (fd, c, 1);
  while (n < 0 && errno == EINTR);
  return n;
}

static void
set_too_long (GError **error)
{
  g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
               _("The secret is too long: at most %d bytes are read."), DC_SECRET_MAX_BYTES);
}

char *
dc_secret_read_fd (int fd, GError **error)
{
  /* Room for the longest line, a '\r' before its '\n', and the NUL. */
  g_autoptr(DcSecret) line = dc_secure_alloc (DC_SECRET_MAX_BYTES + 2);
  gsize len = 0;
  gboolean newline = FALSE;

  for (;;)
    {
      char c;
      gssize n = read_byte (fd, &c);

      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, DC_ERROR, DC_ERROR_IO, _("The secret could not be read: %s."),
                       g_strerror (saved));
          return NULL;
        }
      if (n == 0)
        break;
      if (c == '\n')
        {
          newline = TRUE;
          break;
        }
      if (len == DC_SECRET_MAX_BYTES + 1)
        {
          set_too_long (error);
          return NULL;
        }
      line[len++] = c;
    }

  if (len == 0 && !newline)
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_INVALID, _("No secret was given."));
      return NULL;
    }
  if (newline && len > 0 && line[len - 1] == '\r')
    len--;
  if (len > DC_SECRET_MAX_BYTES)
    {
      set_too_long (error);
      return NULL;
    }
  line[len] = '\0';
  return g_steal_pointer (&line);
}

static gboolean
tty_echo (int fd, const struct termios *mode, GError **error)
{
  if (tcsetattr (fd, TCSAFLUSH, mode) == 0)
    return TRUE;
  g_set_error (error, DC_ERROR, DC_ERROR_IO, _("The terminal could not be set up: %s."),
               g_strerror (errno));
  return FALSE;
}

static void
tty_write (int fd, const char *text)
{
  gsize len = strlen (text);

  while (len > 0)
    {
      gssize n = write (fd, text, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      text += n;
      len -= n;
    }
}

static char *
prompt_on (int fd, const char *prompt, GError **error)
{
  struct termios saved, quiet;
  char *secret;

  if (tcgetattr (fd, &saved) != 0)
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_IO, _("There is no terminal to ask on."));
      return NULL;
    }
  quiet = saved;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  if (!tty_echo (fd, &quiet, error))
    return NULL;

  tty_write (fd, prompt);
  secret = dc_secret_read_fd (fd, error);
  /* Echo comes back on every path; the error of reading matters more than this one. */
  tty_echo (fd, &saved, NULL);
  tty_write (fd, "\n");
  return secret;
}

char *
dc_secret_prompt (const char *prompt, GError **error)
{
  int fd = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  char *secret;

  if (fd < 0)
    {
      g_set_error_literal (error, DC_ERROR, DC_ERROR_IO, _("There is no terminal to ask on."));
      return NULL;
    }
  secret = prompt_on (fd, prompt, error);
  close (fd);
  return secret;
}

void
dc_secret_disable_core_dumps (void)
{
  struct rlimit none = { 0, 0 };

  /* Best effort: neither call fails for an ordinary process with these arguments. */
  setrlimit (RLIMIT_CORE, &none);
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);
}
