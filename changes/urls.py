from django.urls import path

from changes import views

app_name = "changes"
urlpatterns = [
    path("changes/", views.change_list, name="list"),
    path("changes/new/", views.create, name="create"),
    path("changes/calendar/", views.calendar, name="calendar"),
    path("changes/catalogue/", views.catalogue, name="catalogue"),
    path("changes/catalogue/new/", views.template_form, name="template_create"),
    path("changes/catalogue/<int:pk>/edit/", views.template_form, name="template_edit"),
    path("changes/<int:pk>/", views.detail, name="detail"),
    path("changes/<int:pk>/edit/", views.edit, name="edit"),
    path("changes/<int:pk>/transition/", views.transition, name="transition"),
]
