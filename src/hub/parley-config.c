/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-config"

#include "config.h"

#include "parley-config.h"
#include "parley-error.h"
#include "parley-identity.h"
#include "parley-net-private.h"

ParleyConfig *
parley_config_new (void)
{
  ParleyConfig *self = g_new0 (ParleyConfig, 1);

  self->data_dir = g_build_filename (g_get_user_data_dir (), "parley", NULL);
  self->listen = g_strdup ("127.0.0.1:8080");
  self->offer_timeout = 20;
  self->delivery_timeout = 60;
  self->delivery_attempts = 10;
  self->retry_exclusion = 60;
  self->relax_after = 30;
  self->wrap_up = 10;
  self->short_abandon = 5;
  self->interval_hours = 24;
  self->missed_offer_away = TRUE;
  self->token_ttl = 12 * 3600;
  self->max_body_size = 256 * 1024;
  self->max_unsent_uploads = (gint64) 512 * 1024 * 1024;
  self->batch_size = 1000;
  self->password_strength = g_strdup ("interactive");
  self->default_region = NULL;
  self->public_origins = g_new0 (char *, 1);
  self->trusted_proxies = g_ptr_array_new_with_free_func (g_object_unref);
  self->header_timeout = 10;
  self->body_timeout = 60;
  self->body_min_rate = 4 * 1024;
  self->keep_alive_timeout = 60;
  self->max_connections_per_address = 1024;
  self->max_connections_per_loopback = 16384;
  self->reserved_descriptors = 64;
  self->file = g_key_file_new ();
  return self;
}

static gboolean
read_uint (GKeyFile    *file,
           const char  *key,
           guint        min,
           guint        max,
           guint       *value,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 v;

  if (!g_key_file_has_key (file, "hub", key, NULL))
    return TRUE;
  v = g_key_file_get_int64 (file, "hub", key, &local_error);
  if (local_error != NULL || v < min || v > max)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "[hub] %s must be a whole number from %u to %u", key, min, max);
      return FALSE;
    }
  *value = (guint) v;
  return TRUE;
}

static void
read_string (GKeyFile    *file,
             const char  *key,
             char       **value)
{
  char *v = g_key_file_get_string (file, "hub", key, NULL);

  if (v == NULL)
    return;
  g_free (*value);
  *value = g_strstrip (v);
}

/* default-region: the country of phone numbers written without "+". It
 * was once given as a calling code (default-country-code=+44), which still
 * works: a code's main region has the numbering plan of all regions that
 * share it, so numbers read the same. */
static gboolean
read_default_region (ParleyConfig  *self,
                     GError       **error)
{
  g_autofree char *code = NULL;
  g_autofree char *region = NULL;

  read_string (self->file, "default-region", &region);
  read_string (self->file, "default-country-code", &code);
  if (code != NULL && *code != '\0' && region != NULL)
    g_message ("[hub] default-country-code is deprecated, and ignored beside default-region");
  else if (code != NULL && *code != '\0')
    {
      if (!(region = parley_identity_region_for_calling_code (code)))
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                       "[hub] default-country-code \"%s\" is not a country calling code; "
                       "set default-region to a country's code, such as GB, instead", code);
          return FALSE;
        }
      g_message ("[hub] default-country-code is deprecated: %s read as default-region=%s", code, region);
    }
  if (region != NULL && *region != '\0' && !parley_identity_region_is_valid (region))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "[hub] default-region \"%s\" is not a known country: give its ISO 3166 code, such as IT or US",
                   region);
      return FALSE;
    }
  g_clear_pointer (&self->default_region, g_free);
  if (region != NULL && *region != '\0')
    self->default_region = g_ascii_strup (region, -1);
  return TRUE;
}

/* public-url: comma-separated URLs, each kept as its origin. */
static gboolean
read_public_origins (ParleyConfig  *self,
                     GError       **error)
{
  g_autofree char *text = g_key_file_get_string (self->file, "hub", "public-url", NULL);
  g_auto(GStrv) urls = g_strsplit (text ? text : "", ",", -1);
  g_autoptr(GStrvBuilder) origins = g_strv_builder_new ();

  if (text == NULL)
    return TRUE;
  for (guint i = 0; urls[i]; i++)
    {
      g_autofree char *origin = NULL;

      if (*g_strstrip (urls[i]) == '\0')
        continue;
      if (!(origin = parley_origin_normalize (urls[i], error)))
        {
          g_prefix_error (error, "[hub] public-url: ");
          return FALSE;
        }
      g_strv_builder_add (origins, origin);
    }
  g_strfreev (self->public_origins);
  self->public_origins = g_strv_builder_end (origins);
  return TRUE;
}

static gboolean
read_trusted_proxies (ParleyConfig  *self,
                      GError       **error)
{
  g_autofree char *text = g_key_file_get_string (self->file, "hub", "trusted-proxies", NULL);
  GPtrArray *masks;

  if (text == NULL)
    return TRUE;
  if (!(masks = parley_inet_masks_parse (text, error)))
    {
      g_prefix_error (error, "[hub] trusted-proxies: ");
      return FALSE;
    }
  g_ptr_array_unref (self->trusted_proxies);
  self->trusted_proxies = masks;
  return TRUE;
}

gboolean
parley_config_load (ParleyConfig  *self,
                    const char    *path,
                    GError       **error)
{
  guint max_body_kib = (guint) (self->max_body_size / 1024);
  guint max_unsent_mib = (guint) (self->max_unsent_uploads / (1024 * 1024));

  if (!g_key_file_load_from_file (self->file, path, G_KEY_FILE_NONE, error))
    return FALSE;

  read_string (self->file, "data-dir", &self->data_dir);
  read_string (self->file, "listen", &self->listen);
  read_string (self->file, "password-strength", &self->password_strength);
  read_string (self->file, "tls-certificate", &self->tls_certificate);
  read_string (self->file, "tls-key", &self->tls_key);
  if (g_key_file_has_key (self->file, "hub", "allow-plaintext", NULL))
    self->allow_plaintext = g_key_file_get_boolean (self->file, "hub", "allow-plaintext", NULL);
  if (g_key_file_has_key (self->file, "hub", "missed-offer-away", NULL))
    self->missed_offer_away = g_key_file_get_boolean (self->file, "hub", "missed-offer-away", NULL);

  if (!read_uint (self->file, "offer-timeout", 1, 3600, &self->offer_timeout, error) ||
      !read_uint (self->file, "delivery-timeout", 1, 3600, &self->delivery_timeout, error) ||
      !read_uint (self->file, "delivery-attempts", 1, 100, &self->delivery_attempts, error) ||
      !read_uint (self->file, "retry-exclusion", 0, 86400, &self->retry_exclusion, error) ||
      !read_uint (self->file, "relax-after", 0, 86400, &self->relax_after, error) ||
      !read_uint (self->file, "wrap-up", 0, 3600, &self->wrap_up, error) ||
      !read_uint (self->file, "short-abandon", 0, 600, &self->short_abandon, error) ||
      !read_uint (self->file, "interval-hours", 1, 24, &self->interval_hours, error) ||
      !read_uint (self->file, "day-starts-at", 0, 23, &self->day_starts_at, error) ||
      !read_uint (self->file, "token-ttl", 60, 90 * 86400, &self->token_ttl, error) ||
      !read_uint (self->file, "max-body-kib", 1, 64 * 1024, &max_body_kib, error) ||
      !read_uint (self->file, "max-unsent-uploads-mib", 1, 1024 * 1024, &max_unsent_mib, error) ||
      !read_uint (self->file, "batch-size", 1, 100000, &self->batch_size, error) ||
      !read_uint (self->file, "header-timeout", 1, 3600, &self->header_timeout, error) ||
      !read_uint (self->file, "body-timeout", 1, 86400, &self->body_timeout, error) ||
      !read_uint (self->file, "body-min-rate", 1, 1024 * 1024 * 1024, &self->body_min_rate, error) ||
      !read_uint (self->file, "keep-alive-timeout", 1, 86400, &self->keep_alive_timeout, error) ||
      !read_uint (self->file, "max-connections-per-address", 1, 1000000, &self->max_connections_per_address, error) ||
      !read_uint (self->file, "max-connections-per-loopback", 1, 1000000, &self->max_connections_per_loopback, error) ||
      !read_uint (self->file, "reserved-descriptors", 0, 100000, &self->reserved_descriptors, error) ||
      !read_public_origins (self, error) || !read_trusted_proxies (self, error) ||
      !read_default_region (self, error))
    return FALSE;
  if ((self->tls_certificate == NULL) != (self->tls_key == NULL))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "[hub] tls-certificate and tls-key go together: set both or neither");
      return FALSE;
    }
  self->max_body_size = (gsize) max_body_kib * 1024;
  self->max_unsent_uploads = (gint64) max_unsent_mib * 1024 * 1024;
  if (24 % self->interval_hours != 0)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "[hub] interval-hours must divide a day: 1, 2, 3, 4, 6, 8, 12 or 24");
      return FALSE;
    }

  if (!g_str_equal (self->password_strength, "interactive") &&
      !g_str_equal (self->password_strength, "moderate") &&
      !g_str_equal (self->password_strength, "min"))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "[hub] password-strength must be interactive, moderate or min");
      return FALSE;
    }
  return TRUE;
}

/* A channel setting from the [channel:KIND] group, or NULL. */
char *
parley_config_get_channel (ParleyConfig *self,
                           const char   *channel,
                           const char   *key)
{
  g_autofree char *group = g_strconcat ("channel:", channel, NULL);
  char *value = g_key_file_get_string (self->file, group, key, NULL);

  return value != NULL ? g_strstrip (value) : NULL;
}

void
parley_config_free (ParleyConfig *self)
{
  g_free (self->data_dir);
  g_free (self->listen);
  g_free (self->password_strength);
  g_free (self->default_region);
  g_strfreev (self->public_origins);
  g_ptr_array_unref (self->trusted_proxies);
  g_free (self->tls_certificate);
  g_free (self->tls_key);
  g_key_file_unref (self->file);
  g_free (self);
}
