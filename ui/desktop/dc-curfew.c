/* ui/desktop/dc-curfew.c — alerts 30 and 10 minutes before a minor's curfew, and at the curfew a dialog that checks them out. */
#include "dc-curfew.h"
#include "dc-checkin.h"

#include <glib/gi18n-lib.h>

/* How far a visit has come towards its curfew; an alert is given once per stage reached. */
typedef enum {
  STAGE_NONE,
  STAGE_EARLY,      /* within DC_CURFEW_ALERT_EARLY_MINUTES */
  STAGE_LATE,       /* within DC_CURFEW_ALERT_LATE_MINUTES */
  STAGE_CURFEW,     /* in the curfew now */
} Stage;

struct _DcCurfew
{
  GObject           parent_instance;

  DcSession        *session;
  GtkWindow        *window;     /* weak */
  AdwToastOverlay  *toasts;     /* weak */
  GHashTable       *stages;     /* visit id (gint64 *) → Stage reached */
  guint             tick;

  AdwMessageDialog *dialog;     /* weak; NULL when not showing */
  GtkListBox       *list;
  GArray           *listed;     /* visit ids in the dialog */
  gboolean          put_off;    /* "Later": the dialog comes back at remind_at */
  gint64            remind_at;
};

G_DEFINE_FINAL_TYPE (DcCurfew, dc_curfew, G_TYPE_OBJECT)

enum { ALERT, N_SIGNALS };
static guint signals[N_SIGNALS];

static Stage
stage_of (gint minutes)
{
  if (minutes < 0)
    return STAGE_NONE;
  if (minutes == 0)
    return STAGE_CURFEW;
  if (minutes <= DC_CURFEW_ALERT_LATE_MINUTES)
    return STAGE_LATE;
  if (minutes <= DC_CURFEW_ALERT_EARLY_MINUTES)
    return STAGE_EARLY;
  return STAGE_NONE;
}

static DcStore *
store_of (DcCurfew *self)
{
  return dc_session_get_store (self->session);
}

/* "23:00" for the store time @at. */
static char *
clock_text (DcCurfew *self, gint64 at)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, dc_store_timezone (store_of (self)));

  return g_date_time_format (local, "%H:%M");
}

/* Where a minor is, for the clerk: the terminal, or the member number between terminals. */
static const char *
whereabouts (const DcBoardVisit *v)
{
  return v->terminal != NULL ? v->terminal : v->member_number;
}

static void
toast (DcCurfew *self, const char *text, guint timeout)
{
  g_autofree char *markup = g_markup_escape_text (text, -1);
  AdwToast *t;

  if (self->toasts == NULL)
    return;
  t = adw_toast_new (markup);
  adw_toast_set_priority (t, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (t, timeout);
  adw_toast_overlay_add_toast (self->toasts, t);
}

/* ---- alerts before the curfew ---- */

static void
alert (DcCurfew *self, gint64 now, GPtrArray *visits)
{
  g_autoptr(GString) where = g_string_new (NULL);
  g_autofree char *at = NULL;
  g_autofree char *text = NULL;
  gboolean bell = dc_store_get_setting (store_of (self), DC_SETTING_CURFEW_SOUND) != 0;
  gint minutes = G_MAXINT;

  for (guint i = 0; i < visits->len; i++)
    {
      const DcBoardVisit *v = g_ptr_array_index (visits, i);

      if (where->len > 0)
        /* Translators: between the terminals in a curfew alert: "PC-04, PC-08" */
        g_string_append (where, _(", "));
      g_string_append (where, whereabouts (v));
      minutes = MIN (minutes, v->minutes_to_curfew);
    }
  at = clock_text (self, now + (gint64) minutes * G_TIME_SPAN_MINUTE);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Curfew at %s, in %d minute: minors on %s must leave by then.",
                                       "Curfew at %s, in %d minutes: minors on %s must leave by then.",
                                       minutes),
                          at, minutes, where->str);
  toast (self, text, 15);
  if (bell && self->window != NULL)
    gtk_widget_error_bell (GTK_WIDGET (self->window));
  g_signal_emit (self, signals[ALERT], 0, minutes, visits->len, bell);
}

/* ---- the dialog at the curfew ---- */

static void dialog_refresh (DcCurfew *self, const DcBoard *board);

static gboolean
checkout (DcCurfew *self, gint64 visit_id)
{
  DcActor *actor = dc_session_get_actor (self->session);
  g_autoptr(GError) error = NULL;

  if (actor == NULL)
    return FALSE;
  if (!dc_checkout (store_of (self), actor, NULL, visit_id, DC_EXIT_CURFEW, &error))
    {
      toast (self, error->message, 0);
      return FALSE;
    }
  return TRUE;
}

static void
on_checkout_one (GtkButton *button, DcCurfew *self)
{
  gint64 *visit_id = g_object_get_data (G_OBJECT (button), "dc-visit-id");

  if (checkout (self, *visit_id))
    {
      toast (self, _("Checked out at the curfew."), 5);
      dc_session_changed (self->session);   /* the board, and this dialog, are read again */
    }
}

static void
on_response (AdwMessageDialog *dialog, const char *response, DcCurfew *self)
{
  g_autoptr(GArray) listed = g_steal_pointer (&self->listed);
  guint done = 0;

  /* the dialog closes itself after this: forget it first, so a re-read leaves it alone */
  g_clear_weak_pointer (&self->dialog);
  self->list = NULL;
  if (g_strcmp0 (response, "checkout") != 0)
    {
      self->put_off = TRUE;
      self->remind_at = dc_session_now (self->session) + DC_CURFEW_REMIND_MINUTES * G_TIME_SPAN_MINUTE;
      return;
    }
  for (guint i = 0; listed != NULL && i < listed->len; i++)
    done += checkout (self, g_array_index (listed, gint64, i)) ? 1 : 0;
  if (done > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u minor was checked out at the curfew.",
                                                            "%u minors were checked out at the curfew.", done),
                                               done);
      toast (self, text, 5);
      dc_session_changed (self->session);
    }
}

static GtkWidget *
minor_row (DcCurfew *self, const DcBoardVisit *v)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("Check _Out"));
  g_autofree char *since = clock_text (self, v->entered_at);
  g_autofree char *subtitle = NULL;
  g_autofree char *name = g_strdup_printf ("curfew-checkout-%" G_GINT64_FORMAT, v->visit_id);
  g_autofree char *label = NULL;
  gint64 *id = g_new (gint64, 1);

  /* Translators: under a minor's terminal in the curfew dialog: member number, time of entry */
  subtitle = g_strdup_printf (_("Member %s · in since %s"), v->member_number, since);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 v->terminal != NULL ? v->terminal : _("Between terminals"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_name (button, name);
  label = g_strdup_printf (_("Check out the minor on %s"), whereabouts (v));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  *id = v->visit_id;
  g_object_set_data_full (G_OBJECT (button), "dc-visit-id", id, g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_checkout_one), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
dialog_refresh (DcCurfew *self, const DcBoard *board)
{
  g_autofree char *now = clock_text (self, board->at);
  g_autofree char *body = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_array_set_size (self->listed, 0);
  for (guint i = 0; i < board->visits->len; i++)
    {
      const DcBoardVisit *v = &g_array_index (board->visits, DcBoardVisit, i);

      if (v->minor && v->minutes_to_curfew == 0)
        {
          gtk_list_box_append (self->list, minor_row (self, v));
          g_array_append_val (self->listed, v->visit_id);
        }
    }
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "It is %s: this minor may not stay during the youth curfew. "
                                       "Check them out and ask them to go home.",
                                       "It is %s: these %u minors may not stay during the youth curfew. "
                                       "Check them out and ask them to go home.",
                                       self->listed->len),
                          now, self->listed->len);
  adw_message_dialog_set_body (self->dialog, body);
}

static void
dialog_open (DcCurfew *self, const DcBoard *board)
{
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (self->window, _("Curfew: Minors Must Leave"), NULL));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Minors still in the store"), -1);
  /* a long list scrolls inside the dialog instead of pushing the buttons off a 768-pixel screen */
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  /* wide enough that a row's member number and entry time stay on one line */
  gtk_widget_set_size_request (scroller, 400, -1);
  adw_message_dialog_set_extra_child (dialog, scroller);
  adw_message_dialog_add_responses (dialog, "later", _("_Later"), "checkout", _("_Check Out All"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "checkout", ADW_RESPONSE_SUGGESTED);
  /* Enter puts it off: checking everyone out is a record of them leaving, so it is chosen
   * with a click or its key (Alt+C), never by a reflexive Enter while they are still here */
  adw_message_dialog_set_default_response (dialog, "later");
  adw_message_dialog_set_close_response (dialog, "later");
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_response), self, 0);

  g_set_weak_pointer (&self->dialog, dialog);
  self->list = GTK_LIST_BOX (list);
  if (self->listed == NULL)
    self->listed = g_array_new (FALSE, FALSE, sizeof (gint64));
  dialog_refresh (self, board);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
dialog_close (DcCurfew *self)
{
  AdwMessageDialog *dialog = self->dialog;

  g_clear_weak_pointer (&self->dialog);
  self->list = NULL;
  g_clear_pointer (&self->listed, g_array_unref);
  if (dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
}

/* ---- reading the board ---- */

void
dc_curfew_check (DcCurfew *self)
{
  g_autoptr(DcBoard) board = NULL;
  g_autoptr(GHashTable) stages = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GPtrArray) early = g_ptr_array_new ();
  g_autoptr(GPtrArray) late = g_ptr_array_new ();
  gboolean newly_in_curfew = FALSE;
  guint in_curfew = 0;

  g_return_if_fail (DC_IS_CURFEW (self));

  if (self->window == NULL || !dc_session_get_signed_in (self->session))
    return;
  board = dc_session_read_board (self->session, NULL);
  if (board == NULL)
    return;   /* the board shows the error; the next tick tries again */

  for (guint i = 0; i < board->visits->len; i++)
    {
      const DcBoardVisit *v = &g_array_index (board->visits, DcBoardVisit, i);
      Stage stage = v->minor ? stage_of (v->minutes_to_curfew) : STAGE_NONE;
      Stage before = GPOINTER_TO_INT (g_hash_table_lookup (self->stages, &v->visit_id));

      if (stage == STAGE_NONE)
        continue;
      /* a stage is alerted once; the stage kept is the current one, so that bands the manager
       * moves later alert again */
      if (stage > before && stage == STAGE_EARLY)
        g_ptr_array_add (early, (gpointer) v);
      else if (stage > before && stage == STAGE_LATE)
        g_ptr_array_add (late, (gpointer) v);
      else if (stage > before && stage == STAGE_CURFEW)
        newly_in_curfew = TRUE;
      in_curfew += stage == STAGE_CURFEW ? 1 : 0;
      g_hash_table_insert (stages, g_memdup2 (&v->visit_id, sizeof v->visit_id), GINT_TO_POINTER (stage));
    }
  g_hash_table_unref (self->stages);
  self->stages = g_steal_pointer (&stages);

  if (dc_store_get_setting (store_of (self), DC_SETTING_CURFEW_ALERTS) != 0)
    {
      if (early->len > 0)
        alert (self, board->at, early);
      if (late->len > 0)
        alert (self, board->at, late);
    }

  if (in_curfew == 0)
    {
      self->put_off = FALSE;
      dialog_close (self);
    }
  else if (self->dialog != NULL)
    dialog_refresh (self, board);
  else if (!self->put_off || newly_in_curfew || board->at >= self->remind_at)
    {
      self->put_off = FALSE;
      dialog_open (self, board);
    }
}

GtkWindow *
dc_curfew_get_dialog (DcCurfew *self)
{
  g_return_val_if_fail (DC_IS_CURFEW (self), NULL);

  return self->dialog != NULL ? GTK_WINDOW (self->dialog) : NULL;
}

DcCurfew *
dc_curfew_for_window (GtkWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "dc-curfew");
}

static gboolean
on_tick (gpointer user_data)
{
  dc_curfew_check (user_data);
  return G_SOURCE_CONTINUE;
}

static void
dc_curfew_dispose (GObject *object)
{
  DcCurfew *self = DC_CURFEW (object);

  g_clear_handle_id (&self->tick, g_source_remove);
  dialog_close (self);
  if (self->window != NULL && dc_curfew_for_window (self->window) == self)
    g_object_set_data (G_OBJECT (self->window), "dc-curfew", NULL);
  g_clear_weak_pointer (&self->window);
  g_clear_weak_pointer (&self->toasts);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (dc_curfew_parent_class)->dispose (object);
}

static void
dc_curfew_finalize (GObject *object)
{
  DcCurfew *self = DC_CURFEW (object);

  g_clear_pointer (&self->stages, g_hash_table_unref);
  G_OBJECT_CLASS (dc_curfew_parent_class)->finalize (object);
}

static void
dc_curfew_class_init (DcCurfewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dc_curfew_dispose;
  object_class->finalize = dc_curfew_finalize;
  signals[ALERT] = g_signal_new ("alert", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 3, G_TYPE_INT, G_TYPE_UINT, G_TYPE_BOOLEAN);
}

static void
dc_curfew_init (DcCurfew *self)
{
  self->stages = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

DcCurfew *
dc_curfew_new (DcSession *session, GtkWindow *window, AdwToastOverlay *toasts)
{
  DcCurfew *self = g_object_new (DC_TYPE_CURFEW, NULL);

  g_return_val_if_fail (DC_IS_SESSION (session), NULL);

  self->session = g_object_ref (session);
  g_set_weak_pointer (&self->window, window);
  g_set_weak_pointer (&self->toasts, toasts);
  g_object_set_data (G_OBJECT (window), "dc-curfew", self);
  g_signal_connect_object (session, "changed", G_CALLBACK (dc_curfew_check), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::signed-in", G_CALLBACK (dc_curfew_check), self, G_CONNECT_SWAPPED);
  self->tick = g_timeout_add_seconds (DC_CURFEW_TICK_SECONDS, on_tick, self);
  return self;
}
