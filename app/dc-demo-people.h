/* app/dc-demo-people.h — synthetic people for the demo store: names with readings, real towns, plausible documents. */
#pragma once

#include "dc-identity.h"

G_BEGIN_DECLS

typedef enum {
  DC_DEMO_KIND_JAPANESE,
  DC_DEMO_KIND_RESIDENT,   /* foreign resident with a residence card */
  DC_DEMO_KIND_VISITOR,    /* no address in Japan: passport */
} DcDemoKind;

/* One synthetic person, packed small: a long history holds many thousands. */
typedef struct {
  guint32 dob;         /* Julian day */
  guint32 doc_date;    /* Julian day: expiry, or issue date of a resident record; 0 = none */
  guint32 supp_date;   /* Julian day of the supplementary document; 0 = address as on the document */
  guint32 serial;      /* the digits of the document number */
  guint16 family;
  guint16 given;
  guint8  kind;
  guint8  female;
  guint8  nation;
  guint8  doc;
  guint8  area;
  guint8  town;
  guint8  chome;
  guint8  ban;
  guint8  go;
  guint8  building;    /* 0 = a house; else buildings[building - 1] */
  guint16 room;
  gboolean inside;      /* kept by the simulation: in the store now */
  char   *member;      /* kept by the simulation: member number once a customer */
} DcDemoPerson;

typedef enum {
  DC_DEMO_DOC_LICENSE,
  DC_DEMO_DOC_MY_NUMBER,
  DC_DEMO_DOC_PASSPORT,
  DC_DEMO_DOC_RESIDENCE,
  DC_DEMO_DOC_STUDENT,
  DC_DEMO_DOC_RESIDENT_RECORD,
  DC_DEMO_DOC_DRIVING_HISTORY,
} DcDemoDoc;

/* The strings a DcIdentity borrows. */
typedef struct {
  char name[128];
  char kana[160];
  char address[256];
  char number[48];
} DcDemoIdentityText;

/* A new person with papers valid on @today: a minor of 15 to 17, or an adult of any kind.
 * Every choice is drawn from @rand, so a seed makes the same people again. */
void   dc_demo_person_invent (DcDemoPerson *p, GRand *rand, const GDate *today, gboolean minor);
/* Give @p an address: a house or a flat in one of the real towns. */
void   dc_demo_person_place (DcDemoPerson *p, GRand *rand);
/* Bring a returning person's papers up to date for @today. */
void   dc_demo_person_renew_papers (DcDemoPerson *p, GRand *rand, const GDate *today);
guint  dc_demo_person_age_on (const DcDemoPerson *p, const GDate *day);
/* "family given" into @buf, and its reading into @kana (may be NULL; empty when the name has none). */
void   dc_demo_person_full_name (const DcDemoPerson *p, char *buf, gsize size, char *kana, gsize kana_size);
/* @p as typed at the counter: @id borrows the strings in @text. */
void   dc_demo_person_identity (const DcDemoPerson *p, DcDemoIdentityText *text, DcIdentity *id);

G_END_DECLS
