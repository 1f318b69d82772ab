from django.apps import AppConfig


class UnitsConfig(AppConfig):
    """本单位工作: what a township or village does for itself — its own problems, plans,
    responsibility-list updates and quarterly reports — and the superior's confirmations."""

    name = "shuping.units"
    verbose_name = "本单位工作"
    nav_items: list[tuple[str, str, str | None]] = [
        ("本单位", "units:home", "unit.act"),
        ("单位报送", "units:review", "problem.manage"),
    ]

    def ready(self):
        from shuping.core.demo import DEMO_STEPS

        from .demo import build_demo_units

        if build_demo_units not in DEMO_STEPS:
            DEMO_STEPS.append(build_demo_units)
