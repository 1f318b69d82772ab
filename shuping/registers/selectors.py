"""Reads of the registers: fact sets, sheets, the ledger a report is checked against, claims."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from shuping.orgs.models import Org

from .claims import Claim, RuleSpec, check_claims, split_words
from .models import ClaimRule, Enterer, Fact, FactSheet, FactValue, SheetState


def _prefixes(path: str) -> list[str]:
    """The paths of an org and all its ancestors: "/1/5/9/" → ["/1/", "/1/5/", "/1/5/9/"]."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def owned_in(root: Org | None, prefix: str = "owner__") -> Q:
    """Configuration (facts, rules) that reaches into root's subtree: shared, owned above root, or owned below it."""
    condition = Q(**{f"{prefix}isnull": True})
    if root is not None:
        condition |= Q(**{f"{prefix}path__in": _prefixes(root.path)})
        condition |= Q(**{f"{prefix}path__gte": root.path, f"{prefix}path__lt": root.path[:-1] + "0"})
    return condition


def active_facts(root: Org | None = None) -> list[Fact]:
    """Facts in use; with a root, only those that reach into its subtree (a county's own items stay in the county)."""
    found = Fact.objects.filter(active=True).select_related("owner", "enterer_org")
    return list(found.filter(owned_in(root)) if root is not None else found)


def facts_for(org: Org, facts: list[Fact] | None = None) -> list[Fact]:
    return [f for f in (facts if facts is not None else active_facts(org)) if f.applies_to(org)]


def org_for(scope, pk: int, permission: str = "register.view") -> Org:
    org = get_object_or_404(Org, pk=pk)
    scope.require(org, permission)
    return org


def sheet_values(sheet: FactSheet | None) -> dict[str, Decimal]:
    if sheet is None:
        return {}
    return {v.fact.code: v.value for v in sheet.values.select_related("fact")}


def sheet_for(org: Org, year: int) -> FactSheet | None:
    return FactSheet.objects.filter(org=org, year=year).first()


def org_history(org: Org) -> dict:
    """Every year's sheet of one org, newest first, as rows of the facts that apply to it."""
    facts = facts_for(org)
    sheets = list(FactSheet.objects.filter(org=org).order_by("-year").prefetch_related("values"))
    rows = []
    for sheet in sheets:
        by_fact = {v.fact_id: v.value for v in sheet.values.all()}
        rows.append({"sheet": sheet, "values": [format_value(f, by_fact.get(f.pk)) for f in facts]})
    return {"facts": facts, "rows": rows}


def format_value(fact: Fact, value: Decimal | None) -> str:
    if value is None:
        return ""
    if fact.kind == "boolean":
        return "是" if value else "否"
    if fact.kind == "integer" or value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}"


def subtree_table(root: Org, year: int, *, limit: int = 1000) -> dict:
    """Units under `root` (itself included) with their sheet state and values for the year."""
    facts = active_facts(root)
    orgs = list(root.subtree().order_by("path")[:limit])
    sheets = {s.org_id: s for s in FactSheet.objects.filter(org__in=[o.pk for o in orgs], year=year)}
    values = defaultdict(dict)
    for org_id, fact_id, value in FactValue.objects.filter(sheet__in=sheets.values()).values_list(
            "sheet__org_id", "fact_id", "value"):
        values[org_id][fact_id] = value
    rows = []
    for org in orgs:
        sheet = sheets.get(org.pk)
        rows.append({"org": org, "sheet": sheet,
                     "values": [format_value(f, values[org.pk].get(f.pk)) if f.applies_to(org) else "—" for f in facts]})
    return {"facts": facts, "rows": rows}


# --- the ledger behind a report ---------------------------------------------------------------


class OrgLedger:
    """Confirmed register values of an org and everything under it, for one year."""

    def __init__(self, org: Org, year: int):
        self.org = org
        orgs = {o.pk: o for o in org.subtree().only("pk", "name")}
        self._names = {pk: o.name for pk, o in orgs.items()}
        self._values: dict[str, dict[int, Decimal]] = defaultdict(dict)
        rows = FactValue.objects.filter(sheet__org__in=list(orgs), sheet__year=year,
                                        sheet__state=SheetState.CONFIRMED).values_list("fact__code", "sheet__org_id", "value")
        for code, org_id, value in rows:
            self._values[code][org_id] = value

    def value(self, fact_code):
        # Each unit enters its own level only (不含下级), so the org's figure is the sum over its subtree.
        values = self._values[fact_code]
        return sum(values.values(), Decimal(0)) if values else None

    def sub_values(self, fact_code):
        values = self._values[fact_code]
        return sorted(((self._names[pk], v) for pk, v in values.items()), key=lambda item: item[1])


def rule_specs(org: Org | None = None) -> list[RuleSpec]:
    """The active rules; for a report's org, the shared ones and those its county (or any superior) added."""
    rules = ClaimRule.objects.filter(active=True, fact__active=True).select_related("fact")
    if org is not None:
        rules = rules.filter(Q(owner__isnull=True) | Q(owner__path__in=_prefixes(org.path)))
    return [
        RuleSpec(name=r.name, fact_code=r.fact.code, fact_name=r.fact.name, fact_unit=r.fact.unit,
                 keywords=split_words(r.keywords), units=split_words(r.units), mode=r.mode,
                 qualifiers=split_words(r.qualifiers), excludes=split_words(r.excludes), tolerance=r.tolerance)
        for r in rules
    ]


def report_claims(org: Org, year: int, text: str, analysis: dict) -> list[Claim]:
    """The report's figures that map to a register fact, each compared with the confirmed ledger."""
    from .brands import check_practices

    rules = rule_specs(org)
    figures = check_claims(text, analysis.get("data_points", []), rules, OrgLedger(org, year)) if rules else []
    return sorted(figures + check_practices(org, text, analysis), key=lambda c: c.span[0])


def require_sheet_org(scope, org: Org, permission: str) -> None:
    if not scope.covers(org, permission):
        raise Http404


# --- who may do what beyond the named permission ----------------------------------------------


def may_confirm(scope, org: Org) -> bool:
    """The superior confirms: a confirmer whose scope covers the org's parent, never the unit itself."""
    return org.parent_id is not None and scope.covers_path(org.path.rsplit("/", 2)[0] + "/", "register.confirm")


def may_import(scope, root: Org) -> bool:
    return scope.covers(root, "register.enter") or scope.covers(root, "register.confirm")


def may_enter(scope, fact: Fact, org: Org, *, importing: bool = False) -> bool:
    """Whether the user may enter this fact for this org, by the fact's 填报主体.

    本单位: the unit's own people (register.enter); an import of the county's spreadsheet may also come from the
    superior that confirms. 上级党组织: whoever covers the parent (its people or its confirmers), never the unit.
    指定部门: the named department (its people or admins), for units under the department's own superior.
    """
    if fact.enterer == Enterer.SUPERIOR:
        if org.parent_id is None:
            return False
        parent = org.path.rsplit("/", 2)[0] + "/"
        return scope.covers_path(parent, "register.enter") or may_confirm(scope, org)
    if fact.enterer == Enterer.DEPARTMENT:
        department = fact.enterer_org
        if department is None or department.parent_id is None:
            return False
        reach = department.path.rsplit("/", 2)[0] + "/"
        return org.path.startswith(reach) and (scope.covers(department, "register.enter")
                                               or scope.covers(department, "register.confirm"))
    return scope.covers(org, "register.enter") or (importing and scope.covers(org, "register.confirm"))


def may_submit(scope, org: Org, *, importing: bool = False) -> bool:
    """Submitting for confirmation is the unit's act (or the superior's, when it imports the unit's row)."""
    return scope.covers(org, "register.enter") or (importing and scope.covers(org, "register.confirm"))


def _top_level(scope) -> bool:
    return any(path.count("/") == 2 for path in scope.paths("register.configure"))


def may_configure(scope) -> bool:
    """Admins maintain facts and rules for their own area (a county its own items); shared ones are top-level."""
    return scope.has("register.configure")


def may_edit_config(scope, item) -> bool:
    """A fact or rule: shared ones only by a top-level admin; a county's own by admins covering that county."""
    if item.owner_id is None:
        return _top_level(scope)
    return scope.covers(item.owner, "register.configure")


def config_owner_choices(scope) -> list[tuple[str, str]]:
    """The 适用范围 a user may give a fact or rule: the orgs they configure, and 全系统通用 for top-level admins."""
    choices = [("", "全系统通用")] if _top_level(scope) else []
    return choices + [(str(o.pk), o.name) for o in scope.root_orgs("register.configure")]


def visible_config(scope, model):
    """Facts or rules shown on the configuration page: shared ones and those reaching into the user's area."""
    condition = Q(owner__isnull=True)
    for path in scope.paths("register.view"):
        condition |= Q(owner__path__in=_prefixes(path)) | Q(owner__path__gte=path, owner__path__lt=path[:-1] + "0")
    return model.objects.filter(condition)


# --- claims of reports for the 半年督查核实 page ---------------------------------------------------


def _plan_participants(plan):
    from shuping.campaigns.models import Participant

    year = plan.period_start.year
    return (Participant.objects.filter(org__in=plan.org.subtree(), campaign__year__in=[year - 1, year])
            .select_related("org", "org__secretary", "campaign").order_by("-campaign__year", "org__path"))


def _claims_of(participant) -> tuple[object, list[Claim]]:
    from shuping.reports.models import Report
    from shuping.reports.selectors import analysis_for

    report = Report.objects.filter(participant=participant).first()
    version = report and (report.approved_version or report.submitted_version or report.latest_version())
    if not version:
        return None, []
    analysis = analysis_for(version, participant)
    return version, report_claims(participant.org, participant.campaign.year, version.text, analysis)


def plan_claims(plan) -> list[dict]:
    """Each report in the plan's area with its claims and any 核实结果 already recorded; mismatches first."""
    from .models import ClaimVerification

    recorded = {(v.participant_id, v.claim_key): v for v in ClaimVerification.objects.filter(plan=plan)}
    entries = []
    for participant in _plan_participants(plan):
        version, found = _claims_of(participant)
        if not found:
            continue
        order = {"mismatch": 0, "nodata": 1, "match": 2}
        found.sort(key=lambda c: (order[c.status], c.span[0]))
        entries.append({"participant": participant, "version": version,
                        "claims": [(c, recorded.get((participant.pk, c.key))) for c in found],
                        "mismatches": sum(1 for c in found if c.flagged)})
    return entries


def plan_report(plan, participant_pk: int) -> dict | None:
    participant = _plan_participants(plan).filter(pk=participant_pk).first()
    if participant is None:
        return None
    version, found = _claims_of(participant)
    return {"participant": participant, "version": version, "claims": found}
