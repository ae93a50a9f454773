/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-phone-number"

#include "config.h"

#include <string>

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumberutil.h>

#include "parley-error.h"
#include "parley-phone-number-private.h"

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

/* The library's singleton, made quiet once: it would otherwise log unknown
 * regions and such to stdout, which parleyd's callers control. */
static const PhoneNumberUtil *
phone_util (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      PhoneNumberUtil::GetInstance ()->SetLogger (new i18n::phonenumbers::NullLogger ());
      g_once_init_leave (&once, 1);
    }
  return PhoneNumberUtil::GetInstance ();
}

/* Two letters the library has a numbering plan for (it answers 0 for
 * others, and for "001", its name for non-geographic numbers). */
static gboolean
region_is_known (const PhoneNumberUtil *util,
                 const std::string     &region)
{
  return region.size () == 2 && g_ascii_isalpha (region[0]) && g_ascii_isalpha (region[1]) &&
         util->GetCountryCodeForRegion (region) != 0;
}

static const char *
parse_failure (PhoneNumberUtil::ErrorType failure)
{
  switch (failure)
    {
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      return "unknown country calling code";
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
      return "too short after the international prefix";
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return "too short";
    case PhoneNumberUtil::TOO_LONG_NSN:
      return "too long";
    case PhoneNumberUtil::NOT_A_NUMBER:
    case PhoneNumberUtil::NO_PARSING_ERROR:
    default:
      return "not a phone number";
    }
}

/* A number is kept if it has a possible length for its country: whether
 * its range is in service is the carrier's business, and metadata that
 * lags behind a new range must not turn a customer away. */
static const char *
impossible (PhoneNumberUtil::ValidationResult result)
{
  switch (result)
    {
    case PhoneNumberUtil::IS_POSSIBLE:
      return NULL;
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
      return "a local number without its area code";
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
      return "unknown country calling code";
    case PhoneNumberUtil::TOO_SHORT:
      return "too short";
    case PhoneNumberUtil::TOO_LONG:
      return "too long";
    case PhoneNumberUtil::INVALID_LENGTH:
    default:
      return "no number of that country has this length";
    }
}

static char *
to_e164 (const char  *number,
         const char  *region,
         GError     **error)
{
  const PhoneNumberUtil *util = phone_util ();
  g_autofree char *upper = g_ascii_strup (region ? region : "", -1);
  std::string default_region = *upper ? upper : "ZZ";   /* ZZ: none */
  PhoneNumberUtil::ErrorType failure;
  const char *why;
  PhoneNumber parsed, again;
  std::string e164, again_e164;

  if (*upper && !region_is_known (util, default_region))
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                   "Invalid phone identity: unknown region \"%s\" (expected an ISO 3166 code such as IT or US)",
                   upper);
      return NULL;
    }
  failure = util->Parse (number, default_region, &parsed);
  if (failure != PhoneNumberUtil::NO_PARSING_ERROR)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Invalid phone identity: %s", parse_failure (failure));
      return NULL;
    }
  if ((why = impossible (util->IsPossibleNumberWithReason (parsed))) != NULL)
    {
      g_set_error (error, PARLEY_ERROR, PARLEY_ERROR_INVALID, "Invalid phone identity: %s", why);
      return NULL;
    }
  util->Format (parsed, PhoneNumberUtil::E164, &e164);
  /* The key must read back as itself. A national number kept with a
   * leading zero its country uses as trunk prefix would not ("+61070005"
   * reads as +6170005): no such number is in service. */
  if (util->Parse (e164, "ZZ", &again) != PhoneNumberUtil::NO_PARSING_ERROR ||
      util->IsPossibleNumberWithReason (again) != PhoneNumberUtil::IS_POSSIBLE ||
      (util->Format (again, PhoneNumberUtil::E164, &again_e164), again_e164 != e164))
    {
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "Invalid phone identity: its international form reads as another number");
      return NULL;
    }
  return g_strdup (e164.c_str ());
}

/**
 * parley_phone_number_to_e164:
 * @number: a phone number as written, international ("+39 06 …") or
 *   national, with the international prefix of @region ("011 39 …" from
 *   the US) or its trunk prefix ("06 …" in Italy)
 * @region: (nullable): ISO 3166 alpha-2 code of the country national
 *   numbers are from; without it only "+" numbers are understood
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the number in E.164, or %NULL with
 *   %PARLEY_ERROR_INVALID
 */
char *
parley_phone_number_to_e164 (const char  *number,
                             const char  *region,
                             GError     **error)
{
  try
    {
      return to_e164 (number, region, error);
    }
  catch (...)
    {
      g_clear_error (error);
      g_set_error_literal (error, PARLEY_ERROR, PARLEY_ERROR_INVALID,
                           "Invalid phone identity: the number could not be read");
      return NULL;
    }
}

/**
 * parley_phone_number_region_is_known:
 * @region: an ISO 3166 alpha-2 code, any case
 *
 * Returns: %TRUE if phone numbers of @region can be read
 */
gboolean
parley_phone_number_region_is_known (const char *region)
{
  try
    {
      g_autofree char *upper = g_ascii_strup (region, -1);

      return region_is_known (phone_util (), upper);
    }
  catch (...)
    {
      return FALSE;
    }
}

/**
 * parley_phone_number_region_for_calling_code:
 * @calling_code: a country calling code such as 44
 *
 * The main region of a calling code: GB for 44, US for 1, whose numbering
 * plan the other regions sharing the code follow.
 *
 * Returns: (transfer full) (nullable): the region, or %NULL if the code
 *   is unknown
 */
char *
parley_phone_number_region_for_calling_code (int calling_code)
{
  try
    {
      std::string region;

      phone_util ()->GetRegionCodeForCountryCode (calling_code, &region);
      return region == "ZZ" || region == "001" ? NULL : g_strdup (region.c_str ());
    }
  catch (...)
    {
      return NULL;
    }
}
