/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-ui-text-channel"

#include "config.h"

#include "parley-ui-channel.h"
#include "parley-ui-text-channel.h"

/**
 * ParleyUiTextChannel:
 *
 * The desktop side of any channel that has no plugin of its own: plain-text
 * events (with their files, as #ParleyUiAttachmentButton shows them) and a
 * plain-text composer, so a channel such as the api channel works without
 * desktop code.
 */
struct _ParleyUiTextChannel
{
  GObject  parent_instance;
  char    *kind;
};

static void channel_iface_init (ParleyUiChannelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ParleyUiTextChannel, parley_ui_text_channel, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PARLEY_UI_TYPE_CHANNEL, channel_iface_init))

static const char *
text_channel_get_kind (ParleyUiChannel *channel)
{
  return PARLEY_UI_TEXT_CHANNEL (channel)->kind;
}

static void
channel_iface_init (ParleyUiChannelInterface *iface)
{
  iface->get_kind = text_channel_get_kind;
}

static void
parley_ui_text_channel_finalize (GObject *object)
{
  g_free (PARLEY_UI_TEXT_CHANNEL (object)->kind);
  G_OBJECT_CLASS (parley_ui_text_channel_parent_class)->finalize (object);
}

static void
parley_ui_text_channel_class_init (ParleyUiTextChannelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = parley_ui_text_channel_finalize;
}

static void
parley_ui_text_channel_init (ParleyUiTextChannel *self)
{
}

/**
 * parley_ui_text_channel_new:
 * @kind: the channel kind to serve
 *
 * The plain-text channel the desktop uses for a kind without a plugin.
 *
 * Returns: (transfer full): a generic channel for @kind
 */
ParleyUiTextChannel *
parley_ui_text_channel_new (const char *kind)
{
  ParleyUiTextChannel *self = g_object_new (PARLEY_UI_TYPE_TEXT_CHANNEL, NULL);

  self->kind = g_strdup (kind);
  return self;
}
