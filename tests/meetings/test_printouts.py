"""Golden content of the meeting printouts, read back page by page with pdftotext (issue 13 item 2):
8 cards on every full A4 page, and every page of a multi-page paper form names its form, group and page."""

import re
import subprocess

import pytest
from django.urls import reverse

from shuping.audit.models import AuditEntry
from shuping.jobs.models import Job
from shuping.jobs.services import KINDS
from shuping.meetings import pdf, services
from tests.browser.helpers import ARTIFACTS
from tests.outputs.visible import pdf_text

from ..jobs.worker import job_page_after_run, job_result, start_job
from .conftest import build_hall, hall_with_ranking_groups

pytestmark = pytest.mark.django_db


def _keep(content: bytes, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_bytes(content)


def _pages(content: bytes, *, layout=True) -> list[str]:
    """Each page's text; without layout, text in reading order with line breaks removed (a card's
    lines wrap inside the card, and the two columns must not interleave)."""
    if layout:
        text = pdf_text(content)
    else:
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True,
                              check=True).stdout.decode("utf-8")
    pages = text.split("\f")
    pages = pages[:-1] if pages and not pages[-1].strip() else pages
    return pages if layout else ["".join(page.split()) for page in pages]


def test_card_sheet_has_eight_cards_per_a4_page_nameless_and_shuffled(tree):
    hall = build_hall(tree, named_group="CW", per_group=1)
    group = hall.campaign.evaluator_groups.get(code="QZ")
    cards = services.credentials_issue(actor=None, meeting=hall.meeting, group=group, count=20)
    numbers = [c.credential.number for c in cards]
    content = pdf.cards_pdf(hall.meeting, cards, "http://10.0.0.5:8000")
    _keep(content, "meeting-cards.pdf")
    pages = _pages(content, layout=False)
    per_page = [[n for n in numbers if n in page] for page in pages]
    assert [len(p) for p in per_page] == [8, 8, 4]  # two columns that fit 190 mm, four rows
    assert sorted(n for p in per_page for n in p) == sorted(numbers)
    for page in pages:
        assert page.count("（匿名）") == len([n for n in numbers if n in page]) and "随机分发" in page
        assert "评议人" not in page  # no evaluator names on anonymous cards
    printed = [n for p, page in zip(per_page, pages, strict=True) for n in sorted(p, key=page.index)]
    assert printed != sorted(numbers)  # random order; 1 in 20! of failing by chance


def test_named_cards_come_eight_a_page_in_number_order(tree):
    hall = build_hall(tree, named_group="CW", per_group=9)
    pages = _pages(pdf.cards_pdf(hall.meeting, hall.cards["CW"], "http://10.0.0.5:8000"), layout=False)
    names = [[f"CW评议人{i}" for i in range(1, 10) if re.search(rf"CW评议人{i}(?!\d)", page)] for page in pages]
    assert [len(n) for n in names] == [8, 1] and all("本组为实名测评" in page for page in pages)


def test_every_page_of_a_paper_form_for_32_reporters_carries_form_number_group_and_page(tree):
    meeting, _cards = hall_with_ranking_groups(tree, towns=20, departments=12)
    group = meeting.campaign.evaluator_groups.get(code="DB")
    forms = services.paper_forms_issue(actor=None, meeting=meeting, group=group, count=2)
    content = pdf.paper_forms_pdf(meeting, forms)
    _keep(content, "meeting-paper-forms-32.pdf")
    pages = _pages(content)
    assert len(pages) == 2 * 3  # 12 reporters a page: no page spills onto an unlabelled one
    reporters = [p.org.name for p in meeting.campaign.participants.order_by("agenda_order", "pk")]
    for index, page in enumerate(pages):
        form, number = forms[index // 3], index % 3 + 1
        assert f"表号：{form.form_id}" in page and f"评议组：{group.name}" in page
        assert f"第 {number}/3 页" in page and page.count(form.form_id) >= 2  # in the header and under the QR
        assert "本表共 3 页" in page
        shown = [name for name in reporters if re.search(rf"\d+\. {name}（", page)]
        assert shown == reporters[(number - 1) * 12:number * 12]
    assert "32. 县直第12工委" in pages[2]


def test_paper_forms_are_issued_at_once_and_laid_out_by_a_background_job(client, tree, role_users):
    hall = build_hall(tree, per_group=1)
    group = hall.campaign.evaluator_groups.get(code="QZ")
    client.force_login(role_users["admin"])
    job_url = start_job(client, reverse("meetings:paper_issue", args=[hall.meeting.pk]), {"group": group.pk, "count": 3})
    forms = list(hall.meeting.paper_forms.filter(group=group))
    assert len(forms) == 3  # the forms exist (and can be entered) before their PDF is ready
    assert AuditEntry.objects.filter(action="meeting.paper_issue").count() == 1
    page = client.get(job_url).content.decode()
    assert f"生成纸质测评表：{group.name} 3 份" in page and "排队中" in page

    job = Job.objects.get()
    steps = []
    KINDS[job.kind](job, lambda done, total, step="": steps.append((done, total, step)))
    assert steps == [(i, 4, f"正在排版第 {i + 1}/3 份测评表（表号 {forms[i].form_id}）") for i in range(3)] + [
        (3, 4, "正在合并生成 PDF")]

    page = job_page_after_run(client, job_url)
    assert f"下载 纸质测评表-{group.name}.pdf" in page and 'href="/meetings/' in page
    content = b"".join(client.get(job_url + "download/").streaming_content)
    pages = _pages(content)
    assert [next(f.form_id for f in forms if f"表号：{f.form_id}" in p) for p in pages] == [f.form_id for f in forms]
    assert all(hall.participants[0].org.name in p for p in pages)
    assert AuditEntry.objects.filter(action="meeting.paper_issue").count() == 1  # the job issued nothing more


def test_reprinting_every_form_is_a_job_and_a_vanished_form_fails_in_chinese(client, tree, role_users):
    hall = build_hall(tree, per_group=1)
    cw, qz = (hall.campaign.evaluator_groups.get(code=code) for code in ("CW", "QZ"))
    for group in (cw, qz):
        services.paper_forms_issue(actor=None, meeting=hall.meeting, group=group, count=1)
    client.force_login(role_users["admin"])
    page, content = job_result(client, reverse("meetings:paper_print", args=[hall.meeting.pk]))
    assert "重新打印全部纸质测评表（2 份）" in page and "下载 纸质测评表-全部.pdf" in page
    text = "".join(_pages(content))
    assert f"评议组：{cw.name}" in text and f"评议组：{qz.name}" in text

    job_url = start_job(client, reverse("meetings:paper_print", args=[hall.meeting.pk]))
    hall.meeting.paper_forms.all().delete()
    page = job_page_after_run(client, job_url)
    assert "生成失败：这些纸质测评表已不存在" in page and "下载" not in page
