/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "parley-version-macros.h"

G_BEGIN_DECLS

/**
 * ParleySettingType:
 * @PARLEY_SETTING_STRING: any text (within its length limits)
 * @PARLEY_SETTING_INTEGER: a whole number (within its bounds)
 * @PARLEY_SETTING_BOOLEAN: "true" or "false"
 * @PARLEY_SETTING_URL: an http or https URL
 * @PARLEY_SETTING_CHOICE: one of a fixed list of words
 *
 * What a channel setting's value is.
 */
typedef enum
{
  PARLEY_SETTING_STRING,
  PARLEY_SETTING_INTEGER,
  PARLEY_SETTING_BOOLEAN,
  PARLEY_SETTING_URL,
  PARLEY_SETTING_CHOICE,
} ParleySettingType;

#define PARLEY_TYPE_CHANNEL_SETTING (parley_channel_setting_get_type ())
PARLEY_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (ParleyChannelSetting, parley_channel_setting, PARLEY, CHANNEL_SETTING, GObject)

PARLEY_AVAILABLE_IN_1_0
ParleyChannelSetting *parley_channel_setting_new            (const char            *name,
                                                             ParleySettingType      type,
                                                             const char            *description);
PARLEY_AVAILABLE_IN_1_0
void                  parley_channel_setting_set_default    (ParleyChannelSetting  *self,
                                                             const char            *value);
PARLEY_AVAILABLE_IN_1_0
void                  parley_channel_setting_set_secret     (ParleyChannelSetting  *self,
                                                             gboolean               secret);
PARLEY_AVAILABLE_IN_1_0
void                  parley_channel_setting_set_required   (ParleyChannelSetting  *self,
                                                             gboolean               required);
PARLEY_AVAILABLE_IN_1_0
void                  parley_channel_setting_set_range      (ParleyChannelSetting  *self,
                                                             gint64                 minimum,
                                                             gint64                 maximum);
PARLEY_AVAILABLE_IN_1_0
void                  parley_channel_setting_set_choices    (ParleyChannelSetting  *self,
                                                             const char * const    *choices);
PARLEY_AVAILABLE_IN_1_0
const char           *parley_channel_setting_get_name       (ParleyChannelSetting  *self);
PARLEY_AVAILABLE_IN_1_0
ParleySettingType     parley_channel_setting_get_value_type (ParleyChannelSetting  *self);
PARLEY_AVAILABLE_IN_1_0
const char           *parley_channel_setting_get_description (ParleyChannelSetting *self);
PARLEY_AVAILABLE_IN_1_0
const char           *parley_channel_setting_get_default    (ParleyChannelSetting  *self);
PARLEY_AVAILABLE_IN_1_0
gboolean              parley_channel_setting_get_secret     (ParleyChannelSetting  *self);
PARLEY_AVAILABLE_IN_1_0
gboolean              parley_channel_setting_get_required   (ParleyChannelSetting  *self);
PARLEY_AVAILABLE_IN_1_0
char                 *parley_channel_setting_check          (ParleyChannelSetting  *self,
                                                             const char            *value,
                                                             GError               **error);
PARLEY_AVAILABLE_IN_1_0
JsonObject           *parley_channel_setting_to_json        (ParleyChannelSetting  *self);

G_END_DECLS
