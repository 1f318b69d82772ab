"""The public 群众提 pages (no login) and the department's moderation queue."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shuping.accounts.decorators import public, requires
from shuping.accounts.security import client_address
from shuping.core.http import error_text
from shuping.meetings.pdf import qr_data_uri
from shuping.orgs.models import Org, UnitType

from . import services
from .forms import LookupForm, ModerateForm, PublicForm
from .models import PublicSubmission, SubmissionState


def _county(code: str) -> Org:
    return get_object_or_404(Org, code=code, unit_type=UnitType.COUNTY)


@public
def submit(request, code):
    county = _county(code)
    villages = services.villages_of(county)
    if request.method == "POST":
        # Checked before the form reads anything: an oversized body is refused whole.
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.SHUPING_INTAKE_MAX_BYTES:
            return render(request, "intake/public.html", {"county": county, "form": PublicForm(villages=villages),
                                                          "error": "提交内容过长"}, status=413)
        form = PublicForm(request.POST, villages=villages)
        if form.is_valid():
            try:
                submission, receipt = services.submission_create(
                    county=county, village=form.cleaned_data["village"], text=form.cleaned_data["text"],
                    address=client_address(request))
            except services.Throttled as exc:
                return render(request, "intake/public.html", {"county": county, "form": form,
                                                              "error": error_text(exc)}, status=429)
            except ValidationError as exc:
                return render(request, "intake/public.html", {"county": county, "form": form, "error": error_text(exc)})
            return render(request, "intake/receipt.html", {"county": county, "receipt": receipt,
                                                           "submission": submission})
        return render(request, "intake/public.html", {"county": county, "form": form})
    return render(request, "intake/public.html", {"county": county, "form": PublicForm(villages=villages)})


@public
def lookup(request, code):
    """The code travels in the POST body, never in a URL that proxies would log."""
    county = _county(code)
    form = LookupForm(request.POST or None)
    found, searched = None, False
    if request.method == "POST" and form.is_valid():
        searched = True
        found = services.submission_by_receipt(form.cleaned_data["code"])
        if found is not None and found.county_id != county.pk:
            found = None
    return render(request, "intake/lookup.html", {"county": county, "form": form, "found": found, "searched": searched})


@requires("problem.manage")
def queue(request):
    scope = request.scope
    in_scope = PublicSubmission.objects.filter(village__in=scope.orgs("problem.manage").values("pk")).select_related(
        "village", "problem")
    counties = scope.orgs("problem.manage").filter(unit_type=UnitType.COUNTY).order_by("path")
    return render(request, "intake/queue.html", {
        "pending": in_scope.filter(state=SubmissionState.PENDING),
        "done": in_scope.exclude(state=SubmissionState.PENDING).order_by("-moderated_at")[:50],
        "counties": [{"org": c, "url": request.build_absolute_uri(reverse("intake:submit", args=[c.code]))}
                     for c in counties],
        "form": ModerateForm()})


@requires("problem.manage")
def poster(request, pk):
    county = get_object_or_404(request.scope.orgs("problem.manage").filter(unit_type=UnitType.COUNTY), pk=pk)
    url = request.build_absolute_uri(reverse("intake:submit", args=[county.code]))
    return render(request, "intake/poster.html", {"county": county, "url": url, "qr": qr_data_uri(url)})


@requires("problem.manage")
@require_POST
def moderate(request, pk):
    submission = get_object_or_404(PublicSubmission.objects.filter(
        village__in=request.scope.orgs("problem.manage").values("pk")), pk=pk)
    form = ModerateForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        if request.POST.get("decision") == "accept":
            services.submission_accept(actor=request.user, submission=submission,
                                       category=data.get("category") or "其他", reason=data.get("reason", ""))
            messages.success(request, f"已受理，已转为{submission.village.name}的问题并通知该单位")
        else:
            services.submission_reject(actor=request.user, submission=submission, reason=data.get("reason", ""))
            messages.success(request, "已标记为不予受理")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("intake:queue")
