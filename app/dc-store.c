/* app/dc-store.c — a store: open or create it, sign staff in and out, manage staff and terminals. */
#include "dc-store.h"
#include "dc-audit.h"
#include "dc-date.h"
#include "dc-db-records.h"
#include "dc-db-terminals.h"
#include "dc-filing.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>

struct _DcStore
{
  DcDb            *db;
  DcDb            *reader;          /* dc_store_reader: opened on first use */
  char            *dir;
  DcStoreRow       row;
  GTimeZone       *tz;
  const DcProfile *profile;
  DcProfile        custom_profile;   /* the manager's own curfew bands, when chosen (settings) */
  guint8           box_pk[DC_KEY_BYTES];
  guint8           sign_pk[DC_SIGN_PK_BYTES];
  DcClockFunc      clock;
  gpointer         clock_data;
  DcAuditHeadCache audit_head;
};

struct _DcActor
{
  gint64   staff_id;
  char    *name;
  char    *role;
  DcVault *vault;
};

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time ();
}

char *
dc_store_default_dir (void)
{
  const char *env = g_getenv ("DAICHO_STORE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "daicho", "store", NULL);
}

static gboolean
load (DcStore *store, GError **error)
{
  gboolean found;

  if (!dc_db_store_get (store->db, &store->row, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("This store has not been set up yet."));
      return FALSE;
    }
  store->tz = g_time_zone_new_identifier (store->row.timezone);
  if (store->tz == NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Unknown time zone “%s”."), store->row.timezone);
      return FALSE;
    }
  store->profile = dc_profile_lookup (store->row.prefecture);
  if (store->profile == NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Unknown rule profile “%s”."), store->row.prefecture);
      return FALSE;
    }
  store->profile = dc_profile_for_store (store, store->profile, &store->custom_profile);
  return dc_db_store_keys_get (store->db, store->box_pk, store->sign_pk, error);
}

static DcStore *
store_new (const char *dir)
{
  DcStore *store = g_new0 (DcStore, 1);

  store->dir = g_strdup (dir);
  store->clock = real_clock;
  return store;
}

DcStore *
dc_store_open (const char *dir, GError **error)
{
  g_autoptr(DcStore) store = store_new (dir);
  g_autofree char *path = g_build_filename (dir, DC_STORE_DB_NAME, NULL);

  if (!dc_crypto_init ())
    {
      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO, _("The cryptography library could not start."));
      return NULL;
    }
  store->db = dc_db_open (path, FALSE, error);
  if (store->db == NULL || !load (store, error))
    return NULL;
  return g_steal_pointer (&store);
}

void
dc_store_free (DcStore *store)
{
  if (store == NULL)
    return;
  g_clear_pointer (&store->reader, dc_db_close);
  g_clear_pointer (&store->db, dc_db_close);
  g_clear_pointer (&store->tz, g_time_zone_unref);
  dc_store_row_clear (&store->row);
  g_free (store->dir);
  g_free (store);
}

DcDb *dc_store_db (DcStore *store) { return store->db; }

DcDb *
dc_store_reader (DcStore *store, GError **error)
{
  if (store->reader == NULL)
    store->reader = dc_db_open_reader (dc_db_path (store->db), error);
  return store->reader;
}
const char *dc_store_dir (DcStore *store) { return store->dir; }
const char *dc_store_name (DcStore *store) { return store->row.name; }
const char *dc_store_operator (DcStore *store) { return store->row.operator_name; }
const char *dc_store_uuid (DcStore *store) { return store->row.uuid; }
gboolean dc_store_is_demo (DcStore *store) { return store->row.demo; }
GTimeZone *dc_store_timezone (DcStore *store) { return store->tz; }
const DcProfile *dc_store_profile (DcStore *store) { return store->profile; }
const guint8 *dc_store_box_pk (DcStore *store) { return store->box_pk; }
const guint8 *dc_store_sign_pk (DcStore *store) { return store->sign_pk; }

gboolean
dc_store_checkpoint (DcStore *store, GError **error)
{
  return dc_db_checkpoint (store->db, FALSE, error);
}

void
dc_store_set_clock (DcStore *store, DcClockFunc func, gpointer user_data)
{
  store->clock = func != NULL ? func : real_clock;
  store->clock_data = user_data;
}

void
dc_store_get_clock (DcStore *store, DcClockFunc *func, gpointer *user_data)
{
  *func = store->clock;
  *user_data = store->clock_data;
}

DcAuditHeadCache *
dc_store_audit_head_cache (DcStore *store)
{
  return &store->audit_head;
}

gint64
dc_store_now (DcStore *store)
{
  return store->clock (store->clock_data);
}

void
dc_store_today (DcStore *store, GDate *out)
{
  dc_date_from_instant (dc_store_now (store), store->tz, out);
}

/* ---- key slots ---- */

static const char *
slot_kind_name (DcSlotKind kind)
{
  switch (kind)
    {
    case DC_SLOT_PASSPHRASE:
      return "passphrase";
    case DC_SLOT_RECOVERY:
      return "recovery";
    case DC_SLOT_PIN:
      return "pin";
    default:
      g_assert_not_reached ();
    }
}

static gboolean
save_slot (DcStore *store, gint64 actor_id, gint64 staff_id, DcKeySlot *slot, GError **error)
{
  DcKeySlotRow row = {
    .kind = (char *) slot_kind_name (slot->kind),
    .staff_id = staff_id,
    .opslimit = (gint64) slot->opslimit,
    .memlimit = (gint64) slot->memlimit,
    .salt = g_bytes_new (slot->salt, sizeof slot->salt),
    .nonce = g_bytes_new (slot->nonce, sizeof slot->nonce),
    .wrapped = slot->wrapped,
  };
  gint64 id = 0;
  gboolean ok;

  ok = dc_db_keyslot_insert (store->db, &row, dc_store_now (store), &id, error)
       && dc_audit_row (store, actor_id, "keyslot-add", "keyslots", id, error);
  g_bytes_unref (row.salt);
  g_bytes_unref (row.nonce);
  return ok;
}

static DcKeySlot *
load_slot (DcStore *store, DcSlotKind kind, gint64 staff_id, GError **error)
{
  DcKeySlotRow row = { 0 };
  gboolean found;
  DcKeySlot *slot = NULL;
  gsize salt_len = 0, nonce_len = 0;

  if (!dc_db_keyslot_find (store->db, slot_kind_name (kind), staff_id, &row, &found, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND,
                   kind == DC_SLOT_PIN ? _("This staff member has no PIN.")
                   : kind == DC_SLOT_PASSPHRASE ? _("This staff member has no passphrase: only managers and auditors do.")
                   : _("This store has no recovery key."));
      return NULL;
    }
  g_bytes_get_data (row.salt, &salt_len);
  g_bytes_get_data (row.nonce, &nonce_len);
  if (salt_len == DC_SALT_BYTES && nonce_len == DC_NONCE_BYTES)
    {
      slot = g_new0 (DcKeySlot, 1);
      slot->kind = kind;
      slot->opslimit = (guint64) row.opslimit;
      slot->memlimit = (guint64) row.memlimit;
      memcpy (slot->salt, g_bytes_get_data (row.salt, NULL), DC_SALT_BYTES);
      memcpy (slot->nonce, g_bytes_get_data (row.nonce, NULL), DC_NONCE_BYTES);
      slot->wrapped = g_bytes_ref (row.wrapped);
    }
  else
    g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO, _("A key slot is damaged or was altered."));
  dc_key_slot_row_clear (&row);
  return slot;
}

/* ---- creating a store ---- */

static gboolean
validate_setup (const DcStoreSetup *setup, GError **error)
{
  if (setup->name == NULL || strlen (setup->name) == 0 || g_utf8_strlen (setup->name, -1) > 100)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Give the store a name (up to 100 characters)."));
      return FALSE;
    }
  if (setup->operator_name == NULL || strlen (setup->operator_name) == 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Give the operator: the company or person that runs the store."));
      return FALSE;
    }
  if (setup->manager == NULL || strlen (setup->manager) == 0 || g_utf8_strlen (setup->manager, -1) > 60)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Give the manager's name (up to 60 characters)."));
      return FALSE;
    }
  if (dc_profile_lookup (setup->prefecture != NULL ? setup->prefecture : "tokyo") == NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Unknown rule profile “%s”."), setup->prefecture);
      return FALSE;
    }
  return TRUE;
}

static void
remove_store_files (const char *dir)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s%s", dir, DC_STORE_DB_NAME, suffixes[i]);
      g_unlink (path);
    }
}

static gboolean
create_contents (DcStore *store, const DcStoreSetup *setup, DcVault *vault, const char *passphrase,
                 const char *pin, char **out_code, GError **error)
{
  g_autoptr(DcKeySlot) pass_slot = NULL;
  g_autoptr(DcKeySlot) pin_slot = NULL;
  g_autoptr(DcKeySlot) rec_slot = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  DcStoreRow row = {
    .uuid = uuid,
    .name = (char *) setup->name,
    .operator_name = (char *) setup->operator_name,
    .address = (char *) setup->address,
    .prefecture = (char *) (setup->prefecture != NULL ? setup->prefecture : "tokyo"),
    .timezone = (char *) (setup->timezone != NULL ? setup->timezone : "Asia/Tokyo"),
    .demo = setup->demo,
    .created_at = dc_store_now (store),
  };
  guint8 box_pk[DC_KEY_BYTES], sign_pk[DC_SIGN_PK_BYTES];
  gint64 manager_id = 0;

  /* Slow key stretching first, outside the transaction. */
  pass_slot = dc_vault_wrap_passphrase (vault, passphrase, error);
  if (pass_slot == NULL)
    return FALSE;
  pin_slot = dc_vault_wrap_pin (vault, pin, error);
  if (pin_slot == NULL)
    return FALSE;
  rec_slot = dc_vault_wrap_recovery (vault, out_code, error);
  if (rec_slot == NULL)
    return FALSE;
  dc_vault_public_keys (vault, box_pk, sign_pk);

  if (!dc_db_begin (store->db, error))
    return FALSE;
  if (!dc_db_store_insert (store->db, &row, error)
      || !dc_audit_row (store, 0, "store-create", "store", 1, error)
      || !dc_db_store_keys_insert (store->db, box_pk, sign_pk, error)
      || !dc_audit_row (store, 0, "store-keys", "store_keys", 1, error)
      || !dc_db_staff_insert (store->db, setup->manager, "manager", row.created_at, &manager_id, error)
      || !dc_audit_row (store, 0, "staff-add", "staff", manager_id, error)
      || !save_slot (store, manager_id, manager_id, pass_slot, error)
      || !save_slot (store, manager_id, manager_id, pin_slot, error)
      || !save_slot (store, manager_id, 0, rec_slot, error)
      || !load (store, error)
      || !dc_filing_record_adoption (store, 0, error)
      || !dc_audit_checkpoint (store, vault, error)
      || !dc_db_commit (store->db, error))
    {
      dc_db_rollback (store->db);
      return FALSE;
    }
  return TRUE;
}

DcStore *
dc_store_create (const char *dir, const DcStoreSetup *setup, const char *manager_passphrase,
                 const char *manager_pin, char **out_recovery_code, GError **error)
{
  g_autoptr(DcStore) store = store_new (dir);
  g_autoptr(DcVault) vault = NULL;
  g_autofree char *path = g_build_filename (dir, DC_STORE_DB_NAME, NULL);
  char *code = NULL;
  gboolean made_dir;

  g_return_val_if_fail (out_recovery_code != NULL, NULL);

  if (!dc_crypto_init ())
    {
      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO, _("The cryptography library could not start."));
      return NULL;
    }
  if (!validate_setup (setup, error))
    return NULL;
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_EXISTS, _("There is already a store in %s: nothing was changed."), dir);
      return NULL;
    }
  made_dir = !g_file_test (dir, G_FILE_TEST_EXISTS);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, DC_ERROR, DC_ERROR_IO, _("Cannot create the folder %s: %s"), dir, g_strerror (saved));
      return NULL;
    }
  g_chmod (dir, 0700);

  store->db = dc_db_open (path, TRUE, error);
  if (store->db == NULL)
    {
      remove_store_files (dir);
      if (made_dir)
        g_rmdir (dir);
      return NULL;
    }

  vault = dc_vault_new ();
  if (!create_contents (store, setup, vault, manager_passphrase, manager_pin, &code, error))
    {
      dc_secret_free (code);
      g_clear_pointer (&store->db, dc_db_close);
      remove_store_files (dir);
      if (made_dir)
        g_rmdir (dir);
      return NULL;
    }
  *out_recovery_code = code;
  return g_steal_pointer (&store);
}

/* ---- actors ---- */

void
dc_actor_free (DcActor *actor)
{
  if (actor == NULL)
    return;
  g_clear_pointer (&actor->vault, dc_vault_free);
  g_free (actor->name);
  g_free (actor->role);
  g_free (actor);
}

gint64 dc_actor_staff_id (const DcActor *actor) { return actor->staff_id; }
const char *dc_actor_name (const DcActor *actor) { return actor->name; }
const char *dc_actor_role (const DcActor *actor) { return actor->role; }
const DcVault *dc_actor_vault (const DcActor *actor) { return actor->vault; }

gboolean
dc_actor_can_read_identity (const DcActor *actor)
{
  return dc_vault_has_master (actor->vault)
         && (g_str_equal (actor->role, "manager") || g_str_equal (actor->role, "auditor"));
}

gboolean
dc_actor_is_manager (const DcActor *actor)
{
  return dc_vault_has_master (actor->vault) && g_str_equal (actor->role, "manager");
}

static gboolean
find_active_staff (DcStore *store, const char *name, DcStaffRow *row, GError **error)
{
  gboolean found;

  if (name == NULL || *name == '\0')
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Say who is acting (staff name)."));
      return FALSE;
    }
  if (!dc_db_staff_find (store->db, name, row, &found, error))
    return FALSE;
  if (!found || !row->active)
    {
      if (found)
        dc_staff_row_clear (row);
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no active staff member called “%s”."), name);
      return FALSE;
    }
  return TRUE;
}

static DcActor *
actor_new (const DcStaffRow *row, DcVault *vault)
{
  DcActor *actor = g_new0 (DcActor, 1);

  actor->staff_id = row->id;
  actor->name = g_strdup (row->name);
  actor->role = g_strdup (row->role);
  actor->vault = vault;
  return actor;
}

/* Count a wrong PIN in its own transaction: it must stick although the sign-in fails. */
static void
record_pin_failure (DcStore *store, DcStaffRow *row, GError **error)
{
  GError *local = NULL;
  gint failed = row->failed_pins + 1;
  gint64 locked_at = failed >= DC_PIN_ATTEMPTS ? dc_store_now (store) : 0;

  if (!dc_db_begin (store->db, &local))
    goto out;
  if (!dc_db_staff_set_pin_state (store->db, row->id, failed, locked_at, &local)
      || !dc_audit_row (store, row->id, locked_at != 0 ? "pin-locked" : "pin-failed", "staff", row->id, &local)
      || !dc_db_commit (store->db, &local))
    dc_db_rollback (store->db);
out:
  if (local != NULL)
    {
      g_clear_error (error);
      g_propagate_error (error, local);
      return;
    }
  if (locked_at != 0)
    {
      g_clear_error (error);
      g_set_error (error, DC_ERROR, DC_ERROR_LOCKED,
                   _("Wrong PIN, %d times in a row: this account is now locked. A manager must unlock it."),
                   DC_PIN_ATTEMPTS);
    }
}

static gboolean
reset_pin_failures (DcStore *store, const DcStaffRow *row, GError **error)
{
  if (row->failed_pins == 0)
    return TRUE;
  if (!dc_db_begin (store->db, error))
    return FALSE;
  if (!dc_db_staff_set_pin_state (store->db, row->id, 0, 0, error)
      || !dc_audit_row (store, row->id, "pin-reset", "staff", row->id, error)
      || !dc_db_commit (store->db, error))
    {
      dc_db_rollback (store->db);
      return FALSE;
    }
  return TRUE;
}

DcActor *
dc_store_sign_in_pin (DcStore *store, const char *staff_name, const char *pin, GError **error)
{
  DcStaffRow row = { 0 };
  g_autoptr(DcKeySlot) slot = NULL;
  DcVault *vault = NULL;
  DcActor *actor = NULL;
  GError *local = NULL;

  /* a malformed PIN is a slip of the finger, not a guess: refuse it without counting */
  if (pin == NULL || strlen (pin) < 4 || strlen (pin) > 8 || strspn (pin, "0123456789") != strlen (pin))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("A PIN is 4 to 8 digits."));
      return NULL;
    }
  if (!find_active_staff (store, staff_name, &row, error))
    return NULL;
  if (row.locked_at != 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_LOCKED,
                   _("This account is locked after %d wrong PINs. A manager must unlock it."), DC_PIN_ATTEMPTS);
      goto out;
    }
  slot = load_slot (store, DC_SLOT_PIN, row.id, error);
  if (slot == NULL)
    goto out;
  vault = dc_vault_unlock (slot, pin, &local);
  if (vault == NULL)
    {
      /* @error may be NULL: decide on a local error */
      if (g_error_matches (local, DC_ERROR, DC_ERROR_WRONG_SECRET))
        record_pin_failure (store, &row, &local);
      g_propagate_error (error, local);
      goto out;
    }
  if (!reset_pin_failures (store, &row, error))
    {
      dc_vault_free (vault);
      goto out;
    }
  actor = actor_new (&row, vault);
out:
  dc_staff_row_clear (&row);
  return actor;
}

static gboolean
note_failure (DcStore *store, gint64 staff_id, const char *action)
{
  g_autoptr(GError) local = NULL;

  if (!dc_db_begin (store->db, &local))
    return FALSE;
  if (!dc_audit_event (store, staff_id, action, &local) || !dc_db_commit (store->db, &local))
    {
      dc_db_rollback (store->db);
      return FALSE;
    }
  return TRUE;
}

static DcActor *
sign_in_master (DcStore *store, const char *staff_name, DcSlotKind kind, const char *secret, GError **error)
{
  DcStaffRow row = { 0 };
  g_autoptr(DcKeySlot) slot = NULL;
  DcVault *vault = NULL;
  DcActor *actor = NULL;
  GError *local = NULL;

  if (!find_active_staff (store, staff_name, &row, error))
    return NULL;
  if (g_str_equal (row.role, "counter"))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION,
                   _("%s is counter staff: this needs a manager or an auditor."), row.name);
      goto out;
    }
  if (kind == DC_SLOT_RECOVERY && !g_str_equal (row.role, "manager"))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION, _("The recovery key can only be used for a manager."));
      goto out;
    }
  slot = load_slot (store, kind, kind == DC_SLOT_RECOVERY ? 0 : row.id, error);
  if (slot == NULL)
    goto out;
  vault = dc_vault_unlock (slot, secret, &local);
  if (vault == NULL)
    {
      if (g_error_matches (local, DC_ERROR, DC_ERROR_WRONG_SECRET))
        note_failure (store, row.id, kind == DC_SLOT_RECOVERY ? "recovery-failed" : "passphrase-failed");
      g_propagate_error (error, local);
      goto out;
    }
  if (!dc_vault_matches (vault, store->box_pk, store->sign_pk))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_CRYPTO,
                   _("The key slot does not belong to this store's keys: it was altered."));
      dc_vault_free (vault);
      goto out;
    }
  actor = actor_new (&row, vault);

  /* A manager or auditor is here: sign the chain's head, so later tampering shows. */
  if (!dc_db_begin (store->db, error))
    goto fail;
  if (!dc_audit_event (store, row.id, kind == DC_SLOT_RECOVERY ? "sign-in-recovery" : "sign-in", error)
      || !dc_audit_checkpoint (store, vault, error)
      || !dc_db_commit (store->db, error))
    {
      dc_db_rollback (store->db);
      goto fail;
    }
  goto out;
fail:
  g_clear_pointer (&actor, dc_actor_free);
out:
  dc_staff_row_clear (&row);
  return actor;
}

DcActor *
dc_store_sign_in_passphrase (DcStore *store, const char *staff_name, const char *passphrase, GError **error)
{
  return sign_in_master (store, staff_name, DC_SLOT_PASSPHRASE, passphrase, error);
}

DcActor *
dc_store_sign_in_recovery (DcStore *store, const char *staff_name, const char *recovery_code, GError **error)
{
  return sign_in_master (store, staff_name, DC_SLOT_RECOVERY, recovery_code, error);
}

/* ---- managing staff and terminals ---- */

static gboolean
require_manager (DcActor *actor, GError **error)
{
  if (actor != NULL && dc_actor_is_manager (actor))
    return TRUE;
  g_set_error (error, DC_ERROR, DC_ERROR_PERMISSION, _("Only a manager signed in with a passphrase may do this."));
  return FALSE;
}

static gboolean
valid_role (const char *role)
{
  return role != NULL
         && (g_str_equal (role, "counter") || g_str_equal (role, "manager") || g_str_equal (role, "auditor"));
}

static gboolean
check_name (const char *name, guint max, GError **error)
{
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("A name is required."));
      return FALSE;
    }
  if (g_utf8_strlen (name, -1) > max)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("“%s” is too long: at most %u characters."), name, max);
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("A name may not contain control characters."));
        return FALSE;
      }
  return TRUE;
}

gboolean
dc_store_add_staff (DcStore *store, DcActor *manager, const char *name, const char *role, const char *pin,
                    const char *passphrase, gint64 *out_id, GError **error)
{
  g_autoptr(DcKeySlot) pin_slot = NULL;
  g_autoptr(DcKeySlot) pass_slot = NULL;
  DcStaffRow existing = { 0 };
  gboolean found;
  gint64 id = 0;

  if (!require_manager (manager, error) || !check_name (name, 60, error))
    return FALSE;
  if (!valid_role (role))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The role must be counter, manager or auditor."));
      return FALSE;
    }
  if (!dc_db_staff_find (store->db, name, &existing, &found, error))
    return FALSE;
  dc_staff_row_clear (&existing);
  if (found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_EXISTS, _("There is already a staff member called “%s”."), name);
      return FALSE;
    }
  if (!g_str_equal (role, "counter") && passphrase == NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_MISSING_FIELD, _("Managers and auditors need a passphrase."));
      return FALSE;
    }

  pin_slot = dc_vault_wrap_pin (manager->vault, pin, error);
  if (pin_slot == NULL)
    return FALSE;
  if (!g_str_equal (role, "counter"))
    {
      pass_slot = dc_vault_wrap_passphrase (manager->vault, passphrase, error);
      if (pass_slot == NULL)
        return FALSE;
    }

  if (!dc_db_begin (store->db, error))
    return FALSE;
  if (!dc_db_staff_insert (store->db, name, role, dc_store_now (store), &id, error)
      || !dc_audit_row (store, manager->staff_id, "staff-add", "staff", id, error)
      || !save_slot (store, manager->staff_id, id, pin_slot, error)
      || (pass_slot != NULL && !save_slot (store, manager->staff_id, id, pass_slot, error))
      || !dc_db_commit (store->db, error))
    {
      dc_db_rollback (store->db);
      return FALSE;
    }
  if (out_id != NULL)
    *out_id = id;
  return TRUE;
}

gboolean
dc_store_unlock_staff (DcStore *store, DcActor *manager, const char *name, GError **error)
{
  DcStaffRow row = { 0 };
  gboolean ok;

  if (!require_manager (manager, error) || !find_active_staff (store, name, &row, error))
    return FALSE;
  ok = dc_db_begin (store->db, error);
  if (ok)
    {
      ok = dc_db_staff_set_pin_state (store->db, row.id, 0, 0, error)
           && dc_audit_row (store, manager->staff_id, "staff-unlock", "staff", row.id, error)
           && dc_db_commit (store->db, error);
      if (!ok)
        dc_db_rollback (store->db);
    }
  dc_staff_row_clear (&row);
  return ok;
}

gboolean
dc_store_set_passphrase (DcStore *store, DcActor *manager, const char *name, const char *passphrase,
                         GError **error)
{
  g_autoptr(DcKeySlot) slot = NULL;
  DcStaffRow row = { 0 };
  gboolean ok;

  if (!require_manager (manager, error) || !find_active_staff (store, name, &row, error))
    return FALSE;
  if (g_str_equal (row.role, "counter"))
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("Counter staff have a PIN, not a passphrase."));
      dc_staff_row_clear (&row);
      return FALSE;
    }
  slot = dc_vault_wrap_passphrase (manager->vault, passphrase, error);
  ok = slot != NULL && dc_db_begin (store->db, error);
  if (ok)
    {
      DcKeySlotRow old = { 0 };
      gboolean found = FALSE;

      /* the old slot goes for good: a passphrase that leaked must stop working */
      ok = dc_db_keyslot_find (store->db, "passphrase", row.id, &old, &found, error)
           && dc_db_keyslot_delete_for (store->db, "passphrase", row.id, error)
           && (!found || dc_audit_removed (store, manager->staff_id, "keyslot-remove", "keyslots", old.id, error))
           && save_slot (store, manager->staff_id, row.id, slot, error)
           && dc_db_commit (store->db, error);
      if (found)
        dc_key_slot_row_clear (&old);
      if (!ok)
        dc_db_rollback (store->db);
    }
  dc_staff_row_clear (&row);
  return ok;
}

gboolean
dc_store_add_terminal (DcStore *store, DcActor *manager, const char *label, const char *booth, gboolean filtered,
                       gint64 *out_id, GError **error)
{
  DcTerminalRow row = { .label = (char *) label, .booth = (char *) booth, .kind = (char *) "booth",
                        .filtered = filtered };
  DcTerminalRow existing = { 0 };
  DcFacilityCount before;
  gboolean found;
  gint64 id = 0;

  if (!require_manager (manager, error) || !check_name (label, 32, error)
      || (booth != NULL && *booth != '\0' && !check_name (booth, 32, error)))
    return FALSE;
  if (!dc_db_terminal_find (store->db, label, &existing, &found, error))
    return FALSE;
  if (found)
    {
      if (!existing.active)
        g_set_error (error, DC_ERROR, DC_ERROR_EXISTS,
                     _("Terminal %s was retired and its label stays with its records. Choose another label."), label);
      else
        g_set_error (error, DC_ERROR, DC_ERROR_EXISTS, _("There is already a terminal labelled “%s”."), label);
      dc_terminal_row_clear (&existing);
      return FALSE;
    }
  if (!dc_db_begin (store->db, error))
    return FALSE;
  if (!dc_filing_count (store, &before, error)
      || !dc_db_terminal_insert (store->db, &row, dc_store_now (store), &id, error)
      || !dc_audit_row (store, manager->staff_id, "terminal-add", "terminals", id, error)
      || !dc_filing_after_terminal_change (store, manager->staff_id, &before, "added", label, error)
      || !dc_db_commit (store->db, error))
    {
      dc_db_rollback (store->db);
      return FALSE;
    }
  if (out_id != NULL)
    *out_id = id;
  return TRUE;
}

gboolean
dc_store_set_staff_active (DcStore *store, DcActor *manager, const char *name, gboolean active, GError **error)
{
  DcStaffRow row = { 0 };
  gboolean found, ok;

  if (!require_manager (manager, error))
    return FALSE;
  if (!dc_db_staff_find (store->db, name != NULL ? name : "", &row, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no staff member called “%s”."), name);
      return FALSE;
    }
  if (!active && row.id == manager->staff_id)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("You cannot take yourself off duty."));
      dc_staff_row_clear (&row);
      return FALSE;
    }
  ok = dc_db_begin (store->db, error);
  if (ok)
    {
      ok = dc_db_staff_set_active (store->db, row.id, active, error)
           && dc_audit_row (store, manager->staff_id, active ? "staff-activate" : "staff-deactivate", "staff",
                            row.id, error)
           && dc_db_commit (store->db, error);
      if (!ok)
        dc_db_rollback (store->db);
    }
  dc_staff_row_clear (&row);
  return ok;
}

gboolean
dc_store_set_terminal_out_of_order (DcStore *store, DcActor *manager, const char *label, gboolean out_of_order,
                                    GError **error)
{
  DcTerminalRow row = { 0 };
  gboolean found, ok;

  if (!require_manager (manager, error))
    return FALSE;
  if (!dc_db_begin (store->db, error))
    return FALSE;
  ok = dc_db_terminal_find (store->db, label != NULL ? label : "", &row, &found, error);
  if (ok && !found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no terminal “%s”."), label);
      ok = FALSE;
    }
  if (ok && found && !row.active)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_TERMINAL_UNAVAILABLE, _("Terminal %s is retired."), label);
      ok = FALSE;
    }
  if (ok && out_of_order && row.open_session != 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_TERMINAL_BUSY,
                   _("Terminal %s is in use: move the customer before taking it out of service."), label);
      ok = FALSE;
    }
  ok = ok && dc_db_terminal_set_out_of_order (store->db, row.id, out_of_order, error)
       && dc_audit_row (store, manager->staff_id, out_of_order ? "terminal-out-of-order" : "terminal-in-service",
                        "terminals", row.id, error)
       && dc_db_commit (store->db, error);
  if (!ok)
    dc_db_rollback (store->db);
  if (found)
    dc_terminal_row_clear (&row);
  return ok;
}

static const char *const terminal_kinds[] = { "booth", "open_seat", "flat", "room", NULL };

const char *const *
dc_terminal_kinds (void)
{
  return terminal_kinds;
}

const char *
dc_terminal_kind_label (const char *kind)
{
  if (g_strcmp0 (kind, "booth") == 0)
    return _("Booth");
  if (g_strcmp0 (kind, "open_seat") == 0)
    return _("Open seat");
  if (g_strcmp0 (kind, "flat") == 0)
    return _("Flat booth");
  if (g_strcmp0 (kind, "room") == 0)
    return _("Private room");
  return NULL;
}

/* Terminal @label as it is now, inside the caller's transaction; a retired one is refused. */
static gboolean
find_live_terminal (DcStore *store, const char *label, DcTerminalRow *row, GError **error)
{
  gboolean found;

  if (!dc_db_terminal_find (store->db, label != NULL ? label : "", row, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_NOT_FOUND, _("There is no terminal “%s”."), label);
      return FALSE;
    }
  if (!row->active)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_TERMINAL_UNAVAILABLE, _("Terminal %s is retired."), label);
      dc_terminal_row_clear (row);
      return FALSE;
    }
  return TRUE;
}

/* One change to a terminal: its row, the audit entry, and the filing if the counts moved. */
typedef gboolean (*TerminalEdit) (DcStore *store, DcTerminalRow *row, gconstpointer data, GError **error);

static gboolean
edit_terminal (DcStore *store, DcActor *manager, const char *label, const char *action, TerminalEdit edit,
               gconstpointer data, GError **error)
{
  DcTerminalRow row = { 0 };
  DcFacilityCount before;
  gboolean ok;

  if (!require_manager (manager, error) || !dc_db_begin (store->db, error))
    return FALSE;
  if (!find_live_terminal (store, label, &row, error))
    {
      dc_db_rollback (store->db);
      return FALSE;
    }
  ok = dc_filing_count (store, &before, error) && edit (store, &row, data, error)
       && dc_audit_row (store, manager->staff_id, action, "terminals", row.id, error)
       && dc_filing_after_terminal_change (store, manager->staff_id, &before,
                                           g_str_equal (action, "terminal-retire") ? "removed" : "changed", row.label,
                                           error)
       && dc_db_commit (store->db, error);
  if (!ok)
    dc_db_rollback (store->db);
  dc_terminal_row_clear (&row);
  return ok;
}

static gboolean
retire (DcStore *store, DcTerminalRow *row, gconstpointer data, GError **error)
{
  if (row->open_session != 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_TERMINAL_BUSY,
                   _("Terminal %s is in use: check the customer out or move them before retiring it."), row->label);
      return FALSE;
    }
  return dc_db_terminal_retire (store->db, row->id, error);
}

gboolean
dc_store_retire_terminal (DcStore *store, DcActor *manager, const char *label, GError **error)
{
  return edit_terminal (store, manager, label, "terminal-retire", retire, NULL, error);
}

static gboolean
change (DcStore *store, DcTerminalRow *row, gconstpointer data, GError **error)
{
  const DcTerminalChange *c = data;
  const char *booth = c->booth != NULL ? (*c->booth != '\0' ? c->booth : NULL) : row->booth;
  gboolean filtered = c->filtered >= 0 ? c->filtered != 0 : row->filtered;

  if (row->filtered && !filtered && row->open_session != 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_TERMINAL_BUSY,
                   _("Terminal %s is in use: turn its filtering off once it is free."), row->label);
      return FALSE;
    }
  return dc_db_terminal_update (store->db, row->id, booth, c->kind != NULL ? c->kind : row->kind, filtered, error);
}

gboolean
dc_store_change_terminal (DcStore *store, DcActor *manager, const char *label, const DcTerminalChange *c,
                          GError **error)
{
  g_return_val_if_fail (c != NULL, FALSE);

  if (c->booth != NULL && *c->booth != '\0' && !check_name (c->booth, 32, error))
    return FALSE;
  if (c->kind != NULL && dc_terminal_kind_label (c->kind) == NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("“%s” is not a kind of terminal: use booth, open_seat, flat or room."), c->kind);
      return FALSE;
    }
  return edit_terminal (store, manager, label, "terminal-change", change, c, error);
}

/* ---- settings ---- */

static const DcSettingSpec setting_specs[] = {
  { DC_SETTING_AUTO_CLOSE_HOURS, 24, 1, 24 * 7 },
  { DC_SETTING_BACKUP_KEEP_DAYS, 30, 1, 365 },
  { DC_SETTING_IDLE_LOCK_MINUTES, 5, 1, 60 },
  { DC_SETTING_CURFEW_ALERTS, 1, 0, 1 },
  { DC_SETTING_CURFEW_SOUND, 1, 0, 1 },
  { DC_SETTING_CURFEW_PROFILE, 0, 0, DC_CURFEW_PROFILE_CUSTOM },
  { DC_SETTING_CURFEW_BAND1_UNDER, 18, 16, 18 },
  { DC_SETTING_CURFEW_BAND1_START, 23 * 60, 0, 24 * 60 - 1 },
  { DC_SETTING_CURFEW_BAND1_END, 4 * 60, 0, 24 * 60 - 1 },
  { DC_SETTING_CURFEW_BAND2_UNDER, 16, 16, 18 },
  { DC_SETTING_CURFEW_BAND2_START, 0, 0, 24 * 60 - 1 },
  { DC_SETTING_CURFEW_BAND2_END, 0, 0, 24 * 60 - 1 },
};

const DcSettingSpec *
dc_setting_spec (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (setting_specs); i++)
    if (g_strcmp0 (setting_specs[i].key, key) == 0)
      return &setting_specs[i];
  return NULL;
}

gint64
dc_store_get_setting (DcStore *store, const char *key)
{
  const DcSettingSpec *spec = dc_setting_spec (key);
  g_autofree char *text = NULL;
  gint64 value;

  g_return_val_if_fail (spec != NULL, 0);
  text = dc_db_setting_get (store->db, key, NULL);
  if (text == NULL || !g_ascii_string_to_signed (text, 10, spec->min, spec->max, &value, NULL))
    return spec->fallback;
  return value;
}

gboolean
dc_store_set_setting (DcStore *store, DcActor *manager, const char *key, gint64 value, GError **error)
{
  const DcSettingSpec *spec = dc_setting_spec (key);
  g_autofree char *text = NULL;
  gint64 id = 0;

  if (!require_manager (manager, error))
    return FALSE;
  if (spec == NULL)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("There is no setting called “%s”."), key);
      return FALSE;
    }
  if (value < spec->min || value > spec->max)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID,
                   _("%s must be between %" PRId64 " and %" PRId64 "."), key, spec->min, spec->max);
      return FALSE;
    }
  text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  if (!dc_db_begin (store->db, error))
    return FALSE;
  if (!dc_db_setting_set (store->db, key, text, &id, error)
      || !dc_audit_row (store, manager->staff_id, "setting-set", "settings", id, error)
      || !dc_db_commit (store->db, error))
    {
      dc_db_rollback (store->db);
      return FALSE;
    }
  if (dc_profile_is_curfew_setting (key))
    store->profile = dc_profile_for_store (store, dc_profile_lookup (store->row.prefecture), &store->custom_profile);
  return TRUE;
}
