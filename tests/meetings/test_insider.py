"""The insider (issue 11, docs/threat-model.md): after the meeting an adversary holds every table
(rowids included), every key file, every log line — Django's logging and an access log of every
request with time, address, status and size — and the text of every printed card. Each strategy
below tries to link a ballot to a card, and must do no better than chance.

Three meetings of 20 anonymous cards each are run through the real phone pages. Every ballot's
content is unique, so the test (not the adversary) knows which card cast which stored ballot and
can score the adversary's guesses.
"""

import hashlib
import hmac
import logging
import random
import statistics
import subprocess
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from shuping.audit.models import AuditEntry
from shuping.campaigns.models import Ballot, BallotScore
from shuping.campaigns.services import slot_for
from shuping.meetings import pdf, services
from shuping.meetings.models import Meeting, NamedBallot

from ..builders import make_campaign
from .conftest import advance

CARDS = 20
RUNS = 3


class LoggedClient(Client):
    """A phone on the meeting Wi-Fi; every request is written to the shared access log."""

    def __init__(self, address, access_log, clock):
        super().__init__(REMOTE_ADDR=address)
        self.address, self.access_log, self.clock = address, access_log, clock

    def request(self, **request):
        response = super().request(**request)
        path = request["PATH_INFO"] + (f"?{request['QUERY_STRING']}" if request.get("QUERY_STRING") else "")
        self.clock[0] += 1
        self.access_log.append({"ip": self.address, "time": self.clock[0], "method": request["REQUEST_METHOD"],
                                "path": path, "status": response.status_code, "size": len(response.content),
                                "line": f'{self.address} - - [t+{self.clock[0]}] "{request["REQUEST_METHOD"]} {path} '
                                        f'HTTP/1.1" {response.status_code} {len(response.content)}'})
        return response


@dataclass
class Run:
    campaign: object
    meeting: object
    cards: list
    participants: list
    indicators: list
    pdf_text: str
    access_log: list = field(default_factory=list)
    cast_order: list = field(default_factory=list)  # (card index, participant id, total) as accepted, in time order
    truth: dict = field(default_factory=dict)  # final total → card index


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "cards.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _meeting(tree, number, tmp_path, rng) -> Run:
    campaign = advance(make_campaign(tree, title=f"2026年度甲县述职评议考核（第{number}场）"))
    meeting = services.meeting_create(actor=None, campaign=campaign, place="会议室")
    group = campaign.evaluator_groups.get(code="QZ")
    cards = services.credentials_issue(actor=None, meeting=meeting, group=group, count=CARDS)
    text = _pdf_text(pdf.cards_pdf(meeting, cards, "http://10.1.1.1:8000"), tmp_path)
    services.meeting_open(actor=None, meeting=meeting)
    return Run(campaign=campaign, meeting=meeting, cards=cards, participants=list(campaign.participants.order_by("agenda_order")),
               indicators=services.scored_indicators(campaign), pdf_text=text)


def _vote(run: Run, rng: random.Random, clock) -> None:
    phones = [LoggedClient(f"10.1.{run.meeting.pk}.{10 + i}", run.access_log, clock) for i in range(CARDS)]
    for phone, card in zip(phones, run.cards, strict=True):
        phone.get(reverse("meetings:card_open", args=[card.token]), follow=True)
    jobs = [(i, p) for i in range(CARDS) for p in run.participants]
    jobs += rng.sample(jobs, 8)  # some evaluators change their mind: a replacement
    rng.shuffle(jobs)
    unique = iter(range(1, 10_000))
    for index, participant in jobs:
        phone = phones[index]
        url = reverse("meetings:ballot_participant", args=[participant.pk])
        phone.get(url)
        step = next(unique)
        scores = {f"s_{i.pk}": "1" for i in run.indicators}
        first = run.indicators[0]
        value = Decimal(1) + Decimal(step) / 100  # unique per submission: ground truth by content
        assert value <= first.max_score
        scores[f"s_{first.pk}"] = str(value)
        response = phone.post(url, {**scores, "democratic": rng.choice(["好", "较好", "一般", "差"])})
        assert response.status_code == 302, response.content.decode()[:300]
        total = value + len(run.indicators) - 1
        run.cast_order.append((index, participant.pk, total))
    last = {}
    for index, participant_id, total in run.cast_order:
        last[(index, participant_id)] = total
    run.truth = {total: index for (index, _p), total in last.items()}
    # every phone looks at its first reporter once more before the close
    for phone in phones:
        phone.get(reverse("meetings:ballot_participant", args=[run.participants[0].pk]))
    services.meeting_close(actor=None, meeting=run.meeting)
    for phone, card in zip(phones, run.cards, strict=True):  # after close, the same card link again
        body = phone.get(reverse("meetings:card_open", args=[card.token]), follow=True).content.decode()
        assert "已提交 2 位" in body
        for (index, _p), total in last.items():
            if run.cards[index] is card:
                assert f"{total - len(run.indicators) + 1:.2f}" not in body


# ---- what the adversary reads ----------------------------------------------------------------


def _dump_database() -> list[tuple[str, dict]]:
    rows = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for row in model._default_manager.values():
            rows.append((model._meta.label_lower, row))
    return rows


def _storage_order(table: str) -> list[str]:
    """Ballot ids in physical order: SQLite rowid, PostgreSQL ctid."""
    position = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {position}")
        return [str(row[0]).replace("-", "") for row in cursor.fetchall()]


def _key_files() -> list[str]:
    keys = [settings.SECRET_KEY]
    data_dir = Path(settings.DATA_DIR) if hasattr(settings, "DATA_DIR") else None
    if data_dir and data_dir.exists():
        keys += [p.read_text(errors="ignore").strip() for p in data_dir.glob("*key*") if p.is_file()]
    return keys


def _strings(rows) -> set[str]:
    found = set()
    for _label, row in rows:
        for value in row.values():
            if isinstance(value, str) and len(value) >= 16:
                found.add(value)
    return found


def _rank_guess(order_cast: list[int], order_stored: list[object]) -> list[int]:
    """The order attack: the k-th stored ballot of a reporter belongs to the k-th card that voted."""
    return order_cast[: len(order_stored)]


# ---- the test ----------------------------------------------------------------------------------


@pytest.fixture
def runs(tree, tmp_path, caplog):
    rng = random.Random(11)
    clock = [0]
    with caplog.at_level(logging.DEBUG):
        result = []
        for number in range(1, RUNS + 1):
            run = _meeting(tree, number, tmp_path, rng)
            _vote(run, rng, clock)
            result.append(run)
    return result, caplog.records


def test_the_insider_links_no_ballot_to_a_card(runs):
    """One test, two parts: the meetings are expensive to run (60 phones through real pages)."""
    runs, records = runs
    _no_secret_no_key_no_pointer(runs, records)
    _storage_order_says_nothing_about_cast_order(runs)


def _no_secret_no_key_no_pointer(runs, records):
    rows = _dump_database()
    strings = _strings(rows)
    keys = _key_files()
    log_text = "\n".join(record.getMessage() for record in records)
    access = [entry for run in runs for entry in run.access_log]
    access_text = "\n".join(entry["line"] for entry in access)
    slots = set(Ballot.objects.values_list("slot", flat=True))

    for run in runs:
        meeting = Meeting.objects.get(pk=run.meeting.pk)
        assert meeting.ballot_key == ""  # the key that made slots is gone
        tokens = [card.token for card in run.cards]
        codes = [card.code for card in run.cards]

        # 1. Secrets in logs: no token or code in Django's logging; a token once in the access log
        #    (the QR link's single request), a code never.
        for token, code in zip(tokens, codes, strict=True):
            assert token not in log_text and code not in log_text and code[4:] not in log_text
            assert sum(token in entry["path"] for entry in access) == 2  # opened before and after close
            assert code not in access_text
        for entry in access:
            if entry["path"].startswith("/m/k/"):
                assert entry["method"] == "GET" and entry["status"] == 302

        # 2. Recompute slots from anything held: key files, every long string in the database, the
        #    tokens and codes printed on the cards, with every material the code base ever used.
        pdf_text = run.pdf_text
        credentials = {c.credential.pk: c for c in run.cards}
        candidate_keys = [k.encode() for k in keys] + [s.encode() for s in strings]
        candidate_keys += [bytes.fromhex(s) for s in strings if len(s) == 64 and all(ch in "0123456789abcdef" for ch in s)]
        materials = []
        for pk, card in credentials.items():
            assert card.code[:4] in pdf_text.replace("-", "").replace("\n", "")
            materials += [card.token, f"c{pk}", str(pk), card.code, hashlib.sha256(card.token.encode()).hexdigest()]
        hits = 0
        for participant in run.participants:
            for material in materials:
                if slot_for(material, participant.pk) in slots:
                    hits += 1
                text = f"{material}|{participant.pk}".encode()
                for key in candidate_keys:
                    if hmac.new(key, text, hashlib.sha256).hexdigest() in slots:
                        hits += 1
        assert hits == 0

        # 3. Rows that point from cards or the audit log to ballots.
        ballot_ids = {str(pk).replace("-", "") for pk in Ballot.objects.filter(campaign=run.campaign).values_list("pk", flat=True)}
        assert not NamedBallot.objects.filter(credential__meeting=meeting).exists()
        for entry in AuditEntry.objects.all():
            text = f"{entry.object_id} {entry.before} {entry.after}".replace("-", "")
            assert not any(b in text for b in ballot_ids) and not any(s in text for s in slots)
        for _label, row in rows:
            flat = " ".join(str(v) for v in row.values()).replace("-", "")
            if _label not in ("campaigns.ballot", "campaigns.ballotscore"):
                assert not any(b in flat for b in ballot_ids), _label

        # 4. Card sheet: anonymous cards carry no names, and the print order is not the number order.
        names = {row["name"] for label, row in rows if label in ("orgs.person", "meetings.credential") and row.get("name")}
        assert not any(name in pdf_text for name in names)
        printed = [c.credential.number for c in sorted(run.cards, key=lambda c: pdf_text.index(c.credential.number))]
        assert printed != sorted(printed)

        # 5. Page sizes in the access log say nothing about scores: the last look of every phone at
        #    the same page (same progress) has one size, whatever was scored.
        final_looks = {}
        for entry in run.access_log:
            if entry["method"] == "GET" and entry["path"] == f"/m/b/{run.participants[0].pk}/":
                final_looks[entry["ip"]] = entry["size"]
        assert len(set(final_looks.values())) == 1, final_looks


def _storage_order_says_nothing_about_cast_order(runs):
    """Cast order is what an observer of the room or of the access log knows. The adversary matches
    it to the stored order (rowid/ctid, ids, score-row ids); over the runs that is chance."""
    correlations, hits, trials = {"rows": [], "ids": [], "score ids": []}, 0, 0
    stored = _storage_order(Ballot._meta.db_table)
    score_order = {}
    for ballot_id, score_id in BallotScore.objects.values_list("ballot_id", "pk"):
        key = str(ballot_id).replace("-", "")
        score_order[key] = min(score_order.get(key, score_id), score_id)
    for run in runs:
        totals = dict(Ballot.objects.filter(campaign=run.campaign).values_list("pk", "total"))
        totals = {str(pk).replace("-", ""): total for pk, total in totals.items()}
        for participant in run.participants:
            ids = [i for i in stored if i in totals and Ballot.objects.filter(pk=i, participant=participant).exists()]
            by_card = {run.truth[totals[i]]: i for i in ids}
            # last accepted submission of each card for this reporter, in time order
            last_time = {}
            for position, (index, participant_id, _total) in enumerate(run.cast_order):
                if participant_id == participant.pk:
                    last_time[index] = position
            cast_rank = sorted(last_time, key=last_time.get)
            for kind, order in (("rows", ids), ("ids", sorted(ids)), ("score ids", sorted(ids, key=score_order.get))):
                stored_rank = [run.truth[totals[i]] for i in order]
                position = {card: k for k, card in enumerate(stored_rank)}
                xs = [position[card] for card in cast_rank]
                correlations[kind].append(statistics.correlation(list(range(len(xs))), xs))
                guess = _rank_guess(cast_rank, order)
                hits += sum(1 for k, ballot_id in enumerate(order) if guess[k] == run.truth[totals[ballot_id]])
                trials += len(order)
            assert len(by_card) == CARDS
    # Unshuffled storage gives 1.0 in every sample of that order. Shuffled, one sample of 20 cards
    # has r ≈ 0 ± 0.23, so a single sample's maximum is a poor test (|r| > 0.75 came up by chance in
    # CI); the mean of each order's 6 samples is 0 ± 0.09, and a leak in any one order moves it to 1.
    for kind, values in correlations.items():
        assert abs(statistics.fmean(values)) < 0.5, (kind, values)
    chance = trials / CARDS
    assert hits < chance + 4 * (chance ** 0.5) + 2, (hits, chance)
