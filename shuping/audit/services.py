"""Writing and verifying the hash-chained audit log."""

import datetime
import decimal
import hashlib
import hmac
import json
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction

from shuping.clock import now

from .models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


def _json_default(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_jsonable(value):
    """Normalise a before/after payload the way it will be stored (JSON round trip)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=_json_default, ensure_ascii=False))


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of a model instance, JSON-ready."""
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.attname] = field.value_from_object(instance)
    return to_jsonable(data)


def _entry_hash(entry: AuditEntry) -> str:
    payload = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_name": entry.actor_name,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "object_label": entry.object_label,
        "org_path": entry.org_path,
        "before": entry.before,
        "after": entry.after,
        "prev_hash": entry.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def head_mac(seq: int, head_hash: str) -> str:
    message = f"shuping-audit-head:{seq}:{head_hash}".encode()
    return hmac.new(settings.SHUPING_AUDIT_KEY.encode(), message, hashlib.sha256).hexdigest()


def log_action(
    action: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    label: str = "",
    org=None,
    before=None,
    after=None,
) -> AuditEntry:
    """Append one entry. `org` (an Org or a path string) places it in the org tree so
    that scoped users see the entries of their own subtree."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        label = label or str(obj)
    org_path = org if isinstance(org, str) else getattr(org, "path", "") or ""
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        # The head row is the queue: concurrent writers take turns here, so the
        # chain never forks into two entries claiming the same predecessor.
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        moment = now()
        entry = AuditEntry(
            seq=head.last_seq + 1,
            # Milliseconds only: Django's portable JSON (backups) keeps no more, and the
            # hash must survive a backup-restore round trip.
            at=moment.replace(microsecond=moment.microsecond // 1000 * 1000),
            actor=actor_user,
            actor_name=(actor_user.get_username() if actor_user else str(actor or "系统")),
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_label=label[:255],
            org_path=org_path,
            before=to_jsonable(before),
            after=to_jsonable(after),
            prev_hash=head.last_hash,
        )
        entry.hash = _entry_hash(entry)
        entry.save()
        AuditChainHead.objects.filter(pk=1).update(
            last_seq=entry.seq, last_hash=entry.hash, mac=head_mac(entry.seq, entry.hash)
        )
    return entry


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    message: str


@dataclass(frozen=True)
class Checkpoint:
    """What the admin writes down outside the system: entry count and the newest entry's hash."""

    seq: int
    hash_prefix: str

    def __str__(self):
        return f"{self.seq}-{self.hash_prefix}"


CHECKPOINT_HASH_CHARS = 16
_CHECKPOINT_PATTERN = re.compile(r"^\s*(\d+)\s*[-:：\s]\s*([0-9a-fA-F]{8,64})\s*$")


def checkpoint_parse(text: str) -> Checkpoint:
    match = _CHECKPOINT_PATTERN.match(text or "")
    if not match:
        raise ValueError("检查点格式不正确，应为“条数-哈希”，如 1234-9f86d081884c7d65")
    return Checkpoint(int(match.group(1)), match.group(2).lower())


def checkpoint_current() -> Checkpoint:
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        return Checkpoint(0, GENESIS_HASH[:CHECKPOINT_HASH_CHARS])
    return Checkpoint(head.last_seq, head.last_hash[:CHECKPOINT_HASH_CHARS])


def head_resign() -> None:
    """Sign the head with this instance's key (after a verified restore from a signed backup)."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None:
        AuditChainHead.objects.filter(pk=1).update(mac=head_mac(head.last_seq, head.last_hash))


def head_signature_valid() -> bool:
    head = AuditChainHead.objects.filter(pk=1).first()
    return head is None or hmac.compare_digest(head.mac, head_mac(head.last_seq, head.last_hash))


def verify_chain(batch_size: int = 2000, checkpoint: Checkpoint | None = None) -> tuple[int, list[ChainProblem]]:
    """Walk the whole chain; return how many entries were checked and what is wrong.

    With a checkpoint written down earlier, also check that its entry is still there with
    the same hash: any truncation or rewrite up to that point is then detected even by
    someone who holds the audit key."""
    problems: list[ChainProblem] = []
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_hash = GENESIS_HASH
    last_seq = 0
    checkpoint_hash = None
    queryset = AuditEntry.objects.order_by("seq")
    for entry in queryset.iterator(chunk_size=batch_size):
        checked += 1
        if entry.seq != expected_seq:
            problems.append(
                ChainProblem(entry.seq, f"第 {expected_seq}–{entry.seq - 1} 条记录缺失（被删除）")
            )
        if entry.prev_hash != expected_prev:
            problems.append(ChainProblem(entry.seq, f"第 {entry.seq} 条记录的前序哈希不符，前一条记录被删除或篡改"))
        if _entry_hash(entry) != entry.hash:
            problems.append(ChainProblem(entry.seq, f"第 {entry.seq} 条记录内容与哈希不符，已被篡改"))
        if checkpoint is not None and entry.seq == checkpoint.seq:
            checkpoint_hash = entry.hash
        expected_prev = entry.hash
        expected_seq = entry.seq + 1
        last_hash, last_seq = entry.hash, entry.seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != last_seq or head.last_hash != last_hash):
        problems.append(ChainProblem(head.last_seq, f"链尾不符：应有 {head.last_seq} 条记录，实际最后一条为第 {last_seq} 条"))
    if head is not None and not head_signature_valid():
        problems.append(ChainProblem(head.last_seq, "链尾签名不符：最新的记录可能被删除、链尾被改回（或审计密钥已更换）"))
    if checkpoint is not None and checkpoint.seq > 0:
        if checkpoint_hash is None:
            problems.append(ChainProblem(checkpoint.seq, f"检查点记录有 {checkpoint.seq} 条，现在只有 {last_seq} 条：检查点之后的记录被删除"))
        elif not checkpoint_hash.startswith(checkpoint.hash_prefix):
            problems.append(ChainProblem(checkpoint.seq, f"第 {checkpoint.seq} 条记录的哈希与检查点不符：此前的记录被改写"))
    return checked, problems
