"""Writes for campaigns: the state machine, configuration, and publishing frozen results.

Every transition is one function here with its guards, and every change is audited.
"""

import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max

from shuping.audit.services import log_action, snapshot
from shuping.clock import now
from shuping.scoring.tally import (
    ParticipantInput,
    TallyConfig,
    results_to_dicts,
)
from shuping.scoring.tally import (
    ParticipantResult as EngineResult,
)
from shuping.scoring.tally import tally as run_engine

from .models import (
    Ballot,
    Campaign,
    CampaignKind,
    CampaignState,
    EvaluatorGroup,
    Indicator,
    Participant,
    ParticipantKind,
    ParticipantResult,
    Presentation,
    RankingGroup,
    ResultVersion,
    ResultVisibility,
    RubricTemplate,
)
from .rubric_defaults import SPECIAL_RUBRIC

S = CampaignState

# Forward steps and the one allowed step back before publication.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.WRITING): "启动报告撰写",
    (S.WRITING, S.REVIEW): "进入审核",
    (S.REVIEW, S.MEETING): "进入述职评议会",
    (S.MEETING, S.SCORING): "进入计分",
    (S.SCORING, S.PUBLISHED): "发布结果",
    (S.PUBLISHED, S.ARCHIVED): "归档",
    (S.WRITING, S.DRAFT): "退回草稿",
    (S.REVIEW, S.WRITING): "退回报告撰写",
    (S.MEETING, S.REVIEW): "退回审核",
    (S.SCORING, S.MEETING): "退回会议",
}

# Other apps add guards (e.g. the meeting must be closed before scoring); each returns
# a list of Chinese reasons why the transition may not happen yet.
TRANSITION_GUARDS: dict[tuple[str, str], list[Callable[[Campaign], list[str]]]] = {}


# Other apps act on a fresh publication or correction (e.g. result-use proposals):
# each is called as hook(actor=, campaign=, version=) inside the publishing transaction.
AFTER_PUBLISH: list[Callable] = []


class CampaignError(ValidationError):
    pass


def _guard_ready_to_start(campaign: Campaign) -> list[str]:
    reasons = []
    if not campaign.participants.exists():
        reasons.append("尚未确定述职人")
    if not campaign.indicators.exists():
        reasons.append("尚未设置评分指标")
    if not campaign.evaluator_groups.exists():
        reasons.append("尚未设置评议组")
    total = campaign.weight_meeting + campaign.weight_democratic + campaign.weight_routine
    if total <= 0:
        reasons.append("综合评定权重之和必须大于 0")
    return reasons


TRANSITION_GUARDS.setdefault((S.DRAFT, S.WRITING), []).append(_guard_ready_to_start)


def allowed_transitions(campaign: Campaign) -> list[tuple[str, str]]:
    """(target state, button label) pairs from the current state; publishing has its own service."""
    return [
        (target, label)
        for (source, target), label in TRANSITIONS.items()
        if source == campaign.state and target != S.PUBLISHED
    ]


@transaction.atomic
def campaign_transition(*, actor, campaign: Campaign, to_state: str) -> Campaign:
    # Lock the row: two organisers pressing buttons at once must not both pass the guards.
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    key = (campaign.state, to_state)
    if key not in TRANSITIONS:
        raise CampaignError(
            f"不能从“{S(campaign.state).label}”转到“{S(to_state).label}”"
        )
    if to_state == S.PUBLISHED:
        raise CampaignError("发布结果请使用“发布”功能")
    reasons = [reason for guard in TRANSITION_GUARDS.get(key, []) for reason in guard(campaign)]
    if reasons:
        raise CampaignError("；".join(reasons))
    before = campaign.state
    campaign.state = to_state
    campaign.save(update_fields=["state"])
    log_action("campaign.transition", actor=actor, obj=campaign, org=campaign.organiser,
               before={"state": before}, after={"state": to_state})
    return campaign


def _require_editable(campaign: Campaign, *, config: bool = False) -> Campaign:
    """Re-read the campaign under a row lock: a stale copy must not slip past a publish."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.is_frozen:
        raise CampaignError("结果已发布，考核内容不能再修改；如需更正请发布更正版本")
    if config and not campaign.config_editable:
        raise CampaignError("述职评议会开始后不能再修改指标、评议组和计分规则")
    return campaign


CONFIG_FIELDS = [
    "title", "year", "kind", "weight_meeting", "weight_democratic", "weight_routine", "trim_min",
    "threshold_good", "threshold_fair", "threshold_average", "quota_good", "quota_fair", "veto_grade",
    "bonus_cap", "value_good", "value_fair", "value_average", "value_poor", "previous",
    "default_presentation",
]


def _validate_config(campaign: Campaign) -> None:
    if not campaign.threshold_good > campaign.threshold_fair > campaign.threshold_average:
        raise CampaignError("等次分数线应满足：好 > 较好 > 一般")
    if campaign.weight_meeting + campaign.weight_democratic + campaign.weight_routine <= 0:
        raise CampaignError("综合评定权重之和必须大于 0")


@transaction.atomic
def campaign_create(*, actor, organiser, title: str, year: int, template: RubricTemplate | None = None,
                    default_groups: bool = True, special_rubric: bool = True, **fields) -> Campaign:
    special = fields.get("kind") == CampaignKind.SPECIAL
    if special:
        # 专项述职 defaults: written reports, and the light rubric unless a template is chosen.
        fields.setdefault("default_presentation", Presentation.WRITTEN)
    campaign = Campaign(organiser=organiser, title=title, year=year, created_by=actor if getattr(actor, "pk", None) else None, **fields)
    campaign.full_clean()
    _validate_config(campaign)
    campaign.save()
    if template is not None:
        rubric_apply_template(actor=actor, campaign=campaign, template=template)
    elif special and special_rubric:
        for order, (code, name, kind, maximum, topic, guidance) in enumerate(SPECIAL_RUBRIC, start=1):
            Indicator.objects.create(campaign=campaign, code=code, name=name, kind=kind, max_score=maximum,
                                     topic=topic, guidance=guidance, order=order)
    if default_groups:
        for order, (code, name, weight) in enumerate(DEFAULT_EVALUATOR_GROUPS):
            EvaluatorGroup.objects.create(campaign=campaign, code=code, name=name, weight=weight, order=order)
    log_action("campaign.create", actor=actor, obj=campaign, org=organiser, after=snapshot(campaign))
    return campaign


DEFAULT_EVALUATOR_GROUPS = [
    ("CW", "县委常委", Decimal("40")),
    ("LD", "党建领导小组成员单位", Decimal("30")),
    ("DB", "党代表", Decimal("20")),
    ("QZ", "群众代表", Decimal("10")),
]


@transaction.atomic
def campaign_configure(*, actor, campaign: Campaign, **fields) -> Campaign:
    scoring_fields = set(fields) - {"title"}
    campaign = _require_editable(campaign, config=bool(scoring_fields))
    before = snapshot(campaign, CONFIG_FIELDS)
    for name, value in fields.items():
        if name not in CONFIG_FIELDS:
            raise ValueError(f"unknown campaign field {name}")
        setattr(campaign, name, value)
    campaign.full_clean()
    _validate_config(campaign)
    after = snapshot(campaign, CONFIG_FIELDS)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        campaign.save()
        log_action("campaign.configure", actor=actor, obj=campaign, org=campaign.organiser,
                   before={k: before[k] for k in changed}, after=changed)
    return campaign


@transaction.atomic
def rubric_apply_template(*, actor, campaign: Campaign, template: RubricTemplate) -> int:
    """Copy a template's indicators into the campaign, replacing indicators with the same code."""
    _require_editable(campaign, config=True)
    count = 0
    for item in template.indicators.all():
        Indicator.objects.update_or_create(
            campaign=campaign, code=item.code,
            defaults={f: getattr(item, f) for f in ("name", "guidance", "max_score", "kind", "topic", "order")},
        )
        count += 1
    log_action("rubric.apply_template", actor=actor, obj=campaign, org=campaign.organiser,
               after={"template": template.name, "indicators": count})
    return count


@transaction.atomic
def indicator_save(*, actor, campaign: Campaign, indicator: Indicator | None = None, **fields) -> Indicator:
    _require_editable(campaign, config=True)
    before = snapshot(indicator) if indicator else None
    indicator = indicator or Indicator(campaign=campaign)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    log_action("rubric.indicator_save", actor=actor, obj=indicator, org=campaign.organiser,
               before=before, after=snapshot(indicator))
    return indicator


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator) -> None:
    campaign = indicator.campaign
    _require_editable(campaign, config=True)
    before = snapshot(indicator)
    indicator.delete()
    log_action("rubric.indicator_delete", actor=actor, object_type="campaigns.indicator",
               object_id=before["id"], label=f"{before['code']} {before['name']}", org=campaign.organiser, before=before)


@transaction.atomic
def evaluator_group_save(*, actor, campaign: Campaign, group: EvaluatorGroup | None = None, **fields) -> EvaluatorGroup:
    _require_editable(campaign, config=True)
    before = snapshot(group) if group else None
    group = group or EvaluatorGroup(campaign=campaign)
    for name, value in fields.items():
        setattr(group, name, value)
    group.full_clean()
    group.save()
    log_action("campaign.group_save", actor=actor, obj=group, org=campaign.organiser, before=before, after=snapshot(group))
    return group


@transaction.atomic
def participant_add(*, actor, campaign: Campaign, org, ranking_group_name: str, agenda_order: int | None = None,
                    **fields) -> Participant:
    _require_editable(campaign)
    if not org.is_within(campaign.organiser):
        raise CampaignError(f"“{org.name}”不在{campaign.organiser.name}的管辖范围内")
    group, _ = RankingGroup.objects.get_or_create(
        campaign=campaign, name=ranking_group_name,
        defaults={"order": RankingGroup.objects.filter(campaign=campaign).count()},
    )
    if agenda_order is None:
        agenda_order = (campaign.participants.aggregate(m=Max("agenda_order"))["m"] or 0) + 1
    if "presentation" not in fields and not Participant.objects.filter(campaign=campaign, org=org).exists():
        fields["presentation"] = campaign.default_presentation
    participant, created = Participant.objects.update_or_create(
        campaign=campaign, org=org,
        defaults={"ranking_group": group, "agenda_order": agenda_order,
                  "secretary": fields.pop("secretary", org.secretary), **fields},
    )
    log_action("campaign.participant_add" if created else "campaign.participant_update", actor=actor,
               obj=participant, org=org, after=snapshot(participant))
    return participant


PARTICIPANT_SCORE_FIELDS = ["routine_score", "bonus", "deduction", "vetoed", "veto_reason",
                            "agenda_order", "presentation", "secretary", "ranking_group"]


@transaction.atomic
def participant_update(*, actor, participant: Participant, **fields) -> Participant:
    _require_editable(participant.campaign)
    participant = Participant.objects.get(pk=participant.pk)
    before = snapshot(participant, PARTICIPANT_SCORE_FIELDS)
    for name, value in fields.items():
        if name not in PARTICIPANT_SCORE_FIELDS:
            raise ValueError(f"unknown participant field {name}")
        setattr(participant, name, value)
    if participant.vetoed and not participant.veto_reason:
        raise CampaignError("一票否决必须填写事由")
    participant.full_clean()
    after = snapshot(participant, PARTICIPANT_SCORE_FIELDS)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        participant.save()
        log_action("campaign.participant_update", actor=actor, obj=participant, org=participant.org,
                   before={k: before[k] for k in changed}, after=changed)
    return participant


@transaction.atomic
def participant_remove(*, actor, participant: Participant) -> None:
    campaign = participant.campaign
    _require_editable(campaign, config=True)
    if participant.ballots.exists():
        raise CampaignError("该述职人已有测评票，不能移除")
    # The unit's 班子成员 written 述职 go with it, unless one of them was already written.
    members = list(Participant.every.filter(campaign=campaign, org=participant.org_id, kind=ParticipantKind.MEMBER))
    if any(m.report_versions_exist() for m in members):
        raise CampaignError("该单位班子成员已撰写书面述职，不能移除")
    before = snapshot(participant)
    for member in members:
        member.delete()
    participant.delete()
    log_action("campaign.participant_remove", actor=actor, object_type="campaigns.participant",
               object_id=before["id"], org=campaign.organiser, before=before)


# ---- tally -------------------------------------------------------------------------------


def tally_config(campaign: Campaign) -> TallyConfig:
    groups = {g.code: g.weight for g in campaign.evaluator_groups.all()}
    quotas = {}
    if campaign.quota_good is not None:
        quotas["好"] = campaign.quota_good / 100
    if campaign.quota_fair is not None:
        quotas["较好"] = campaign.quota_fair / 100
    return TallyConfig(
        groups=groups,
        trim_min=campaign.trim_min,
        democratic_values={"好": campaign.value_good, "较好": campaign.value_fair,
                           "一般": campaign.value_average, "差": campaign.value_poor},
        weight_meeting=campaign.weight_meeting,
        weight_democratic=campaign.weight_democratic,
        weight_routine=campaign.weight_routine,
        grade_thresholds={"好": campaign.threshold_good, "较好": campaign.threshold_fair,
                          "一般": campaign.threshold_average},
        grade_quotas=quotas,
        veto_cap=campaign.veto_grade,
        bonus_cap=campaign.bonus_cap,
    )


# Extra inputs other apps contribute to the composite (e.g. routine scores, linkage indicators):
# each receives the campaign and returns {participant id: routine score}.
# A source may carry `label` (how the page names it) and `url_name` (a page taking the campaign pk
# that shows how the score was derived).
ROUTINE_SCORE_SOURCES: list[Callable[[Campaign], dict[int, Decimal]]] = []


@dataclass(frozen=True)
class DerivedRoutine:
    score: Decimal
    label: str
    url_name: str


def routine_derived(campaign: Campaign) -> dict[int, DerivedRoutine]:
    """{participant id: the routine score used when the field is left blank, and its source}."""
    derived: dict[int, DerivedRoutine] = {}
    for source in ROUTINE_SCORE_SOURCES:
        label, url_name = getattr(source, "label", "其他模块提供"), getattr(source, "url_name", "")
        for pk, score in source(campaign).items():
            derived[pk] = DerivedRoutine(score, label, url_name)
    return derived


def campaign_tally(campaign: Campaign, *, include_test: bool = False) -> list[EngineResult]:
    """Run the pure engine on what the database holds. Reads only; never writes."""
    group_codes = dict(campaign.evaluator_groups.values_list("pk", "code"))
    participants = list(campaign.participants.select_related("ranking_group"))
    routine_overrides = {pk: d.score for pk, d in routine_derived(campaign).items()}
    inputs = [
        ParticipantInput(
            id=p.pk,
            ranking_group=p.ranking_group.name,
            routine_score=p.routine_score if p.routine_score is not None else routine_overrides.get(p.pk),
            bonus=p.bonus,
            deduction=p.deduction,
            vetoed=p.vetoed,
            veto_reason=p.veto_reason,
        )
        for p in participants
    ]
    totals, votes = _ballot_scan(campaign, group_codes, include_test=include_test)
    counts = ((pid, code, choice, n) for (pid, code, choice), n in votes.items())
    return run_engine(tally_config(campaign), inputs, ballot_totals=totals, democratic_counts=counts)


def _ballot_scan(campaign: Campaign, group_codes: dict[int, str], *, include_test: bool):
    """One pass over the campaign's ballots: evaluator totals and democratic vote counts.

    Raw SQL on purpose: this is the hot path of a province-wide tally (600k ballots), and one
    scan beats the ORM's per-row Decimal conversion plus a second GROUP BY scan for the votes.
    SQLite stores decimals as REAL, so the total comes back as text ("%.15g", exact for 2 places);
    equal totals share one Decimal object, which keeps memory flat.
    """
    sqlite = connection.vendor == "sqlite"
    table = Ballot._meta.db_table
    total_sql = "CAST(total AS TEXT)" if sqlite else "total"
    sql = f"SELECT participant_id, group_id, {total_sql}, democratic FROM {table} WHERE campaign_id = %s"
    if not include_test:
        sql += " AND NOT is_test"
    interned: dict = {}
    totals: list[tuple[int, str, Decimal]] = []
    votes: Counter = Counter()
    append = totals.append
    with connection.cursor() as cursor:
        cursor.execute(sql, [campaign.pk])
        while rows := cursor.fetchmany(20000):
            for participant_id, group_id, total, democratic in rows:
                if total is not None:
                    value = interned.get(total)
                    if value is None:
                        value = interned[total] = Decimal(total) if sqlite else total
                    append((participant_id, group_codes[group_id], value))
                if democratic:
                    votes[(participant_id, group_codes[group_id], democratic)] += 1
    return totals, votes


def results_payload(campaign: Campaign, results: list[EngineResult]) -> list[dict]:
    """The engine's dicts, plus who each participant is (the frozen snapshot must stand alone)."""
    participants = {p.pk: p for p in campaign.participants.select_related("org", "secretary", "ranking_group")}
    rows = results_to_dicts(results)
    for row in rows:
        participant = participants[row["participant"]]
        row["org"] = participant.org.name
        row["org_code"] = participant.org.code
        row["reporter"] = participant.secretary.name if participant.secretary else ""
        row["vote_total"] = sum(row["democratic_counts"].values())
    return rows


def payload_hash(rows: list[dict]) -> str:
    canonical = json.dumps(rows, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _freeze(*, actor, campaign: Campaign, reason: str) -> ResultVersion:
    results = campaign_tally(campaign)
    rows = results_payload(campaign, results)
    number = (campaign.result_versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = ResultVersion.objects.create(
        campaign=campaign, number=number, reason=reason, data=rows, content_hash=payload_hash(rows),
        created_at=now(), created_by=actor if getattr(actor, "pk", None) else None,
    )
    ParticipantResult.objects.bulk_create(
        [
            ParticipantResult(
                version=version, participant_id=r.participant, meeting_score=r.meeting_score,
                democratic_score=r.democratic_score,
                good_rate=r.good_rate, routine_score=r.routine_score, composite=r.composite,
                rank=r.rank, grade=r.grade or "", vetoed=r.vetoed,
            )
            for r in results
        ],
        batch_size=2000,
    )
    return version


@transaction.atomic
def campaign_publish(*, actor, campaign: Campaign, reason: str = "") -> ResultVersion:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != S.SCORING:
        raise CampaignError("只有处于“计分”阶段的考核才能发布结果")
    reasons = [reason for guard in TRANSITION_GUARDS.get((S.SCORING, S.PUBLISHED), []) for reason in guard(campaign)]
    if reasons:
        raise CampaignError("；".join(reasons))
    version = _freeze(actor=actor, campaign=campaign, reason=reason or "首次发布")
    campaign.state = S.PUBLISHED
    campaign.save(update_fields=["state"])
    log_action("campaign.publish", actor=actor, obj=campaign, org=campaign.organiser,
               before={"state": S.SCORING}, after={"state": S.PUBLISHED, "version": version.number,
                                                    "content_hash": version.content_hash})
    for hook in AFTER_PUBLISH:
        hook(actor=actor, campaign=campaign, version=version)
    return version


@transaction.atomic
def campaign_correct(*, actor, campaign: Campaign, reason: str, changes: Callable[[], None] | None = None) -> ResultVersion:
    """Publish a corrected version. `changes` may adjust inputs (e.g. a routine score) first;
    earlier versions stay untouched."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != S.PUBLISHED:
        raise CampaignError("只有已发布的结果才能更正")
    if not reason.strip():
        raise CampaignError("更正必须说明原因")
    if changes is not None:
        # The published freeze is lifted only inside this transaction, for this correction.
        campaign.state = S.SCORING
        campaign.save(update_fields=["state"])
        changes()
        campaign.state = S.PUBLISHED
        campaign.save(update_fields=["state"])
    version = _freeze(actor=actor, campaign=campaign, reason=reason)
    log_action("campaign.correct", actor=actor, obj=campaign, org=campaign.organiser,
               after={"version": version.number, "reason": reason, "content_hash": version.content_hash})
    for hook in AFTER_PUBLISH:
        hook(actor=actor, campaign=campaign, version=version)
    return version


def latest_version(campaign: Campaign) -> ResultVersion | None:
    return campaign.result_versions.order_by("-number").first()


def slot_for(secret_material: str, participant_id: int) -> str:
    """The keyed hash that identifies one evaluator's ballot for one participant.

    Built from the credential token (never stored) or a paper form id, so the database
    alone cannot connect a ballot to a credential row.
    """
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, f"{secret_material}|{participant_id}".encode(), hashlib.sha256).hexdigest()


# ---- participants in bulk, evaluator groups, ballots from Excel ---------------------------


@transaction.atomic
def participants_bulk_add(*, actor, campaign: Campaign, unit_types: list[str], ranking_group_name: str,
                          presentation: str = "on_stage") -> list[Participant]:
    """Add every direct child of the organiser of the given unit types (乡镇/街道/园区 → 乡镇组 …)."""
    from shuping.orgs.models import Org

    _require_editable(campaign)
    taken = set(campaign.participants.values_list("org_id", flat=True))
    added = []
    children = Org.objects.filter(parent=campaign.organiser, unit_type__in=unit_types).order_by("sort_order", "code")
    for org in children:
        if org.pk in taken:
            continue
        added.append(participant_add(actor=actor, campaign=campaign, org=org, ranking_group_name=ranking_group_name,
                                     presentation=presentation))
    return added


@transaction.atomic
def evaluator_group_delete(*, actor, group: EvaluatorGroup) -> None:
    campaign = group.campaign
    _require_editable(campaign, config=True)
    if group.ballots.exists():
        raise CampaignError(f"评议组“{group.name}”已有测评票，不能删除")
    before = snapshot(group)
    group.delete()
    log_action("campaign.group_delete", actor=actor, object_type="campaigns.evaluatorgroup",
               object_id=before["id"], label=before["name"], org=campaign.organiser, before=before)


BALLOT_STATES = (S.MEETING, S.SCORING)


def require_ballot_state(campaign: Campaign) -> None:
    if campaign.state not in BALLOT_STATES:
        raise CampaignError(
            f"只有处于“会议”或“计分”阶段的考核才能录入测评票（当前：{S(campaign.state).label}）"
        )


def active_batch(campaign: Campaign, sha256: str):
    from .models import BallotBatch

    return BallotBatch.objects.filter(campaign=campaign, sha256=sha256, revoked_at__isnull=True).first()


@transaction.atomic
def ballot_batch_revoke(*, actor, batch) -> int:
    """Delete an imported file's ballots as a whole, before the results are published."""
    from .models import BallotBatch

    campaign = Campaign.objects.select_for_update().get(pk=batch.campaign_id)
    require_ballot_state(campaign)
    batch = BallotBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.revoked_at is not None:
        raise CampaignError("该批次已撤销")
    deleted = Ballot.objects.filter(batch=batch).count()
    Ballot.objects.filter(batch=batch).delete()
    batch.revoked_at = now()
    batch.revoked_by = str(getattr(actor, "username", actor) or "")
    batch.save(update_fields=["revoked_at", "revoked_by"])
    log_action("ballot.batch_revoke", actor=actor, obj=campaign, org=campaign.organiser,
               after={"batch": batch.pk, "file": batch.file_name, "sha256": batch.sha256, "deleted_ballots": deleted})
    return deleted


@transaction.atomic
def ballots_store(*, actor, campaign: Campaign, score_ballots, democratic_votes, source: str,
                  note: str = "", file_sha256: str = "") -> tuple[int, int]:
    """Store validated ballots all at once.

    `score_ballots`: (slot, participant_id, group_id, total, {indicator_id: score}) per ballot;
    `democratic_votes`: (participant_id, group_id, choice) per vote, each with a random slot.
    The row lock on the campaign serialises imports with each other and with publishing, so a
    ballot cannot slip in after the result is frozen; the unique slot is the final word on
    "one evaluator, one ballot per reporter".
    """
    import uuid

    from .models import BallotBatch, BallotScore

    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require_ballot_state(campaign)
    batch = None
    if file_sha256:
        batch = BallotBatch.objects.create(
            campaign=campaign, sha256=file_sha256, file_name=note[:255], score_ballots=len(score_ballots),
            democratic_votes=len(democratic_votes), imported_at=now(),
            imported_by=str(getattr(actor, "username", actor) or ""))
    ballots = []
    scores = []
    for slot, participant_id, group_id, total, indicator_scores in score_ballots:
        ballot = Ballot(id=uuid.uuid4(), campaign=campaign, participant_id=participant_id, group_id=group_id,
                        slot=slot, total=total, source=source, batch=batch)
        ballots.append(ballot)
        scores.extend(BallotScore(ballot=ballot, indicator_id=i, score=s) for i, s in indicator_scores.items())
    for participant_id, group_id, choice in democratic_votes:
        ballots.append(Ballot(id=uuid.uuid4(), campaign=campaign, participant_id=participant_id, group_id=group_id,
                              slot=uuid.uuid4().hex, democratic=choice, source=source, batch=batch))
    Ballot.objects.bulk_create(ballots, batch_size=2000)
    BallotScore.objects.bulk_create(scores, batch_size=5000)
    counts = (len(score_ballots), len(democratic_votes))
    log_action("ballot.import", actor=actor, obj=campaign, org=campaign.organiser,
               after={"source": source, "score_ballots": counts[0], "democratic_votes": counts[1], "note": note,
                      "batch": batch.pk if batch else None, "sha256": file_sha256})
    return counts


@transaction.atomic
def campaign_set_result_visibility(*, actor, campaign: Campaign, visibility: str) -> Campaign:
    """What participants see of the published results; may change at any time (it alters no result)."""
    if visibility not in ResultVisibility.values:
        raise CampaignError("无效的结果公开范围")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    before = campaign.result_visibility
    if before != visibility:
        campaign.result_visibility = visibility
        campaign.save(update_fields=["result_visibility"])
        log_action("campaign.result_visibility", actor=actor, obj=campaign, org=campaign.organiser,
                   before={"result_visibility": before}, after={"result_visibility": visibility})
    return campaign
