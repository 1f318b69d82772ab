from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "shuping.registers"
    verbose_name = "基层台账"
    nav_items: list[tuple[str, str, str | None]] = [("基层台账", "registers:index", "register.view")]

    def ready(self):
        from shuping.orgs.services import MOVE_HOOKS

        from .rollup import org_moved

        if org_moved not in MOVE_HOOKS:
            MOVE_HOOKS.append(org_moved)
        from shuping.core.demo import DEMO_STEPS
        from shuping.core.panels import INSPECTION_PANELS, ORG_PANELS, RATING_HINTS, REPORT_CHECKS, Panel

        from .demo import build_registers_demo
        from .panels import (
            inspection_claims_link,
            org_assignments,
            org_facts_history,
            report_claims_check,
            star_rating_hints,
        )

        if build_registers_demo not in DEMO_STEPS:
            DEMO_STEPS.append(build_registers_demo)
        if not any(p.context is org_facts_history for p in ORG_PANELS):
            ORG_PANELS.append(Panel("基础数据（历年台账）", "registers/_org_history.html", org_facts_history))
        if not any(p.context is org_assignments for p in ORG_PANELS):
            ORG_PANELS.append(Panel("第一书记和驻村工作队", "registers/_org_posts.html", org_assignments))
        if star_rating_hints not in RATING_HINTS:
            RATING_HINTS.append(star_rating_hints)
        if report_claims_check not in REPORT_CHECKS:
            REPORT_CHECKS.append(report_claims_check)
        if not any(p.context is inspection_claims_link for p in INSPECTION_PANELS):
            INSPECTION_PANELS.append(Panel("述职报告数据核实", "registers/_inspection_link.html", inspection_claims_link))
