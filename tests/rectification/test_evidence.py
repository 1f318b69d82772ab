import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuping.rectification import services
from shuping.rectification.models import Evidence, ProgressEntry

from .conftest import PDF, PNG, new_problem, planned


def _docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def rect(tree):
    return planned(new_problem(tree.town_a1))


def _post(client, rect, *files, text="已完成场所改造"):
    return client.post(f"/rectification/{rect.pk}/progress/", {"text": text, "files": list(files)})


def test_evidence_is_stored_outside_the_database_with_a_checksum(rect, role_users, client, evidence_root):
    client.force_login(role_users["reporter"])
    response = _post(client, rect, SimpleUploadedFile("现场.png", PNG), SimpleUploadedFile("验收.pdf", PDF),
                     SimpleUploadedFile("方案.docx", _docx_bytes()))
    assert response.status_code == 302
    items = list(Evidence.objects.order_by("pk"))
    assert [e.content_type for e in items] == ["image/png", "application/pdf",
                                              "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
    stored = evidence_root / "evidence" / items[0].stored_name
    assert stored.read_bytes() == PNG
    assert items[0].sha256 == hashlib.sha256(PNG).hexdigest()
    assert items[0].stored_name not in items[0].original_name


def test_type_comes_from_content_not_extension(rect, role_users, client):
    client.force_login(role_users["reporter"])
    _post(client, rect, SimpleUploadedFile("scan.pdf", PNG))
    item = Evidence.objects.get()
    assert item.content_type == "image/png" and item.original_name == "scan.png"


@pytest.mark.parametrize(("name", "content", "message"), [
    ("photo.jpg", b"MZ\x90\x00 this is an exe", "不是可接受的文件类型"),
    ("report.docx", b"PK\x03\x04 not really a zip", "不是可接受的文件类型"),
    ("page.pdf", b"<html><script>alert(1)</script></html>", "不是可接受的文件类型"),
    ("empty.png", b"", "空文件"),
])
def test_bad_files_are_refused_and_nothing_is_written(rect, role_users, client, evidence_root, name, content, message):
    client.force_login(role_users["reporter"])
    response = _post(client, rect, SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile(name, content), )
    assert response.status_code == 302
    followed = client.get(response["Location"]).content.decode()
    assert message in followed
    assert ProgressEntry.objects.count() == 0 and Evidence.objects.count() == 0
    assert not (evidence_root / "evidence").exists() or not any((evidence_root / "evidence").iterdir())


def test_oversized_file_is_refused(rect, role_users, client, settings):
    settings.SHUPING_EVIDENCE_MAX_BYTES = 1024
    client.force_login(role_users["reporter"])
    response = _post(client, rect, SimpleUploadedFile("big.png", PNG + b"\x00" * 2000))
    assert "过大" in client.get(response["Location"]).content.decode()
    assert Evidence.objects.count() == 0


def test_service_refuses_oversized_even_without_size_attribute(rect, settings):
    settings.SHUPING_EVIDENCE_MAX_BYTES = 100

    class Stream(io.BytesIO):
        name = "x.png"

    with pytest.raises(services.RectificationError.__mro__[1], match="过大"):
        services.progress_add(actor=None, rectification=rect, text="进展", files=[Stream(PNG + b"\x00" * 200)])


def test_evidence_download_checks_scope(tree, rect, role_users, client):
    services.progress_add(actor=None, rectification=rect, text="进展", files=[SimpleUploadedFile("a.png", PNG)])
    item = Evidence.objects.get()
    client.force_login(role_users["inspector"])
    response = client.get(f"/rectification/evidence/{item.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(role_users["outsider"])
    assert client.get(f"/rectification/evidence/{item.pk}/").status_code == 404
    client.force_login(role_users["nobody"])
    assert client.get(f"/rectification/evidence/{item.pk}/").status_code == 403
