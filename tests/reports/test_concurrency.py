"""Two reviewers pressing 审核通过 on the same level at once: exactly one action lands."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from shuping.accounts.models import Role
from shuping.campaigns import services as campaign_services
from shuping.reports import services
from shuping.reports.documents import parse_editor_text
from shuping.reports.models import Report, ReviewAction

from ..builders import make_campaign, make_user
from .conftest import REPORT_V1, approve


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_of_one_level_advance_it_once(tree, role_users):
    campaign = make_campaign(tree)
    campaign_services.campaign_transition(actor=None, campaign=campaign, to_state="writing")
    participant = campaign.participants.get(org=tree.town_a1)
    services.report_save(actor=role_users["reporter"], participant=participant, source="editor",
                         blocks=parse_editor_text(REPORT_V1))
    services.report_submit(actor=role_users["reporter"], participant=participant)
    reviewers = [role_users["reviewer"]] + [make_user(f"r{i}", Role.REVIEWER, tree.county_a) for i in range(5)]
    barrier = threading.Barrier(len(reviewers))
    outcomes, errors = [], []

    def worker(user):
        try:
            barrier.wait()
            approve(participant, user, 1)
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(user,)) for user in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert outcomes.count("ok") == 1
    assert all("第2级" in o for o in outcomes if o != "ok")
    assert Report.objects.get(participant=participant).current_level == 2
    assert ReviewAction.objects.filter(decision="approve").count() == 1
