from urllib.parse import quote

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def content_disposition(filename: str) -> str:
    """An attachment header with a Chinese file name that every browser shows correctly."""
    # The plain filename= fallback is a quoted string: quotes, backslashes and control
    # characters from an org's name would break (or inject into) the header.
    ascii_name = "".join(c for c in filename.encode("ascii", "ignore").decode() if c.isprintable() and c not in '"\\')
    ascii_name = ascii_name or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A download with a Chinese file name that every browser shows correctly."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return response


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return file_response(content, filename, XLSX_TYPE)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def error_text(exc) -> str:
    """A ValidationError's messages as one Chinese sentence for a flash message."""
    return "；".join(exc.messages)


def form_error_text(form) -> str:
    """A bound form's first error per field, labelled, as one flash message."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        parts.append(f"{field.label}：{errors[0]}" if field is not None else errors[0])
    return "；".join(parts)


MAX_BIGINT = 2**63 - 1


def int_param(value) -> int | None:
    """A query parameter naming a row by its id: digits within the database's range, else None
    (so "abc", "-1", "1.5" or a 30-digit number find nothing instead of raising)."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if number <= MAX_BIGINT else None
