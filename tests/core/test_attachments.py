import io
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import Attachment
from tests.ticketapp.factories import SampleTicketFactory


def png_bytes() -> bytes:
    def chunk(kind, data):
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = (1).to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def upload(client, ticket, name, content, **extra):
    ct = ContentType.objects.get_for_model(ticket).pk
    url = reverse("ticket_attachment_upload", args=[ct, ticket.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content), **extra}, HTTP_HX_REQUEST="true")


@pytest.fixture
def ticket(db):
    return SampleTicketFactory()


def test_image_is_stored_outside_static_and_downloaded_as_attachment(client, ticket):
    client.force_login(ticket.requester)
    response = upload(client, ticket, "screenshot.png", png_bytes())
    assert response.status_code == 200
    attachment = Attachment.objects.get()
    assert attachment.mime_type == "image/png"
    stored = Path(attachment.file.path).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() in stored.parents
    assert Path(settings.STATIC_ROOT).resolve() not in stored.parents
    assert "screenshot" not in stored.name  # user's file name never becomes a path

    download = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == png_bytes()


def test_html_is_never_rendered_inline(client, ticket):
    client.force_login(ticket.requester)
    upload(client, ticket, "notes.txt", b"<html><script>alert(1)</script></html>")
    attachment = Attachment.objects.get()
    download = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in download["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 200, "are not accepted"),
        ("report.pdf", png_bytes(), "does not match its name report.pdf"),
        ("blob.bin", bytes(range(256)) * 4, "is not a recognised document"),
        ("empty.txt", b"", "file is empty."),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(client, ticket, name, content, message):
    client.force_login(ticket.requester)
    response = upload(client, ticket, name, content)
    assert response.status_code == 200  # htmx re-renders the panel with the error
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_size_limit(client, ticket, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    client.force_login(ticket.requester)
    response = upload(client, ticket, "big.log", b"x" * 2048)
    assert "the limit is 1.0\xa0KB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_chinese_text_file_is_accepted(client, ticket):
    client.force_login(ticket.requester)
    upload(client, ticket, "错误日志.log", "打印机无法连接网络\n".encode("gb18030") * 50)
    assert Attachment.objects.get().filename == "错误日志.log"


def test_other_users_cannot_download(client, ticket, make_user):
    client.force_login(ticket.requester)
    upload(client, ticket, "a.txt", b"secret")
    attachment = Attachment.objects.get()
    client.force_login(make_user())
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 302


def test_internal_attachments_are_for_agents_only(client, ticket, make_user):
    agent = make_user("agent")
    client.force_login(agent)
    upload(client, ticket, "trace.log", b"stack trace", is_internal="on")
    attachment = Attachment.objects.get()
    assert attachment.is_internal
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 200
    client.force_login(ticket.requester)
    assert client.get(reverse("attachment_download", args=[attachment.pk])).status_code == 404


def test_requester_cannot_mark_upload_internal(client, ticket):
    client.force_login(ticket.requester)
    response = upload(client, ticket, "a.txt", b"hello", is_internal="on")
    assert "Only agents can add internal attachments." in response.content.decode()
    assert not Attachment.objects.exists()


def test_non_htmx_upload_error_page_is_400_not_500(client, ticket):
    client.force_login(ticket.requester)
    ct = ContentType.objects.get_for_model(ticket).pk
    url = reverse("ticket_attachment_upload", args=[ct, ticket.pk])
    response = client.post(url, {"file": io.BytesIO(b"")})
    assert response.status_code == 400
