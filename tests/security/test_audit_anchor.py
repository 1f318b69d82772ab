"""Issue 12 item 4: truncating the audit log and moving the head back must not pass verification."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from shuping.audit.models import AuditChainHead, AuditEntry
from shuping.audit.services import checkpoint_current, checkpoint_parse, head_resign, log_action, verify_chain

from ..builders import make_user


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _truncate_to(seq):
    """What an attacker with SQL access does: delete the newest rows, move the head back."""
    entry = AuditEntry.objects.get(seq=seq)
    _raw(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq > %s", [seq])
    _raw(f"UPDATE {AuditChainHead._meta.db_table} SET last_seq = %s, last_hash = %s", [seq, entry.hash])


def _anchor():
    out = io.StringIO()
    call_command("audit_anchor", stdout=out)
    first_line = out.getvalue().splitlines()[0]
    return first_line.split("：", 1)[1].strip()


@pytest.fixture
def chain(db):
    return [log_action(f"test.step{i}", actor=None, label=f"对象{i}", after={"i": i}) for i in range(6)]


def test_truncation_with_the_head_moved_back_is_detected(chain):
    _truncate_to(4)
    _, problems = verify_chain()
    assert any("链尾签名不符" in p.message for p in problems)
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_checkpoint_detects_truncation_even_by_someone_holding_the_audit_key(chain):
    point = _anchor()
    assert checkpoint_parse(point).seq == 6
    for i in range(3):
        log_action("test.later", actor=None, label=f"后来{i}")
    call_command("audit_verify", checkpoint=point)  # more entries since: still consistent
    _truncate_to(5)
    head_resign()  # the attacker also holds the key file
    call_command("audit_verify")  # the signature alone no longer helps …
    with pytest.raises(CommandError, match="校验失败"):
        call_command("audit_verify", checkpoint=point)  # … the paper checkpoint does
    _, problems = verify_chain(checkpoint=checkpoint_parse(point))
    assert any("检查点之后的记录被删除" in p.message for p in problems)


def test_checkpoint_detects_a_rewritten_chain(chain):
    point = _anchor()
    # Rewrite entry 6 and recompute its hash and the head with the key: only the checkpoint notices.
    from shuping.audit.services import _entry_hash

    entry = AuditEntry.objects.get(seq=6)
    entry.label = entry.object_label = "改写"
    forged = _entry_hash(entry)
    _raw(f"UPDATE {AuditEntry._meta.db_table} SET object_label = %s, hash = %s WHERE seq = 6", ["改写", forged])
    _raw(f"UPDATE {AuditChainHead._meta.db_table} SET last_hash = %s", [forged])
    head_resign()
    assert verify_chain()[1] == []
    _, problems = verify_chain(checkpoint=checkpoint_parse(point))
    assert any("与检查点不符" in p.message for p in problems)


def test_bad_checkpoint_text_gets_a_chinese_message(chain):
    with pytest.raises(CommandError, match="检查点格式不正确"):
        call_command("audit_verify", checkpoint="abc")


def test_audit_page_shows_the_checkpoint_and_verifies_against_one(client, chain, tree):
    admin = make_user("auditor", "admin", tree.county_a, superuser=True)
    client.force_login(admin)
    point = str(checkpoint_current())
    page = client.get("/audit/").content.decode()
    assert point in page
    response = client.post("/audit/verify/", {"checkpoint": point}, follow=True)
    assert "与检查点" in response.content.decode()
    _truncate_to(3)
    head_resign()
    response = client.post("/audit/verify/", {"checkpoint": point}, follow=True)
    assert "检查点之后的记录被删除" in response.content.decode()
