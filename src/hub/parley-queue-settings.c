/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-queue-settings"

#include "config.h"

#include "parley.h"
#include "parley-queue-settings.h"

/* Checking and completing a queue's settings in one place, for the REST API
 * and parleyctl alike: what is stored is always whole and valid, so readers
 * never guess a default. */

typedef struct
{
  const char *section;
  const char *name;
  GType       type;      /* G_TYPE_INT64, G_TYPE_BOOLEAN or G_TYPE_STRING */
  gint64      min;
  gint64      max;
  gint64      fallback;  /* numbers and booleans */
} Setting;

static const Setting settings[] = {
  { "targets", "service_level", G_TYPE_INT64, 1, 100, 80 },
  { "targets", "longest_wait", G_TYPE_INT64, 1, 86400, 60 },
  { "survey", "enabled", G_TYPE_BOOLEAN, 0, 1, FALSE },
  { "survey", "delay", G_TYPE_INT64, 0, 7 * 86400, 60 },
  { "survey", "language", G_TYPE_STRING, 0, 0, 0 },
  { "survey", "csat", G_TYPE_BOOLEAN, 0, 1, TRUE },
  { "survey", "comment", G_TYPE_BOOLEAN, 0, 1, TRUE },
  { "survey", "quiet_period", G_TYPE_INT64, 0, 365 * 86400, 30 * 86400 },
  { "survey", "reply_window", G_TYPE_INT64, 60, 7 * 86400, 86400 },
};

static const char * const languages[] = { "en", "de", NULL };
static const char * const questions[] = { "nps", "csat", "comment", "retry", "thanks", NULL };

#define MAX_QUESTION 1000

static JsonObject *
section_of (JsonObject *object,
            const char *name)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonObject *
ensure_section (JsonObject *object,
                const char *name)
{
  if (section_of (object, name) == NULL)
    json_object_set_object_member (object, name, json_object_new ());
  return section_of (object, name);
}

static gboolean
check_value (const Setting *setting,
             JsonNode      *node,
             GError       **error)
{
  GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;

  if (type != setting->type)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "%s.%s must be %s", setting->section, setting->name,
                   setting->type == G_TYPE_BOOLEAN ? "true or false"
                   : setting->type == G_TYPE_STRING ? "a string" : "a whole number");
      return FALSE;
    }
  if (type == G_TYPE_INT64 && (json_node_get_int (node) < setting->min || json_node_get_int (node) > setting->max))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "%s.%s must be from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                   setting->section, setting->name, setting->min, setting->max);
      return FALSE;
    }
  if (type == G_TYPE_STRING && !g_strv_contains (languages, json_node_get_string (node)))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "%s.%s must be “en” or “de”", setting->section, setting->name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_questions (JsonObject  *survey,
                 JsonObject  *changes,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (changes, "questions");
  JsonObject *wording, *given;
  g_autoptr(GList) names = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "survey.questions must be an object");
      return FALSE;
    }
  given = json_node_get_object (node);
  wording = ensure_section (survey, "questions");
  names = json_object_get_members (given);
  for (GList *l = names; l; l = l->next)
    {
      JsonNode *text = json_object_get_member (given, l->data);

      if (!g_strv_contains (questions, l->data))
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "survey.questions has no “%s”", (char *) l->data);
          return FALSE;
        }
      if (JSON_NODE_HOLDS_NULL (text))
        {
          json_object_remove_member (wording, l->data);  /* back to the built-in wording */
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (text) || json_node_get_value_type (text) != G_TYPE_STRING ||
          !g_utf8_validate (json_node_get_string (text), -1, NULL) || *json_node_get_string (text) == '\0' ||
          strlen (json_node_get_string (text)) > MAX_QUESTION)
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                       "survey.questions.%s must be text of 1 to %d bytes", (char *) l->data, MAX_QUESTION);
          return FALSE;
        }
      json_object_set_string_member (wording, l->data, json_node_get_string (text));
    }
  return TRUE;
}

static gboolean
is_known (const char *section,
          const char *name)
{
  if (name == NULL)
    return g_str_equal (section, "targets") || g_str_equal (section, "survey");
  if (g_str_equal (section, "survey") && g_str_equal (name, "questions"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    if (g_str_equal (settings[i].section, section) && g_str_equal (settings[i].name, name))
      return TRUE;
  return FALSE;
}

/* A misspelt setting is an error, not something silently ignored. */
static gboolean
check_names (JsonObject  *changes,
             GError     **error)
{
  g_autoptr(GList) sections = json_object_get_members (changes);

  for (GList *s = sections; s; s = s->next)
    {
      JsonObject *section = section_of (changes, s->data);
      g_autoptr(GList) names = section ? json_object_get_members (section) : NULL;

      if (!is_known (s->data, NULL) || section == NULL)
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Queue settings have no section “%s”", (char *) s->data);
          return FALSE;
        }
      for (GList *n = names; n; n = n->next)
        if (!is_known (s->data, n->data))
          {
            g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Queue settings have no “%s.%s”",
                         (char *) s->data, (char *) n->data);
            return FALSE;
          }
    }
  return TRUE;
}

/**
 * parley_queue_settings_apply:
 * @current: (nullable): the settings stored now
 * @changes: (nullable): members to change, in the same shape
 *
 * Returns: (transfer full): the whole settings after the change, every
 *   member present, or %NULL with @error set (nothing is changed then).
 */
JsonObject *
parley_queue_settings_apply (JsonObject  *current,
                             JsonObject  *changes,
                             GError     **error)
{
  g_autoptr(JsonObject) result = json_object_new ();

  if (changes && !check_names (changes, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (settings); i++)
    {
      const Setting *setting = &settings[i];
      JsonObject *section = ensure_section (result, setting->section);
      JsonObject *now = section_of (current, setting->section);
      JsonNode *given = section_of (changes, setting->section) ? json_object_get_member (section_of (changes, setting->section), setting->name) : NULL;
      JsonNode *kept = now ? json_object_get_member (now, setting->name) : NULL;
      JsonNode *value = given ? given : kept;

      if (given && !check_value (setting, given, error))
        return NULL;
      if (value && (given || check_value (setting, value, NULL)))
        json_object_set_member (section, setting->name, json_node_copy (value));
      else if (setting->type == G_TYPE_STRING)
        json_object_set_string_member (section, setting->name, languages[0]);
      else if (setting->type == G_TYPE_BOOLEAN)
        json_object_set_boolean_member (section, setting->name, setting->fallback);
      else
        json_object_set_int_member (section, setting->name, setting->fallback);
    }
  /* Own wording: what was set stays unless changed. */
  if (section_of (section_of (current, "survey"), "questions"))
    json_object_set_member (section_of (result, "survey"), "questions",
                            json_node_copy (json_object_get_member (section_of (current, "survey"), "questions")));
  else
    json_object_set_object_member (section_of (result, "survey"), "questions", json_object_new ());
  if (section_of (changes, "survey") && !apply_questions (section_of (result, "survey"), section_of (changes, "survey"), error))
    return NULL;
  return g_steal_pointer (&result);
}
