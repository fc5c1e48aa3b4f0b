/* ui/desktop/dc-terminal-item.c — one terminal on the counter board, as a list-model item updated in place. */
#include "dc-terminal-item.h"

struct _DcTerminalItem
{
  GObject         parent_instance;
  gint64          id;
  char           *label;
  char           *booth;
  gint            state;     /* DcTerminalState */
  gboolean        filtered;
  gint64          visit_id;
  char           *member;
  gint64          entered_at;
  gint            elapsed;
  gboolean        minor;
  gint            minutes_to_curfew;
};

G_DEFINE_FINAL_TYPE (DcTerminalItem, dc_terminal_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_LABEL,
  PROP_BOOTH,
  PROP_STATE,
  PROP_FILTERED,
  PROP_VISIT_ID,
  PROP_MEMBER,
  PROP_ENTERED_AT,
  PROP_ELAPSED,
  PROP_MINOR,
  PROP_MINUTES_TO_CURFEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dc_terminal_item_finalize (GObject *object)
{
  DcTerminalItem *self = DC_TERMINAL_ITEM (object);

  g_free (self->label);
  g_free (self->booth);
  g_free (self->member);
  G_OBJECT_CLASS (dc_terminal_item_parent_class)->finalize (object);
}

static void
dc_terminal_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DcTerminalItem *self = DC_TERMINAL_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_BOOTH:
      g_value_set_string (value, self->booth);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_FILTERED:
      g_value_set_boolean (value, self->filtered);
      break;
    case PROP_VISIT_ID:
      g_value_set_int64 (value, self->visit_id);
      break;
    case PROP_MEMBER:
      g_value_set_string (value, self->member);
      break;
    case PROP_ENTERED_AT:
      g_value_set_int64 (value, self->entered_at);
      break;
    case PROP_ELAPSED:
      g_value_set_int (value, self->elapsed);
      break;
    case PROP_MINOR:
      g_value_set_boolean (value, self->minor);
      break;
    case PROP_MINUTES_TO_CURFEW:
      g_value_set_int (value, self->minutes_to_curfew);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dc_terminal_item_class_init (DcTerminalItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dc_terminal_item_finalize;
  object_class->get_property = dc_terminal_item_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);
  properties[PROP_BOOTH] = g_param_spec_string ("booth", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, DC_TERMINAL_FREE, DC_TERMINAL_OUT_OF_ORDER,
                                             DC_TERMINAL_FREE, flags);
  properties[PROP_FILTERED] = g_param_spec_boolean ("filtered", NULL, NULL, FALSE, flags);
  properties[PROP_VISIT_ID] = g_param_spec_int64 ("visit-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_MEMBER] = g_param_spec_string ("member", NULL, NULL, NULL, flags);
  properties[PROP_ENTERED_AT] = g_param_spec_int64 ("entered-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_ELAPSED] = g_param_spec_int ("elapsed", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_MINOR] = g_param_spec_boolean ("minor", NULL, NULL, FALSE, flags);
  properties[PROP_MINUTES_TO_CURFEW] = g_param_spec_int ("minutes-to-curfew", NULL, NULL, -1, G_MAXINT, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dc_terminal_item_init (DcTerminalItem *self)
{
  self->minutes_to_curfew = -1;
}

/* The setters notify only on a real change: every notify redraws a bound tile. */
static void
set_string (DcTerminalItem *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int64 (DcTerminalItem *self, gint64 *field, gint64 value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int (DcTerminalItem *self, gint *field, gint value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
dc_terminal_item_update (DcTerminalItem *self, const DcBoardTerminal *t, gint64 now)
{
  gboolean in_use = t->state == DC_TERMINAL_IN_USE && t->visit_id != 0;
  gint elapsed = in_use ? (gint) MAX (0, (now - t->entered_at) / (60 * G_USEC_PER_SEC)) : 0;

  g_return_if_fail (DC_IS_TERMINAL_ITEM (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_int64 (self, &self->id, t->id, PROP_ID);
  set_string (self, &self->label, t->label, PROP_LABEL);
  set_string (self, &self->booth, t->booth, PROP_BOOTH);
  set_int (self, &self->state, t->state, PROP_STATE);
  set_int (self, &self->filtered, !!t->filtered, PROP_FILTERED);
  set_int64 (self, &self->visit_id, in_use ? t->visit_id : 0, PROP_VISIT_ID);
  set_string (self, &self->member, in_use ? t->member_number : NULL, PROP_MEMBER);
  set_int64 (self, &self->entered_at, in_use ? t->entered_at : 0, PROP_ENTERED_AT);
  set_int (self, &self->elapsed, elapsed, PROP_ELAPSED);
  set_int (self, &self->minor, in_use && t->minor, PROP_MINOR);
  set_int (self, &self->minutes_to_curfew, in_use ? t->minutes_to_curfew : -1, PROP_MINUTES_TO_CURFEW);
  g_object_thaw_notify (G_OBJECT (self));
}

DcTerminalItem *
dc_terminal_item_new (const DcBoardTerminal *terminal, gint64 now)
{
  DcTerminalItem *self = g_object_new (DC_TYPE_TERMINAL_ITEM, NULL);

  dc_terminal_item_update (self, terminal, now);
  return self;
}

gint64
dc_terminal_item_get_id (DcTerminalItem *self)
{
  g_return_val_if_fail (DC_IS_TERMINAL_ITEM (self), 0);
  return self->id;
}

const char *
dc_terminal_item_get_label (DcTerminalItem *self)
{
  g_return_val_if_fail (DC_IS_TERMINAL_ITEM (self), NULL);
  return self->label;
}

const char *
dc_terminal_item_get_booth (DcTerminalItem *self)
{
  g_return_val_if_fail (DC_IS_TERMINAL_ITEM (self), NULL);
  return self->booth;
}

DcTerminalState
dc_terminal_item_get_state (DcTerminalItem *self)
{
  g_return_val_if_fail (DC_IS_TERMINAL_ITEM (self), DC_TERMINAL_FREE);
  return (DcTerminalState) self->state;
}

gboolean
dc_terminal_item_get_filtered (DcTerminalItem *self)
{
  g_return_val_if_fail (DC_IS_TERMINAL_ITEM (self), FALSE);
  return self->filtered;
}

gint64
dc_terminal_item_get_visit_id (DcTerminalItem *self)
{
  g_return_val_if_fail (DC_IS_TERMINAL_ITEM (self), 0);
  return self->visit_id;
}

const char *
dc_terminal_item_get_member (DcTerminalItem *self)
{
  g_return_val_if_fail (DC_IS_TERMINAL_ITEM (self), NULL);
  return self->member;
}

gint64
dc_terminal_item_get_entered_at (DcTerminalItem *self)
{
  g_return_val_if_fail (DC_IS_TERMINAL_ITEM (self), 0);
  return self->entered_at;
}

gint
dc_terminal_item_get_elapsed (DcTerminalItem *self)
{
  g_return_val_if_fail (DC_IS_TERMINAL_ITEM (self), 0);
  return self->elapsed;
}

gboolean
dc_terminal_item_get_minor (DcTerminalItem *self)
{
  g_return_val_if_fail (DC_IS_TERMINAL_ITEM (self), FALSE);
  return self->minor;
}

gint
dc_terminal_item_get_minutes_to_curfew (DcTerminalItem *self)
{
  g_return_val_if_fail (DC_IS_TERMINAL_ITEM (self), -1);
  return self->minutes_to_curfew;
}

