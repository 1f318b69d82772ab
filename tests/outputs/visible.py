"""What a reader sees on a page or in a document, as text, and the checks every output must pass."""

import re
from html.parser import HTMLParser

# Proper nouns and abbreviations a Chinese user reads as such.
ALLOWED_WORDS = {
    "Excel", "Word", "PDF", "pdf", "docx", "xlsx", "xls", "doc", "png", "jpg", "jpeg", "PNG", "JPG", "JPEG", "QR", "SHA",
    "CSV", "URL", "ID", "WPS", "HTTPS", "HTTP", "IP", "TOTP", "App", "APP", "OK", "Wi", "Fi", "Microsoft",
    "Google", "Authenticator", "FreeOTP", "Authy", "Cookie", "MB", "KB", "GB", "txt", "wps", "TXT",
}
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# Python reprs and raw codes that leak when a template prints an object or a dict.
REPR_PATTERNS = [re.compile(p) for p in (
    r"\{'", r"'\}", r"\[<", r"<QuerySet", r"object at 0x", r"Decimal\(", r"datetime\.", r"\bNone\b", r"\bTrue\b",
    r"\bFalse\b", r"\bnan\b", r"_id\b",
)]
SYSTEM_WORDS = ["版发布结果", "实时计票", "None", "null", "nan", "pk", "TODO", "{{", "}}", "{%"]
# Codes shown as codes (a TOTP secret, a hash) sit in <code>/<kbd>; they are not prose.
SKIP_TAGS = {"script", "style", "template", "noscript", "code", "kbd", "samp"}
VISIBLE_ATTRIBUTES = {"placeholder", "title", "alt", "aria-label"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self._skip += 1
        attributes = dict(attrs)
        for name in VISIBLE_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.parts.append(attributes["value"])

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def page_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def english_words(text: str, data_words: set[str] = frozenset()) -> list[str]:
    """Latin words that are neither an allowed proper noun nor a data identifier (a login
    name, an org or person code) that the page shows on purpose."""
    return sorted({w for w in ENGLISH_WORD.findall(text) if w not in ALLOWED_WORDS and w not in data_words})


def reprs(text: str) -> list[str]:
    return [p.pattern for p in REPR_PATTERNS if p.search(text)]


def duplicate_lines(lines) -> list[str]:
    seen, repeated = set(), []
    for line in (raw.strip() for raw in lines):
        if len(line) < 6:  # 「（无）」, a number, a heading repeated per section is fine
            continue
        if line in seen:
            repeated.append(line)
        seen.add(line)
    return repeated


def system_words(text: str) -> list[str]:
    return [word for word in SYSTEM_WORDS if word in text]


def data_words() -> set[str]:
    """Identifiers people typed in (login names, org and person codes) may be Latin."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    values = list(get_user_model().objects.values_list("username", flat=True))
    for model, field in [("orgs.Org", "code"), ("orgs.Person", "code"), ("campaigns.Indicator", "code"),
                         ("campaigns.EvaluatorGroup", "code"), ("meetings.Credential", "number"),
                         ("meetings.PaperForm", "form_id")]:
        values += apps.get_model(model).objects.values_list(field, flat=True)
    return {word for value in values for word in ENGLISH_WORD.findall(value or "")}


def docx_lines(data: bytes) -> list[str]:
    """Paragraphs, then every table cell, as a reader sees them in Word."""
    import io

    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return lines


def pdf_text(data: bytes) -> str:
    """pdftotext (poppler-utils), page breaks as form feeds."""
    import subprocess

    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True,
                            check=True)
    return result.stdout.decode("utf-8")


def xlsx_rows(data: bytes) -> dict[str, list[tuple]]:
    import io

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}
