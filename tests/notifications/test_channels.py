"""Delivery beyond the browser against a local fake SMS gateway / group robot (port 8141)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from shuping.notifications import channels, services
from shuping.notifications.models import Delivery, DeliveryStatus

pytestmark = pytest.mark.django_db
PORT = 8141


class FakeGateway:
    """Records every request; answers with the queued (status, body) or 200 {"code": 0, "errcode": 0}."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: list[tuple[int, dict]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                gateway.requests.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                         "json": json.loads(self.rfile.read(length))})
                status, body = gateway.answers.pop(0) if gateway.answers else (200, {"code": 0, "errcode": 0})
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    settings.SHUPING_SMS_URL = f"http://127.0.0.1:{PORT}/sms"
    settings.SHUPING_SMS_TOKEN = "sms-secret"
    settings.SHUPING_WEBHOOK_URL = f"http://127.0.0.1:{PORT}/robot"
    settings.SHUPING_SITE_URL = "https://shuping.example.gov.cn"
    with FakeGateway() as fake:
        yield fake


def test_sms_and_webhook_are_sent_by_the_delivery_run(settings, gateway, unit_users):
    settings.SHUPING_NOTIFY_CHANNELS = ["log", "sms", "webhook"]
    user = unit_users["town_sec"]
    services.contact_save(user=user, mobile="13912345678", sms_enabled=True)
    services.notify(users=[user, unit_users["town_liaison"]], kind="x", title="整改方案被退回修改", body="理由：措施笼统",
                    url="/unit/")
    # The liaison set no mobile: no SMS row for him; every user gets log and webhook.
    assert Delivery.objects.filter(channel="sms").count() == 1
    assert gateway.requests == [], "HTTP channels wait for the delivery run"
    counts = services.deliver_pending(channel_names=["sms", "webhook"])
    assert counts == {"sent": 3, "failed": 0}
    sms = next(r for r in gateway.requests if r["path"] == "/sms")
    assert sms["auth"] == "Bearer sms-secret" and sms["json"]["mobile"] == "13912345678"
    assert "【述评】整改方案被退回修改" in sms["json"]["content"]
    assert "https://shuping.example.gov.cn/unit/" in sms["json"]["content"]
    robot = [r for r in gateway.requests if r["path"] == "/robot"]
    assert len(robot) == 2 and robot[0]["json"]["msgtype"] == "text"
    assert services.deliver_pending(channel_names=["sms", "webhook"]) == {"sent": 0, "failed": 0}, "sent once only"


def test_a_refusal_is_recorded_and_retried_until_the_limit(settings, gateway, unit_users):
    settings.SHUPING_NOTIFY_CHANNELS = ["webhook"]
    settings.SHUPING_NOTIFY_MAX_ATTEMPTS = 2
    services.notify(users=[unit_users["town_sec"]], kind="x", title="t")
    gateway.answers = [(200, {"errcode": 310000, "errmsg": "keywords not in content"}), (500, {})]
    assert services.deliver_pending() == {"sent": 0, "failed": 1}
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "keywords not in content" in delivery.last_error
    assert services.deliver_pending() == {"sent": 0, "failed": 1}
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and "HTTP 500" in delivery.last_error
    assert services.deliver_pending() == {"sent": 0, "failed": 0}, "no third attempt"
    assert len(gateway.requests) == 2


def test_an_unreachable_gateway_fails_cleanly(settings, unit_users):
    settings.SHUPING_NOTIFY_CHANNELS = ["webhook"]
    settings.SHUPING_WEBHOOK_URL = f"http://127.0.0.1:{PORT + 1}/nobody-listens"
    services.notify(users=[unit_users["town_sec"]], kind="x", title="t")
    assert services.deliver_pending() == {"sent": 0, "failed": 1}
    assert "无法连接" in Delivery.objects.get().last_error


def test_the_log_channel_runs_after_commit(settings, unit_users, django_capture_on_commit_callbacks, caplog):
    settings.SHUPING_NOTIFY_CHANNELS = ["log"]
    with caplog.at_level("INFO", logger="shuping.notifications"), django_capture_on_commit_callbacks(execute=True):
        services.notify(users=[unit_users["town_sec"]], kind="x", title="季度通报已印发")
    assert Delivery.objects.get().status == DeliveryStatus.SENT
    assert "季度通报已印发" in caplog.text


def test_an_unknown_channel_is_a_configuration_error(settings):
    settings.SHUPING_NOTIFY_CHANNELS = ["pigeon"]
    with pytest.raises(ValueError, match="pigeon"):
        channels.configured()


def test_delivery_command_reports_counts(settings, gateway, unit_users):
    from io import StringIO

    from django.core.management import call_command

    settings.SHUPING_NOTIFY_CHANNELS = ["webhook"]
    services.notify(users=[unit_users["town_sec"]], kind="x", title="t")
    out = StringIO()
    call_command("deliver_notifications", stdout=out)
    assert "已发送 1 条，失败 0 条" in out.getvalue()
