/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "parley-error.h"
#include "parley-identity.h"

typedef struct
{
  const char *kind;
  const char *value;
  const char *region;     /* default region for national phone numbers */
  const char *expected;   /* NULL: must be refused */
} Case;

typedef struct
{
  const Case *cases;
  gsize       n_cases;
} Table;

#define TABLE(cases) { cases, G_N_ELEMENTS (cases) }

static const Case email_cases[] = {
  { "email", "pat@example.com", NULL, "pat@example.com" },
  { "email", "Pat@Example.COM", NULL, "pat@example.com" },
  { "email", "  pat@example.com\t\n", NULL, "pat@example.com" },
  { "email", "<pat@example.com>", NULL, "pat@example.com" },
  { "email", "Pat Example <Pat@Example.com>", NULL, "pat@example.com" },
  { "email", "\"Example, Pat\" < pat@example.com >", NULL, "pat@example.com" },
  { "email", "mailto:Pat@Example.com", NULL, "pat@example.com" },
  { "email", "MAILTO:pat@example.com", NULL, "pat@example.com" },
  { "email", "mailto:pat@example.com?subject=Hello", NULL, "pat@example.com" },
  { "email", "<mailto:Pat@Example.com>", NULL, "pat@example.com" },
  { "email", "mailto:mailto:pat@example.com", NULL, NULL },   /* found by fuzz-identity */
  { "email", "pat:x@example.com", NULL, NULL },
  { "email", "pat.o'neil+tag@mail.example.co.uk", NULL, "pat.o'neil+tag@mail.example.co.uk" },
  { "email", "root@localhost", NULL, "root@localhost" },
  { "email", "JOS\xc3\x89@EXAMPLE.ES", NULL, "jos\xc3\xa9@example.es" },         /* non-ASCII lower-cased */
  /* IDN: one identity whichever way the domain is spelt, kept in Unicode. */
  { "email", "Anna@B\xc3\xbc" "cher.de", NULL, "anna@b\xc3\xbc" "cher.de" },
  { "email", "anna@xn--bcher-kva.de", NULL, "anna@b\xc3\xbc" "cher.de" },
  { "email", "ANNA@XN--BCHER-KVA.DE", NULL, "anna@b\xc3\xbc" "cher.de" },
  { "email", "Anna@B\xc3\x9c" "CHER.DE", NULL, "anna@b\xc3\xbc" "cher.de" },            /* upper-case Unicode */
  { "email", "anna@BU\xcc\x88" "CHER.de", NULL, "anna@b\xc3\xbc" "cher.de" },           /* decomposed */
  { "email", "anna@\xef\xbc\xa2\xc3\xbc" "cher.de", NULL, "anna@b\xc3\xbc" "cher.de" },   /* full-width B */
  { "email", "<Anna@xn--Bcher-kva.de>", NULL, "anna@b\xc3\xbc" "cher.de" },
  { "email", "info@\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91.gr", NULL,
    "info@\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1.gr" },                         /* ΑΘΗΝΑ.gr */
  { "email", "anna@xn--mller-kva.xn--bcher-kva.de", NULL, "anna@m\xc3\xbcller.b\xc3\xbc" "cher.de" },
  /* IDNA 2008: straße.de is its own domain, not strasse.de. */
  { "email", "J\xc3\xbcrgen@Stra\xc3\x9f" "e.de", NULL, "j\xc3\xbcrgen@stra\xc3\x9f" "e.de" },
  { "email", "juergen@xn--strae-oqa.de", NULL, "juergen@stra\xc3\x9f" "e.de" },
  { "email", "juergen@STRASSE.de", NULL, "juergen@strasse.de" },
  /* Invalid IDNs. */
  { "email", "anna@xn--zz.de", NULL, NULL },                      /* not punycode */
  { "email", "anna@xn--a.de", NULL, NULL },                       /* decodes to nothing */
  { "email", "anna@xn--bcher-kva-.de", NULL, NULL },
  { "email", "anna@xn--.de", NULL, NULL },
  { "email", "anna@-b\xc3\xbc" "cher.de", NULL, NULL },             /* hyphen first */
  { "email", "anna@bucher-.de", NULL, NULL },
  { "email", "anna@b\xc3\xbc" "cher..de", NULL, NULL },             /* empty label */
  { "email", "anna@.de", NULL, NULL },
  { "email", "anna@example.com.", NULL, NULL },
  { "email", "anna@b\xc3\xbc" "cher.", NULL, NULL },                /* found by fuzz-identity */
  { "email", "anna@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.de", NULL, NULL },   /* 64 */
  { "email", "anna@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.de", NULL,
    "anna@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.de" },                  /* 63 */
  { "email", "pat.example.com", NULL, NULL },         /* no @ */
  { "email", "pat@example", NULL, NULL },             /* no dot in the domain */
  { "email", "@example.com", NULL, NULL },            /* empty local part */
  { "email", "pat@", NULL, NULL },                    /* empty domain */
  { "email", "pat@@example.com", NULL, NULL },
  { "email", "pat@one.example@two.example", NULL, NULL },
  { "email", "pat smith@example.com", NULL, NULL },   /* inner space */
  { "email", "pat@example.com, sam@example.com", NULL, NULL },
  { "email", "Pat <pat@example.com", NULL, NULL },    /* unbalanced */
  { "email", "<>", NULL, NULL },
  { "email", "   ", NULL, NULL },
  { "email", "", NULL, NULL },
};

static const Case phone_cases[] = {
  { "phone", "+442079460018", NULL, "+442079460018" },                /* E.164 kept */
  { "phone", "+44 20 7946 0018", NULL, "+442079460018" },
  { "phone", "+44 (20) 7946-0018", "US", "+442079460018" },           /* "+": the region plays no part */
  { "phone", "+44 (0)20 7946 0018", NULL, "+442079460018" },          /* trunk 0 after the country code */
  { "phone", "+1 (415) 555-0100", NULL, "+14155550100" },
  { "phone", "+1/415/555/0100", NULL, "+14155550100" },
  { "phone", "tel:+1-415-555-0100", NULL, "+14155550100" },
  { "phone", "TEL:+14155550100", NULL, "+14155550100" },
  /* Italian numbers keep their 0: national and international are one. */
  { "phone", "06 1234 5678", "IT", "+390612345678" },
  { "phone", "+39 06 1234 5678", "IT", "+390612345678" },
  { "phone", "+39 06 1234 5678", NULL, "+390612345678" },
  { "phone", "06 1234 5678", "it", "+390612345678" },                 /* any case */
  { "phone", "1 415 555 0100", "US", "+14155550100" },                /* trunk 1 */
  { "phone", "(415) 555-0100", "US", "+14155550100" },
  { "phone", "tel:415.555.0100", "US", "+14155550100" },
  { "phone", "020 7946 0018", "GB", "+442079460018" },                /* trunk 0 dropped */
  /* Each region's own international prefix. */
  { "phone", "011 39 06 1234 5678", "US", "+390612345678" },
  { "phone", "0011 39 06 1234 5678", "AU", "+390612345678" },
  { "phone", "00 39 06 1234 5678", "IT", "+390612345678" },
  { "phone", "00 39 06 1234 5678", "DE", "+390612345678" },
  { "phone", "0044 20 7946 0018", "FR", "+442079460018" },
  { "phone", "00 1 415 555 0100", "GB", "+14155550100" },
  { "phone", "\xef\xbc\x90\xef\xbc\x96 1234 5678", "IT", "+390612345678" },   /* full-width digits */
  { "phone", "+44\xc2\xa0" "20\xe2\x80\x91" "7946\xe2\x80\x93" "0018", NULL, "+442079460018" },   /* NBSP, dashes */
  /* No region: only "+" numbers can be read. */
  { "phone", "(415) 555-0100", NULL, NULL },
  { "phone", "(415) 555-0100", "", NULL },
  { "phone", "0044 20 7946 0018", NULL, NULL },
  /* Unknown regions, also with a "+" number. */
  { "phone", "020 7946 0018", "XX", NULL },
  { "phone", "020 7946 0018", "UK", NULL },                           /* GB's ISO code is GB */
  { "phone", "020 7946 0018", "+44", NULL },                          /* a calling code is no region */
  { "phone", "+44 20 7946 0018", "ZZ", NULL },
  { "phone", "+44 20 7946 0018", "001", NULL },
  /* Impossible lengths. */
  { "phone", "+1 555", NULL, NULL },
  { "phone", "555 0100", "US", NULL },                                /* local, without the area code */
  { "phone", "+39 06", NULL, NULL },
  { "phone", "06", "IT", NULL },
  { "phone", "+12345678", NULL, NULL },
  { "phone", "+1 415 555 0100 1234 5678", NULL, NULL },               /* too long */
  { "phone", "+1234567890123456", NULL, NULL },
  { "phone", "011 3", "US", NULL },                                    /* nothing after the prefix */
  { "phone", "+0442079460018", NULL, NULL },                         /* no country code starts with 0 */
  { "phone", "+999 1234 5678", NULL, NULL },                          /* no such calling code */
  /* Letters and other characters. */
  { "phone", "+44 20 CALL NOW", NULL, NULL },
  { "phone", "1-800-FLOWERS", "US", NULL },
  { "phone", "+44 20 7946 0018 ext. 2", NULL, NULL },
  { "phone", "+44 20 7946 0018 x2", NULL, NULL },
  { "phone", "++442079460018", NULL, NULL },
  { "phone", "44+2079460018", "GB", NULL },
  { "phone", "tel:+1-415-555-0100;ext=2", NULL, NULL },
  { "phone", "+44 20 7946 0018#", NULL, NULL },
  { "phone", "+44 20 7946 0018,1", NULL, NULL },
  { "phone", "+", NULL, NULL },
  { "phone", "tel:", "US", NULL },
};

static const Case sip_cases[] = {
  { "sip", "sip:alice@example.com", NULL, "sip:alice@example.com" },
  { "sip", "sip:Alice@Example.COM;transport=tcp", NULL, "sip:Alice@example.com" },   /* user keeps its case */
  { "sip", "SIP:alice@PBX.Example.com:5060;transport=udp?subject=hi", NULL, "sip:alice@pbx.example.com:5060" },
  { "sip", "\"Alice\" <sip:alice@Example.com>;tag=1928301774", NULL, "sip:alice@example.com" },
  { "sip", "sips:alice@example.com", NULL, "sip:alice@example.com" },
  { "sip", "alice@example.com", NULL, "sip:alice@example.com" },
  { "sip", "sip:+14155550100@gw.example.com;user=phone", NULL, "sip:+14155550100@gw.example.com" },
  { "sip", "sip:example.com", NULL, NULL },               /* no user */
  { "sip", "sip:@example.com", NULL, NULL },
  { "sip", "sip:alice@", NULL, NULL },
  { "sip", "sip:alice@;transport=tcp", NULL, NULL },
  { "sip", "sip:al ice@example.com", NULL, NULL },
  { "sip", "<sip:alice@example.com", NULL, NULL },        /* unbalanced */
};

static const Case chat_cases[] = {
  { "chat", "visitor-42_a.b", NULL, "visitor-42_a.b" },
  { "chat", "  Visitor42  ", NULL, "Visitor42" },           /* case is kept, space trimmed */
  { "chat", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", NULL,
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" },   /* 128 */
  { "chat", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0", NULL, NULL },   /* 129 */
  { "chat", "visitor 42", NULL, NULL },
  { "chat", "visitor/42", NULL, NULL },
  { "chat", "visitor@42", NULL, NULL },
  { "chat", "<script>", NULL, NULL },
  { "chat", "visit\xc3\xb6r", NULL, NULL },                 /* non-ASCII */
};

static const Case social_cases[] = {
  { "social", "twitter:yuki", NULL, "twitter:yuki" },
  { "social", "Twitter:@Yuki_Tanaka", NULL, "twitter:yuki_tanaka" },
  { "social", "Mastodon:@Yuki@Social.Example", NULL, "mastodon:yuki@social.example" },
  { "social", "instagram: yuki", NULL, "instagram:yuki" },
  { "social", "vk:\xc3\x9cLLA", NULL, "vk:\xc3\xbclla" },   /* non-ASCII handle lower-cased */
  { "social", "@yuki", NULL, NULL },                        /* no network */
  { "social", ":yuki", NULL, NULL },
  { "social", "twitter:", NULL, NULL },
  { "social", "twitter:@", NULL, NULL },
  { "social", "twitter:@@yuki", NULL, "twitter:yuki" },     /* found by fuzz-identity */
  { "social", "twitter: @yuki", NULL, "twitter:yuki" },
  { "social", "twitter:@ @", NULL, NULL },
  { "social", "twitter:yu ki", NULL, NULL },
  { "social", "my network:yuki", NULL, NULL },
  { "social", "tw\xc3\xaftter:yuki", NULL, NULL },
};

static const Case generic_cases[] = {
  { "api", "  crm-1234  ", NULL, "crm-1234" },              /* other kinds: trimmed only */
  { "whatsapp", "+44 7700 900123", NULL, "+44 7700 900123" },
  { "api", "CRM/1234", NULL, "CRM/1234" },
  { "api", "", NULL, NULL },
  { "api", " \t ", NULL, NULL },
  { "api", "bad\x01" "control", NULL, NULL },
  { "api", "tab\tinside", NULL, NULL },
  { "api", "line\nbreak", NULL, NULL },
  { "api", "del\x7f", NULL, NULL },
  { "api", "c1\xc2\x85" "control", NULL, NULL },            /* U+0085 */
  { "email", "pat\xff@example.com", NULL, NULL },           /* invalid UTF-8 */
  { "api", "\xc3\x28", NULL, NULL },
  { "api", "\xed\xa0\x80", NULL, NULL },                    /* a UTF-16 surrogate */
  { "Email", "pat@example.com", NULL, NULL },               /* kinds are lower-case */
  { "", "pat@example.com", NULL, NULL },
};

static void
test_normalize (gconstpointer data)
{
  const Table *table = data;

  for (gsize i = 0; i < table->n_cases; i++)
    {
      const Case *c = &table->cases[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = parley_identity_normalize (c->kind, c->value, c->region, &error);
      g_autofree char *shown = g_strescape (c->value, NULL);

      g_test_message ("%s \"%s\" (%s) → %s", c->kind, shown, c->region ? c->region : "no region",
                      normalized ? normalized : error->message);
      if (c->expected == NULL)
        {
          g_assert_null (normalized);
          g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
        }
      else
        {
          g_autofree char *again = NULL;

          g_assert_no_error (error);
          g_assert_cmpstr (normalized, ==, c->expected);
          /* The canonical form is a fixed point: customers are found by it. */
          again = parley_identity_normalize (c->kind, normalized, c->region, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (again, ==, normalized);
        }
    }
}

static const Table email_table = TABLE (email_cases);
static const Table phone_table = TABLE (phone_cases);
static const Table sip_table = TABLE (sip_cases);
static const Table chat_table = TABLE (chat_cases);
static const Table social_table = TABLE (social_cases);
static const Table generic_table = TABLE (generic_cases);

/* Canonical equivalence: a decomposed "é" is the same identity as a composed one. */
static void
test_nfc (void)
{
  const char *cases[][4] = {
    /* kind, decomposed, composed, normalized */
    { "email", "e\xcc\x81mile@example.fr", "\xc3\xa9mile@example.fr", "\xc3\xa9mile@example.fr" },
    { "email", "E\xcc\x81MILE@EXAMPLE.FR", "\xc3\x89mile@example.fr", "\xc3\xa9mile@example.fr" },
    { "social", "twitter:Jose\xcc\x81", "twitter:Jos\xc3\xa9", "twitter:jos\xc3\xa9" },
    { "api", "cafe\xcc\x81", "caf\xc3\xa9", "caf\xc3\xa9" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *decomposed = parley_identity_normalize (cases[i][0], cases[i][1], NULL, &error);
      g_autofree char *composed = NULL;

      g_assert_no_error (error);
      composed = parley_identity_normalize (cases[i][0], cases[i][2], NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (decomposed, ==, cases[i][3]);
      g_assert_cmpstr (composed, ==, cases[i][3]);
    }
}

static char *
repeat (const char *unit,
        guint       times,
        const char *tail)
{
  GString *value = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (value, unit);
  g_string_append (value, tail);
  return g_string_free (value, FALSE);
}

static void
assert_refused (const char *kind,
                const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = parley_identity_normalize (kind, value, NULL, &error);

  g_assert_null (normalized);
  g_assert_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID);
}

static void
test_max_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *longest = repeat ("a", PARLEY_IDENTITY_MAX_LENGTH - strlen ("@example.com"), "@example.com");
  g_autofree char *too_long = repeat ("a", PARLEY_IDENTITY_MAX_LENGTH + 1 - strlen ("@example.com"), "@example.com");
  g_autofree char *padded = repeat (" ", PARLEY_IDENTITY_MAX_LENGTH, "x");
  /* U+0958 is 3 bytes but 6 once in NFC: the canonical form must fit too. */
  g_autofree char *expanding = repeat ("\xe0\xa5\x98", PARLEY_IDENTITY_MAX_LENGTH / 3, "");
  g_autofree char *normalized = NULL;

  g_assert_cmpuint (strlen (longest), ==, PARLEY_IDENTITY_MAX_LENGTH);
  normalized = parley_identity_normalize ("email", longest, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (normalized, ==, longest);

  assert_refused ("email", too_long);
  assert_refused ("api", padded);
  g_assert_cmpuint (strlen (expanding), <=, PARLEY_IDENTITY_MAX_LENGTH);
  assert_refused ("api", expanding);

  /* Likewise a SIP address at the limit that still needs its "sip:". */
  assert_refused ("sip", longest);
  memcpy (longest, "sip:", 4);
  g_clear_pointer (&normalized, g_free);
  normalized = parley_identity_normalize ("sip", longest, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (normalized, ==, longest);
}

static void
test_no_error_location (void)
{
  g_autofree char *normalized = parley_identity_normalize ("email", "Pat@Example.com", NULL, NULL);

  g_assert_cmpstr (normalized, ==, "pat@example.com");
  g_assert_null (parley_identity_normalize ("email", "nope", NULL, NULL));
  g_assert_null (parley_identity_normalize (NULL, "pat@example.com", NULL, NULL));
  g_assert_null (parley_identity_normalize ("email", NULL, NULL, NULL));
}

static void
test_kinds (void)
{
  const char *valid[] = {
    "email", "phone", "chat", "social", "sip", "api", "whatsapp", "x-1_2",
    "abcdefghijklmnopqrstuvwxyz012345",   /* 32 */
  };
  const char *invalid[] = {
    "", "Email", "E Mail", "e mail", "a.b", "a/b", "a:b", "caf\xc3\xa9", "tab\t",
    "abcdefghijklmnopqrstuvwxyz0123456",  /* 33 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (parley_identity_kind_is_valid (valid[i]));
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    g_assert_false (parley_identity_kind_is_valid (invalid[i]));
  g_assert_false (parley_identity_kind_is_valid (NULL));
}

static void
test_regions (void)
{
  const char *calling_codes[][2] = {
    { "39", "IT" }, { "+39", "IT" }, { "1", "US" }, { "+44", "GB" }, { "61", "AU" }, { "7", "RU" },
    { "999", NULL }, { "0", NULL }, { "", NULL }, { "+", NULL }, { "4a", NULL }, { "+4444", NULL },
    { "800", NULL },   /* international freephone: no region */
  };

  g_assert_true (parley_identity_region_is_valid ("IT"));
  g_assert_true (parley_identity_region_is_valid ("us"));
  g_assert_false (parley_identity_region_is_valid ("UK"));
  g_assert_false (parley_identity_region_is_valid ("ZZ"));
  g_assert_false (parley_identity_region_is_valid ("001"));
  g_assert_false (parley_identity_region_is_valid ("ITA"));
  g_assert_false (parley_identity_region_is_valid (""));
  g_assert_false (parley_identity_region_is_valid (NULL));
  for (guint i = 0; i < G_N_ELEMENTS (calling_codes); i++)
    {
      g_autofree char *region = parley_identity_region_for_calling_code (calling_codes[i][0]);

      g_assert_cmpstr (region, ==, calling_codes[i][1]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/libparley/identity/email", &email_table, test_normalize);
  g_test_add_data_func ("/libparley/identity/phone", &phone_table, test_normalize);
  g_test_add_data_func ("/libparley/identity/sip", &sip_table, test_normalize);
  g_test_add_data_func ("/libparley/identity/chat", &chat_table, test_normalize);
  g_test_add_data_func ("/libparley/identity/social", &social_table, test_normalize);
  g_test_add_data_func ("/libparley/identity/generic", &generic_table, test_normalize);
  g_test_add_func ("/libparley/identity/nfc", test_nfc);
  g_test_add_func ("/libparley/identity/max-length", test_max_length);
  g_test_add_func ("/libparley/identity/no-error-location", test_no_error_location);
  g_test_add_func ("/libparley/identity/kinds", test_kinds);
  g_test_add_func ("/libparley/identity/regions", test_regions);
  return g_test_run ();
}
