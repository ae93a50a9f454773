/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub-privacy"

#include "config.h"

#include "parley-hub-private.h"

/* A customer's data on request (export, erasure) and files past their
 * retention, for the hub; the work itself is parley-privacy.c's, shared
 * with parleyctl. */

/* The archive, once the audit log says who asked for it. */
GBytes *
_parley_hub_export_customer (ParleyHub  *self,
                             gint64      customer_id,
                             gint64      agent_id,
                             GError    **error)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  gint64 now = g_get_real_time ();

  if (!parley_privacy_export (self->store, customer_id, out, now, error) ||
      !g_output_stream_close (out, NULL, error) ||
      !_parley_hub_begin (self, error))
    return NULL;
  if (!parley_privacy_audit_export (self->store, customer_id, agent_id, "api", now, error))
    {
      _parley_hub_fail_transaction (self, NULL);
      return NULL;
    }
  if (!_parley_hub_commit (self, NULL, error))
    return NULL;
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
scrub_cb (ParleyHub    *self,
          const GError *error,
          gpointer      data)
{
  g_autoptr(GError) scrub_error = NULL;

  /* Not durable: the erasure may come back after a crash; scrub later. */
  if (error == NULL && !parley_store_scrub (self->store, &scrub_error))
    g_warning ("After erasing a customer: %s; the old data leaves the files at the next checkpoint",
               scrub_error->message);
}

/* In the caller's transaction. Once it is on disk, the pages it
 * overwrote are taken out of the store's log as well. */
gboolean
_parley_hub_erase_customer (ParleyHub  *self,
                            gint64      customer_id,
                            gint64      agent_id,
                            gint64      now,
                            GError    **error)
{
  if (!parley_privacy_erase (self->store, customer_id, agent_id, "api", now, error))
    return FALSE;
  _parley_hub_when_durable (self, scrub_cb, NULL);
  return TRUE;
}

gboolean
_parley_hub_load_retention (ParleyHub  *self,
                            GError    **error)
{
  return parley_retention_load (&self->retention, self->config->file, error);
}

/* Runs at start and with the hourly housekeeping. */
void
_parley_hub_apply_retention (ParleyHub *self)
{
  g_autoptr(GError) error = NULL;
  gint64 expired = -1;

  if (_parley_hub_begin (self, &error))
    {
      expired = parley_retention_apply (&self->retention, self->store, g_get_real_time (), &error);
      if (expired < 0)
        _parley_hub_fail_transaction (self, NULL);
      else if (!_parley_hub_commit (self, NULL, &error))
        expired = -1;
    }
  if (expired < 0)
    g_warning ("Files past their retention could not be deleted: %s", error->message);
  else if (expired > 0)
    g_message ("Deleted %" G_GINT64_FORMAT " files past their retention", expired);
}
