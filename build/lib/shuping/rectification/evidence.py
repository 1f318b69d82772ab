"""Evidence files: type from the content's magic bytes, size limit, stored outside the database.

The bytes go through Django's storage API (`evidence/<random name>`), so every app node can read
what another stored: a shared directory by default, an S3-compatible store by configuration.
"""

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


def max_bytes() -> int:
    return int(getattr(settings, "SHUPING_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def storage_name(stored_name: str) -> str:
    return f"evidence/{stored_name}"


def open_evidence(stored_name: str):
    """The stored bytes as an open file; FileNotFoundError when they are gone."""
    name = storage_name(stored_name)
    if not default_storage.exists(name):
        raise FileNotFoundError(name)
    return default_storage.open(name, "rb")


def sniff(data: bytes) -> str | None:
    """The content type the bytes really are, or None. The file name is never trusted."""
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:5] == b"%PDF-":
        return "application/pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except Exception:  # noqa: BLE001 - any damaged zip is simply not an accepted type
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return None


@dataclass
class StoredFile:
    original_name: str
    stored_name: str
    content_type: str
    size: int
    sha256: str


def check_upload(upload) -> tuple[bytes, str]:
    """Read and validate one upload; raise ValidationError with a Chinese message."""
    name = getattr(upload, "name", "") or "未命名文件"
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise ValidationError(f"“{name}”过大（{size / 1024 / 1024:.1f} MB），单个文件上限 {limit / 1024 / 1024:.0f} MB")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"“{name}”过大，单个文件上限 {limit / 1024 / 1024:.0f} MB")
    if not data:
        raise ValidationError(f"“{name}”是空文件")
    content_type = sniff(data)
    if content_type is None:
        raise ValidationError(f"“{name}”不是可接受的文件类型：只接受 JPG/PNG 图片、PDF 和 Word（.docx）文件（按文件内容识别，不看扩展名）")
    return data, content_type


def write_file(data: bytes, original_name: str, content_type: str) -> StoredFile:
    stored_name = secrets.token_hex(16)
    # 128 random bits never meet an existing name; the storage would rename rather than overwrite.
    saved = default_storage.save(storage_name(stored_name), ContentFile(data))
    stored_name = saved.rsplit("/", 1)[-1]
    clean_name = Path(original_name.replace("\\", "/")).name[:200] or "证明材料"
    stem = clean_name.rsplit(".", 1)[0] if "." in clean_name else clean_name
    return StoredFile(
        original_name=stem + TYPES[content_type], stored_name=stored_name, content_type=content_type,
        size=len(data), sha256=hashlib.sha256(data).hexdigest(),
    )


def remove_files(stored: list[StoredFile]) -> None:
    for item in stored:
        default_storage.delete(storage_name(item.stored_name))
