"""The evaluator's ballot path: who is voting (one query), what the card has cast (one query),
and casting (a handful of statements). Budget: ≤ 2 queries per page view and ≤ 6 per submit
(tests/meetings/test_query_budget.py), so a phone never waits on round trips.

The reporters and indicators of a campaign change rarely during a meeting; they are kept per
process for a few seconds (`layout`), and any save of a participant, indicator, org or person in
this process drops the copy at once.
"""

import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_delete, post_save
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, format_html_join

from shuping.campaigns.models import (
    Ballot,
    BallotScore,
    BallotSource,
    DemocraticChoice,
    Indicator,
    IndicatorKind,
)
from shuping.campaigns.models import Participant as ParticipantModel

from . import secrecy
from .models import BallotLayout, CredentialStatus, MeetingStatus, NamedBallot

LAYOUT_SECONDS = 5.0


def _prepared_cursor():
    """A cursor whose statements PostgreSQL plans once per connection.

    It binds parameters on the server, so psycopg prepares a statement after a few uses on a
    connection: planning the card lookup's four-table join cost ten times what running it did
    (issue 18). Only for statements whose plan cannot go wrong when the table's statistics are
    stale (lookups by a unique key, inserts); reads of ballots by slot and deletes stay on
    Django's cursor, planned with their actual values each time. Still a Django cursor: query
    logging and execute wrappers see these statements like any other."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    raw = ServerBindingCursor(connection.connection)
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


class BallotRejected(Exception):
    """A submission or entry that was not accepted; `missing`/`invalid` list indicator ids to highlight."""

    def __init__(self, message: str, *, missing=(), invalid=()):
        super().__init__(message)
        self.message = message
        self.missing = set(missing)
        self.invalid = set(invalid)


# ---- what is on the ballot -----------------------------------------------------------------


@dataclass(frozen=True)
class Reporter:
    pk: int
    org_name: str
    secretary_name: str
    presentation_label: str
    on_stage: bool
    list_html: str = ""  # name and secretary as the reporter list shows them, escaped once per layout


@dataclass(frozen=True)
class Item:
    """One scored indicator as the phone shows it, formatted once per layout (not per page view)."""

    pk: int
    key: str
    name: str
    kind_label: str
    bonus: bool
    max_text: str  # "10" or "2.5", for people
    max_attr: str  # "10.00", for the input's max
    guidance: str
    bands: list[tuple[str, str]]  # (band name, the score it fills in)
    head: str = ""  # label and 评分要点 as HTML: the same on every page view
    bands_html: str = ""  # the quick bands' radios (layout "quick")


@dataclass(frozen=True)
class Layout:
    reporters: list[Reporter]
    indicators: list[Indicator]
    by_pk: dict[int, Reporter]
    width: int  # the widest score text ("10.00"): every shown value is padded to it
    items: list[Item] = field(default_factory=list)


# Quick bands of the "quick" layout: a tap fills max × share (2 places, half up); the number stays
# editable, and a typed number always wins over a band.
BANDS = (("满分", Decimal("1.00")), ("良好", Decimal("0.85")), ("一般", Decimal("0.70")), ("较差", Decimal("0.55")))
BAND_SHARES = dict(BANDS)


def band_score(maximum: Decimal, band: str) -> Decimal:
    return (maximum * BAND_SHARES[band]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def apply_bands(indicators: list[Indicator], raw: dict[str, str], bands: dict[str, str]) -> dict[str, str]:
    """Form scores with the chosen bands filled in where no number was typed (works without JS:
    `bands` holds "b_<indicator id>" and "b_all" of the form)."""
    result = dict(raw)
    for indicator in indicators:
        key = str(indicator.pk)
        if (result.get(key) or "").strip():
            continue
        band = bands.get(f"b_{key}") or bands.get("b_all") or ""
        if band in BAND_SHARES:
            result[key] = f"{band_score(indicator.max_score, band):.2f}"
    return result


def _item_head(item: "Item") -> str:
    """An item's static HTML, escaped once here instead of by the template on every page view
    (template work was most of a ballot page's cost; issue 18)."""
    guidance = ""
    if item.guidance:
        guidance = format_html('<details class="small text-muted mb-1"><summary>评分要点</summary>{}</details>',
                               linebreaksbr(item.guidance, autoescape=True))
    return format_html(
        '<label class="form-label fw-bold mb-1" for="s_{}">{} <span class="badge {}">{}</span> '
        '<span class="text-muted small">满分 {}</span></label>{}',
        item.pk, item.name, "bg-info text-dark" if item.bonus else "bg-secondary", item.kind_label, item.max_text,
        guidance)


def _item_bands(item: "Item") -> str:
    radios = format_html_join("", '<label class="band"><input type="radio" name="b_{}" value="{}" data-score="{}"> {}</label>',
                              ((item.key, band, score, band) for band, score in item.bands))
    return format_html('<div class="band-row">{}</div>', radios)


def _plain(number: Decimal) -> str:
    text = f"{number:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


_layouts: dict[int, tuple[float, Layout]] = {}
_layouts_lock = threading.Lock()


def scored_indicators(campaign_id: int) -> list[Indicator]:
    return list(Indicator.objects.filter(campaign_id=campaign_id, kind__in=[IndicatorKind.REQUIRED, IndicatorKind.BONUS])
                .order_by("order", "code"))


def layout(campaign_id: int) -> Layout:
    now = time.monotonic()
    cached = _layouts.get(campaign_id)
    if cached and cached[0] > now:
        return cached[1]
    participants = (ParticipantModel.objects.filter(campaign_id=campaign_id).select_related("org", "secretary")
                    .order_by("agenda_order", "pk"))
    reporters = [Reporter(pk=p.pk, org_name=p.org.name, secretary_name=p.secretary.name if p.secretary else "",
                          presentation_label=p.get_presentation_display(), on_stage=p.presentation == "on_stage")
                 for p in participants]
    indicators = scored_indicators(campaign_id)
    width = max((len(f"{i.max_score:.2f}") for i in indicators), default=5)
    items = [Item(pk=i.pk, key=str(i.pk), name=i.name, kind_label=i.get_kind_display(), bonus=i.kind == IndicatorKind.BONUS,
                  max_text=_plain(i.max_score), max_attr=f"{i.max_score:.2f}", guidance=i.guidance,
                  bands=[(band, f"{band_score(i.max_score, band):.2f}") for band, _share in BANDS])
             for i in indicators]
    items = [replace(item, head=_item_head(item), bands_html=_item_bands(item)) for item in items]
    reporters = [replace(r, list_html=format_html('{}<span class="text-muted">（{}）</span>', r.org_name,
                                                  r.secretary_name or "—")) for r in reporters]
    result = Layout(reporters=reporters, indicators=indicators, by_pk={r.pk: r for r in reporters}, width=width,
                    items=items)
    with _layouts_lock:
        _layouts[campaign_id] = (now + LAYOUT_SECONDS, result)
    return result


def forget_layouts(**_kwargs) -> None:
    with _layouts_lock:
        _layouts.clear()


def connect_layout_signals() -> None:
    from shuping.orgs.models import Org, Person

    for model in (ParticipantModel, Indicator, Org, Person):
        post_save.connect(forget_layouts, sender=model, dispatch_uid=f"meetings-layout-save-{model.__name__}")
        post_delete.connect(forget_layouts, sender=model, dispatch_uid=f"meetings-layout-delete-{model.__name__}")


# ---- who is voting -------------------------------------------------------------------------


@dataclass
class Voter:
    """A card with what its pages need from credential, group, meeting and campaign (one row)."""

    credential_id: int
    number: str
    name: str
    status: str
    cast_count: int | None
    group_id: int
    group_name: str
    anonymous: bool
    meeting_id: int
    meeting_status: str
    ballot_key: str
    current_id: int | None
    rule_distinct_totals: bool
    rule_require_democratic: bool
    campaign_id: int
    campaign_title: str
    ballot_layout: str = BallotLayout.QUICK
    revealed: set[int] = field(default_factory=set)

    @property
    def democratic_only(self) -> bool:
        return self.ballot_layout == BallotLayout.DEMOCRATIC

    @property
    def is_test(self) -> bool:
        return self.meeting_status == MeetingStatus.TEST

    @property
    def closed(self) -> bool:
        return self.meeting_status == MeetingStatus.CLOSED

    def slot(self, participant_id: int) -> str:
        return secrecy.ballot_slot(self.ballot_key, secrecy.card_material(self.credential_id), participant_id)


_VOTER_SQL = """
SELECT c.id, c.number, c.name, c.status, c.cast_count, g.id, g.name, g.anonymous,
       m.id, m.status, m.ballot_key, m.current_id, m.rule_distinct_totals, m.rule_require_democratic,
       k.id, k.title, m.ballot_layout
FROM meetings_credential c
JOIN campaigns_evaluatorgroup g ON g.id = c.group_id
JOIN meetings_meeting m ON m.id = c.meeting_id
JOIN campaigns_campaign k ON k.id = m.campaign_id
WHERE c.{column} = %s
"""


def _voter(column: str, value, *, lock: bool = False) -> Voter | None:
    sql = _VOTER_SQL.format(column=column)
    if lock and connection.vendor == "postgresql":
        # Closing takes FOR UPDATE on the meeting row: it waits for ballots in flight, and every
        # later ballot sees "closed". FOR SHARE keeps ballots from queuing behind each other.
        sql += " FOR SHARE OF m"
    with _prepared_cursor() as cursor:
        cursor.execute(sql, [value])
        row = cursor.fetchone()
    if row is None:
        return None
    return Voter(*row[:7], bool(row[7]), *row[8:12], bool(row[12]), bool(row[13]), *row[14:])


def voter_for_device(device_secret: str, *, lock: bool = False) -> Voter | None:
    return _voter("device_hash", secrecy.sha256_hex(device_secret), lock=lock)


def voter_for_token(token: str) -> Voter | None:
    return _voter("token_hash", secrecy.sha256_hex(token))


def voter_for_credential(credential_id: int, *, lock: bool = False) -> Voter | None:
    return _voter("id", credential_id, lock=lock)


def refuse_unusable(voter: Voter | None) -> Voter:
    if voter is None:
        raise BallotRejected("评议凭证无效。请核对二维码或评议码，或向会务人员咨询。")
    if voter.status == CredentialStatus.REVOKED:
        raise BallotRejected("此评议卡已挂失作废，请使用会务人员补发的新评议卡。")
    return voter


# ---- what this card has cast ---------------------------------------------------------------


@dataclass
class Cast:
    ballot_id: object
    total: Decimal | None
    democratic: str
    scores: dict[int, Decimal] = field(default_factory=dict)


def _decimal(value) -> Decimal | None:
    """A stored amount as Decimal (SQLite hands raw cursors a float or int)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _uuid(value):
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def cast_so_far(voter: Voter, reporters: list[Reporter], *, scores_for=None) -> dict[int, Cast]:
    """{participant id: Cast} of this card, read from its slots in one query (none after close).

    `scores_for` limits the score rows read to these participants (None: all of them); a page
    shows at most one reporter's scores, and a submission needs none (issue 18)."""
    if voter.closed or not voter.ballot_key or not reporters:
        return {}
    slots = {voter.slot(r.pk): r.pk for r in reporters}
    wanted = list(slots) if scores_for is None else [s for s, pk in slots.items() if pk in scores_for]
    ballot, score = Ballot._meta.db_table, BallotScore._meta.db_table
    # By slot alone, not campaign and slot: a slot is unique on its own (Ballot.Meta), so the
    # planner probes its index whatever the statistics say; with the campaign in the condition it
    # chose the campaign's index while the statistics still described an empty table, and read
    # every ballot of the campaign (the campaign is checked below). Scores come in a second
    # branch that starts from the wanted slots: as a join condition of the first, they made
    # PostgreSQL hash every score row of the table.
    sql = (f"SELECT b.slot, b.campaign_id, b.id, b.total, b.democratic, NULL, NULL FROM {ballot} b "
           f"WHERE b.slot IN ({', '.join(['%s'] * len(slots))})")
    params = list(slots)
    if wanted:
        sql += (f" UNION ALL SELECT b.slot, b.campaign_id, b.id, NULL, NULL, s.indicator_id, s.score FROM {ballot} b "
                f"JOIN {score} s ON s.ballot_id = b.id WHERE b.slot IN ({', '.join(['%s'] * len(wanted))})")
        params += wanted
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    result: dict[int, Cast] = {}
    scores = []
    for slot, campaign_id, pk, total, democratic, indicator_id, value in rows:
        if campaign_id != voter.campaign_id:
            continue
        if indicator_id is not None:
            scores.append((slots[slot], indicator_id, value))
        else:
            result[slots[slot]] = Cast(ballot_id=_uuid(pk), total=_decimal(total), democratic=democratic)
    for participant_id, indicator_id, value in scores:
        result[participant_id].scores[indicator_id] = _decimal(value)
    return result


# ---- casting ---------------------------------------------------------------------------------


def parse_scores(indicators: list[Indicator], raw: dict[str, str]):
    from .services import parse_scores as shared

    return shared(indicators, raw)


def _validate(voter: Voter, lay: Layout, participant_id: int, raw_scores: dict, democratic: str):
    if voter.meeting_status == MeetingStatus.CLOSED:
        raise BallotRejected("会议已关闭，测评已结束，不能再提交或修改。")
    if voter.meeting_status == MeetingStatus.PREPARING:
        raise BallotRejected("测评尚未开始，请等待主持人宣布开始测评后再提交。")
    if participant_id not in lay.by_pk:
        raise BallotRejected("述职人不存在。")
    scores, missing, invalid = parse_scores(lay.indicators, raw_scores)
    if democratic and democratic not in DemocraticChoice.values:
        raise BallotRejected("民主测评选项无效。")
    if missing or invalid:
        parts = []
        if missing:
            parts.append(f"还有 {len(missing)} 项未打分")
        if invalid:
            parts.append(f"{len(invalid)} 项分数不在 0 到满分之间（最多两位小数）")
        raise BallotRejected("提交未成功：" + "，".join(parts) + "，请检查标红的项目。", missing=missing, invalid=invalid)
    if voter.rule_require_democratic and not democratic:
        raise BallotRejected("提交未成功：请选择民主测评等次（好/较好/一般/差）。", missing={"democratic"})
    return scores


def upsert_ballot(*, campaign_id: int, participant_id: int, group_id: int, slot: str, scores: dict[int, Decimal],
                  democratic: str, source: str, is_test: bool, known_id=None) -> tuple[object, bool]:
    """Insert the slot's ballot or replace the one there, in 2–3 statements.

    INSERT … ON CONFLICT DO UPDATE is atomic on both databases: two submissions of the same card
    for the same reporter leave one ballot (the later one), never two and never an error.
    `known_id` is the id the caller saw; when the row is new, no old scores need deleting.
    """
    total = sum(scores.values(), Decimal(0)) if scores else None
    table = Ballot._meta.db_table
    pk_field, total_field = Ballot._meta.pk, Ballot._meta.get_field("total")
    new_id = uuid.uuid4()
    sql = (f"INSERT INTO {table} (id, campaign_id, participant_id, group_id, slot, total, democratic, source, is_test) "
           "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (slot) DO UPDATE SET "
           "total = excluded.total, democratic = excluded.democratic, group_id = excluded.group_id, "
           "source = excluded.source, is_test = excluded.is_test RETURNING id")
    params = [pk_field.get_db_prep_value(new_id, connection), campaign_id, participant_id, group_id, slot,
              total_field.get_db_prep_save(total, connection), democratic, source, is_test]
    score_table, score_field = BallotScore._meta.db_table, BallotScore._meta.get_field("score")
    with _prepared_cursor() as cursor:
        cursor.execute(sql, params)
        ballot_id = _uuid(cursor.fetchone()[0])
    created = ballot_id == new_id
    stored_id = pk_field.get_db_prep_value(ballot_id, connection)
    if not created or known_id is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {score_table} WHERE ballot_id = %s", [stored_id])
    if scores:
        with _prepared_cursor() as cursor:
            # plain statements: the ORM's compilation of these two was a third of a submission's time
            cursor.execute(f"INSERT INTO {score_table} (ballot_id, indicator_id, score) VALUES "
                           + ", ".join(["(%s, %s, %s)"] * len(scores)),
                           [value for indicator_id, score in scores.items()
                            for value in (stored_id, indicator_id, score_field.get_db_prep_save(score, connection))])
    return ballot_id, created


@dataclass
class CastResult:
    ballot_id: object
    created: bool
    cast_ids: frozenset[int]  # the reporters this card has a ballot for, this one included


SAME_TOTALS = ("提交未成功：您给全部述职人打出了相同的总分，按本次会议规则此类测评无效。"
               "请根据各述职人的实际表现区分打分后重新提交。")


def ballot_cast(*, voter: Voter, participant_id: int, raw_scores: dict[str, str], democratic: str) -> CastResult:
    """Accept one card's ballot for one reporter, replacing its earlier one before close.

    Closing must wait for ballots in flight, and no ballot may land after it (closing counts each
    card's ballots, shuffles them and forgets the key). On PostgreSQL one statement reads the
    card's other ballots, applies the same-totals rule, stores the ballot, its scores and its
    named record, and takes FOR SHARE on the meeting row to check its status there
    (`_store_guarded`): two round trips per submission with the card lookup (issue 18). On
    SQLite the caller holds a write transaction (`submission()`), which closing cannot
    interleave with."""
    refuse_unusable(voter)
    lay = layout(voter.campaign_id)
    scores = _validate(voter, lay, participant_id, raw_scores, democratic)
    total = sum(scores.values(), Decimal(0))
    try:
        if connection.vendor == "postgresql":
            return _store_guarded(voter, lay, participant_id, scores, total, democratic)
        cast = cast_so_far(voter, lay.reporters, scores_for=())
        if _same_totals(voter, lay, {pk: c.total for pk, c in cast.items() if pk != participant_id}, total):
            raise BallotRejected(SAME_TOTALS)
        earlier = cast.get(participant_id)
        ballot_id, created = upsert_ballot(
            campaign_id=voter.campaign_id, participant_id=participant_id, group_id=voter.group_id,
            slot=voter.slot(participant_id), scores=scores, democratic=democratic, source=BallotSource.ONLINE,
            is_test=voter.is_test, known_id=earlier.ballot_id if earlier else None)
        if not voter.anonymous:
            NamedBallot.objects.bulk_create([NamedBallot(ballot_id=ballot_id, credential_id=voter.credential_id)],
                                            ignore_conflicts=True)
    except IntegrityError:
        # a reporter removed from the campaign during the last few seconds (the layout copy)
        raise BallotRejected("述职人不存在。") from None
    return CastResult(ballot_id=ballot_id, created=created, cast_ids=frozenset(cast) | {participant_id})


def _distinct_totals_apply(voter: Voter, lay: Layout) -> bool:
    """The meeting's rule: a card that gives every reporter the same total has its last ballot
    refused (with one reporter there is nothing to compare)."""
    return voter.rule_distinct_totals and len(lay.reporters) >= 2


def _same_totals(voter: Voter, lay: Layout, others: dict[int, Decimal | None], total: Decimal) -> bool:
    """`others`: the totals of the card's ballots for the other reporters (SQLite; on PostgreSQL
    `_store_guarded` applies the rule inside its statement)."""
    return (_distinct_totals_apply(voter, lay) and len(others) == len(lay.reporters) - 1
            and all(other == total for other in others.values()))


def _store_guarded(voter: Voter, lay: Layout, participant_id: int, scores: dict[int, Decimal], total: Decimal,
                   democratic: str) -> CastResult:
    """PostgreSQL: store one ballot in one statement, only while the meeting is as the voter saw it
    and the same-totals rule allows it.

    FOR SHARE on the meeting row makes closing (FOR UPDATE) wait for this statement, and a
    statement that waited behind a close re-reads the row, finds it closed and stores nothing.
    The card's other ballots are read by slot alone (`cast_so_far` says why); their campaign is
    compared as an expression, which no index serves, so no plan reads the campaign's ballots.
    Score rows of the indicators submitted are inserted or replaced. A replaced ballot's score
    rows of other indicators (the rubric changed in between) are deleted by a second statement,
    planned with its values: a generic plan made while the table was small scans every score."""
    ballot, score, named = Ballot._meta.db_table, BallotScore._meta.db_table, NamedBallot._meta.db_table
    others = {voter.slot(r.pk): r.pk for r in lay.reporters if r.pk != participant_id}
    rule = _distinct_totals_apply(voter, lay)
    new_id = uuid.uuid4()
    values = ", ".join(["(%s::integer, %s::numeric)"] * len(scores))
    named_part = ("" if voter.anonymous else
                  f", n AS (INSERT INTO {named} (ballot_id, credential_id) SELECT id, %s FROM b ON CONFLICT DO NOTHING)")
    sql = (
        f"WITH m AS (SELECT id FROM meetings_meeting WHERE id = %s AND status = %s FOR SHARE), "
        f"o AS MATERIALIZED (SELECT slot, total FROM {ballot} WHERE slot = ANY(%s::varchar[]) AND campaign_id + 0 = %s), "
        "same AS (SELECT %s::boolean AND count(*) = %s::integer AND bool_and(total IS NOT DISTINCT FROM %s::numeric) "
        "AS refused FROM o), "
        f"b AS (INSERT INTO {ballot} (id, campaign_id, participant_id, group_id, slot, total, democratic, source, is_test) "
        f"SELECT %s, %s, %s, %s, %s, %s, %s, %s, %s FROM m, same WHERE NOT coalesce(same.refused, false) "
        "ON CONFLICT (slot) DO UPDATE SET "
        "total = excluded.total, democratic = excluded.democratic, group_id = excluded.group_id, "
        "source = excluded.source, is_test = excluded.is_test RETURNING id), "
        f"s AS (INSERT INTO {score} (ballot_id, indicator_id, score) SELECT b.id, v.indicator, v.score "
        f"FROM b CROSS JOIN (VALUES {values}) AS v (indicator, score) "
        "ON CONFLICT (ballot_id, indicator_id) DO UPDATE SET score = excluded.score)"
        f"{named_part} SELECT (SELECT id FROM b), EXISTS (SELECT 1 FROM m), (SELECT refused FROM same), "
        "ARRAY(SELECT slot FROM o)")
    params = [voter.meeting_id, voter.meeting_status, list(others), voter.campaign_id, rule, len(others), total,
              new_id, voter.campaign_id, participant_id, voter.group_id, voter.slot(participant_id), total, democratic,
              BallotSource.ONLINE, voter.is_test]
    params += [value for indicator_id, value in scores.items() for value in (indicator_id, value)]
    if not voter.anonymous:
        params.append(voter.credential_id)
    with _prepared_cursor() as cursor:
        cursor.execute(sql, params)
        stored_id, meeting_unchanged, refused, cast_slots = cursor.fetchone()
    if stored_id is None:
        if meeting_unchanged and refused:
            raise BallotRejected(SAME_TOTALS)
        status = voter_for_credential(voter.credential_id)
        if status is not None and status.meeting_status == MeetingStatus.CLOSED:
            raise BallotRejected("会议已关闭，测评已结束，不能再提交或修改。")
        raise BallotRejected("测评状态刚刚发生变化（如测试结束、正式测评开始），本次提交未保存，请重新提交。")
    ballot_id = _uuid(stored_id)
    if ballot_id != new_id:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {score} WHERE ballot_id = %s AND NOT (indicator_id = ANY(%s))",
                           [ballot_id, list(scores)])
    return CastResult(ballot_id=ballot_id, created=ballot_id == new_id,
                      cast_ids=frozenset(others[slot] for slot in cast_slots) | {participant_id})


@contextmanager
def submission():
    """What a submission runs in: nothing extra on PostgreSQL (`_store_guarded` is one statement),
    a write transaction on SQLite, which serialises it with closing."""
    if connection.vendor == "postgresql":
        yield
    else:
        with transaction.atomic():
            yield


def cast_for_device(device_secret: str, **kwargs) -> CastResult:
    with submission():
        voter = voter_for_device(device_secret)
        return ballot_cast(voter=refuse_unusable(voter), **kwargs)


def cast_for_token(token: str, **kwargs) -> CastResult:
    """Cast with the card's token (demo, benchmarks' set-up and tests; phones use the cookie)."""
    with submission():
        return ballot_cast(voter=refuse_unusable(voter_for_token(token)), **kwargs)


# ---- the one-page 民主测评-only ballot ---------------------------------------------------------


def democratic_cast(*, voter: Voter, choices: dict[int, str]) -> dict[int, Cast]:
    """Accept one card's 民主测评 for every reporter at once (layout "democratic"), in one upsert.

    Every reporter needs a choice when the meeting requires 民主测评; otherwise the reporters left
    blank are skipped (an earlier choice for them stays). Same slots, same one-ballot-per-slot
    guarantee as `ballot_cast`; the ballots carry no scores (their total is empty)."""
    refuse_unusable(voter)
    lay = layout(voter.campaign_id)
    if voter.meeting_status == MeetingStatus.CLOSED:
        raise BallotRejected("会议已关闭，测评已结束，不能再提交或修改。")
    if voter.meeting_status == MeetingStatus.PREPARING:
        raise BallotRejected("测评尚未开始，请等待主持人宣布开始测评后再提交。")
    if any(choice and choice not in DemocraticChoice.values for choice in choices.values()):
        raise BallotRejected("民主测评选项无效。")
    missing = {r.pk for r in lay.reporters if not choices.get(r.pk)}
    if missing and (voter.rule_require_democratic or len(missing) == len(lay.reporters)):
        raise BallotRejected(f"提交未成功：还有 {len(missing)} 位述职人未选择民主测评等次，请检查标红的述职人。",
                             missing=missing)
    chosen = [(r.pk, choices[r.pk]) for r in lay.reporters if r.pk not in missing]
    table = Ballot._meta.db_table
    pk_field = Ballot._meta.pk
    rows, params = [], []
    for participant_id, choice in chosen:
        rows.append("(%s, %s, %s, %s, %s, NULL, %s, %s, %s)")
        params += [pk_field.get_db_prep_value(uuid.uuid4(), connection), voter.campaign_id, participant_id,
                   voter.group_id, voter.slot(participant_id), choice, BallotSource.ONLINE, voter.is_test]
    sql = (f"INSERT INTO {table} (id, campaign_id, participant_id, group_id, slot, total, democratic, source, is_test) "
           f"VALUES {', '.join(rows)} ON CONFLICT (slot) DO UPDATE SET "
           "total = excluded.total, democratic = excluded.democratic, group_id = excluded.group_id, "
           "source = excluded.source, is_test = excluded.is_test RETURNING id, participant_id")
    try:
        with _prepared_cursor() as cursor:
            cursor.execute(sql, params)
            stored = cursor.fetchall()
    except IntegrityError:
        raise BallotRejected("述职人不存在。") from None
    ids = {participant_id: ballot_id if isinstance(ballot_id, uuid.UUID) else uuid.UUID(str(ballot_id))
           for ballot_id, participant_id in stored}
    # a card that scored under another layout earlier: its replaced ballots keep no stale scores
    BallotScore.objects.filter(ballot_id__in=list(ids.values())).delete()
    if not voter.anonymous:
        NamedBallot.objects.bulk_create([NamedBallot(ballot_id=b, credential_id=voter.credential_id) for b in ids.values()],
                                        ignore_conflicts=True)
    return {pk: Cast(ballot_id=ids[pk], total=None, democratic=choice) for pk, choice in chosen}
