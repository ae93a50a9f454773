/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-secret"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "parley-secret.h"

/* Agents' passwords in the Secret Service (GNOME Keyring, KWallet), one per
 * hub and login. Without a running keyring every call fails with an error
 * and the caller says so; the password is then never written anywhere. */

static const SecretSchema *
password_schema (void)
{
  static const SecretSchema schema = {
    APPLICATION_ID ".Password", SECRET_SCHEMA_NONE,
    {
      { "hub", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
lookup_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
parley_secret_lookup_async (const char          *hub_url,
                            const char          *login,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  secret_password_lookup (password_schema (), cancellable, lookup_done_cb, task,
                          "hub", hub_url, "login", login, NULL);
}

/* The password, NULL with no error when none is stored, or NULL with an
 * error when there is no keyring. */
char *
parley_secret_lookup_finish (GAsyncResult  *result,
                             GError       **error)
{
  char *password = g_task_propagate_pointer (G_TASK (result), error);
  char *copy = g_strdup (password);

  if (password)
    secret_password_free (password);
  return copy;
}

static void
store_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (secret_password_store_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
parley_secret_store_async (const char          *hub_url,
                           const char          *login,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  /* Translators: the keyring item's label, %s is the login and the hub */
  g_autofree char *label = g_strdup_printf (_("Parley password for %s at %s"), login, hub_url);

  secret_password_store (password_schema (), SECRET_COLLECTION_DEFAULT, label, password, cancellable,
                         store_done_cb, task, "hub", hub_url, "login", login, NULL);
}

gboolean
parley_secret_store_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Forgets the password (on sign-out with "Remember" off); errors are moot. */
void
parley_secret_clear (const char *hub_url,
                     const char *login)
{
  secret_password_clear (password_schema (), NULL, NULL, NULL, "hub", hub_url, "login", login, NULL);
}
