/* ui/desktop/dc-counter-scan.c — a member card scanned at the counter: checked, the member judged for today, a terminal suggested. */
#include "dc-counter-scan.h"
#include "dc-card.h"
#include "dc-checkin-dialog.h"
#include "dc-counter-picker.h"
#include "dc-scan.h"

#include <glib/gi18n-lib.h>

struct _DcCounterScan
{
  GObject     parent_instance;

  GtkWindow  *window;      /* weak */
  DcSession  *session;
  GListModel *terminals;
  DcScan     *scan;
};

G_DEFINE_FINAL_TYPE (DcCounterScan, dc_counter_scan, G_TYPE_OBJECT)

enum { TOAST, SELECT, CHECK_DOCUMENT, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
toast (DcCounterScan *self, const char *text)
{
  g_signal_emit (self, signals[TOAST], 0, text);
}

/* The scanned member, kept while the clerk picks a terminal. */
typedef struct {
  DcCounterScan *self;
  char          *member;
  char          *card;       /* the payload, for the check-in by card */
} Choice;

static void
choice_free (gpointer data)
{
  Choice *choice = data;

  g_object_unref (choice->self);
  g_free (choice->member);
  g_free (choice->card);
  g_free (choice);
}

static void pick (Choice *choice, gboolean minor, const DcMemberToday *today, const char *why);

static void
picked (DcTerminalItem *to, gpointer data)
{
  Choice *choice = data;
  DcCounterScan *self = choice->self;
  DcActor *actor = dc_session_get_actor (self->session);
  DcCheckinResult result = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *terminal = dc_terminal_item_get_label (to);

  if (actor != NULL
      && !dc_checkin_card (dc_session_get_store (self->session), actor, choice->card, terminal, &result, &error))
    {
      /* the tier could not be read at the scan: the check-in found a minor, offer the filtered terminals */
      if (g_error_matches (error, DC_ERROR, DC_ERROR_TERMINAL_NOT_FILTERED))
        {
          pick (choice, TRUE, NULL, error->message);
          return;
        }
      toast (self, error->message);
    }
  else if (actor != NULL)
    {
      dc_session_changed (self->session);
      g_signal_emit (self, signals[SELECT], 0, terminal);
      text = g_strdup_printf (_("%s: member %s checked in."), terminal, result.member_number);
      toast (self, text);
      dc_checkin_result_clear (&result);
    }
  choice_free (choice);
}

/* "Curfew at 23:00 (Tokyo youth ordinance): 7 h 00 min left." */
static char *
curfew_text (DcCounterScan *self, const DcMemberToday *today)
{
  /* the rule of the band that comes first: the store's own, or the ordinance under it */
  g_autofree char *rule = dc_profile_band_rule (dc_store_profile (dc_session_get_store (self->session)), today->band);
  g_autofree char *left = NULL;
  g_autofree char *at = NULL;

  if (today->minutes_to_curfew < 0)
    /* Translators: %s is whose rule it is ("Tokyo youth ordinance", "this store's own curfew") */
    return g_strdup_printf (_("No curfew applies at their age (%s)."), rule);
  left = dc_counter_format_curfew (today->minutes_to_curfew);
  at = g_strdup_printf ("%02u:%02u", today->curfew_minute / 60, today->curfew_minute % 60);
  /* Translators: the time the curfew starts, whose rule it is, and "7 h 00 min left" */
  return g_strdup_printf (_("Curfew at %s (%s): %s."), at, rule, left);
}

/* The minor badge and the time they may stay, above the terminals. */
static GtkWidget *
minor_banner (DcCounterScan *self, const DcMemberToday *today)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *badge = gtk_label_new (_("Minor"));
  g_autofree char *text = curfew_text (self, today);
  g_autofree char *full = g_strdup_printf ("%s\n%s", text, _("Only filtered terminals may be given to a minor."));
  GtkWidget *label = gtk_label_new (full);

  gtk_widget_set_name (box, "minor_banner");
  gtk_widget_add_css_class (badge, "minor-badge");
  gtk_widget_set_valign (badge, GTK_ALIGN_START);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  if (today->minutes_to_curfew >= 0 && today->minutes_to_curfew <= 30)
    gtk_widget_add_css_class (label, "error");
  gtk_box_append (GTK_BOX (box), badge);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

/* Takes @choice. The first row is the terminal dc_board_suggest () would choose: Enter takes
 * it. @today (may be NULL) is what the scan learnt of the member. */
static void
pick (Choice *choice, gboolean minor, const DcMemberToday *today, const char *why)
{
  DcCounterScan *self = choice->self;
  g_autoptr(GPtrArray) items = dc_counter_destinations (self->terminals, minor);
  g_autofree char *title = NULL;
  g_autofree char *prompt = NULL;
  const char *first;

  if (items->len == 0)
    {
      toast (self, minor ? _("No filtered terminal is free for this minor.") : _("No terminal is free."));
      choice_free (choice);
      return;
    }
  first = dc_terminal_item_get_label (g_ptr_array_index (items, 0));
  title = g_strdup_printf (_("Check In — Member %s"), choice->member);
  if (why != NULL)
    prompt = g_strdup_printf (_("%s Press Enter for %s, or choose another filtered terminal."), why, first);
  else
    prompt = g_strdup_printf (_("Card checked. Press Enter to check member %s in on %s, or choose another terminal."),
                              choice->member, first);
  dc_counter_picker_open (self->window, title, today != NULL && minor ? minor_banner (self, today) : NULL, prompt,
                          items, FALSE, picked, choice, choice_free);
}

/* ---- refusals ---- */

/* The document check-in already open over the counter (the card came while typing), or NULL. */
static GtkWindow *
open_checkin_dialog (DcCounterScan *self)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (DC_IS_CHECKIN_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window))
          && gtk_window_get_transient_for (window) == self->window)
        return window;   /* the list keeps it */
    }
  return NULL;
}

static void
on_refusal_response (AdwMessageDialog *dialog, const char *response, DcCounterScan *self)
{
  GtkWindow *open = open_checkin_dialog (self);

  if (g_strcmp0 (response, "document") != 0)
    return;
  if (open != NULL)
    gtk_window_present (open);
  else
    g_signal_emit (self, signals[CHECK_DOCUMENT], 0);
}

/* A card that is no proof here: say why, and offer the check from a document. */
static void
refuse_card (DcCounterScan *self, DcCardCheck check, const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (self->window, _("Card Not Accepted"), error->message);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"), NULL);
  if (check != DC_CARD_FAILED)
    {
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "document", _("Check a _Document"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "document", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "document");
    }
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_refusal_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A minor during the curfew: not let in, and nothing to choose. */
static void
refuse_curfew (DcCounterScan *self, const char *member, const GError *error)
{
  g_autofree char *heading = g_strdup_printf (_("Member %s Is a Minor"), member);
  GtkWidget *dialog = adw_message_dialog_new (self->window, heading, error->message);

  gtk_widget_set_name (dialog, "curfew_refusal");
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the scan ---- */

static const char *
terminal_of_member (DcCounterScan *self, const char *member)
{
  for (guint i = 0; i < g_list_model_get_n_items (self->terminals); i++)
    {
      g_autoptr(DcTerminalItem) item = g_list_model_get_item (self->terminals, i);

      if (dc_terminal_item_get_state (item) == DC_TERMINAL_IN_USE
          && g_strcmp0 (dc_terminal_item_get_member (item), member) == 0)
        return dc_terminal_item_get_label (item);   /* the list keeps the item alive */
    }
  return NULL;
}

void
dc_counter_scan_handle (DcCounterScan *self, const char *payload)
{
  DcActor *actor = dc_session_get_actor (self->session);
  DcStore *store = dc_session_get_store (self->session);
  g_autoptr(GError) error = NULL;
  g_autofree char *member = NULL;
  g_autofree char *text = NULL;
  const char *terminal;
  DcMemberToday today;
  DcCardCheck check;
  Choice *choice;

  g_return_if_fail (DC_IS_COUNTER_SCAN (self));

  if (actor == NULL || self->window == NULL)
    return;
  check = dc_card_check (store, dc_actor_vault (actor), payload, &member, &error);
  if (check != DC_CARD_VALID)
    {
      refuse_card (self, check, error);
      return;
    }
  terminal = terminal_of_member (self, member);
  if (terminal != NULL)
    {
      g_signal_emit (self, signals[SELECT], 0, terminal);
      text = g_strdup_printf (_("Member %s is already in the store, on %s."), member, terminal);
      toast (self, text);
      return;
    }
  /* a minor is known now, from the counter tier: not after a refused Enter */
  if (!dc_counter_member_today (store, dc_actor_vault (actor), member, &today, &error))
    {
      if (g_error_matches (error, DC_ERROR, DC_ERROR_CURFEW))
        refuse_curfew (self, member, error);
      else
        toast (self, error->message);
      return;
    }
  choice = g_new0 (Choice, 1);
  choice->self = g_object_ref (self);
  choice->member = g_steal_pointer (&member);
  choice->card = g_strdup (payload);
  pick (choice, today.minor, &today, NULL);
}

static void
on_scanned (DcScan *scan, const char *payload, DcCounterScan *self)
{
  dc_counter_scan_handle (self, payload);
}

static void
on_scan_broken (DcScan *scan, DcCounterScan *self)
{
  toast (self, _("The card was not read completely. Scan it again."));
}

/* ---- life cycle ---- */

static void
dc_counter_scan_dispose (GObject *object)
{
  DcCounterScan *self = DC_COUNTER_SCAN (object);

  g_clear_object (&self->scan);
  g_clear_object (&self->session);
  g_clear_object (&self->terminals);
  g_clear_weak_pointer (&self->window);
  G_OBJECT_CLASS (dc_counter_scan_parent_class)->dispose (object);
}

static void
dc_counter_scan_class_init (DcCounterScanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dc_counter_scan_dispose;

  signals[TOAST] = g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SELECT] = g_signal_new ("select", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CHECK_DOCUMENT] = g_signal_new ("check-document", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                          NULL, NULL, G_TYPE_NONE, 0);
}

static void
dc_counter_scan_init (DcCounterScan *self)
{
}

DcCounterScan *
dc_counter_scan_new (GtkWindow *window, DcSession *session, GListModel *terminals)
{
  DcCounterScan *self = g_object_new (DC_TYPE_COUNTER_SCAN, NULL);

  g_set_weak_pointer (&self->window, window);
  self->session = g_object_ref (session);
  self->terminals = g_object_ref (terminals);
  self->scan = dc_scan_new (window);
  g_signal_connect_object (self->scan, "scanned", G_CALLBACK (on_scanned), self, 0);
  g_signal_connect_object (self->scan, "broken", G_CALLBACK (on_scan_broken), self, 0);
  return self;
}
