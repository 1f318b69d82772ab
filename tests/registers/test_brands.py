"""党建品牌/示范点: the register, photos, Excel, and the report check of claimed levels."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shuping.core.xlsx import ImportFailed
from shuping.registers import brands
from shuping.registers.models import Brand, BrandLevel, BrandStatus

from .conftest import xlsx

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def register(tree, name="三服务三心人", level=BrandLevel.PREFECTURE, status=BrandStatus.NAMED, owner=None):
    return brands.brand_save(actor=None, brand=Brand(name=name, level=level, owner=owner or tree.village_a1,
                                                     year=2025, status=status))


def _check(tree, text):
    import textcheck

    return brands.check_practices(tree.town_a1, text, textcheck.analyze(text))


def test_a_brand_claimed_above_its_registered_level_is_flagged(tree):
    register(tree)
    [claim] = _check(tree, "我镇“三服务三心人”工作法被评为省级党建品牌。")
    assert claim.flagged
    assert claim.message == "报告称“三服务三心人”为省级品牌，台账为州级命名（2025年，甲一村党支部）"
    [claim] = _check(tree, "我镇“三服务三心人”工作法被评为州级党建品牌。")
    assert claim.status == "match"


def test_revoked_and_unregistered_brands(tree):
    register(tree, name="周计划", status=BrandStatus.REVOKED)
    [claim] = _check(tree, "推行“周计划”工作法，成效明显。")
    assert claim.flagged and "已撤销" in claim.message
    [claim] = _check(tree, "“四在牧家”工作法被命名为省级党建品牌。")
    assert claim.status == "nodata" and "品牌台账未登记" in claim.message


def test_brands_of_another_county_are_not_matched(tree):
    register(tree, owner=tree.village_b1, level=BrandLevel.PROVINCE)
    assert _check(tree, "“三服务三心人”工作法被评为省级品牌。")[0].status == "nodata"


def test_review_page_marks_the_brand(client, reported, role_users):
    participant = reported.participant
    client.force_login(role_users["admin"])
    page = client.get(reverse("reports:review", args=[participant.pk])).content.decode()
    assert "报告称“三服务三心人”为省级品牌，品牌台账未登记" in page
    register(reported)
    client.force_login(role_users["admin"])
    page = client.get(reverse("reports:review", args=[participant.pk])).content.decode()
    assert "报告称“三服务三心人”为省级品牌，台账为州级命名" in page


def test_photos_go_through_storage_and_only_images_are_taken(client, tree, role_users):
    brand = register(tree)
    client.force_login(role_users["admin"])
    url = reverse("registers:brand_photo_add", args=[brand.pk])
    client.post(url, {"images": SimpleUploadedFile("阵地.png", PNG), "caption": "党群服务中心"})
    # Several at once, all or none: a bad file among them leaves no partial upload behind.
    fake = client.post(url, {"images": [SimpleUploadedFile("a.png", PNG), SimpleUploadedFile("x.png", b"<script>")]},
                       follow=True)
    assert "不是 JPG 或 PNG" in fake.content.decode()
    photo = brand.photos.get()
    served = client.get(reverse("registers:brand_photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/png" and b"".join(served.streaming_content) == PNG
    page = client.get(reverse("registers:brand", args=[brand.pk])).content.decode()
    assert "党群服务中心" in page and "州级" in page


def test_import_round_trip_and_bad_rows(tree):
    rows = [["三服务三心人", "州级", "A-1-1", "", 2025, "命名", "是", "三服务、三用心"],
            ["周计划", "县级", "A-1", "", 2024, "培育", "否", ""]]
    assert len(brands.brands_import(xlsx(rows, brands.HEADERS, sheet=brands.SHEET), actor=None, root=tree.county_a)) == 2
    exported = brands.brands_workbook(tree.county_a)
    ws = load_workbook(io.BytesIO(exported))[brands.SHEET]
    got = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert got["三服务三心人"][1:7] == ("州级", "A-1-1", "甲一村党支部", 2025, "命名", "是")
    # Re-importing the export updates in place: nothing is duplicated.
    brands.brands_import(io.BytesIO(exported), actor=None, root=tree.county_a)
    assert Brand.objects.count() == 2
    with pytest.raises(ImportFailed) as caught:
        brands.brands_import(xlsx([["", "国家级", "B-1", "", "去年", "待定", "也许", ""]], brands.HEADERS,
                                  sheet=brands.SHEET), actor=None, root=tree.county_a)
    text = "\n".join(str(e) for e in caught.value.errors)
    for expected in ("名称】：不能为空", "不是甲县委所辖单位", "级别】：应为", "四位年份", "状态】：应为", "观摩点"):
        assert expected in text
    with pytest.raises(ImportFailed):
        brands.brands_import(io.BytesIO(b"PK\x03\x04broken"), actor=None, root=tree.county_a)


def test_several_photos_at_once_and_deletes_kept_in_the_audit_log(client, tree, role_users):
    from shuping.audit.models import AuditEntry

    brand = register(tree)
    client.force_login(role_users["admin"])
    page = client.post(reverse("registers:brand_photo_add", args=[brand.pk]), {
        "images": [SimpleUploadedFile("一.png", PNG), SimpleUploadedFile("二.png", PNG)], "caption": "观摩现场"},
        follow=True).content.decode()
    assert "已上传 2 张照片" in page and brand.photos.count() == 2
    first = brand.photos.first()
    client.post(reverse("registers:brand_photo_delete", args=[first.pk]))
    assert brand.photos.count() == 1
    refused = client.post(reverse("registers:brand_delete", args=[brand.pk]), {"reason": ""}, follow=True)
    assert "必填" in refused.content.decode() and Brand.objects.filter(pk=brand.pk).exists()
    response = client.post(reverse("registers:brand_delete", args=[brand.pk]), {"reason": "重复登记"}, follow=True)
    assert "原记录保留在审计日志中" in response.content.decode()
    assert not Brand.objects.filter(pk=brand.pk).exists()
    entry = AuditEntry.objects.get(action="register.brand_delete")
    assert entry.before["name"] == brand.name and entry.after == {"reason": "重复登记"}
    assert len(entry.before["photos"]) == 1
