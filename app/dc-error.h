/* app/dc-error.h — the error domain of the rules layer and the codes an interface can act on. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DC_ERROR (dc_error_quark ())

typedef enum {
  DC_ERROR_INVALID,               /* malformed input that fits no other code */
  DC_ERROR_INVALID_DATE,          /* a date that cannot be read or does not exist */
  DC_ERROR_MISSING_FIELD,         /* a required field is empty */
  DC_ERROR_FORBIDDEN_NUMBER,      /* the law forbids recording this number */
  DC_ERROR_DOC_NOT_ACCEPTED,      /* document type unknown or not allowed by the profile */
  DC_ERROR_DOC_EXPIRED,           /* expiry date passed */
  DC_ERROR_DOC_TOO_OLD,           /* undated document issued more than 6 months ago */
  DC_ERROR_CURFEW,                /* a minor during the youth curfew */
  DC_ERROR_TERMINAL_BUSY,         /* terminal already has an open session */
  DC_ERROR_TERMINAL_NOT_FILTERED, /* a minor on a terminal without filtering */
  DC_ERROR_TERMINAL_UNAVAILABLE,  /* inactive or out of order */
  DC_ERROR_ALREADY_IN,            /* the person already has an open visit */
  DC_ERROR_NOT_FOUND,             /* no such staff, terminal, visit, customer … */
  DC_ERROR_EXISTS,                /* a unique name is already taken */
  DC_ERROR_WRONG_SECRET,          /* wrong passphrase, PIN or recovery key */
  DC_ERROR_LOCKED,                /* too many wrong PINs: a manager must unlock */
  DC_ERROR_PERMISSION,            /* the signed-in role may not do this */
  DC_ERROR_WEAK_SECRET,           /* passphrase or PIN refused as too weak */
  DC_ERROR_CRYPTO,                /* decryption or signature failure (tampering or corruption) */
  DC_ERROR_TAMPERED,              /* the audit chain or a record does not verify */
  DC_ERROR_IO,                    /* a file could not be read or written */
} DcErrorCode;

GQuark dc_error_quark (void);

/* Which identity field an error belongs to, so a form can show it beside that field. */
typedef enum {
  DC_FIELD_NONE,
  DC_FIELD_DOC_TYPE,
  DC_FIELD_DOC_NUMBER,
  DC_FIELD_DOC_EXPIRY,
  DC_FIELD_DOC_ISSUED,
  DC_FIELD_NAME,
  DC_FIELD_KANA,
  DC_FIELD_DOB,
  DC_FIELD_ADDRESS,
  DC_FIELD_SUPPLEMENTARY_TYPE,
  DC_FIELD_SUPPLEMENTARY_DATE,
  DC_FIELD_NATIONALITY,
  DC_FIELD_PASSPORT,
} DcField;

G_END_DECLS
