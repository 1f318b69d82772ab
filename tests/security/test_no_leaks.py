"""An admin of county B crawls every page he can reach; nothing of county A may appear."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ..builders import make_campaign

SECRETS_OF_A = ["甲县委", "甲一镇党委", "甲二镇党委", "甲一村党支部", "甲村书记", "甲县秘密考核"]
HREF = re.compile(r'href="([^"#]+)"')
SKIP = ("/logout/", "/static/", "/login/")


def _argless_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _argless_urls(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and not entry.pattern.regex.groupindex:
            name = f"{namespace}{entry.name}"
            if not name.startswith("admin:"):
                try:
                    yield reverse(name)
                except Exception:  # noqa: BLE001 - patterns with unnamed groups
                    continue


@pytest.mark.django_db
def test_no_page_shows_another_countys_data(client, tree, role_users):
    make_campaign(tree, title="甲县秘密考核")
    client.force_login(role_users["outsider"])
    queue = [url for url in _argless_urls() if not url.startswith(SKIP)]
    seen, leaks, visited = set(queue), [], 0
    while queue and visited < 400:
        url = queue.pop(0)
        response = client.get(url)
        visited += 1
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        body = response.content.decode("utf-8", "replace")
        leaks.extend(f"{url}: {secret}" for secret in SECRETS_OF_A if secret in body)
        for href in HREF.findall(body):
            target = urljoin(url, href)
            parsed = urlparse(target)
            if parsed.netloc or target in seen or target.startswith(SKIP) or target.endswith((".xlsx", ".docx", ".pdf", ".zip")):
                continue
            seen.add(target)
            queue.append(target)
    assert visited > 10
    assert leaks == []


@pytest.mark.django_db
def test_the_crawl_would_notice_a_leak(client, tree, role_users):
    # The same crawl as county A's admin must find county A's names: the check is not vacuous.
    client.force_login(role_users["admin"])
    body = client.get(reverse("orgs:detail", args=[tree.county_a.pk])).content.decode()
    assert "甲一镇党委" in body
