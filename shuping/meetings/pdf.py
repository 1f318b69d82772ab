"""Printable PDFs: QR credential cards and paper ballot forms (WeasyPrint, WenQuanYi Micro Hei)."""

import base64
import io
import random

import qrcode
import qrcode.image.svg
from django.template.loader import render_to_string
from django.urls import reverse

from . import services


def qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _render(template: str, context: dict) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def ballot_url(base_url: str, token: str) -> str:
    """The QR link: the only URL that ever carries the card's token (exchanged at once for a cookie)."""
    return base_url.rstrip("/") + reverse("meetings:card_open", args=[token])


def card_sheet_order(cards: list[services.IssuedCard]) -> list[services.IssuedCard]:
    """Anonymous cards in random order (发卡时随机分发: the printed order says nothing about who got
    which card); named cards by number, since each goes to the person printed on it."""
    named = sorted((c for c in cards if not c.credential.group.anonymous), key=lambda c: c.credential.number)
    anonymous = [c for c in cards if c.credential.group.anonymous]
    random.SystemRandom().shuffle(anonymous)
    return named + anonymous


CARDS_PER_PAGE = 8  # 2 columns × 4 rows of 93 × 66 mm on A4 (190 × 277 mm inside the margins)
PAPER_ROWS_PER_PAGE = 12  # reporters per landscape A4 page of a paper form, under its header


def _chunks(items: list, size: int) -> list[list]:
    return [items[start:start + size] for start in range(0, len(items), size)] or [[]]


def cards_pdf(meeting, cards: list[services.IssuedCard], base_url: str) -> bytes:
    items = [
        {"card": card, "url": ballot_url(base_url, card.token), "qr": qr_data_uri(ballot_url(base_url, card.token))}
        for card in card_sheet_order(cards)
    ]
    # Pages are laid out here, not left to the flow: exactly 8 cards a page, in rows of two.
    pages = [_chunks(page, 2) for page in _chunks(items, CARDS_PER_PAGE)]
    start = base_url.rstrip("/") + reverse("meetings:start")
    any_anonymous = any(card.credential.group.anonymous for card in cards)
    return _render("meetings/pdf/cards.html", {"meeting": meeting, "pages": pages, "start_url": start,
                                                "any_anonymous": any_anonymous})


def paper_forms_pdf(meeting, forms, progress=None) -> bytes:
    """Every page of every form carries its form number (and QR), group and 「第 x/y 页」: a loose
    page of a multi-page form is still entered against the right form.

    Laid out one form at a time (a county's 180 reporters make 16 pages a form, about 3 s each),
    so `progress(done, total, step)` can follow; the pages are then joined into one PDF."""
    from weasyprint import HTML

    grid = services.paper_grid(meeting)
    rows = [{"number": n, "participant": p} for n, p in enumerate(grid.participants, start=1)]
    chunks = _chunks(rows, PAPER_ROWS_PER_PAGE)
    context = {"meeting": meeting, "page_count": len(chunks), "indicators": grid.indicators,
               "choices": ["好", "较好", "一般", "差"]}
    forms = list(forms)
    documents = []
    for index, form in enumerate(forms):
        if progress is not None:
            progress(index, len(forms) + 1, f"正在排版第 {index + 1}/{len(forms)} 份测评表（表号 {form.form_id}）")
        item = {"form": form, "qr": qr_data_uri(form.form_id),
                "pages": [{"number": n, "rows": chunk} for n, chunk in enumerate(chunks, start=1)]}
        html = render_to_string("meetings/pdf/paper_forms.html", {**context, "items": [item]})
        documents.append(HTML(string=html).render())
    if progress is not None:
        progress(len(forms), len(forms) + 1, "正在合并生成 PDF")
    if not documents:
        return _render("meetings/pdf/paper_forms.html", {**context, "items": []})
    return documents[0].copy([page for document in documents for page in document.pages]).write_pdf()
