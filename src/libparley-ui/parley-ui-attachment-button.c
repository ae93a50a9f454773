/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define G_LOG_DOMAIN "parley-ui-attachment-button"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "parley-ui-attachment-button.h"

/**
 * ParleyUiAttachmentButton:
 *
 * The file a timeline event carries (its `metadata.attachment`:
 * `{id, name, type, size}`), as a button showing the file's kind, name and
 * size. Pressed, it downloads the file from `GET /api/v1/attachments/{id}`
 * with the signed-in agent's credentials and looks at what the bytes are
 * (parley_attachment_recognise(): the sender's name and declared type
 * decide nothing).
 *
 * A picture (PNG, JPEG, GIF), a PDF document or plain text is saved
 * readable by the user only (mode 0600, in folders only the user may
 * enter) in the user's cache directory, named for what it is, and handed
 * to the desktop's own app for that type through
 * #ParleyUiAttachmentButton::open-file: Parley never renders a file
 * itself. Anything else (a web page, an SVG picture, a launcher, a
 * script, a program) never reaches the desktop's apps: a window of
 * Parley's own says what it is, shows it as plain text when it is text
 * (Escape closes it), and offers to save it where the agent chooses
 * (Save As…, Ctrl+S).
 *
 * The file is saved as `$XDG_CACHE_HOME/parley/attachments/ID/NAME`. ID is
 * used only when it is what a hub issues (letters, digits, `-` and `_`);
 * NAME is made by parley_attachment_file_name() from the sender's name and
 * the type the bytes are, so `invoice.html` holding text is saved as
 * `invoice.txt`. The button shows the sender's name as
 * parley_attachment_clean_name() leaves it: no directories, no control
 * characters, nothing that reorders the text.
 *
 * While its file downloads the button is insensitive; when the file cannot
 * be fetched, saved or opened, the button is styled as an error and its
 * tooltip (the accessible description) says why. Its accessible name is
 * “Open “NAME”, SIZE”.
 *
 * Made for recycled views: binding it to another file is a few label
 * updates, binding it again to the same file does nothing, and binding it
 * to %NULL hides it.
 */
typedef struct _AttachmentDownload AttachmentDownload;

struct _ParleyUiAttachmentButton
{
  GtkButton           parent_instance;

  ParleyClient       *client;
  GCancellable       *cancellable;  /* every download and opening; cancelled in dispose */
  char               *id;           /* the file shown, NULL while none is */
  char               *name;         /* its name as it is saved and shown */
  char               *busy_id;      /* the file of the last download under way */
  AttachmentDownload *opening;      /* while ::open-file is emitted */

  GtkImage           *icon;
  GtkLabel           *name_label;
  GtkLabel           *size_label;
};

G_DEFINE_FINAL_TYPE (ParleyUiAttachmentButton, parley_ui_attachment_button, GTK_TYPE_BUTTON)

enum { PROP_0, PROP_CLIENT, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { OPEN_FILE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* One press: the file it fetches, its bytes once they came and where they
 * go. Shared between the download, the saving and the opening, which may
 * finish after the button was bound to another file. */
struct _AttachmentDownload
{
  ParleyUiAttachmentButton *self;
  char                     *id;
  char                     *name;   /* as the button shows it */
  GBytes                   *bytes;  /* once downloaded */
  GFile                    *file;   /* in the cache, once the bytes may be opened */
};

static void
download_clear (AttachmentDownload *download)
{
  g_object_unref (download->self);
  g_free (download->id);
  g_free (download->name);
  g_clear_pointer (&download->bytes, g_bytes_unref);
  g_clear_object (&download->file);
}

static void
download_release (AttachmentDownload *download)
{
  g_rc_box_release_full (download, (GDestroyNotify) download_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AttachmentDownload, download_release)

static void
download_closure_notify (gpointer  data,
                         GClosure *closure)
{
  download_release (data);
}

static AttachmentDownload *
download_new (ParleyUiAttachmentButton *self)
{
  AttachmentDownload *download = g_rc_box_new0 (AttachmentDownload);

  download->self = g_object_ref (self);
  download->id = g_strdup (self->id);
  download->name = g_strdup (self->name);
  return download;
}

/* The tooltip says what pressing does, that the file is on its way, or
 * what went wrong (@problem). */
static void
show_state (ParleyUiAttachmentButton *self,
            const char               *problem)
{
  gboolean busy = self->id && g_strcmp0 (self->busy_id, self->id) == 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self), !busy);
  if (problem)
    gtk_widget_add_css_class (GTK_WIDGET (self), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self),
                               problem ? problem :
                               busy ? _("Downloading…") :
                               _("Opens the file with the desktop’s viewer"));
}

/* Where a step of @download ended (@what failed, if @error is set): the
 * button shows it if it still shows that file. Nothing is said of a
 * download cancelled with the button. */
static void
download_ended (AttachmentDownload *download,
                const char         *what,
                const GError       *error)
{
  ParleyUiAttachmentButton *self = download->self;
  g_autofree char *problem = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_strcmp0 (self->busy_id, download->id) == 0)
    g_clear_pointer (&self->busy_id, g_free);
  if (error)
    g_debug ("%s: %s", download->id, error->message);
  if (g_strcmp0 (self->id, download->id) != 0)
    return;
  if (error)
    /* Translators: "Could not open the file: <why>" */
    problem = g_strdup_printf (_("%s: %s"), what, error->message);
  show_state (self, problem);
}

static void
shown_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AttachmentDownload) download = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish ((GtkWindow *) source, result, &error))
    download_ended (download, _("Could not open the file"), error);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AttachmentDownload) download = user_data;
  g_autoptr(GError) error = NULL;
  ParleyUiAttachmentButton *self = download->self;
  gboolean handled = FALSE;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      download_ended (download, _("Could not save the file"), error);
      return;
    }
  download_ended (download, NULL, NULL);
  self->opening = download;
  g_signal_emit (self, signals[OPEN_FILE], 0, download->file, &handled);
  self->opening = NULL;
}

/* Makes @path a folder only the user may enter, whether it was there or
 * not. */
static gboolean
make_private_folder (const char  *path,
                     GError     **error)
{
  int saved_errno;

  if (g_mkdir_with_parents (path, 0700) == 0 && g_chmod (path, 0700) == 0)
    return TRUE;
  saved_errno = errno;
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", path, g_strerror (saved_errno));
  return FALSE;
}

static void
saved_as_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AttachmentDownload) download = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    download_ended (download, _("Could not save the file"), error);
}

static void
save_as_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(AttachmentDownload) download = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    g_file_replace_contents_bytes_async (file, download->bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                         download->self->cancellable, saved_as_cb, g_rc_box_acquire (download));
  g_object_unref (chooser);
}

static void
save_as_clicked_cb (GtkButton          *button,
                    AttachmentDownload *download)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (_("Save File"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button))),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), download->name);
  g_signal_connect (chooser, "response", G_CALLBACK (save_as_response_cb), g_rc_box_acquire (download));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
activate_cb (GtkWidget *window,
             GVariant  *arguments,
             gpointer   widget)
{
  return gtk_widget_activate (widget);
}

/* A file the desktop's apps must not get: a window of Parley's own says
 * what it is, shows it as plain text if it is text, and offers to save it
 * under its cleaned name where the agent chooses. */
static void
show_refused_file (AttachmentDownload *download)
{
  ParleyUiAttachmentButton *self = download->self;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  gsize size;
  const char *data = g_bytes_get_data (download->bytes, &size);
  g_autofree char *guessed = g_content_type_guess (NULL, (const guchar *) data, size, NULL);
  g_autofree char *description = g_content_type_get_description (guessed);
  gboolean is_text = g_strcmp0 (parley_attachment_sniff_type (download->bytes), "text/plain") == 0;
  g_autofree char *notice_text = NULL;
  g_autofree char *contents_label = NULL;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *save = gtk_button_new_with_label (_("Save As…"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *notice = gtk_label_new (NULL);
  GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());

  gtk_window_set_title (window, download->name);
  gtk_window_set_default_size (window, 640, is_text ? 520 : -1);
  if (GTK_IS_WINDOW (root))
    {
      gtk_window_set_transient_for (window, GTK_WINDOW (root));
      gtk_window_set_application (window, gtk_window_get_application (GTK_WINDOW (root)));
    }
  gtk_window_set_destroy_with_parent (window, TRUE);
  gtk_shortcut_controller_add_shortcut (shortcuts, gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("Escape"),
                                                                     gtk_named_action_new ("window.close")));
  gtk_shortcut_controller_add_shortcut (shortcuts, gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>s"),
                                                                     gtk_callback_action_new (activate_cb, save, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (window), GTK_EVENT_CONTROLLER (shortcuts));

  g_signal_connect_data (save, "clicked", G_CALLBACK (save_as_clicked_cb), g_rc_box_acquire (download),
                         download_closure_notify, 0);
  gtk_widget_set_tooltip_text (save, _("Saves the file as it was sent, where you choose (Ctrl+S)"));
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), save);
  gtk_window_set_titlebar (window, header);

  if (is_text)
    /* Translators: %s is a kind of file, e.g. "HTML document" */
    notice_text = g_strdup_printf (_("This is not plain text but a file of the type “%s”. Opened with another "
                                     "app it could run code or load things from the internet, so it is shown here "
                                     "as plain text, exactly as it was sent."), description);
  else
    /* Translators: %s is a kind of file, e.g. "executable" */
    notice_text = g_strdup_printf (_("This is not a picture, a PDF document or plain text but a file of the type "
                                     "“%s”, so Parley does not open it. Save it only if you know what it is."),
                                   description);
  gtk_label_set_text (GTK_LABEL (notice), notice_text);
  gtk_label_set_wrap (GTK_LABEL (notice), TRUE);
  gtk_label_set_xalign (GTK_LABEL (notice), 0);
  gtk_widget_set_margin_start (notice, 12);
  gtk_widget_set_margin_end (notice, 12);
  gtk_widget_set_margin_top (notice, 12);
  gtk_widget_set_margin_bottom (notice, 12);
  gtk_box_append (GTK_BOX (box), notice);

  if (is_text)
    {
      GtkWidget *scrolled = gtk_scrolled_window_new ();
      GtkWidget *view = gtk_text_view_new ();

      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), data, (int) size);
      gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
      gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
      gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
      /* Translators: the accessible name of a file's text; %s is its name */
      contents_label = g_strdup_printf (_("Contents of “%s”"), download->name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, contents_label, -1);
      gtk_widget_set_vexpand (scrolled, TRUE);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
      gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
      gtk_box_append (GTK_BOX (box), scrolled);
    }
  gtk_window_set_child (window, box);
  gtk_window_present (window);
}

static void
downloaded_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AttachmentDownload) download = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) attachments = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *file_name = NULL;
  const char *type;

  download->bytes = parley_client_download_finish (PARLEY_CLIENT (source), result, &error);
  if (download->bytes == NULL)
    {
      download_ended (download, _("Could not download the file"), error);
      return;
    }
  if ((type = parley_attachment_recognise (download->bytes)) == NULL)
    {
      download_ended (download, NULL, NULL);
      show_refused_file (download);
      return;
    }
  attachments = g_file_new_build_filename (g_get_user_cache_dir (), "parley", "attachments", NULL);
  folder = g_file_get_child (attachments, download->id);
  if (!make_private_folder (g_file_peek_path (attachments), &error) ||
      !make_private_folder (g_file_peek_path (folder), &error))
    {
      download_ended (download, _("Could not save the file"), error);
      return;
    }
  file_name = parley_attachment_file_name (download->name, type);
  download->file = g_file_get_child (folder, file_name);
  /* Private: mode 0600, and a file or link in the way is replaced, not
   * followed. */
  g_file_replace_contents_bytes_async (download->file, download->bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       download->self->cancellable, saved_cb, g_rc_box_acquire (download));
}

/* What a hub issues as an attachment id, and so safe as a path segment in
 * the URL and in the cache. */
static gboolean
is_plain_id (const char *id)
{
  if (id == NULL || *id == '\0')
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static void
parley_ui_attachment_button_clicked (GtkButton *button)
{
  ParleyUiAttachmentButton *self = PARLEY_UI_ATTACHMENT_BUTTON (button);
  g_autofree char *path = NULL;

  if (self->id == NULL)
    return;
  if (self->client == NULL)
    {
      show_state (self, _("Sign in to a hub to open files"));
      return;
    }
  if (!is_plain_id (self->id))
    {
      show_state (self, _("This file cannot be fetched from the hub"));
      return;
    }
  g_free (self->busy_id);
  self->busy_id = g_strdup (self->id);
  show_state (self, NULL);
  path = g_strconcat ("attachments/", self->id, NULL);
  parley_client_download_async (self->client, path, self->cancellable, downloaded_cb,
                                download_new (self));
}

static gboolean
parley_ui_attachment_button_real_open_file (ParleyUiAttachmentButton *self,
                                            GFile                    *file)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *name = g_file_get_basename (file);
  /* The name ends in the extension of what the bytes are. */
  g_autofree char *type = g_content_type_guess (name, NULL, 0, NULL);
  g_autoptr(GAppInfo) app = g_app_info_get_default_for_type (type, FALSE);
  g_autoptr(AttachmentDownload) download = self->opening ? g_rc_box_acquire (self->opening) : download_new (self);
  g_autofree char *mime_type = g_content_type_get_mime_type (type);

  /* Whoever emits the signal, only the kinds that may be opened are. */
  if (!g_strv_contains (parley_attachment_get_types (), mime_type ? mime_type : ""))
    {
      show_state (self, _("This kind of file is not opened with other apps"));
      return TRUE;
    }
  /* The app for that type, rather than whatever the desktop would pick for
   * a file:// address (a browser may have claimed them all). */
  if (app)
    {
      g_autoptr(GdkAppLaunchContext) context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
      g_autoptr(GError) error = NULL;
      GList files = { file, NULL, NULL };

      if (!g_app_info_launch (app, &files, G_APP_LAUNCH_CONTEXT (context), &error))
        download_ended (download, _("Could not open the file"), error);
      return TRUE;
    }
  /* No app for it here (in a sandbox, say): the desktop's portal picks one
   * by the file's type. */
  gtk_show_uri_full (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME,
                     self->cancellable, shown_cb, g_steal_pointer (&download));
  return TRUE;
}

static void
parley_ui_attachment_button_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  ParleyUiAttachmentButton *self = PARLEY_UI_ATTACHMENT_BUTTON (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_ui_attachment_button_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  ParleyUiAttachmentButton *self = PARLEY_UI_ATTACHMENT_BUTTON (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      parley_ui_attachment_button_set_client (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
parley_ui_attachment_button_dispose (GObject *object)
{
  ParleyUiAttachmentButton *self = PARLEY_UI_ATTACHMENT_BUTTON (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (parley_ui_attachment_button_parent_class)->dispose (object);
}

static void
parley_ui_attachment_button_finalize (GObject *object)
{
  ParleyUiAttachmentButton *self = PARLEY_UI_ATTACHMENT_BUTTON (object);

  g_clear_object (&self->cancellable);
  g_free (self->id);
  g_free (self->name);
  g_free (self->busy_id);
  G_OBJECT_CLASS (parley_ui_attachment_button_parent_class)->finalize (object);
}

static void
parley_ui_attachment_button_class_init (ParleyUiAttachmentButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = parley_ui_attachment_button_get_property;
  object_class->set_property = parley_ui_attachment_button_set_property;
  object_class->dispose = parley_ui_attachment_button_dispose;
  object_class->finalize = parley_ui_attachment_button_finalize;
  GTK_BUTTON_CLASS (klass)->clicked = parley_ui_attachment_button_clicked;

  /**
   * ParleyUiAttachmentButton:client:
   *
   * The signed-in hub connection files are fetched with, or %NULL.
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, PARLEY_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ParleyUiAttachmentButton::open-file:
   * @self: the button
   * @file: the downloaded file, in the user's cache directory
   *
   * Emitted once a pressed file is saved, if its bytes are a picture, a
   * PDF document or plain text (named for what they are); never for
   * anything else. The default handler launches the desktop's default app
   * for that type (or, where there is none, as in a sandbox, hands @file
   * to gtk_show_uri_full()) and shows an error if none opens it; a
   * handler that opens it another way returns %TRUE.
   *
   * Returns: %TRUE when the file was handled, stopping other handlers
   */
  signals[OPEN_FILE] =
    g_signal_new_class_handler ("open-file", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                G_CALLBACK (parley_ui_attachment_button_real_open_file),
                                g_signal_accumulator_true_handled, NULL, NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_FILE);
}

static void
parley_ui_attachment_button_init (ParleyUiAttachmentButton *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->cancellable = g_cancellable_new ();
  self->icon = GTK_IMAGE (gtk_image_new ());
  self->name_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (self->name_label, PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (self->name_label, 40);
  self->size_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->size_label), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->icon));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->name_label));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->size_label));
  gtk_button_set_child (GTK_BUTTON (self), box);
  gtk_widget_add_css_class (GTK_WIDGET (self), "attachment");
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_START);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/**
 * parley_ui_attachment_button_new:
 *
 * A button that shows a file a message carries and opens it safely;
 * parley_ui_attachment_button_set_attachment() gives it the file.
 *
 * Returns: (transfer full): a new, hidden button without a file
 */
GtkWidget *
parley_ui_attachment_button_new (void)
{
  return g_object_new (PARLEY_UI_TYPE_ATTACHMENT_BUTTON, NULL);
}

/**
 * parley_ui_attachment_button_get_client:
 * @self: a #ParleyUiAttachmentButton
 *
 * The connection files are fetched with.
 *
 * Returns: (transfer none) (nullable): the hub connection files are
 *   fetched with
 */
ParleyClient *
parley_ui_attachment_button_get_client (ParleyUiAttachmentButton *self)
{
  g_return_val_if_fail (PARLEY_UI_IS_ATTACHMENT_BUTTON (self), NULL);
  return self->client;
}

/**
 * parley_ui_attachment_button_set_client:
 * @self: a #ParleyUiAttachmentButton
 * @client: (nullable): the signed-in hub connection, or %NULL
 *
 * Sets the connection the next press fetches its file with.
 */
void
parley_ui_attachment_button_set_client (ParleyUiAttachmentButton *self,
                                        ParleyClient             *client)
{
  g_return_if_fail (PARLEY_UI_IS_ATTACHMENT_BUTTON (self));
  g_return_if_fail (client == NULL || PARLEY_IS_CLIENT (client));
  if (g_set_object (&self->client, client))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);
}

/**
 * parley_ui_attachment_button_set_attachment:
 * @self: a #ParleyUiAttachmentButton
 * @attachment: (nullable): a file as events carry it: `{id, name, type,
 *   size}`, or %NULL
 *
 * Shows @attachment, or hides the button when it is %NULL.
 */
void
parley_ui_attachment_button_set_attachment (ParleyUiAttachmentButton *self,
                                            JsonObject               *attachment)
{
  const char *id;
  const char *type;
  g_autofree char *name = NULL;
  g_autofree char *size = NULL;
  g_autofree char *label = NULL;
  g_autoptr(GIcon) icon = NULL;

  g_return_if_fail (PARLEY_UI_IS_ATTACHMENT_BUTTON (self));

  gtk_widget_set_visible (GTK_WIDGET (self), attachment != NULL);
  if (attachment == NULL)
    return;
  id = json_object_get_string_member_with_default (attachment, "id", "");
  /* The same file again: a row scrolled back into view. */
  if (g_strcmp0 (id, self->id) == 0)
    return;

  /* The name the file is saved under, and so the one shown. */
  name = parley_attachment_clean_name (json_object_get_string_member_with_default (attachment, "name", NULL));
  g_free (self->id);
  self->id = g_strdup (id);
  g_free (self->name);
  /* Translators: the name a file is saved under when its sender gave none */
  self->name = name ? g_steal_pointer (&name) : g_strdup (_("file"));
  size = g_format_size (json_object_get_int_member_with_default (attachment, "size", 0));
  type = json_object_get_string_member_with_default (attachment, "type", NULL);
  icon = g_content_type_get_symbolic_icon (type && *type ? type : "application/octet-stream");

  gtk_image_set_from_gicon (self->icon, icon);
  gtk_label_set_text (self->name_label, self->name);
  gtk_label_set_text (self->size_label, size);
  /* Translators: a file's button for screen readers: its name, then its size */
  label = g_strdup_printf (_("Open “%s”, %s"), self->name, size);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  show_state (self, NULL);
}

/**
 * parley_ui_event_get_attachment:
 * @event: the hub's event object
 *
 * The file @event carries, if any: its `metadata.attachment`.
 *
 * Returns: (transfer none) (nullable): `{id, name, type, size}`, or %NULL
 */
JsonObject *
parley_ui_event_get_attachment (JsonObject *event)
{
  JsonNode *metadata;
  JsonNode *attachment;

  g_return_val_if_fail (event != NULL, NULL);

  metadata = json_object_get_member (event, "metadata");
  if (metadata == NULL || !JSON_NODE_HOLDS_OBJECT (metadata))
    return NULL;
  attachment = json_object_get_member (json_node_get_object (metadata), "attachment");
  return attachment && JSON_NODE_HOLDS_OBJECT (attachment) ? json_node_get_object (attachment) : NULL;
}
