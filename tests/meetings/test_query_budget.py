"""The ballot path's round trips cannot creep back (issue 18 goal, set by the secrecy rewrite):
≤ 2 queries per page view, ≤ 6 per submission, the card loaded once per request; and none of the
card's reads can turn into a scan of the ballot table, whatever PostgreSQL's statistics say."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuping.campaigns.models import Ballot

from .conftest import build_hall, hall_with_ranking_groups, open_card


def _post(hall, value):
    data = {f"s_{k}": v for k, v in hall.scores(value).items()}
    data["democratic"] = "好"
    return data


def _measure(client, method, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code in (200, 302), response.content.decode()[:300]
    # SAVEPOINT/RELEASE appear only because the test itself runs inside a transaction; served for
    # real, the view's atomic block is a plain BEGIN/COMMIT, which Django does not capture either
    return [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]


@pytest.mark.parametrize("named", [False, True], ids=["anonymous", "named"])
def test_ballot_get_and_post_stay_within_their_query_budget(client, tree, named):
    hall = build_hall(tree, named_group="CW" if named else None)
    open_card(client, hall.token("CW"))
    first, second = hall.participants
    client.get(reverse("meetings:ballot"))  # the reporters and indicators are now cached in this process
    page = _measure(client, "GET", reverse("meetings:ballot"))
    assert len(page) <= 2, page
    url = reverse("meetings:ballot_participant", args=[first.pk])
    # PostgreSQL: the card, then one guarded statement that also reads the card's other ballots
    # (no BEGIN/COMMIT); a replacement also clears score rows of indicators no longer on the rubric
    postgresql = connection.vendor == "postgresql"
    new = _measure(client, "POST", url, _post(hall, "5"))
    assert len(new) <= (2 if postgresql else 6), new
    replace = _measure(client, "POST", url, _post(hall, "4"))
    assert len(replace) <= (3 if postgresql else 6), replace
    page = _measure(client, "GET", reverse("meetings:ballot_participant", args=[second.pk]))
    assert len(page) <= 2, page
    credential_reads = [q for q in new + replace if "meetings_credential" in q]
    assert len(credential_reads) == 2  # once per request
    assert Ballot.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_card_lookup_and_ballot_inserts_are_planned_once_per_connection(client, tree):
    """Planning the card lookup cost PostgreSQL ten times what running it did: after a few
    ballots on one connection, the lookup and the inserts run as prepared statements."""
    hall = build_hall(tree)
    open_card(client, hall.token("CW"))
    statuses = set()
    for round_ in range(6):
        for index, participant in enumerate(hall.participants):
            url = reverse("meetings:ballot_participant", args=[participant.pk])
            statuses.add(client.get(url).status_code)
            statuses.add(client.post(url, _post(hall, f"0.{index + 1}{round_ % 2}")).status_code)
    assert statuses == {200, 302}
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("FROM meetings_credential c" in sql for sql in prepared), prepared
    assert any(f"INSERT INTO {Ballot._meta.db_table} " in sql for sql in prepared), prepared
    # the page's read by slot stays planned with its values (the submission's read is part of the
    # guarded statement: test_no_read_of_a_card_scans_the_ballot_table checks its generic plan)
    assert not any("b.slot IN" in sql for sql in prepared), prepared


def _forget_statistics(table: str) -> None:
    """The ballot table as a meeting's first minutes see it: rows written, none counted yet by
    autovacuum. Only inside the test's transaction, which rolls it back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("needs a PostgreSQL superuser to forget a table's statistics")
        cursor.execute("DELETE FROM pg_statistic WHERE starelid = %s::regclass", [table])
        cursor.execute("UPDATE pg_class SET reltuples = 0, relpages = 0 WHERE oid = %s::regclass", [table])


def _plan(sql: str, params, *, generic: bool) -> str:
    from django.db.backends.postgresql.base import ServerBindingCursor

    with ServerBindingCursor(connection.connection) as cursor:
        cursor.execute(f"SET LOCAL plan_cache_mode = {'force_generic_plan' if generic else 'auto'}")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_no_read_of_a_card_scans_the_ballot_table(tree, monkeypatch):
    """15 reporters, 2,000 ballots written and no statistics yet: the page's read of the card's
    slots and the submission's guarded statement (as the generic plan a long-lived connection
    keeps) probe the slot index. Before, both read every ballot of the table on each request, so
    each ballot of a meeting cost more than the one before it (PostgreSQL's default
    random_page_cost of 4 still chooses the scan here)."""
    import uuid

    from shuping.campaigns.models import BallotSource
    from shuping.meetings import voting

    meeting, cards = hall_with_ranking_groups(tree, towns=10, departments=5, cards=1)
    campaign = meeting.campaign
    participants = list(campaign.participants.order_by("agenda_order"))
    group = campaign.evaluator_groups.get(code="QZ")
    Ballot.objects.bulk_create([
        Ballot(id=uuid.uuid4(), campaign=campaign, participant=participants[n % len(participants)], group=group,
               slot=uuid.uuid4().hex, total=n % 50, source=BallotSource.ONLINE) for n in range(2000)])
    _forget_statistics(Ballot._meta.db_table)
    voter = voting.voter_for_token(cards[0].token)
    lay = voting.layout(voter.campaign_id)
    with CaptureQueriesContext(connection) as page:
        voting.cast_so_far(voter, lay.reporters, scores_for={participants[0].pk})
    plan = _plan(page.captured_queries[0]["sql"], None, generic=False)
    assert "unique_ballot_slot" in plan and "Seq Scan on campaigns_ballot" not in plan, plan

    statements = []
    real_cursor = voting._prepared_cursor

    class Recorder:
        def __init__(self):
            self.cursor = real_cursor()

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.cursor.close()

        def execute(self, sql, params):
            statements.append((sql, params))
            return self.cursor.execute(sql, params)

        def fetchone(self):
            return self.cursor.fetchone()

    scores = {indicator.pk: indicator.max_score for indicator in lay.indicators}
    monkeypatch.setattr(voting, "_prepared_cursor", Recorder)
    voting.ballot_cast(voter=voter, participant_id=participants[1].pk, democratic="好",
                       raw_scores={str(pk): str(value) for pk, value in scores.items()})
    guarded = [(sql, params) for sql, params in statements if sql.startswith("WITH m AS")]
    assert len(guarded) == 1
    sql, params = guarded[0]
    plan = _plan(sql, params, generic=True)
    assert "unique_ballot_slot" in plan and "Seq Scan on campaigns_ballot" not in plan, plan
