"""Writes of the registers. The unit enters and submits its 基础数据; the superior confirms or returns."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from shuping.audit.services import log_action, snapshot
from shuping.clock import now
from shuping.orgs.models import Org
from shuping.rectification import services as rectification_services
from shuping.rectification.models import Category, Source

from . import rollup
from .claims import Claim
from .models import (
    ClaimRule,
    ClaimVerification,
    Enterer,
    Fact,
    FactKind,
    FactSheet,
    FactValue,
    SheetState,
    Verdict,
)

TRUE_WORDS = {"是", "有", "1", "Y", "y", "yes", "true", "√"}
FALSE_WORDS = {"否", "无", "0", "N", "n", "no", "false", "×"}
EDITABLE = (SheetState.DRAFT, SheetState.RETURNED)


class RegisterError(ValidationError):
    pass


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def parse_fact_value(fact: Fact, text) -> Decimal | None:
    """A cell or form entry as the fact's value; blank → None; anything else wrong → a Chinese message."""
    text = str(text if text is not None else "").strip()
    if not text:
        return None
    if fact.kind == FactKind.BOOLEAN:
        if text in TRUE_WORDS:
            return Decimal(1)
        if text in FALSE_WORDS:
            return Decimal(0)
        raise RegisterError(f"{fact.name}应填“是”或“否”，不能是“{text}”")
    try:
        value = Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        raise RegisterError(f"{fact.name}应为数字，不能是“{text}”") from None
    if not value.is_finite():
        raise RegisterError(f"{fact.name}应为数字，不能是“{text}”")
    if fact.kind == FactKind.INTEGER and value != value.to_integral_value():
        raise RegisterError(f"{fact.name}应为整数，不能是“{text}”")
    if fact.min_value is not None and value < fact.min_value:
        raise RegisterError(f"{fact.name}不能小于 {fact.min_value.normalize():f}{fact.unit}")
    if fact.max_value is not None and value > fact.max_value:
        raise RegisterError(f"{fact.name}不能大于 {fact.max_value.normalize():f}{fact.unit}")
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _lock_sheet(org: Org, year: int, actor) -> tuple[FactSheet, bool]:
    # Row lock: a unit saving while its superior confirms must not interleave.
    sheet, created = FactSheet.objects.select_for_update().get_or_create(
        org=org, year=year, defaults={"updated_at": now(), "updated_by": _user(actor)})
    return sheet, created


def _values_snapshot(sheet: FactSheet) -> dict:
    return {v.fact.code: str(v.value) for v in sheet.values.select_related("fact")}


def _store_values(sheet: FactSheet, values: dict[Fact, Decimal | None]) -> int:
    changed = 0
    current = {v.fact_id: v for v in sheet.values.all()}
    for fact, value in values.items():
        row = current.get(fact.pk)
        if value is None:
            if row is not None:
                row.delete()
                changed += 1
        elif row is None:
            FactValue.objects.create(sheet=sheet, fact=fact, value=value)
            changed += 1
        elif row.value != value:
            row.value = value
            row.save(update_fields=["value"])
            changed += 1
    return changed


def _scope_of(actor):
    """The acting user's scope; None for the system (demo, synthetic data, migrations), which is not checked."""
    from shuping.accounts.scope import UserScope

    return UserScope(actor) if _user(actor) is not None else None


@transaction.atomic
def sheet_save(*, actor, org: Org, year: int, values: dict[Fact, Decimal | None], submit: bool = False,
               state_from_import: bool = False) -> FactSheet:
    """Enter values by each fact's 填报主体 and, for the unit, submit for confirmation.

    The unit's own items change only while the sheet is being filled or was returned (an import may also refresh a
    submitted sheet); items entered by the superior or a named department may be added until the sheet is
    confirmed. A confirmed sheet is not edited behind the confirmer's back.
    """
    from . import selectors

    scope = _scope_of(actor)
    for fact in values:
        if not fact.applies_to(org):
            raise RegisterError(f"“{fact.name}”不适用于{org.name}")
        if scope is not None and not selectors.may_enter(scope, fact, org, importing=state_from_import):
            raise RegisterError(f"“{fact.name}”由{fact.enterer_display}，您无权填报{org.name}的该项数据")
    if submit and scope is not None and not selectors.may_submit(scope, org, importing=state_from_import):
        raise RegisterError(f"只有{org.name}本单位才能提交基础数据")
    sheet, _ = _lock_sheet(org, year, actor)
    unit_items = submit or any(f.enterer == Enterer.UNIT for f in values)
    editable = sheet.state in EDITABLE or (state_from_import and sheet.state == SheetState.SUBMITTED)
    if sheet.state == SheetState.CONFIRMED or (unit_items and not editable):
        raise RegisterError(f"{org.name}{year}年基础数据{sheet.get_state_display()}，不能修改；如需更正请上级退回")
    before = {"state": sheet.state, "values": _values_snapshot(sheet)}
    _store_values(sheet, values)
    if submit:
        sheet.state = SheetState.SUBMITTED
        sheet.return_reason = ""
    sheet.updated_at, sheet.updated_by = now(), _user(actor)
    sheet.save()
    log_action("register.sheet_submit" if submit else "register.sheet_save", actor=actor, obj=sheet, org=org,
               before=before, after={"state": sheet.state, "values": _values_snapshot(sheet)})
    return sheet


@transaction.atomic
def sheet_confirm(*, actor, sheet: FactSheet) -> FactSheet:
    sheet = FactSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.state != SheetState.SUBMITTED:
        raise RegisterError(f"只有待上级确认的基础数据才能确认（当前：{sheet.get_state_display()}）")
    sheet.state, sheet.confirmed_at, sheet.confirmed_by = SheetState.CONFIRMED, now(), _user(actor)
    sheet.save(update_fields=["state", "confirmed_at", "confirmed_by"])
    rollup.sheet_changed(sheet, +1)
    log_action("register.sheet_confirm", actor=actor, obj=sheet, org=sheet.org,
               before={"state": SheetState.SUBMITTED}, after={"state": sheet.state, "values": _values_snapshot(sheet)})
    return sheet


@transaction.atomic
def sheet_return(*, actor, sheet: FactSheet, reason: str) -> FactSheet:
    reason = (reason or "").strip()
    if not reason:
        raise RegisterError("请填写退回原因")
    sheet = FactSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.state not in (SheetState.SUBMITTED, SheetState.CONFIRMED):
        raise RegisterError(f"{sheet.get_state_display()}的基础数据不能退回")
    before = sheet.state
    if before == SheetState.CONFIRMED:
        rollup.sheet_changed(sheet, -1)
    sheet.state, sheet.return_reason = SheetState.RETURNED, reason[:500]
    sheet.confirmed_at = sheet.confirmed_by = None
    sheet.save(update_fields=["state", "return_reason", "confirmed_at", "confirmed_by"])
    log_action("register.sheet_return", actor=actor, obj=sheet, org=sheet.org, before={"state": before},
               after={"state": sheet.state, "reason": sheet.return_reason})
    return sheet


# --- configuration: the fact set and the cross-check rules -----------------------------------


def _check_config_scope(actor, item, old) -> None:
    """Shared items are the top-level admins'; a county's own items are its admins' (enforced here, not only in views)."""
    from . import selectors

    scope = _scope_of(actor)
    if scope is None:
        return
    for version in (old, item):
        if version is not None and not selectors.may_edit_config(scope, version):
            where = version.owner.name if version.owner_id else "全系统通用"
            raise RegisterError(f"无权维护适用范围为“{where}”的{version._meta.verbose_name}")


@transaction.atomic
def fact_save(*, actor, fact: Fact) -> Fact:
    old = Fact.objects.select_related("owner").get(pk=fact.pk) if fact.pk else None
    _check_config_scope(actor, fact, old)
    if old is not None and old.owner_id != fact.owner_id and old.values.exists():
        raise RegisterError("该数据项已有填报数据，不能改变适用范围")
    before = snapshot(old) if old else None
    fact.full_clean()
    fact.save()
    log_action("register.fact_save", actor=actor, obj=fact, org=fact.owner, before=before, after=snapshot(fact))
    return fact


@transaction.atomic
def rule_save(*, actor, rule: ClaimRule) -> ClaimRule:
    old = ClaimRule.objects.select_related("owner").get(pk=rule.pk) if rule.pk else None
    _check_config_scope(actor, rule, old)
    before = snapshot(old) if old else None
    if not rule.keywords.strip() or not rule.units.strip():
        raise RegisterError("关键词和数字单位不能为空")
    fact_owner = rule.fact.owner if rule.fact_id else None
    if fact_owner is not None and (rule.owner is None or not rule.owner.path.startswith(fact_owner.path)):
        raise RegisterError(f"“{rule.fact.name}”只适用于{fact_owner.name}，规则的适用范围须在其内")
    rule.full_clean()
    rule.save()
    log_action("register.rule_save", actor=actor, obj=rule, org=rule.owner, before=before, after=snapshot(rule))
    return rule


# --- 半年督查核实 of report claims --------------------------------------------------------------


@transaction.atomic
def claim_verify(*, actor, plan, participant, claim: Claim, verdict: str, note: str = "") -> ClaimVerification:
    """Record the inspector's 核实结果; 不属实 opens a problem (source 督查发现) in the rectification ledger."""
    if verdict not in Verdict.values:
        raise RegisterError("请选择核实结果")
    note = (note or "").strip()
    if verdict == Verdict.FALSE and not note:
        raise RegisterError("核实为“不属实”时请写明核实情况")
    if not participant.org.is_within(plan.org):
        raise RegisterError(f"“{participant.org.name}”不在本次督查范围内")
    existing = ClaimVerification.objects.select_for_update().filter(
        plan=plan, participant=participant, claim_key=claim.key).first()
    if existing is not None and existing.problem_id:
        raise RegisterError("该数据已核实为不属实并转为问题，不能再更改；请在问题清单中办理")
    before = snapshot(existing) if existing else None
    record = existing or ClaimVerification(plan=plan, participant=participant, claim_key=claim.key)
    record.sentence, record.figure, record.register_text = claim.sentence[:2000], claim.figure[:100], claim.message[:300]
    record.verdict, record.note, record.recorded_at, record.recorded_by = verdict, note[:500], now(), _user(actor)
    if verdict == Verdict.FALSE:
        record.problem = rectification_services.problem_create(
            actor=actor, org=participant.org, source=Source.INSPECTION, category=Category.OTHER,
            description=f"述职报告数据不实：{claim.message}。原文：“{claim.sentence.strip()[:200]}”。核实情况：{note}",
            source_document=f"{plan.title}（数据核实）", owner=participant.org.secretary,
        )
    record.save()
    log_action("register.claim_verify", actor=actor, obj=record, org=participant.org, before=before,
               after=snapshot(record))
    return record


@transaction.atomic
def star_rule_set(*, actor, criterion, fact: Fact | None, threshold: Decimal | None):
    """Make a 星级 criterion read the register (fact ≥ threshold → full score), or stop it (fact None)."""
    from .models import StarFactRule

    existing = StarFactRule.objects.filter(criterion=criterion).first()
    before = snapshot(existing) if existing else None
    if fact is None:
        if existing:
            existing.delete()
        log_action("register.star_rule", actor=actor, obj=criterion, org=criterion.criteria_set.organiser,
                   before=before, after=None)
        return None
    if threshold is None:
        raise RegisterError("请填写达标值")
    rule = existing or StarFactRule(criterion=criterion)
    rule.fact, rule.threshold = fact, threshold
    rule.save()
    log_action("register.star_rule", actor=actor, obj=criterion, org=criterion.criteria_set.organiser,
               before=before, after=snapshot(rule))
    return rule
