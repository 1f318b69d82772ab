"""Reads for the meeting pages, always starting from the user's scope."""

from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from shuping.campaigns.models import Ballot, Campaign, CampaignState
from shuping.campaigns.services import campaign_tally, results_payload

from .models import Credential, CredentialStatus, Meeting, MeetingStatus, NamedBallot, PaperForm


def campaigns_for(scope, permission: str = "meeting.run"):
    return (
        Campaign.objects.filter(organiser__in=scope.orgs(permission))
        .exclude(state=CampaignState.ARCHIVED)
        .select_related("organiser", "meeting")
        .order_by("-year", "organiser__path", "title")
    )


def campaign_for(scope, pk: int, permission: str = "meeting.run") -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("organiser"), pk=pk)
    scope.require(campaign.organiser, permission)
    return campaign


def meeting_for(scope, pk: int, permission: str = "meeting.run") -> Meeting:
    meeting = get_object_or_404(
        Meeting.objects.select_related("campaign__organiser", "current__org", "current__secretary"), pk=pk
    )
    scope.require(meeting.campaign.organiser, permission)
    return meeting


def credential_for(meeting: Meeting, pk: int) -> Credential:
    return get_object_or_404(Credential.objects.select_related("group"), meeting=meeting, pk=pk)


def paper_form_for(meeting: Meeting, form_id: str) -> PaperForm:
    form = PaperForm.objects.select_related("group", "meeting__campaign").filter(
        meeting=meeting, form_id=form_id.strip().upper()).first()
    if form is None:
        raise Http404
    return form


def group_summary(meeting: Meeting) -> list[dict]:
    """Cards (active, revoked, the named holders) and paper forms per evaluator group, in four
    queries whatever the number of groups."""
    groups = list(meeting.campaign.evaluator_groups.order_by("order", "pk"))
    cards = {
        row["group"]: row for row in meeting.credentials.values("group").order_by().annotate(
            active=Count("pk", filter=Q(status=CredentialStatus.ACTIVE)),
            revoked=Count("pk", filter=Q(status=CredentialStatus.REVOKED)),
        )
    }
    names: dict[int, list[str]] = {}
    for group_id, name in (meeting.credentials.filter(status=CredentialStatus.ACTIVE).exclude(name="")
                           .order_by("number", "pk").values_list("group", "name")):
        names.setdefault(group_id, []).append(name)
    paper = dict(meeting.paper_forms.values("group").order_by().annotate(n=Count("pk")).values_list("group", "n"))
    return [{"group": g, "active": cards.get(g.pk, {}).get("active", 0), "revoked": cards.get(g.pk, {}).get("revoked", 0),
             "names": names.get(g.pk, []), "paper": paper.get(g.pk, 0)} for g in groups]


def board(meeting: Meeting) -> dict:
    """Counts for the big screen: ballots per reporter and group; who has not yet voted.

    Anonymous groups show counts only; named groups list the names still missing for the
    reporter being heard.
    """
    campaign = meeting.campaign
    is_test = meeting.status == MeetingStatus.TEST
    groups = list(campaign.evaluator_groups.order_by("order", "pk"))
    participants = list(campaign.participants.select_related("org", "secretary").order_by("agenda_order", "pk"))
    credentials = dict(
        meeting.credentials.filter(status=CredentialStatus.ACTIVE).values("group").annotate(n=Count("pk"))
        .values_list("group", "n")
    )
    paper = dict(meeting.paper_forms.values("group").annotate(n=Count("pk")).values_list("group", "n"))
    counts: dict[tuple[int, int], int] = {}
    online: dict[tuple[int, int], int] = {}
    for row in (
        Ballot.objects.filter(campaign=campaign, is_test=is_test)
        .values("participant", "group").annotate(n=Count("pk"), online=Count("pk", filter=Q(source="online")))
        .order_by()
    ):
        counts[(row["participant"], row["group"])] = row["n"]
        online[(row["participant"], row["group"])] = row["online"]
    rows = []
    for p in participants:
        cells = [{"group": g, "count": counts.get((p.pk, g.pk), 0),
                  "expected": credentials.get(g.pk, 0) + paper.get(g.pk, 0)} for g in groups]
        rows.append({"participant": p, "cells": cells, "total": sum(c["count"] for c in cells),
                     "current": p.pk == meeting.current_id})
    pending = []
    current = meeting.current
    if current is not None:
        voted_named = set(
            NamedBallot.objects.filter(ballot__participant=current, ballot__is_test=is_test,
                                       credential__meeting=meeting).values_list("credential_id", flat=True)
        )
        for g in groups:
            expected = credentials.get(g.pk, 0)
            if not expected:
                continue
            if g.anonymous:
                missing = max(expected - online.get((current.pk, g.pk), 0), 0)
                pending.append({"group": g, "count": missing, "names": None})
            else:
                names = list(
                    meeting.credentials.filter(group=g, status=CredentialStatus.ACTIVE)
                    .exclude(pk__in=voted_named).values_list("name", flat=True)
                )
                pending.append({"group": g, "count": len(names), "names": names})
    ranking = None
    if meeting.status == MeetingStatus.CLOSED:
        ranking = ranking_rows(meeting)
    return {"groups": groups, "rows": rows, "pending": pending, "ranking": ranking, "is_test": is_test,
            "evaluators": sum(credentials.values()), "paper_forms": sum(paper.values()),
            "ballots": sum(counts.values())}


def ranking_rows(meeting: Meeting) -> list[dict]:
    """The big screen's ranking after close: one table per ranking group, ranked by the meeting's
    现场测评 score (what the hall just scored), not the composite — the composite also holds the
    democratic and routine scores, which the screen does not show. Equal scores share a rank
    (1, 1, 3); reporters without a score come last, unranked."""
    campaign = meeting.campaign
    rows = results_payload(campaign, campaign_tally(campaign))
    order = {name: position for position, name in enumerate(campaign.ranking_groups.values_list("name", flat=True))}
    by_group: dict = {}
    for row in rows:  # the engine names each row's ranking group
        by_group.setdefault(row["ranking_group"], []).append(row)
    tables = []
    for name in sorted(by_group, key=lambda name: (order.get(name, len(order)), str(name))):
        members = by_group[name]
        scored = sorted((r for r in members if r["meeting_score"] is not None),
                        key=lambda r: (-Decimal(r["meeting_score"]), r["org"]))
        rank, previous = 0, None
        for position, row in enumerate(scored, start=1):
            if row["meeting_score"] != previous:
                rank, previous = position, row["meeting_score"]
            row["meeting_rank"] = rank
        unscored = [dict(r, meeting_rank=None) for r in members if r["meeting_score"] is None]
        tables.append({"name": name or "未分组", "rows": scored + unscored})
    return tables


def meeting_url_for_campaign(campaign) -> str:
    """The campaign's meeting page, or the page that creates it."""
    from django.urls import reverse

    from .models import Meeting

    meeting = Meeting.objects.filter(campaign=campaign).only("pk").first()
    if meeting is not None:
        return reverse("meetings:detail", args=[meeting.pk])
    return reverse("meetings:create", args=[campaign.pk])
