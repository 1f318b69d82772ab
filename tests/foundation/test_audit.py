import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shuping.audit.models import AuditEntry, AuditLogIsAppendOnly
from shuping.audit.services import log_action, verify_chain


@pytest.fixture
def chain(db):
    return [log_action(f"test.step{i}", actor=None, label=f"对象{i}", after={"i": i}) for i in range(5)]


def test_intact_chain_verifies(chain):
    checked, problems = verify_chain()
    assert checked == 5 and problems == []
    call_command("audit_verify")


def test_each_entry_carries_the_previous_hash(chain):
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_hash == before.hash


def test_orm_refuses_to_edit_or_delete_entries(chain):
    entry = AuditEntry.objects.get(pk=chain[0].pk)
    entry.action = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()


def _raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("%table", AuditEntry._meta.db_table), params)


def test_edited_entry_is_detected(chain):
    _raw("UPDATE %table SET after = %s WHERE seq = %s", ['{"i": 99}', 3])
    _, problems = verify_chain()
    assert any("第 3 条" in p.message and "篡改" in p.message for p in problems)
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_deleted_middle_entry_is_detected(chain):
    _raw("DELETE FROM %table WHERE seq = %s", [2])
    _, problems = verify_chain()
    assert any("缺失" in p.message for p in problems)


def test_deleted_last_entry_is_detected(chain):
    _raw("DELETE FROM %table WHERE seq = %s", [5])
    _, problems = verify_chain()
    assert any("链尾" in p.message for p in problems)


def test_rewritten_entry_with_recomputed_hash_breaks_the_next_link(chain):
    from shuping.audit.services import _entry_hash

    entry = AuditEntry.objects.get(seq=2)
    entry.action = "forged"
    forged_hash = _entry_hash(entry)
    _raw("UPDATE %table SET action = %s, hash = %s WHERE seq = %s", ["forged", forged_hash, 2])
    _, problems = verify_chain()
    assert any(p.seq == 3 for p in problems)
