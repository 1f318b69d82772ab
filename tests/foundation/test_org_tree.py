import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shuping.orgs import services
from shuping.orgs.models import Org

from ..builders import make_org


def test_subtree_is_one_query_and_contains_all_descendants(tree):
    with CaptureQueriesContext(connection) as queries:
        codes = sorted(tree.county_a.subtree().values_list("code", flat=True))
    assert len(queries) == 1
    assert codes == ["A", "A-1", "A-1-1", "A-2"]


def test_subtree_does_not_leak_into_siblings_with_similar_ids(db):
    root = make_org("R")
    # ids 1..12 under the root: "/1/" must not match "/11/" or "/12/"
    orgs = [make_org(f"N{i}", root) for i in range(12)]
    child = make_org("child", orgs[0])
    assert set(orgs[0].subtree()) == {orgs[0], child}


def test_moving_a_node_rewrites_paths_of_its_whole_subtree(tree):
    services.org_move(actor=None, org=tree.town_a1, new_parent=tree.county_b)
    tree.village_a1.refresh_from_db()
    tree.town_a1.refresh_from_db()
    assert tree.town_a1.parent == tree.county_b
    assert tree.village_a1.path.startswith(tree.county_b.path)
    assert tree.village_a1.depth == tree.county_b.depth + 2
    assert sorted(tree.county_b.subtree().values_list("code", flat=True)) == ["A-1", "A-1-1", "B", "B-1", "B-1-1"]
    assert sorted(tree.county_a.subtree().values_list("code", flat=True)) == ["A", "A-2"]


def test_moving_a_node_under_its_own_descendant_is_refused(tree):
    with pytest.raises(ValidationError):
        services.org_move(actor=None, org=tree.county_a, new_parent=tree.village_a1)


def test_ancestors_are_listed_from_the_root_down(tree):
    assert [o.code for o in tree.village_a1.ancestors()] == ["P", "P-C", "A", "A-1"]


def test_every_change_is_audited_with_before_and_after(tree):
    from shuping.audit.models import AuditEntry

    services.org_update(actor=None, org=tree.town_a1, name="甲一镇党委（新）")
    entry = AuditEntry.objects.filter(action="org.update").order_by("-seq").first()
    assert entry.before == {"name": "甲一镇党委"}
    assert entry.after == {"name": "甲一镇党委（新）"}
    assert entry.org_path == tree.town_a1.path


def test_unchanged_update_writes_nothing(tree):
    from shuping.audit.models import AuditEntry

    count = AuditEntry.objects.count()
    assert services.org_update(actor=None, org=tree.town_a1, name=tree.town_a1.name) is False
    assert AuditEntry.objects.count() == count


def test_path_index_exists(db):
    indexed = {
        column
        for constraint in connection.introspection.get_constraints(connection.cursor(), Org._meta.db_table).values()
        if constraint["index"]
        for column in constraint["columns"]
    }
    assert "path" in indexed
