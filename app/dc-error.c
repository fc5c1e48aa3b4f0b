/* app/dc-error.c — the rules layer's GError domain. */
#include "dc-error.h"

G_DEFINE_QUARK (dc-error-quark, dc_error)
