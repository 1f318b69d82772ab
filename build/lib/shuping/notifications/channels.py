"""Delivery channels beyond the browser, behind one small interface.

A channel has a `name`, says whether it can reach a user (`reaches`), and `send`s one message
or raises DeliveryError. `inline` channels are cheap and run right after the transaction
commits; the others (HTTP) are sent by `deliver_pending()` — from `shuping deliver-notifications`
on a timer today, from a task-queue job later — so a slow gateway never holds up a page.

Settings (environment variables, see docs/notifications.md):
  SHUPING_NOTIFY_CHANNELS   comma list of channels: log (default), sms, webhook
  SHUPING_SMS_URL / SHUPING_SMS_TOKEN          the SMS gateway (HTTP POST, JSON)
  SHUPING_WEBHOOK_URL                          a 政务微信/钉钉 group robot (HTTP POST, JSON)
  SHUPING_NOTIFY_TIMEOUT                       seconds per HTTP call (default 5)
"""

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger("shuping.notifications")


@dataclass(frozen=True)
class OutgoingMessage:
    title: str
    body: str
    url: str
    recipient: str  # the user's display name
    mobile: str = ""

    def text(self) -> str:
        parts = [f"【述评】{self.title}"]
        if self.body:
            parts.append(self.body)
        if self.url:
            parts.append(f"请登录系统办理：{self.url}")
        return "\n".join(parts)


class DeliveryError(Exception):
    pass


class LogChannel:
    """For the demo and development: the message goes to the application log."""

    name = "log"
    inline = True

    def reaches(self, user, contact) -> bool:
        return True

    def send(self, message: OutgoingMessage) -> None:
        logger.info("通知 %s：%s", message.recipient, message.text().replace("\n", " | "))


def _post_json(url: str, payload: dict, headers: dict | None = None) -> bytes:
    request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=settings.SHUPING_NOTIFY_TIMEOUT) as response:  # noqa: S310
            return response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"网关返回 HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"无法连接网关：{getattr(exc, 'reason', exc)}") from exc


def _check_code(body: bytes, *keys: str) -> None:
    """Gateways answer 200 with an error code inside; 0 means accepted."""
    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return
    for key in keys:
        if isinstance(data, dict) and data.get(key, 0) not in (0, "0"):
            raise DeliveryError(f"网关拒绝：{data.get('errmsg') or data.get('message') or data.get(key)}")


class SmsGatewayChannel:
    """An SMS gateway taking {"mobile", "content"} with a bearer token; answers {"code": 0} when accepted."""

    name = "sms"
    inline = False

    def reaches(self, user, contact) -> bool:
        return bool(contact and contact.sms_enabled and contact.mobile)

    def send(self, message: OutgoingMessage) -> None:
        if not settings.SHUPING_SMS_URL:
            raise DeliveryError("未配置短信网关地址 SHUPING_SMS_URL")
        body = _post_json(settings.SHUPING_SMS_URL, {"mobile": message.mobile, "content": message.text()},
                          {"Authorization": f"Bearer {settings.SHUPING_SMS_TOKEN}"} if settings.SHUPING_SMS_TOKEN else {})
        _check_code(body, "code")


class WebhookChannel:
    """A 政务微信/钉钉 group robot: both take {"msgtype": "text", "text": {"content"}} and answer errcode 0."""

    name = "webhook"
    inline = False

    def reaches(self, user, contact) -> bool:
        return True

    def send(self, message: OutgoingMessage) -> None:
        if not settings.SHUPING_WEBHOOK_URL:
            raise DeliveryError("未配置群机器人地址 SHUPING_WEBHOOK_URL")
        content = f"{message.recipient}：{message.text()}"
        body = _post_json(settings.SHUPING_WEBHOOK_URL, {"msgtype": "text", "text": {"content": content}})
        _check_code(body, "errcode")


AVAILABLE = {channel.name: channel for channel in (LogChannel(), SmsGatewayChannel(), WebhookChannel())}


def configured() -> list:
    """The channels named in settings; an unknown name is a configuration error, said at start-up."""
    names = [name for name in settings.SHUPING_NOTIFY_CHANNELS if name]
    unknown = [name for name in names if name not in AVAILABLE]
    if unknown:
        raise ValueError(f"unknown notification channel(s): {', '.join(unknown)}")
    return [AVAILABLE[name] for name in names]
