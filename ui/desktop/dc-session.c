/* ui/desktop/dc-session.c — the open store, the signed-in clerk, the manager step-up, change notification. */
#include "dc-session.h"

struct _DcSession
{
  GObject  parent_instance;
  DcStore *store;
  DcActor *actor;
  DcActor *manager;
  gint64   manager_until;   /* monotonic µs */
  guint    step_up_seconds;
};

G_DEFINE_FINAL_TYPE (DcSession, dc_session, G_TYPE_OBJECT)

enum { PROP_0, PROP_SIGNED_IN, PROP_STAFF_NAME, N_PROPS };
enum { CHANGED, LOCKED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
dc_session_finalize (GObject *object)
{
  DcSession *self = DC_SESSION (object);

  g_clear_pointer (&self->actor, dc_actor_free);
  g_clear_pointer (&self->manager, dc_actor_free);
  g_clear_pointer (&self->store, dc_store_free);
  G_OBJECT_CLASS (dc_session_parent_class)->finalize (object);
}

static void
dc_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  DcSession *self = DC_SESSION (object);

  switch (prop_id)
    {
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->actor != NULL);
      break;
    case PROP_STAFF_NAME:
      g_value_set_string (value, dc_session_get_staff_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
dc_session_class_init (DcSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = dc_session_finalize;
  object_class->get_property = dc_session_get_property;

  properties[PROP_SIGNED_IN] = g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STAFF_NAME] = g_param_spec_string ("staff-name", NULL, NULL, NULL,
                                                     G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  signals[LOCKED] = g_signal_new ("locked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 0);
}

static void
dc_session_init (DcSession *self)
{
  self->step_up_seconds = DC_STEP_UP_SECONDS;
}

DcSession *
dc_session_new (DcStore *store)
{
  DcSession *self = g_object_new (DC_TYPE_SESSION, NULL);

  self->store = store;
  return self;
}

DcStore *
dc_session_get_store (DcSession *self)
{
  return self->store;
}

gboolean
dc_session_sign_in (DcSession *self, const char *staff_name, const char *pin, GError **error)
{
  DcActor *actor = dc_store_sign_in_pin (self->store, staff_name, pin, error);

  if (actor == NULL)
    return FALSE;
  g_clear_pointer (&self->actor, dc_actor_free);
  self->actor = actor;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF_NAME]);
  return TRUE;
}

void
dc_session_lock (DcSession *self)
{
  gboolean was = self->actor != NULL;

  g_clear_pointer (&self->actor, dc_actor_free);
  g_clear_pointer (&self->manager, dc_actor_free);
  if (was)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF_NAME]);
    }
  g_signal_emit (self, signals[LOCKED], 0);
}

gboolean
dc_session_get_signed_in (DcSession *self)
{
  return self->actor != NULL;
}

DcActor *
dc_session_get_actor (DcSession *self)
{
  return self->actor;
}

const char *
dc_session_get_staff_name (DcSession *self)
{
  return self->actor != NULL ? dc_actor_name (self->actor) : NULL;
}

gboolean
dc_session_step_up (DcSession *self, const char *manager_name, const char *passphrase, GError **error)
{
  DcActor *manager = dc_store_sign_in_passphrase (self->store, manager_name, passphrase, error);

  if (manager == NULL)
    return FALSE;
  g_clear_pointer (&self->manager, dc_actor_free);
  self->manager = manager;
  self->manager_until = g_get_monotonic_time () + (gint64) self->step_up_seconds * G_USEC_PER_SEC;
  return TRUE;
}

DcActor *
dc_session_get_manager (DcSession *self)
{
  if (self->manager != NULL && g_get_monotonic_time () > self->manager_until)
    g_clear_pointer (&self->manager, dc_actor_free);
  return self->manager;
}

void
dc_session_set_step_up_seconds (DcSession *self, guint seconds)
{
  self->step_up_seconds = seconds;
}

DcBoard *
dc_session_read_board (DcSession *self, GError **error)
{
  return dc_board_read (self->store, self->actor != NULL ? dc_actor_vault (self->actor) : NULL, error);
}

void
dc_session_changed (DcSession *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

gint64
dc_session_now (DcSession *self)
{
  return dc_store_now (self->store);
}
