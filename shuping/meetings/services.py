"""Writes for the 述职评议会: meeting set-up, credentials, ballots, paper double entry, closing.

Individual anonymous ballots are never audited (an audit row with a time next to a ballot
would link it to whoever was seen voting); only meeting-level events and counts are.
"""

import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count

from shuping.audit.services import log_action, snapshot
from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import (
    Ballot,
    BallotSource,
    Campaign,
    CampaignState,
    DemocraticChoice,
    EvaluatorGroup,
    Indicator,
    Participant,
    Presentation,
)
from shuping.campaigns.services import TRANSITION_GUARDS
from shuping.clock import now

from . import secrecy, voting
from .models import (
    Credential,
    CredentialStatus,
    Meeting,
    MeetingStatus,
    PaperEntry,
    PaperForm,
    PaperFormStatus,
)

CODE_ALPHABET = secrecy.CODE_ALPHABET
CODE_LENGTH = secrecy.CODE_LENGTH
normalise_code, format_code = secrecy.normalise_code, secrecy.format_code
MEETING_FIELDS = ["held_at", "place", "base_url", "rule_distinct_totals", "rule_require_democratic", "ballot_layout"]


class MeetingError(ValidationError):
    pass


BallotRejected = voting.BallotRejected


# ---- secrets -----------------------------------------------------------------------------


@dataclass
class IssuedCard:
    """What is printed once and never stored: the token and the short code."""

    credential: Credential
    token: str
    code: str

    @property
    def display_code(self) -> str:
        return format_code(self.code)


def _new_credential(*, meeting, group, number, name, replaces=None) -> IssuedCard:
    token = secrecy.new_token()
    while True:
        selector = secrecy.random_code(secrecy.SELECTOR_LENGTH)
        if not Credential.objects.filter(code_selector=selector).exists():
            break
    verifier = secrecy.random_code(secrecy.VERIFIER_LENGTH)
    credential = Credential.objects.create(
        meeting=meeting, group=group, number=number, name=name, token_hash=secrecy.sha256_hex(token),
        code_selector=selector, code_verifier_hash=secrecy.hash_verifier(verifier), replaces=replaces,
    )
    return IssuedCard(credential=credential, token=token, code=selector + verifier)


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
    meeting = Meeting(campaign=campaign, ballot_key=secrecy.new_ballot_key(),
                      **{k: v for k, v in fields.items() if k in MEETING_FIELDS})
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
    if group.anonymous and names:
        raise MeetingError(f"“{group.name}”是匿名评议组，评议卡不印姓名，只填人数；如需实名测评，请先将该评议组设为实名")
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


def _card_slots(meeting: Meeting, credential_ids, participant_ids) -> dict[str, int]:
    return {secrecy.ballot_slot(meeting.ballot_key, secrecy.card_material(c), p): c
            for c in credential_ids for p in participant_ids}


def credential_cast_count(meeting: Meeting, credential: Credential) -> int:
    """How many reporters this card has a real (non-test) ballot for; after close, the stored count."""
    if meeting.status == MeetingStatus.CLOSED or not meeting.ballot_key:
        return credential.cast_count or 0
    participants = list(meeting.campaign.participants.values_list("pk", flat=True))
    slots = _card_slots(meeting, [credential.pk], participants)
    return Ballot.objects.filter(campaign_id=meeting.campaign_id, slot__in=list(slots), is_test=False).count()


LOST_CARD_OPTIONS = (
    "可选办法：一、保留原卡有效（评议人如找回评议卡或仍在原手机上，可继续修改本人的测评）；"
    "二、在“评议凭证”页对该评议组“作废本组本轮测评并重新发卡”，本组全部评议人用新卡重新测评。"
)


@transaction.atomic
def credential_reissue(*, actor, credential: Credential) -> IssuedCard:
    """Revoke a lost card that has cast nothing and issue a new one with the same number and name.

    A card that already voted is never reissued: its ballots cannot be told apart from the
    others (that is the point), so a new card would vote a second time."""
    meeting = _lock(credential.meeting)
    credential = Credential.objects.select_for_update().select_related("group").get(pk=credential.pk)
    if credential.status != CredentialStatus.ACTIVE:
        raise MeetingError("该凭证已作废，请补发其替代凭证")
    if meeting.status == MeetingStatus.CLOSED:
        raise MeetingError("会议已关闭，不能再补发凭证")
    cast = credential_cast_count(meeting, credential)
    if cast:
        raise MeetingError(f"评议卡 {credential.number} 已提交 {cast} 位述职人的测评，不能挂失补发："
                           f"补发的新卡会再投一次票，而已投的票无法（也不应）与这张卡对应起来。{LOST_CARD_OPTIONS}")
    credential.status = CredentialStatus.REVOKED
    credential.device_hash = None
    credential.save(update_fields=["status", "device_hash"])
    card = _new_credential(meeting=meeting, group=credential.group, number=credential.number,
                           name=credential.name, replaces=credential)
    log_action("meeting.credential_reissue", actor=actor, obj=credential, org=meeting.campaign.organiser,
               before={"status": CredentialStatus.ACTIVE}, after={"status": CredentialStatus.REVOKED,
                                                                  "new_credential": card.credential.pk})
    return card


@transaction.atomic
def group_round_void(*, actor, meeting: Meeting, group: EvaluatorGroup) -> list[IssuedCard]:
    """The remedy for a lost card that already voted: the group's online ballots of this round are
    deleted, all its cards revoked, and a fresh set issued (same numbers and names)."""
    meeting = _lock(meeting)
    if group.campaign_id != meeting.campaign_id:
        raise MeetingError("评议组不属于本次考核")
    if meeting.status not in (MeetingStatus.OPEN, MeetingStatus.TEST):
        raise MeetingError("只有测评进行中（测试模式或正式测评）才能作废本组本轮测评")
    old = list(meeting.credentials.filter(group=group, status=CredentialStatus.ACTIVE).order_by("number", "pk"))
    if not old:
        raise MeetingError(f"“{group.name}”没有有效的评议卡")
    ballots = Ballot.objects.filter(campaign_id=meeting.campaign_id, group=group, source=BallotSource.ONLINE)
    deleted = ballots.count()
    ballots.delete()
    Credential.objects.filter(pk__in=[c.pk for c in old]).update(status=CredentialStatus.REVOKED, device_hash=None)
    cards = [_new_credential(meeting=meeting, group=group, number=c.number, name=c.name, replaces=c) for c in old]
    log_action("meeting.group_round_void", actor=actor, obj=meeting, org=meeting.campaign.organiser,
               after={"group": group.name, "deleted_ballots": deleted, "cards": len(cards)})
    return cards


def _bind_device(credential_id: int) -> str:
    """Give the card a new device secret: the phone that opened the card last is the one it serves."""
    device_secret = secrecy.new_device_secret()
    Credential.objects.filter(pk=credential_id).update(device_hash=secrecy.sha256_hex(device_secret))
    return device_secret


def open_card_with_token(token: str) -> tuple[str, voting.Voter]:
    """The QR link's one request: token → (device secret for the cookie, voter)."""
    voter = voting.refuse_unusable(voting.voter_for_token(token))
    return _bind_device(voter.credential_id), voter


def open_card_for_credential(credential_id: int) -> tuple[str, voting.Voter]:
    """A signed-in holder's own named card (a superior's delegate) → (device secret, voter): the
    browser is bound like a QR scan, without the card's token ever reaching a URL."""
    voter = voting.refuse_unusable(voting.voter_for_credential(credential_id))
    return _bind_device(voter.credential_id), voter


def open_card_with_code(code: str) -> tuple[str, voting.Voter]:
    """Typed code → (device secret, voter). The selector finds the card; the verifier is checked
    against its Argon2 hash."""
    parts = secrecy.split_code(code)
    credential = Credential.objects.filter(code_selector=parts[0]).first() if parts else None
    if credential is None or not secrecy.verifier_matches(credential.code_verifier_hash, parts[1]):
        raise BallotRejected(f"评议码不正确，请核对评议卡上的 {secrecy.CODE_LENGTH} 位评议码。")
    voter = voting.refuse_unusable(voting.voter_for_credential(credential.pk))
    return _bind_device(voter.credential_id), voter


# ---- ballots -----------------------------------------------------------------------------


def scored_indicators(campaign: Campaign) -> list[Indicator]:
    return voting.scored_indicators(campaign.pk)


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


def ballot_cast(*, token: str, participant_id: int, raw_scores: dict[str, str], democratic: str):
    """Cast with a card's token (demo and tests; phones go through the device cookie) → (ballot, created)."""
    result = voting.cast_for_token(token, participant_id=participant_id, raw_scores=raw_scores, democratic=democratic)
    return Ballot.objects.get(pk=result.ballot_id), result.created


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
    meeting.ballot_key = secrecy.new_ballot_key()  # nothing cast in test mode relates to the real round
    meeting.save(update_fields=["status", "ballot_key"])
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


def _store_cast_counts(meeting: Meeting) -> None:
    """Before the key goes: how many reporters each card voted for, so the card can say so."""
    credentials = list(meeting.credentials.values_list("pk", flat=True))
    participants = list(meeting.campaign.participants.values_list("pk", flat=True))
    slots = _card_slots(meeting, credentials, participants)
    counts = dict.fromkeys(credentials, 0)
    for slot in Ballot.objects.filter(campaign_id=meeting.campaign_id, slot__in=list(slots)).values_list("slot", flat=True):
        counts[slots[slot]] += 1
    by_count: dict[int, list[int]] = {}
    for pk, n in counts.items():
        by_count.setdefault(n, []).append(pk)
    for n, pks in by_count.items():
        Credential.objects.filter(pk__in=pks).update(cast_count=n)


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
    _store_cast_counts(meeting)
    shuffled = secrecy.shuffle_ballots(meeting.campaign_id)
    meeting.status = MeetingStatus.CLOSED
    meeting.ballot_key = ""  # from now on no slot can be recomputed, by anyone
    meeting.save(update_fields=["status", "ballot_key"])
    log_action("meeting.close", actor=actor, obj=meeting, org=meeting.campaign.organiser,
               before={"status": MeetingStatus.OPEN}, after={"status": MeetingStatus.CLOSED,
                                                             "ballots": ballot_counts(meeting),
                                                             "shuffled": shuffled})
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
    meeting = Meeting.objects.only("ballot_key", "campaign_id").get(pk=form.meeting_id)
    count = 0
    for participant_id, row in data.items():
        scores = {int(k): Decimal(v) for k, v in row.items() if k != "democratic"}
        voting.upsert_ballot(
            campaign_id=meeting.campaign_id, participant_id=int(participant_id), group_id=form.group_id,
            slot=secrecy.ballot_slot(meeting.ballot_key, secrecy.paper_material(form.form_id), int(participant_id)),
            scores=scores, democratic=row.get("democratic", ""), source=BallotSource.PAPER, is_test=is_test,
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


def resolution_data(first: dict, second: dict, decision: dict) -> tuple[dict, list[dict]]:
    """The counted entry: every cell the two clerks agree on as they typed it, and the third
    person's value only in the cells where they differ. Returns (data, audit cells); a decision
    that touches an agreed cell is refused."""
    disputed = paper_differences(first, second)
    # a cell absent from the decision is left as the clerks typed it; a present one must match
    changed = sorted((p, k) for p, row in decision.items() for k, v in row.items()
                     if (p, k) not in disputed and first.get(p, {}).get(k) != v)
    if changed:
        raise MeetingError(f"裁定只能修改两次录入不一致的 {len(disputed)} 个格子；"
                           f"有 {len(changed)} 个两人一致的格子被改动，请按原录入保留")
    data = {p: dict(row) for p, row in first.items()}
    cells = []
    for participant_id, key in sorted(disputed):
        final = decision.get(participant_id, {}).get(key)
        row = data.setdefault(participant_id, {})
        if final is None:
            row.pop(key, None)
        else:
            row[key] = final
        cells.append({"participant": participant_id, "field": key, "first": first.get(participant_id, {}).get(key),
                      "second": second.get(participant_id, {}).get(key), "final": final})
    return {p: row for p, row in data.items() if row}, cells


@transaction.atomic
def paper_resolve(*, actor, form: PaperForm, data: dict) -> PaperForm:
    """The third person's decision on a mismatched form: only the disputed cells take it."""
    form = _lock_form_for_entry(form)
    if form.status != PaperFormStatus.MISMATCH:
        raise MeetingError("该测评表没有待裁定的不一致")
    entries = list(form.entries.order_by("pk"))
    if actor.pk in {e.clerk_id for e in entries}:
        raise MeetingError("裁定须由两名录入员以外的第三人进行")
    final, cells = resolution_data(entries[0].data, entries[1].data, data)
    scored = {str(i.pk) for i in scored_indicators(form.meeting.campaign)}
    for row in final.values():
        if set(row) - {"democratic"} not in (set(), scored):
            raise MeetingError("裁定后有述职人的评分不完整：一行分数要么全部填写，要么全部留空（只计民主测评）")
    rows = _materialise_paper(form, final, is_test=False)
    form.status = PaperFormStatus.RESOLVED
    form.resolved_by = actor
    form.save(update_fields=["status", "resolved_by"])
    log_action(
        "meeting.paper_resolve", actor=actor, obj=form, org=form.meeting.campaign.organiser,
        before={"form": form.form_id, "first_clerk": entries[0].clerk_id, "second_clerk": entries[1].clerk_id},
        after={"cells": cells, "ballots": rows},
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
