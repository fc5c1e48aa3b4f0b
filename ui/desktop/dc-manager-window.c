/* ui/desktop/dc-manager-window.c — the manager window: its pages, who stepped up, and forgetting when the step-up ends. */
#include "dc-manager-window.h"
#include "dc-manager-audit.h"
#include "dc-manager-filings.h"
#include "dc-manager-members.h"
#include "dc-manager-police.h"
#include "dc-manager-records.h"
#include "dc-manager-staff.h"
#include "dc-manager-retention.h"
#include "dc-manager-settings.h"
#include "dc-manager-terminals.h"
#include "dc-records.h"

#include <glib/gi18n-lib.h>

struct _DcManagerWindow
{
  AdwWindow             parent_instance;

  AdwViewSwitcherTitle *switcher_title;
  GtkLabel             *actor_label;
  AdwToastOverlay      *toasts;
  AdwViewStack         *stack;
  DcManagerRecords     *records;
  DcManagerMembers     *members;
  DcManagerStaff       *staff;
  DcManagerTerminals   *terminals;
  DcManagerFilings     *filings;
  DcManagerRetention   *retention;
  DcManagerSettings    *settings;
  DcManagerPolice      *police;
  DcManagerAudit       *audit;

  DcSession            *session;
  guint                 tick_source;
  gint64                staff_id;   /* who stepped up last */
  gboolean              expired;
};

G_DEFINE_FINAL_TYPE (DcManagerWindow, dc_manager_window, ADW_TYPE_WINDOW)

static void
set_can_manage (DcManagerWindow *self, gboolean can_manage)
{
  dc_manager_records_set_can_manage (self->records, can_manage);
  dc_manager_members_set_can_manage (self->members, can_manage);
  dc_manager_staff_set_can_manage (self->staff, can_manage);
  dc_manager_terminals_set_can_manage (self->terminals, can_manage);
  dc_manager_filings_set_can_manage (self->filings, can_manage);
  dc_manager_retention_set_can_manage (self->retention, can_manage);
  dc_manager_settings_set_can_manage (self->settings, can_manage);
}

/* Shown in the header bar (the switcher title hides its subtitle when the switcher shows). */
static void
show_actor (DcManagerWindow *self, const char *text, gboolean expired)
{
  gtk_label_set_text (self->actor_label, text);
  adw_view_switcher_title_set_subtitle (self->switcher_title, text);
  if (expired)
    gtk_widget_add_css_class (GTK_WIDGET (self->actor_label), "expired");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->actor_label), "expired");
}

/* Who acts, and whether the step-up still holds: checked every second. */
static void
update_step_up (DcManagerWindow *self)
{
  DcActor *manager;
  g_autofree char *subtitle = NULL;

  /* an export in progress uses the stepped-up actor: it is not let go under it (asking
   * the session would free an expired one) */
  if (dc_manager_police_is_busy (self->police))
    return;
  manager = dc_session_get_manager (self->session);
  if (manager == NULL)
    {
      if (self->expired)
        return;
      self->expired = TRUE;
      /* what was decrypted under the step-up is not left on the screen */
      dc_manager_records_forget (self->records);
      dc_manager_police_forget (self->police);
      show_actor (self, _("Confirmation expired: the passphrase is asked again"), TRUE);
      return;
    }
  if (!self->expired && self->staff_id == dc_actor_staff_id (manager))
    return;
  self->expired = FALSE;
  self->staff_id = dc_actor_staff_id (manager);
  /* Translators: the window's subtitle: who confirmed with their passphrase, and their role. */
  subtitle = g_strdup_printf (_("%s (%s)"), dc_actor_name (manager), dc_records_role_label (dc_actor_role (manager)));
  show_actor (self, subtitle, FALSE);
  set_can_manage (self, dc_actor_is_manager (manager));
}

static gboolean
tick (gpointer user_data)
{
  update_step_up (DC_MANAGER_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

/* Not while an export writes its bundle (the window's content is insensitive then, but the
 * window manager can still ask). */
static gboolean
on_close_request (DcManagerWindow *self)
{
  return dc_manager_police_is_busy (self->police);
}

static void
on_locked (DcManagerWindow *self)
{
  gtk_window_destroy (GTK_WINDOW (self));
}

void
dc_manager_window_set_page (DcManagerWindow *self, const char *name)
{
  g_return_if_fail (DC_IS_MANAGER_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->stack, name);
}

const char *
dc_manager_window_get_page (DcManagerWindow *self)
{
  g_return_val_if_fail (DC_IS_MANAGER_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->stack);
}

void
dc_manager_window_toast (GtkWidget *widget, const char *message)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwToast *toast;

  if (!DC_IS_MANAGER_WINDOW (root))
    return;
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 6);
  /* the newest message is the one the manager is waiting for: it does not queue behind older ones */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (DC_MANAGER_WINDOW (root)->toasts, toast);
}

static void
dc_manager_window_dispose (GObject *object)
{
  DcManagerWindow *self = DC_MANAGER_WINDOW (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_MANAGER_WINDOW);
  G_OBJECT_CLASS (dc_manager_window_parent_class)->dispose (object);
}

static void
dc_manager_window_class_init (DcManagerWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = dc_manager_window_dispose;

  g_type_ensure (DC_TYPE_MANAGER_RECORDS);
  g_type_ensure (DC_TYPE_MANAGER_MEMBERS);
  g_type_ensure (DC_TYPE_MANAGER_STAFF);
  g_type_ensure (DC_TYPE_MANAGER_TERMINALS);
  g_type_ensure (DC_TYPE_MANAGER_FILINGS);
  g_type_ensure (DC_TYPE_MANAGER_AUDIT);
  g_type_ensure (DC_TYPE_MANAGER_RETENTION);
  g_type_ensure (DC_TYPE_MANAGER_SETTINGS);
  g_type_ensure (DC_TYPE_MANAGER_POLICE);
  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-manager-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DcManagerWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, DcManagerWindow, actor_label);
  gtk_widget_class_bind_template_child (widget_class, DcManagerWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, DcManagerWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DcManagerWindow, records);
  gtk_widget_class_bind_template_child (widget_class, DcManagerWindow, members);
  gtk_widget_class_bind_template_child (widget_class, DcManagerWindow, staff);
  gtk_widget_class_bind_template_child (widget_class, DcManagerWindow, terminals);
  gtk_widget_class_bind_template_child (widget_class, DcManagerWindow, filings);
  gtk_widget_class_bind_template_child (widget_class, DcManagerWindow, retention);
  gtk_widget_class_bind_template_child (widget_class, DcManagerWindow, settings);
  gtk_widget_class_bind_template_child (widget_class, DcManagerWindow, police);
  gtk_widget_class_bind_template_child (widget_class, DcManagerWindow, audit);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
dc_manager_window_init (DcManagerWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
}

DcManagerWindow *
dc_manager_window_new (GtkWindow *parent, DcSession *session)
{
  DcManagerWindow *self = g_object_new (DC_TYPE_MANAGER_WINDOW, "transient-for", parent, NULL);

  g_return_val_if_fail (DC_IS_SESSION (session), self);

  self->session = g_object_ref (session);
  g_signal_connect_object (session, "locked", G_CALLBACK (on_locked), self, G_CONNECT_SWAPPED);
  dc_manager_records_set_session (self->records, session);
  dc_manager_members_set_session (self->members, session);
  dc_manager_staff_set_session (self->staff, session);
  dc_manager_terminals_set_session (self->terminals, session);
  dc_manager_filings_set_session (self->filings, session);
  dc_manager_retention_set_session (self->retention, session);
  dc_manager_settings_set_session (self->settings, session);
  dc_manager_police_set_session (self->police, session);
  dc_manager_audit_set_session (self->audit, session);
  update_step_up (self);
  /* a notification or a self-inspection owed is said once, as the manager comes in */
  dc_manager_filings_remind (self->filings);
  self->tick_source = g_timeout_add_seconds (1, tick, self);
  return self;
}
