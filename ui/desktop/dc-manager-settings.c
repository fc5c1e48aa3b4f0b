/* ui/desktop/dc-manager-settings.c — the settings page: idle lock, auto-close of forgotten visits, backup age. */
#include "dc-manager-settings.h"
#include "dc-manager-window.h"
#include "dc-step-up-dialog.h"

#include <glib/gi18n-lib.h>

struct _DcManagerSettings
{
  GtkWidget       parent_instance;

  GtkWidget      *scroller;
  GtkSpinButton  *idle_spin;
  GtkSpinButton  *auto_close_spin;
  GtkSpinButton  *backup_spin;
  GtkWidget      *save_button;

  DcSession      *session;
  gboolean        can_manage;
  gboolean        loading;
};

G_DEFINE_FINAL_TYPE (DcManagerSettings, dc_manager_settings, GTK_TYPE_WIDGET)

typedef struct {
  const char *key;
  gsize       offset;   /* of the spin button in DcManagerSettings */
} SettingField;

static const SettingField fields[] = {
  { DC_SETTING_IDLE_LOCK_MINUTES, G_STRUCT_OFFSET (DcManagerSettings, idle_spin) },
  { DC_SETTING_AUTO_CLOSE_HOURS, G_STRUCT_OFFSET (DcManagerSettings, auto_close_spin) },
  { DC_SETTING_BACKUP_KEEP_DAYS, G_STRUCT_OFFSET (DcManagerSettings, backup_spin) },
};

static GtkSpinButton *
field_spin (DcManagerSettings *self, const SettingField *field)
{
  return G_STRUCT_MEMBER (GtkSpinButton *, self, field->offset);
}

/* Has the manager changed anything that is not saved yet? */
static gboolean
is_changed (DcManagerSettings *self)
{
  DcStore *store;

  if (self->session == NULL)
    return FALSE;
  store = dc_session_get_store (self->session);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if ((gint64) gtk_spin_button_get_value_as_int (field_spin (self, &fields[i]))
        != dc_store_get_setting (store, fields[i].key))
      return TRUE;
  return FALSE;
}

static void
update_save (DcManagerSettings *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "settings.save", self->can_manage && is_changed (self));
}

static void
load (DcManagerSettings *self)
{
  DcStore *store = dc_session_get_store (self->session);

  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      const DcSettingSpec *spec = dc_setting_spec (fields[i].key);
      GtkSpinButton *spin = field_spin (self, &fields[i]);

      gtk_spin_button_set_range (spin, (double) spec->min, (double) spec->max);
      gtk_spin_button_set_increments (spin, 1, 5);
      gtk_spin_button_set_value (spin, (double) dc_store_get_setting (store, fields[i].key));
    }
  self->loading = FALSE;
  update_save (self);
}

static void
on_value_changed (DcManagerSettings *self)
{
  if (!self->loading)
    update_save (self);
}

static void
do_save (GtkWidget *widget, DcActor *manager)
{
  DcManagerSettings *self = DC_MANAGER_SETTINGS (widget);
  DcStore *store = dc_session_get_store (self->session);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gint64 value = gtk_spin_button_get_value_as_int (field_spin (self, &fields[i]));
      g_autoptr(GError) error = NULL;

      if (value == dc_store_get_setting (store, fields[i].key))
        continue;
      if (!dc_store_set_setting (store, manager, fields[i].key, value, &error))
        {
          dc_manager_window_toast (widget, error->message);
          load (self);
          return;
        }
    }
  dc_session_changed (self->session);
  dc_manager_window_toast (widget, _("The settings were saved. The idle lock applies from the next sign-in."));
  update_save (self);
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerSettings *self = DC_MANAGER_SETTINGS (widget);

  dc_step_up_then (widget, self->session, do_save);
}

static void
revert_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  load (DC_MANAGER_SETTINGS (widget));
}

static void
dc_manager_settings_dispose (GObject *object)
{
  DcManagerSettings *self = DC_MANAGER_SETTINGS (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_MANAGER_SETTINGS);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (dc_manager_settings_parent_class)->dispose (object);
}

static void
dc_manager_settings_class_init (DcManagerSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = dc_manager_settings_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-manager-settings.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, scroller);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, idle_spin);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, auto_close_spin);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, backup_spin);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_value_changed);
  gtk_widget_class_install_action (widget_class, "settings.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "settings.revert", NULL, revert_action);
}

static void
dc_manager_settings_init (DcManagerSettings *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->can_manage = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "settings.save", FALSE);
}

static void
on_changed (DcManagerSettings *self)
{
  if (!is_changed (self))
    load (self);
}

void
dc_manager_settings_set_session (DcManagerSettings *self, DcSession *session)
{
  g_return_if_fail (DC_IS_MANAGER_SETTINGS (self));

  if (!g_set_object (&self->session, session))
    return;
  g_signal_connect_object (session, "changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
  load (self);
}

void
dc_manager_settings_set_can_manage (DcManagerSettings *self, gboolean can_manage)
{
  g_return_if_fail (DC_IS_MANAGER_SETTINGS (self));

  self->can_manage = can_manage;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    gtk_widget_set_sensitive (GTK_WIDGET (field_spin (self, &fields[i])), can_manage);
  update_save (self);
}
