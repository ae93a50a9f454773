/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include "parley-version-macros.h"

G_BEGIN_DECLS

/**
 * PARLEY_JSON_MAX_DEPTH:
 *
 * How deeply arrays and objects may nest in JSON the hub takes from
 * outside (request bodies, WebSocket messages): far more than any Parley
 * message needs, far less than what would overflow json-glib's recursive
 * parser.
 */
#define PARLEY_JSON_MAX_DEPTH 64

PARLEY_AVAILABLE_IN_1_0
guint        parley_http_status_for_error (const GError      *error);
PARLEY_AVAILABLE_IN_1_0
void         parley_http_reply_json       (SoupServerMessage *msg,
                                           guint              status,
                                           JsonNode          *node);
PARLEY_AVAILABLE_IN_1_0
void         parley_http_reply_object     (SoupServerMessage *msg,
                                           guint              status,
                                           JsonObject        *object);
PARLEY_AVAILABLE_IN_1_0
JsonObject  *parley_http_error_object     (const GError      *error);
PARLEY_AVAILABLE_IN_1_0
char        *parley_http_closing_answer   (guint              status,
                                           const GError      *error);
PARLEY_AVAILABLE_IN_1_0
void         parley_http_reply_error      (SoupServerMessage *msg,
                                           const GError      *error);
PARLEY_AVAILABLE_IN_1_0
void         parley_http_reply_file       (SoupServerMessage *msg,
                                           JsonObject        *attachment,
                                           GBytes            *data);
PARLEY_AVAILABLE_IN_1_0
const char  *parley_http_bearer_token     (SoupServerMessage *msg);
PARLEY_AVAILABLE_IN_1_0
JsonObject  *parley_http_read_object      (SoupServerMessage *msg,
                                           gsize              max_size,
                                           GError           **error);
PARLEY_AVAILABLE_IN_1_0
gboolean     parley_json_check_text       (const char        *data,
                                           gsize              size,
                                           guint              max_depth,
                                           const char        *what,
                                           GError           **error);
PARLEY_AVAILABLE_IN_1_0
JsonObject  *parley_json_parse_object     (const char        *data,
                                           gsize              size,
                                           const char        *what,
                                           GError           **error);
PARLEY_AVAILABLE_IN_1_0
JsonObject  *parley_json_parse_object_full (const char       *data,
                                            gsize             size,
                                            guint             max_depth,
                                            const char       *what,
                                            GError          **error);

PARLEY_AVAILABLE_IN_1_0
const char  *parley_json_get_string       (JsonObject        *object,
                                           const char        *member,
                                           gboolean           required,
                                           GError           **error);
PARLEY_AVAILABLE_IN_1_0
gboolean     parley_json_get_int          (JsonObject        *object,
                                           const char        *member,
                                           gboolean           required,
                                           gint64            *value,
                                           GError           **error);
PARLEY_AVAILABLE_IN_1_0
JsonObject  *parley_json_get_object       (JsonObject        *object,
                                           const char        *member,
                                           gboolean           required,
                                           GError           **error);
PARLEY_AVAILABLE_IN_1_0
char        *parley_json_to_string        (JsonNode          *node);

PARLEY_AVAILABLE_IN_1_0
void         parley_websocket_send_object (SoupWebsocketConnection *connection,
                                           JsonObject              *object);
PARLEY_AVAILABLE_IN_1_0
void         parley_websocket_send_error  (SoupWebsocketConnection *connection,
                                           const char              *code,
                                           const char              *message);
PARLEY_AVAILABLE_IN_1_0
void         parley_websocket_drop        (SoupWebsocketConnection **connection,
                                           gpointer                  handler_data);

G_END_DECLS
