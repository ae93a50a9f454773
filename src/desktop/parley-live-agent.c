/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-live-agent"

#include "config.h"

#include "parley-live-agent.h"

/**
 * ParleyLiveAgent:
 *
 * An agents board row: who the agent is, their state with its reason and
 * since when, their skills, and today's figures for them by the hub's
 * names. Presence pushes and snapshots update it in place.
 */
struct _ParleyLiveAgent
{
  ParleyLiveItem parent_instance;

  gint64      id;
  char       *name;
  char       *login;
  char       *presence;
  char       *reason;
  gint64      presence_since;
  JsonObject *skills;
  JsonObject *figures;
};

G_DEFINE_FINAL_TYPE (ParleyLiveAgent, parley_live_agent, PARLEY_TYPE_LIVE_ITEM)

enum { PROP_0, PROP_ID, PROP_NAME, PROP_LOGIN, PROP_PRESENCE, PROP_REASON, PROP_PRESENCE_SINCE, PROP_SKILLS, PROP_FIGURES, N_PROPS };

static GParamSpec *properties[N_PROPS];

static void
parley_live_agent_finalize (GObject *object)
{
  ParleyLiveAgent *self = PARLEY_LIVE_AGENT (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->presence, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->skills, json_object_unref);
  g_clear_pointer (&self->figures, json_object_unref);
  G_OBJECT_CLASS (parley_live_agent_parent_class)->finalize (object);
}

static void
parley_live_agent_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ParleyLiveAgent *self = PARLEY_LIVE_AGENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_LOGIN:
      g_value_set_string (value, self->login);
      break;
    case PROP_PRESENCE:
      g_value_set_string (value, self->presence);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_PRESENCE_SINCE:
      g_value_set_int64 (value, self->presence_since);
      break;
    case PROP_SKILLS:
      g_value_set_boxed (value, self->skills);
      break;
    case PROP_FIGURES:
      g_value_set_boxed (value, self->figures);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_live_agent_class_init (ParleyLiveAgentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = parley_live_agent_finalize;
  object_class->get_property = parley_live_agent_get_property;

  /* the agent */
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* their full name */
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  /* what they sign in with */
  properties[PROP_LOGIN] = g_param_spec_string ("login", NULL, NULL, NULL, flags);
  /* "available", "busy", "wrap-up", "away" or "offline" */
  properties[PROP_PRESENCE] = g_param_spec_string ("presence", NULL, NULL, NULL, flags);
  /* why they are away or busy, or NULL */
  properties[PROP_REASON] = g_param_spec_string ("reason", NULL, NULL, NULL, flags);
  /* when the state began, µs since the epoch (0: unknown) */
  properties[PROP_PRESENCE_SINCE] = g_param_spec_int64 ("presence-since", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /* {"billing": 3, ...} */
  properties[PROP_SKILLS] = g_param_spec_boxed ("skills", NULL, NULL, JSON_TYPE_OBJECT, flags);
  /* today's figures: "handled", "aht_ms", "current"... */
  properties[PROP_FIGURES] = g_param_spec_boxed ("figures", NULL, NULL, JSON_TYPE_OBJECT, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
parley_live_agent_init (ParleyLiveAgent *self)
{
}

ParleyLiveAgent *
parley_live_agent_new (const char *key)
{
  return g_object_new (PARLEY_TYPE_LIVE_AGENT, "key", key, NULL);
}

/* Takes the hub's agent record and today's figures for them (or NULL). */
void
parley_live_agent_update (ParleyLiveAgent *self,
                          JsonObject      *agent,
                          JsonObject      *figures)
{
  ParleyLiveItem *item = PARLEY_LIVE_ITEM (self);
  JsonNode *skills = json_object_get_member (agent, "skills");
  const char *presence = json_object_get_string_member_with_default (agent, "presence", NULL);

  g_return_if_fail (PARLEY_IS_LIVE_AGENT (self));
  g_object_freeze_notify (G_OBJECT (self));
  parley_live_item_set_int64 (item, &self->id, json_object_get_int_member_with_default (agent, "id", 0), properties[PROP_ID]);
  parley_live_item_set_string (item, &self->name, json_object_get_string_member_with_default (agent, "name", ""),
                               properties[PROP_NAME]);
  parley_live_item_set_string (item, &self->login, json_object_get_string_member_with_default (agent, "login", ""),
                               properties[PROP_LOGIN]);
  /* An agent without a presence is treated as offline everywhere. */
  parley_live_item_set_string (item, &self->presence, presence ? presence : "offline", properties[PROP_PRESENCE]);
  parley_live_item_set_string (item, &self->reason, json_object_get_string_member_with_default (agent, "reason", NULL),
                               properties[PROP_REASON]);
  parley_live_item_set_int64 (item, &self->presence_since, json_object_get_int_member_with_default (agent, "presence_since", 0),
                              properties[PROP_PRESENCE_SINCE]);
  parley_live_item_set_object (item, &self->skills,
                               skills && JSON_NODE_HOLDS_OBJECT (skills) ? json_node_get_object (skills) : NULL,
                               properties[PROP_SKILLS]);
  parley_live_item_set_object (item, &self->figures, figures, properties[PROP_FIGURES]);
  g_object_thaw_notify (G_OBJECT (self));
}

gint64
parley_live_agent_get_id (ParleyLiveAgent *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_AGENT (self), 0);
  return self->id;
}

const char *
parley_live_agent_get_name (ParleyLiveAgent *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_AGENT (self), NULL);
  return self->name;
}

const char *
parley_live_agent_get_login (ParleyLiveAgent *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_AGENT (self), NULL);
  return self->login;
}

const char *
parley_live_agent_get_presence (ParleyLiveAgent *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_AGENT (self), NULL);
  return self->presence;
}

const char *
parley_live_agent_get_reason (ParleyLiveAgent *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_AGENT (self), NULL);
  return self->reason;
}

gint64
parley_live_agent_get_presence_since (ParleyLiveAgent *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_AGENT (self), 0);
  return self->presence_since;
}

JsonObject *
parley_live_agent_get_skills (ParleyLiveAgent *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_AGENT (self), NULL);
  return self->skills;
}

JsonObject *
parley_live_agent_get_figures (ParleyLiveAgent *self)
{
  g_return_val_if_fail (PARLEY_IS_LIVE_AGENT (self), NULL);
  return self->figures;
}
