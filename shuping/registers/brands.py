"""党建品牌 and 示范点: the register, its photos (through Django's storage), its Excel list, and the check
that links a named practice in a report to the register and flags a level claimed above the registered one."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from shuping.audit.services import log_action, snapshot
from shuping.clock import now
from shuping.orgs.models import Org

from .claims import Claim
from .models import Brand, BrandLevel, BrandPhoto, BrandStatus

PHOTO_TYPES = (".jpg", ".jpeg", ".png")
MAX_PHOTO_BYTES = 5 * 1024 * 1024
_LEVEL_WORDS = [("省级", BrandLevel.PROVINCE), ("全省", BrandLevel.PROVINCE), ("州级", BrandLevel.PREFECTURE),
                ("市级", BrandLevel.PREFECTURE), ("全州", BrandLevel.PREFECTURE), ("全市", BrandLevel.PREFECTURE),
                ("县级", BrandLevel.COUNTY)]
_SENTENCE_END = "。！？!?\n"
_QUOTES = "“”\"'‘’「」『』《》"


class BrandError(ValidationError):
    pass


@transaction.atomic
def brand_save(*, actor, brand: Brand) -> Brand:
    before = snapshot(Brand.objects.get(pk=brand.pk)) if brand.pk else None
    brand.name = brand.name.strip().strip(_QUOTES)
    if not brand.name:
        raise BrandError("名称不能为空")
    if Brand.objects.filter(owner=brand.owner, name=brand.name).exclude(pk=brand.pk).exists():
        raise BrandError(f"{brand.owner.name}已登记“{brand.name}”")
    if brand.created_at is None:
        brand.created_at = now()
    brand.full_clean()
    brand.save()
    log_action("register.brand_save", actor=actor, obj=brand, org=brand.owner, before=before, after=snapshot(brand))
    return brand


@transaction.atomic
def photo_add(*, actor, brand: Brand, image, caption: str = "") -> BrandPhoto:
    name = getattr(image, "name", "") or ""
    if not name.lower().endswith(PHOTO_TYPES):
        raise BrandError("照片只接受 JPG 或 PNG 文件")
    if image.size > MAX_PHOTO_BYTES:
        raise BrandError("照片不能超过 5 MB")
    head = image.read(8)
    image.seek(0)
    if not (head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n")):
        raise BrandError("文件内容不是 JPG 或 PNG 图片")
    photo = BrandPhoto(brand=brand, caption=(caption or "").strip()[:100], uploaded_at=now())
    photo.image.save(name.rsplit("/", 1)[-1], image, save=False)
    photo.save()
    log_action("register.brand_photo", actor=actor, obj=brand, org=brand.owner, after={"photo": photo.image.name})
    return photo


@transaction.atomic
def photos_add(*, actor, brand: Brand, images, caption: str = "") -> list[BrandPhoto]:
    """Several photos at once, all or none: one bad file leaves the brand's photos as they were."""
    with transaction.atomic():
        return [photo_add(actor=actor, brand=brand, image=image, caption=caption) for image in images]


@transaction.atomic
def brand_delete(*, actor, brand: Brand, reason: str) -> None:
    """Remove a wrongly entered brand; the audit log keeps what it was (photos included) and why it went."""
    reason = (reason or "").strip()
    if not reason:
        raise BrandError("请填写删除原因")
    photos = [p.image.name for p in brand.photos.all()]
    log_action("register.brand_delete", actor=actor, obj=brand, org=brand.owner,
               before={**snapshot(brand), "photos": photos}, after={"reason": reason[:200]})
    files = [p.image for p in brand.photos.all()]
    brand.delete()
    transaction.on_commit(lambda: [f.storage.delete(f.name) for f in files])


@transaction.atomic
def photo_delete(*, actor, photo: BrandPhoto) -> None:
    brand, image = photo.brand, photo.image
    log_action("register.brand_photo_delete", actor=actor, obj=brand, org=brand.owner,
               before={"photo": image.name, "caption": photo.caption})
    photo.delete()
    transaction.on_commit(lambda: image.storage.delete(image.name))


def brands_in(root: Org):
    return Brand.objects.filter(owner__in=root.subtree()).select_related("owner")


# --- the report check ----------------------------------------------------------------------------


def _norm(name: str) -> str:
    return re.sub(rf"[{_QUOTES}\s]", "", name)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    rights = [i for i in (text.find(c, end) for c in _SENTENCE_END) if i >= 0]
    return left, (min(rights) + 1 if rights else len(text))


def _claimed_level(sentence: str) -> int | None:
    found = [level for word, level in _LEVEL_WORDS if word in sentence]
    return max(found) if found else None


def match_brand(name: str, brands: list[Brand]) -> Brand | None:
    key = _norm(name)
    for brand in brands:
        other = _norm(brand.name)
        if key == other or (min(len(key), len(other)) >= 3 and (key in other or other in key)):
            return brand
    return None


def check_practices(org: Org, text: str, analysis: dict) -> list[Claim]:
    """Named practices found by textcheck, linked to the org's brand register where one matches."""
    practices = analysis.get("named_practices", [])
    if not practices:
        return []
    brands = list(brands_in(org))
    claims = []
    for practice in practices:
        start, end = practice["span"]
        s_start, s_end = _sentence(text, start, end)
        sentence = text[s_start:s_end]
        claimed = _claimed_level(sentence)
        brand = match_brand(practice["text"], brands)
        if brand is None:
            if claimed is not None:
                claims.append(Claim(span=(start, end), sentence=sentence, figure=practice["text"], rule="党建品牌",
                                    fact_code="brand", fact_name="党建品牌", status="nodata",
                                    message=f"报告称“{practice['text']}”为{BrandLevel(claimed).label}品牌，品牌台账未登记"))
            continue
        registered = f"台账为{brand.get_level_display()}{brand.get_status_display()}（{brand.year}年，{brand.owner.name}）"
        status = "match"
        said = f"报告称“{practice['text']}”"
        if brand.status == BrandStatus.REVOKED:
            status = "mismatch"
            registered = f"台账显示该品牌已撤销（原{brand.get_level_display()}）"
        elif claimed is not None and claimed > brand.level:
            status = "mismatch"
            said += f"为{BrandLevel(claimed).label}品牌"
        elif claimed is not None and brand.status == BrandStatus.CULTIVATING:
            status = "mismatch"
            said += f"为{BrandLevel(claimed).label}品牌"
            registered = f"台账为{brand.get_level_display()}培育对象，尚未命名"
        claims.append(Claim(span=(start, end), sentence=sentence, figure=practice["text"], rule="党建品牌",
                            fact_code="brand", fact_name="党建品牌", status=status, message=f"{said}，{registered}"))
    return claims


# --- Excel ----------------------------------------------------------------------------------

SHEET = "党建品牌"
HEADERS = ["名称", "级别", "所属单位编码", "所属单位名称", "认定年度", "状态", "观摩点", "主要做法"]


def brands_workbook(root: Org, *, template: bool = False) -> bytes:
    from .excel import list_workbook

    rows = [] if template else [
        [b.name, b.get_level_display(), b.owner.code, b.owner.name, b.year, b.get_status_display(),
         "是" if b.showcase else "否", b.description] for b in brands_in(root)]
    return list_workbook(SHEET, HEADERS, rows, [
        ["范围", root.name], ["级别", "、".join(BrandLevel.labels)], ["状态", "、".join(BrandStatus.labels)],
        ["导入规则", "同一单位同名品牌视为同一条，导入时更新；全部行校验通过才写入，有错误时不写入任何数据。照片请在系统中上传。"],
    ])


def brands_import(source, *, actor, root: Org, max_bytes: int | None = None) -> list[Brand]:
    from .excel import read_rows

    orgs = {o.code: o for o in root.subtree()}
    levels = {label: value for value, label in BrandLevel.choices}
    states = {label: value for value, label in BrandStatus.choices}
    seen: dict[tuple, int] = {}

    def parse(number, record):
        problems = []
        name = record.get("名称", "").strip(_QUOTES)
        owner = orgs.get(record.get("所属单位编码", ""))
        if not name:
            problems.append(("名称", "不能为空"))
        if owner is None:
            problems.append(("所属单位编码", f"“{record.get('所属单位编码', '')}”不是{root.name}所辖单位"))
        elif (owner.pk, name) in seen:
            problems.append(("名称", f"与第 {seen[(owner.pk, name)]} 行重复"))
        else:
            seen[(owner.pk, name)] = number
        level = levels.get(record.get("级别", ""))
        if level is None:
            problems.append(("级别", f"应为：{'、'.join(BrandLevel.labels)}"))
        status = states.get(record.get("状态", "") or "命名")
        if status is None:
            problems.append(("状态", f"应为：{'、'.join(BrandStatus.labels)}"))
        year = record.get("认定年度", "")
        if not (year.isdigit() and 1990 <= int(year) <= 2100):
            problems.append(("认定年度", "应为四位年份"))
        showcase = record.get("观摩点", "否")
        if showcase not in ("是", "否", ""):
            problems.append(("观摩点", "应填“是”或“否”"))
        return {"name": name, "owner": owner, "level": level, "status": status, "year": int(year) if year.isdigit() else 0,
                    "showcase": showcase == "是", "description": record.get("主要做法", "")}, problems

    items = read_rows(source, SHEET, ["名称", "级别", "所属单位编码", "认定年度"],
                      ["所属单位名称", "状态", "观摩点", "主要做法"], parse, max_bytes=max_bytes)
    saved = []
    with transaction.atomic():
        for item in items:
            brand = Brand.objects.filter(owner=item["owner"], name=item["name"]).first() or Brand()
            for field, value in item.items():
                setattr(brand, field, value)
            saved.append(brand_save(actor=actor, brand=brand))
    return saved
