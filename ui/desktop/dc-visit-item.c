/* ui/desktop/dc-visit-item.c — one customer in the store, as a list-model item updated in place. */
#include "dc-visit-item.h"

struct _DcVisitItem
{
  GObject  parent_instance;
  gint64   visit_id;
  char    *member;
  char    *terminal;
  gint64   entered_at;
  gint     elapsed;
  gboolean minor;
  gint     minutes_to_curfew;
};

G_DEFINE_FINAL_TYPE (DcVisitItem, dc_visit_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_VISIT_ID,
  PROP_MEMBER,
  PROP_TERMINAL,
  PROP_ENTERED_AT,
  PROP_ELAPSED,
  PROP_MINOR,
  PROP_MINUTES_TO_CURFEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
dc_visit_item_finalize (GObject *object)
{
  DcVisitItem *self = DC_VISIT_ITEM (object);

  g_free (self->member);
  g_free (self->terminal);
  G_OBJECT_CLASS (dc_visit_item_parent_class)->finalize (object);
}

static void
dc_visit_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DcVisitItem *self = DC_VISIT_ITEM (object);

  switch (prop_id)
    {
    case PROP_VISIT_ID:
      g_value_set_int64 (value, self->visit_id);
      break;
    case PROP_MEMBER:
      g_value_set_string (value, self->member);
      break;
    case PROP_TERMINAL:
      g_value_set_string (value, self->terminal);
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
dc_visit_item_class_init (DcVisitItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = dc_visit_item_finalize;
  object_class->get_property = dc_visit_item_get_property;

  properties[PROP_VISIT_ID] = g_param_spec_int64 ("visit-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_MEMBER] = g_param_spec_string ("member", NULL, NULL, NULL, flags);
  properties[PROP_TERMINAL] = g_param_spec_string ("terminal", NULL, NULL, NULL, flags);
  properties[PROP_ENTERED_AT] = g_param_spec_int64 ("entered-at", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_ELAPSED] = g_param_spec_int ("elapsed", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_MINOR] = g_param_spec_boolean ("minor", NULL, NULL, FALSE, flags);
  properties[PROP_MINUTES_TO_CURFEW] = g_param_spec_int ("minutes-to-curfew", NULL, NULL, -1, G_MAXINT, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
dc_visit_item_init (DcVisitItem *self)
{
  self->minutes_to_curfew = -1;
}

/* Notify only on a real change: a notify re-binds a cell and may re-sort the list. */
static void
set_string (DcVisitItem *self, char **field, const char *value, guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int64 (DcVisitItem *self, gint64 *field, gint64 value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int (DcVisitItem *self, gint *field, gint value, guint prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
dc_visit_item_update (DcVisitItem *self, const DcBoardVisit *v, gint64 now)
{
  g_return_if_fail (DC_IS_VISIT_ITEM (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_int64 (self, &self->visit_id, v->visit_id, PROP_VISIT_ID);
  set_string (self, &self->member, v->member_number, PROP_MEMBER);
  set_string (self, &self->terminal, v->terminal, PROP_TERMINAL);
  set_int64 (self, &self->entered_at, v->entered_at, PROP_ENTERED_AT);
  set_int (self, &self->elapsed, (gint) MAX (0, (now - v->entered_at) / (60 * G_USEC_PER_SEC)), PROP_ELAPSED);
  set_int (self, &self->minor, !!v->minor, PROP_MINOR);
  set_int (self, &self->minutes_to_curfew, v->minor ? v->minutes_to_curfew : -1, PROP_MINUTES_TO_CURFEW);
  g_object_thaw_notify (G_OBJECT (self));
}

DcVisitItem *
dc_visit_item_new (const DcBoardVisit *visit, gint64 now)
{
  DcVisitItem *self = g_object_new (DC_TYPE_VISIT_ITEM, NULL);

  dc_visit_item_update (self, visit, now);
  return self;
}

gint64
dc_visit_item_get_visit_id (DcVisitItem *self)
{
  g_return_val_if_fail (DC_IS_VISIT_ITEM (self), 0);
  return self->visit_id;
}

const char *
dc_visit_item_get_member (DcVisitItem *self)
{
  g_return_val_if_fail (DC_IS_VISIT_ITEM (self), NULL);
  return self->member;
}

const char *
dc_visit_item_get_terminal (DcVisitItem *self)
{
  g_return_val_if_fail (DC_IS_VISIT_ITEM (self), NULL);
  return self->terminal;
}

gint64
dc_visit_item_get_entered_at (DcVisitItem *self)
{
  g_return_val_if_fail (DC_IS_VISIT_ITEM (self), 0);
  return self->entered_at;
}

gint
dc_visit_item_get_elapsed (DcVisitItem *self)
{
  g_return_val_if_fail (DC_IS_VISIT_ITEM (self), 0);
  return self->elapsed;
}

gboolean
dc_visit_item_get_minor (DcVisitItem *self)
{
  g_return_val_if_fail (DC_IS_VISIT_ITEM (self), FALSE);
  return self->minor;
}

gint
dc_visit_item_get_minutes_to_curfew (DcVisitItem *self)
{
  g_return_val_if_fail (DC_IS_VISIT_ITEM (self), -1);
  return self->minutes_to_curfew;
}
