"""Issue 12 item 7: a parameter naming an object outside the user's scope never lends its name
to a page or a download (file names included)."""

from urllib.parse import unquote

import pytest

from shuping.accounts.models import Role

from ..builders import make_user
from ..rectification.conftest import new_problem


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/problems/export.docx", "/problems/export.xlsx"])
def test_problem_export_named_after_a_foreign_org_is_refused(client, tree, url, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    new_problem(tree.village_a1)
    new_problem(tree.village_b1)
    reporter_b = make_user("reporter-b", Role.REPORTER, tree.county_b)
    client.force_login(reporter_b)
    response = client.get(url, {"org": tree.village_a1.pk})
    assert response.status_code == 404
    assert tree.village_a1.name not in unquote(response.get("Content-Disposition", ""))
    assert tree.village_a1.name not in response.content.decode("utf-8", "ignore")
    # Its own org still names the file.
    response = client.get(url, {"org": tree.village_b1.pk})
    assert response.status_code == 200
    assert tree.village_b1.name in unquote(response["Content-Disposition"])
