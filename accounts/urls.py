from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("preferences/", views.preferences, name="preferences"),
    path("token/", views.token_regenerate, name="token_regenerate"),
    path("language/", views.language_switch, name="language_switch"),
]
