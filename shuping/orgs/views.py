from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from shuping.accounts.decorators import requires
from shuping.core.background import import_start
from shuping.core.http import int_param, is_htmx, xlsx_response
from shuping.core.imports import ImportOutcome, run_import
from shuping.core.panels import ORG_PANELS, PERSON_PANELS, render_panels

from . import excel, selectors, services
from .forms import ImportForm, MoveForm, OrgForm, PersonForm
from .models import Org


@requires("org.view")
def tree(request):
    roots = request.scope.root_orgs("org.view")
    return render(request, "orgs/tree.html", {"roots": roots, "can_manage": request.scope.has("org.manage")})


@requires("org.view")
def children(request, pk):
    org = selectors.org_for(request.scope, pk)
    kids = org.children.order_by("sort_order", "code").select_related("secretary")
    return render(request, "orgs/_children.html", {"orgs": kids})


@requires("org.view")
def search(request):
    query = request.GET.get("q", "")
    results = selectors.search_orgs(request.scope, query)
    template = "orgs/_search_results.html" if is_htmx(request) else "orgs/search.html"
    return render(request, template, {"results": results, "q": query})


@requires("org.view")
def detail(request, pk):
    org = selectors.org_for(request.scope, pk)
    context = {
        "org": org,
        "ancestors": [a for a in org.ancestors() if request.scope.covers(a, "org.view")],
        "children": org.children.order_by("sort_order", "code").select_related("secretary"),
        "people": org.people.order_by("name")[:200],
        "can_manage": request.scope.covers(org, "org.manage"),
        "can_manage_people": request.scope.covers(org, "person.manage"),
        "subtree_size": org.subtree().count() - 1,
        "panels": render_panels(ORG_PANELS, request, org),
    }
    return render(request, "orgs/detail.html", context)


def _people_choices(request, org):
    return selectors.visible_people(request.scope).filter(memberships__org__in=org.subtree().values("pk"))


@requires("org.manage")
@require_http_methods(["GET", "POST"])
def create(request):
    parent_id = request.GET.get("parent", "")
    parent = selectors.org_for(request.scope, int(parent_id), "org.manage") if parent_id.isdigit() else None
    if parent is None and not request.user.is_superuser:
        raise Http404
    form = OrgForm(request.POST or None, people=_people_choices(request, parent) if parent else None)
    if request.method == "POST" and form.is_valid():
        org = services.org_create(actor=request.user, parent=parent, **form.cleaned_data)
        messages.success(request, f"已新增组织：{org.name}")
        return redirect("orgs:detail", org.pk)
    return render(request, "orgs/form.html", {"form": form, "parent": parent, "title": "新增组织"})


@requires("org.manage")
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    org = selectors.org_for(request.scope, pk, "org.manage")
    form = OrgForm(request.POST or None, instance=Org.objects.get(pk=org.pk), people=_people_choices(request, org))
    if request.method == "POST" and form.is_valid():
        services.org_update(actor=request.user, org=org, **form.cleaned_data)
        messages.success(request, "已保存")
        return redirect("orgs:detail", org.pk)
    return render(request, "orgs/form.html", {"form": form, "org": org, "title": f"编辑：{org.name}"})


@requires("org.manage")
@require_http_methods(["GET", "POST"])
def move(request, pk):
    org = selectors.org_for(request.scope, pk, "org.manage")
    parents = selectors.visible_orgs(request.scope, "org.manage").exclude(pk__in=org.subtree().values("pk"))
    form = MoveForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            services.org_move(actor=request.user, org=org, new_parent=form.cleaned_data["new_parent"])
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, f"已将“{org.name}”调整到“{form.cleaned_data['new_parent'].name}”之下")
            return redirect("orgs:detail", org.pk)
    return render(request, "orgs/move.html", {"form": form, "org": org})


@requires("org.manage")
@require_http_methods(["GET", "POST"])
def import_xlsx(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = ImportOutcome()
    if request.method == "POST" and form.is_valid():
        allowed = None if request.user.is_superuser else request.scope.paths("org.manage")
        upload = form.cleaned_data["file"]
        if upload.size >= settings.SHUPING_IMPORT_BACKGROUND_BYTES:
            # A province's tree takes minutes: import it in the background with a progress page.
            return import_start(request, upload, kind="orgs.import", title="导入组织与人员", params={},
                                back_url=reverse("orgs:tree"))
        outcome = run_import(request, form, lambda upload: excel.import_workbook(
            upload, actor=request.user, allowed_paths=allowed, max_bytes=settings.SHUPING_IMPORT_MAX_BYTES))
        if outcome.ok:
            messages.success(request, outcome.result.describe())
            return redirect("orgs:tree")
    return render(request, "orgs/import.html", {"form": form, "errors": outcome.errors})


@requires("org.manage")
def export_xlsx(request):
    orgs = selectors.visible_orgs(request.scope, "org.manage")
    return xlsx_response(excel.export_workbook(orgs), "组织与人员.xlsx")


@requires("org.manage")
def template_xlsx(request):
    return xlsx_response(excel.template_workbook(), "组织与人员导入模板.xlsx")


@requires("person.view")
def people(request):
    query = request.GET.get("q", "").strip()
    people = selectors.visible_people(request.scope).prefetch_related("orgs")
    if query:
        people = people.filter(name__icontains=query) | people.filter(code__iexact=query)
    people = people.order_by("name")[:200]
    rows = [(p, selectors.manages_person(request.scope, p)) for p in people]
    return render(request, "orgs/people.html", {"rows": rows, "q": query,
                                                "can_create": request.scope.has("person.manage")})


@requires("person.view")
def person_detail(request, pk):
    person = selectors.person_for(request.scope, pk)
    context = {
        "person": person,
        "manages": selectors.manages_person(request.scope, person),
        "orgs": [o for o in person.orgs.order_by("path") if request.scope.covers(o, "org.view")],
        "led": [o for o in person.led_orgs.order_by("path") if request.scope.covers(o, "org.view")],
        "panels": render_panels(PERSON_PANELS, request, person),
    }
    return render(request, "orgs/person_detail.html", context)


@requires("person.manage")
@require_http_methods(["GET", "POST"])
def person_edit(request, pk=None):
    person = selectors.person_for(request.scope, pk, "person.manage") if pk else None
    choices = selectors.visible_orgs(request.scope, "person.manage").order_by("path")
    initial = {}
    if person is None and request.GET.get("org"):
        initial["orgs"] = choices.filter(pk=int_param(request.GET["org"]))
    form = PersonForm(request.POST or None, instance=person, org_choices=choices, initial=initial)
    if person is not None and not request.POST:
        form.initial["orgs"] = person.orgs.filter(pk__in=choices.values("pk"))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        orgs = list(data.pop("orgs"))
        if person is None:
            person = services.person_create(actor=request.user, orgs=orgs, **data)
            messages.success(request, f"已新增人员：{person.name}")
        else:
            outside = [o for o in person.orgs.all() if not request.scope.covers(o, "person.manage")]
            services.person_update(actor=request.user, person=person, orgs=orgs + outside, **data)
            messages.success(request, "已保存")
        return redirect("orgs:person", person.pk)
    return render(request, "orgs/person_form.html", {"form": form, "person": person})
