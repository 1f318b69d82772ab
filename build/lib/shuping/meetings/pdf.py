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


def cards_pdf(meeting, cards: list[services.IssuedCard], base_url: str) -> bytes:
    items = [
        {"card": card, "url": ballot_url(base_url, card.token), "qr": qr_data_uri(ballot_url(base_url, card.token))}
        for card in card_sheet_order(cards)
    ]
    start = base_url.rstrip("/") + reverse("meetings:start")
    any_anonymous = any(card.credential.group.anonymous for card in cards)
    return _render("meetings/pdf/cards.html", {"meeting": meeting, "items": items, "start_url": start,
                                                "any_anonymous": any_anonymous})


def paper_forms_pdf(meeting, forms) -> bytes:
    grid = services.paper_grid(meeting)
    items = [{"form": form, "qr": qr_data_uri(form.form_id)} for form in forms]
    return _render("meetings/pdf/paper_forms.html", {
        "meeting": meeting, "items": items, "participants": grid.participants, "indicators": grid.indicators,
        "choices": ["好", "较好", "一般", "差"],
    })
