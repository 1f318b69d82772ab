"""Writing and verifying the hash-chained audit log."""

import datetime
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass

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
        AuditChainHead.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.hash)
    return entry


@dataclass(frozen=True)
class ChainProblem:
    seq: int | None
    message: str


def verify_chain(batch_size: int = 2000) -> tuple[int, list[ChainProblem]]:
    """Walk the whole chain; return how many entries were checked and what is wrong."""
    problems: list[ChainProblem] = []
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    last_hash = GENESIS_HASH
    last_seq = 0
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
        expected_prev = entry.hash
        expected_seq = entry.seq + 1
        last_hash, last_seq = entry.hash, entry.seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != last_seq or head.last_hash != last_hash):
        problems.append(ChainProblem(head.last_seq, f"链尾不符：应有 {head.last_seq} 条记录，实际最后一条为第 {last_seq} 条"))
    return checked, problems
