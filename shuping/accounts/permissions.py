"""Named permissions and which role carries them.

Views declare the permission they need (`@requires("org.view")`); the scope of a
permission is the union of the subtrees on which the user holds a role carrying it.
Later features add their permission names here.
"""

from .models import Role

PERMISSIONS: dict[str, str] = {
    "org.view": "查看组织与人员",
    "org.manage": "管理组织与人员",
    "person.view": "查看人员",
    "person.manage": "管理人员信息",
    "user.manage": "管理用户与角色",
    "audit.view": "查看审计日志",
    "campaign.view": "查看述职评议考核",
    "campaign.manage": "配置和推进述职评议考核、发布结果",
    "meeting.run": "组织述职评议会（凭证、现场看板、关闭会议）",
    "ballot.enter": "录入纸质测评票",
    "report.view": "查看述职报告",
    "report.write": "撰写和提交述职报告",
    "report.review": "审核述职报告",
    "critique.write": "撰写点评",
    "problem.view": "查看问题清单与整改台账",
    "problem.manage": "登记问题、制定整改方案、共性问题",
    "rectification.update": "报告整改进展",
    "rectification.verify": "核验销号、抽查",
    "routine.view": "查看日常考核",
    "routine.manage": "日常考核计分、通报、督查、结果运用",
    "star.assess": "星级评定自评",
    "star.approve": "星级评定审核与审批",
    "dashboard.view": "查看统计看板",
    "register.view": "查看基层台账",
    "register.enter": "填报本单位基础数据",
    "register.confirm": "确认下级基础数据",
    "register.configure": "维护台账数据项与核实规则",
    "register.verify": "督查核实报告数据",
    "unit.act": "本单位自主办理：登记和认领问题、制定整改方案、更新责任清单、报送季度汇报",
}

# Unit work (unit.act, register.enter) is the unit's own: the organisation department confirms, it does not type for them.
_EVERYTHING = frozenset(PERMISSIONS) - {"report.write", "rectification.update", "star.assess", "register.enter", "unit.act"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: _EVERYTHING,
    Role.REVIEWER: frozenset(
        {"org.view", "person.view", "campaign.view", "report.view", "report.review", "problem.view",
         "dashboard.view"}
    ),
    Role.REPORTER: frozenset(
        {"org.view", "person.view", "campaign.view", "report.view", "report.write", "problem.view",
         "rectification.update", "star.assess", "routine.view", "unit.act"}
    ),
    Role.EVALUATOR: frozenset(),
    Role.LEADER: frozenset(
        {"org.view", "person.view", "audit.view", "campaign.view", "report.view", "critique.write",
         "problem.view", "routine.view", "dashboard.view"}
    ),
    Role.INSPECTOR: frozenset(
        {"org.view", "person.view", "campaign.view", "problem.view", "rectification.verify", "routine.view"}
    ),
}
# 录入员: enters paper ballots and nothing else, so clerks need no admin rights.
ROLE_PERMISSIONS[Role.CLERK] = frozenset({"ballot.enter"})

# Registers (基层台账): units enter, superiors confirm, inspectors verify what reports claim.
for _role, _extra in {
    Role.REVIEWER: {"register.view"},
    Role.REPORTER: {"register.view", "register.enter"},
    Role.LEADER: {"register.view"},
    Role.INSPECTOR: {"register.view", "register.verify"},
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _extra


# The unit's 党建联络员/组织委员: does the unit's own part alongside its secretary (the reporter).
ROLE_PERMISSIONS[Role.LIAISON] = frozenset(
    {"org.view", "person.view", "campaign.view", "report.view", "problem.view", "rectification.update",
     "star.assess", "routine.view", "unit.act", "register.view", "register.enter"}
)


def roles_with(permission: str) -> list[str]:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]
