"""The secrets of ballot secrecy (docs/threat-model.md): card tokens, short codes, device cookies,
the per-meeting ballot key, slots, and the shuffle that ends a meeting.

Nothing here uses settings.SECRET_KEY for a slot: the key that links a card to its ballots is
`Meeting.ballot_key`, which exists only while voting and is erased at close. The device cookie
is signed with SECRET_KEY, but it lives only on the phone and carries no ballot material.
"""

import hashlib
import hmac
import random
import secrets
import uuid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from django.conf import settings
from django.core import signing
from django.db import connection

# Unambiguous on a phone keyboard and on paper: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SELECTOR_LENGTH = 4
VERIFIER_LENGTH = 8
CODE_LENGTH = SELECTOR_LENGTH + VERIFIER_LENGTH

# OWASP's Argon2id floor (19 MiB, 2 passes): ~30 ms here, so 31^8 verifiers cost ~800 CPU-years
# per card offline. Tests may lower it (tests/meetings/conftest.py) to keep fixtures fast.
SHIPPED_ARGON2 = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}
ARGON2 = dict(SHIPPED_ARGON2)  # the tests lower it; production always runs the shipped cost

DEVICE_COOKIE = "shuping_card"
DEVICE_SALT = "shuping.meetings.device"
DEVICE_MAX_AGE = 16 * 3600


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hasher() -> PasswordHasher:
    return PasswordHasher(**ARGON2)


# ---- card secrets ------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(32)


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def hash_verifier(verifier: str) -> str:
    return _hasher().hash(verifier)


def verifier_matches(stored_hash: str, verifier: str) -> bool:
    try:
        return _hasher().verify(stored_hash, verifier)
    except (VerificationError, InvalidHashError):
        return False


def split_code(code: str) -> tuple[str, str] | None:
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return code[:SELECTOR_LENGTH], code[SELECTOR_LENGTH:]


# ---- the meeting's ballot key and slots ----------------------------------------------------


def new_ballot_key() -> str:
    return secrets.token_hex(32)


def ballot_slot(ballot_key: str, material: str, participant_id: int) -> str:
    """The slot of one card (material "c<credential id>") or paper form ("p<form id>") for one
    reporter. Without the meeting's key, which is erased at close, nobody can recompute it."""
    if not ballot_key:
        raise ValueError("the meeting's ballot key is gone: ballots can no longer change")
    return hmac.new(bytes.fromhex(ballot_key), f"{material}|{participant_id}".encode(), hashlib.sha256).hexdigest()


def card_material(credential_id: int) -> str:
    return f"c{credential_id}"


def paper_material(form_id: str) -> str:
    return f"p{form_id}"


# ---- the phone's cookie ------------------------------------------------------------------


def new_device_secret() -> str:
    return secrets.token_urlsafe(32)


def device_cookie_value(device_secret: str, revealed: set[int]) -> str:
    """Signed {device secret, reporters whose scores this phone entered}. The phone may see again
    only what it typed itself: a second device that takes the card over starts with nothing."""
    return signing.dumps({"d": device_secret, "r": sorted(revealed)}, salt=DEVICE_SALT, compress=False)


def read_device_cookie(value: str | None) -> tuple[str, set[int]] | None:
    if not value:
        return None
    try:
        data = signing.loads(value, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
        return str(data["d"]), {int(pk) for pk in data.get("r", [])}
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def set_device_cookie(response, device_secret: str, revealed: set[int]) -> None:
    # Lax, not Strict: a QR scan opened from another app or site must still arrive with the cookie
    # after the redirect to /m/b/; cross-site POSTs stay without it (and need the CSRF token anyway).
    response.set_cookie(
        DEVICE_COOKIE, device_cookie_value(device_secret, revealed), max_age=DEVICE_MAX_AGE, path="/m/",
        httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
    )


# ---- close: shuffle ----------------------------------------------------------------------


def shuffle_ballots(campaign_id: int) -> int:
    """Rewrite the campaign's ballots in random order with fresh random ids, in the caller's
    transaction: row order, rowids and ids then say nothing about cast order. Online and paper
    slots become random too (nobody may replace a ballot after close anyway); Excel slots are kept,
    they carry the importer's own evaluator numbers and guard against a second import."""
    from shuping.campaigns.models import Ballot, BallotScore, BallotSource

    from .models import NamedBallot

    rng = random.SystemRandom()
    if connection.vendor == "sqlite":
        # deleted rows are zeroed in the file instead of lingering in free pages
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    ballots = list(Ballot.objects.filter(campaign_id=campaign_id, is_test=False))
    if not ballots:
        return 0
    scores = list(BallotScore.objects.filter(ballot__campaign_id=campaign_id, ballot__is_test=False)
                  .values_list("ballot_id", "indicator_id", "score"))
    named = dict(NamedBallot.objects.filter(ballot__campaign_id=campaign_id).values_list("ballot_id", "credential_id"))
    Ballot.objects.filter(campaign_id=campaign_id, is_test=False).delete()  # cascades scores and named links
    rng.shuffle(ballots)
    new_ids = {}
    fresh = []
    for old in ballots:
        new_id = uuid.UUID(bytes=secrets.token_bytes(16), version=4)
        new_ids[old.pk] = new_id
        slot = old.slot if old.source == BallotSource.EXCEL else secrets.token_hex(32)
        fresh.append(Ballot(id=new_id, campaign_id=campaign_id, participant_id=old.participant_id,
                            group_id=old.group_id, slot=slot, total=old.total, democratic=old.democratic,
                            source=old.source, is_test=False, batch_id=old.batch_id))
    Ballot.objects.bulk_create(fresh, batch_size=2000)
    rng.shuffle(scores)
    BallotScore.objects.bulk_create(
        [BallotScore(ballot_id=new_ids[ballot_id], indicator_id=indicator_id, score=score)
         for ballot_id, indicator_id, score in scores], batch_size=5000)
    links = [NamedBallot(ballot_id=new_ids[ballot_id], credential_id=credential_id)
             for ballot_id, credential_id in named.items()]
    rng.shuffle(links)
    NamedBallot.objects.bulk_create(links)
    return len(fresh)
