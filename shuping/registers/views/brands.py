"""党建品牌/示范点 register: list, entry, photos, Excel."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from shuping.accounts.decorators import requires
from shuping.core.http import error_text, form_error_text, xlsx_response

from .. import brands, selectors
from ..forms import BrandForm, DeleteForm, PhotoForm
from ..models import Brand, BrandLevel, BrandPhoto
from .common import import_page


def _brand(request, pk, permission="register.view") -> Brand:
    brand = get_object_or_404(Brand.objects.select_related("owner"), pk=pk)
    request.scope.require(brand.owner, "register.view")
    if permission != "register.view" and not request.scope.covers(brand.owner, permission):
        raise PermissionDenied
    return brand


@requires("register.view")
def brand_list(request, org):
    root = selectors.org_for(request.scope, org)
    found = brands.brands_in(root)
    level = request.GET.get("level", "")
    if level.isdigit():
        found = found.filter(level=int(level))
    if request.GET.get("showcase"):
        found = found.filter(showcase=True)
    return render(request, "registers/brands.html", {
        "root": root, "brands": found.prefetch_related("photos"), "levels": BrandLevel.choices, "level": level,
        "showcase": bool(request.GET.get("showcase")), "can_manage": request.scope.covers(root, "register.confirm"),
    })


@requires("register.view")
def brand_export(request, org):
    root = selectors.org_for(request.scope, org)
    return xlsx_response(brands.brands_workbook(root), f"{root.name}党建品牌台账.xlsx")


@requires("register.confirm")
def brand_template(request, org):
    root = selectors.org_for(request.scope, org, "register.confirm")
    return xlsx_response(brands.brands_workbook(root, template=True), f"{root.name}党建品牌导入模板.xlsx")


@requires("register.confirm")
@require_http_methods(["GET", "POST"])
def brand_import(request, org):
    root = selectors.org_for(request.scope, org, "register.confirm")
    return import_page(
        request, kind="registers.brand_import", params={"root": root.pk}, done_url=reverse("registers:brands", args=[root.pk]),
        heading=f"导入{root.name}党建品牌与示范点",
        help_text="工作表“党建品牌”，列：名称、级别（县级/州级/省级）、所属单位编码、所属单位名称、认定年度、状态（培育/命名/撤销）、观摩点（是/否）、主要做法。",
        back=(reverse("registers:brands", args=[root.pk]), "党建品牌与示范点"),
        template_url=reverse("registers:brand_template", args=[root.pk]))


@requires("register.confirm")
@require_http_methods(["GET", "POST"])
def brand_edit(request, org, pk=None):
    root = selectors.org_for(request.scope, org, "register.confirm")
    instance = _brand(request, pk, "register.confirm") if pk else None
    form = BrandForm(request.POST or None, instance=instance, owners=root.subtree().order_by("path"))
    if request.method == "POST" and form.is_valid():
        try:
            brand = brands.brand_save(actor=request.user, brand=form.instance)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已保存")
            return redirect("registers:brand", brand.pk)
    return render(request, "registers/form.html", {"form": form, "heading": "编辑党建品牌" if pk else "登记党建品牌/示范点"})


@requires("register.view")
def brand_detail(request, pk):
    brand = _brand(request, pk)
    return render(request, "registers/brand.html", {
        "brand": brand, "photos": brand.photos.all(), "photo_form": PhotoForm(),
        "can_manage": request.scope.covers(brand.owner, "register.confirm"),
    })


@requires("register.confirm")
@require_POST
def photo_add(request, pk):
    brand = _brand(request, pk, "register.confirm")
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = brands.photos_add(actor=request.user, brand=brand, images=form.cleaned_data["images"],
                                      caption=form.cleaned_data["caption"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已上传 {len(added)} 张照片")
    else:
        messages.error(request, form_error_text(form))
    return redirect("registers:brand", brand.pk)


@requires("register.confirm")
@require_POST
def photo_delete(request, pk):
    item = get_object_or_404(BrandPhoto.objects.select_related("brand__owner"), pk=pk)
    brand = _brand(request, item.brand_id, "register.confirm")
    brands.photo_delete(actor=request.user, photo=item)
    messages.success(request, "照片已删除")
    return redirect("registers:brand", brand.pk)


@requires("register.confirm")
@require_POST
def brand_delete(request, pk):
    brand = _brand(request, pk, "register.confirm")
    form = DeleteForm(request.POST)
    try:
        if not form.is_valid():
            raise brands.BrandError(form_error_text(form))
        brands.brand_delete(actor=request.user, brand=brand, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("registers:brand", brand.pk)
    messages.success(request, f"已删除“{brand.name}”，原记录保留在审计日志中")
    return redirect("registers:brands", brand.owner.pk)


@requires("register.view")
def photo(request, pk):
    item = get_object_or_404(BrandPhoto.objects.select_related("brand__owner"), pk=pk)
    request.scope.require(item.brand.owner, "register.view")
    content_type = "image/png" if item.image.name.lower().endswith(".png") else "image/jpeg"
    return FileResponse(item.image.open("rb"), content_type=content_type)
