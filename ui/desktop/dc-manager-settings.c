/* ui/desktop/dc-manager-settings.c — the settings page: idle lock, auto-close of forgotten visits, backup age, minors' curfew. */
#include "dc-manager-settings.h"
#include "dc-manager-window.h"
#include "dc-step-up-dialog.h"

#include <glib/gi18n-lib.h>
#include <string.h>

struct _DcManagerSettings
{
  GtkWidget       parent_instance;

  GtkWidget      *scroller;
  GtkSpinButton  *idle_spin;
  GtkSpinButton  *auto_close_spin;
  GtkSpinButton  *backup_spin;
  GtkSwitch      *alerts_switch;
  GtkSwitch      *sound_switch;
  GtkDropDown    *profile_dropdown;
  GtkWidget      *band1_row;
  GtkDropDown    *band1_under;
  GtkSpinButton  *band1_start;
  GtkSpinButton  *band1_end;
  GtkWidget      *band2_row;
  GtkDropDown    *band2_under;
  GtkSpinButton  *band2_start;
  GtkSpinButton  *band2_end;
  GtkWidget      *save_button;

  DcSession      *session;
  gboolean        can_manage;
  gboolean        loading;
};

G_DEFINE_FINAL_TYPE (DcManagerSettings, dc_manager_settings, GTK_TYPE_WIDGET)

typedef enum {
  FIELD_SPIN,     /* a whole number */
  FIELD_TIME,     /* minutes after midnight, shown as 23:00 */
  FIELD_SWITCH,   /* 0 or 1 */
  FIELD_CHOICE,   /* a drop-down: item i stands for choices[i] */
} FieldKind;

typedef struct {
  const char   *key;
  gsize         offset;   /* of the widget in DcManagerSettings */
  FieldKind     kind;
  const gint64 *choices;
} SettingField;

static const gint64 profile_choices[] = { 0, DC_CURFEW_PROFILE_CUSTOM };   /* as in the .ui */
static const gint64 under_choices[] = { 16, 18 };

#define FIELD(key, member, kind, choices) { key, G_STRUCT_OFFSET (DcManagerSettings, member), kind, choices }

static const SettingField fields[] = {
  FIELD (DC_SETTING_IDLE_LOCK_MINUTES, idle_spin, FIELD_SPIN, NULL),
  FIELD (DC_SETTING_AUTO_CLOSE_HOURS, auto_close_spin, FIELD_SPIN, NULL),
  FIELD (DC_SETTING_BACKUP_KEEP_DAYS, backup_spin, FIELD_SPIN, NULL),
  FIELD (DC_SETTING_CURFEW_ALERTS, alerts_switch, FIELD_SWITCH, NULL),
  FIELD (DC_SETTING_CURFEW_SOUND, sound_switch, FIELD_SWITCH, NULL),
  FIELD (DC_SETTING_CURFEW_PROFILE, profile_dropdown, FIELD_CHOICE, profile_choices),
  FIELD (DC_SETTING_CURFEW_BAND1_UNDER, band1_under, FIELD_CHOICE, under_choices),
  FIELD (DC_SETTING_CURFEW_BAND1_START, band1_start, FIELD_TIME, NULL),
  FIELD (DC_SETTING_CURFEW_BAND1_END, band1_end, FIELD_TIME, NULL),
  FIELD (DC_SETTING_CURFEW_BAND2_UNDER, band2_under, FIELD_CHOICE, under_choices),
  FIELD (DC_SETTING_CURFEW_BAND2_START, band2_start, FIELD_TIME, NULL),
  FIELD (DC_SETTING_CURFEW_BAND2_END, band2_end, FIELD_TIME, NULL),
};

static GtkWidget *
field_widget (DcManagerSettings *self, const SettingField *field)
{
  return G_STRUCT_MEMBER (GtkWidget *, self, field->offset);
}

static gint64
field_get (DcManagerSettings *self, const SettingField *field)
{
  GtkWidget *w = field_widget (self, field);

  switch (field->kind)
    {
    case FIELD_SPIN:
    case FIELD_TIME:
      return gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (w));
    case FIELD_SWITCH:
      return gtk_switch_get_active (GTK_SWITCH (w)) ? 1 : 0;
    case FIELD_CHOICE:
      return field->choices[MIN (gtk_drop_down_get_selected (GTK_DROP_DOWN (w)), 1)];
    default:
      g_assert_not_reached ();
    }
}

static void
field_set (DcManagerSettings *self, const SettingField *field, gint64 value)
{
  const DcSettingSpec *spec = dc_setting_spec (field->key);
  GtkWidget *w = field_widget (self, field);

  switch (field->kind)
    {
    case FIELD_SPIN:
    case FIELD_TIME:
      gtk_spin_button_set_range (GTK_SPIN_BUTTON (w), (double) spec->min, (double) spec->max);
      if (field->kind == FIELD_TIME)
        gtk_spin_button_set_increments (GTK_SPIN_BUTTON (w), 15, 60);
      else
        gtk_spin_button_set_increments (GTK_SPIN_BUTTON (w), 1, 5);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (w), (double) value);
      break;
    case FIELD_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (w), value != 0);
      break;
    case FIELD_CHOICE:
      /* both choice lists have two items: the second unless the value is the first */
      gtk_drop_down_set_selected (GTK_DROP_DOWN (w), value == field->choices[0] ? 0 : 1);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* The custom bands can be edited only when the store's own hours are chosen. */
static void
update_bands (DcManagerSettings *self)
{
  gboolean custom = gtk_drop_down_get_selected (self->profile_dropdown) == 1;

  gtk_widget_set_sensitive (self->band1_row, self->can_manage && custom);
  gtk_widget_set_sensitive (self->band2_row, self->can_manage && custom);
}

/* ---- times typed as 23:00, 2300 or 23 (full-width digits too) ---- */

static gboolean
on_time_output (GtkSpinButton *spin, gpointer user_data)
{
  gint minutes = gtk_spin_button_get_value_as_int (spin);
  g_autofree char *text = g_strdup_printf ("%02d:%02d", minutes / 60, minutes % 60);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static gint
on_time_input (GtkSpinButton *spin, double *new_value, gpointer user_data)
{
  g_autofree char *text = g_utf8_normalize (gtk_editable_get_text (GTK_EDITABLE (spin)), -1, G_NORMALIZE_NFKC);
  guint64 hours = 0, minutes = 0;
  char *colon;

  if (text == NULL)
    return GTK_INPUT_ERROR;
  g_strstrip (text);
  colon = strchr (text, ':');
  if (colon != NULL)
    {
      *colon = '\0';
      if (!g_ascii_string_to_unsigned (text, 10, 0, 23, &hours, NULL)
          || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 59, &minutes, NULL))
        return GTK_INPUT_ERROR;
    }
  else if (strlen (text) > 2)
    {
      guint64 hhmm;

      if (!g_ascii_string_to_unsigned (text, 10, 0, 2359, &hhmm, NULL) || hhmm % 100 > 59)
        return GTK_INPUT_ERROR;
      hours = hhmm / 100;
      minutes = hhmm % 100;
    }
  else if (!g_ascii_string_to_unsigned (text, 10, 0, 23, &hours, NULL))
    return GTK_INPUT_ERROR;
  *new_value = (double) (hours * 60 + minutes);
  return TRUE;
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
    if (field_get (self, &fields[i]) != dc_store_get_setting (store, fields[i].key))
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
    field_set (self, &fields[i], dc_store_get_setting (store, fields[i].key));
  self->loading = FALSE;
  update_bands (self);
  update_save (self);
}

static void
on_value_changed (DcManagerSettings *self)
{
  if (!self->loading)
    {
      update_bands (self);
      update_save (self);
    }
}

static void
do_save (GtkWidget *widget, DcActor *manager)
{
  DcManagerSettings *self = DC_MANAGER_SETTINGS (widget);
  DcStore *store = dc_session_get_store (self->session);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gint64 value = field_get (self, &fields[i]);
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
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, alerts_switch);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, sound_switch);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, profile_dropdown);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, band1_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, band1_under);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, band1_start);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, band1_end);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, band2_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, band2_under);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, band2_start);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, band2_end);
  gtk_widget_class_bind_template_child (widget_class, DcManagerSettings, save_button);
  gtk_widget_class_bind_template_callback (widget_class, on_value_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_time_input);
  gtk_widget_class_bind_template_callback (widget_class, on_time_output);
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
    gtk_widget_set_sensitive (field_widget (self, &fields[i]), can_manage);
  update_bands (self);
  update_save (self);
}
