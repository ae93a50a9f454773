/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PARLEY_TYPE_APPLICATION (parley_application_get_type ())
G_DECLARE_FINAL_TYPE (ParleyApplication, parley_application, PARLEY, APPLICATION, AdwApplication)

ParleyApplication *parley_application_new (void);

G_END_DECLS
