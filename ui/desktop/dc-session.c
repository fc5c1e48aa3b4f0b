/* ui/desktop/dc-session.c — the open store, the signed-in clerk, the manager step-up, change notification. */
#include "dc-session.h"
#include "dc-police.h"

struct _DcSession
{
  GObject  parent_instance;
  DcStore *store;
  DcActor *actor;
  DcActor *manager;
  gint64   manager_until;   /* monotonic µs */
  guint    step_up_seconds;
  guint    holds;
  gboolean lock_pending;
  guint    fill_source;     /* caching read keys while a manager is stepped up */
  gboolean changing;        /* inside dc_session_changed's emission */
  DcBoard *board;           /* the board read during it, for every handler */
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

  g_clear_handle_id (&self->fill_source, g_source_remove);
  g_clear_pointer (&self->board, dc_board_free);
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

  if (self->holds > 0)
    {
      self->lock_pending = TRUE;
      return;
    }
  self->lock_pending = FALSE;
  g_clear_handle_id (&self->fill_source, g_source_remove);
  g_clear_pointer (&self->actor, dc_actor_free);
  g_clear_pointer (&self->manager, dc_actor_free);
  if (was)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF_NAME]);
    }
  g_signal_emit (self, signals[LOCKED], 0);
}

void
dc_session_hold (DcSession *self)
{
  g_return_if_fail (DC_IS_SESSION (self));
  self->holds++;
}

void
dc_session_release (DcSession *self)
{
  g_return_if_fail (DC_IS_SESSION (self));
  g_return_if_fail (self->holds > 0);
  if (--self->holds == 0 && self->lock_pending)
    dc_session_lock (self);
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

/* One batch of read keys (docs/decisions.md, "Police read keys") when nothing else is to be
 * done, while the manager's unlock lasts: a later police query then opens those records
 * without X25519. Any failure just stops it; a query caches what it opens anyway. */
static gboolean
fill_read_keys (gpointer user_data)
{
  DcSession *self = user_data;
  DcActor *manager;
  gboolean more = FALSE;

  /* long work holding the session may be inside its own transaction: wait for it */
  if (self->holds > 0)
    return G_SOURCE_CONTINUE;
  manager = dc_session_get_manager (self);
  if (manager == NULL || !dc_identity_keys_fill_step (self->store, manager, &more, NULL) || !more)
    {
      self->fill_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
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
  if (self->fill_source == 0 && dc_actor_can_read_identity (manager))
    self->fill_source = g_idle_add_full (G_PRIORITY_LOW, fill_read_keys, self, NULL);
  return TRUE;
}

DcActor *
dc_session_get_manager (DcSession *self)
{
  if (self->manager != NULL && self->holds == 0 && g_get_monotonic_time () > self->manager_until)
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
  DcBoard *board;

  /* the counter page and the curfew watcher both read it for one change: once is enough */
  if (self->changing && self->board != NULL)
    return dc_board_copy (self->board);
  board = dc_board_read (self->store, self->actor != NULL ? dc_actor_vault (self->actor) : NULL, error);
  if (self->changing && board != NULL)
    self->board = dc_board_copy (board);
  return board;
}

void
dc_session_changed (DcSession *self)
{
  gboolean outer = !self->changing;

  /* a change made by a handler of an earlier one: what was read is older than it */
  g_clear_pointer (&self->board, dc_board_free);
  self->changing = TRUE;
  g_signal_emit (self, signals[CHANGED], 0);
  if (!outer)
    return;
  self->changing = FALSE;
  g_clear_pointer (&self->board, dc_board_free);
}

gint64
dc_session_now (DcSession *self)
{
  return dc_store_now (self->store);
}
