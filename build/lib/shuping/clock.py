"""One `now()` for the whole code base, so tests can freeze time in one place.

Also the one way to turn a moment into the date a reader sees: every date shown or printed is
the Asia/Shanghai (settings.TIME_ZONE) date, never the UTC date of an aware datetime.
"""

from datetime import date, datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()


def today() -> date:
    return timezone.localdate(now())


def local_date(value: date | datetime) -> date:
    """The local calendar date of a datetime (aware → settings.TIME_ZONE); a date stays as is."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def local_time(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def document_date(value: date | datetime | None = None) -> str:
    """「2026年12月1日」 as printed under a letter or on a cover; today when no value."""
    day = local_date(value) if value is not None else today()
    return f"{day.year}年{day.month}月{day.day}日"


def short_date(value: date | datetime | None) -> str:
    """「2026-12-01」 for table cells; empty for no value."""
    return "" if value is None else f"{local_date(value):%Y-%m-%d}"


def short_datetime(value: datetime | None) -> str:
    """「2026-12-01 09:30」 in local time for table cells; empty for no value."""
    return "" if value is None else f"{local_time(value):%Y-%m-%d %H:%M}"
