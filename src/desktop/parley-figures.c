/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-figures"

#include "config.h"

#include <glib/gi18n.h>
#include <parley.h>

#include "parley-figures.h"

/* The hub's metrics as people read them: every figure of a snapshot (a
 * queue and channel, an agent or the total) by the name the hub gives it,
 * formatted for the wallboard, the agents board and the satisfaction view
 * alike, so the same figure reads the same everywhere. */

typedef enum {
  FIGURE_COUNT,
  FIGURE_DURATION,
  FIGURE_PERCENT,
  FIGURE_RATIO,
  FIGURE_NPS,
  FIGURE_CSAT,
} FigureKind;

static const struct {
  const char *name;
  FigureKind  kind;
  const char *title;
} figures[] = {
  { "waiting", FIGURE_COUNT, N_("Waiting") },
  { "longest_wait_ms", FIGURE_DURATION, N_("Longest wait") },
  { "offered", FIGURE_COUNT, N_("Offered") },
  { "answered", FIGURE_COUNT, N_("Answered") },
  { "abandoned", FIGURE_COUNT, N_("Abandoned") },
  { "short_abandoned", FIGURE_COUNT, N_("Short abandons") },
  { "service_level", FIGURE_PERCENT, N_("Service level") },
  { "asa_ms", FIGURE_DURATION, N_("ASA") },
  { "aht_ms", FIGURE_DURATION, N_("AHT") },
  { "first_response_ms", FIGURE_DURATION, N_("First response") },
  { "transfers", FIGURE_COUNT, N_("Transfers") },
  { "handled", FIGURE_COUNT, N_("Handled") },
  { "occupancy", FIGURE_RATIO, N_("Occupancy") },
  { "nps", FIGURE_NPS, N_("NPS") },
  { "csat", FIGURE_CSAT, N_("CSAT") },
};

static int
figure_index (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    if (g_str_equal (figures[i].name, name))
      return (int) i;
  return -1;
}

static gboolean
number_member (JsonObject *object,
               const char *member,
               double     *value)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || json_node_get_node_type (node) != JSON_NODE_VALUE)
    return FALSE;
  *value = json_node_get_double (node);
  return TRUE;
}

/* The figure as a number, FALSE when the hub has none yet (null: nothing
 * answered, nobody rated). NPS gives its score and CSAT its share. */
gboolean
parley_figures_get_number (JsonObject *figures_object,
                           const char *name,
                           double     *value)
{
  if (g_str_equal (name, "nps") || g_str_equal (name, "csat"))
    {
      JsonObject *rating = figures_object ? parley_json_get_object (figures_object, name, FALSE, NULL) : NULL;

      return number_member (rating, g_str_equal (name, "nps") ? "score" : "share", value);
    }
  return number_member (figures_object, name, value);
}

/* Written out as a duration, "1 min 49 s" or "2 h 5 min": "1:49" reads
 * like a time of day. Past an hour the seconds no longer matter. */
char *
parley_figures_format_duration (gint64 ms)
{
  gint64 seconds = MAX (0, (ms + 500) / 1000);
  int hours = (int) (seconds / 3600), minutes = (int) (seconds / 60 % 60), rest = (int) (seconds % 60);

  if (seconds < 60)
    /* Translators: a duration under a minute, e.g. "42 s" */
    return g_strdup_printf (_("%d s"), rest);
  if (hours == 0 && rest == 0)
    /* Translators: a duration in whole minutes, e.g. "12 min" */
    return g_strdup_printf (_("%d min"), minutes);
  if (hours == 0)
    /* Translators: a duration under an hour, e.g. "1 min 49 s" */
    return g_strdup_printf (_("%d min %d s"), minutes, rest);
  if (minutes == 0)
    /* Translators: a duration in whole hours, e.g. "2 h" */
    return g_strdup_printf (_("%d h"), hours);
  /* Translators: a duration over an hour, e.g. "2 h 5 min" */
  return g_strdup_printf (_("%d h %d min"), hours, minutes);
}

/* The figure for people, or an en dash while it is unknown. */
char *
parley_figures_format (JsonObject *figures_object,
                       const char *name)
{
  int index = figure_index (name);
  double value;

  if (index < 0 || !parley_figures_get_number (figures_object, name, &value))
    return g_strdup ("–");
  switch (figures[index].kind)
    {
    case FIGURE_COUNT:
      return g_strdup_printf ("%d", (int) value);
    case FIGURE_DURATION:
      return parley_figures_format_duration ((gint64) value);
    case FIGURE_PERCENT:
    case FIGURE_CSAT:
      /* Translators: a percentage, e.g. "87 %" */
      return g_strdup_printf (_("%.0f %%"), value);
    case FIGURE_RATIO:
      return g_strdup_printf (_("%.0f %%"), value * 100);
    case FIGURE_NPS:
      /* A signed score: −100 to +100, with a real minus sign. */
      return value > 0 ? g_strdup_printf ("+%d", (int) value)
           : value < 0 ? g_strdup_printf ("−%d", (int) -value)
           : g_strdup ("0");
    default:
      g_assert_not_reached ();
    }
}

const char *
parley_figures_title (const char *name)
{
  int index = figure_index (name);

  return index < 0 ? name : _(figures[index].title);
}

/* How the hub computes the figure, from the snapshot's "formulas". */
const char *
parley_figures_formula (JsonObject *formulas,
                        const char *name)
{
  if (g_str_equal (name, "handled"))
    return _("conversations the agent resolved in the interval");
  if (formulas && json_object_has_member (formulas, name))
    return json_object_get_string_member (formulas, name);
  return NULL;
}

/**
 * parley_figures_interval_title:
 * @snapshot: (nullable): figures as the hub pushes them, with "from"
 *
 * Returns: (transfer full): what the figures cover, "Today" when their
 *   interval began at midnight (the hub's default), else "Since 14:00".
 */
char *
parley_figures_interval_title (JsonObject *snapshot)
{
  gint64 from = snapshot ? json_object_get_int_member_with_default (snapshot, "from", 0) : 0;
  g_autoptr(GDateTime) start = from > 0 ? g_date_time_new_from_unix_local (from / G_USEC_PER_SEC) : NULL;

  if (start == NULL || (g_date_time_get_hour (start) == 0 && g_date_time_get_minute (start) == 0))
    return g_strdup (_("Today"));
  /* Translators: the figures' interval began at this time of day, e.g. "Since 14:00" */
  return g_date_time_format (start, _("Since %H:%M"));
}

/**
 * parley_figures_format_day:
 * @at: a local time
 *
 * Returns: (transfer full): when something happened, as the locale
 *   writes a date ("5 Dec 2026"), or "Today 14:05" for today: never the
 *   ambiguous "12/05/26".
 */
char *
parley_figures_format_day (GDateTime *at)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (g_date_time_get_timezone (at));

  if (g_date_time_get_year (at) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (at) == g_date_time_get_day_of_year (now))
    /* Translators: something that happened today, at this time; see g_date_time_format() */
    return g_date_time_format (at, _("Today %H:%M"));
  /* Translators: a date, e.g. "5 Dec 2026" (German "5. Dez. 2026"); see g_date_time_format() */
  return g_date_time_format (at, _("%-d %b %Y"));
}
