from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ServiceErrorsMixin:
    def add_errors(self, exc: ValidationError) -> None:
        """Put a service's ValidationError beside the fields it names."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc)


class CommentForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000)
    is_internal = forms.BooleanField(
        label=_("Internal work note (hidden from the requester)"), required=False
    )


class AttachmentForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(label=_("File"))
    is_internal = forms.BooleanField(label=_("Internal (agents only)"), required=False)
