/* app/dc-schedule.c — the daily purge and backup as systemd user timers: units filled in from data/'s templates, systemctl. */
#include "dc-schedule.h"
#include "dc-backup.h"
#include "dc-retention.h"
#include "dc-schedule-units.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#define UNITS_PREFIX   "/jp/daicho/units/"
#define BACKUP_SERVICE "daicho-backup.service"

static const char *const unit_names[] = {
  "daicho-purge.service", DC_SCHEDULE_PURGE_TIMER, BACKUP_SERVICE, DC_SCHEDULE_BACKUP_TIMER,
};
static const char *const timers[] = { DC_SCHEDULE_PURGE_TIMER, DC_SCHEDULE_BACKUP_TIMER };

void
dc_schedule_status_clear (DcScheduleStatus *status)
{
  g_clear_pointer (&status->backup_dir, g_free);
  memset (status, 0, sizeof *status);
}

char *
dc_schedule_unit_dir (void)
{
  return g_build_filename (g_get_user_config_dir (), "systemd", "user", NULL);
}

char *
dc_schedule_default_backup_dir (DcStore *store)
{
  g_autofree char *dir = g_canonicalize_filename (dc_store_dir (store), NULL);
  g_autofree char *parent = g_path_get_dirname (dir);

  return g_build_filename (parent, "backups", NULL);
}

/* ---- unit text ---- */

/* @value inside a double-quoted ExecStart= argument, where systemd reads C escapes, %
 * specifiers and $ variables: a folder named "50% off" must stay that folder. */
static char *
unit_quote (const char *value, GError **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!g_utf8_validate (value, -1, NULL))
    goto refuse;
  for (const char *p = value; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 || *p == 0x7f)
        goto refuse;
      if (*p == '\\' || *p == '"')
        g_string_append_c (out, '\\');
      else if (*p == '%' || *p == '$')
        g_string_append_c (out, *p);
      g_string_append_c (out, *p);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);

refuse:
  {
    g_autofree char *shown = g_filename_display_name (value);

    g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                 _("The path “%s” cannot be written into a systemd unit: use one without line breaks or other control characters."),
                 shown);
    return NULL;
  }
}

/* The reverse, from just after the opening quote; NULL when the quote never closes. */
static char *
unit_unquote (const char *p)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (; *p != '\0' && *p != '"'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        p++;
      else if ((*p == '%' || *p == '$') && p[1] == *p)
        p++;
      g_string_append_c (out, *p);
    }
  if (*p != '"')
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Template @name from data/ with every @KEY@ replaced by its quoted value. */
static char *
unit_text (const char *name, const char *const *keys, char **values, GError **error)
{
  g_autofree char *path = g_strconcat (UNITS_PREFIX, name, NULL);
  g_autoptr(GBytes) bytes = g_resource_lookup_data (dc_schedule_units_get_resource (), path,
                                                    G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  GString *text;
  gsize len = 0;
  const char *data;

  /* compiled in: missing means a broken build, not a user's mistake */
  g_assert (bytes != NULL);
  data = g_bytes_get_data (bytes, &len);
  text = g_string_new_len (data, len);
  for (guint i = 0; keys[i] != NULL; i++)
    g_string_replace (text, keys[i], values[i], 0);
  return g_string_free (text, FALSE);
}

static char *
backup_dir_from_unit (const char *path)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *to = g_str_has_prefix (lines[i], "ExecStart=") ? strstr (lines[i], " --to \"") : NULL;

      if (to != NULL)
        return unit_unquote (to + strlen (" --to \""));
    }
  return NULL;
}

/* ---- systemctl ---- */

/* `systemctl --user ARGS…`; stdout in @out_text. Fails (DC_ERROR_IO) when it cannot start
 * or exits non-zero, with what it said. */
static gboolean
systemctl (const char *const *args, char **out_text, GError **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) local = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) "systemctl");
  g_ptr_array_add (argv, (gpointer) "--user");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                     &out, &err, &status, &local)
      || !g_spawn_check_wait_status (status, &local))
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv->pdata);
      const char *why = err != NULL && *g_strstrip (err) != '\0' ? err : local->message;

      g_set_error (error, DC_ERROR, DC_ERROR_IO, _("“%s” failed: %s"), command, why);
      return FALSE;
    }
  if (out_text != NULL)
    *out_text = g_steal_pointer (&out);
  return TRUE;
}

/* NextElapseUSecRealtime as systemctl prints it: "@1772650000" with --timestamp=unix,
 * else "Thu 2026-03-05 04:23:11 JST" in local time (or UTC); 0 when unknown. */
static gint64
parse_systemd_time (char *text)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) dt = NULL;
  const char *p;
  int y, mo, d, h, mi, s;

  g_strstrip (text);
  if (text[0] == '@')
    return g_ascii_strtoll (text + 1, NULL, 10) * G_USEC_PER_SEC;
  for (p = text; *p != '\0' && !g_ascii_isdigit (*p); p++)
    ;
  if (sscanf (p, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s) != 6)
    return 0;
  tz = g_str_has_suffix (text, " UTC") ? g_time_zone_new_utc () : g_time_zone_new_local ();
  dt = g_date_time_new (tz, y, mo, d, h, mi, s);
  return dt != NULL ? g_date_time_to_unix (dt) * G_USEC_PER_SEC : 0;
}

static gint64
timer_next_run (const char *timer)
{
  const char *unix_style[] = { "show", "--timestamp=unix", "-p", "NextElapseUSecRealtime", "--value", timer, NULL };
  const char *plain[] = { "show", "-p", "NextElapseUSecRealtime", "--value", timer, NULL };
  g_autofree char *out = NULL;

  /* --timestamp=unix is newer than some systemd still in use */
  if (!systemctl (unix_style, &out, NULL) && !systemctl (plain, &out, NULL))
    return 0;
  return parse_systemd_time (out);
}

static gboolean
timer_active (const char *timer)
{
  const char *args[] = { "is-active", "--quiet", timer, NULL };

  return systemctl (args, NULL, NULL);
}

/* ---- install, remove, status ---- */

static gboolean
write_units (const char *unit_dir, const char *const *keys, char **values, GError **error)
{
  if (g_mkdir_with_parents (unit_dir, 0755) != 0)
    {
      int saved = errno;

      g_set_error (error, DC_ERROR, DC_ERROR_IO, _("Cannot create the folder %s: %s"), unit_dir, g_strerror (saved));
      return FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (unit_names); i++)
    {
      g_autofree char *text = unit_text (unit_names[i], keys, values, error);
      g_autofree char *path = g_build_filename (unit_dir, unit_names[i], NULL);
      g_autoptr(GError) local = NULL;

      if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
        {
          g_set_error (error, DC_ERROR, DC_ERROR_IO, _("Cannot write the unit %s: %s"), path, local->message);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
prepare_backup_dir (const char *store_dir, const char *backups, GError **error)
{
  if (g_str_equal (backups, store_dir))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("Backups need a folder of their own, not the store's folder: choose another with --backup-dir."));
      return FALSE;
    }
  if (g_mkdir_with_parents (backups, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, DC_ERROR, DC_ERROR_IO, _("Cannot create the backup folder %s: %s"), backups,
                   g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_schedule_install (DcStore *store, const char *daicho_ctl, const char *backup_dir, GError **error)
{
  static const char *const keys[] = { "@DAICHO_CTL@", "@STORE_DIR@", "@BACKUP_DIR@", NULL };
  const char *reload[] = { "daemon-reload", NULL };
  const char *enable[] = { "enable", "--now", DC_SCHEDULE_PURGE_TIMER, DC_SCHEDULE_BACKUP_TIMER, NULL };
  g_autofree char *ctl = g_canonicalize_filename (daicho_ctl, NULL);
  g_autofree char *store_dir = g_canonicalize_filename (dc_store_dir (store), NULL);
  g_autofree char *backups = backup_dir != NULL ? g_canonicalize_filename (backup_dir, NULL)
                                                : dc_schedule_default_backup_dir (store);
  g_autofree char *unit_dir = dc_schedule_unit_dir ();
  g_auto(GStrv) values = g_new0 (char *, G_N_ELEMENTS (keys));
  g_autoptr(GError) local = NULL;

  if (!g_file_test (ctl, G_FILE_TEST_IS_EXECUTABLE) || g_file_test (ctl, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("%s is not a program that can be run."), ctl);
      return FALSE;
    }
  if ((values[0] = unit_quote (ctl, error)) == NULL || (values[1] = unit_quote (store_dir, error)) == NULL
      || (values[2] = unit_quote (backups, error)) == NULL)
    return FALSE;
  if (!prepare_backup_dir (store_dir, backups, error) || !write_units (unit_dir, keys, values, error))
    return FALSE;
  if (!systemctl (reload, NULL, &local) || !systemctl (enable, NULL, &local))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_IO,
                   _("The units are written in %s, but systemd did not start them: %s"), unit_dir, local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_schedule_remove (DcStore *store, GError **error)
{
  const char *disable[] = { "disable", "--now", DC_SCHEDULE_PURGE_TIMER, DC_SCHEDULE_BACKUP_TIMER, NULL };
  const char *reload[] = { "daemon-reload", NULL };
  g_autofree char *unit_dir = dc_schedule_unit_dir ();
  g_autoptr(GError) failed = NULL;
  gboolean any = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (unit_names); i++)
    {
      g_autofree char *path = g_build_filename (unit_dir, unit_names[i], NULL);
      any = any || g_file_test (path, G_FILE_TEST_EXISTS);
    }
  if (!any)
    return TRUE;
  /* stopped before the files go, so no timer is left running without its unit */
  systemctl (disable, NULL, &failed);
  for (gsize i = 0; i < G_N_ELEMENTS (unit_names); i++)
    {
      g_autofree char *path = g_build_filename (unit_dir, unit_names[i], NULL);

      if (g_remove (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, DC_ERROR, DC_ERROR_IO, _("Cannot remove the unit %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
    }
  if (!systemctl (reload, NULL, failed == NULL ? &failed : NULL) || failed != NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_IO, _("The units are removed, but systemctl failed: %s"),
                   failed != NULL ? failed->message : "");
      return FALSE;
    }
  return TRUE;
}

gboolean
dc_schedule_status (DcStore *store, DcScheduleStatus *out, GError **error)
{
  g_autofree char *unit_dir = dc_schedule_unit_dir ();
  g_autofree char *backup_unit = g_build_filename (unit_dir, BACKUP_SERVICE, NULL);
  g_autoptr(GArray) purges = NULL;

  memset (out, 0, sizeof *out);
  out->installed = TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (unit_names); i++)
    {
      g_autofree char *path = g_build_filename (unit_dir, unit_names[i], NULL);
      out->installed = out->installed && g_file_test (path, G_FILE_TEST_IS_REGULAR);
    }
  if (out->installed)
    {
      out->backup_dir = backup_dir_from_unit (backup_unit);
      out->active = timer_active (timers[0]) && timer_active (timers[1]);
      for (gsize i = 0; out->active && i < G_N_ELEMENTS (timers); i++)
        {
          gint64 next = timer_next_run (timers[i]);

          if (next != 0 && (out->next_run == 0 || next < out->next_run))
            out->next_run = next;
        }
    }
  purges = dc_purge_history (store, error);
  if (purges == NULL)
    return FALSE;
  if (purges->len > 0)
    out->last_purge = g_array_index (purges, DcPurgeRecord, 0).at;
  return dc_backup_last (store, &out->last_backup, NULL, error);
}
