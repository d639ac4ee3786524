from django.urls import path

from approvals import views

app_name = "approvals"
urlpatterns = [
    path("approvals/", views.inbox, name="inbox"),
    path("approvals/link/<str:token>/", views.link, name="link"),
    path("approvals/steps/<int:pk>/decide/", views.decide, name="decide"),
]
