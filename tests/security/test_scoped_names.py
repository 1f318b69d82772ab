"""Issue 12 item 7: a parameter naming an object outside the user's scope never lends its name
to a page or a download (file names included)."""

from urllib.parse import unquote

import pytest

from shuping.accounts.models import Role
from shuping.jobs.models import Job

from ..builders import make_user
from ..jobs.worker import job_result
from ..rectification.conftest import new_problem


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/problems/export.docx", "/problems/export.xlsx"])
def test_problem_export_named_after_a_foreign_org_is_refused(client, tree, url, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    new_problem(tree.village_a1)
    new_problem(tree.village_b1)
    reporter_b = make_user("reporter-b", Role.REPORTER, tree.county_b)
    client.force_login(reporter_b)
    response = client.post(f"{url}?org={tree.village_a1.pk}")
    assert response.status_code == 404 and not Job.objects.exists()
    assert tree.village_a1.name not in unquote(response.get("Content-Disposition", ""))
    assert tree.village_a1.name not in response.content.decode("utf-8", "ignore")
    # Its own org still names the file (the export runs as a job).
    page, _content = job_result(client, f"{url}?org={tree.village_b1.pk}")
    assert f"下载 {tree.village_b1.name}问题整改清单" in page
    job = Job.objects.get()
    assert tree.village_b1.name in unquote(client.get(f"/jobs/{job.pk}/download/")["Content-Disposition"])
