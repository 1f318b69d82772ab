"""Writes for the 述职评议会: meeting set-up, credentials, ballots, paper double entry, closing.

Individual anonymous ballots are never audited (an audit row with a time next to a ballot
would link it to whoever was seen voting); only meeting-level events and counts are.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count

from shuping.audit.services import log_action, snapshot
from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import (
    Ballot,
    BallotScore,
    BallotSource,
    Campaign,
    CampaignState,
    DemocraticChoice,
    EvaluatorGroup,
    Indicator,
    IndicatorKind,
    Participant,
    Presentation,
)
from shuping.campaigns.services import TRANSITION_GUARDS, slot_for
from shuping.clock import now

from .models import (
    Credential,
    CredentialStatus,
    Meeting,
    MeetingStatus,
    NamedBallot,
    PaperEntry,
    PaperForm,
    PaperFormStatus,
)

# Unambiguous on a phone keyboard and on paper: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
MEETING_FIELDS = ["held_at", "place", "base_url", "rule_distinct_totals", "rule_require_democratic"]


class MeetingError(ValidationError):
    pass


class BallotRejected(Exception):
    """A submission that was not accepted; `missing` lists the indicator ids to highlight."""

    def __init__(self, message: str, *, missing=(), invalid=()):
        super().__init__(message)
        self.message = message
        self.missing = set(missing)
        self.invalid = set(invalid)


# ---- secrets -----------------------------------------------------------------------------


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _keystream(code: str, length: int) -> bytes:
    key = settings.SECRET_KEY.encode("utf-8")
    blocks, counter = b"", 0
    while len(blocks) < length:
        blocks += hmac.new(key, f"seal|{code}|{counter}".encode(), hashlib.sha256).digest()
        counter += 1
    return blocks[:length]


def _seal(token: str, code: str) -> str:
    raw = token.encode("ascii")
    return bytes(a ^ b for a, b in zip(raw, _keystream(code, len(raw)), strict=True)).hex()


def _unseal(sealed: str, code: str) -> str:
    raw = bytes.fromhex(sealed)
    return bytes(a ^ b for a, b in zip(raw, _keystream(code, len(raw)), strict=True)).decode("ascii")


@dataclass
class IssuedCard:
    """What is printed once and never stored: the token and the short code."""

    credential: Credential
    token: str
    code: str

    @property
    def display_code(self) -> str:
        return format_code(self.code)


def _new_secrets() -> tuple[str, str]:
    while True:
        token = secrets.token_urlsafe(32)
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Credential.objects.filter(code_hash=_sha256(code)).exists():
            return token, code


def _new_credential(*, meeting, group, number, name, replaces=None) -> IssuedCard:
    token, code = _new_secrets()
    credential = Credential.objects.create(
        meeting=meeting, group=group, number=number, name=name, token_hash=_sha256(token),
        code_hash=_sha256(code), sealed_token=_seal(token, code), replaces=replaces,
    )
    return IssuedCard(credential=credential, token=token, code=code)


# ---- meeting set-up ----------------------------------------------------------------------


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("campaign__organiser").get(pk=meeting.pk)


@transaction.atomic
def meeting_create(*, actor, campaign: Campaign, **fields) -> Meeting:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state not in (CampaignState.DRAFT, CampaignState.WRITING, CampaignState.REVIEW, CampaignState.MEETING):
        raise MeetingError("考核已进入计分或已发布，不能再创建述职评议会")
    if Meeting.objects.filter(campaign=campaign).exists():
        raise MeetingError("该考核已有述职评议会")
    meeting = Meeting(campaign=campaign, **{k: v for k, v in fields.items() if k in MEETING_FIELDS})
    meeting.full_clean()
    meeting.save()
    if meeting.current is None:
        first = campaign.participants.filter(presentation=Presentation.ON_STAGE).first()
        if first:
            meeting.current = first
            meeting.save(update_fields=["current"])
    log_action("meeting.create", actor=actor, obj=meeting, org=campaign.organiser, after=snapshot(meeting))
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, **fields) -> Meeting:
    meeting = _lock(meeting)
    if meeting.status == MeetingStatus.CLOSED:
        raise MeetingError("会议已关闭，不能再修改")
    before = snapshot(meeting, MEETING_FIELDS)
    for name, value in fields.items():
        if name not in MEETING_FIELDS:
            raise ValueError(f"unknown meeting field {name}")
        setattr(meeting, name, value)
    meeting.full_clean()
    after = snapshot(meeting, MEETING_FIELDS)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    if changed:
        meeting.save()
        log_action("meeting.update", actor=actor, obj=meeting, org=meeting.campaign.organiser,
                   before={k: before[k] for k in changed}, after=changed)
    return meeting


@transaction.atomic
def agenda_move(*, actor, meeting: Meeting, participant: Participant, offset: int) -> None:
    """Move a reporter up (-1) or down (+1) the agenda; orders are renumbered 1..n first."""
    meeting = _lock(meeting)
    ordered = list(meeting.campaign.participants.order_by("agenda_order", "pk"))
    index = next(i for i, p in enumerate(ordered) if p.pk == participant.pk)
    target = index + offset
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered, start=1):
        if item.agenda_order != position:
            campaign_services.participant_update(actor=actor, participant=item, agenda_order=position)


@transaction.atomic
def agenda_set_presentation(*, actor, meeting: Meeting, participant: Participant, presentation: str) -> None:
    _lock(meeting)
    campaign_services.participant_update(actor=actor, participant=participant, presentation=presentation)


@transaction.atomic
def meeting_set_current(*, actor, meeting: Meeting, participant: Participant | None) -> Meeting:
    meeting = _lock(meeting)
    before = meeting.current_id
    meeting.current = participant
    meeting.save(update_fields=["current"])
    log_action("meeting.set_current", actor=actor, obj=meeting, org=meeting.campaign.organiser,
               before={"current": before}, after={"current": participant.pk if participant else None,
                                                  "label": str(participant) if participant else ""})
    return meeting


# ---- credentials -------------------------------------------------------------------------


@transaction.atomic
def credentials_issue(*, actor, meeting: Meeting, group: EvaluatorGroup, count: int = 0,
                      names: list[str] | None = None) -> list[IssuedCard]:
    """Issue one credential per name (named evaluators) or `count` unnamed ones."""
    meeting = _lock(meeting)
    if group.campaign_id != meeting.campaign_id:
        raise MeetingError("评议组不属于本次考核")
    if meeting.status == MeetingStatus.CLOSED:
        raise MeetingError("会议已关闭，不能再发放凭证")
    names = [n.strip() for n in (names or []) if n.strip()]
    if not group.anonymous and not names:
        raise MeetingError(f"“{group.name}”是实名评议组，请逐行填写评议人姓名")
    total = len(names) or count
    if not 1 <= total <= 1000:
        raise MeetingError("每次发放 1～1000 张凭证")
    existing = meeting.credentials.filter(group=group, replaces__isnull=True).count()
    cards = [
        _new_credential(meeting=meeting, group=group, number=f"{group.code}-{existing + i:03d}",
                        name=names[i - 1] if names else "")
        for i in range(1, total + 1)
    ]
    log_action("meeting.credentials_issue", actor=actor, obj=meeting, org=meeting.campaign.organiser,
               after={"group": group.name, "count": total, "named": bool(names)})
    return cards


@transaction.atomic
def credential_reissue(*, actor, credential: Credential) -> IssuedCard:
    """Revoke a lost card and issue a new one with the same number and name."""
    credential = Credential.objects.select_for_update().select_related("meeting__campaign__organiser").get(pk=credential.pk)
    if credential.status != CredentialStatus.ACTIVE:
        raise MeetingError("该凭证已作废，请补发其替代凭证")
    if credential.meeting.status == MeetingStatus.CLOSED:
        raise MeetingError("会议已关闭，不能再补发凭证")
    credential.status = CredentialStatus.REVOKED
    credential.save(update_fields=["status"])
    card = _new_credential(meeting=credential.meeting, group=credential.group, number=credential.number,
                           name=credential.name, replaces=credential)
    log_action("meeting.credential_reissue", actor=actor, obj=credential, org=credential.meeting.campaign.organiser,
               before={"status": CredentialStatus.ACTIVE}, after={"status": CredentialStatus.REVOKED,
                                                                  "new_credential": card.credential.pk})
    return card


def credential_for_token(token: str) -> Credential:
    """The active credential of a token, or BallotRejected with a message for the evaluator."""
    credential = (
        Credential.objects.select_related("group", "meeting__campaign", "meeting__current")
        .filter(token_hash=_sha256(token)).first()
    )
    if credential is None:
        raise BallotRejected("评议凭证无效。请核对二维码或评议码，或向会务人员咨询。")
    if credential.status == CredentialStatus.REVOKED:
        raise BallotRejected("此评议卡已挂失作废，请使用会务人员补发的新评议卡。")
    return credential


def token_for_code(code: str) -> str:
    code = normalise_code(code)
    credential = Credential.objects.filter(code_hash=_sha256(code)).first() if len(code) == CODE_LENGTH else None
    if credential is None:
        raise BallotRejected("评议码不正确，请核对评议卡上的 8 位评议码。")
    token = _unseal(credential.sealed_token, code)
    credential_for_token(token)  # refuses revoked cards with the same message as the QR path
    return token


# ---- ballots -----------------------------------------------------------------------------


def scored_indicators(campaign: Campaign) -> list[Indicator]:
    return list(campaign.indicators.filter(kind__in=[IndicatorKind.REQUIRED, IndicatorKind.BONUS]).order_by("order", "code"))


def parse_scores(indicators: list[Indicator], raw: dict[str, str]) -> tuple[dict[int, Decimal], set[int], set[int]]:
    """Form strings → Decimal scores; returns (scores, missing ids, invalid ids).

    Each score is read by the one shared rule, shuping.scoring.numbers.parse_score."""
    from shuping.scoring.numbers import ScoreError, parse_score

    scores, missing, invalid = {}, set(), set()
    for indicator in indicators:
        text = (raw.get(str(indicator.pk)) or "").strip()
        if not text:
            missing.add(indicator.pk)
            continue
        try:
            scores[indicator.pk] = parse_score(text, maximum=indicator.max_score)
        except ScoreError:
            invalid.add(indicator.pk)
    return scores, missing, invalid


def _lock_meeting_shared(meeting_id: int) -> str:
    """Read the meeting status under a shared row lock.

    Closing takes FOR UPDATE on the same row: it waits for ballots in flight and every later
    ballot sees "closed", so nothing is accepted after the close commits. Ballots take FOR SHARE
    so they do not queue behind each other. SQLite serialises writers anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT status FROM meetings_meeting WHERE id = %s FOR SHARE", [meeting_id])
            return cursor.fetchone()[0]
    return Meeting.objects.values_list("status", flat=True).get(pk=meeting_id)


def _store_ballot(*, campaign_id, participant_id, group_id, slot, scores: dict[int, Decimal], democratic: str,
                  source: str, is_test: bool) -> tuple[Ballot, bool]:
    """Insert the ballot of a slot, or replace the one already there (same slot = same evaluator)."""
    total = sum(scores.values(), Decimal(0)) if scores else None
    ballot = Ballot.objects.select_for_update().filter(campaign_id=campaign_id, slot=slot).first()
    created = False
    if ballot is None:
        try:
            with transaction.atomic():  # savepoint: a concurrent insert of the same slot lands here
                ballot = Ballot.objects.create(
                    campaign_id=campaign_id, participant_id=participant_id, group_id=group_id, slot=slot,
                    total=total, democratic=democratic, source=source, is_test=is_test,
                )
            created = True
        except IntegrityError:
            # The other request committed first; lock its row and let this (later) submission win.
            ballot = Ballot.objects.select_for_update().get(campaign_id=campaign_id, slot=slot)
    if created:
        BallotScore.objects.bulk_create(
            [BallotScore(ballot=ballot, indicator_id=i, score=s) for i, s in scores.items()]
        )
        return ballot, True
    ballot.total, ballot.democratic, ballot.group_id, ballot.source, ballot.is_test = (
        total, democratic, group_id, source, is_test)
    ballot.save(update_fields=["total", "democratic", "group", "source", "is_test"])
    existing = {s.indicator_id: s for s in ballot.scores.all()}
    for indicator_id, score in scores.items():
        row = existing.pop(indicator_id, None)
        if row is None:
            BallotScore.objects.create(ballot=ballot, indicator_id=indicator_id, score=score)
        elif row.score != score:
            row.score = score
            row.save(update_fields=["score"])
    if existing:
        BallotScore.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()
    return ballot, False


def progress(credential: Credential, token: str, participants: list[Participant]) -> dict[int, Decimal | None]:
    """{participant id: total} of what this token has cast, recomputed from the slots."""
    slots = {slot_for(token, p.pk): p.pk for p in participants}
    rows = Ballot.objects.filter(campaign_id=credential.meeting.campaign_id, slot__in=list(slots)).values_list("slot", "total")
    return {slots[slot]: total for slot, total in rows}


@transaction.atomic
def ballot_cast(*, token: str, participant_id: int, raw_scores: dict[str, str], democratic: str) -> tuple[Ballot, bool]:
    """Accept one evaluator's ballot for one reporter, replacing an earlier one before close."""
    credential = credential_for_token(token)
    meeting = credential.meeting
    status = _lock_meeting_shared(meeting.pk)
    if status == MeetingStatus.CLOSED:
        raise BallotRejected("会议已关闭，测评已结束，不能再提交或修改。")
    if status == MeetingStatus.PREPARING:
        raise BallotRejected("测评尚未开始，请等待主持人宣布开始测评后再提交。")
    campaign = meeting.campaign
    participants = list(campaign.participants.order_by("agenda_order", "pk"))
    participant = next((p for p in participants if p.pk == participant_id), None)
    if participant is None:
        raise BallotRejected("述职人不存在。")
    indicators = scored_indicators(campaign)
    scores, missing, invalid = parse_scores(indicators, raw_scores)
    if democratic and democratic not in DemocraticChoice.values:
        raise BallotRejected("民主测评选项无效。")
    if missing or invalid:
        parts = []
        if missing:
            parts.append(f"还有 {len(missing)} 项未打分")
        if invalid:
            parts.append(f"{len(invalid)} 项分数不在 0 到满分之间（最多两位小数）")
        raise BallotRejected("提交未成功：" + "，".join(parts) + "，请检查标红的项目。", missing=missing, invalid=invalid)
    if meeting.rule_require_democratic and not democratic:
        raise BallotRejected("提交未成功：请选择民主测评等次（好/较好/一般/差）。", missing={"democratic"})
    if meeting.rule_distinct_totals and len(participants) > 1:
        totals = progress(credential, token, participants)
        totals[participant.pk] = sum(scores.values(), Decimal(0))
        if len(totals) == len(participants) and len(set(totals.values())) == 1:
            raise BallotRejected(
                "提交未成功：您给全部述职人打出了相同的总分，按本次会议规则此类测评无效。"
                "请根据各述职人的实际表现区分打分后重新提交。"
            )
    ballot, created = _store_ballot(
        campaign_id=campaign.pk, participant_id=participant.pk, group_id=credential.group_id,
        slot=slot_for(token, participant.pk), scores=scores, democratic=democratic,
        source=BallotSource.ONLINE, is_test=status == MeetingStatus.TEST,
    )
    if not credential.group.anonymous:
        NamedBallot.objects.get_or_create(ballot=ballot, defaults={"credential": credential})
    return ballot, created


# ---- meeting workflow --------------------------------------------------------------------


def _require_meeting_phase(meeting: Meeting) -> None:
    if meeting.campaign.state != CampaignState.MEETING:
        raise MeetingError(f"考核当前处于“{CampaignState(meeting.campaign.state).label}”阶段，请先进入“会议”阶段")


def _clear_test_ballots(meeting: Meeting) -> int:
    count = Ballot.objects.filter(campaign=meeting.campaign, is_test=True).count()
    Ballot.objects.filter(campaign=meeting.campaign, is_test=True).delete()
    return count


@transaction.atomic
def meeting_enter_phase(*, actor, meeting: Meeting) -> Meeting:
    """Advance the campaign from 审核 to 会议 (the campaigns app's guards apply)."""
    meeting = _lock(meeting)
    campaign_services.campaign_transition(actor=actor, campaign=meeting.campaign, to_state=CampaignState.MEETING)
    meeting.campaign.refresh_from_db()
    return meeting


@transaction.atomic
def meeting_start_test(*, actor, meeting: Meeting) -> Meeting:
    meeting = _lock(meeting)
    _require_meeting_phase(meeting)
    if meeting.status != MeetingStatus.PREPARING:
        raise MeetingError("只有筹备中的会议才能进入测试模式")
    meeting.status = MeetingStatus.TEST
    meeting.save(update_fields=["status"])
    log_action("meeting.start_test", actor=actor, obj=meeting, org=meeting.campaign.organiser,
               before={"status": MeetingStatus.PREPARING}, after={"status": MeetingStatus.TEST})
    return meeting


@transaction.atomic
def meeting_clear_test(*, actor, meeting: Meeting) -> int:
    meeting = _lock(meeting)
    if meeting.status == MeetingStatus.CLOSED:
        raise MeetingError("会议已关闭")
    count = _clear_test_ballots(meeting)
    log_action("meeting.clear_test", actor=actor, obj=meeting, org=meeting.campaign.organiser,
               after={"deleted_test_ballots": count})
    return count


@transaction.atomic
def meeting_open(*, actor, meeting: Meeting) -> Meeting:
    """Start the real round: test ballots are wiped in the same transaction."""
    meeting = _lock(meeting)
    _require_meeting_phase(meeting)
    if meeting.status not in (MeetingStatus.PREPARING, MeetingStatus.TEST):
        raise MeetingError("会议已开始或已关闭")
    if not meeting.credentials.filter(status=CredentialStatus.ACTIVE).exists() and not meeting.paper_forms.exists():
        raise MeetingError("尚未发放评议凭证或纸质测评表")
    before = meeting.status
    deleted = _clear_test_ballots(meeting)
    meeting.status = MeetingStatus.OPEN
    meeting.save(update_fields=["status"])
    log_action("meeting.open", actor=actor, obj=meeting, org=meeting.campaign.organiser,
               before={"status": before}, after={"status": MeetingStatus.OPEN, "deleted_test_ballots": deleted})
    return meeting


def unresolved_paper(meeting: Meeting) -> list[str]:
    mismatched = meeting.paper_forms.filter(status=PaperFormStatus.MISMATCH).count()
    single = (
        meeting.paper_forms.filter(status=PaperFormStatus.ISSUED)
        .annotate(n=Count("entries")).filter(n=1).count()
    )
    reasons = []
    if mismatched:
        reasons.append(f"有 {mismatched} 张纸质测评表两次录入不一致，尚未裁定")
    if single:
        reasons.append(f"有 {single} 张纸质测评表只录入了一次，需第二人录入")
    return reasons


def ballot_counts(meeting: Meeting, *, is_test: bool = False) -> dict:
    rows = (
        Ballot.objects.filter(campaign=meeting.campaign, is_test=is_test)
        .values("group__name", "source").annotate(n=Count("pk")).order_by()
    )
    result: dict = {"total": 0}
    for row in rows:
        key = f"{row['group__name']}/{BallotSource(row['source']).label}"
        result[key] = row["n"]
        result["total"] += row["n"]
    return result


@transaction.atomic
def meeting_close(*, actor, meeting: Meeting) -> Meeting:
    """End the voting, then move the campaign from 会议 to 计分."""
    # FOR UPDATE waits for ballots in flight (they hold FOR SHARE) and makes later ones see "closed".
    meeting = _lock(meeting)
    if meeting.status == MeetingStatus.TEST:
        raise MeetingError("测试模式下不能关闭会议：请先“清除测试票并开始正式测评”")
    if meeting.status != MeetingStatus.OPEN:
        raise MeetingError("只有正式测评中的会议才能关闭")
    reasons = unresolved_paper(meeting)
    if reasons:
        raise MeetingError("；".join(reasons))
    meeting.status = MeetingStatus.CLOSED
    meeting.save(update_fields=["status"])
    log_action("meeting.close", actor=actor, obj=meeting, org=meeting.campaign.organiser,
               before={"status": MeetingStatus.OPEN}, after={"status": MeetingStatus.CLOSED,
                                                             "ballots": ballot_counts(meeting)})
    if meeting.campaign.state == CampaignState.MEETING:
        campaign_services.campaign_transition(actor=actor, campaign=meeting.campaign, to_state=CampaignState.SCORING)
    return meeting


@transaction.atomic
def meeting_publish(*, actor, meeting: Meeting):
    meeting = _lock(meeting)
    if meeting.status != MeetingStatus.CLOSED:
        raise MeetingError("请先关闭会议")
    return campaign_services.campaign_publish(actor=actor, campaign=meeting.campaign)


# ---- paper forms -------------------------------------------------------------------------


@transaction.atomic
def paper_forms_issue(*, actor, meeting: Meeting, group: EvaluatorGroup, count: int) -> list[PaperForm]:
    meeting = _lock(meeting)
    if group.campaign_id != meeting.campaign_id:
        raise MeetingError("评议组不属于本次考核")
    if meeting.status == MeetingStatus.CLOSED:
        raise MeetingError("会议已关闭")
    if not 1 <= count <= 1000:
        raise MeetingError("每次生成 1～1000 张纸质测评表")
    forms = []
    for _ in range(count):
        while True:
            form_id = f"{group.code}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
            if not PaperForm.objects.filter(form_id=form_id).exists():
                break
        forms.append(PaperForm.objects.create(meeting=meeting, group=group, form_id=form_id))
    log_action("meeting.paper_issue", actor=actor, obj=meeting, org=meeting.campaign.organiser,
               after={"group": group.name, "count": count})
    return forms


@dataclass
class PaperGrid:
    """The reporters × indicators of a paper form, and helpers to read/compare entries."""

    participants: list[Participant]
    indicators: list[Indicator]
    errors: list[str] = field(default_factory=list)

    def parse(self, post) -> dict:
        """POST fields p<participant>_i<indicator> and p<participant>_d → normalised entry data."""
        data: dict = {}
        for p in self.participants:
            raw = {str(i.pk): post.get(f"p{p.pk}_i{i.pk}", "") for i in self.indicators}
            democratic = (post.get(f"p{p.pk}_d") or "").strip()
            filled = {k: v for k, v in raw.items() if v.strip()}
            if not filled and not democratic:
                continue
            row: dict = {}
            if filled:
                scores, missing, invalid = parse_scores(self.indicators, raw)
                if missing:
                    self.errors.append(f"{p.org.name}：评分不完整（原表漏填时整行分数留空，只录民主测评）")
                if invalid:
                    self.errors.append(f"{p.org.name}：有分数超出 0～满分范围或格式错误")
                row.update({str(k): str(v) for k, v in scores.items()})
            if democratic:
                if democratic not in DemocraticChoice.values:
                    self.errors.append(f"{p.org.name}：民主测评选项无效")
                row["democratic"] = democratic
            data[str(p.pk)] = row
        return data


def paper_grid(meeting: Meeting) -> PaperGrid:
    campaign = meeting.campaign
    return PaperGrid(participants=list(campaign.participants.select_related("org", "secretary").order_by("agenda_order", "pk")),
                     indicators=scored_indicators(campaign))


def _materialise_paper(form: PaperForm, data: dict, *, is_test: bool) -> int:
    meeting = form.meeting
    count = 0
    for participant_id, row in data.items():
        scores = {int(k): Decimal(v) for k, v in row.items() if k != "democratic"}
        _store_ballot(
            campaign_id=meeting.campaign_id, participant_id=int(participant_id), group_id=form.group_id,
            slot=slot_for(f"paper:{form.form_id}", int(participant_id)), scores=scores,
            democratic=row.get("democratic", ""), source=BallotSource.PAPER, is_test=is_test,
        )
        count += 1
    return count


def _lock_form_for_entry(form: PaperForm) -> PaperForm:
    # Lock the form: two clerks saving at once must not both miss the comparison.
    form = PaperForm.objects.select_for_update().select_related("meeting__campaign__organiser", "group").get(pk=form.pk)
    status = _lock_meeting_shared(form.meeting_id)
    if status == MeetingStatus.CLOSED:
        raise MeetingError("会议已关闭，不能再录入纸质测评表")
    if status != MeetingStatus.OPEN:
        raise MeetingError("正式测评开始后才能录入纸质测评表")
    if form.counted:
        raise MeetingError(f"测评表 {form.form_id} 已计入，不能再录入")
    return form


@transaction.atomic
def paper_entry_save(*, actor, form: PaperForm, data: dict) -> PaperForm:
    """Save one clerk's entry; when two clerks have entered, compare and count if they agree."""
    form = _lock_form_for_entry(form)
    entries = {e.clerk_id: e for e in form.entries.all()}
    if actor.pk not in entries and len(entries) >= 2:
        raise MeetingError(f"测评表 {form.form_id} 已由两人录入")
    PaperEntry.objects.update_or_create(form=form, clerk=actor, defaults={"data": data, "entered_at": now()})
    entries = list(form.entries.order_by("pk"))
    organiser = form.meeting.campaign.organiser
    log_action("meeting.paper_entry", actor=actor, obj=form, org=organiser,
               after={"form": form.form_id, "entry": len(entries), "rows": len(data)})
    if len(entries) < 2:
        return form
    if entries[0].data == entries[1].data:
        rows = _materialise_paper(form, entries[0].data, is_test=False)
        form.status = PaperFormStatus.AGREED
        log_action("meeting.paper_agreed", actor=actor, obj=form, org=organiser,
                   after={"form": form.form_id, "ballots": rows})
    else:
        form.status = PaperFormStatus.MISMATCH
        log_action("meeting.paper_mismatch", actor=actor, obj=form, org=organiser,
                   after={"form": form.form_id, "differences": len(paper_differences(entries[0].data, entries[1].data))})
    form.save(update_fields=["status"])
    return form


def paper_differences(a: dict, b: dict) -> set[tuple[str, str]]:
    """The (participant, field) cells where two entries differ."""
    cells = set()
    for participant_id in set(a) | set(b):
        row_a, row_b = a.get(participant_id, {}), b.get(participant_id, {})
        for key in set(row_a) | set(row_b):
            if row_a.get(key) != row_b.get(key):
                cells.add((participant_id, key))
    return cells


@transaction.atomic
def paper_resolve(*, actor, form: PaperForm, data: dict) -> PaperForm:
    """The third person's decision on a mismatched form; the decision is what gets counted."""
    form = _lock_form_for_entry(form)
    if form.status != PaperFormStatus.MISMATCH:
        raise MeetingError("该测评表没有待裁定的不一致")
    entries = list(form.entries.order_by("pk"))
    if actor.pk in {e.clerk_id for e in entries}:
        raise MeetingError("裁定须由两名录入员以外的第三人进行")
    cells = sorted(paper_differences(entries[0].data, entries[1].data))
    rows = _materialise_paper(form, data, is_test=False)
    form.status = PaperFormStatus.RESOLVED
    form.resolved_by = actor
    form.save(update_fields=["status", "resolved_by"])
    log_action(
        "meeting.paper_resolve", actor=actor, obj=form, org=form.meeting.campaign.organiser,
        before={"cells": [
            {"participant": p, "field": k, "first": entries[0].data.get(p, {}).get(k),
             "second": entries[1].data.get(p, {}).get(k)} for p, k in cells]},
        after={"decision": [{"participant": p, "field": k, "value": data.get(p, {}).get(k)} for p, k in cells],
               "ballots": rows},
    )
    return form


# ---- guards on the campaign state machine ------------------------------------------------


def _guard_meeting_closed(campaign: Campaign) -> list[str]:
    meeting = Meeting.objects.filter(campaign=campaign).first()
    if meeting is not None and meeting.status != MeetingStatus.CLOSED:
        return ["述职评议会尚未关闭，请在会议页面“关闭会议”"]
    return []


def _guard_paper_resolved(campaign: Campaign) -> list[str]:
    meeting = Meeting.objects.filter(campaign=campaign).first()
    return unresolved_paper(meeting) if meeting is not None else []


def register_guards() -> None:
    guards = TRANSITION_GUARDS.setdefault((CampaignState.MEETING, CampaignState.SCORING), [])
    for guard in (_guard_meeting_closed, _guard_paper_resolved):
        if guard not in guards:
            guards.append(guard)
    publish = TRANSITION_GUARDS.setdefault((CampaignState.SCORING, CampaignState.PUBLISHED), [])
    if _guard_paper_resolved not in publish:
        publish.append(_guard_paper_resolved)
