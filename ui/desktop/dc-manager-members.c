/* ui/desktop/dc-manager-members.c — the members page: a member's card, its state, and reissuing, losing or revoking it. */
#include "dc-manager-members.h"
#include "dc-card.h"
#include "dc-card-dialog.h"
#include "dc-manager-window.h"
#include "dc-member.h"
#include "dc-records.h"
#include "dc-step-up-dialog.h"

#include <glib/gi18n-lib.h>

typedef enum {
  STATE_NONE,      /* nothing looked up */
  STATE_NO_CARD,   /* a member registered before cards existed */
  STATE_VALID,
  STATE_LOST,
  STATE_REVOKED,
} CardState;

typedef enum {
  CHANGE_REISSUE,
  CHANGE_LOST,
  CHANGE_REVOKE,
} CardChange;

struct _DcManagerMembers
{
  GtkWidget            parent_instance;

  GtkWidget           *content;
  AdwEntryRow         *number_row;
  GtkLabel            *number_error;
  AdwPreferencesGroup *card_group;
  AdwActionRow        *state_row;
  GtkLabel            *state_label;
  GtkWidget           *actions_box;
  GtkLabel            *action_error;

  DcSession           *session;
  char                *typed;        /* what a step-up waits to look up */
  char                *member;       /* the member shown, plain digits */
  CardState            state;
  gint64               generation;   /* of the valid or the last ended card */
  CardChange           pending;      /* what a confirmation and step-up wait for */
  gboolean             can_manage;
};

G_DEFINE_FINAL_TYPE (DcManagerMembers, dc_manager_members, GTK_TYPE_WIDGET)

static void
show_label (GtkLabel *label, const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static void
update_actions (DcManagerMembers *self)
{
  gboolean shown = self->state != STATE_NONE;
  gboolean valid = self->state == STATE_VALID;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "members.look-up", self->session != NULL);
  gtk_widget_action_set_enabled (widget, "members.show", self->can_manage && (valid || self->state == STATE_NO_CARD));
  gtk_widget_action_set_enabled (widget, "members.reissue", self->can_manage && shown);
  gtk_widget_action_set_enabled (widget, "members.lost", self->can_manage && valid);
  gtk_widget_action_set_enabled (widget, "members.revoke", self->can_manage && valid);
}

static void
set_state_label (DcManagerMembers *self, const char *text, const char *css)
{
  static const char *const classes[] = { "free", "locked", "off-duty" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), css);
  gtk_label_set_text (self->state_label, text);
}

static void
show_state (DcManagerMembers *self)
{
  g_autofree char *number = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  int generation = (int) self->generation;

  gtk_widget_set_visible (GTK_WIDGET (self->card_group), self->state != STATE_NONE);
  gtk_widget_set_visible (self->actions_box, self->state != STATE_NONE);
  update_actions (self);
  if (self->state == STATE_NONE)
    return;
  number = dc_card_format_number (self->member);
  title = g_strdup_printf (_("Member %s"), number);
  adw_preferences_group_set_title (self->card_group, title);
  switch (self->state)
    {
    case STATE_VALID:
      subtitle = g_strdup_printf (_("Card %d works at the counter."), generation);
      set_state_label (self, _("Valid"), "free");
      break;
    case STATE_LOST:
      subtitle = g_strdup_printf (_("Card %d was reported lost: reissue to give the member a new card."), generation);
      set_state_label (self, _("Lost"), "locked");
      break;
    case STATE_REVOKED:
      subtitle = g_strdup_printf (_("Card %d was revoked: reissue to give the member a new card."), generation);
      set_state_label (self, _("Revoked"), "locked");
      break;
    case STATE_NO_CARD:
      subtitle = g_strdup (_("No card yet: showing it issues the first one."));
      set_state_label (self, _("No card"), "off-duty");
      break;
    case STATE_NONE:
    default:
      g_assert_not_reached ();
    }
  adw_action_row_set_subtitle (self->state_row, subtitle);
}

/* ---- reading the card's state ---- */

/* Registered before cards existed, or nobody at all? Visit history tells (every member
 * came in at least once), and reads no personal data. */
static gboolean
member_exists (DcManagerMembers *self, DcActor *manager, GError **error)
{
  g_autoptr(GArray) visits = dc_records_find_visits (dc_session_get_store (self->session), manager, self->member, 1,
                                                     NULL);

  if (visits != NULL)
    return TRUE;
  g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no member %s."), self->member);
  return FALSE;
}

/* Every generation from the first, as a scan at the counter would check it: the newest
 * card says the state (an old card can say "lost" when its replacement came after). */
static gboolean
read_state (DcManagerMembers *self, DcActor *manager, GError **error)
{
  DcStore *store = dc_session_get_store (self->session);
  const DcVault *vault = dc_actor_vault (manager);
  CardState ended = STATE_NONE;

  for (gint64 g = 1;; g++)
    {
      g_autofree char *payload = dc_card_payload (store, vault, self->member, g);
      g_autoptr(GError) local = NULL;

      switch (dc_card_check_full (store, vault, payload, NULL, NULL, &local))
        {
        case DC_CARD_VALID:
          self->state = STATE_VALID;
          self->generation = g;
          return TRUE;
        case DC_CARD_REPLACED:
          ended = STATE_NONE;
          continue;
        case DC_CARD_LOST:
          ended = STATE_LOST;
          continue;
        case DC_CARD_REVOKED:
          ended = STATE_REVOKED;
          continue;
        case DC_CARD_UNKNOWN:
          /* past the newest card */
          if (g > 1 && ended != STATE_NONE)
            {
              self->state = ended;
              self->generation = g - 1;
              return TRUE;
            }
          if (g > 1)
            break;
          if (!member_exists (self, manager, error))
            return FALSE;
          self->state = STATE_NO_CARD;
          self->generation = 0;
          return TRUE;
        case DC_CARD_FAILED:
        case DC_CARD_NOT_DAICHO:
        case DC_CARD_GARBAGE:
        case DC_CARD_OTHER_PREFECTURE:
        case DC_CARD_OTHER_OPERATOR:
        case DC_CARD_OTHER_STORE:
        case DC_CARD_FORGED:
        default:
          break;
        }
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
}

static void
forget_member (DcManagerMembers *self)
{
  g_clear_pointer (&self->member, g_free);
  self->state = STATE_NONE;
  show_label (self->action_error, NULL);
  show_state (self);
}

/* A scanned card stands for its member number: the page works on lost cards too. A card
 * still being typed by the scanner stands for nothing yet. */
static char *
number_from (const char *text)
{
  g_autofree char *clean = g_strstrip (g_strdup (text));
  g_auto(GStrv) fields = NULL;

  if (!dc_card_is_payload (clean))
    return g_steal_pointer (&clean);
  fields = g_strsplit (clean, ":", -1);
  return g_strdup (g_strv_length (fields) > 5 ? fields[4] : "");
}

static void
do_look_up (GtkWidget *widget, DcActor *manager)
{
  DcManagerMembers *self = DC_MANAGER_MEMBERS (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *member = NULL;

  forget_member (self);
  if (self->typed == NULL || *self->typed == '\0')
    {
      show_label (self->number_error, _("Type a member number."));
      return;
    }
  if (!dc_member_number_check (self->typed, &member))
    {
      show_label (self->number_error, _("This is not a valid member number: check the digits."));
      gtk_widget_add_css_class (GTK_WIDGET (self->number_row), "error");
      return;
    }
  self->member = g_steal_pointer (&member);
  if (!read_state (self, manager, &error))
    {
      g_clear_pointer (&self->member, g_free);
      show_label (self->number_error, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->number_row), "error");
      return;
    }
  show_state (self);
}

void
dc_manager_members_look_up (DcManagerMembers *self, const char *text)
{
  g_return_if_fail (DC_IS_MANAGER_MEMBERS (self));
  if (self->session == NULL)
    return;
  g_free (self->typed);
  self->typed = number_from (text != NULL ? text : "");
  dc_step_up_then (GTK_WIDGET (self), self->session, do_look_up);
}

static void
look_up_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerMembers *self = DC_MANAGER_MEMBERS (widget);

  dc_manager_members_look_up (self, gtk_editable_get_text (GTK_EDITABLE (self->number_row)));
}

static void
on_number_activated (DcManagerMembers *self)
{
  look_up_action (GTK_WIDGET (self), NULL, NULL);
}

/* A wrong check digit is said while typing, once the number is long enough to be whole
 * (eight digits: every member below a million customers). */
static void
on_number_changed (DcManagerMembers *self)
{
  g_autofree char *text = number_from (gtk_editable_get_text (GTK_EDITABLE (self->number_row)));
  guint digits = 0;

  for (const char *p = text; *p != '\0'; p++)
    digits += g_ascii_isdigit (*p) ? 1 : 0;
  if (digits >= 8 && !dc_member_number_check (text, NULL))
    {
      show_label (self->number_error, _("This is not a valid member number: check the digits."));
      gtk_widget_add_css_class (GTK_WIDGET (self->number_row), "error");
    }
  else
    {
      show_label (self->number_error, NULL);
      gtk_widget_remove_css_class (GTK_WIDGET (self->number_row), "error");
    }
}

/* ---- reissue, lost, revoke ---- */

static void
show_card (DcManagerMembers *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->member != NULL)
    dc_card_dialog_present (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->session, self->member);
}

static void
do_change (GtkWidget *widget, DcActor *manager)
{
  DcManagerMembers *self = DC_MANAGER_MEMBERS (widget);
  DcStore *store = dc_session_get_store (self->session);
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *message = NULL;
  gint64 generation = 0;
  gboolean ok = FALSE;

  if (self->member == NULL)
    return;
  number = dc_card_format_number (self->member);
  switch (self->pending)
    {
    case CHANGE_REISSUE:
      ok = dc_card_reissue (store, manager, self->member, &generation, &error);
      message = g_strdup_printf (_("Member %s has a new card (card %d): the old one no longer works."), number,
                                 (int) generation);
      break;
    case CHANGE_LOST:
      ok = dc_card_report_lost (store, manager, self->member, &error);
      message = g_strdup_printf (_("The card of member %s was reported lost and no longer works."), number);
      break;
    case CHANGE_REVOKE:
      ok = dc_card_revoke (store, manager, self->member, &error);
      message = g_strdup_printf (_("The card of member %s is revoked."), number);
      break;
    default:
      g_assert_not_reached ();
    }
  if (!ok)
    {
      show_label (self->action_error, error->message);
      return;
    }
  show_label (self->action_error, NULL);
  dc_manager_window_toast (widget, message);
  dc_session_changed (self->session);
  /* the new card is what the member is waiting for at the counter: print it now */
  if (self->pending == CHANGE_REISSUE)
    show_card (self);
}

static void
on_confirm_response (AdwMessageDialog *dialog, const char *response, DcManagerMembers *self)
{
  if (g_strcmp0 (response, "confirm") == 0)
    dc_step_up_then (GTK_WIDGET (self), self->session, do_change);
}

static void
confirm (DcManagerMembers *self, CardChange change)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *number = NULL;
  g_autofree char *heading = NULL;
  const char *body = NULL;
  const char *verb = NULL;
  GtkWidget *dialog;

  if (self->member == NULL)
    return;
  self->pending = change;
  number = dc_card_format_number (self->member);
  switch (change)
    {
    case CHANGE_REISSUE:
      heading = g_strdup_printf (_("Reissue the card of member %s?"), number);
      body = _("The current card stops working at once. Give the member the new card printed next.");
      verb = _("Reissue");
      break;
    case CHANGE_LOST:
      heading = g_strdup_printf (_("Report the card of member %s lost?"), number);
      body = _("The card stops working at once. The member needs a reissued card to use a card again.");
      verb = _("Report Lost");
      break;
    case CHANGE_REVOKE:
      heading = g_strdup_printf (_("Revoke the card of member %s?"), number);
      body = _("The card stops working at once. Only a manager can give the member a card again.");
      verb = _("Revoke");
      break;
    default:
      g_assert_not_reached ();
    }
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("Cancel"), "confirm", verb, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              change == CHANGE_REISSUE ? ADW_RESPONSE_SUGGESTED
                                                                       : ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_confirm_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
change_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  DcManagerMembers *self = DC_MANAGER_MEMBERS (widget);

  if (g_str_equal (action_name, "members.reissue"))
    confirm (self, CHANGE_REISSUE);
  else if (g_str_equal (action_name, "members.lost"))
    confirm (self, CHANGE_LOST);
  else
    confirm (self, CHANGE_REVOKE);
}

static void
show_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  show_card (DC_MANAGER_MEMBERS (widget));
}

/* ---- set-up ---- */

/* Someone else's action (or the card dialog issuing a first card) changes the state shown. */
static void
reload (DcManagerMembers *self)
{
  DcActor *manager = dc_session_get_manager (self->session);
  g_autoptr(GError) error = NULL;

  if (self->member == NULL || manager == NULL)
    return;
  if (!read_state (self, manager, &error))
    {
      show_label (self->action_error, error->message);
      return;
    }
  show_state (self);
}

void
dc_manager_members_set_can_manage (DcManagerMembers *self, gboolean can_manage)
{
  g_return_if_fail (DC_IS_MANAGER_MEMBERS (self));

  self->can_manage = can_manage;
  update_actions (self);
}

void
dc_manager_members_set_session (DcManagerMembers *self, DcSession *session)
{
  g_return_if_fail (DC_IS_MANAGER_MEMBERS (self));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  g_signal_connect_object (session, "changed", G_CALLBACK (reload), self, G_CONNECT_SWAPPED);
  update_actions (self);
}

static void
dc_manager_members_dispose (GObject *object)
{
  DcManagerMembers *self = DC_MANAGER_MEMBERS (object);

  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), DC_TYPE_MANAGER_MEMBERS);
  G_OBJECT_CLASS (dc_manager_members_parent_class)->dispose (object);
}

static void
dc_manager_members_finalize (GObject *object)
{
  DcManagerMembers *self = DC_MANAGER_MEMBERS (object);

  g_free (self->typed);
  g_free (self->member);
  G_OBJECT_CLASS (dc_manager_members_parent_class)->finalize (object);
}

static void
dc_manager_members_class_init (DcManagerMembersClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = dc_manager_members_dispose;
  G_OBJECT_CLASS (klass)->finalize = dc_manager_members_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/jp/daicho/Daicho/dc-manager-members.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DcManagerMembers, content);
  gtk_widget_class_bind_template_child (widget_class, DcManagerMembers, number_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerMembers, number_error);
  gtk_widget_class_bind_template_child (widget_class, DcManagerMembers, card_group);
  gtk_widget_class_bind_template_child (widget_class, DcManagerMembers, state_row);
  gtk_widget_class_bind_template_child (widget_class, DcManagerMembers, state_label);
  gtk_widget_class_bind_template_child (widget_class, DcManagerMembers, actions_box);
  gtk_widget_class_bind_template_child (widget_class, DcManagerMembers, action_error);
  gtk_widget_class_bind_template_callback (widget_class, on_number_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_number_changed);

  gtk_widget_class_install_action (widget_class, "members.look-up", NULL, look_up_action);
  gtk_widget_class_install_action (widget_class, "members.show", NULL, show_action);
  gtk_widget_class_install_action (widget_class, "members.reissue", NULL, change_action);
  gtk_widget_class_install_action (widget_class, "members.lost", NULL, change_action);
  gtk_widget_class_install_action (widget_class, "members.revoke", NULL, change_action);
}

static void
dc_manager_members_init (DcManagerMembers *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}
