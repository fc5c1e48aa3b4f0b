/* ui/desktop/dc-application.h — the GApplication: options, locale, the one window. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DC_TYPE_APPLICATION (dc_application_get_type ())
G_DECLARE_FINAL_TYPE (DcApplication, dc_application, DC, APPLICATION, AdwApplication)

#define DC_APPLICATION_ID "jp.daicho.Daicho"

DcApplication *dc_application_new (void);

/* The renderer the app draws with unless the user chose one (GSK_RENDERER, GDK_DEBUG):
 * call before GTK is initialised. */
void dc_application_choose_renderer (void);

G_END_DECLS
