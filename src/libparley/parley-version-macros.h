/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

/**
 * PARLEY_VERSION_1_0:
 *
 * The version of the SDK's first stable API, `libparley-1` and
 * `libparley-ui-1` 1.0, encoded as G_ENCODE_VERSION() does; compare it with
 * %PARLEY_VERSION_MIN_REQUIRED and %PARLEY_VERSION_MAX_ALLOWED.
 */
#define PARLEY_VERSION_1_0 (G_ENCODE_VERSION (1, 0))

/**
 * PARLEY_VERSION_CUR_STABLE:
 *
 * The newest API version these headers declare.
 */
#define PARLEY_VERSION_CUR_STABLE PARLEY_VERSION_1_0

/**
 * PARLEY_VERSION_MIN_REQUIRED:
 *
 * Define it before including `parley.h` to the oldest SDK version a plugin
 * supports, e.g. `-DPARLEY_VERSION_MIN_REQUIRED=PARLEY_VERSION_1_0`:
 * API deprecated since then warns. It defaults to
 * %PARLEY_VERSION_CUR_STABLE.
 */
#ifndef PARLEY_VERSION_MIN_REQUIRED
#define PARLEY_VERSION_MIN_REQUIRED PARLEY_VERSION_CUR_STABLE
#endif

/**
 * PARLEY_VERSION_MAX_ALLOWED:
 *
 * Define it before including `parley.h` to the newest SDK version a plugin
 * may use: API added after it warns, so a plugin meant to load into older
 * hubs is kept from calling what they lack. It defaults to
 * %PARLEY_VERSION_CUR_STABLE.
 */
#ifndef PARLEY_VERSION_MAX_ALLOWED
#define PARLEY_VERSION_MAX_ALLOWED PARLEY_VERSION_CUR_STABLE
#endif

/* The libraries build with -fvisibility=hidden and define _PARLEY_EXTERN
 * to export what these macros mark; everyone else sees plain extern. */
#ifndef _PARLEY_EXTERN
#define _PARLEY_EXTERN extern
#endif

/**
 * PARLEY_AVAILABLE_IN_ALL:
 *
 * Marks a declaration that every version of the SDK has.
 */
#define PARLEY_AVAILABLE_IN_ALL _PARLEY_EXTERN

/**
 * PARLEY_AVAILABLE_IN_1_0:
 *
 * Marks a declaration added in SDK 1.0: every public function of
 * `libparley-1` and `libparley-ui-1` carries one such macro, which also
 * exports it from the library. Later versions add their own, GLib's way:
 * `PARLEY_AVAILABLE_IN_1_2` is `G_UNAVAILABLE (1, 2) _PARLEY_EXTERN` when
 * %PARLEY_VERSION_MAX_ALLOWED is older than 1.2, and `PARLEY_DEPRECATED_IN_1_2`
 * is `G_DEPRECATED _PARLEY_EXTERN` when %PARLEY_VERSION_MIN_REQUIRED is 1.2
 * or newer.
 */
#define PARLEY_AVAILABLE_IN_1_0 _PARLEY_EXTERN
