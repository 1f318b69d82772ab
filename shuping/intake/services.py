"""The public 群众提 channel: rate-limited submission, receipt codes, moderation into problems."""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shuping.audit.services import log_action
from shuping.clock import local_date, now, short_date
from shuping.orgs.models import Org, UnitType
from shuping.rectification import services as rectification_services
from shuping.rectification.models import Category, Source

from .models import AddressBucket, PublicSubmission, SubmissionState

VILLAGE_TYPES = (UnitType.VILLAGE, UnitType.COMMUNITY)
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or typed from paper


class IntakeError(ValidationError):
    pass


class Throttled(IntakeError):
    pass


def _keyed(value: str, purpose: str) -> str:
    key = hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def address_hash(address: str | None) -> str:
    return _keyed(address or "unknown", "intake-address")


def normalise_receipt(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch in RECEIPT_ALPHABET)


def receipt_hash(code: str) -> str:
    return _keyed(normalise_receipt(code), "intake-receipt")


def new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def villages_of(county: Org):
    return county.subtree().filter(unit_type__in=VILLAGE_TYPES).order_by("path")


def _bucket(digest: str) -> AddressBucket:
    """The sender's bucket row, locked (created on first use; a concurrent creator wins the race)."""
    try:
        with transaction.atomic():
            AddressBucket.objects.get_or_create(address_hash=digest, defaults={"last_at": now()})
    except IntegrityError:
        pass
    return AddressBucket.objects.select_for_update().get(address_hash=digest)


@transaction.atomic
def submission_create(*, county: Org, village: Org, text: str, address: str | None) -> tuple[PublicSubmission, str]:
    """Accept one report, or raise Throttled when the sender has used up the hour's or day's allowance.
    Returns the stored submission and its receipt code (shown once; only its hash is kept)."""
    text = (text or "").strip()
    if len(text) < 10:
        raise IntakeError("请把问题写清楚（不少于10个字）")
    if len(text) > settings.SHUPING_INTAKE_MAX_CHARS:
        raise IntakeError(f"反映内容不能超过{settings.SHUPING_INTAKE_MAX_CHARS}个字")
    if not village.is_within(county) or village.unit_type not in VILLAGE_TYPES:
        raise IntakeError("请选择本县（区）的村（社区）党组织")
    digest = address_hash(address)
    bucket = _bucket(digest)
    moment = now()
    recent = PublicSubmission.objects.filter(address_hash=digest)
    if recent.filter(submitted_at__gte=moment - datetime.timedelta(hours=1)).count() >= settings.SHUPING_INTAKE_PER_HOUR:
        raise Throttled("提交过于频繁，请一小时后再试")
    if recent.filter(submitted_at__gte=moment - datetime.timedelta(days=1)).count() >= settings.SHUPING_INTAKE_PER_DAY:
        raise Throttled("今天提交次数已达上限，请明天再试")
    code = new_receipt()
    submission = PublicSubmission.objects.create(county=county, village=village, text=text, receipt_hash=receipt_hash(code),
                                                 address_hash=digest, submitted_at=moment)
    bucket.last_at = moment
    bucket.save(update_fields=["last_at"])
    log_action("intake.submit", actor="群众", obj=submission, org=village, after={"village": village.name,
                                                                                "chars": len(text)})
    return submission, code


def submission_by_receipt(code: str) -> PublicSubmission | None:
    if len(normalise_receipt(code)) != 12:
        return None
    return PublicSubmission.objects.filter(receipt_hash=receipt_hash(code)).select_related(
        "village", "problem__rectification").first()


def _lock(submission: PublicSubmission) -> PublicSubmission:
    return PublicSubmission.objects.select_for_update(of=("self",)).select_related("village").get(pk=submission.pk)


@transaction.atomic
def submission_accept(*, actor, submission: PublicSubmission, category: str = Category.OTHER,
                      reason: str = "") -> PublicSubmission:
    """受理: the report becomes a problem of the village (source 群众提), handed to its unit."""
    submission = _lock(submission)
    if submission.state != SubmissionState.PENDING:
        raise IntakeError("该反映已处理")
    problem = rectification_services.problem_create(
        actor=actor, org=submission.village, description=submission.text, source=Source.PUBLIC, category=category,
        source_document=f"群众反映（{short_date(submission.submitted_at)}）", found_on=local_date(submission.submitted_at))
    submission.state, submission.problem = SubmissionState.ACCEPTED, problem
    submission.reason = (reason or "").strip()[:300] or "已转交责任单位整改"
    submission.moderated_by = actor if getattr(actor, "pk", None) else None
    submission.moderated_at = now()
    submission.save()
    log_action("intake.accept", actor=actor, obj=submission, org=submission.village, after={"problem": problem.pk})
    return submission


@transaction.atomic
def submission_reject(*, actor, submission: PublicSubmission, reason: str) -> PublicSubmission:
    submission = _lock(submission)
    if submission.state != SubmissionState.PENDING:
        raise IntakeError("该反映已处理")
    reason = (reason or "").strip()
    if not reason:
        raise IntakeError("不予受理须说明理由（理由对提交人公开，请勿写入个人信息）")
    submission.state, submission.reason = SubmissionState.REJECTED, reason[:300]
    submission.moderated_by = actor if getattr(actor, "pk", None) else None
    submission.moderated_at = now()
    submission.save()
    log_action("intake.reject", actor=actor, obj=submission, org=submission.village, after={"reason": submission.reason})
    return submission
