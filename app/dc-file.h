/* app/dc-file.h — writing files that must be on disk when we say so: full writes, syncs, private folders. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Set DC_ERROR_IO (DC_ERROR_NOT_FOUND for ENOENT): "@format…: the system's reason". */
void     dc_file_set_error (GError **error, int err, const char *format, ...) G_GNUC_PRINTF (3, 4);

/* Write all of @buf to @fd (retrying short writes and EINTR); @path names it in the error. */
gboolean dc_file_write_full (int fd, const guint8 *buf, gsize len, const char *path, GError **error);
/* fsync then close @fd, either failure reported. */
gboolean dc_file_sync_and_close (int fd, const char *path, GError **error);
/* fsync the folder @dir, so that names created or renamed in it are durable (a file system
 * that cannot sync a folder, EINVAL or ENOTSUP, is not a failure). */
gboolean dc_file_sync_dir (const char *dir, GError **error);

/* fsync the file @path that someone else wrote (cairo writes its PDFs itself). */
gboolean dc_file_sync_path (const char *path, GError **error);

/* A new file @path (never an existing one, never through a link), 0600, holding @len bytes
 * of @data, synced and closed. */
gboolean dc_file_write_new (const char *path, const void *data, gsize len, GError **error);

/* Remove a folder that holds only plain files, and the files: best effort, for cleaning
 * up a work folder on a failure path. */
void     dc_file_remove_flat_dir (const char *path);

G_END_DECLS
