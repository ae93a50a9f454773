/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-ui-labels"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "parley-ui-labels.h"

/* The hub speaks in codes (identity kinds, the away reasons it sets
 * itself, disposition slugs) so that every desktop shows them in its own
 * language: these turn them into words. */

typedef struct
{
  const char *code;
  const char *title;
} Label;

static const char *
label_lookup (const Label *labels,
              gsize        n_labels,
              const char  *code)
{
  for (gsize i = 0; code && i < n_labels; i++)
    if (g_str_equal (code, labels[i].code))
      return _(labels[i].title);
  return NULL;
}

/**
 * parley_ui_identity_kind_title:
 * @kind: an identity kind ("email", "phone", "chat", "social", "sip")
 *
 * The name of an identity kind in the agent's language.
 *
 * Returns: (transfer none): what an identity of @kind is called, translated;
 *   @kind itself for a kind Parley does not know
 */
const char *
parley_ui_identity_kind_title (const char *kind)
{
  static const Label kinds[] = {
    { "email", N_("Email address") },
    { "phone", N_("Phone number") },
    { "chat", N_("Chat visitor") },
    { "social", N_("Social handle") },
    { "sip", N_("SIP address") },
  };
  const char *title = label_lookup (kinds, G_N_ELEMENTS (kinds), kind);

  return title ? title : kind;
}

/**
 * parley_ui_away_reason_title:
 * @reason: (nullable): the reason of an agent's presence
 *
 * The hub sets some reasons itself, as codes ("signed-in", "missed-offer");
 * any other reason is what a person typed and is shown as it is.
 *
 * Returns: (transfer none) (nullable): the reason as people read it
 */
const char *
parley_ui_away_reason_title (const char *reason)
{
  static const Label reasons[] = {
    /* Translators: why an agent is away: they have just signed in */
    { "signed-in", N_("Signed in") },
    /* Translators: why an agent is away: an offer to them expired */
    { "missed-offer", N_("Missed offer") },
  };
  const char *title = label_lookup (reasons, G_N_ELEMENTS (reasons), reason);

  return title ? title : reason;
}

/**
 * parley_ui_disposition_title:
 * @disposition: a disposition slug, as the hub records it ("refund-issued")
 *
 * The hub keeps dispositions as slugs; the desktop names the default ones
 * (the `dispositions` setting's default) in the agent's language, and any
 * other slug by itself, made readable: "damaged_in_transit" reads
 * "Damaged in transit".
 *
 * Returns: (transfer full): the disposition as people read it
 */
char *
parley_ui_disposition_title (const char *disposition)
{
  static const Label dispositions[] = {
    { "resolved", N_("Resolved") },
    { "replacement-sent", N_("Replacement sent") },
    { "refund-issued", N_("Refund issued") },
    { "no-action-needed", N_("No action needed") },
    { "escalated", N_("Escalated") },
  };
  const char *title;
  g_autofree char *spaced = NULL;
  g_autofree char *first = NULL;
  const char *rest;

  g_return_val_if_fail (disposition != NULL, NULL);

  if ((title = label_lookup (dispositions, G_N_ELEMENTS (dispositions), disposition)))
    return g_strdup (title);
  spaced = g_strdelimit (g_strdup (disposition), "-_", ' ');
  if (!g_utf8_validate (spaced, -1, NULL) || *spaced == '\0')
    return g_steal_pointer (&spaced);
  rest = g_utf8_next_char (spaced);
  first = g_utf8_strup (spaced, rest - spaced);
  return g_strconcat (first, rest, NULL);
}
