import io
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from shuping.rectification.models import Problem, Source
from shuping.routine import documents, selectors, services
from shuping.routine.models import CircularState

from ..builders import make_org
from .conftest import YEAR, score


@pytest.fixture
def quarter_scores(routine):
    # Q2: A-1 90, A-2 80, A-3 70.  Q3: A-3 moves up to first, A-1 drops to last.
    score(routine, routine.town_a1, 4, x=50, y=40)
    score(routine, routine.town_a2, 4, x=50, y=30)
    score(routine, routine.town_a3, 4, x=40, y=30)
    for month, (a1, a2, a3) in {7: (20, 50, 55), 8: (20, 50, 55), 9: (20, 50, 55)}.items():
        score(routine, routine.town_a1, month, x=a1)
        score(routine, routine.town_a2, month, x=a2)
        score(routine, routine.town_a3, month, x=a3)
    return routine


def _circular(tree, lowest_n=1):
    return services.circular_save(actor=None, organiser=tree.county_a, year=YEAR, quarter=3,
                                  title="关于2026年第三季度抓基层党建工作日常考核情况的通报", doc_number="甲组通〔2026〕9号",
                                  practices="甲三镇推行“党建+网格”", problems="个别乡镇“三会一课”记录不规范",
                                  lowest_n=lowest_n, supervision_deadline=tree_deadline())


def tree_deadline():
    import datetime

    return datetime.date(2026, 12, 31)


def test_quarter_table_ranks_and_movements(quarter_scores):
    rows = selectors.quarter_table(quarter_scores.county_a, YEAR, 3)
    assert [(r.org.code, r.total, r.rank, r.movement) for r in rows] == [
        ("A-3", Decimal("165.00"), 1, 2), ("A-2", Decimal("150.00"), 2, 0), ("A-1", Decimal("60.00"), 3, -2)]


def test_issuing_creates_supervision_problems_and_the_docx_holds_the_rankings(quarter_scores):
    circular = _circular(quarter_scores)
    orders = services.circular_issue(actor=None, circular=circular)
    circular.refresh_from_db()
    assert circular.state == CircularState.ISSUED
    assert [o.org.code for o in orders] == ["A-1"]
    problem = Problem.objects.get(pk=orders[0].problem_id)
    assert problem.source == Source.INSPECTION and problem.org == quarter_scores.town_a1
    assert problem.rectification.deadline == tree_deadline()
    assert "第 3 位" in problem.description and "甲组通〔2026〕9号" in problem.source_document
    text = "\n".join(p.text for p in Document(io.BytesIO(documents.circular_docx(circular))).paragraphs)
    doc = Document(io.BytesIO(documents.circular_docx(circular)))
    cells = [[c.text for c in row.cells] for table in doc.tables for row in table.rows]
    assert ["1", "甲三镇党委", "165.00", "↑2", ""] in cells
    assert ["3", "甲一镇党委", "60.00", "↓2", "督办"] in cells
    assert "关于2026年第三季度抓基层党建工作日常考核情况的通报" in text and "督 办 单" in text
    assert "甲三镇推行“党建+网格”" in text and "个别乡镇“三会一课”记录不规范" in text
    title_run = doc.paragraphs[0].runs[0]
    assert title_run._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "方正小标宋简体"
    with pytest.raises(services.RoutineError, match="已印发"):
        services.circular_issue(actor=None, circular=circular)
    with pytest.raises(services.RoutineError, match="不能再修改"):
        services.circular_save(actor=None, organiser=quarter_scores.county_a, year=YEAR, quarter=3,
                               circular=circular, title="改")


def test_a_tie_at_the_cut_puts_every_tied_unit_under_supervision(routine):
    for unit in (routine.town_a1, routine.town_a2):
        score(routine, unit, 7, x=30)
    score(routine, routine.town_a3, 7, x=50)
    orders = services.circular_issue(actor=None, circular=_circular(routine))
    assert sorted(o.org.code for o in orders) == ["A-1", "A-2"]


def test_a_tie_across_the_whole_group_supervises_nobody(routine):
    for unit in (routine.town_a1, routine.town_a2, routine.town_a3):
        score(routine, unit, 7, x=30)
    assert services.circular_issue(actor=None, circular=_circular(routine)) == []


def test_departments_are_ranked_separately_from_towns(routine):
    from shuping.orgs.models import UnitType

    dept = make_org("A-D1", routine.county_a, name="甲县教育局党组", unit_type=UnitType.DEPARTMENT)
    score(routine, dept, 7, x=10)
    score(routine, routine.town_a1, 7, x=50)
    score(routine, routine.town_a2, 7, x=40)
    rows = selectors.quarter_table(routine.county_a, YEAR, 3)
    assert [(r.group, r.org.code, r.rank) for r in rows] == [
        ("乡镇（街道、园区）", "A-1", 1), ("乡镇（街道、园区）", "A-2", 2), ("县直单位", "A-D1", 1)]
    orders = services.circular_issue(actor=None, circular=_circular(routine))
    assert [o.org.code for o in orders] == ["A-2"]  # a group of one is never put under supervision


def test_issue_without_scores_is_refused(routine):
    with pytest.raises(services.RoutineError, match="尚无评分"):
        services.circular_issue(actor=None, circular=_circular(routine))


def test_circular_pages_create_issue_and_download(quarter_scores, client, role_users):
    client.force_login(role_users["admin"])
    url = reverse("routine:circular_new", args=[quarter_scores.county_a.pk, YEAR])
    response = client.post(url, {"quarter": 3, "title": "第三季度通报", "doc_number": "", "practices": "", "problems": "",
                                 "lowest_n": 1, "supervision_deadline": "2026-12-31"})
    assert response.status_code == 302
    circular = selectors.circulars(quarter_scores.county_a).get()
    page = client.get(reverse("routine:circular", args=[circular.pk])).content.decode()
    assert "甲一镇党委" in page and "↓2" in page
    client.post(reverse("routine:circular_issue", args=[circular.pk]))
    assert Problem.objects.filter(org=quarter_scores.town_a1, source=Source.INSPECTION).count() == 1
    download = client.get(reverse("routine:circular_docx", args=[circular.pk]))
    assert download.status_code == 200 and download.content[:2] == b"PK"
