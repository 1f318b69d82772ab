from decimal import Decimal
from functools import lru_cache

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from shuping.accounts.decorators import public, requires
from shuping.campaigns.models import CampaignState, DemocraticChoice, Participant, Presentation
from shuping.core.background import export_start
from shuping.core.http import error_text, file_response, int_param

from . import ballot_page, pdf, secrecy, selectors, services, voting
from .forms import IssueForm, MeetingForm, PaperIssueForm
from .models import BallotLayout, CredentialStatus, MeetingStatus, PaperFormStatus

PDF_TYPE = "application/pdf"


def _results_url(campaign) -> str | None:
    try:
        return reverse("campaigns:results", args=[campaign.pk])
    except NoReverseMatch:
        return None


# ---- organiser pages ---------------------------------------------------------------------


@requires("meeting.run")
def meeting_list(request):
    campaigns = selectors.campaigns_for(request.scope)
    return render(request, "meetings/list.html", {"campaigns": campaigns})


@requires("meeting.run")
@require_http_methods(["GET", "POST"])
def meeting_create(request, campaign_pk):
    campaign = selectors.campaign_for(request.scope, campaign_pk)
    if hasattr(campaign, "meeting"):
        return redirect("meetings:detail", campaign.meeting.pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, "已创建述职评议会")
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "campaign": campaign, "title": "新建述职评议会"})


@requires("meeting.run")
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = selectors.meeting_for(request.scope, pk)
    form = MeetingForm(request.POST or None, instance=selectors.meeting_for(request.scope, pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, "已保存")
            return redirect("meetings:detail", meeting.pk)
    return render(request, "meetings/form.html", {"form": form, "campaign": meeting.campaign, "title": "会议设置"})


@requires("meeting.run")
def meeting_detail(request, pk):
    meeting = selectors.meeting_for(request.scope, pk)
    campaign = meeting.campaign
    groups = selectors.group_summary(meeting)
    context = {
        "meeting": meeting,
        "campaign": campaign,
        "participants": campaign.participants.select_related("org", "secretary").order_by("agenda_order", "pk"),
        "groups": groups,
        "test_ballots": campaign.ballots.filter(is_test=True).count(),
        "real_ballots": campaign.ballots.filter(is_test=False).count(),
        "unresolved": services.unresolved_paper(meeting),
        "presentations": Presentation.choices,
        "results_url": _results_url(campaign) if campaign.state in (CampaignState.PUBLISHED, CampaignState.SCORING) else None,
        "can_enter_phase": campaign.state == CampaignState.REVIEW,
        "S": MeetingStatus,
        "CS": CampaignState,
    }
    return render(request, "meetings/detail.html", context)


@requires("meeting.run")
@require_POST
def meeting_agenda(request, pk):
    meeting = selectors.meeting_for(request.scope, pk)
    participant = get_object_or_404(Participant, campaign=meeting.campaign, pk=int_param(request.POST.get("participant")) or 0)
    action = request.POST.get("action")
    try:
        if action in ("up", "down"):
            services.agenda_move(actor=request.user, meeting=meeting, participant=participant,
                                 offset=-1 if action == "up" else 1)
        elif action == "current":
            services.meeting_set_current(actor=request.user, meeting=meeting, participant=participant)
        elif action in Presentation.values:
            services.agenda_set_presentation(actor=request.user, meeting=meeting, participant=participant,
                                             presentation=action)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}#agenda")


ACTIONS = {
    "enter_phase": (services.meeting_enter_phase, "考核已进入“会议”阶段"),
    "start_test": (services.meeting_start_test, "已进入测试模式：此时提交的测评票均为测试票"),
    "clear_test": (services.meeting_clear_test, "已清除测试票"),
    "open": (services.meeting_open, "测试票已清除，正式测评开始"),
    "close": (services.meeting_close, "会议已关闭，考核进入“计分”阶段"),
    "publish": (services.meeting_publish, "结果已发布"),
}


@requires("meeting.run")
@require_POST
def meeting_action(request, pk):
    meeting = selectors.meeting_for(request.scope, pk)
    if request.POST.get("action") not in ACTIONS:
        raise Http404
    service, message = ACTIONS[request.POST["action"]]
    try:
        service(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, message)
    return redirect("meetings:detail", meeting.pk)


def _base_url(request, meeting) -> str:
    return meeting.base_url or request.build_absolute_uri("/")


@requires("meeting.run")
def credential_list(request, pk):
    meeting = selectors.meeting_for(request.scope, pk)
    form = IssueForm(campaign=meeting.campaign)
    credentials = meeting.credentials.select_related("group").order_by("group__order", "number", "pk")
    return render(request, "meetings/credentials.html", {
        "meeting": meeting, "form": form, "credentials": credentials, "base_url": _base_url(request, meeting),
        "groups": meeting.campaign.evaluator_groups.order_by("order", "pk"),
        "voting": meeting.status in (MeetingStatus.OPEN, MeetingStatus.TEST),
    })


@requires("meeting.run")
@require_POST
def credential_issue(request, pk):
    meeting = selectors.meeting_for(request.scope, pk)
    form = IssueForm(request.POST, campaign=meeting.campaign)
    if form.is_valid():
        try:
            cards = services.credentials_issue(
                actor=request.user, meeting=meeting, group=form.cleaned_data["group"],
                count=form.cleaned_data.get("count") or 0, names=form.cleaned_data["name_list"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            content = pdf.cards_pdf(meeting, cards, _base_url(request, meeting))
            return file_response(content, f"评议卡-{form.cleaned_data['group'].name}.pdf", PDF_TYPE)
    credentials = meeting.credentials.select_related("group").order_by("group__order", "number", "pk")
    return render(request, "meetings/credentials.html", {
        "meeting": meeting, "form": form, "credentials": credentials, "base_url": _base_url(request, meeting),
    }, status=400)


@requires("meeting.run")
@require_POST
def credential_reissue(request, pk, credential_pk):
    meeting = selectors.meeting_for(request.scope, pk)
    credential = selectors.credential_for(meeting, credential_pk)
    try:
        card = services.credential_reissue(actor=request.user, credential=credential)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("meetings:credentials", meeting.pk)
    content = pdf.cards_pdf(meeting, [card], _base_url(request, meeting))
    return file_response(content, f"补发评议卡-{card.credential.number}.pdf", PDF_TYPE)


@requires("meeting.run")
@require_POST
def group_round_void(request, pk, group_pk):
    meeting = selectors.meeting_for(request.scope, pk)
    group = get_object_or_404(meeting.campaign.evaluator_groups, pk=group_pk)
    try:
        cards = services.group_round_void(actor=request.user, meeting=meeting, group=group)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("meetings:credentials", meeting.pk)
    content = pdf.cards_pdf(meeting, cards, _base_url(request, meeting))
    return file_response(content, f"重新发放评议卡-{group.name}.pdf", PDF_TYPE)


@requires("meeting.run")
def board(request, pk):
    meeting = selectors.meeting_for(request.scope, pk)
    return render(request, "meetings/board.html", {"meeting": meeting, **selectors.board(meeting)})


@requires("meeting.run")
def board_live(request, pk):
    meeting = selectors.meeting_for(request.scope, pk)
    return render(request, "meetings/_board_live.html", {"meeting": meeting, **selectors.board(meeting)})


# ---- paper forms -------------------------------------------------------------------------


@requires("ballot.enter")
def paper_list(request, pk):
    meeting = selectors.meeting_for(request.scope, pk, "ballot.enter")
    form_id = request.GET.get("form", "").strip()
    if form_id:
        form = selectors.paper_form_for(meeting, form_id) if form_id else None
        if form is not None:
            return redirect("meetings:paper_enter", meeting.pk, form.form_id)
    forms = meeting.paper_forms.select_related("group").prefetch_related("entries")
    return render(request, "meetings/paper_list.html", {
        "meeting": meeting, "forms": forms, "issue_form": PaperIssueForm(campaign=meeting.campaign),
        "can_run": request.scope.covers(meeting.campaign.organiser, "meeting.run"),
        "unresolved": services.unresolved_paper(meeting), "PS": PaperFormStatus,
    })


@requires("meeting.run")
@require_POST
def paper_issue(request, pk):
    meeting = selectors.meeting_for(request.scope, pk)
    form = PaperIssueForm(request.POST, campaign=meeting.campaign)
    if not form.is_valid():
        messages.error(request, "请选择评议组并填写份数（1～1000）")
        return redirect("meetings:paper", meeting.pk)
    try:
        forms = services.paper_forms_issue(actor=request.user, meeting=meeting, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("meetings:paper", meeting.pk)
    # The forms exist now; laying out their PDF takes seconds a form, so a background job does it.
    group = form.cleaned_data["group"]
    return export_start(request, kind="meetings.paper_forms", title=f"生成纸质测评表：{group.name} {len(forms)} 份",
                        params={"meeting": meeting.pk, "forms": [f.pk for f in forms],
                                "file_name": f"纸质测评表-{group.name}.pdf"},
                        back_url=reverse("meetings:paper", args=[meeting.pk]))


@requires("meeting.run")
@require_POST
def paper_print(request, pk):
    meeting = selectors.meeting_for(request.scope, pk)
    count = meeting.paper_forms.count()
    if not count:
        messages.error(request, "尚未生成纸质测评表")
        return redirect("meetings:paper", meeting.pk)
    return export_start(request, kind="meetings.paper_forms", title=f"重新打印全部纸质测评表（{count} 份）",
                        params={"meeting": meeting.pk, "forms": None, "file_name": "纸质测评表-全部.pdf"},
                        back_url=reverse("meetings:paper", args=[meeting.pk]))


def _grid_rows(grid, data, first=None, second=None):
    """Rows of the entry grid; with `first`/`second` (two clerks' entries) cells are compared."""
    compare = first is not None
    first, second = first or {}, second or {}
    rows = []
    for p in grid.participants:
        row, a, b = data.get(str(p.pk), {}), first.get(str(p.pk), {}), second.get(str(p.pk), {})
        cells = [{"indicator": i, "name": f"p{p.pk}_i{i.pk}", "value": row.get(str(i.pk), ""),
                  "a": a.get(str(i.pk), ""), "b": b.get(str(i.pk), ""),
                  "differs": compare and a.get(str(i.pk)) != b.get(str(i.pk))}
                 for i in grid.indicators]
        rows.append({"participant": p, "cells": cells, "democratic": row.get("democratic", ""),
                     "d_a": a.get("democratic", ""), "d_b": b.get("democratic", ""), "d_name": f"p{p.pk}_d",
                     "democratic_differs": compare and a.get("democratic") != b.get("democratic")})
    return rows


@requires("ballot.enter")
@require_http_methods(["GET", "POST"])
def paper_enter(request, pk, form_id):
    meeting = selectors.meeting_for(request.scope, pk, "ballot.enter")
    form = selectors.paper_form_for(meeting, form_id)
    grid = services.paper_grid(meeting)
    mine = form.entries.filter(clerk=request.user).first()
    data = mine.data if mine else {}
    if request.method == "POST":
        data = grid.parse(request.POST)
        if not grid.errors:
            try:
                form = services.paper_entry_save(actor=request.user, form=form, data=data)
            except ValidationError as error:
                grid.errors.append(error_text(error))
            else:
                messages.success(request, f"测评表 {form.form_id} 已保存：{form.get_status_display()}")
                return redirect("meetings:paper", meeting.pk)
    return render(request, "meetings/paper_enter.html", {
        "meeting": meeting, "form": form, "grid": grid, "rows": _grid_rows(grid, data),
        "entries": form.entries.count(), "mine": mine, "choices": DemocraticChoice.values,
    }, status=400 if grid.errors else 200)


@requires("meeting.run")  # resolving is not a clerk's: a third person with meeting rights
@require_http_methods(["GET", "POST"])
def paper_resolve(request, pk, form_id):
    meeting = selectors.meeting_for(request.scope, pk, "ballot.enter")
    form = selectors.paper_form_for(meeting, form_id)
    entries = list(form.entries.select_related("clerk").order_by("pk"))
    if form.status != PaperFormStatus.MISMATCH or len(entries) != 2:
        messages.info(request, "该测评表没有待裁定的不一致")
        return redirect("meetings:paper", meeting.pk)
    grid = services.paper_grid(meeting)
    data = entries[0].data
    if request.method == "POST":
        data = grid.parse(request.POST)
        if not grid.errors:
            try:
                services.paper_resolve(actor=request.user, form=form, data=data)
            except ValidationError as error:
                grid.errors.append(error_text(error))
            else:
                messages.success(request, f"测评表 {form.form_id} 已裁定并计入")
                return redirect("meetings:paper", meeting.pk)
    return render(request, "meetings/paper_resolve.html", {
        "meeting": meeting, "form": form, "grid": grid, "entries": entries,
        "rows": _grid_rows(grid, data, entries[0].data, entries[1].data),
        "choices": DemocraticChoice.values,
    }, status=400 if grid.errors else 200)


# ---- evaluator pages (public: the card's device cookie is the credential) -------------------
#
# Only the QR link carries the card's token, once: /m/k/<token>/ binds this phone to the card
# (an HttpOnly cookie holding a random device secret) and redirects to /m/b/, which never has a
# secret in its URL. See docs/threat-model.md.


def _refused(request, message, status=403):
    return render(request, "meetings/ballot_refused.html", {"message": message}, status=status)


def card_opened(device_secret):
    """The response that binds this browser to a card (device cookie) and shows its ballot page."""
    response = redirect("meetings:ballot")
    secrecy.set_device_cookie(response, device_secret, set())
    response["Referrer-Policy"] = "no-referrer"
    return response


@public
@never_cache
@require_http_methods(["GET", "POST"])
def start(request):
    error = ""
    if request.method == "POST":
        try:
            device_secret, _voter = services.open_card_with_code(request.POST.get("code", ""))
        except services.BallotRejected as rejected:
            error = rejected.message
        else:
            return card_opened(device_secret)
    return render(request, "meetings/start.html", {"error": error, "code_length": secrecy.CODE_LENGTH},
                  status=400 if error else 200)


@public
@never_cache
def card_open(request, token):
    try:
        device_secret, _voter = services.open_card_with_token(token)
    except services.BallotRejected as rejected:
        return _refused(request, rejected.message)
    return card_opened(device_secret)


NOT_OPENED = ("本机尚未打开评议卡，或这张评议卡已在另一部手机上打开（本机随之退出）。"
              "请扫描评议卡上的二维码或输入评议码；如非本人操作，请立即告知会务人员。")


def _voter(request, *, lock=False):
    cookie = secrecy.read_device_cookie(request.COOKIES.get(secrecy.DEVICE_COOKIE))
    voter = voting.voter_for_device(cookie[0], lock=lock) if cookie else None
    if voter is not None:
        voter.revealed = cookie[1]
    return voter, cookie


def _padded(value, width):
    """A score as shown in the form plus the spaces that make every score the same length. A refused
    submission echoes what was typed: numbers are shown in the stored form too, so a 400's size does
    not tell the access log the digits that are stored a moment later."""
    if isinstance(value, str) and value.strip():
        try:
            number = Decimal(value.strip())
            if number.is_finite() and number == number.quantize(Decimal("0.01")):
                value = number
        except ArithmeticError:  # not a number, or too large to quantize: echoed as typed
            pass
    text = "" if value is None else f"{value:.2f}" if isinstance(value, Decimal) else str(value)
    return text, " " * max(width - len(text), 0)


def _first_error(lay, missing, invalid):
    """The first red item in page order: the 400 page puts `autofocus` on it, so the phone scrolls
    there (no script needed) instead of to the banner at the top."""
    wrong = set(missing) | set(invalid)
    first = next((item.key for item in lay.items if item.key in wrong), None)
    return first or ("democratic" if "democratic" in wrong else None)


@lru_cache(maxsize=8)
def _ballot_base_under(script_prefix):  # the prefix is the cache key: reverse() reads it itself
    return reverse("meetings:ballot")


def _ballot_base():
    """"/m/b/" (under the deployment's prefix): a reporter's page is this plus "<id>/". Resolved
    once per process instead of on every page view and submission (issue 18)."""
    return _ballot_base_under(get_script_prefix())


def _ballot_context(voter, lay, cast, selected_pk=None, *, values=None, democratic=None, missing=(), invalid=()):
    """Everything the ballot page shows. A stored score is shown only to the phone that typed it
    (`voter.revealed`), and every shown value is padded to one width, so the page's size in an
    access log says nothing about the scores."""
    done = set(cast)
    reporters = lay.reporters
    if selected_pk is None:
        current = voter.current_id if voter.current_id in lay.by_pk else None
        selected_pk = current or next((r.pk for r in reporters if r.pk not in done), reporters[0].pk if reporters else None)
    selected = lay.by_pk.get(selected_pk)
    stored = cast.get(selected_pk) if selected else None
    revealed = stored is not None and selected_pk in voter.revealed
    if values is None:
        values = {str(i): v for i, v in stored.scores.items()} if revealed else {}
        democratic = stored.democratic if revealed else ""
    first_error = _first_error(lay, missing, invalid)
    quick = voter.ballot_layout == BallotLayout.QUICK
    choices = [{"value": c, "attr": " checked" if c == democratic else ""} for c in DemocraticChoice.values]
    if democratic not in DemocraticChoice.values and choices:
        choices[0]["attr"] = " " * len(" checked")
    base = _ballot_base()
    return {
        "voter": voter, "selected": selected, "choices": choices,
        "fields_html": _fields_html(lay, values, quick, missing, invalid, first_error),
        "action": f"{base}{selected.pk}/" if selected else "",
        "missing": missing, "first_error": first_error,
        "quick": quick, "bands": [band for band, _share in voting.BANDS],
        "reporters_html": _reporters_html(reporters, done, selected_pk if selected else None, voter.current_id, base),
        "done_count": len(done), "total_count": len(reporters),
        "already": stored is not None, "revealed": revealed,
        "summary": _own_totals(voter, lay, cast) if reporters and len(done) == len(reporters) else None,
    }


def _fields_html(lay, values, quick, missing, invalid, first_error):
    """The score inputs. Built here from the layout's pre-escaped parts rather than by a template
    loop: the loop was the biggest cost of a ballot page view (issue 18). Every value is escaped
    and padded to one width, as before."""
    parts = []
    for item in lay.items:
        text, pad = _padded(values.get(item.key), lay.width)
        error = "未打分" if item.key in missing else f"分数应在 0～{item.max_text} 之间" if item.key in invalid else ""
        parts.append(
            f'<div class="indicator{" indicator-error" if error else ""}" id="ind-{item.pk}">{item.head}'
            f'{item.bands_html if quick else ""}\n      <input class="form-control form-control-lg score-input" '
            f'type="number" inputmode="decimal" step="0.01" min="0" max="{item.max_attr}" id="s_{item.pk}" '
            f'name="s_{item.key}" value="{escape(text)}" data-max="{item.max_attr}"'
            f'{" autofocus" if item.key == first_error else ""}>{pad}\n      '
            + (f'<div class="text-danger small">{escape(error)}</div>' if error else "") + "\n    </div>\n    ")
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped or pre-escaped


def _reporters_html(reporters, done, selected_pk, current_id, base):
    """The list of reporters with this card's progress (same reason and care as `_fields_html`)."""
    parts = []
    for r in reporters:
        css = ("done" if r.pk in done else "") + (" selected" if r.pk == selected_pk else "")
        parts.append(
            f'\n    <li class="{css}">\n      <a href="{base}{r.pk}/">\n        <span class="mark">'
            f'{"✓ 已评" if r.pk in done else "未评"}</span>\n        {r.list_html}\n        '
            + ('<span class="badge bg-danger">正在述职</span>' if r.pk == current_id else "") + "\n      </a>\n    </li>")
    return mark_safe("".join(parts))  # noqa: S308 - ids, constants and the layout's escaped names


def _own_totals(voter, lay, cast):
    """The totals this phone itself entered (its cookie lists them), for a last look before
    finishing. Other phones' entries for this card are never shown; every value is padded."""
    rows, base = [], _ballot_base()
    for r in lay.reporters:
        stored = cast.get(r.pk)
        if stored is not None and r.pk in voter.revealed:
            total, pad = _padded(stored.total, lay.width + 1)
            rows.append({"p": r, "total": total, "pad": pad, "democratic": _wide(stored.democratic or "—"),
                         "url": f"{base}{r.pk}/"})
        else:
            rows.append({"p": r, "total": "", "pad": " " * (lay.width + 1), "democratic": _wide(""),
                         "url": f"{base}{r.pk}/"})
    return rows


def _wide(choice: str) -> str:
    """好/较好/一般/差 padded with ideographic spaces to two characters: same bytes whatever the choice."""
    return choice + "\u3000" * (2 - len(choice))


def _democratic_context(voter, lay, cast, *, chosen=None):
    """The one-page 民主测评-only ballot: a row of choices per reporter. Stored choices are shown
    only to the phone that entered them; every row has the same size whatever is checked."""
    rows = []
    for r in lay.reporters:
        stored = cast.get(r.pk)
        if chosen is not None:
            value = chosen.get(r.pk, "")
        else:
            value = stored.democratic if stored is not None and r.pk in voter.revealed else ""
        options = [{"value": c, "attr": " checked" if c == value else " " * len(" checked")}
                   for c in DemocraticChoice.values]
        rows.append({"p": r, "options": options, "done": r.pk in cast, "current": r.pk == voter.current_id})
    return {"voter": voter, "S": MeetingStatus, "rows": rows,
            "header_html": mark_safe(ballot_page.header_html(voter, len(cast), len(lay.reporters), "选择"))}  # noqa: S308 - escaped there


def _democratic_page(request, voter, lay, cast, *, error=None, chosen=None, status=200):
    context = _democratic_context(voter, lay, cast, chosen=chosen)
    context["saved"] = request.GET.get("saved") == "all" and error is None
    if error is not None:
        missing = error.missing
        context.update(error=error.message, missing=missing,
                       first_error=next((r.pk for r in lay.reporters if r.pk in missing), None))
    return render(request, "meetings/ballot_democratic.html", context, status=status)


def _ballot_page(request, participant_pk=None):
    voter, _cookie = _voter(request)
    if voter is None:
        return _refused(request, NOT_OPENED)
    if voter.status == CredentialStatus.REVOKED:
        return _refused(request, "此评议卡已挂失作废，请使用会务人员补发的新评议卡。")
    if voter.closed:
        return render(request, "meetings/ballot_closed.html", {"voter": voter})
    lay = voting.layout(voter.campaign_id)
    if participant_pk is not None and participant_pk not in lay.by_pk:
        raise Http404
    if voter.democratic_only:
        if participant_pk is not None:
            return redirect("meetings:ballot")
        return _democratic_page(request, voter, lay, voting.cast_so_far(voter, lay.reporters))
    # a page shows one reporter's scores, and only to the phone that typed them
    scores_for = None if participant_pk is None else {participant_pk} & voter.revealed
    context = _ballot_context(voter, lay, voting.cast_so_far(voter, lay.reporters, scores_for=scores_for), participant_pk)
    saved = request.GET.get("saved", "")
    context["saved_participant"] = lay.by_pk.get(int(saved)) if saved.isdigit() else None
    return _scoring_response(request, context)


def _scoring_response(request, context, *, status=200):
    return HttpResponse(ballot_page.scoring_page(context, get_token(request)), status=status)


def _attempt(cast, **kwargs):
    """(result, None) or (None, the refusal): the caller leaves its transaction before rendering."""
    try:
        return cast(**kwargs), None
    except services.BallotRejected as rejected:
        return None, rejected


def _final(voter):
    """A refusal no edit can fix: the plain refusal page instead of the ballot."""
    return voter.closed or voter.status == CredentialStatus.REVOKED


@public
@never_cache
@require_http_methods(["GET", "POST"])
def ballot(request):
    if request.method == "GET":
        return _ballot_page(request)
    # only the 民主测评-only layout posts here: every reporter's choice in one submission
    with transaction.atomic():
        voter, cookie = _voter(request, lock=True)
        if voter is None:
            return _refused(request, NOT_OPENED)
        if not voter.democratic_only:
            return redirect("meetings:ballot")
        lay = voting.layout(voter.campaign_id)
        chosen = {r.pk: request.POST.get(f"d_{r.pk}", "") for r in lay.reporters}
        cast, error = _attempt(voting.democratic_cast, voter=voter, choices=chosen)
    if error is not None:
        if _final(voter):
            return _refused(request, error.message, status=400)
        return _democratic_page(request, voter, lay, voting.cast_so_far(voter, lay.reporters), error=error,
                                chosen=chosen, status=400)
    response = HttpResponseRedirect(f"{_ballot_base()}?saved=all")
    secrecy.set_device_cookie(response, cookie[0], cookie[1] | set(cast))
    return response


@public
@never_cache
@require_http_methods(["GET", "POST"])
def ballot_participant(request, participant_pk):
    if request.method == "GET":
        return _ballot_page(request, participant_pk)
    raw = {key[2:]: value for key, value in request.POST.items() if key.startswith("s_")}
    democratic = request.POST.get("democratic", "")
    with voting.submission():
        voter, cookie = _voter(request)
        if voter is None:
            return _refused(request, NOT_OPENED)
        if voter.democratic_only:
            return redirect("meetings:ballot")
        if voter.ballot_layout == BallotLayout.QUICK:
            raw = voting.apply_bands(voting.layout(voter.campaign_id).indicators, raw, {
                key: value for key, value in request.POST.items() if key.startswith("b_")})
        result, error = _attempt(voting.ballot_cast, voter=voter, participant_id=participant_pk, raw_scores=raw,
                                 democratic=democratic)
    if error is not None:
        if _final(voter):
            return _refused(request, error.message, status=400)
        lay = voting.layout(voter.campaign_id)
        if participant_pk not in lay.by_pk:
            raise Http404
        context = _ballot_context(voter, lay, voting.cast_so_far(voter, lay.reporters, scores_for=()), participant_pk,
                                  values=raw, democratic=democratic, missing={str(i) for i in error.missing},
                                  invalid={str(i) for i in error.invalid})
        context["error"] = error.message
        return _scoring_response(request, context, status=400)
    lay = voting.layout(voter.campaign_id)
    following = next((r.pk for r in lay.reporters if r.pk not in result.cast_ids), None)
    base = _ballot_base()
    response = HttpResponseRedirect(f"{base}{following}/?saved={participant_pk}" if following
                                    else f"{base}?saved={participant_pk}")
    secrecy.set_device_cookie(response, cookie[0], cookie[1] | {participant_pk})
    return response
