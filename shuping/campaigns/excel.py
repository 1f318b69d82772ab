"""Campaign workbooks: rubric import/export, the ballot workbook (template and all-or-nothing
import) and the result table."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils.timezone import localtime

from shuping.clock import short_datetime
from shuping.core.xlsx import (
    PERCENT_FORMAT,
    SCORE_FORMAT,
    ImportFailed,
    RowError,
    WorkbookError,
    new_workbook,
    open_workbook,
    read_sheet,
    workbook_bytes,
    write_sheet,
)
from shuping.scoring.numbers import ScoreError, parse_score

from . import services
from .models import (
    Ballot,
    BallotScore,
    BallotSource,
    Campaign,
    DemocraticChoice,
    IndicatorKind,
)

CENT = Decimal("0.01")


def _no_progress(done: int, total: int, step: str = "") -> None:
    return None


# ---- rubric ---------------------------------------------------------------------------------

RUBRIC_SHEET = "指标"
RUBRIC_HEADERS = ["指标编码", "指标名称", "类型", "满分", "评分要点", "对应主题", "顺序"]
KINDS = {label: value for value, label in IndicatorKind.choices} | {v: v for v in IndicatorKind.values}


def rubric_export(campaign: Campaign) -> bytes:
    workbook = new_workbook()
    rows = (
        [i.code, i.name, i.get_kind_display(), i.max_score, i.guidance, i.topic, i.order]
        for i in campaign.indicators.order_by("order", "code")
    )
    write_sheet(workbook, RUBRIC_SHEET, RUBRIC_HEADERS, rows, widths={"指标名称": 24, "评分要点": 60})
    write_sheet(workbook, "填写说明", ["说明"], [
        ["每行一个指标；“指标编码”在本次考核内唯一，评分表按编码对应指标。"],
        ["“类型”填写：必答题、加分题、扣分项、一票否决。必答题和加分题由评议人打分；扣分项和一票否决由组织部门录入。"],
        ["“满分”为该指标可打的最高分（加分题即其加分上限），不超过两位小数。"],
        ["导入时以本表为准：表中没有的指标将被删除，编码相同的指标被更新。"],
    ], widths={"说明": 100})
    return workbook_bytes(workbook)


def _decimal(text: str) -> Decimal | None:
    """A number by the one shared rule (shuping.scoring.numbers); None when it is refused."""
    try:
        return parse_score(text, minimum=Decimal("-100000"))
    except ScoreError:
        return None


def rubric_import(source, *, actor, campaign: Campaign, max_bytes: int | None = None) -> int:
    """Replace the campaign's rubric with the workbook's; all or nothing."""
    workbook = open_workbook(source, max_bytes=max_bytes)
    errors: list[RowError] = []
    sheet = read_sheet(workbook, RUBRIC_SHEET, RUBRIC_HEADERS[:4], RUBRIC_HEADERS[4:], errors)
    if sheet is None and not errors:
        raise WorkbookError(f"工作簿中没有“{RUBRIC_SHEET}”工作表")
    items = []
    seen: dict[str, int] = {}
    for number, row in sheet.rows if sheet else []:
        def err(column, message, number=number):
            errors.append(RowError(RUBRIC_SHEET, number, column, message))

        code = row["指标编码"]
        if not code or len(code) > 32:
            err("指标编码", "指标编码不能为空，且不超过 32 个字符")
        elif code in seen:
            err("指标编码", f"指标编码“{code}”与第 {seen[code]} 行重复")
        else:
            seen[code] = number
        if not row["指标名称"]:
            err("指标名称", "指标名称不能为空")
        kind = KINDS.get(row["类型"])
        if kind is None:
            err("类型", f"类型“{row['类型']}”无效，应为：必答题、加分题、扣分项、一票否决")
        max_score = _decimal(row["满分"] or "0")
        if max_score is None or max_score < 0 or max_score >= Decimal("100000"):
            err("满分", f"满分“{row['满分']}”不是有效的非负数（最多两位小数）")
        order_text = row.get("顺序", "") or str(len(items) + 1)
        if not order_text.isdigit():
            err("顺序", "顺序应为整数")
        items.append({"code": code, "name": row["指标名称"][:100], "kind": kind, "max_score": max_score,
                      "guidance": row.get("评分要点", ""), "topic": row.get("对应主题", "")[:50],
                      "order": int(order_text) if order_text.isdigit() else 0})
    if sheet is not None and not sheet.rows and not errors:
        errors.append(RowError(RUBRIC_SHEET, 0, "", "没有任何指标"))
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        existing = {i.code: i for i in campaign.indicators.all()}
        for item in items:
            services.indicator_save(actor=actor, campaign=campaign, indicator=existing.get(item["code"]), **item)
        for code, indicator in existing.items():
            if code not in seen:
                services.indicator_delete(actor=actor, indicator=indicator)
    return len(items)


# ---- ballots ---------------------------------------------------------------------------------

SCORE_SHEET = "评分"
SCORE_HEADERS = ["评议人编号", "评议组", "述职人", "指标编码", "得分"]
VOTE_SHEET = "民主测评"
VOTE_HEADERS = ["评议组", "述职人", "评价"]


class ReporterLookup:
    """述职人 may be the org code, the org name or the secretary's name; ambiguity is an error."""

    def __init__(self, campaign: Campaign):
        self.by_code = {}
        self.by_name = defaultdict(set)
        self.labels = {}
        for p in campaign.participants.select_related("org", "secretary"):
            self.by_code[p.org.code] = p
            self.by_name[p.org.name].add(p)
            if p.secretary:
                self.by_name[p.secretary.name].add(p)
            self.labels[p.pk] = p.org.name
        self.participants = {p.pk: p for p in self.by_code.values()}

    def find(self, text: str):
        """(participant, None) or (None, Chinese error)."""
        if not text:
            return None, "述职人不能为空"
        if text in self.by_code:
            return self.by_code[text], None
        matches = self.by_name.get(text, set())
        if len(matches) == 1:
            return next(iter(matches)), None
        if len(matches) > 1:
            names = "、".join(sorted(f"{p.org.name}（{p.org.code}）" for p in matches))
            return None, f"“{text}”对应多名述职人：{names}，请改填组织编码"
        return None, f"“{text}”不是本次考核的述职人（可填组织编码、述职单位名称或书记姓名）"


class GroupLookup:
    def __init__(self, campaign: Campaign):
        self.groups = {}
        for g in campaign.evaluator_groups.all():
            self.groups[g.code] = g
            self.groups[g.name] = g

    def find(self, text: str):
        group = self.groups.get(text)
        if group is None:
            known = "、".join(sorted({f"{g.code} {g.name}" for g in self.groups.values()}))
            return None, f"评议组“{text}”不存在（可填编码或名称：{known}）"
        return group, None


@dataclass
class BallotImportSummary:
    score_ballots: int
    democratic_votes: int

    def describe(self) -> str:
        return f"已导入评分票 {self.score_ballots} 张、民主测评票 {self.democratic_votes} 张"


def excel_slot(evaluator_code: str, participant_id: int) -> str:
    return services.slot_for(f"excel:{evaluator_code}", participant_id)


def _file_bytes(source) -> bytes:
    if hasattr(source, "read"):
        source.seek(0)
        data = source.read()
        source.seek(0)
        return data
    with open(source, "rb") as handle:
        return handle.read()


def _misnamed_ballot_sheets(workbook) -> list[RowError]:
    """A sheet that carries 评分 or 民主测评 headers under another name is an error, never skipped:
    skipping it once and importing the fixed file later would count the other sheet twice."""
    errors = []
    for name in workbook.sheetnames:
        if name in (SCORE_SHEET, VOTE_SHEET):
            continue
        try:
            header = next(workbook[name].iter_rows(max_row=1, values_only=True), ())
        except Exception:  # noqa: BLE001 - an unreadable extra sheet is judged by the sheets we read
            continue
        cells = {str(c).strip() for c in header if c is not None}
        for proper, needed in ((SCORE_SHEET, {"指标编码", "得分"}), (VOTE_SHEET, {"述职人", "评价"})):
            if needed <= cells:
                errors.append(RowError(name, 1, "", f"工作表“{name}”的表头是“{proper}”表的表头，但工作表名不是"
                                                    f"“{proper}”：请把它改名为“{proper}”（或删除），再导入整个文件"))
    return errors


def ballots_import(source, *, actor, campaign: Campaign, max_bytes: int | None = None,
                   note: str = "", progress=_no_progress) -> BallotImportSummary:
    """Validate every row first; any error → ImportFailed with the full list and nothing stored.

    Each imported file is a batch with its sha256: the same file again is refused, and a batch can
    be revoked as a whole before results are published (`services.ballot_batch_revoke`)."""
    campaign = Campaign.objects.get(pk=campaign.pk)
    services.require_ballot_state(campaign)
    digest = hashlib.sha256(_file_bytes(source)).hexdigest()
    workbook = open_workbook(source, max_bytes=max_bytes)
    earlier = services.active_batch(campaign, digest)
    if earlier is not None:
        raise WorkbookError(f"这个文件已于 {localtime(earlier.imported_at):%Y-%m-%d %H:%M} 导入过（{earlier.file_name or '批次'}），"
                            "不能重复导入；如需重新导入，请先在“导入批次”中撤销该批次")
    errors: list[RowError] = _misnamed_ballot_sheets(workbook)
    score_sheet = read_sheet(workbook, SCORE_SHEET, SCORE_HEADERS, errors=errors)
    vote_sheet = read_sheet(workbook, VOTE_SHEET, VOTE_HEADERS, errors=errors)
    if SCORE_SHEET not in workbook.sheetnames and VOTE_SHEET not in workbook.sheetnames:
        raise WorkbookError(f"工作簿中既没有“{SCORE_SHEET}”也没有“{VOTE_SHEET}”工作表，请使用评分表模板")

    reporters = ReporterLookup(campaign)
    groups = GroupLookup(campaign)
    indicators = {i.code: i for i in campaign.indicators.all()}
    scored = {code: i for code, i in indicators.items() if i.is_scored_at_meeting}

    # (evaluator, participant id) → {"group", "first_row", "scores": {code: (score, row)}}
    ballots: dict[tuple[str, int], dict] = {}
    evaluator_groups: dict[str, tuple[int, int]] = {}  # evaluator → (group id, first row)
    broken: set[tuple[str, int]] = set()  # ballots with a row error: "missing items" would only repeat it
    score_rows = score_sheet.rows if score_sheet else []
    for index, (number, row) in enumerate(score_rows):
        if index % 500 == 0:
            progress(1, 4, f"正在校验评分表（{index}/{len(score_rows)} 行）")

        def err(column, message, number=number):
            errors.append(RowError(SCORE_SHEET, number, column, message))

        evaluator = row["评议人编号"]
        if not evaluator or len(evaluator) > 64:
            err("评议人编号", "评议人编号不能为空，且不超过 64 个字符")
        group, message = groups.find(row["评议组"])
        if message:
            err("评议组", message)
        participant, message = reporters.find(row["述职人"])
        if message:
            err("述职人", message)
        code = row["指标编码"]
        indicator = indicators.get(code)
        if indicator is None:
            err("指标编码", f"指标编码“{code}”不存在" if code else "指标编码不能为空")
        elif not indicator.is_scored_at_meeting:
            err("指标编码", f"“{code} {indicator.name}”是{indicator.get_kind_display()}，由组织部门录入，评议人不打分")
            indicator = None
        score = None
        if not row["得分"]:
            err("得分", "得分不能为空")
        else:
            try:
                score = parse_score(row["得分"], label="得分",
                                    maximum=indicator.max_score if indicator is not None else None)
            except ScoreError as error:
                where = f"（{indicator.code} {indicator.name}）" if indicator is not None else ""
                err("得分", f"{error}{where}")
        if evaluator and group:
            first = evaluator_groups.setdefault(evaluator, (group.pk, number))
            if first[0] != group.pk:
                err("评议组", f"评议人“{evaluator}”在第 {first[1]} 行属于另一个评议组")
        if not (evaluator and group and participant and indicator and score is not None):
            if evaluator and participant:
                broken.add((evaluator, participant.pk))
            continue
        ballot = ballots.setdefault((evaluator, participant.pk), {"group": group, "first_row": number, "scores": {}})
        if indicator.code in ballot["scores"]:
            earlier = ballot["scores"][indicator.code][1]
            err("指标编码", f"重复评分：评议人“{evaluator}”对“{reporters.labels[participant.pk]}”的指标"
                        f"{indicator.code}已在第 {earlier} 行填写")
            continue
        ballot["scores"][indicator.code] = (score, number)

    slots = {key: excel_slot(key[0], key[1]) for key in ballots}
    existing = set(Ballot.objects.filter(campaign=campaign, slot__in=slots.values()).values_list("slot", flat=True))
    score_ballots = []
    for (evaluator, participant_id), ballot in ballots.items():
        label = reporters.labels[participant_id]
        missing = [code for code in scored if code not in ballot["scores"]]
        if missing and (evaluator, participant_id) not in broken:
            errors.append(RowError(SCORE_SHEET, ballot["first_row"], "指标编码",
                                   f"评议人“{evaluator}”对“{label}”的评分缺少指标：{'、'.join(missing)}"))
        if slots[(evaluator, participant_id)] in existing:
            errors.append(RowError(SCORE_SHEET, ballot["first_row"], "评议人编号",
                                   f"评议人“{evaluator}”对“{label}”的测评票已导入过，不能重复导入"))
        values = {indicators[code].pk: score for code, (score, _row) in ballot["scores"].items()}
        score_ballots.append((slots[(evaluator, participant_id)], participant_id, ballot["group"].pk,
                              sum(values.values(), Decimal(0)), values))

    progress(2, 4, "正在校验民主测评表")
    votes = []
    choices = set(DemocraticChoice.values)
    for number, row in vote_sheet.rows if vote_sheet else []:
        def err(column, message, number=number):
            errors.append(RowError(VOTE_SHEET, number, column, message))

        group, message = groups.find(row["评议组"])
        if message:
            err("评议组", message)
        participant, message = reporters.find(row["述职人"])
        if message:
            err("述职人", message)
        choice = row["评价"]
        if choice not in choices:
            err("评价", f"评价“{choice}”无效，应为：好、较好、一般、差")
        if group and participant and choice in choices:
            votes.append((participant.pk, group.pk, choice))

    if not score_ballots and not votes and not errors:
        errors.append(RowError(SCORE_SHEET, 0, "", "没有任何测评数据"))
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.sheet != SCORE_SHEET, e.row)))
    progress(3, 4, f"全部校验通过，正在写入评分票 {len(score_ballots)} 张、民主测评票 {len(votes)} 张")
    try:
        counts = services.ballots_store(actor=actor, campaign=campaign, score_ballots=score_ballots,
                                        democratic_votes=votes, source=BallotSource.EXCEL, note=note,
                                        file_sha256=digest)
    except IntegrityError:
        # Another import of the same ballots won the race between our check and our insert.
        raise ImportFailed([RowError(SCORE_SHEET, 0, "", "部分测评票刚刚已被导入，请刷新后核对")]) from None
    return BallotImportSummary(*counts)


def ballot_template(campaign: Campaign) -> bytes:
    """A blank ballot workbook pre-filled with the reporters and indicator codes."""
    participants = list(campaign.participants.select_related("org", "secretary", "ranking_group"))
    indicators = [i for i in campaign.indicators.order_by("order", "code") if i.is_scored_at_meeting]
    groups = list(campaign.evaluator_groups.all())
    workbook = new_workbook()
    write_sheet(workbook, SCORE_SHEET, SCORE_HEADERS,
                ([ "", "", p.org.code, i.code, ""] for p in participants for i in indicators),
                widths={"评议人编号": 14, "述职人": 16})
    write_sheet(workbook, VOTE_SHEET, VOTE_HEADERS, (["", p.org.code, ""] for p in participants),
                widths={"述职人": 16})
    write_sheet(workbook, "述职人", ["排名分组", "组织编码", "述职单位", "述职人"],
                ([p.ranking_group.name, p.org.code, p.org.name, p.secretary.name if p.secretary else ""]
                 for p in participants), widths={"述职单位": 30})
    write_sheet(workbook, "指标", ["指标编码", "指标名称", "类型", "满分"],
                ([i.code, i.name, i.get_kind_display(), i.max_score] for i in indicators), widths={"指标名称": 24})
    write_sheet(workbook, "评议组", ["编码", "名称", "权重"], ([g.code, g.name, g.weight] for g in groups))
    write_sheet(workbook, "填写说明", ["说明"], [
        [f"本表用于“{campaign.title}”的测评票录入，导入时全部校验通过才写入，有错误时逐行列出且不导入任何数据。"],
        ["“评分”表：每行是一名评议人对一名述职人一个指标的得分。列：评议人编号、评议组、述职人、指标编码、得分。"],
        ["  评议人编号：每名评议人一个编号（如 CW01），同一评议人在所有行中属于同一评议组。"],
        ["  评议组：填写编码或名称（见“评议组”表）。"],
        ["  述职人：填写组织编码（推荐）、述职单位名称或书记姓名；重名时必须填组织编码。"],
        ["  指标编码：见“指标”表；每名评议人对每名述职人必须为全部必答题和加分题打分，每个指标只填一次。"],
        ["  得分：0 至该指标满分之间的数，最多两位小数；不接受公式。"],
        ["本表已为每名述职人、每个指标预填一行：请为每名评议人复制一份这些行，填写评议人编号、评议组和得分。"],
        ["“民主测评”表：每行一票。列：评议组、述职人、评价（好/较好/一般/差）。不记录评议人。"],
        ["同一评议人对同一述职人的评分票只能导入一次；同一文件只能导入一次（系统按文件校验值识别），导错的文件可在“导入批次”中整批撤销。"],
        ["工作表名必须是“评分”“民主测评”：表头相同而名称不同的工作表会被报错，不会被跳过。"],
    ], widths={"说明": 110})
    return workbook_bytes(workbook)


# ---- results --------------------------------------------------------------------------------

RESULT_SHEET = "结果"
DETAIL_SHEET = "指标明细"


@dataclass
class ResultTable:
    rows: list[dict]
    version: object | None  # ResultVersion or None for a live preview

    @property
    def is_preview(self) -> bool:
        return self.version is None


def result_table(campaign: Campaign, version=None) -> ResultTable:
    """The given version, else the latest published one, else a live preview of the tally."""
    if version is None and campaign.is_frozen:
        version = services.latest_version(campaign)
    if version is not None:
        return ResultTable(rows=version.data, version=version)
    return ResultTable(rows=services.results_payload(campaign, services.campaign_tally(campaign)), version=None)


def _number(text):
    return None if text in (None, "") else Decimal(text)


def indicator_means(campaign: Campaign) -> dict[tuple[int, int], tuple[Decimal, int]]:
    """(participant id, indicator id) → (mean score, ballot count), one GROUP BY in the database."""
    rows = (
        BallotScore.objects.filter(ballot__campaign=campaign, ballot__is_test=False)
        .values("ballot__participant_id", "indicator_id")
        .annotate(total=Sum("score"), n=Count("pk"))
        .order_by()
    )
    return {
        (r["ballot__participant_id"], r["indicator_id"]): (
            (Decimal(r["total"]) / r["n"]).quantize(CENT, ROUND_HALF_UP), r["n"]
        )
        for r in rows
    }


def results_export(campaign: Campaign, version=None, row_filter=None, progress=_no_progress) -> tuple[bytes, ResultTable]:
    """`row_filter` (rows → rows) narrows the table to what the viewer may see."""
    progress(0, 4, "正在汇总测评结果" if version is None and not campaign.is_frozen else "正在读取已发布的结果")
    table = result_table(campaign, version)
    if row_filter is not None:
        table = ResultTable(rows=row_filter(table.rows), version=table.version)
    groups = list(campaign.evaluator_groups.all())
    headers = ["排名分组", "排名", "述职单位", "述职人", *[f"{g.name}得分" for g in groups],
               "现场测评得分", "民主测评得分", "好评率", "日常考核得分", "加分", "扣分", "综合得分", "等次", "一票否决"]
    rows = []
    for r in table.rows:
        group_scores = r["group_scores"]
        rows.append([
            r["ranking_group"], r["rank"], r["org"], r["reporter"],
            *[_number(group_scores[g.code]["score"]) if g.code in group_scores else None for g in groups],
            _number(r["meeting_score"]), _number(r["democratic_score"]),
            None if r["good_rate"] is None else Decimal(r["good_rate"]) / 100,
            _number(r["routine_score"]), _number(r["bonus"]), _number(r["deduction"]), _number(r["composite"]),
            r["grade"] or "", "是" if r["vetoed"] else "",
        ])
    progress(1, 4, f"正在写入结果表（{len(rows)} 个述职单位）")
    workbook = new_workbook()
    score_columns = [h for h in headers if h.endswith("得分")] + ["加分", "扣分"]
    write_sheet(workbook, RESULT_SHEET, headers, rows, widths={"述职单位": 30},
                formats={"好评率": PERCENT_FORMAT, **dict.fromkeys(score_columns, SCORE_FORMAT)})

    progress(2, 4, "正在统计各指标平均得分")
    means = indicator_means(campaign)
    indicators = [i for i in campaign.indicators.order_by("order", "code") if i.is_scored_at_meeting]
    detail = []
    for r in table.rows:
        for i in indicators:
            mean, count = means.get((r["participant"], i.pk), (None, 0))
            detail.append([r["ranking_group"], r["org"], r["reporter"], i.code, i.name, i.max_score, mean, count])
    write_sheet(workbook, DETAIL_SHEET, ["排名分组", "述职单位", "述职人", "指标编码", "指标名称", "满分", "平均得分", "票数"],
                detail, widths={"述职单位": 30, "指标名称": 24})

    if table.version is not None:
        v = table.version
        status = f"已发布 第 {v.number} 版"
        info = [["考核名称", campaign.title], ["状态", status], ["版本号", v.number],
                ["发布时间", short_datetime(v.created_at)], ["发布/更正说明", v.reason],
                ["内容哈希（SHA-256）", v.content_hash]]
    else:
        info = [["考核名称", campaign.title], ["状态", "预览（结果尚未发布，可能变化）"]]
    write_sheet(workbook, "说明", ["项目", "内容"], info, widths={"项目": 22, "内容": 80})
    progress(3, 4, "正在保存文件")
    return workbook_bytes(workbook), table


def results_filename(campaign: Campaign, table: ResultTable) -> str:
    suffix = "（预览）" if table.is_preview else f"（第{table.version.number}版）"
    return f"{campaign.title}结果{suffix}.xlsx"

