"""Keep card secrets out of every log (docs/threat-model.md).

Only the QR link /m/k/<token>/ carries a secret in its path, once. `RedactCardSecrets` rewrites
it in any log record (Django's "Bad Request: …"/"Forbidden: …" warnings, runserver's request
lines); `GunicornLogger` does the same for gunicorn's access log (`--logger-class`).
"""

import logging
import re

CARD_PATH = re.compile(r"/m/k/[^/\s\"'?#]*")
REDACTED = "/m/k/<redacted>"


def redact(text: str) -> str:
    return CARD_PATH.sub(REDACTED, text)


class RedactCardSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # gunicorn is a deployment dependency, not needed for tests or runserver
    _GunicornLogger = object


class GunicornLogger(_GunicornLogger):
    """gunicorn --logger-class shuping.meetings.logging.GunicornLogger: the access log keeps
    method, status, size and time, with the card path redacted in every atom."""

    def atoms(self, resp, req, environ, request_time):
        values = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) if isinstance(value, str) else value for key, value in values.items()}
