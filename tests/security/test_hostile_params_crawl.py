"""Issue 12 item 8: every named URL, as every role, with hostile values for every query
parameter it reads, answers without a server error.

How it works: the demo county is built; an admin crawl follows the links of every page to
find real arguments for each URL name (the rest get arguments from the objects found). Each
visit records which GET/POST keys the view read (QueryDict is instrumented); every URL is then
visited again with each hostile value in all of those keys, the values dealt out among the roles
that get past the view's permission so that every admitted role sends at least one, and POST-only
views are posted the same hostile values. Any 500 (an exception the test client re-raises, or a 5xx)
is collected and reported together. As the outsider (an admin of another county) the names of
the demo county's orgs must not appear in any answer: a parameter naming a foreign object
never lends its name to a page or a download.
"""

import re
import threading
import warnings
import zlib
from collections import deque
from urllib.parse import unquote, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.datastructures import MultiValueDict

from shuping.accounts.models import Role
from shuping.accounts.scope import UserScope
from shuping.core.demo import build_demo
from shuping.jobs.services import job_start
from shuping.orgs.models import Org

from ..builders import make_org, make_user
from ..jobs.worker import run_jobs

HOSTILE_VALUES = ["abc", "-1", "99999999999999999999999", "甲<b>\u202e'\"%", "", "1.5"]
SKIPPED_PREFIXES = ("admin:",)
# Kept out of the crawl: signing out ends the session the crawl runs on.
NOT_FOLLOWED = {"logout"}

_reads = threading.local()


def _record(key):
    keys = getattr(_reads, "keys", None)
    if keys is not None and isinstance(key, str):
        keys.add(key)


@pytest.fixture
def recorded_reads(monkeypatch):
    originals = {name: getattr(MultiValueDict, name) for name in ("__getitem__", "get", "getlist")}

    def wrap(name):
        original = originals[name]

        def reader(self, key, *args, **kwargs):
            if isinstance(self, QueryDict):
                _record(key)
            return original(self, key, *args, **kwargs)

        return reader

    for name in originals:
        monkeypatch.setattr(MultiValueDict, name, wrap(name))
    original_contains = QueryDict.__contains__

    def contains(self, key):
        _record(key)
        return original_contains(self, key)

    monkeypatch.setattr(QueryDict, "__contains__", contains, raising=False)
    return _reads


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}{entry.name}"
            if not name.startswith(SKIPPED_PREFIXES):
                yield name, entry


class Crawl:
    def __init__(self, client):
        self.client = client
        self.failures: list[str] = []
        self.examples: dict[str, dict] = {}  # url name → kwargs seen in a real link
        self.int_values: set[int] = set()
        self.str_values: set[str] = set()

    def fetch(self, method, url, data=None, keys=None, name=""):
        _reads.keys = keys if keys is not None else set()
        try:
            # Every visit is rolled back: a POST that succeeds (revoking a grant, moving a campaign
            # on) must not change what the next visits see.
            with transaction.atomic():
                response = self.client.get(url, data or {}) if method == "GET" else self.client.post(url, data or {})
                transaction.set_rollback(True)
        except Exception as exc:  # noqa: BLE001 - the test client re-raises a view's exception
            self.failures.append(f"{name} {method} {url} {data or ''}: {type(exc).__name__}: {exc}")
            return None
        finally:
            keys = _reads.keys
            _reads.keys = None
        if response.status_code >= 500:
            self.failures.append(f"{name} {method} {url} {data or ''}: {response.status_code}")
        return response

    def discover(self, start_urls, limit=900):
        seen, queue, visits = set(), deque(start_urls), {}
        while queue and len(seen) < limit:
            url = queue.popleft()
            path = urlsplit(url).path
            if path in seen:
                continue
            seen.add(path)
            try:
                match = resolve(path)
            except Resolver404:
                continue
            if match.view_name in NOT_FOLLOWED or match.view_name.startswith(SKIPPED_PREFIXES):
                continue
            # A few pages per view are enough: hundreds of org pages must not starve the rest.
            visits[match.view_name] = visits.get(match.view_name, 0) + 1
            if visits[match.view_name] > 3:
                continue
            self.examples.setdefault(match.view_name, match.kwargs)
            for value in match.kwargs.values():
                if isinstance(value, int):
                    self.int_values.add(value)
                else:
                    self.str_values.add(str(value))  # slugs, codes, UUIDs
            response = self.fetch("GET", path)
            if response is None or response.status_code != 200:
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            for href in re.findall(r'(?:href|hx-get|action)="(/[^"#]*)"', response.content.decode()):
                target = urlsplit(href.replace("&amp;", "&")).path
                if target not in seen and not target.startswith("/static/"):
                    queue.append(target)

    def url_for(self, name, pattern):
        if name in self.examples:
            return reverse(name, kwargs=self.examples[name] or None)
        converters = pattern.pattern.converters
        # A sibling view with the same arguments (same app first) usually names the same objects.
        namespace = name.rpartition(":")[0]
        siblings = sorted(self.examples.items(), key=lambda item: item[0].rpartition(":")[0] != namespace)
        for _sibling, kwargs in siblings:
            if set(kwargs) == set(converters) and kwargs:
                try:
                    return reverse(name, kwargs=kwargs)
                except NoReverseMatch:
                    continue
        kwargs = {}
        for key, converter in converters.items():
            kind = type(converter).__name__
            if kind == "IntConverter":
                kwargs[key] = min(self.int_values) if self.int_values else 1
            elif kind == "SlugConverter":
                kwargs[key] = "x"
            else:
                kwargs[key] = next(iter(sorted(self.str_values)), "x")
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None


def _values_for(role, name, roles, refused):
    """The hostile values one role sends to one URL.

    A role refused before any parameter is read gets one probe on SQLite (the refusal must hold
    whatever is asked) and none on PostgreSQL. Among the roles admitted, the values are dealt out
    in rotation: every value reaches the URL and every admitted role sends at least one, so every
    role's code path meets hostile input; the two databases deal from different starting roles,
    so each (URL, value) pair reaches two roles between them. The outsider (another county's
    admin) sends every value on SQLite: what it is shown is checked for the county's names.
    """
    sqlite = connection.vendor != "postgresql"
    if (role, name) in refused:
        return HOSTILE_VALUES[:1] if sqlite else []
    if sqlite and role == "outsider":
        return list(HOSTILE_VALUES)
    admitted = [r for r in roles if (r, name) not in refused and not (sqlite and r == "outsider")]
    offset = zlib.crc32(name.encode()) + (1 if sqlite else 0)
    deals = max(len(HOSTILE_VALUES), len(admitted))
    return [HOSTILE_VALUES[index % len(HOSTILE_VALUES)] for index in range(deals)
            if admitted[(index + offset) % len(admitted)] == role]


def _admitted(scope, pattern) -> bool:
    """Whether the view's declared permission lets this user (None: not signed in) in."""
    permission = getattr(pattern.callback, "required_permission", None)
    if permission == "public":
        return True
    if scope is None:
        return False
    return permission is None or scope.has(permission)


def _outsider_county():
    province = Org.objects.filter(parent__isnull=True).first()
    county = make_org("ZZ", province, name="外县委", unit_type="county", sector="")
    make_org("ZZ-1", county, name="外县一镇党委")
    return county


@pytest.mark.crawl
@pytest.mark.django_db
def test_every_url_survives_hostile_parameters_as_every_role(recorded_reads, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEMO_MODE = True  # no forced password change on the demo accounts
    context = build_demo()
    User = get_user_model()
    users = {role: User.objects.get(username=username) for role, (username, _) in context.users.items()}
    outsider_county = _outsider_county()
    users["clerk"] = make_user("clerk-in-county", Role.CLERK, context.county)  # not a demo account
    users["outsider"] = make_user("outsider-admin", Role.ADMIN, outsider_county)
    users["nobody"] = make_user("nobody-at-all")
    users["anon"] = None
    county_names = set(context.county.subtree().exclude(pk=context.county.pk).values_list("name", flat=True)[:200])

    # A finished background job of the admin's, so the job pages (UUID ids) have a real example to follow.
    job_start(actor=users["admin"], kind="dashboards.export", title="导出看板",
              params={"key": "subordinates", "root": context.county.pk, "year": 2026})
    run_jobs()

    admin_client = Client()
    admin_client.force_login(users["admin"])
    crawl = Crawl(admin_client)
    crawl.discover(["/"])
    patterns = dict(_named_patterns())
    urls = {name: crawl.url_for(name, pattern) for name, pattern in patterns.items()}
    missing = sorted(name for name, url in urls.items() if url is None)
    assert missing == [], f"no URL could be built for {missing}"

    # Public pages (ballot cards, sign-in) show what their token opens to whoever holds it.
    public = {name for name, pattern in patterns.items()
              if getattr(pattern.callback, "required_permission", None) == "public"}
    # Which keys each view reads: one plain visit and one empty POST as the admin.
    reads: dict[str, set[str]] = {}
    posts_only: set[str] = set()
    for name, url in urls.items():
        keys: set[str] = set()
        if "_auth_user_id" not in admin_client.session:
            admin_client.force_login(users["admin"])  # signing out is one of the URLs
        response = crawl.fetch("GET", url, keys=keys)
        if response is not None and response.status_code == 405:
            posts_only.add(name)
            crawl.fetch("POST", url, keys=keys)
        reads[name] = keys | {"org", "year", "page"}

    # Every role's plain visit first: who gets past the permission check decides who is fuzzed.
    # The PostgreSQL pass reads that from the permission each view declares instead of visiting.
    exhaustive = connection.vendor != "postgresql"
    clients, methods, refused = {}, {}, set()
    for role, user in users.items():
        clients[role] = client = Client()
        crawl.client = client
        scope = UserScope(user) if user is not None else None
        for name, url in sorted(urls.items()):
            methods[name] = "POST" if name in posts_only or name in NOT_FOLLOWED else "GET"
            if not exhaustive:
                if not _admitted(scope, patterns[name]):
                    refused.add((role, name))
                continue
            if methods[name] == "POST":
                continue
            if user is not None and "_auth_user_id" not in client.session:
                client.force_login(user)
            plain = crawl.fetch("GET", url)
            if plain is not None and plain.status_code in (302, 403):
                refused.add((role, name))  # refused before any parameter is read: one probe is enough

    for role, user in users.items():
        client = crawl.client = clients[role]
        for name, url in sorted(urls.items()):
            method = methods[name]
            values = _values_for(role, name, list(users), refused)
            if role == "outsider":
                values.append(str(context.county.pk))
            for value in values:
                if user is not None and (method == "POST" or "_auth_user_id" not in client.session):
                    client.force_login(user)  # re-sign in: a hostile POST may have signed us out
                data = dict.fromkeys(sorted(reads[name]), value)
                response = crawl.fetch(method, url, data, name=name)
                if role == "outsider" and response is not None:
                    disposition = unquote(response.get("Content-Disposition", ""))
                    text = "" if response.streaming else response.content.decode("utf-8", "ignore")
                    leaked = sorted(n for n in county_names if n in disposition or (n in text and len(n) > 3))
                    if leaked and response.status_code == 200 and name not in public:
                        crawl.failures.append(f"outsider {method} {url}?{urlencode(data)} shows {leaked[:3]}")
    elsewhere = [f for f in crawl.failures if f.split(" ", 1)[0] in KNOWN_ELSEWHERE]
    if elsewhere:
        warnings.warn("500s owned by another change: " + "; ".join(elsewhere[:5]), stacklevel=1)
    failures = [f for f in crawl.failures if f not in elsewhere]
    assert failures == [], "\n".join(failures[:80])


# 500s in code another change is rewriting right now (shuping/meetings/views.py belongs to the
# ballot-secrecy work): reported as warnings here, fixed there. Empty this set once it lands.
KNOWN_ELSEWHERE: set[str] = set()  # 500s another change owns; none now
