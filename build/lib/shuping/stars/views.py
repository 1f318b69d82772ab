from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from shuping.accounts.decorators import requires
from shuping.clock import today
from shuping.core.http import xlsx_response
from shuping.core.panels import rating_hints
from shuping.core.xlsx import new_workbook, workbook_bytes, write_sheet

from . import selectors, services
from .forms import CriteriaCreateForm, CriteriaForm
from .models import RatingState

S = RatingState


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or today().year)
    except ValueError:
        return today().year


def _require_star_user(request):
    if not (request.scope.has("star.assess") or request.scope.has("star.approve")):
        raise PermissionDenied


@requires(None)
def rating_list(request):
    _require_star_user(request)
    year = _year(request)
    ratings = selectors.visible_ratings(request.scope).filter(year=year)
    state = request.GET.get("state", "")
    if state in S.values:
        ratings = ratings.filter(state=state)
    return render(request, "stars/list.html", {
        "year": year, "ratings": ratings.order_by("org__path")[:500], "total": ratings.count(),
        "counts": selectors.star_counts(ratings), "states": S.choices, "state": state,
        "can_approve": request.scope.has("star.approve"),
    })


@requires(None)
def rating_export(request):
    _require_star_user(request)
    year = _year(request)
    workbook = new_workbook()
    write_sheet(workbook, f"{year}年星级评定", selectors.EXPORT_HEADERS,
                selectors.export_rows(selectors.visible_ratings(request.scope).filter(year=year)))
    return xlsx_response(workbook_bytes(workbook), f"{year}年村（社区）党组织星级评定.xlsx")


@requires("star.approve")
@require_http_methods(["GET", "POST"])
def criteria_list(request):
    organisers = selectors.organiser_choices(request.scope)
    form = CriteriaCreateForm(request.POST or None, organisers=organisers, initial={"year": today().year})
    if request.method == "POST" and form.is_valid():
        try:
            criteria_set = services.criteria_set_create(actor=request.user, organiser=form.cleaned_data["organiser"],
                                                        year=form.cleaned_data["year"])
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            messages.success(request, "已创建评定标准（默认“六好”内容和负面清单），请核对后开启评定。")
            return redirect("stars:criteria", criteria_set.pk)
    return render(request, "stars/criteria_list.html", {
        "sets": selectors.managed_criteria_sets(request.scope), "form": form})


@requires("star.approve")
@require_http_methods(["GET", "POST"])
def criteria_edit(request, pk):
    criteria_set = selectors.criteria_set_for(request.scope, pk)
    initial = {
        "criteria_text": "\n".join(f"{c.code}|{c.name}|{c.max_score}" for c in criteria_set.criteria.all()),
        "negatives_text": "\n".join(f"{n.code}|{n.name}|{n.stars_removed}|{n.cap or ''}"
                                    for n in criteria_set.negative_items.all()),
    }
    form = CriteriaForm(request.POST or None, instance=criteria_set, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.criteria_set_update(actor=request.user, criteria_set=criteria_set,
                                         criteria_text=data.pop("criteria_text"),
                                         negatives_text=data.pop("negatives_text"), **data)
        except ValidationError as exc:
            form.add_error(None, "；".join(exc.messages))
        else:
            messages.success(request, "评定标准已保存。")
            return redirect("stars:criteria", criteria_set.pk)
    criteria_set.refresh_from_db()
    return render(request, "stars/criteria_edit.html", {"criteria_set": criteria_set, "form": form})


@requires("star.approve")
@require_POST
def criteria_open(request, pk):
    criteria_set = selectors.criteria_set_for(request.scope, pk)
    created = services.ratings_open(actor=request.user, criteria_set=criteria_set)
    messages.success(request, f"已为 {created} 个村（社区）党组织开启{criteria_set.year}年星级评定自评。")
    return redirect("stars:criteria", criteria_set.pk)


def _rating_context(request, rating):
    scores = {s.criterion_id: s for s in rating.scores.all()}
    hints = rating_hints(rating)  # e.g. register values that meet a criterion or hit the negative list
    rows = [(c, scores.get(c.pk), hints["scores"].get(c.pk)) for c in rating.criteria_set.criteria.all()]
    hits = {h.item_id: h for h in rating.negative_hits.all()}
    return {
        "rating": rating, "rows": rows, "hits": hits,
        "negatives": [(n, hits.get(n.pk), hints["negatives"].get(n.pk)) for n in rating.criteria_set.negative_items.all()],
        "can_assess": request.scope.covers(rating.org, "star.assess") and rating.state in (S.DRAFT, S.RETURNED),
        "can_review": request.scope.covers(rating.org, "star.approve"),
        "objections": rating.objections.all(), "S": S,
        "history": selectors.history_for(rating.org),
    }


@requires(None)
def rating_detail(request, pk):
    _require_star_user(request)
    rating = selectors.rating_for(request.scope, pk)
    return render(request, "stars/detail.html", _rating_context(request, rating))


def _scores_from(request, rating, prefix) -> dict[int, Decimal | None]:
    scores = {}
    for criterion in rating.criteria_set.criteria.all():
        raw = (request.POST.get(f"{prefix}{criterion.pk}") or "").strip()
        try:
            scores[criterion.pk] = Decimal(raw) if raw else None
        except InvalidOperation:
            scores[criterion.pk] = None
    return scores


def _act(request, pk, perm, action):
    rating = selectors.rating_for(request.scope, pk)
    if not request.scope.covers(rating.org, perm):
        raise PermissionDenied
    try:
        message = action(rating)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, message)
    return redirect("stars:detail", rating.pk)


@requires("star.assess")
@require_POST
def rating_self_assess(request, pk):
    submit = request.POST.get("submit") == "1"

    def action(rating):
        services.rating_self_assess(actor=request.user, rating=rating, scores=_scores_from(request, rating, "self_"),
                                    note=request.POST.get("note", ""), submit=submit)
        return "自评已提交，等待审核。" if submit else "自评已保存。"
    return _act(request, pk, "star.assess", action)


@requires("star.approve")
@require_POST
def rating_return(request, pk):
    def action(rating):
        services.rating_return(actor=request.user, rating=rating, reason=request.POST.get("reason", ""))
        return "已退回自评。"
    return _act(request, pk, "star.approve", action)


@requires("star.approve")
@require_POST
def rating_assess(request, pk):
    def action(rating):
        hits = {n.pk: request.POST.get(f"note_{n.pk}", "") for n in rating.criteria_set.negative_items.all()
                if request.POST.get(f"hit_{n.pk}")}
        rating = services.rating_assess(actor=request.user, rating=rating,
                                        scores=_scores_from(request, rating, "assessed_"), negative_hits=hits,
                                        note=request.POST.get("note", ""))
        return f"审核完成：{rating.assessed_total} 分，评定为 {rating.stars} 星。"
    return _act(request, pk, "star.approve", action)


@requires("star.approve")
@require_POST
def rating_publicise(request, pk):
    def action(rating):
        rating = services.rating_publicise(actor=request.user, rating=rating)
        return f"已公示，公示期 {rating.publicity_start:%Y-%m-%d} 至 {rating.publicity_end:%Y-%m-%d}。"
    return _act(request, pk, "star.approve", action)


@requires("star.approve")
@require_POST
def rating_objection(request, pk):
    def action(rating):
        upheld = request.POST.get("upheld") == "1"
        services.rating_objection(actor=request.user, rating=rating, content=request.POST.get("content", ""),
                                  upheld=upheld, handling=request.POST.get("handling", ""))
        return "异议成立，已退回重新审核。" if upheld else "异议已登记（不成立），公示继续。"
    return _act(request, pk, "star.approve", action)


@requires("star.approve")
@require_POST
def rating_approve(request, pk):
    def action(rating):
        rating = services.rating_approve(actor=request.user, rating=rating)
        return f"已审批：{rating.org.name}评定为 {rating.stars} 星。"
    return _act(request, pk, "star.approve", action)
