import datetime

import pytest

from shuping.rectification import services
from shuping.rectification.models import Category, Source


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def new_problem(org, text="村级活动阵地面积不足，功能不完善", *, source=Source.INSPECTION, **fields):
    return services.problem_create(actor=None, org=org, description=text, source=source,
                                   category=fields.pop("category", Category.SUPPORT), **fields)


def planned(problem, *, deadline=None, owner=None):
    return services.rectification_plan(
        actor=None, rectification=problem.rectification, owner=owner, measures="统筹资金改扩建活动场所",
        deadline=deadline or datetime.date(2026, 6, 30),
    )


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
