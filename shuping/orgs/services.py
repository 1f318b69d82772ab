"""Writes to the org tree and the people register. Every change is audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr

from shuping.audit.services import log_action, snapshot

from .models import PATH_SEPARATOR, Membership, Org, Person

ORG_FIELDS = ["code", "name", "unit_type", "kind", "sector", "member_count", "secretary", "sort_order"]
PERSON_FIELDS = ["code", "name", "gender", "birth_year", "position", "phone"]


def _path_for(org: Org, parent: Org | None) -> str:
    prefix = parent.path if parent else PATH_SEPARATOR
    return f"{prefix}{org.pk}{PATH_SEPARATOR}"


@transaction.atomic
def org_create(*, actor, parent: Org | None, **fields) -> Org:
    org = Org(parent=parent, path="", depth=(parent.depth + 1) if parent else 0, **fields)
    org.full_clean(exclude=["path"])
    org.save()
    # The path includes the new id, which exists only after the insert.
    org.path = _path_for(org, parent)
    Org.objects.filter(pk=org.pk).update(path=org.path)
    log_action("org.create", actor=actor, obj=org, org=org, after=snapshot(org))
    return org


@transaction.atomic
def org_update(*, actor, org: Org, **fields) -> bool:
    """Apply changed fields; return whether anything changed (and was audited)."""
    before = snapshot(org, ORG_FIELDS)
    for name, value in fields.items():
        if name not in ORG_FIELDS:
            raise ValueError(f"unknown org field {name}")
        setattr(org, name, value)
    after = snapshot(org, ORG_FIELDS)
    if before == after:
        return False
    org.full_clean(exclude=["path"])
    org.save(update_fields=list(fields))
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    log_action(
        "org.update", actor=actor, obj=org, org=org, before={k: before[k] for k in changed}, after=changed
    )
    return True


# Called as hook(org=, old_path=, new_path=) inside org_move's transaction, after the paths changed: apps that
# keep per-subtree totals (registers' rollup) register here, so this app imports none of them.
MOVE_HOOKS: list = []


@transaction.atomic
def org_move(*, actor, org: Org, new_parent: Org | None) -> None:
    """Re-hang a node and its whole subtree under another parent in two UPDATEs."""
    org = Org.objects.select_for_update().get(pk=org.pk)
    if new_parent is not None and new_parent.path.startswith(org.path):
        raise ValidationError("不能把组织移动到它自己或它的下级组织之下")
    if org.parent_id == (new_parent.pk if new_parent else None):
        return
    old_path, old_depth = org.path, org.depth
    new_path = _path_for(org, new_parent)
    new_depth = (new_parent.depth + 1) if new_parent else 0
    Org.objects.within_path(old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path"))),
        depth=F("depth") - old_depth + new_depth,
    )
    Org.objects.filter(pk=org.pk).update(parent=new_parent)
    for hook in MOVE_HOOKS:
        hook(org=org, old_path=old_path, new_path=new_path)
    log_action(
        "org.move",
        actor=actor,
        obj=org,
        org=new_path,
        before={"parent": org.parent_id, "path": old_path},
        after={"parent": new_parent.pk if new_parent else None, "path": new_path},
    )
    org.refresh_from_db()


@transaction.atomic
def person_create(*, actor, orgs: list[Org], **fields) -> Person:
    person = Person(**fields)
    person.full_clean()
    person.save()
    for org in orgs:
        Membership.objects.create(person=person, org=org)
    log_action(
        "person.create",
        actor=actor,
        obj=person,
        org=orgs[0] if orgs else None,
        after={**snapshot(person, PERSON_FIELDS), "orgs": sorted(o.code for o in orgs)},
    )
    return person


@transaction.atomic
def person_update(*, actor, person: Person, orgs: list[Org] | None = None, **fields) -> bool:
    before = snapshot(person, PERSON_FIELDS)
    before_orgs = sorted(person.orgs.values_list("code", flat=True))
    for name, value in fields.items():
        if name not in PERSON_FIELDS:
            raise ValueError(f"unknown person field {name}")
        setattr(person, name, value)
    after = snapshot(person, PERSON_FIELDS)
    after_orgs = sorted(o.code for o in orgs) if orgs is not None else before_orgs
    if before == after and before_orgs == after_orgs:
        return False
    person.full_clean()
    person.save()
    if orgs is not None and before_orgs != after_orgs:
        wanted = {o.pk for o in orgs}
        Membership.objects.filter(person=person).exclude(org_id__in=wanted).delete()
        existing = set(Membership.objects.filter(person=person).values_list("org_id", flat=True))
        Membership.objects.bulk_create(
            [Membership(person=person, org_id=pk) for pk in wanted - existing]
        )
    diff_before = {k: v for k, v in before.items() if after.get(k) != v}
    diff_after = {k: after[k] for k in diff_before}
    if before_orgs != after_orgs:
        diff_before["orgs"], diff_after["orgs"] = before_orgs, after_orgs
    primary = orgs[0] if orgs else person.orgs.first()
    log_action("person.update", actor=actor, obj=person, org=primary, before=diff_before, after=diff_after)
    return True
