"""A minimal Django app for `meeting_load.py --baseline` (benchmark only, not part of Shuping).

It does what a ballot minimally must under the card-cookie URL scheme, and nothing more:
- GET /m/k/<token>/: find the card by the SHA-256 of its token (unique index), store the hash
  of a fresh device secret, set it as an HttpOnly cookie, redirect to /m/b/;
- GET /m/b/<reporter>/: find the card by the hash of the cookie (unique index) and return a
  tiny form with a CSRF token;
- POST /m/b/<reporter>/: the same lookup, then in one transaction upsert the ballot and
  replace its score rows; redirect.
Django's CSRF middleware stays on, as in any real form. Tables are created by
`meeting_load.py` with plain SQL (`SCHEMA`), so there are no migrations to run.
"""

import hashlib
import os
import secrets
import uuid
from decimal import Decimal, InvalidOperation

import dj_database_url
from django.conf import settings

SCHEMA = [
    "CREATE TABLE card (id serial PRIMARY KEY, token_hash char(64) NOT NULL UNIQUE, device_hash char(64) UNIQUE)",
    "CREATE TABLE ballot (id uuid PRIMARY KEY, card_id integer NOT NULL REFERENCES card(id), "
    "participant_id integer NOT NULL, total numeric(8, 2) NOT NULL, democratic varchar(4) NOT NULL, "
    "UNIQUE (card_id, participant_id))",
    "CREATE TABLE score (id bigserial PRIMARY KEY, ballot_id uuid NOT NULL REFERENCES ballot(id), "
    "indicator_id integer NOT NULL, score numeric(6, 2) NOT NULL)",
    "CREATE INDEX score_ballot ON score (ballot_id)",
]

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get("BASELINE_SECRET_KEY", secrets.token_urlsafe(40)),
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
        INSTALLED_APPS=[],
        DATABASES={"default": dj_database_url.parse(os.environ["BASELINE_DATABASE_URL"], conn_max_age=60)},
        USE_TZ=True,
    )

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseRedirect  # noqa: E402
from django.middleware.csrf import get_token  # noqa: E402
from django.urls import path  # noqa: E402

COOKIE = "shuping_card"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _card_id(request):
    secret = request.COOKIES.get(COOKIE)
    if not secret:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM card WHERE device_hash = %s", [_sha(secret)])
        row = cursor.fetchone()
    return row[0] if row else None


def card_open(request, token):
    secret = secrets.token_urlsafe(32)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE card SET device_hash = %s WHERE token_hash = %s RETURNING id", [_sha(secret), _sha(token)])
        if cursor.fetchone() is None:
            return HttpResponse("invalid card", status=403)
    response = HttpResponseRedirect("/m/b/")
    response.set_cookie(COOKIE, secret, httponly=True, samesite="Lax", path="/m/")
    return response


def ballot(request, participant):
    card = _card_id(request)
    if card is None:
        return HttpResponse("not opened", status=403)
    if request.method == "GET":
        return HttpResponse(f'<form method="post"><input type="hidden" name="csrfmiddlewaretoken" '
                            f'value="{get_token(request)}"></form>')
    scores = {}
    try:
        for key, value in request.POST.items():
            if key.startswith("s_"):
                scores[int(key[2:])] = Decimal(value).quantize(Decimal("0.01"))
    except (ValueError, InvalidOperation):
        return HttpResponseBadRequest("bad score")
    democratic = request.POST.get("democratic", "")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ballot (id, card_id, participant_id, total, democratic) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (card_id, participant_id) DO UPDATE SET total = excluded.total, "
            "democratic = excluded.democratic RETURNING id",
            [uuid.uuid4(), card, participant, sum(scores.values(), Decimal(0)), democratic])
        ballot_id = cursor.fetchone()[0]
        cursor.execute("DELETE FROM score WHERE ballot_id = %s", [ballot_id])
        if scores:
            cursor.execute("INSERT INTO score (ballot_id, indicator_id, score) VALUES "
                           + ", ".join(["(%s, %s, %s)"] * len(scores)),
                           [value for i, s in scores.items() for value in (ballot_id, i, s)])
    return HttpResponseRedirect("/m/b/")


urlpatterns = [
    path("m/k/<str:token>/", card_open),
    path("m/b/<int:participant>/", ballot),
]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
