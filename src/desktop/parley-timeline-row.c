/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "parley-timeline-row"

#include "config.h"

#include <glib/gi18n.h>

#include "parley-timeline-row.h"

/* A recycled row of the timeline list: a day heading, or the view the
 * event's channel plugin made for it. The child is kept while rows are
 * rebound to events of channels of the same type (every channel without a
 * plugin of its own shares the generic one): building a view costs far
 * more than binding one. */
struct _ParleyTimelineRow
{
  GtkWidget  parent_instance;

  GtkWidget          *child;
  GType               channel_type;  /* G_TYPE_INVALID while the child is a day heading */
  ParleyTimelineItem *item;          /* what the child shows */
};

G_DEFINE_FINAL_TYPE (ParleyTimelineRow, parley_timeline_row, GTK_TYPE_WIDGET)

static void
parley_timeline_row_dispose (GObject *object)
{
  ParleyTimelineRow *self = PARLEY_TIMELINE_ROW (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);
  g_clear_object (&self->item);
  G_OBJECT_CLASS (parley_timeline_row_parent_class)->dispose (object);
}

static void
parley_timeline_row_class_init (ParleyTimelineRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = parley_timeline_row_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "parley-timeline-row");
}

static void
parley_timeline_row_init (ParleyTimelineRow *self)
{
}

GtkWidget *
parley_timeline_row_new (void)
{
  return g_object_new (PARLEY_TYPE_TIMELINE_ROW, NULL);
}

static void
set_child (ParleyTimelineRow *self,
           GtkWidget         *child)
{
  g_clear_pointer (&self->child, gtk_widget_unparent);
  self->child = child;
  gtk_widget_set_parent (child, GTK_WIDGET (self));
}

char *
parley_timeline_row_format_day (GDateTime *day)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now), 0, 0, 0);
  GTimeSpan age = g_date_time_difference (today, day);

  if (age <= 0)
    return g_strdup (_("Today"));
  if (age <= G_TIME_SPAN_DAY)
    return g_strdup (_("Yesterday"));
  /* "%-d": the day without padding (%e pads it with a space) */
  if (g_date_time_get_year (day) == g_date_time_get_year (now))
    /* Translators: a day heading in the timeline this year, see g_date_time_format() */
    return g_date_time_format (day, _("%A, %-d %B"));
  /* Translators: a day heading in the timeline in another year, see g_date_time_format() */
  return g_date_time_format (day, _("%A, %-d %B %Y"));
}

/* The item the row shows, or NULL before it is bound. */
ParleyTimelineItem *
parley_timeline_row_get_item (ParleyTimelineRow *self)
{
  return self->item;
}

void
parley_timeline_row_bind (ParleyTimelineRow  *self,
                          ParleyTimelineItem *item,
                          ParleyPluginHost   *plugins)
{
  g_autoptr(JsonObject) event = NULL;
  ParleyUiChannel *channel;

  /* GTK 4.8 binds a row again whenever its position changes, as it does
   * for every row below a page of older history inserted above them.
   * Items never change (a changed event is a new item), so a row that
   * already shows this one is left as it is: rebinding made it measure
   * its text again, over a hundred rows a page. */
  if (self->item == item)
    return;
  g_set_object (&self->item, item);
  event = parley_timeline_item_dup_event (item);
  if (event == NULL)
    {
      g_autofree char *text = parley_timeline_row_format_day (parley_timeline_item_get_day (item));

      if (self->channel_type != G_TYPE_INVALID || self->child == NULL)
        {
          GtkWidget *label = gtk_label_new (NULL);

          gtk_widget_add_css_class (label, "day-heading");
          gtk_widget_add_css_class (label, "dim-label");
          set_child (self, label);
          self->channel_type = G_TYPE_INVALID;
        }
      gtk_label_set_text (GTK_LABEL (self->child), text);
      return;
    }

  channel = parley_plugin_host_get_channel (plugins, json_object_get_string_member_with_default (event, "channel", NULL));
  if (G_OBJECT_TYPE (channel) != self->channel_type || self->child == NULL)
    {
      set_child (self, parley_ui_channel_create_event_view (channel));
      self->channel_type = G_OBJECT_TYPE (channel);
    }
  parley_ui_channel_bind_event_view (channel, self->child, event);
}
