/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-certificate"

#include "config.h"

#include <string.h>

#include "parley-certificate-private.h"
#include "parley-error.h"

/* A hub's certificate as an admin hands it out to pin it: the certificate
 * itself (PEM) or its SHA-256 fingerprint, the form browsers and
 * `openssl x509 -fingerprint -sha256` show. Either way a pin is the
 * SHA-256 digest of the certificate's DER bytes. */

#define DIGEST_SIZE 32

/**
 * parley_certificate_parse_fingerprint:
 * @text: a SHA-256 fingerprint: 64 hexadecimal digits, in pairs separated
 *   by colons or spaces or not at all, optionally after `sha256:` or
 *   `SHA256 Fingerprint=`
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the 32 bytes of the digest, or
 *   %NULL with %PARLEY_ERROR_INVALID
 */
GBytes *
parley_certificate_parse_fingerprint (const char  *text,
                                      GError     **error)
{
  static const char * const prefixes[] = { "sha256 fingerprint=", "sha256:", "sha256" };
  guint8 digest[DIGEST_SIZE];
  gsize n = 0;
  int high = -1;

  g_return_val_if_fail (text != NULL, NULL);

  while (g_ascii_isspace (*text))
    text++;
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_ascii_strncasecmp (text, prefixes[i], strlen (prefixes[i])) == 0)
      {
        text += strlen (prefixes[i]);
        break;
      }
  for (const char *p = text; *p; p++)
    {
      int value = g_ascii_xdigit_value (*p);

      if (value < 0 && (*p == ':' || g_ascii_isspace (*p)) && high < 0)
        continue;
      if (value < 0 || (high < 0 && n == DIGEST_SIZE))
        {
          g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                               "A SHA-256 fingerprint is 32 pairs of hexadecimal digits");
          return NULL;
        }
      if (high < 0)
        high = value;
      else
        {
          digest[n++] = (guint8) (high << 4 | value);
          high = -1;
        }
    }
  if (n != DIGEST_SIZE || high >= 0)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "A SHA-256 fingerprint is 32 pairs of hexadecimal digits");
      return NULL;
    }
  return g_bytes_new (digest, sizeof digest);
}

/**
 * parley_certificate_get_digest:
 * @certificate: a certificate
 *
 * Returns: (transfer full): the SHA-256 digest of @certificate's DER bytes
 */
GBytes *
parley_certificate_get_digest (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[DIGEST_SIZE];
  gsize size = sizeof digest;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  g_checksum_update (checksum, der->data, der->len);
  g_checksum_get_digest (checksum, digest, &size);
  return g_bytes_new (digest, size);
}

/**
 * parley_certificate_dup_fingerprint:
 * @certificate: a certificate
 *
 * Returns: (transfer full): its SHA-256 fingerprint as people compare
 *   them: upper-case pairs separated by colons
 */
char *
parley_certificate_dup_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GBytes) digest = parley_certificate_get_digest (certificate);
  gsize size;
  const guint8 *bytes = g_bytes_get_data (digest, &size);
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (text, i ? ":%02X" : "%02X", bytes[i]);
  return g_string_free (text, FALSE);
}

/**
 * parley_certificate_load_pin:
 * @pin: what an admin hands out to pin a hub's certificate: its SHA-256
 *   fingerprint, the certificate as PEM text, or the absolute path of a PEM file
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the digest a certificate must have
 *   to be accepted, or %NULL with @error set (%PARLEY_ERROR_INVALID, or
 *   the file's own error)
 */
GBytes *
parley_certificate_load_pin (const char  *pin,
                             GError     **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;

  g_return_val_if_fail (pin != NULL, NULL);

  if (strstr (pin, "-----BEGIN CERTIFICATE-----"))
    certificate = g_tls_certificate_new_from_pem (pin, -1, error);
  else if (g_path_is_absolute (pin))
    certificate = g_tls_certificate_new_from_file (pin, error);
  else
    return parley_certificate_parse_fingerprint (pin, error);
  return certificate ? parley_certificate_get_digest (certificate) : NULL;
}
