from django.urls import path

from incidents import portal_views, views

app_name = "incidents"
urlpatterns = [
    path("incidents/", views.queue, name="queue"),
    path("incidents/new/", views.create, name="create"),
    path("incidents/bulk-assign/", views.bulk_assign, name="bulk_assign"),
    path("incidents/<int:pk>/", views.detail, name="detail"),
    path("incidents/<int:pk>/edit/", views.edit, name="edit"),
    path("incidents/<int:pk>/transition/", views.transition, name="transition"),
    path("portal/incidents/", portal_views.portal_list, name="portal_list"),
    path("portal/incidents/new/", portal_views.portal_report, name="portal_report"),
    path("portal/incidents/<int:pk>/", portal_views.portal_detail, name="portal_detail"),
    path("portal/incidents/<int:pk>/rate/", portal_views.portal_rate, name="portal_rate"),
]
