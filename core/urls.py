from django.urls import path

from core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("workspace/", views.workspace, name="workspace"),
    path("workspace/teams/", views.team_directory, name="team_directory"),
    path("services/", views.service_directory, name="service_directory"),
    path("portal/", views.portal, name="portal"),
    path("portal/search/", views.portal_search, name="portal_search"),
    path("notifications/", views.notification_inbox, name="notifications"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path(
        "tickets/<int:content_type_id>/<int:object_id>/comments/",
        views.comment_add,
        name="ticket_comment_add",
    ),
    path(
        "tickets/<int:content_type_id>/<int:object_id>/attachments/",
        views.attachment_upload,
        name="ticket_attachment_upload",
    ),
    path("health/", views.health, name="health"),
    path("robots.txt", views.robots),
]
