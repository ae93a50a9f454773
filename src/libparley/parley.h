/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#define PARLEY_INSIDE
#include "parley-attachment.h"
#include "parley-channel.h"
#include "parley-channel-info.h"
#include "parley-channel-request.h"
#include "parley-channel-setting.h"
#include "parley-client.h"
#include "parley-connector.h"
#include "parley-crypto.h"
#include "parley-enums.h"
#include "parley-error.h"
#include "parley-host.h"
#include "parley-http.h"
#include "parley-identity.h"
#include "parley-inbound.h"
#include "parley-outbound.h"
#include "parley-version-macros.h"
#include "parley-websocket-stream.h"
#undef PARLEY_INSIDE
