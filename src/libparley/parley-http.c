/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-http"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "parley-error.h"
#include "parley-http.h"

/* Helpers every HTTP endpoint of the hub and its plugins shares: one error
 * body shape, one status per error code, and strict reading of JSON input. */

static const guint status_for_code[] = {
  [PARLEY_ERROR_FAILED] = SOUP_STATUS_INTERNAL_SERVER_ERROR,
  [PARLEY_ERROR_INVALID] = SOUP_STATUS_BAD_REQUEST,
  [PARLEY_ERROR_NOT_FOUND] = SOUP_STATUS_NOT_FOUND,
  [PARLEY_ERROR_CONFLICT] = SOUP_STATUS_CONFLICT,
  [PARLEY_ERROR_UNAUTHORIZED] = SOUP_STATUS_UNAUTHORIZED,
  [PARLEY_ERROR_FORBIDDEN] = SOUP_STATUS_FORBIDDEN,
  [PARLEY_ERROR_TOO_LARGE] = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
  [PARLEY_ERROR_REJECTED] = SOUP_STATUS_UNPROCESSABLE_ENTITY,
  [PARLEY_ERROR_CHANNEL_UNAVAILABLE] = SOUP_STATUS_SERVICE_UNAVAILABLE,
  [PARLEY_ERROR_STORAGE] = SOUP_STATUS_SERVICE_UNAVAILABLE,
};
G_STATIC_ASSERT (G_N_ELEMENTS (status_for_code) == PARLEY_N_ERRORS);

/**
 * parley_http_status_for_error:
 * @error: a #GError
 *
 * The HTTP status the hub answers @error with: for #PARLEY_ERROR, invalid
 * 400, unauthorized 401, forbidden 403, not found 404, conflict 409, too
 * large 413, rejected 422, channel unavailable and storage 503, failed 500;
 * 400 for json-glib's parser errors, 500 for anything else.
 *
 * Returns: the HTTP status that reports @error
 */
guint
parley_http_status_for_error (const GError *error)
{
  if (error->domain == PARLEY_ERROR && error->code >= 0 && error->code < PARLEY_N_ERRORS)
    return status_for_code[error->code];
  if (g_error_matches (error, JSON_PARSER_ERROR, error->code))
    return SOUP_STATUS_BAD_REQUEST;
  return SOUP_STATUS_INTERNAL_SERVER_ERROR;
}

/* json-glib 1.6 appends ".0" to every double written without a point,
 * exponents included ("1e+308.0"), and writes infinities as "inf.0":
 * neither is JSON, and whoever reads the text back gets nothing. Outside
 * strings, such a number loses its ".0", and what is not a number at all
 * becomes null. */
static void
repair_numbers (GString *text)
{
  gboolean in_string = FALSE;
  gsize kept = 0;

  for (gsize i = 0; i < text->len; i++)
    {
      char c = text->str[i];
      gsize end;

      if (in_string || c == '"')
        {
          if (in_string && c == '\\')
            text->str[kept++] = text->str[i++];
          else if (c == '"')
            in_string = !in_string;
          text->str[kept++] = text->str[i];
          continue;
        }
      if (!g_ascii_isdigit (c) && c != '-' && c != 'i' && c != 'n')
        {
          text->str[kept++] = c;
          continue;
        }
      for (end = i; end < text->len && !strchr (",:]} \n", text->str[end]); end++)
        ;
      if (strchr ("in", c) != NULL || (c == '-' && text->str[i + 1] == 'i'))
        {
          if (end - i == 4 && memcmp (text->str + i, "null", 4) == 0)
            memmove (text->str + kept, text->str + i, 4), kept += 4;
          else
            memcpy (text->str + kept, "null", 4), kept += 4;
        }
      else
        {
          gsize length = end - i;

          if (length > 2 && memchr (text->str + i, 'e', length) && text->str[end - 2] == '.' && text->str[end - 1] == '0')
            length -= 2;
          memmove (text->str + kept, text->str + i, length);
          kept += length;
        }
      i = end - 1;
    }
  g_string_truncate (text, kept);
}

/**
 * parley_json_to_string:
 * @node: a #JsonNode
 *
 * Writes @node as JSON that reads back as the same value: unlike
 * json_to_string(), doubles with an exponent come out as JSON numbers
 * ("1e+308", not "1e+308.0") and non-finite ones as null.
 *
 * Returns: (transfer full): compact JSON text for @node
 */
char *
parley_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  GString *text = g_string_new (NULL);

  json_generator_set_root (generator, node);
  json_generator_to_gstring (generator, text);
  repair_numbers (text);
  return g_string_free (text, FALSE);
}

/**
 * parley_http_reply_json:
 * @msg: the request to answer
 * @status: the HTTP status
 * @node: (nullable): the body, or %NULL for none
 *
 * Answers @msg with @status and @node as its JSON body.
 */
void
parley_http_reply_json (SoupServerMessage *msg,
                        guint              status,
                        JsonNode          *node)
{
  soup_server_message_set_status (msg, status, NULL);
  if (node == NULL)
    return;

  {
    char *text = parley_json_to_string (node);
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                      text, strlen (text));
  }
}

/**
 * parley_http_reply_object:
 * @msg: the request to answer
 * @status: the HTTP status
 * @object: the body
 *
 * Answers @msg with @status and @object as its JSON body.
 */
void
parley_http_reply_object (SoupServerMessage *msg,
                          guint              status,
                          JsonObject        *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  parley_http_reply_json (msg, status, node);
}

/**
 * parley_http_error_object:
 * @error: what went wrong
 *
 * The hub's error body for @error.
 *
 * Returns: (transfer full): `{"error":{"code","message"}}` for @error, the
 * body of every error answer
 */
JsonObject *
parley_http_error_object (const GError *error)
{
  JsonObject *body = json_object_new ();
  JsonObject *inner = json_object_new ();
  const char *code = "failed";

  if (error->domain == PARLEY_ERROR)
    code = parley_error_code_name (error->code);
  else if (error->domain == JSON_PARSER_ERROR)
    code = "invalid";
  json_object_set_string_member (inner, "code", code);
  json_object_set_string_member (inner, "message", error->message);
  json_object_set_object_member (body, "error", inner);
  return body;
}

/**
 * parley_http_reply_error:
 * @msg: the request to answer
 * @error: what went wrong
 *
 * Answers `{"error":{"code","message"}}` with the status for @error.
 */
void
parley_http_reply_error (SoupServerMessage *msg,
                         const GError      *error)
{
  g_autoptr(JsonObject) body = parley_http_error_object (error);

  parley_http_reply_object (msg, parley_http_status_for_error (error), body);
}

/**
 * parley_http_closing_answer:
 * @status: the HTTP status
 * @error: what to say in the body
 *
 * A whole HTTP/1.1 answer that closes the connection, for writing straight
 * to a client's stream where there is no #SoupServerMessage to answer (a
 * refused body, a connection turned away).
 *
 * Returns: (transfer full): the status line, headers and JSON body
 */
char *
parley_http_closing_answer (guint         status,
                            const GError *error)
{
  g_autoptr(JsonObject) object = parley_http_error_object (error);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *body = parley_json_to_string (node);

  return g_strdup_printf ("HTTP/1.1 %u %s\r\nConnection: close\r\nContent-Type: application/json\r\n"
                          "Content-Length: %zu\r\n\r\n%s", status, soup_status_get_phrase (status),
                          strlen (body), body);
}

/**
 * parley_http_reply_file:
 * @msg: the request to answer
 * @attachment: the file's record: its `name` and `type`
 * @data: its bytes
 *
 * Answers 200 with a kept file as a download that no browser or viewer
 * runs as a page: `Content-Disposition: attachment` with the name,
 * `X-Content-Type-Options: nosniff`, a sandboxing content security policy
 * and no caching outside the user's own browser.
 */
void
parley_http_reply_file (SoupServerMessage *msg,
                        JsonObject        *attachment,
                        GBytes            *data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *escaped = g_uri_escape_string (json_object_get_string_member (attachment, "name"), NULL, FALSE);
  g_autofree char *disposition = g_strdup_printf ("attachment; filename*=UTF-8''%s", escaped);

  soup_message_headers_replace (headers, "Content-Disposition", disposition);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Content-Security-Policy", "sandbox; default-src 'none'");
  soup_message_headers_replace (headers, "Cache-Control", "private, no-store");
  soup_server_message_set_response (msg, json_object_get_string_member (attachment, "type"), SOUP_MEMORY_COPY,
                                    g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

/**
 * parley_http_bearer_token:
 * @msg: a request
 *
 * The token a request carries as `Authorization: Bearer TOKEN`.
 *
 * Returns: (transfer none) (nullable): the token of an
 *   `Authorization: Bearer TOKEN` header, or %NULL
 */
const char *
parley_http_bearer_token (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header == NULL || !g_str_has_prefix (header, "Bearer "))
    return NULL;
  return header + strlen ("Bearer ");
}

/* A number as it stands in JSON text: whether it reads back as the same
 * value. Integers must fit 64 bits (json-glib wraps them silently) and
 * other numbers must be finite, normal doubles (1e400 would become
 * infinity, which JSON cannot even write, and 1e-400 zero). */
static gboolean
number_fits (const char *token,
             gsize       length)
{
  char buffer[64];
  g_autofree char *long_text = length < sizeof buffer ? NULL : g_strndup (token, length);
  char *text = long_text ? long_text : memcpy (buffer, token, length);
  gboolean negative;
  const char *digits;
  gsize n_digits;
  double value;

  text[length] = '\0';
  negative = text[0] == '-';
  digits = text + (negative ? 1 : 0);
  if (strpbrk (text, ".eE") == NULL)
    {
      while (digits[0] == '0' && digits[1] != '\0')
        digits++;
      n_digits = strlen (digits);
      /* Decimal digits compare as numbers when they are as many. */
      return n_digits < 19 ||
             (n_digits == 19 && strcmp (digits, negative ? "9223372036854775808" : "9223372036854775807") <= 0);
    }
  errno = 0;
  value = g_ascii_strtod (text, NULL);
  return errno != ERANGE && isfinite (value);
}

static gboolean
is_number_char (char c)
{
  return g_ascii_isdigit (c) || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

/* The value of the four hex digits at @hex, or -1. */
static int
hex_unit (const char *hex)
{
  int unit = 0;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (hex[i]);

      if (digit < 0)
        return -1;
      unit = unit * 16 + digit;
    }
  return unit;
}

/* What json-glib 1.6 reads wrongly in the escape at @escape (a backslash
 * inside a string, @size bytes left), or NULL; *@length is how many bytes
 * the escape takes: an escaped NUL character (it keeps strings as C
 * strings, so the rest would be dropped without a word), a \u escape with
 * fewer than four hex digits (it takes what digits there are, as the high
 * ones, and the character after them), and a UTF-16 surrogate escape that
 * is not half of a pair (alone it becomes invalid UTF-8; followed by
 * another \u escape the parser fails and leaks the string read so far). */
static const char *
escape_problem (const char *escape,
                gsize       size,
                gsize      *length)
{
  int unit, low;

  *length = MIN (size, 2);
  if (size < 2 || escape[1] != 'u')
    return NULL;
  if ((unit = size >= 6 ? hex_unit (escape + 2) : -1) < 0)
    return "has a \\u escape without four hex digits";
  *length = 6;
  if (unit == 0)
    return "contains a NUL character (\\u0000)";
  if (unit >= 0xdc00 && unit <= 0xdfff)
    return "has a UTF-16 surrogate escape that is not half of a pair";
  if (unit >= 0xd800 && unit <= 0xdbff)
    {
      low = size >= 12 && escape[6] == '\\' && escape[7] == 'u' ? hex_unit (escape + 8) : -1;
      if (low < 0xdc00 || low > 0xdfff)
        return "has a UTF-16 surrogate escape that is not half of a pair";
      *length = 12;
    }
  return NULL;
}

/* json-glib 1.6 reads on after the first top-level value, and each
 * further object or array it parses is dropped without being freed (about
 * 24 MB for 200 KB of "{}{}…"). At the start of one, the value before it
 * is taken out of the parser, so nothing leaks, and the text is refused. */
static void
value_start_cb (JsonParser *parser,
                GPtrArray  *earlier_values)
{
  if (json_parser_get_root (parser) != NULL)
    g_ptr_array_add (earlier_values, json_parser_steal_root (parser));
}

/**
 * parley_json_check_text:
 * @data: (array length=size) (element-type guint8): JSON text, UTF-8
 * @size: its length in bytes
 * @max_depth: how deeply arrays and objects may nest
 * @what: what the text is, to begin error messages (e.g. "Request body")
 * @error: return location for a #GError
 *
 * Refuses, before any parser sees it, what json-glib would not read back
 * as sent: nesting deeper than @max_depth (its parser recurses once per
 * level, so about 100,000 levels overflow the stack), escapes it reads
 * wrongly (an escaped NUL character, \u escapes without four hex digits,
 * UTF-16 surrogates not in a pair), single-quoted strings and comments
 * (which it reads, though JSON has neither) and numbers that do not
 * round-trip (integers beyond 64 bits, which json-glib wraps; doubles
 * that overflow to infinity or underflow). One pass over the text, without allocating for
 * anything but numbers.
 *
 * Returns: %TRUE if the text may be parsed, else %FALSE with @error set
 *   (%PARLEY_ERROR_INVALID)
 */
gboolean
parley_json_check_text (const char  *data,
                        gsize        size,
                        guint        max_depth,
                        const char  *what,
                        GError     **error)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < size; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '"')
            in_string = FALSE;
          else if (c == '\\')
            {
              gsize length;
              const char *problem = escape_problem (data + i, size - i, &length);

              if (problem != NULL)
                {
                  g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "%s %s", what, problem);
                  return FALSE;
                }
              i += length - 1;  /* the escaped character may be a quote or a backslash */
            }
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '\'' || c == '/')
        {
          /* json-glib 1.6 also reads 'strings' and // comments; a double
           * quote inside one would put this check out of step with it */
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                       c == '/' ? "%s has a / outside a string (JSON has no comments)"
                                : "%s has a single-quoted string (JSON strings take double quotes)", what);
          return FALSE;
        }
      else if (c == '{' || c == '[')
        {
          if (++depth > max_depth)
            {
              g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "%s nests deeper than %u levels", what, max_depth);
              return FALSE;
            }
        }
      else if (c == '}' || c == ']')
        depth = depth > 0 ? depth - 1 : 0;
      else if (c == '-' || g_ascii_isdigit (c))
        {
          gsize length = 1;

          while (i + length < size && is_number_char (data[i + length]))
            length++;
          if (!number_fits (data + i, length))
            {
              g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "%s has the number %.*s%s, which is out of range (integers must fit in 64 bits, "
                           "other numbers in a double)", what, (int) MIN (length, 40), data + i,
                           length > 40 ? "…" : "");
              return FALSE;
            }
          i += length - 1;
        }
    }
  return TRUE;
}

/**
 * parley_json_parse_object_full:
 * @data: (array length=size) (element-type guint8): JSON text, UTF-8
 * @size: its length in bytes
 * @max_depth: how deeply arrays and objects may nest
 * @what: what the text is, to begin error messages (e.g. "Request body")
 * @error: return location for a #GError
 *
 * Parses one JSON object, refusing invalid UTF-8, whatever
 * parley_json_check_text() refuses, and anything that is not an object,
 * each with its own message.
 *
 * Returns: (transfer full): the object, or %NULL with @error set
 */
JsonObject *
parley_json_parse_object_full (const char  *data,
                               gsize        size,
                               guint        max_depth,
                               const char  *what,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GPtrArray) earlier_values = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  JsonNode *root;

  if (size == 0)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "%s is empty; a JSON object is expected", what);
      return NULL;
    }
  if (!g_utf8_validate_len (data, size, NULL))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "%s is not valid UTF-8", what);
      return NULL;
    }
  if (!parley_json_check_text (data, size, max_depth, what, error))
    return NULL;
  g_signal_connect (parser, "object-start", G_CALLBACK (value_start_cb), earlier_values);
  g_signal_connect (parser, "array-start", G_CALLBACK (value_start_cb), earlier_values);
  if (!json_parser_load_from_data (parser, data, size, NULL))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "%s is not valid JSON", what);
      return NULL;
    }
  if (earlier_values->len > 0)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "%s holds more than one JSON value", what);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "%s must be a JSON object", what);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/**
 * parley_json_parse_object:
 * @data: (array length=size) (element-type guint8): JSON text, UTF-8
 * @size: its length in bytes
 * @what: what the text is, to begin error messages (e.g. "Request body")
 * @error: return location for a #GError
 *
 * parley_json_parse_object_full() with at most %PARLEY_JSON_MAX_DEPTH
 * levels of nesting: what every request body and WebSocket message the
 * hub takes is parsed with.
 *
 * Returns: (transfer full): the object, or %NULL with @error set
 */
JsonObject *
parley_json_parse_object (const char  *data,
                          gsize        size,
                          const char  *what,
                          GError     **error)
{
  return parley_json_parse_object_full (data, size, PARLEY_JSON_MAX_DEPTH, what, error);
}

/**
 * parley_http_read_object:
 * @msg: a request
 * @max_size: the largest body accepted, in bytes
 * @error: return location for a #GError
 *
 * Parses the request body as one JSON object, refusing bodies over
 * @max_size and whatever parley_json_parse_object() refuses.
 *
 * Returns: (transfer full): the object, or %NULL with @error set
 */
JsonObject *
parley_http_read_object (SoupServerMessage  *msg,
                         gsize               max_size,
                         GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  const char *data;
  gsize size;

  data = g_bytes_get_data (bytes, &size);
  if (size > max_size)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_TOO_LARGE,
                   "Request body is %" G_GSIZE_FORMAT " bytes; the limit is %" G_GSIZE_FORMAT,
                   size, max_size);
      return NULL;
    }
  return parley_json_parse_object (data, size, "Request body", error);
}

static JsonNode *
get_member (JsonObject  *object,
            const char  *member,
            gboolean     required,
            GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                     "Field “%s” is required", member);
      return NULL;
    }
  return node;
}

/**
 * parley_json_get_string:
 * @object: a #JsonObject
 * @member: the member's name
 * @required: whether a missing member is an error
 * @error: return location for a #GError
 *
 * A string member of @object.
 *
 * Returns: (transfer none) (nullable): the string; %NULL when missing (an
 *   error only if @required) or when it is not a string (always an error)
 */
const char *
parley_json_get_string (JsonObject  *object,
                        const char  *member,
                        gboolean     required,
                        GError     **error)
{
  JsonNode *node = get_member (object, member, required, error);

  if (node == NULL)
    return NULL;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "Field “%s” must be a string", member);
      return NULL;
    }
  return json_node_get_string (node);
}

/**
 * parley_json_get_int:
 * @object: a #JsonObject
 * @member: the member's name
 * @required: whether a missing member is an error
 * @value: (out): where to store the integer; untouched when missing
 * @error: return location for a #GError
 *
 * An integer member of @object, within 64 bits.
 *
 * Returns: %FALSE with @error set if the member is missing but required, or
 *   is not an integer
 */
gboolean
parley_json_get_int (JsonObject  *object,
                     const char  *member,
                     gboolean     required,
                     gint64      *value,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *node = get_member (object, member, required, &local_error);

  if (node == NULL)
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "Field “%s” must be an integer", member);
      return FALSE;
    }
  *value = json_node_get_int (node);
  return TRUE;
}

/**
 * parley_json_get_object:
 * @object: a #JsonObject
 * @member: the member's name
 * @required: whether a missing member is an error
 * @error: return location for a #GError
 *
 * An object member of @object.
 *
 * Returns: (transfer none) (nullable): the object member, as for
 *   parley_json_get_string()
 */
JsonObject *
parley_json_get_object (JsonObject  *object,
                        const char  *member,
                        gboolean     required,
                        GError     **error)
{
  JsonNode *node = get_member (object, member, required, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "Field “%s” must be an object", member);
      return NULL;
    }
  return json_node_get_object (node);
}

/**
 * parley_websocket_send_object:
 * @connection: (nullable): a WebSocket
 * @object: the message
 *
 * Sends @object as one JSON text frame if @connection is open; a socket
 * that is closing or gone gets nothing.
 */
void
parley_websocket_send_object (SoupWebsocketConnection *connection,
                              JsonObject              *object)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;

  if (connection == NULL || soup_websocket_connection_get_state (connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  node = json_node_init_object (json_node_alloc (), object);
  text = parley_json_to_string (node);
  soup_websocket_connection_send_text (connection, text);
}

/**
 * parley_websocket_send_error:
 * @connection: (nullable): a WebSocket
 * @code: a short machine-readable code ("invalid", "rate_limited", ...)
 * @message: what went wrong, for people
 *
 * Sends `{"type":"error","code","message"}`.
 */
void
parley_websocket_send_error (SoupWebsocketConnection *connection,
                             const char              *code,
                             const char              *message)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "type", "error");
  json_object_set_string_member (object, "code", code);
  json_object_set_string_member (object, "message", message);
  parley_websocket_send_object (connection, object);
}

/**
 * parley_websocket_drop:
 * @connection: (inout) (nullable): where a WebSocket is kept
 * @handler_data: the data its signal handlers were connected with
 *
 * Lets go of a socket: disconnects the owner's handlers (so no "closed"
 * comes back to it), closes the socket if it is open and clears @connection.
 */
void
parley_websocket_drop (SoupWebsocketConnection **connection,
                       gpointer                  handler_data)
{
  if (*connection == NULL)
    return;
  g_signal_handlers_disconnect_by_data (*connection, handler_data);
  if (soup_websocket_connection_get_state (*connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (*connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (connection);
}
