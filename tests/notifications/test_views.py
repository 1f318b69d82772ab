import re

import pytest

from shuping.notifications import services
from shuping.notifications.models import Notification

pytestmark = pytest.mark.django_db


def text(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_list_read_one_then_all(client, unit_users):
    user = unit_users["town_sec"]
    services.notify(users=[user], kind="x", title="整改方案被退回修改", url="/unit/")
    services.notify(users=[user], kind="x", title="季度通报已印发")
    client.force_login(user)
    page = text(client.get("/messages/"))
    assert "未读 2 条" in page and "整改方案被退回修改" in page
    first = Notification.objects.get(title="整改方案被退回修改")
    response = client.post(f"/messages/{first.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/unit/"
    assert "未读 1 条" in text(client.get("/messages/"))
    client.post("/messages/read-all/")
    assert "未读 0 条" in text(client.get("/messages/"))
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()


def test_another_users_message_does_not_exist(client, unit_users):
    mine = services.notify(users=[unit_users["town_sec"]], kind="x", title="秘密")[0]
    client.force_login(unit_users["town_liaison"])
    assert client.post(f"/messages/{mine.pk}/open/").status_code == 404
    assert "秘密" not in text(client.get("/messages/"))
    mine.refresh_from_db()
    assert mine.read_at is None


def test_an_offsite_url_is_never_followed(client, unit_users):
    note = services.notify(users=[unit_users["town_sec"]], kind="x", title="t", url="https://evil.example/")[0]
    client.force_login(unit_users["town_sec"])
    assert client.post(f"/messages/{note.pk}/open/")["Location"] == "/messages/"


def test_contact_setting_needs_a_mobile_number(client, unit_users):
    client.force_login(unit_users["town_sec"])
    response = client.post("/messages/contact/", {"mobile": "123", "sms_enabled": "1"}, follow=True)
    assert "请填写11位手机号码" in text(response)
    client.post("/messages/contact/", {"mobile": "13912345678", "sms_enabled": "1"})
    assert unit_users["town_sec"].contact_setting.sms_enabled


def test_an_overlong_mobile_number_is_refused_in_chinese_even_with_sms_off(client, unit_users):
    client.force_login(unit_users["town_sec"])
    response = client.post("/messages/contact/", {"mobile": "9" * 23}, follow=True)
    assert response.status_code == 200 and "请填写11位手机号码" in response.content.decode()
    response = client.post("/messages/contact/", {"mobile": ""}, follow=True)
    assert "提醒设置已保存" in response.content.decode()
