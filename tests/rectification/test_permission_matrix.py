"""Role × URL × method → status for every rectification URL (see tests/permissions.py)."""

import random
from functools import cached_property

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuping.rectification import excel, services
from tests.builders import make_campaign

from ..permissions import check_case, expect, matrix_cases
from .conftest import PNG, new_problem, planned

VIEWERS = {"admin": 200, "reviewer": 200, "reporter": 200, "leader": 200, "inspector": 200}
VIEW_ANY = expect(**VIEWERS, outsider=200)
VIEW_IN_A = expect(**VIEWERS, outsider=404)
MANAGE_ANY = expect(admin=200, outsider=200)
MANAGE_IN_A = expect(admin=200, outsider=404)
MANAGE_POST_IN_A = expect(admin=302, outsider=404)
UPDATE_POST = expect(reporter=302)
VERIFY_POST_IN_A = expect(admin=302, inspector=302, outsider=404)
CRITIQUE_POST_IN_A = expect(admin=302, leader=302, outsider=404)
START_ANY = expect(**dict.fromkeys(VIEWERS, 302), outsider=302)
START_IN_A = expect(**dict.fromkeys(VIEWERS, 302), outsider=404)


class Fixtures:
    """Objects are built on first use: each row pays only for what it touches."""

    def __init__(self, tree):
        self.tree = tree

    @cached_property
    def problem(self):
        return new_problem(self.tree.town_a1)

    @cached_property
    def other(self):
        return new_problem(self.tree.town_a2, "部分村党组织活动场所面积小、设施简陋")

    @cached_property
    def rect(self):
        rect = planned(self.problem)
        services.progress_add(actor=None, rectification=rect, text="已整改", files=[SimpleUploadedFile("a.png", PNG)])
        return rect

    @cached_property
    def evidence(self):
        return self.rect.progress.get().evidence.get()

    @cached_property
    def common(self):
        return services.common_problem_create(actor=None, organiser=self.tree.county_a, title="共性问题",
                                              problems=[self.problem, self.other])

    @cached_property
    def spot(self):
        closed = planned(new_problem(self.tree.town_a2, "三会一课记录不规范"))
        services.progress_add(actor=None, rectification=closed, text="完成")
        services.rectification_apply_close(actor=None, rectification=closed)
        services.rectification_verify(actor=None, rectification=closed, approve=True)
        return services.spot_check_create(actor=None, org=self.tree.county_a, percent=100, rng=random.Random(3))

    @cached_property
    def spot_item(self):
        return self.spot.items.get()

    @property
    def upload(self):
        return SimpleUploadedFile("问题清单.xlsx", excel.template_workbook())

    @cached_property
    def campaign(self):
        previous = make_campaign(self.tree, title="2025年度", year=2025)
        return make_campaign(self.tree, previous=previous)

    @cached_property
    def participant(self):
        participant = self.campaign.participants.get(org=self.tree.town_a1)
        services.critique_save(actor=None, participant=participant, strengths="亮点", problems="", suggestions="")
        return participant


MATRIX = [
    ("rectification:problems", None, "GET", VIEW_ANY),
    ("rectification:problem_create", None, "GET", MANAGE_ANY),
    ("rectification:problem_create", None, "POST", expect(admin=302, outsider=200),
     lambda f: {"org": f.tree.town_a1.pk, "description": "新问题", "category": "其他", "severity": "一般",
                "source": "self", "found_on": "2026-03-01"}),
    ("rectification:problem_import", None, "GET", MANAGE_ANY),
    # The upload starts an import job (its rows are checked against the importer's scope when it runs).
    ("rectification:problem_import", None, "POST", expect(admin=302, outsider=302), lambda f: {"file": f.upload}),
    ("rectification:problem_template", None, "GET", MANAGE_ANY),
    # The exports start a job (POST) and redirect to its page; the job checks the scope again.
    ("rectification:export_xlsx", None, "POST", START_ANY),
    ("rectification:export_docx", None, "POST", START_ANY),
    ("rectification:problem", lambda f: {"pk": f.problem.pk}, "GET", VIEW_IN_A),
    ("rectification:problem_edit", lambda f: {"pk": f.problem.pk}, "GET", MANAGE_IN_A),
    ("rectification:plan", lambda f: {"pk": f.rect.pk}, "POST", MANAGE_POST_IN_A,
     {"measures": "措施", "deadline": "2026-12-31"}),
    ("rectification:progress", lambda f: {"pk": f.rect.pk}, "POST", UPDATE_POST, {"text": "进展"}),
    ("rectification:apply", lambda f: {"pk": f.rect.pk}, "POST", UPDATE_POST),
    ("rectification:verify", lambda f: {"pk": f.rect.pk}, "POST", VERIFY_POST_IN_A, {"decision": "approve"}),
    ("rectification:reopen", lambda f: {"pk": f.rect.pk}, "POST", VERIFY_POST_IN_A, {"reason": "复查"}),
    ("rectification:evidence", lambda f: {"pk": f.evidence.pk}, "GET", VIEW_IN_A),
    ("rectification:overdue", None, "GET", VIEW_ANY),
    ("rectification:reminders", None, "GET", VIEW_ANY),
    ("rectification:common", None, "GET", VIEW_ANY),
    ("rectification:common_create", None, "POST", expect(admin=302, outsider=302),
     lambda f: {"title": "共性", "category": "其他", "organiser": f.tree.county_a.pk,
                "problems": f"{f.problem.pk},{f.other.pk}"}),
    ("rectification:common_detail", lambda f: {"pk": f.common.pk}, "GET", VIEW_IN_A),
    ("rectification:spot_checks", None, "GET", expect(admin=200, inspector=200, outsider=200)),
    ("rectification:spot_check", lambda f: {"pk": f.spot.pk}, "GET", expect(admin=200, inspector=200, outsider=404)),
    ("rectification:spot_check_record", lambda f: {"pk": f.spot_item.pk}, "POST", VERIFY_POST_IN_A, {"passed": "1"}),
    ("rectification:critique_campaigns", None, "GET", VIEW_ANY),
    ("rectification:critique_campaign", lambda f: {"pk": f.campaign.pk}, "GET", VIEW_IN_A),
    ("rectification:critique_campaign_docx", lambda f: {"pk": f.campaign.pk}, "POST", START_IN_A),
    ("rectification:carry_over", lambda f: {"pk": f.campaign.pk}, "POST", MANAGE_POST_IN_A),
    ("rectification:critique", lambda f: {"pk": f.participant.pk}, "GET", VIEW_IN_A),
    ("rectification:critique_save", lambda f: {"pk": f.participant.pk}, "POST", CRITIQUE_POST_IN_A,
     {"strengths": "亮点", "problems": "", "suggestions": ""}),
    ("rectification:critique_docx", lambda f: {"pk": f.participant.pk}, "GET", VIEW_IN_A),
]


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, url_name, kwargs, method, data, expected):
    check_case(client, crawl_fixtures(tree, role_users), role_users, url_name, kwargs, method, data, expected)


def crawl_fixtures(tree, role_users, monkeypatch=None, url_name=None):
    """The objects MATRIX rows read; the visible-text crawl (tests/outputs) builds them too."""
    return Fixtures(tree)
