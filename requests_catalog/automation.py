"""Automated fulfilment actions. Each takes a request and returns a short result, or raises AutomationError.

Actions run outside any database transaction (see fulfilment.automation_run) and must be safe to repeat:
a retry after a timeout may run an action that had in fact succeeded.
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.request

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.services.notifications import notification_enqueue_translated
from requests_catalog.choices import Automation

WEBHOOK_TIMEOUT_SECONDS = 10
SIGNATURE_HEADER = "X-ITSM-Signature"


class AutomationError(Exception):
    """The action did not complete; the message says why (shown to agents)."""


def webhook_payload(request) -> bytes:
    return json.dumps(
        {
            "event": "request.fulfil",
            "request": {
                "id": request.pk,
                "number": request.number,
                "item": request.item_id,
                "item_name": request.item.name,
                "requester": request.requester_id,
                "requester_username": request.requester.get_username(),
                "requester_email": request.requester.email,
                "submitted_at": request.created_at.isoformat(),
                "answers": request.answers,
            },
        },
        sort_keys=True,
        ensure_ascii=False,
    ).encode("utf-8")


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _webhook(request) -> str:
    item = request.item
    if not item.webhook_url.startswith(("http://", "https://")):
        raise AutomationError(_("The item has no valid webhook URL."))
    body = webhook_payload(request)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "itsm-webhook/1",
        "X-ITSM-Event": "request.fulfil",
        "X-ITSM-Delivery": request.number,
    }
    if item.webhook_secret:
        headers[SIGNATURE_HEADER] = sign(item.webhook_secret, body)
    http = urllib.request.Request(item.webhook_url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(http, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        raise AutomationError(_("The webhook answered HTTP %(status)s.") % {"status": exc.code}) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise AutomationError(
            _("The webhook could not be reached: %(reason)s") % {"reason": reason}
        ) from None
    if not 200 <= status < 300:
        raise AutomationError(_("The webhook answered HTTP %(status)s.") % {"status": status})
    return _("webhook delivered (HTTP %(status)s)") % {"status": status}


def _target_user(request):
    field = request.item.automation_user_field
    if not field:
        return request.requester
    user_id = request.answers.get(field)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        raise AutomationError(_("The answer “%(field)s” names no active user.") % {"field": field})
    return user


def _add_to_group(request) -> str:
    name = request.item.automation_group
    group = Group.objects.filter(name=name).first() if name else None
    if group is None:
        raise AutomationError(_("The group “%(group)s” does not exist.") % {"group": name})
    user = _target_user(request)
    user.groups.add(group)  # adding twice is harmless
    return _("%(user)s added to %(group)s") % {"user": user.get_username(), "group": group.name}


def _password_reset(request) -> str:
    user = _target_user(request)
    if not user.email:
        raise AutomationError(_("%(user)s has no e-mail address.") % {"user": user.get_username()})
    link = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    notification_enqueue_translated(
        recipient=user,
        event="request.password_reset",
        subject=gettext_lazy("Reset your password (%(number)s)"),
        body=gettext_lazy(
            "Open the link to choose a new password. It works once and expires in %(days)s days."
        ),
        link=link,
        number=request.number,
        days=max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    )
    return _("password reset link sent to %(email)s") % {"email": user.email}


ACTIONS = {
    Automation.WEBHOOK: _webhook,
    Automation.ADD_TO_GROUP: _add_to_group,
    Automation.PASSWORD_RESET: _password_reset,
}


def run(request) -> str:
    action = ACTIONS.get(request.item.automation)
    if action is None:
        raise AutomationError(_("Unknown automation “%(name)s”.") % {"name": request.item.automation})
    return action(request)
