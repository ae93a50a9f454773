/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub-surveys"

#include "config.h"

#include "parley-hub-private.h"
#include "parley-survey-private.h"

/* Asking customers how we did. When an agent resolves a conversation in a
 * queue with surveys on, a survey row is committed with the resolve, due
 * after the queue's delay, unless the customer was asked within the quiet
 * period. When it is due (and the customer has not come back meanwhile)
 * the hub sends the NPS question on the channel the conversation ended on,
 * as an ordinary outbound message carrying {"survey": {...}} so a channel
 * can ask its own way (the chat widget shows buttons); every channel can
 * fall back on the text, a numbered question.
 *
 * The customer's next message on that channel within the reply window is
 * the answer: a clear score is recorded and the next question (CSAT, then
 * a comment) follows; an unclear one gets one polite retry; a second
 * unclear one ends the survey and the message is routed as a new contact.
 * Each answer is a "survey" event in the conversation's timeline, tied to
 * the agent who resolved it.
 *
 * The wording comes in the queue's language from the table below rather
 * than gettext: the language is a queue setting, not the hub's locale, and
 * a server may not have the customer's locale installed. */

#define DUE_BATCH 50
#define MAX_REPLY_WINDOW (7 * G_TIME_SPAN_DAY)

typedef struct
{
  const char *language;
  const char *nps;
  const char *nps_low;
  const char *nps_high;
  const char *csat;
  const char *csat_low;
  const char *csat_high;
  const char *comment;
  const char *retry;       /* {min} and {max} stand for the scale */
  const char *thanks;
} Wording;

static const Wording wordings[] = {
  {
    "en",
    "How likely are you to recommend us to a friend or colleague? "
    "Please reply with a number from 0 (not at all likely) to 10 (extremely likely).",
    "Not at all likely", "Extremely likely",
    "How satisfied are you with the help you got? "
    "Please reply with a number from 1 (very dissatisfied) to 5 (very satisfied).",
    "Very dissatisfied", "Very satisfied",
    "Thank you! Is there anything you would like to tell us? Just reply to this message.",
    "Sorry, we did not understand that. Please reply with just a number from {min} to {max}.",
    "Thank you for your feedback!",
  },
  {
    "de",
    "Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen? "
    "Bitte antworten Sie mit einer Zahl von 0 (sehr unwahrscheinlich) bis 10 (sehr wahrscheinlich).",
    "Sehr unwahrscheinlich", "Sehr wahrscheinlich",
    "Wie zufrieden sind Sie mit der Hilfe, die Sie bekommen haben? "
    "Bitte antworten Sie mit einer Zahl von 1 (sehr unzufrieden) bis 5 (sehr zufrieden).",
    "Sehr unzufrieden", "Sehr zufrieden",
    "Vielen Dank! Möchten Sie uns noch etwas mitteilen? Antworten Sie einfach auf diese Nachricht.",
    "Entschuldigung, das haben wir nicht verstanden. Bitte antworten Sie nur mit einer Zahl von {min} bis {max}.",
    "Vielen Dank für Ihre Rückmeldung!",
  },
};

static JsonObject *
survey_settings (ParleyHub *self,
                 gint64     queue_id)
{
  JsonObject *queue = _parley_hub_queue_json (self, queue_id);
  JsonObject *settings = queue ? json_object_get_object_member (queue, "settings") : NULL;

  return settings && json_object_has_member (settings, "survey") ? json_object_get_object_member (settings, "survey") : NULL;
}

/* The language the queue's survey speaks and reads, as configured. */
static const char *
survey_language (JsonObject *settings)
{
  return settings ? json_object_get_string_member_with_default (settings, "language", "en") : "en";
}

static const Wording *
wording_for (JsonObject *settings)
{
  const char *language = survey_language (settings);

  for (guint i = 0; i < G_N_ELEMENTS (wordings); i++)
    if (g_str_equal (wordings[i].language, language))
      return &wordings[i];
  return &wordings[0];
}

/* The queue's own wording for @question, else the built-in one. */
static const char *
question_text (JsonObject *settings,
               const char *question,
               const char *built_in)
{
  JsonObject *own = settings && json_object_has_member (settings, "questions")
                    ? json_object_get_object_member (settings, "questions") : NULL;

  return own ? json_object_get_string_member_with_default (own, question, built_in) : built_in;
}

static gboolean
setting_on (JsonObject *settings,
            const char *name)
{
  return settings != NULL && json_object_get_boolean_member_with_default (settings, name, FALSE);
}

static gint64
setting_seconds (JsonObject *settings,
                 const char *name)
{
  return (settings ? json_object_get_int_member_with_default (settings, name, 0) : 0) * G_USEC_PER_SEC;
}

static void
scale_of (const char *step,
          int        *min,
          int        *max)
{
  *min = g_str_equal (step, "nps") ? 0 : 1;
  *max = g_str_equal (step, "nps") ? 10 : 5;
}

/* ---- scheduling ------------------------------------------------------------ */

/* In the resolve's transaction: commits the survey with it, or nothing. */
gboolean
_parley_hub_schedule_survey (ParleyHub   *self,
                             JsonObject  *conversation,
                             gint64       now,
                             GError     **error)
{
  JsonObject *settings = survey_settings (self, json_object_get_int_member (conversation, "queue_id"));
  gint64 customer_id = json_object_get_int_member (conversation, "customer_id");
  gint64 agent_id = json_object_get_int_member (conversation, "agent_id");
  gint64 asked;

  /* Nobody answered it, so there is no service to rate. */
  if (!setting_on (settings, "enabled") || agent_id <= 0)
    return TRUE;
  asked = parley_store_count_surveys_since (self->store, customer_id, now - setting_seconds (settings, "quiet_period"), error);
  if (asked < 0)
    return FALSE;
  if (asked > 0)
    return TRUE;
  if (parley_store_create_survey (self->store, json_object_get_int_member (conversation, "id"), customer_id, agent_id,
                                  json_object_get_int_member (conversation, "queue_id"),
                                  json_object_get_string_member (conversation, "channel"),
                                  now + setting_seconds (settings, "delay"), now, error) <= 0)
    return FALSE;
  /* The timer runs after this transaction; if it is undone, it finds
   * nothing due and waits for the next one. */
  _parley_hub_arm_surveys (self);
  return TRUE;
}

/* ---- asking ---------------------------------------------------------------- */

/* Sends one question (or its retry) and records that the survey waits for it. */
static gboolean
ask (ParleyHub   *self,
     JsonObject  *survey,
     const char  *step,
     gboolean     retry,
     gint64       answer_id,
     gint64       now,
     GError     **error)
{
  JsonObject *settings = survey_settings (self, json_object_get_int_member (survey, "queue_id"));
  const Wording *wording = wording_for (settings);
  g_autoptr(JsonObject) conversation = NULL;
  g_autoptr(JsonObject) event = NULL;
  g_autoptr(JsonObject) details = json_object_new ();
  g_autofree char *text = NULL;
  const char *low = NULL, *high = NULL;
  int min = 0, max = 0;

  if (g_str_equal (step, "comment"))
    text = g_strdup (question_text (settings, "comment", wording->comment));
  else
    {
      g_autofree char *min_text = NULL, *max_text = NULL;
      g_auto(GStrv) pieces = NULL;

      scale_of (step, &min, &max);
      low = g_str_equal (step, "nps") ? wording->nps_low : wording->csat_low;
      high = g_str_equal (step, "nps") ? wording->nps_high : wording->csat_high;
      min_text = g_strdup_printf ("%d", min);
      max_text = g_strdup_printf ("%d", max);
      if (retry)
        {
          /* "{min}" and "{max}" become the scale's ends. */
          g_autofree char *with_min = NULL;

          pieces = g_strsplit (question_text (settings, "retry", wording->retry), "{min}", -1);
          with_min = g_strjoinv (min_text, pieces);
          g_strfreev (g_steal_pointer (&pieces));
          pieces = g_strsplit (with_min, "{max}", -1);
          text = g_strjoinv (max_text, pieces);
        }
      else
        text = g_strdup (question_text (settings, step, g_str_equal (step, "nps") ? wording->nps : wording->csat));
    }

  json_object_set_int_member (details, "id", json_object_get_int_member (survey, "id"));
  json_object_set_string_member (details, "question", step);
  json_object_set_string_member (details, "language", wording->language);
  if (low != NULL)
    {
      json_object_set_int_member (details, "min", min);
      json_object_set_int_member (details, "max", max);
      json_object_set_string_member (details, "low", low);
      json_object_set_string_member (details, "high", high);
    }
  if (!(conversation = parley_store_get_conversation (self->store, json_object_get_int_member (survey, "conversation_id"), error)) ||
      !(event = _parley_hub_queue_message (self, conversation, json_object_get_string_member (survey, "channel"),
                                           text, NULL, details, NULL, now, error)))
    return FALSE;
  return parley_store_update_survey (self->store, json_object_get_int_member (survey, "id"), "asking", step, retry,
                                     answer_id, now, error);
}

static gboolean
end_survey (ParleyHub   *self,
            JsonObject  *survey,
            const char  *state,
            GError     **error)
{
  return parley_store_update_survey (self->store, json_object_get_int_member (survey, "id"), state,
                                     json_object_get_string_member (survey, "step"),
                                     json_object_get_int_member (survey, "retried") != 0,
                                     json_object_get_int_member (survey, "answer_id"),
                                     json_object_get_int_member (survey, "asked_at"), error);
}

/* A due survey: asked now, or skipped when the customer is already talking
 * to us again or cannot be reached on that channel any more. */
static gboolean
start_survey (ParleyHub   *self,
              JsonObject  *survey,
              gint64       now,
              GError     **error)
{
  g_autoptr(GError) unreachable = NULL;

  if (parley_store_open_conversation_for (self->store, json_object_get_int_member (survey, "customer_id")) > 0)
    return end_survey (self, survey, "skipped", error);
  if (!parley_store_savepoint (self->store, error))
    return FALSE;
  if (ask (self, survey, "nps", FALSE, 0, now, &unreachable))
    return parley_store_release_savepoint (self->store, error);
  parley_store_rollback_savepoint (self->store);
  if (!g_error_matches (unreachable, PARLEY_ERROR, PARLEY_ERROR_INVALID))
    {
      g_propagate_error (error, g_steal_pointer (&unreachable));
      return FALSE;
    }
  g_debug ("Survey %" G_GINT64_FORMAT " skipped: %s", json_object_get_int_member (survey, "id"), unreachable->message);
  return end_survey (self, survey, "skipped", error);
}

static gboolean
ask_due (ParleyHub  *self,
         GError    **error)
{
  gint64 now = g_get_real_time ();
  g_autoptr(GPtrArray) due = NULL;

  if (!_parley_hub_begin (self, error))
    return FALSE;
  if (!(due = parley_store_due_surveys (self->store, now, DUE_BATCH, error)))
    return _parley_hub_fail_transaction (self, error);
  for (guint i = 0; i < due->len; i++)
    if (!start_survey (self, g_ptr_array_index (due, i), now, error))
      return _parley_hub_fail_transaction (self, error);
  return _parley_hub_commit (self, NULL, error);
}

static gboolean
surveys_due_cb (gpointer user_data)
{
  ParleyHub *self = user_data;
  g_autoptr(GError) error = NULL;

  self->survey_source = 0;
  if (!ask_due (self, &error))
    g_warning ("Surveys could not be sent: %s", error->message);
  _parley_hub_arm_surveys (self);
  return G_SOURCE_REMOVE;
}

/* Wakes up when the next scheduled survey is due (checking at least hourly,
 * and again after a minute when sending failed). */
void
_parley_hub_arm_surveys (ParleyHub *self)
{
  gint64 due = parley_store_next_survey_due (self->store);
  gint64 wait_ms;

  g_clear_handle_id (&self->survey_source, g_source_remove);
  if (due <= 0 || g_cancellable_is_cancelled (self->cancellable))
    return;
  wait_ms = CLAMP ((due - g_get_real_time ()) / 1000, 0, 3600 * 1000);
  self->survey_source = g_timeout_add ((guint) wait_ms, surveys_due_cb, self);
}

/* ---- answers --------------------------------------------------------------- */

/* The timeline's record of an answer: NPS and/or CSAT (-1: not this time)
 * and the comment as its text. @recorded_by: the supervisor who typed in
 * an answer given by phone, kept with it for good; NULL when the customer
 * answered through a channel. */
JsonObject *
_parley_hub_append_survey_event (ParleyHub      *self,
                                 JsonObject     *conversation,
                                 gint64          agent_id,
                                 gint64          survey_id,
                                 ParleyHubAgent *recorded_by,
                                 int             nps,
                                 int          csat,
                                 const char  *comment,
                                 gint64       now,
                                 GError     **error)
{
  g_autoptr(JsonObject) metadata = json_object_new ();
  JsonObject *event;
  gint64 event_id;
  ParleyEventDraft draft = {
    .conversation_id = json_object_get_int_member (conversation, "id"),
    .customer_id = json_object_get_int_member (conversation, "customer_id"),
    .channel = json_object_get_string_member (conversation, "channel"),
    .kind = "survey",
    .direction = "in",
    .text = comment,
    .metadata = metadata,
    .created = now,
  };

  json_object_set_int_member (metadata, "nps", nps);
  json_object_set_int_member (metadata, "csat", csat);
  json_object_set_int_member (metadata, "agent_id", agent_id);
  if (survey_id > 0)
    json_object_set_int_member (metadata, "survey_id", survey_id);
  if (recorded_by != NULL)
    {
      json_object_set_int_member (metadata, "recorded_by", recorded_by->id);
      json_object_set_string_member (metadata, "recorded_by_name", json_object_get_string_member (recorded_by->record, "name"));
    }
  if ((event_id = parley_store_append_event (self->store, &draft, error)) <= 0 ||
      !(event = parley_store_get_event (self->store, event_id, error)))
    return NULL;
  _parley_hub_notice (self, agent_id, draft.conversation_id, "event", "event", event);
  return event;
}

/* Keeps one answer: the survey's answer row gets it and the timeline an event. */
static gboolean
record_answer (ParleyHub   *self,
               JsonObject  *survey,
               const char  *step,
               int          score,
               const char  *comment,
               gint64       now,
               gint64      *answer_id,
               GError     **error)
{
  g_autoptr(JsonObject) conversation = parley_store_get_conversation (self->store, json_object_get_int_member (survey, "conversation_id"), error);
  g_autoptr(JsonObject) event = NULL;
  gint64 agent_id = json_object_get_int_member (survey, "agent_id");
  int nps = g_str_equal (step, "nps") ? score : -1;
  int csat = g_str_equal (step, "csat") ? score : -1;

  if (conversation == NULL)
    return FALSE;
  *answer_id = json_object_get_int_member (survey, "answer_id");
  if (*answer_id <= 0)
    *answer_id = parley_store_add_survey_answer (self->store, json_object_get_int_member (conversation, "id"), agent_id,
                                                 nps, csat, comment, now, error);
  else if (!parley_store_set_survey_answer (self->store, *answer_id, step, score, comment, error))
    return FALSE;
  if (*answer_id <= 0)
    return FALSE;
  event = _parley_hub_append_survey_event (self, conversation, agent_id, json_object_get_int_member (survey, "id"), NULL,
                                           nps, csat, comment, now, error);
  return event != NULL;
}

/**
 * _parley_hub_survey_awaiting:
 *
 * In the inbound's transaction, before it is routed: the survey this
 * message from the customer answers, or %NULL (and no error) when it is an
 * ordinary message. A second unclear reply ends the survey here, so the
 * message goes on to be routed as a new contact.
 */
JsonObject *
_parley_hub_survey_awaiting (ParleyHub   *self,
                            gint64       customer_id,
                            const char  *channel,
                            const char  *text,
                            gint64       now,
                            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) survey = parley_store_awaiting_survey (self->store, customer_id, channel,
                                                               now - MAX_REPLY_WINDOW, &local_error);
  JsonObject *settings;
  const char *step;
  int min, max, score;

  if (survey == NULL)
    {
      if (!g_error_matches (local_error, PARLEY_ERROR, PARLEY_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  settings = survey_settings (self, json_object_get_int_member (survey, "queue_id"));
  if (json_object_get_int_member (survey, "asked_at") < now - setting_seconds (settings, "reply_window"))
    return NULL;
  step = json_object_get_string_member (survey, "step");
  if (g_str_equal (step, "comment"))
    return g_steal_pointer (&survey);
  scale_of (step, &min, &max);
  if ((parley_survey_parse_score (text, survey_language (settings), max, &score) && score >= min) || !json_object_get_int_member (survey, "retried"))
    return g_steal_pointer (&survey);
  end_survey (self, survey, "done", error);
  return NULL;
}

/**
 * _parley_hub_survey_take_reply:
 *
 * After the customer's reply joined the survey's conversation: records a
 * clear answer and asks the next question, or asks once more.
 */
gboolean
_parley_hub_survey_take_reply (ParleyHub   *self,
                               JsonObject  *survey,
                               const char  *text,
                               gint64       now,
                               GError     **error)
{
  JsonObject *settings = survey_settings (self, json_object_get_int_member (survey, "queue_id"));
  const char *step = json_object_get_string_member (survey, "step");
  const char *next = NULL;
  gint64 answer_id = 0;
  int min, max, score;

  if (g_str_equal (step, "comment"))
    {
      if (!record_answer (self, survey, step, -1, text, now, &answer_id, error))
        return FALSE;
    }
  else
    {
      scale_of (step, &min, &max);
      if (!parley_survey_parse_score (text, survey_language (settings), max, &score) || score < min)
        return ask (self, survey, step, TRUE, json_object_get_int_member (survey, "answer_id"), now, error);
      if (!record_answer (self, survey, step, score, NULL, now, &answer_id, error))
        return FALSE;
      if (g_str_equal (step, "nps") && setting_on (settings, "csat"))
        next = "csat";
      else if (setting_on (settings, "comment"))
        next = "comment";
    }
  if (next != NULL)
    return ask (self, survey, next, FALSE, answer_id, now, error);

  json_object_set_int_member (survey, "answer_id", answer_id);
  if (!end_survey (self, survey, "done", error))
    return FALSE;
  {
    g_autoptr(JsonObject) conversation = parley_store_get_conversation (self->store, json_object_get_int_member (survey, "conversation_id"), error);
    g_autoptr(JsonObject) thanks = NULL;

    return conversation != NULL &&
           (thanks = _parley_hub_queue_message (self, conversation, json_object_get_string_member (survey, "channel"),
                                                question_text (settings, "thanks", wording_for (settings)->thanks),
                                                NULL, NULL, NULL, now, error)) != NULL;
  }
}
