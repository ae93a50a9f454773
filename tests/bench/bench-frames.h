/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void  bench_frames_watch (GtkWidget  *window);
void  bench_frames_reset (void);
guint bench_frames_count (void);
void  bench_frames_print (const char *what);

G_END_DECLS
