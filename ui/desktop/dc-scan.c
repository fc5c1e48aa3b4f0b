/* ui/desktop/dc-scan.c — recognises a barcode scanner's keystroke burst ("DC1:…" + Enter) wherever the focus is. */
#include "dc-scan.h"

#include <string.h>

#define PREFIX_LENGTH ((gsize) (sizeof DC_SCAN_PREFIX - 1))
/* How long the window waits for the next key before deciding: longer than the gap, because
 * the timer and the keys share one main loop. */
#define IDLE_MS (3 * DC_SCAN_GAP_MS)

/* ---- the recogniser ---- */

void
dc_scan_burst_init (DcScanBurst *burst)
{
  burst->held = g_string_new (NULL);
  burst->last_ms = 0;
}

void
dc_scan_burst_clear (DcScanBurst *burst)
{
  if (burst->held != NULL)
    g_string_free (burst->held, TRUE);
  burst->held = NULL;
}

/* A scanner with Caps Lock on types the card in lower case: still a card. */
static gboolean
is_prefix_char (gunichar ch, gsize index)
{
  return ch < 0x80 && g_ascii_toupper ((char) ch) == DC_SCAN_PREFIX[index];
}

/* Past the prefix: a scanner is typing, no person types "DC1:" that fast. */
static gboolean
in_scan (const DcScanBurst *burst)
{
  return burst->held->len >= PREFIX_LENGTH;
}

static DcScanStep
give_up (const DcScanBurst *burst)
{
  return in_scan (burst) ? DC_SCAN_BROKEN : DC_SCAN_REPLAY;
}

DcScanStep
dc_scan_burst_feed (DcScanBurst *burst, gunichar ch, gboolean enter, gint64 time_ms)
{
  if (burst->held->len == 0)
    {
      if (!is_prefix_char (ch, 0))
        return DC_SCAN_PASS;
      g_string_append_c (burst->held, (char) ch);
      burst->last_ms = time_ms;
      return DC_SCAN_HOLD;
    }
  if (time_ms - burst->last_ms > DC_SCAN_GAP_MS)
    return give_up (burst);
  if (!in_scan (burst))
    {
      if (!is_prefix_char (ch, burst->held->len))
        return DC_SCAN_REPLAY;
      g_string_append_c (burst->held, (char) ch);
      burst->last_ms = time_ms;
      return in_scan (burst) ? DC_SCAN_CONTINUE : DC_SCAN_HOLD;
    }
  if (enter)
    return DC_SCAN_DONE;
  /* card payloads are printable ASCII; anything else is not a card */
  if (ch < 0x20 || ch > 0x7e || burst->held->len >= DC_SCAN_MAX_LENGTH)
    return DC_SCAN_BROKEN;
  g_string_append_c (burst->held, (char) ch);
  burst->last_ms = time_ms;
  return DC_SCAN_CONTINUE;
}

DcScanStep
dc_scan_burst_idle (DcScanBurst *burst, gint64 now_ms)
{
  if (burst->held->len == 0 || now_ms - burst->last_ms <= DC_SCAN_GAP_MS)
    return DC_SCAN_PASS;
  return give_up (burst);
}

char *
dc_scan_burst_take (DcScanBurst *burst)
{
  char *text = g_strdup (burst->held->str);

  g_string_truncate (burst->held, 0);
  return text;
}

/* ---- on windows ---- */

struct _DcScan
{
  GObject      parent_instance;

  GtkWindow   *owner;      /* weak */
  GtkWindow   *held_in;    /* weak: where the held keys were typed */
  DcScanBurst  burst;
  gint64       offset_ms;  /* event time − monotonic time at the last key */
  guint        idle_id;
};

G_DEFINE_FINAL_TYPE (DcScan, dc_scan, G_TYPE_OBJECT)

enum { SCANNED, BROKEN, N_SIGNALS };
static guint signals[N_SIGNALS];

static gint64
monotonic_ms (void)
{
  return g_get_monotonic_time () / 1000;
}

/* Is @window the owner or one of its modal dialogs? Not a window of its own over it (the
 * manager area), where a scanned card may be meant for a text field. */
static gboolean
is_ours (DcScan *self, GtkWindow *window)
{
  return window == self->owner
         || (gtk_window_get_modal (window) && gtk_window_get_transient_for (window) == self->owner);
}

/* The person's typing that was held back goes where it would have gone. */
static void
replay (DcScan *self)
{
  g_autofree char *text = dc_scan_burst_take (&self->burst);
  GtkWidget *focus = self->held_in != NULL ? gtk_root_get_focus (GTK_ROOT (self->held_in)) : NULL;
  int position;

  if (!GTK_IS_EDITABLE (focus) || !gtk_editable_get_editable (GTK_EDITABLE (focus)))
    return;
  gtk_editable_delete_selection (GTK_EDITABLE (focus));
  position = gtk_editable_get_position (GTK_EDITABLE (focus));
  gtk_editable_insert_text (GTK_EDITABLE (focus), text, -1, &position);
  gtk_editable_set_position (GTK_EDITABLE (focus), position);
}

static void
broken (DcScan *self)
{
  g_free (dc_scan_burst_take (&self->burst));
  g_signal_emit (self, signals[BROKEN], 0);
}

/* Acts on a step that ends a burst; TRUE when it did. */
static gboolean
finish (DcScan *self, DcScanStep step)
{
  g_autofree char *payload = NULL;

  switch (step)
    {
    case DC_SCAN_REPLAY:
      replay (self);
      return TRUE;
    case DC_SCAN_BROKEN:
      broken (self);
      return TRUE;
    case DC_SCAN_DONE:
      payload = dc_scan_burst_take (&self->burst);
      g_signal_emit (self, signals[SCANNED], 0, payload);
      return TRUE;
    case DC_SCAN_PASS:
    case DC_SCAN_HOLD:
    case DC_SCAN_CONTINUE:
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
on_idle (gpointer user_data)
{
  DcScan *self = user_data;

  self->idle_id = 0;
  finish (self, dc_scan_burst_idle (&self->burst, monotonic_ms () + self->offset_ms));
  return G_SOURCE_REMOVE;
}

static gboolean
is_modifier (guint keyval)
{
  return (keyval >= GDK_KEY_Shift_L && keyval <= GDK_KEY_Hyper_R) || keyval == GDK_KEY_ISO_Level3_Shift
         || keyval == GDK_KEY_ISO_Level5_Shift || keyval == GDK_KEY_Mode_switch || keyval == GDK_KEY_Num_Lock;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller, guint keyval, guint keycode, GdkModifierType state, DcScan *self)
{
  GtkWindow *window = GTK_WINDOW (gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller)));
  gboolean command = (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0;
  gboolean enter = !command && (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter);
  gunichar ch = command ? 0 : gdk_keyval_to_unicode (keyval);
  gint64 now = monotonic_ms ();
  gint64 time_ms = gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller));
  DcScanStep step;

  /* a scanner holds Shift for capitals: only the keys that type count */
  if (is_modifier (keyval) || !is_ours (self, window))
    return GDK_EVENT_PROPAGATE;
  /* keys fed by hand (tests) carry no time: the clock of the moment serves */
  if (time_ms == 0)
    time_ms = now;
  g_clear_handle_id (&self->idle_id, g_source_remove);
  step = dc_scan_burst_feed (&self->burst, ch, enter, time_ms);
  if (finish (self, step))
    {
      if (step == DC_SCAN_DONE)
        return GDK_EVENT_STOP;
      /* the burst is over: this key is judged afresh, perhaps the start of the next */
      step = dc_scan_burst_feed (&self->burst, ch, enter, time_ms);
    }
  if (step == DC_SCAN_PASS)
    return GDK_EVENT_PROPAGATE;
  g_set_weak_pointer (&self->held_in, window);
  self->offset_ms = time_ms - now;
  self->idle_id = g_timeout_add (IDLE_MS, on_idle, self);
  return GDK_EVENT_STOP;
}

static void
attach (DcScan *self, GtkWindow *window)
{
  GtkEventController *controller;

  if (g_object_get_data (G_OBJECT (window), "dc-scan") != NULL)
    return;
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (on_key_pressed), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (window), controller);
  g_object_set_data (G_OBJECT (window), "dc-scan", controller);
}

/* A dialog is listed as a toplevel before it is made transient: listen on every new window
 * and decide at each key whether it is over the owner. */
static void
on_toplevels_changed (GListModel *toplevels, guint position, guint removed, guint added, DcScan *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      attach (self, window);
    }
}

GtkEventController *
dc_scan_get_controller (GtkWindow *window)
{
  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);

  return g_object_get_data (G_OBJECT (window), "dc-scan");
}

static void
dc_scan_dispose (GObject *object)
{
  DcScan *self = DC_SCAN (object);
  GListModel *toplevels = gtk_window_get_toplevels ();

  g_clear_handle_id (&self->idle_id, g_source_remove);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      GtkEventController *controller = g_object_steal_data (G_OBJECT (window), "dc-scan");

      if (controller != NULL)
        gtk_widget_remove_controller (GTK_WIDGET (window), controller);
    }
  g_clear_weak_pointer (&self->owner);
  g_clear_weak_pointer (&self->held_in);
  G_OBJECT_CLASS (dc_scan_parent_class)->dispose (object);
}

static void
dc_scan_finalize (GObject *object)
{
  DcScan *self = DC_SCAN (object);

  dc_scan_burst_clear (&self->burst);
  G_OBJECT_CLASS (dc_scan_parent_class)->finalize (object);
}

static void
dc_scan_class_init (DcScanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = dc_scan_dispose;
  object_class->finalize = dc_scan_finalize;

  signals[SCANNED] = g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[BROKEN] = g_signal_new ("broken", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 0);
}

static void
dc_scan_init (DcScan *self)
{
  dc_scan_burst_init (&self->burst);
}

DcScan *
dc_scan_new (GtkWindow *owner)
{
  DcScan *self = g_object_new (DC_TYPE_SCAN, NULL);
  GListModel *toplevels = gtk_window_get_toplevels ();

  g_set_weak_pointer (&self->owner, owner);
  on_toplevels_changed (toplevels, 0, 0, g_list_model_get_n_items (toplevels), self);
  g_signal_connect_object (toplevels, "items-changed", G_CALLBACK (on_toplevels_changed), self, 0);
  return self;
}
