/* app/dc-file.c — writing files that must be on disk when we say so: full writes, syncs, private folders. */
#include "dc-file.h"
#include "dc-error.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <unistd.h>

void
dc_file_set_error (GError **error, int err, const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DC_ERROR, err == ENOENT ? DC_ERROR_NOT_FOUND : DC_ERROR_IO, "%s: %s", what, g_strerror (err));
}

gboolean
dc_file_write_full (int fd, const guint8 *buf, gsize len, const char *path, GError **error)
{
  while (len > 0)
    {
      gssize n = write (fd, buf, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          dc_file_set_error (error, errno, _("Cannot write %s"), path);
          return FALSE;
        }
      buf += n;
      len -= (gsize) n;
    }
  return TRUE;
}

gboolean
dc_file_sync_and_close (int fd, const char *path, GError **error)
{
  int saved = 0;

  if (fsync (fd) != 0)
    saved = errno;
  if (close (fd) != 0 && saved == 0)
    saved = errno;
  if (saved != 0)
    {
      dc_file_set_error (error, saved, _("Cannot write %s"), path);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_file_sync_dir (const char *dir, GError **error)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  int saved = 0;

  if (fd < 0)
    saved = errno;
  else if (fsync (fd) != 0 && errno != EINVAL && errno != ENOTSUP)
    saved = errno;
  if (fd >= 0)
    close (fd);
  if (saved != 0)
    {
      dc_file_set_error (error, saved, _("Cannot write the folder %s"), dir);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_file_sync_path (const char *path, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);

  if (fd < 0)
    {
      dc_file_set_error (error, errno, _("Cannot write %s"), path);
      return FALSE;
    }
  return dc_file_sync_and_close (fd, path, error);
}

gboolean
dc_file_write_new (const char *path, const void *data, gsize len, GError **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      dc_file_set_error (error, errno, _("Cannot write %s"), path);
      return FALSE;
    }
  if (!dc_file_write_full (fd, data, len, path, error))
    {
      close (fd);
      return FALSE;
    }
  return dc_file_sync_and_close (fd, path, error);
}

void
dc_file_remove_flat_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);

      g_unlink (file);
    }
  g_rmdir (path);
}
