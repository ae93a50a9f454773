/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "parley-error.h"
#include "parley-identity.h"

typedef struct
{
  const char *kind;
  const char *value;
  const char *country;
  const char *expected;   /* NULL: must be refused */
} Case;

static const Case cases[] = {
  { "email", "Pat@Example.COM", NULL, "pat@example.com" },
  { "email", "  <pat@example.com>  ", NULL, "pat@example.com" },
  { "email", "mailto:Pat@Example.com", NULL, "pat@example.com" },
  { "email", "root@localhost", NULL, "root@localhost" },
  { "email", "e\xcc\x81mile@example.fr", NULL, "\xc3\xa9mile@example.fr" },   /* NFC */
  { "email", "pat.example.com", NULL, NULL },
  { "email", "@example.com", NULL, NULL },
  { "email", "pat@example", NULL, NULL },
  { "phone", "+44 20 7946 0018", NULL, "+442079460018" },
  { "phone", "tel:+1-415-555-0100", NULL, "+14155550100" },
  { "phone", "0044 20 7946 0018", NULL, "+442079460018" },
  { "phone", "020 7946 0018", "+44", "+442079460018" },
  { "phone", "(415) 555-0100", "+1", "+14155550100" },
  { "phone", "(415) 555-0100", NULL, NULL },       /* national without a country */
  { "phone", "+1 555", NULL, NULL },               /* too short */
  { "phone", "+1234567890123456", NULL, NULL },    /* too long */
  { "phone", "+44 20 CALL NOW", NULL, NULL },
  { "sip", "sip:Alice@Example.COM;transport=tcp", NULL, "sip:Alice@example.com" },
  { "chat", "visitor-42_a.b", NULL, "visitor-42_a.b" },
  { "chat", "visitor 42", NULL, NULL },
  { "chat", "<script>", NULL, NULL },
  { "social", "Mastodon:@Yuki@Social.Example", NULL, "mastodon:yuki@social.example" },
  { "social", "@yuki", NULL, NULL },
  { "api", "  crm-1234  ", NULL, "crm-1234" },
  { "api", "bad\x01control", NULL, NULL },
  { "email", "pat\xff@example.com", NULL, NULL },  /* invalid UTF-8 */
  { "api", "", NULL, NULL },
};

static void
test_normalize (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = parley_identity_normalize (cases[i].kind, cases[i].value, cases[i].country, &error);

      g_test_message ("%s %s → %s", cases[i].kind, cases[i].value, normalized ? normalized : error->message);
      if (cases[i].expected == NULL)
        {
          g_assert_null (normalized);
          g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpstr (normalized, ==, cases[i].expected);
        }
    }
}

static void
test_too_long (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) value = g_string_new (NULL);
  g_autofree char *normalized = NULL;

  for (guint i = 0; i < PARLEY_IDENTITY_MAX_LENGTH; i++)
    g_string_append_c (value, 'a');
  g_string_append (value, "@example.com");
  normalized = parley_identity_normalize ("email", value->str, NULL, &error);
  g_assert_null (normalized);
  g_assert_nonnull (error);
}

static void
test_kinds (void)
{
  g_assert_true (parley_identity_kind_is_valid ("email"));
  g_assert_true (parley_identity_kind_is_valid ("whatsapp"));
  g_assert_false (parley_identity_kind_is_valid (""));
  g_assert_false (parley_identity_kind_is_valid ("E Mail"));
  g_assert_false (parley_identity_kind_is_valid (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/libparley/identity/normalize", test_normalize);
  g_test_add_func ("/libparley/identity/too-long", test_too_long);
  g_test_add_func ("/libparley/identity/kinds", test_kinds);
  return g_test_run ();
}
