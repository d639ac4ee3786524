"""Attachment upload: size limit, content type decided from the bytes, never from the client."""

import hashlib
import os

import filetype
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core import registry
from core.models import Attachment

# Binary types recognised by their magic bytes, and the extensions each may carry.
BINARY_TYPES = {
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/gif": {".gif"},
    "image/webp": {".webp"},
    "application/pdf": {".pdf"},
    "application/zip": {".zip"},
    "application/gzip": {".gz", ".tgz"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
    "application/msword": {".doc"},
    "application/vnd.ms-excel": {".xls"},
}
# Office files are zip containers: a .docx may be detected as plain zip.
ZIP_CONTAINERS = {".docx", ".xlsx", ".pptx"}
TEXT_EXTENSIONS = {
    ".txt",
    ".log",
    ".csv",
    ".json",
    ".xml",
    ".yaml",
    ".yml",
    ".md",
    ".conf",
    ".ini",
    ".cfg",
    "",
}
HEAD_BYTES = 8192


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            # The head may cut a multi-byte character in half.
            try:
                head[:-3].decode(encoding)
                return True
            except UnicodeDecodeError:
                continue
    return False


def attachment_detect_type(*, filename: str, head: bytes) -> str:
    """Return the MIME type to store, or raise ValidationError naming what is wrong."""
    extension = os.path.splitext(filename)[1].lower()
    kind = filetype.guess(head)
    if kind is not None:
        allowed = BINARY_TYPES.get(kind.mime)
        if allowed is None:
            raise ValidationError(
                {"file": _("Files of type %(type)s are not accepted.") % {"type": kind.mime}}, code="type"
            )
        if extension not in allowed and not (kind.mime == "application/zip" and extension in ZIP_CONTAINERS):
            raise ValidationError(
                {
                    "file": _("The file content (%(type)s) does not match its name %(name)s.")
                    % {"type": kind.mime, "name": filename}
                },
                code="mismatch",
            )
        return kind.mime
    if extension in TEXT_EXTENSIONS and _is_text(head):
        return "text/plain"
    raise ValidationError(
        {
            "file": _("%(name)s is not a recognised document, image, archive or text file.")
            % {"name": filename}
        },
        code="type",
    )


def attachment_add(
    *, ticket: models.Model, file: UploadedFile, user, is_internal: bool = False
) -> Attachment:
    kind = registry.kind_for_model(type(ticket))
    if kind is None or not kind.can_view(user, ticket):
        raise PermissionDenied
    if is_internal and not kind.can_work(user, ticket):
        raise ValidationError(
            {"is_internal": _("Only agents can add internal attachments.")}, code="not_agent"
        )
    if file is None:
        raise ValidationError({"file": _("Choose a file to upload.")}, code="required")
    limit = settings.ATTACHMENT_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            {
                "file": _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)}
            },
            code="too_large",
        )
    if file.size == 0:
        raise ValidationError({"file": _("The file is empty.")}, code="empty")
    filename = os.path.basename(file.name or "file")[:200]
    file.seek(0)
    head = file.read(HEAD_BYTES)
    mime_type = attachment_detect_type(filename=filename, head=head)
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    with transaction.atomic():
        attachment = Attachment(
            content_type=ContentType.objects.get_for_model(ticket),
            object_id=ticket.pk,
            filename=filename,
            mime_type=mime_type,
            size=file.size,
            sha256=digest.hexdigest(),
            is_internal=is_internal,
            uploaded_by=user,
        )
        attachment.file.save(filename, file, save=False)
        attachment.save()
    return attachment
