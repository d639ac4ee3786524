from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from accounts.forms import PreferencesForm
from accounts.services import profile_for, profile_update_preferences


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("preferences")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response


@login_required
def preferences(request):
    profile = profile_for(request.user)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            try:
                profile_update_preferences(
                    user=request.user,
                    language=form.cleaned_data["language"],
                    timezone=form.cleaned_data["timezone"],
                )
            except ValidationError as exc:
                form.add_errors(exc)
            else:
                messages.success(request, _("Your preferences were saved."))
                response = redirect("preferences")
                _remember_language(response, form.cleaned_data["language"])
                return response
    else:
        form = PreferencesForm(initial={"language": profile.language, "timezone": profile.timezone})
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/preferences.html", {"form": form, "token": token})


@login_required
@require_POST
def token_regenerate(request):
    Token.objects.filter(user=request.user).delete()
    Token.objects.create(user=request.user)
    messages.success(request, _("A new API token was created; the old one no longer works."))
    return redirect("preferences")


@require_POST
def language_switch(request):
    """The header's language toggle: remembered in a cookie, and on the profile when signed in."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        profile = profile_for(request.user)
        profile_update_preferences(user=request.user, language=language, timezone=profile.timezone)
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = redirect(target)
    _remember_language(response, language)
    return response


def _remember_language(response, language: str) -> None:
    if language:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)


@login_required
def people_search(request):
    """Up to ten active people matching what was typed (name, user name or e-mail), as <option>s for a
    datalist; `field` names the parameter that holds the text (htmx sends the input under its name)."""
    text = (request.GET.get(request.GET.get("field", "q")) or "").strip()
    people = []
    if len(text) >= 2 or (text and not text.isascii()):  # one Chinese character is a surname
        people = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(username__icontains=text)
                | Q(first_name__icontains=text)
                | Q(last_name__icontains=text)
                | Q(email__istartswith=text)
            )
            .order_by("username")
            .only("username", "first_name", "last_name")[:10]
        )
    return render(request, "accounts/_people_options.html", {"people": people})
