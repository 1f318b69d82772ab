"""Meeting rows of the role × URL × method → status matrix (see tests/permissions.py)."""

from types import SimpleNamespace

import pytest

from shuping.meetings import services

from ..builders import make_campaign
from ..permissions import check_case, expect, matrix_cases
from .conftest import build_hall

RUN_IN_A = expect(admin=200, outsider=404)
RUN_LIST = expect(admin=200, outsider=200)
PUBLIC = expect(default=200, anon=200)
START_IN_A = expect(admin=302, outsider=404)


def _m(f):
    return {"pk": f.hall.meeting.pk}


MATRIX = [
    ("meetings:list", None, "GET", RUN_LIST),
    ("meetings:create", lambda f: {"campaign_pk": f.spare.pk}, "GET", RUN_IN_A),
    ("meetings:detail", _m, "GET", RUN_IN_A),
    ("meetings:edit", _m, "GET", RUN_IN_A),
    ("meetings:edit", _m, "POST", expect(admin=302, outsider=404), {"place": "会议室"}),
    ("meetings:agenda", _m, "POST", expect(admin=302, outsider=404),
     lambda f: {"participant": f.hall.participants[0].pk, "action": "current"}),
    ("meetings:action", _m, "POST", expect(admin=302, outsider=404), {"action": "clear_test"}),
    ("meetings:credentials", _m, "GET", RUN_IN_A),
    ("meetings:issue", _m, "POST", RUN_IN_A, lambda f: {"group": f.group.pk, "count": 1}),
    ("meetings:reissue", lambda f: {"pk": f.hall.meeting.pk, "credential_pk": f.hall.cards["LD"][0].credential.pk},
     "POST", RUN_IN_A),
    ("meetings:group_void", lambda f: {"pk": f.hall.meeting.pk, "group_pk": f.group.pk}, "POST", RUN_IN_A),
    ("meetings:board", _m, "GET", RUN_IN_A),
    ("meetings:board_live", _m, "GET", RUN_IN_A),
    ("meetings:paper", _m, "GET", RUN_IN_A),
    # Issuing or reprinting paper forms starts a background job for the PDF and redirects to its page.
    ("meetings:paper_issue", _m, "POST", START_IN_A, lambda f: {"group": f.group.pk, "count": 1}),
    ("meetings:paper_print", _m, "POST", START_IN_A),
    ("meetings:paper_enter", lambda f: {"pk": f.hall.meeting.pk, "form_id": f.form.form_id}, "GET", RUN_IN_A),
    ("meetings:paper_resolve", lambda f: {"pk": f.hall.meeting.pk, "form_id": f.form.form_id}, "GET",
     expect(admin=302, outsider=404)),
    ("meetings:start", None, "GET", PUBLIC),
    ("meetings:start", None, "POST", expect(default=400, anon=400), {"code": "XXXX-XXXX"}),
    ("meetings:card_open", lambda f: {"token": f.hall.token()}, "GET", expect(default=302, anon=302)),
    # without the card's cookie the ballot pages refuse everyone alike (test_views covers the phone)
    ("meetings:ballot", None, "GET", expect(default=403, anon=403)),
    ("meetings:ballot_participant", lambda f: {"participant_pk": f.hall.participants[0].pk}, "GET",
     expect(default=403, anon=403)),
    ("meetings:ballot_participant", lambda f: {"participant_pk": f.hall.participants[0].pk},
     "POST", expect(default=403, anon=403), lambda f: {**{f"s_{k}": v for k, v in f.hall.scores().items()},
                                                       "democratic": "好"}),
]


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, url_name, kwargs, method, data, expected):
    check_case(client, crawl_fixtures(tree, role_users), role_users, url_name, kwargs, method, data, expected)


def crawl_fixtures(tree, role_users, monkeypatch=None, url_name=None):
    """The objects MATRIX rows read; the visible-text crawl (tests/outputs) builds them too."""
    hall = build_hall(tree, per_group=1)
    spare = make_campaign(tree, title="另一项考核（未建会议）")
    group = hall.campaign.evaluator_groups.get(code="QZ")
    form = services.paper_forms_issue(actor=None, meeting=hall.meeting, group=group, count=1)[0]
    return SimpleNamespace(hall=hall, spare=spare, group=group, form=form)
