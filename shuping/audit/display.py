"""How an audit entry reads on the audit page: Chinese action names, field labels, people's names.

The stored entry (and its hash) keeps the codes; only the page translates them. Field labels
come from the model named in the entry (its verbose_name and choices), so a new field reads
right without touching this file; a new action needs one line in ACTIONS.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist

OBJECTS = {
    "auth": "登录与账号", "user": "用户", "role": "角色授权", "org": "组织", "person": "人员",
    "campaign": "考核", "rubric": "指标体系", "ballot": "测评票", "meeting": "述职评议会",
    "report": "述职报告", "problem": "问题", "common_problem": "共性问题", "rectification": "整改",
    "critique": "点评", "routine": "日常考核", "star": "星级评定", "linkage": "结果运用", "synth": "合成数据",
    "intake": "群众反映", "job": "后台任务", "level": "三级联动", "register": "基层台账", "team": "班子成员",
    "unit": "单位自主办理", "use": "结果运用细则",
}

ACTIONS = {
    "auth.login": "登录", "auth.login_failed": "登录失败", "auth.password_change": "修改密码",
    "auth.totp_disable": "停用动态口令", "auth.totp_failed": "动态口令错误", "user.demo_disable": "停用演示账号", "auth.totp_enable": "启用动态口令",
    "user.create": "新建用户", "role.grant": "授予角色", "role.revoke": "撤销角色",
    "org.create": "新建组织", "org.update": "修改组织", "org.move": "调整上级组织",
    "person.create": "新建人员", "person.update": "修改人员",
    "campaign.create": "新建考核", "campaign.configure": "修改考核设置", "campaign.transition": "考核阶段变更",
    "campaign.publish": "发布考核结果", "campaign.correct": "更正考核结果",
    "campaign.group_save": "保存评议组", "campaign.group_delete": "删除评议组",
    "campaign.participant_add": "加入述职单位", "campaign.participant_remove": "移出述职单位",
    "campaign.participant_update": "修改述职单位", "rubric.apply_template": "套用指标模板",
    "rubric.indicator_save": "保存指标", "rubric.indicator_delete": "删除指标", "ballot.import": "导入测评票",
    "meeting.create": "新建述职评议会", "meeting.update": "修改述职评议会", "meeting.open": "开始测评",
    "meeting.close": "结束测评", "meeting.set_current": "切换当前述职人", "meeting.start_test": "开始试投票",
    "meeting.clear_test": "清除试投票", "meeting.credentials_issue": "生成测评凭证",
    "meeting.credential_reissue": "补发测评凭证", "meeting.paper_issue": "生成纸质测评表",
    "meeting.paper_entry": "录入纸质测评表", "meeting.paper_agreed": "纸质测评表两次录入一致",
    "meeting.paper_mismatch": "纸质测评表两次录入不一致", "meeting.paper_resolve": "裁定纸质测评表差异",
    "report.save": "保存述职报告", "report.submit": "提交述职报告", "report.approve": "审核通过述职报告",
    "report.return": "退回述职报告", "report.chain_set": "设置审核流程", "report.chain_default": "恢复默认审核流程",
    "problem.create": "登记问题", "problem.update": "修改问题", "common_problem.create": "建立共性问题",
    "rectification.plan": "制定整改方案", "rectification.progress": "报告整改进展",
    "rectification.transition": "整改状态变更", "rectification.carry_over": "结转上年度问题",
    "rectification.mark_overdue": "逾期检查", "rectification.spot_check": "发起整改抽查",
    "rectification.spot_check_result": "记录抽查结果", "critique.save": "保存点评",
    "routine.indicator_save": "保存日常考核指标", "routine.indicator_delete": "删除日常考核指标",
    "routine.monthly_scores": "录入月度评分", "routine.monthly_import": "导入月度评分",
    "routine.apply_to_campaign": "日常考核得分计入年度考核", "routine.circular_save": "保存季度通报",
    "routine.circular_issue": "印发季度通报", "routine.inspection_plan": "制定督查计划",
    "routine.inspection_visit": "记录督查", "routine.inspection_finding": "登记督查发现的问题",
    "routine.responsibility_save": "保存责任清单事项", "routine.responsibility_progress": "报告责任清单进展",
    "routine.result_use": "登记结果运用", "star.criteria_create": "新建星级评定标准",
    "star.criteria_update": "修改星级评定标准", "star.ratings_open": "启动星级评定", "star.submit": "提交星级自评",
    "star.return": "退回星级自评", "star.assess": "审核星级评定", "star.publicise": "公示星级评定",
    "star.objection": "登记公示异议", "star.approve": "审批星级评定", "linkage.apply": "考核结果运用",
    "synth.province": "生成合成演示数据",
    "ballot.batch_revoke": "撤销导入的测评票批次", "campaign.result_visibility": "设置结果查看范围",
    "meeting.group_round_void": "作废评议组本轮测评",
    "intake.submit": "群众反映问题", "intake.accept": "受理群众反映", "intake.reject": "不予受理群众反映",
    "job.start": "启动后台任务", "job.succeeded": "后台任务完成", "job.failed": "后台任务失败",
    "level.plan_create": "发起年度述职评议考核方案", "level.node_create": "建立下级考核",
    "level.node_attach": "将已有考核纳入方案", "level.node_adjust": "调整下级考核",
    "level.delegate_appoint": "委派上级派员", "level.speech_save": "保存点评讲话",
    "register.fact_save": "保存基础数据项", "register.rule_save": "保存核实规则",
    "register.sheet_submit": "报送基础数据", "register.sheet_confirm": "确认基础数据",
    "register.sheet_return": "退回基础数据", "register.claim_verify": "核实报告数据",
    "register.star_rule": "设置星级自动评分规则", "register.assignment_save": "保存驻村干部",
    "register.brand_save": "保存党建品牌", "register.brand_photo": "上传党建品牌照片",
    "register.brand_delete": "删除党建品牌", "register.brand_photo_delete": "删除党建品牌照片",
    "register.assignment_delete": "删除驻村干部",
    "register.weak_identify": "确定软弱涣散党组织", "register.weak_milestone": "保存整顿措施",
    "register.weak_progress": "报告整顿进展", "register.weak_accept": "整顿验收",
    "routine.ranking_groups": "设置排名分组",
    "team.member_save": "保存班子成员", "team.member_remove": "移除班子成员", "team.problem_name": "指定问题责任人",
    "team.written_set": "确定班子成员书面述职名单", "team.critique_name": "点评中指定班子成员责任",
    "team.critique_unname": "撤销点评中的班子成员责任",
    "unit.problem_claim": "认领问题", "unit.plan_submit": "报送整改方案", "unit.plan_approve": "同意整改方案",
    "unit.plan_return": "退回整改方案", "unit.responsibility_submit": "报送责任清单进展",
    "unit.responsibility_confirm": "确认责任清单进展", "unit.responsibility_return": "退回责任清单进展",
    "unit.quarterly_submit": "报送季度工作汇报", "unit.quarterly_pick": "确定典型发言单位",
    "use.rule_create": "新建结果运用细则", "use.rule_active": "启用或停用结果运用细则",
    "use.proposals_generate": "提出结果运用建议", "use.proposal_decide": "确认或否决结果运用建议",
}

# Keys written by hand in before/after payloads (not model fields).
KEYS = {
    "state": "状态", "status": "状态", "version": "版本", "reason": "原因", "address": "登录地址",
    "second_factor": "动态口令", "content_hash": "内容哈希", "linked": "结转数", "marked": "新标记逾期",
    "reminders": "催办提醒", "count": "数量", "rows": "行数", "created": "新建数", "updated": "更新数",
    "deleted": "删除数", "ballots": "测评票数", "template": "模板", "decision": "裁定", "cells": "差异项",
    "participant": "述职单位", "field": "项目", "value": "值", "first": "第一次录入", "second": "第二次录入",
    "comment": "意见", "level": "审核层级", "from": "原状态", "to": "新状态", "role": "角色", "org": "组织",
    "username": "用户名", "name": "名称", "total": "总分", "stars": "星级", "month": "月份", "year": "年度",
    "user": "用户", "full_name": "姓名", "issued": "已生成", "forms": "表数", "group": "评议组", "code": "编码", "parent": "上级组织",
}


def action_label(code: str) -> str:
    if code in ACTIONS:
        return ACTIONS[code]
    prefix = code.split(".", 1)[0]
    return f"{OBJECTS.get(prefix, '其他')}操作"


def action_choices() -> list[tuple[str, str]]:
    """For the filter: one entry per kind of object, by its prefix."""
    return [(f"{prefix}.", word) for prefix, word in OBJECTS.items()]


def _model(object_type: str):
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    if model is None:
        return None
    for name in (key, key.removesuffix("_id")):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete:  # not a reverse relation that happens to share the key's name
            return field
    return None


def _related_name(field, value, cache: dict) -> str:
    model = field.related_model
    key = (model._meta.label_lower, value)
    if key not in cache:
        obj = model._base_manager.filter(pk=value).first()
        if obj is None:
            cache[key] = f"（已删除，编号 {value}）"
        elif model is get_user_model():
            cache[key] = obj.get_full_name().strip() or obj.get_username()
        else:
            cache[key] = str(obj)
    return cache[key]


def _user_name(username: str, cache: dict) -> str:
    key = ("username", username)
    if key not in cache:
        user = get_user_model()._default_manager.filter(username=username).first()
        cache[key] = (user.get_full_name().strip() or username) if user else username
    return cache[key]


def _coded_name(model, code: str, cache: dict) -> str:
    key = (model._meta.label_lower, "code", code)
    if key not in cache:
        obj = model._default_manager.filter(code=code).first()
        cache[key] = str(obj) if obj is not None else code
    return cache[key]


def value_text(value, field=None, cache: dict | None = None) -> str:
    cache = {} if cache is None else cache
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation and field.related_model is not None and isinstance(value, int):
        return _related_name(field, value, cache)
    if field is not None and field.is_relation and field.related_model is get_user_model() and isinstance(value, str):
        return _user_name(value, cache)
    if field is not None and field.is_relation and isinstance(value, str) and _field(field.related_model, "code"):
        return _coded_name(field.related_model, value, cache)  # e.g. an org written by its code
    if isinstance(value, dict):
        return "；".join(f"{KEYS.get(k, k)}：{value_text(v, cache=cache)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(value_text(v, cache=cache) for v in value) or "—"
    return str(value)


def _label(model, key: str) -> tuple[str, object]:
    field = _field(model, key)
    if field is not None:
        return str(getattr(field, "verbose_name", key)), field
    return KEYS.get(key, key), None


def changes(entry, cache: dict | None = None) -> list[tuple[str, str, str]]:
    """(label, before, after) per key, before/after in readable Chinese; unchanged keys dropped."""
    cache = {} if cache is None else cache
    model = _model(entry.object_type)
    before = entry.before if isinstance(entry.before, dict) else ({} if entry.before is None else {"": entry.before})
    after = entry.after if isinstance(entry.after, dict) else ({} if entry.after is None else {"": entry.after})
    rows = []
    for key in dict.fromkeys([*before, *after]):
        if key in ("id", "hash", "password") or (key in before and key in after and before[key] == after[key]):
            continue
        # A hand-written {"state": "scoring"} still finds the model's state field and its choices.
        label, field = _label(model, key) if key else ("内容", None)
        if label.isascii():  # internal bookkeeping (path, depth, hashes) has no Chinese label
            continue
        rows.append((label, value_text(before[key], field, cache) if key in before else "",
                     value_text(after[key], field, cache) if key in after else ""))
    return rows


def actor_text(entry) -> str:
    user = entry.actor
    if user is not None:
        return user.get_full_name().strip() or user.get_username()
    return entry.actor_name or "系统"


def describe(entries) -> list[dict]:
    cache: dict = {}
    return [{"entry": e, "action": action_label(e.action), "actor": actor_text(e), "changes": changes(e, cache)}
            for e in entries]
