/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#define PARLEY_UI_INSIDE
#include "parley-ui-attachment-button.h"
#include "parley-ui-channel.h"
#include "parley-ui-channel-directory.h"
#include "parley-ui-composer.h"
#include "parley-ui-event-view.h"
#include "parley-ui-labels.h"
#include "parley-ui-message-text.h"
#include "parley-ui-text-channel.h"
#include "parley-ui-text-composer.h"
#undef PARLEY_UI_INSIDE
