/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parleyctl"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sodium.h>
#include <unistd.h>

#include "parley.h"
#include "parley-auth.h"
#include "parley-config.h"
#include "parley-data-dir.h"
#include "parley-error.h"
#include "parley-http.h"
#include "parley-identity.h"
#include "parley-plugin-engine.h"
#include "parley-privacy.h"
#include "parley-queue-settings.h"
#include "parley-sqlite-store.h"

/* Administration straight on a hub's data directory: agents, queues,
 * channel settings and demo data. The hub reads agents, queues and
 * settings when it starts; restart it after changing them (or use the
 * admin endpoints of the REST API while it runs). */

static char *opt_data_dir;
static char *opt_config;
static char *opt_name;
static char *opt_password;
static char *opt_role;
static char **opt_skills;
static char **opt_capacity;
static char **opt_service_level;
static int opt_priority;
static int opt_relax_after = -1;
static char *opt_strength;
static gboolean opt_force;

static const GOptionEntry entries[] = {
  { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &opt_data_dir, N_("The hub's data directory"), N_("DIR") },
  { "config", 'c', 0, G_OPTION_ARG_FILENAME, &opt_config, N_("The hub's configuration file"), N_("FILE") },
  { "name", 0, 0, G_OPTION_ARG_STRING, &opt_name, N_("Display name of the agent"), N_("NAME") },
  { "password", 0, 0, G_OPTION_ARG_STRING, &opt_password, N_("Password (or set PARLEY_PASSWORD)"), N_("PASSWORD") },
  { "role", 0, 0, G_OPTION_ARG_STRING, &opt_role, N_("agent, supervisor or admin"), N_("ROLE") },
  { "skill", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_skills, N_("A skill and its level, e.g. billing=3"), N_("SKILL=LEVEL") },
  { "capacity", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_capacity, N_("Conversations at once on a channel, e.g. chat=3"), N_("CHANNEL=N") },
  { "service-level", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_service_level, N_("Answer-within threshold, e.g. voice=20"), N_("CHANNEL=SECONDS") },
  { "priority", 0, 0, G_OPTION_ARG_INT, &opt_priority, N_("Queue priority (higher first)"), N_("N") },
  { "relax-after", 0, 0, G_OPTION_ARG_INT, &opt_relax_after, N_("Seconds per skill level relaxed"), N_("SECONDS") },
  { "password-strength", 0, 0, G_OPTION_ARG_STRING, &opt_strength, N_("interactive, moderate or min"), N_("STRENGTH") },
  { "force", 0, 0, G_OPTION_ARG_NONE, &opt_force, N_("restore: replace the data of a stopped hub"), NULL },
  { NULL }
};

static JsonObject *
parse_levels (char      **pairs,
              GError    **error)
{
  g_autoptr(JsonObject) levels = json_object_new ();

  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (pairs[i], "=", 2);
      gint64 n;

      if (g_strv_length (parts) != 2 || *parts[0] == '\0' ||
          !g_ascii_string_to_signed (parts[1], 10, 0, 86400, &n, NULL))
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "“%s” is not NAME=NUMBER", pairs[i]);
          return NULL;
        }
      json_object_set_int_member (levels, parts[0], n);
    }
  return g_steal_pointer (&levels);
}

static void
print_json (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_node_set_object (node, object);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static gboolean
add_agent (ParleyStore  *store,
           const char   *login,
           const char   *name,
           const char   *role,
           const char   *password,
           JsonObject   *skills,
           JsonObject   *capacity,
           GError      **error)
{
  g_autofree char *hash = NULL;

  if (password == NULL)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Give --password or set PARLEY_PASSWORD");
      return FALSE;
    }
  if (!g_strv_contains ((const char * const[]) { "agent", "supervisor", "admin", NULL }, role))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Role must be agent, supervisor or admin");
      return FALSE;
    }
  hash = parley_auth_hash_password (password, opt_strength ? opt_strength : "interactive", error);
  return hash != NULL &&
         parley_store_create_agent (store, login, name ? name : login, role, hash, skills, capacity, error) > 0;
}

/* Changes the agent as PATCH /agents/{id} does: the skills and capacities
 * given, the others as they were. */
static gboolean
set_agent (ParleyStore  *store,
           const char   *login,
           GError      **error)
{
  g_autoptr(JsonObject) agent = parley_store_get_agent_by_login (store, login, error);
  g_autoptr(JsonObject) changes = json_object_new ();
  g_autoptr(JsonObject) changed = NULL;
  JsonObject *skills, *capacity;

  if (agent == NULL)
    return FALSE;
  if (opt_name != NULL)
    json_object_set_string_member (changes, "name", opt_name);
  if (opt_role != NULL)
    json_object_set_string_member (changes, "role", opt_role);
  if (opt_skills != NULL)
    {
      if (!(skills = parse_levels (opt_skills, error)))
        return FALSE;
      json_object_set_object_member (changes, "skills", skills);
    }
  if (opt_capacity != NULL)
    {
      if (!(capacity = parse_levels (opt_capacity, error)))
        return FALSE;
      json_object_set_object_member (changes, "capacity", capacity);
    }
  if (json_object_get_size (changes) == 0)
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Give --name, --role, --skill or --capacity");
      return FALSE;
    }
  if (!(changed = parley_store_patch_agent (store, json_object_get_int_member (agent, "id"), changes, error)))
    return FALSE;
  print_json (changed);
  return TRUE;
}

/* ---- demo data ---------------------------------------------------------- */

typedef struct
{
  ParleyStore *store;
  gint64       now;
  gint64       queue;
} Demo;

static gint64
demo_customer (Demo        *demo,
               const char  *name,
               const char  *const *identities,
               GError     **error)
{
  gint64 customer = 0;

  for (guint i = 0; identities[i] != NULL; i += 2)
    {
      g_autofree char *value = parley_identity_normalize (identities[i], identities[i + 1], NULL, error);
      gboolean created;

      if (value == NULL)
        return 0;
      if (customer == 0)
        customer = parley_store_resolve_identity (demo->store, identities[i], value, name, demo->now, &created, error);
      else if (parley_store_link_identity (demo->store, customer, identities[i], value, error) < 0)
        return 0;
      if (customer <= 0)
        return 0;
    }
  return customer;
}

static gboolean
demo_event (Demo        *demo,
            gint64       conversation,
            gint64       customer,
            const char  *channel,
            const char  *kind,
            const char  *direction,
            gint64       agent,
            const char  *author,
            const char  *text,
            gint64       minutes_ago,
            GError     **error)
{
  ParleyEventDraft draft = {
    .conversation_id = conversation,
    .customer_id = customer,
    .channel = channel,
    .kind = kind,
    .direction = direction,
    .agent_id = agent,
    .author_name = author,
    .text = text,
    .delivery = g_str_equal (direction, "out") ? "delivered" : NULL,
    .created = demo->now - minutes_ago * 60 * G_USEC_PER_SEC,
  };

  return parley_store_append_event (demo->store, &draft, error) > 0;
}

static gint64
agent_id (ParleyStore *store,
          const char  *login)
{
  g_autoptr(JsonObject) agent = parley_store_get_agent_by_login (store, login, NULL);

  return agent ? json_object_get_int_member (agent, "id") : 0;
}

/* Changes a queue's settings (targets, surveys): @changes is JSON in the
 * shape parley-queue-settings.h documents. */
static gboolean
configure_queue (ParleyStore  *store,
                 const char   *name,
                 const char   *changes,
                 GError      **error)
{
  g_autoptr(GPtrArray) queues = parley_store_list_queues (store, error);
  g_autoptr(JsonObject) given = NULL;
  g_autoptr(JsonObject) settings = NULL;

  if (queues == NULL || !(given = parley_json_parse_object (changes, strlen (changes), "Queue settings", error)))
    return FALSE;
  for (guint i = 0; i < queues->len; i++)
    {
      JsonObject *queue = g_ptr_array_index (queues, i);

      if (g_strcmp0 (json_object_get_string_member (queue, "name"), name) != 0)
        continue;
      return (settings = parley_queue_settings_apply (json_object_get_object_member (queue, "settings"),
                                                      given, error)) &&
             parley_store_set_queue_settings (store, json_object_get_int_member (queue, "id"), settings, error);
    }
  g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "No queue is named “%s”", name);
  return FALSE;
}

/* Minutes from 15:00 local time @days_back days ago to the demo's now:
 * the demo's past lies in the afternoon of past days, so that none of it
 * falls into today, whatever the hour now. */
static gint64
demo_afternoon (Demo *demo,
                int   days_back)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (demo->now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, -days_back);
  g_autoptr(GDateTime) afternoon = g_date_time_new_local (g_date_time_get_year (day), g_date_time_get_month (day),
                                                          g_date_time_get_day_of_month (day), 15, 0, 0);

  return (demo->now / G_USEC_PER_SEC - g_date_time_to_unix (afternoon)) / 60;
}

/* Two weeks of rated conversations by three more customers, so the
 * satisfaction view has a trend to show from the start. */
static gboolean
load_demo_ratings (Demo    *demo,
                   GError **error)
{
  static const struct { int nps; int csat; const char *comment; } ratings[] = {
    { 9, 5, NULL }, { 10, 5, "Sorted in five minutes, thanks!" }, { 7, 4, NULL }, { 8, 4, NULL },
    { 10, 5, NULL }, { 6, 3, "Took three emails to get an answer." }, { 9, 5, NULL }, { 10, 5, NULL },
    { 3, 2, "The replacement was wrong again." }, { 9, 4, NULL }, { 8, 4, NULL }, { 10, 5, "Bob was great." },
    { 9, 5, NULL },
  };
  const char *const people[][3] = {
    { "Tomás Rivera", "email", "tomas.rivera@example.com" },
    { "Anna Kowalski", "phone", "+48 512 345 678" },
    { "Chen Wei", "email", "chen.wei@example.net" },
  };
  const char *const channels[] = { "email", "voice", "email" };
  gint64 agents[] = { agent_id (demo->store, "alice"), agent_id (demo->store, "bob") };
  const char *const agent_names[] = { "Alice Martin", "Bob Okafor" };
  gint64 customers[G_N_ELEMENTS (people)];

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    if ((customers[i] = demo_customer (demo, people[i][0], (const char *const[]) { people[i][1], people[i][2], NULL },
                                       error)) <= 0)
      return FALSE;
  for (guint d = 0; d < G_N_ELEMENTS (ratings); d++)
    {
      /* One a day, from 13 days ago to yesterday. */
      gint64 minutes_ago = demo_afternoon (demo, (int) (G_N_ELEMENTS (ratings) - d));
      guint who = d % G_N_ELEMENTS (people);
      gint64 agent = agents[d % G_N_ELEMENTS (agents)];
      gint64 at = demo->now - minutes_ago * 60 * G_USEC_PER_SEC;
      g_autoptr(JsonObject) scores = json_object_new ();
      gint64 conversation = parley_store_create_conversation (demo->store, customers[who], demo->queue, channels[who], 0,
                                                              at, error);
      ParleyEventDraft answer = {
        .conversation_id = conversation,
        .customer_id = customers[who],
        .channel = channels[who],
        .kind = "survey",
        .direction = "in",
        .text = ratings[d].comment,
        .metadata = scores,
        .created = at + (gint64) 40 * 60 * G_USEC_PER_SEC,
      };

      json_object_set_int_member (scores, "nps", ratings[d].nps);
      json_object_set_int_member (scores, "csat", ratings[d].csat);
      json_object_set_int_member (scores, "agent_id", agent);
      if (conversation <= 0 ||
          !demo_event (demo, conversation, customers[who], channels[who], "message", "in", 0, people[who][0],
                       "Where is my order?", minutes_ago, error) ||
          !demo_event (demo, conversation, customers[who], channels[who], "message", "out", agent,
                       agent_names[d % G_N_ELEMENTS (agents)],
                       "It left the warehouse this morning; here is the tracking link.", minutes_ago - 4, error) ||
          !parley_store_update_conversation (demo->store, conversation, "assigned", agent, 0, NULL, at, error) ||
          !parley_store_resolve_conversation (demo->store, conversation, "answered", at + (gint64) 5 * 60 * G_USEC_PER_SEC, error) ||
          parley_store_add_survey_answer (demo->store, conversation, agent, ratings[d].nps, ratings[d].csat,
                                          ratings[d].comment, answer.created, error) <= 0 ||
          parley_store_append_event (demo->store, &answer, error) <= 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_demo_history (Demo    *demo,
                   GError **error)
{
  ParleyStore *store = demo->store;
  gint64 alice = agent_id (store, "alice"), bob = agent_id (store, "bob");
  gint64 maria, john, yuki, lea, conversation;
  /* When each customer first wrote, in minutes ago. */
  gint64 maria_wrote = demo_afternoon (demo, 3), john_wrote = demo_afternoon (demo, 1), lea_wrote = demo_afternoon (demo, 5);

  maria = demo_customer (demo, "María García", (const char *const[]) {
    "email", "maria.garcia@example.com", "phone", "+34 612 345 678", "chat", "visitor-maria-01", NULL }, error);
  john = demo_customer (demo, "John Smith", (const char *const[]) {
    "email", "john.smith@example.org", "phone", "+1 415 555 0134", NULL }, error);
  yuki = demo_customer (demo, "Yuki Tanaka", (const char *const[]) {
    "social", "mastodon:@yuki@social.example", "chat", "visitor-yuki-7", NULL }, error);
  lea = demo_customer (demo, "Léa Dubois", (const char *const[]) {
    "email", "lea.dubois@example.fr", NULL }, error);
  if (maria <= 0 || john <= 0 || yuki <= 0 || lea <= 0)
    return FALSE;

  /* María: chat, then a call, then an email, in one resolved conversation. */
  conversation = parley_store_create_conversation (store, maria, demo->queue, "chat", 0, demo->now - maria_wrote * 60 * G_USEC_PER_SEC, error);
  if (conversation <= 0 ||
      !demo_event (demo, conversation, maria, "chat", "message", "in", 0, "María García",
                   "Hi, my order #1042 still hasn't arrived. It was due on Monday.", maria_wrote, error) ||
      !demo_event (demo, conversation, maria, "chat", "message", "out", alice, "Alice Martin",
                   "Sorry about that, María. Let me check with the carrier.", maria_wrote - 2, error) ||
      !demo_event (demo, conversation, maria, "voice", "call", "out", alice, "Alice Martin",
                   "Call, 4 min 12 s: carrier lost the parcel; replacement agreed.", maria_wrote - 10, error) ||
      !demo_event (demo, conversation, maria, "email", "message", "out", alice, "Alice Martin",
                   "Confirmation: a replacement for order #1042 shipped today, tracking 1Z999AA10123456784.", maria_wrote - 15, error) ||
      !parley_store_update_conversation (store, conversation, "assigned", alice, 0, "email", demo->now, error) ||
      !parley_store_resolve_conversation (store, conversation, "replacement-sent", demo->now - (maria_wrote - 16) * 60 * G_USEC_PER_SEC, error))
    return FALSE;

  /* ... and she writes again today: waiting in the queue. */
  conversation = parley_store_create_conversation (store, maria, demo->queue, "email", 0, demo->now - 6 * 60 * G_USEC_PER_SEC, error);
  if (conversation <= 0 ||
      !demo_event (demo, conversation, maria, "email", "message", "in", 0, "María García",
                   "The replacement arrived but it is the wrong size. Can I swap it?", 6, error))
    return FALSE;

  conversation = parley_store_create_conversation (store, john, demo->queue, "api", 0, demo->now - john_wrote * 60 * G_USEC_PER_SEC, error);
  if (conversation <= 0 ||
      !demo_event (demo, conversation, john, "api", "message", "in", 0, "John Smith",
                   "Invoice INV-2291 charges me twice for the annual plan.", john_wrote, error) ||
      !demo_event (demo, conversation, john, "email", "message", "out", bob, "Bob Okafor",
                   "You're right: the duplicate charge is refunded and will show in 3-5 days.", john_wrote - 30, error) ||
      !parley_store_update_conversation (store, conversation, "assigned", bob, 0, "email", demo->now, error) ||
      !parley_store_resolve_conversation (store, conversation, "refund", demo->now - (john_wrote - 31) * 60 * G_USEC_PER_SEC, error))
    return FALSE;

  conversation = parley_store_create_conversation (store, yuki, demo->queue, "chat", 0, demo->now - 2 * 60 * G_USEC_PER_SEC, error);
  if (conversation <= 0 ||
      !demo_event (demo, conversation, yuki, "social", "message", "in", 0, "Yuki Tanaka",
                   "@shop is the 2-year warranty valid in Japan?", 40, error) ||
      !demo_event (demo, conversation, yuki, "chat", "message", "in", 0, "Yuki Tanaka",
                   "Following up from Mastodon: does the warranty cover the battery?", 2, error))
    return FALSE;

  conversation = parley_store_create_conversation (store, lea, demo->queue, "email", 0, demo->now - lea_wrote * 60 * G_USEC_PER_SEC, error);
  return conversation > 0 &&
         demo_event (demo, conversation, lea, "email", "message", "in", 0, "Léa Dubois",
                     "Bonjour, puis-je changer l'adresse de livraison de ma commande ?", lea_wrote, error) &&
         demo_event (demo, conversation, lea, "email", "message", "out", alice, "Alice Martin",
                     "Bonjour Léa, c'est fait : la nouvelle adresse est enregistrée.", lea_wrote - 45, error) &&
         parley_store_update_conversation (store, conversation, "assigned", alice, 0, NULL, demo->now, error) &&
         parley_store_resolve_conversation (store, conversation, "address-changed", demo->now - (lea_wrote - 46) * 60 * G_USEC_PER_SEC, error);
}

/* A key for signing: 32 bytes from libsodium's generator, in base64. */
static char *
random_secret (void)
{
  guchar key[32];
  char *secret;

  randombytes_buf (key, sizeof key);
  secret = g_base64_encode (key, sizeof key);
  sodium_memzero (key, sizeof key);
  return secret;
}

static gboolean
load_demo (ParleyStore  *store,
           GError      **error)
{
  static const struct {
    const char *login, *name, *role, *skills, *capacity;
  } agents[] = {
    { "alice", "Alice Martin", "agent", "en=5,billing=3,fr=4", "chat=3,email=5,api=3,voice=1" },
    { "bob", "Bob Okafor", "agent", "en=4,tech=5", "chat=3,email=5,api=3,voice=1" },
    { "carol", "Carol Nguyen", "agent", "en=3,billing=5", "chat=2,email=3,api=2,voice=1" },
    { "sam", "Sam Lee", "supervisor", "en=5", "chat=1,email=1,api=1,voice=1" },
    { "admin", "Administrator", "admin", "", "" },
  };
  Demo demo = { store, g_get_real_time (), 0 };
  g_autoptr(GPtrArray) queues = NULL;
  g_autoptr(JsonObject) no_skills = json_object_new ();
  g_autoptr(JsonObject) billing = json_object_new ();
  g_autoptr(JsonObject) tech = json_object_new ();
  g_autoptr(JsonObject) levels = json_object_new ();

  /* Signs the chat visitors' tokens: random, so no two installs share it. */
  g_autofree char *chat_secret = random_secret ();

  if (agent_id (store, "alice") > 0)
    {
      g_print ("Demo data is already loaded.\n");
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (agents); i++)
    {
      g_auto(GStrv) skills = g_strsplit (agents[i].skills, ",", -1);
      g_auto(GStrv) capacity = g_strsplit (agents[i].capacity, ",", -1);
      g_autoptr(JsonObject) skill_levels = NULL;
      g_autoptr(JsonObject) capacities = NULL;

      if (!(skill_levels = parse_levels (*agents[i].skills ? skills : NULL, error)) ||
          !(capacities = parse_levels (*agents[i].capacity ? capacity : NULL, error)) ||
          !add_agent (store, agents[i].login, agents[i].name, agents[i].role, "parley-demo",
                      skill_levels, capacities, error))
        return FALSE;
    }

  json_object_set_int_member (billing, "billing", 3);
  json_object_set_int_member (tech, "tech", 3);
  json_object_set_int_member (levels, "chat", 30);
  json_object_set_int_member (levels, "voice", 20);
  json_object_set_int_member (levels, "email", 3600);
  if (!(queues = parley_store_list_queues (store, error)) || !parley_store_begin (store, error))
    return FALSE;
  /* parleyd makes a General queue when it first starts; reuse it. */
  for (guint i = 0; i < queues->len; i++)
    if (g_strcmp0 (json_object_get_string_member (g_ptr_array_index (queues, i), "name"), "General") == 0)
      demo.queue = json_object_get_int_member (g_ptr_array_index (queues, i), "id");
  if ((demo.queue == 0 &&
       (demo.queue = parley_store_create_queue (store, "General", 0, no_skills, 30, levels, NULL, error)) <= 0) ||
      parley_store_create_queue (store, "Billing", 5, billing, 60, levels, NULL, error) <= 0 ||
      parley_store_create_queue (store, "Technical", 3, tech, 60, levels, NULL, error) <= 0 ||
      !configure_queue (store, "General", "{\"survey\":{\"enabled\":true,\"delay\":30}}", error) ||
      !parley_store_set_setting (store, "api", "key", "demo-api-key-change-me", error) ||
      !parley_store_set_setting (store, "chat", "site-key", "demo-shop", error) ||
      !parley_store_set_setting (store, "chat", "secret", chat_secret, error) ||
      !load_demo_history (&demo, error) ||
      !load_demo_ratings (&demo, error))
    {
      parley_store_rollback (store);
      return FALSE;
    }
  if (!parley_store_commit (store, error))
    return FALSE;

  g_print ("Demo data loaded. Log in to the hub as alice, bob or carol (agents), sam (supervisor)\n"
           "or admin, each with the password “parley-demo”. The api channel key is\n"
           "“demo-api-key-change-me”; the demo shop with the chat widget is at /api/v1/channels/chat/demo.\n");
  return TRUE;
}

/* ---- commands ----------------------------------------------------------- */

typedef struct
{
  const char        *kind;
  ParleyChannelInfo *info;
} ParleyDeclarationSearch;

static void
declaration_found_cb (PeasEngine     *engine,
                      PeasPluginInfo *plugin,
                      gpointer        user_data)
{
  ParleyDeclarationSearch *search = user_data;
  g_autoptr(PeasExtension) channel = NULL;

  if (search->info != NULL || !peas_engine_provides_extension (engine, plugin, PARLEY_TYPE_CHANNEL) ||
      g_strcmp0 (peas_plugin_info_get_external_data (plugin, "Parley-Channel-Kind"), search->kind) != 0)
    return;
  if ((channel = peas_engine_create_extension (engine, plugin, PARLEY_TYPE_CHANNEL, NULL)) != NULL &&
      parley_channel_get_info (PARLEY_CHANNEL (channel)) != NULL)
    search->info = g_object_ref (parley_channel_get_info (PARLEY_CHANNEL (channel)));
}

/* Checks a setting of channel @scope against the declaration of the
 * channel's installed plugin (created, never started), as the hub does;
 * "hub" settings are the hub's own. *@kept is the value to keep. */
static gboolean
check_setting (const char  *scope,
               const char  *key,
               const char  *value,
               char       **kept,
               GError     **error)
{
  g_autoptr(PeasEngine) engine = NULL;
  ParleyDeclarationSearch search = { scope, NULL };
  gboolean valid;

  if (g_str_equal (scope, "hub"))
    {
      *kept = g_strdup (value);
      return TRUE;
    }
  engine = parley_plugin_engine_new ("hub", PARLEY_HUB_PLUGIN_DIR, "Parley");
  parley_plugin_engine_load_all (engine, declaration_found_cb, &search);
  if (search.info == NULL)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "No installed channel plugin serves “%s”", scope);
      return FALSE;
    }
  valid = parley_channel_info_check_setting (search.info, key, value, kept, error);
  g_object_unref (search.info);
  return valid;
}

static gboolean
set_setting (ParleyStore  *store,
             const char   *scope,
             const char   *key,
             const char   *value,
             GError      **error)
{
  g_autofree char *kept = NULL;

  return check_setting (scope, key, value, &kept, error) &&
         parley_store_set_setting (store, scope, key, kept, error);
}

/* Makes a new random secret for a setting, keeps it and prints it once, so
 * it can be handed to whoever verifies the signatures. */
static gboolean
make_secret (ParleyStore  *store,
             const char   *scope,
             const char   *key,
             GError      **error)
{
  g_autofree char *secret = random_secret ();

  if (!set_setting (store, scope, key, secret, error))
    return FALSE;
  g_print ("%s\n", secret);
  return TRUE;
}

static void
print_list (GPtrArray *items)
{
  for (guint i = 0; i < items->len; i++)
    print_json (g_ptr_array_index (items, i));
}

/* ---- privacy and backups ------------------------------------------------ */

static gboolean
parse_customer_id (const char  *text,
                   gint64      *id,
                   GError     **error)
{
  if (g_ascii_string_to_signed (text, 10, 1, G_MAXINT64, id, NULL))
    return TRUE;
  g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "“%s” is not a customer id", text);
  return FALSE;
}

/* Runs one privacy step (which writes to the audit log) in a transaction
 * of its own. */
typedef gboolean (*PrivacyStep) (ParleyStore *store, gint64 customer_id, gint64 agent_id,
                                 const char *via, gint64 now, GError **error);

static gboolean
audited (ParleyStore  *store,
         PrivacyStep   step,
         gint64        customer_id,
         GError      **error)
{
  if (!parley_store_begin (store, error))
    return FALSE;
  if (step (store, customer_id, 0, "parleyctl", g_get_real_time (), error))
    return parley_store_commit (store, error);
  parley_store_rollback (store);
  return FALSE;
}

/* The archive is written beside FILE, readable by its owner only, and
 * takes FILE's name once complete. */
static gboolean
export_customer (ParleyStore  *store,
                 const char   *id_text,
                 const char   *path,
                 GError      **error)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GFileOutputStream) out = NULL;
  gint64 id;

  if (!parse_customer_id (id_text, &id, error) ||
      !(out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                              NULL, error)))
    return FALSE;
  if (!parley_privacy_export (store, id, G_OUTPUT_STREAM (out), g_get_real_time (), error))
    {
      g_autoptr(GCancellable) abandon = g_cancellable_new ();

      /* A cancelled close leaves FILE as it was. */
      g_cancellable_cancel (abandon);
      g_output_stream_close (G_OUTPUT_STREAM (out), abandon, NULL);
      return FALSE;
    }
  return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error) &&
         audited (store, parley_privacy_audit_export, id, error);
}

static gboolean
erase_customer (ParleyStore  *store,
                const char   *id_text,
                GError      **error)
{
  g_autoptr(GError) scrub_error = NULL;
  gint64 id;

  if (!parse_customer_id (id_text, &id, error) || !audited (store, parley_privacy_erase, id, error))
    return FALSE;
  if (!parley_store_scrub (store, &scrub_error))
    g_printerr ("parleyctl: %s; the old data leaves the files at the hub's next checkpoint\n",
                scrub_error->message);
  g_print ("Customer %" G_GINT64_FORMAT " erased\n", id);
  return TRUE;
}

/* A backup directory holds one file, the database: settings, agents and
 * every attachment are inside it. */
static gboolean
backup (ParleyStore  *store,
        const char   *dir,
        GError      **error)
{
  g_autofree char *target = parley_data_dir_database (dir);

  /* A new directory is private; an existing one (it may be shared, like
   * a mount point) keeps its mode: the copy itself is 0600. */
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_STORAGE, "Cannot create %s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }
  if (!parley_store_backup (store, target, error))
    return FALSE;
  g_print ("Backed up to %s\n", target);
  return TRUE;
}

/* Restores into the --data-dir, which no hub may be running on; the data
 * of a stopped hub is replaced only with --force. */
static int
restore (const char *backup_dir,
         const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ParleySqliteStore) store = NULL;
  g_autofree char *source = parley_data_dir_database (backup_dir);
  g_autofree char *target = parley_data_dir_database (data_dir);
  GStatBuf existing;
  int lock = -1;

  if (!g_file_test (source, G_FILE_TEST_IS_REGULAR))
    g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "%s holds no backup (no %s)", backup_dir,
                 PARLEY_DATA_DIR_DATABASE);
  else if (parley_data_dir_prepare (data_dir, &error) &&
           (lock = parley_data_dir_lock (data_dir, &error)) >= 0 &&
           g_stat (target, &existing) == 0 && existing.st_size > 0 && !opt_force)
    g_set_error (&error, PARLEY_ERROR, PARLEY_ERROR_CONFLICT,
                 "%s holds a hub's data already; give --force to replace it", data_dir);
  else if (lock >= 0 && (store = parley_sqlite_store_new (target, &error)) != NULL &&
           parley_store_restore (PARLEY_STORE (store), source, &error))
    g_print ("Restored %s into %s\n", source, data_dir);
  g_clear_object (&store);
  /* Only now may a hub start on it. */
  if (lock >= 0)
    close (lock);
  if (error == NULL)
    return 0;
  g_printerr ("parleyctl: %s\n", error->message);
  return 1;
}

static gboolean
print_audit (ParleyStore  *store,
             char        **args,
             GError      **error)
{
  g_autoptr(GPtrArray) audit = NULL;
  gint64 id = 0;

  if ((args[0] != NULL && !parse_customer_id (args[0], &id, error)) ||
      !(audit = parley_store_list_audit (store, id, error)))
    return FALSE;
  print_list (audit);
  return TRUE;
}

static gboolean
run_command (ParleyStore  *store,
             char        **args,
             GError      **error)
{
  const char *command = args[0];
  guint n = g_strv_length (args);
  g_autoptr(JsonObject) skills = NULL;
  g_autoptr(JsonObject) capacity = NULL;
  g_autoptr(GPtrArray) list = NULL;

  if (g_str_equal (command, "agent-add") && n == 2)
    return (skills = parse_levels (opt_skills, error)) &&
           (capacity = parse_levels (opt_capacity, error)) &&
           add_agent (store, args[1], opt_name, opt_role ? opt_role : "agent",
                      opt_password ? opt_password : g_getenv ("PARLEY_PASSWORD"), skills, capacity, error);
  if (g_str_equal (command, "agent-set") && n == 2)
    return set_agent (store, args[1], error);
  if (g_str_equal (command, "agent-list") && n == 1)
    {
      if (!(list = parley_store_list_agents (store, error)))
        return FALSE;
      print_list (list);
      return TRUE;
    }
  if (g_str_equal (command, "queue-add") && n == 2)
    return (skills = parse_levels (opt_skills, error)) &&
           (capacity = parse_levels (opt_service_level, error)) &&
           parley_store_create_queue (store, args[1], opt_priority, skills,
                                      opt_relax_after >= 0 ? opt_relax_after : 30, capacity, NULL, error) > 0;
  if (g_str_equal (command, "queue-set") && n == 3)
    return configure_queue (store, args[1], args[2], error);
  if (g_str_equal (command, "queue-list") && n == 1)
    {
      if (!(list = parley_store_list_queues (store, error)))
        return FALSE;
      print_list (list);
      return TRUE;
    }
  if (g_str_equal (command, "set") && n == 4)
    return set_setting (store, args[1], args[2], args[3], error);
  if (g_str_equal (command, "secret") && n == 3)
    return make_secret (store, args[1], args[2], error);
  if (g_str_equal (command, "get") && n == 3)
    {
      g_autofree char *value = parley_store_get_setting (store, args[1], args[2]);

      if (value == NULL)
        {
          g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND, "%s %s is not set", args[1], args[2]);
          return FALSE;
        }
      g_print ("%s\n", value);
      return TRUE;
    }
  if (g_str_equal (command, "demo") && n == 1)
    return load_demo (store, error);
  if (g_str_equal (command, "export") && n == 3)
    return export_customer (store, args[1], args[2], error);
  if (g_str_equal (command, "erase") && n == 2)
    return erase_customer (store, args[1], error);
  if (g_str_equal (command, "audit") && n <= 2)
    return print_audit (store, args + 1, error);
  if (g_str_equal (command, "backup") && n == 2)
    return backup (store, args[1], error);

  g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Unknown command or wrong arguments: %s", command);
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ParleyConfig) config = NULL;
  g_autoptr(ParleySqliteStore) store = NULL;
  g_autofree char *db_path = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGS…]"));
  g_option_context_set_summary (context, _("Administer a Parley hub's data directory."));
  g_option_context_set_description (context, _(
    "Commands:\n"
    "  agent-add LOGIN [--name --password --role --skill S=L… --capacity CH=N…]\n"
    "  agent-set LOGIN [--name --role --skill S=L… --capacity CH=N…]\n"
    "                            change the skills and capacities given, on any channel\n"
    "  agent-list\n"
    "  queue-add NAME [--priority N --skill S=L… --relax-after S --service-level CH=S…]\n"
    "  queue-list\n"
    "  queue-set NAME SETTINGS   e.g. '{\"survey\":{\"enabled\":true,\"delay\":60}}'\n"
    "  set CHANNEL KEY VALUE     e.g. set api key SECRET, set api callback-url URL\n"
    "  get CHANNEL KEY\n"
    "  secret CHANNEL KEY        a new random secret, kept and printed, e.g. secret api signing-secret\n"
    "  demo                      agents, queues and customers with history\n"
    "  export CUSTOMER-ID FILE   everything about a customer, as one tar archive\n"
    "  erase CUSTOMER-ID         erase a customer's personal data (audited)\n"
    "  audit [CUSTOMER-ID]       the audit log, as JSON lines\n"
    "  backup DIR                a consistent copy of the data, also of a running hub\n"
    "  restore DIR               into --data-dir, which no hub may be running on\n"
    "Restart parleyd to pick up changes.\n"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2)
    {
      g_printerr ("parleyctl: %s\n", error ? error->message : _("no command given (see --help)"));
      return 2;
    }

  config = parley_config_new ();
  if (opt_config != NULL && !parley_config_load (config, opt_config, &error))
    {
      g_printerr ("parleyctl: %s: %s\n", opt_config, error->message);
      return 2;
    }
  if (opt_data_dir != NULL)
    {
      g_free (config->data_dir);
      config->data_dir = g_strdup (opt_data_dir);
    }
  if (opt_strength == NULL)
    opt_strength = g_strdup (config->password_strength);
  /* A restore must not open the data directory before it holds it. */
  if (g_str_equal (argv[1], "restore") && argc == 3)
    return restore (argv[2], config->data_dir);

  if (!parley_auth_init (&error) || !parley_data_dir_prepare (config->data_dir, &error))
    {
      g_printerr ("parleyctl: %s\n", error ? error->message : config->data_dir);
      return 1;
    }
  db_path = parley_data_dir_database (config->data_dir);
  if (!(store = parley_sqlite_store_new (db_path, &error)) ||
      !run_command (PARLEY_STORE (store), argv + 1, &error))
    {
      g_printerr ("parleyctl: %s\n", error->message);
      return 1;
    }
  return 0;
}
