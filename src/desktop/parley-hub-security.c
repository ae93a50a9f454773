/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-hub-security"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "parley-certificate-private.h"
#include "parley-hub-security.h"

/**
 * ParleyHubSecurity:
 *
 * The sign-in page's say on how far the hub is trusted: a "Connection
 * Security" row with the pinned certificate (a SHA-256 fingerprint or a
 * PEM file, typed, pasted or chosen) and the switch that allows an
 * unencrypted connection to a hub on another computer; both remembered
 * per hub (`pinned-certificates`, `unencrypted-hubs`), where an admin can
 * also set them. Above it, when the hub's certificate was refused: which
 * host, why, and the fingerprint of what it showed.
 */
struct _ParleyHubSecurity
{
  GtkBox       parent_instance;

  GSettings   *settings;
  char        *origin;   /* the hub's scheme://host[:port], the settings' key */
  char        *host;

  /* template children */
  GtkWidget   *problem_box;
  GtkLabel    *problem_title;
  GtkLabel    *problem_reasons;
  GtkLabel    *problem_fingerprint;
  GtkLabel    *problem_hint;
  AdwExpanderRow *expander;
  AdwEntryRow *pin_row;
  GtkSwitch   *unencrypted_switch;
};

G_DEFINE_FINAL_TYPE (ParleyHubSecurity, parley_hub_security, GTK_TYPE_BOX)

/* Why a certificate was refused, one sentence per reason. */
static char *
describe_reasons (GTlsCertificateFlags errors,
                  gboolean             pinned,
                  const char          *host)
{
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_strv_builder_add (lines, pinned ? _("It is not the certificate pinned for this hub.")
                                      : _("Its certificate was issued by an authority this computer does not trust, "
                                          "or by the hub itself."));
  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    {
      g_autofree char *line = g_strdup_printf (_("Its certificate is made out to another name than %s."), host);

      g_strv_builder_add (lines, line);
    }
  if (errors & G_TLS_CERTIFICATE_EXPIRED)
    g_strv_builder_add (lines, _("Its certificate has expired."));
  if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_strv_builder_add (lines, _("Its certificate is not valid yet: check this computer’s date and time."));
  if (errors & G_TLS_CERTIFICATE_REVOKED)
    g_strv_builder_add (lines, _("Its certificate has been revoked."));
  if (errors & G_TLS_CERTIFICATE_INSECURE)
    g_strv_builder_add (lines, _("Its certificate uses an algorithm that is no longer secure."));
  if (errors & G_TLS_CERTIFICATE_GENERIC_ERROR)
    g_strv_builder_add (lines, _("Its certificate could not be read."));
  list = g_strv_builder_end (lines);
  return g_strjoinv ("\n", list);
}

static void
update_subtitle (ParleyHubSecurity *self)
{
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_row));

  adw_expander_row_set_subtitle (self->expander,
                                 gtk_switch_get_active (self->unencrypted_switch) ? _("Unencrypted connection allowed")
                                 : *pin ? _("Only the pinned certificate is accepted")
                                 : _("Certificates trusted by this computer"));
}

static void
certificate_chosen_cb (GtkNativeDialog   *chooser,
                       int                response,
                       ParleyHubSecurity *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    gtk_editable_set_text (GTK_EDITABLE (self->pin_row), g_file_peek_path (file));
  g_object_unref (chooser);
}

static void
choose_certificate_activated (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  ParleyHubSecurity *self = PARLEY_HUB_SECURITY (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Choose the Hub’s Certificate"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_mime_type (filter, "application/x-x509-ca-cert");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect_object (chooser, "response", G_CALLBACK (certificate_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
parley_hub_security_dispose (GObject *object)
{
  ParleyHubSecurity *self = PARLEY_HUB_SECURITY (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PARLEY_TYPE_HUB_SECURITY);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (parley_hub_security_parent_class)->dispose (object);
}

static void
parley_hub_security_finalize (GObject *object)
{
  ParleyHubSecurity *self = PARLEY_HUB_SECURITY (object);

  g_free (self->origin);
  g_free (self->host);
  G_OBJECT_CLASS (parley_hub_security_parent_class)->finalize (object);
}

static void
parley_hub_security_class_init (ParleyHubSecurityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = parley_hub_security_dispose;
  object_class->finalize = parley_hub_security_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/parley/Parley/ui/parley-hub-security.ui");
  gtk_widget_class_bind_template_child (widget_class, ParleyHubSecurity, problem_box);
  gtk_widget_class_bind_template_child (widget_class, ParleyHubSecurity, problem_title);
  gtk_widget_class_bind_template_child (widget_class, ParleyHubSecurity, problem_reasons);
  gtk_widget_class_bind_template_child (widget_class, ParleyHubSecurity, problem_fingerprint);
  gtk_widget_class_bind_template_child (widget_class, ParleyHubSecurity, problem_hint);
  gtk_widget_class_bind_template_child (widget_class, ParleyHubSecurity, expander);
  gtk_widget_class_bind_template_child (widget_class, ParleyHubSecurity, pin_row);
  gtk_widget_class_bind_template_child (widget_class, ParleyHubSecurity, unencrypted_switch);
  gtk_widget_class_install_action (widget_class, "hub-security.choose-certificate", NULL, choose_certificate_activated);
}

static void
parley_hub_security_init (ParleyHubSecurity *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->pin_row, "changed", G_CALLBACK (update_subtitle), self);
  g_signal_connect_swapped (self->unencrypted_switch, "notify::active", G_CALLBACK (update_subtitle), self);
  update_subtitle (self);
}

/**
 * parley_hub_security_set_settings:
 * @self: a #ParleyHubSecurity
 * @settings: the app's settings, where pins and allowed hubs are kept
 */
void
parley_hub_security_set_settings (ParleyHubSecurity *self,
                                  GSettings         *settings)
{
  g_return_if_fail (PARLEY_IS_HUB_SECURITY (self));
  g_set_object (&self->settings, settings);
}

/**
 * parley_hub_security_set_hub:
 * @self: a #ParleyHubSecurity
 * @hub_url: the hub's address as typed
 *
 * Shows what is kept for that hub. A refusal shown for another hub goes.
 */
void
parley_hub_security_set_hub (ParleyHubSecurity *self,
                             const char        *hub_url)
{
  g_autoptr(GUri) uri = g_uri_parse (hub_url, G_URI_FLAGS_SCHEME_NORMALIZE, NULL);
  g_autofree char *origin = NULL;
  g_autofree char *pin = NULL;
  g_autofree char *host = NULL;
  g_autoptr(GVariant) pins = NULL;
  g_auto(GStrv) unencrypted = NULL;

  g_return_if_fail (PARLEY_IS_HUB_SECURITY (self));

  if (uri && g_uri_get_host (uri))
    {
      host = g_ascii_strdown (g_uri_get_host (uri), -1);
      origin = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, host, g_uri_get_port (uri), "", NULL, NULL);
    }
  else
    {
      host = g_strdup (hub_url);
      origin = g_strdup (hub_url);
    }
  if (g_strcmp0 (origin, self->origin) == 0)
    return;
  g_free (self->origin);
  self->origin = g_steal_pointer (&origin);
  g_free (self->host);
  self->host = g_steal_pointer (&host);
  parley_hub_security_clear_problem (self);
  if (self->settings == NULL)
    return;
  pins = g_settings_get_value (self->settings, "pinned-certificates");
  unencrypted = g_settings_get_strv (self->settings, "unencrypted-hubs");
  if (!g_variant_lookup (pins, self->origin, "s", &pin))
    pin = g_strdup ("");
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), pin);
  gtk_switch_set_active (self->unencrypted_switch, g_strv_contains ((const char * const *) unencrypted, self->origin));
  /* What an admin or an earlier sign-in set is in view. */
  adw_expander_row_set_expanded (self->expander, *pin || gtk_switch_get_active (self->unencrypted_switch));
}

/**
 * parley_hub_security_apply:
 * @self: a #ParleyHubSecurity
 * @client: the client about to sign in to the hub
 * @error: return location for a #GError
 *
 * Gives @client the trust shown: the pinned certificate, if any, and
 * whether it may go unencrypted.
 *
 * Returns: %TRUE, or %FALSE when the pinned certificate is not one (the
 *   error says so, for the sign-in page)
 */
gboolean
parley_hub_security_apply (ParleyHubSecurity  *self,
                           ParleyClient       *client,
                           GError            **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (PARLEY_IS_HUB_SECURITY (self), FALSE);

  parley_client_set_allow_unencrypted (client, gtk_switch_get_active (self->unencrypted_switch));
  if (parley_client_set_pinned_certificate (client, gtk_editable_get_text (GTK_EDITABLE (self->pin_row)), &local_error))
    return TRUE;
  adw_expander_row_set_expanded (self->expander, TRUE);
  /* Translators: %s says what is wrong with it */
  g_set_error (error, local_error->domain, local_error->code, _("The pinned certificate cannot be used: %s"),
               local_error->message);
  return FALSE;
}

/**
 * parley_hub_security_remember:
 * @self: a #ParleyHubSecurity
 *
 * Keeps what is shown for this hub, after a sign-in went through with it.
 */
void
parley_hub_security_remember (ParleyHubSecurity *self)
{
  g_autoptr(GVariant) pins = NULL;
  g_auto(GStrv) unencrypted = NULL;
  g_auto(GVariantBuilder) kept = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("a{ss}"));
  g_autoptr(GStrvBuilder) allowed = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;
  GVariantIter iter;
  const char *origin;
  const char *pin;

  g_return_if_fail (PARLEY_IS_HUB_SECURITY (self));
  if (self->settings == NULL || self->origin == NULL)
    return;

  pins = g_settings_get_value (self->settings, "pinned-certificates");
  g_variant_iter_init (&iter, pins);
  while (g_variant_iter_next (&iter, "{&s&s}", &origin, &pin))
    if (!g_str_equal (origin, self->origin))
      g_variant_builder_add (&kept, "{ss}", origin, pin);
  pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_row));
  if (*pin)
    g_variant_builder_add (&kept, "{ss}", self->origin, pin);
  g_settings_set_value (self->settings, "pinned-certificates", g_variant_builder_end (&kept));

  unencrypted = g_settings_get_strv (self->settings, "unencrypted-hubs");
  for (guint i = 0; unencrypted[i]; i++)
    if (!g_str_equal (unencrypted[i], self->origin))
      g_strv_builder_add (allowed, unencrypted[i]);
  if (gtk_switch_get_active (self->unencrypted_switch))
    g_strv_builder_add (allowed, self->origin);
  list = g_strv_builder_end (allowed);
  g_settings_set_strv (self->settings, "unencrypted-hubs", (const char * const *) list);
}

/**
 * parley_hub_security_show_problem:
 * @self: a #ParleyHubSecurity
 * @client: the client that failed to sign in
 * @error: why
 *
 * Shows a refused certificate (which host, why, its fingerprint) or
 * points at the switch for an unencrypted hub.
 *
 * Returns: %TRUE when @error was about either, else %FALSE (nothing shown)
 */
gboolean
parley_hub_security_show_problem (ParleyHubSecurity *self,
                                  ParleyClient      *client,
                                  const GError      *error)
{
  GTlsCertificateFlags errors = 0;
  GTlsCertificate *certificate = parley_client_get_refused_certificate (client, &errors);
  gboolean pinned = *gtk_editable_get_text (GTK_EDITABLE (self->pin_row)) != '\0';
  g_autofree char *title = NULL;
  g_autofree char *reasons = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *fingerprint_text = NULL;

  g_return_val_if_fail (PARLEY_IS_HUB_SECURITY (self), FALSE);

  if (g_error_matches (error, PARLEY_CLIENT_ERROR, PARLEY_CLIENT_ERROR_UNENCRYPTED))
    {
      /* Translators: %s is the hub's host name or address */
      title = g_strdup_printf (_("%s is not on this computer, and its address starts with http://"), self->host);
      reasons = g_strdup (_("Your password and your customers’ data would travel unencrypted. Use the hub’s "
                            "https:// address, or allow an unencrypted connection under Connection Security."));
      adw_expander_row_set_expanded (self->expander, TRUE);
    }
  else if (g_error_matches (error, PARLEY_CLIENT_ERROR, PARLEY_CLIENT_ERROR_UNTRUSTED_CERTIFICATE) && certificate)
    {
      /* Translators: %s is the hub's host name or address */
      title = g_strdup_printf (_("The hub at %s could not prove its identity"), self->host);
      reasons = describe_reasons (errors, pinned, self->host);
      fingerprint = parley_certificate_dup_fingerprint (certificate);
      /* Translators: %s is a SHA-256 fingerprint, AB:CD:… */
      fingerprint_text = g_strdup_printf (_("SHA-256 fingerprint of the certificate it showed:\n%s"), fingerprint);
    }
  else
    return FALSE;

  gtk_label_set_text (self->problem_title, title);
  gtk_label_set_text (self->problem_reasons, reasons);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_fingerprint), fingerprint_text != NULL);
  gtk_label_set_text (self->problem_fingerprint, fingerprint_text ? fingerprint_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->problem_hint), fingerprint_text != NULL);
  gtk_label_set_text (self->problem_hint,
                      _("Someone may be intercepting the connection. Sign in only once your administrator confirms "
                        "this fingerprint; they can give you the hub’s certificate to pin under Connection Security."));
  gtk_widget_set_visible (self->problem_box, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->problem_box), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return TRUE;
}

/**
 * parley_hub_security_clear_problem:
 * @self: a #ParleyHubSecurity
 *
 * Hides what parley_hub_security_show_problem() showed.
 */
void
parley_hub_security_clear_problem (ParleyHubSecurity *self)
{
  g_return_if_fail (PARLEY_IS_HUB_SECURITY (self));
  gtk_widget_set_visible (self->problem_box, FALSE);
}
