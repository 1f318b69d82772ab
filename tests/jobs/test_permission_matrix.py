"""Jobs rows of the role × URL × method → status matrix: a job is its starter's alone (404 for
everyone else, outsiders included)."""

import types

import pytest

from shuping.jobs.services import JobResult, job_kind, job_start

from ..permissions import check_case, expect, matrix_cases
from .worker import run_jobs

ANY = expect(default=200)
OWNER = expect(default=404, admin=200)

MATRIX = [
    ("jobs:list", None, "GET", ANY),
    ("jobs:detail", lambda f: {"pk": f.job.pk}, "GET", OWNER),
    ("jobs:status", lambda f: {"pk": f.job.pk}, "GET", OWNER),
    ("jobs:download", lambda f: {"pk": f.job.pk}, "GET", OWNER),
]


@job_kind("tests.matrix")
def matrix_job(job, progress):
    return JobResult("完成".encode(), "结果.txt", "text/plain")


def crawl_fixtures(tree, role_users, monkeypatch=None):
    """A finished job of the admin's; the visible-text crawl (tests/outputs) builds it too."""
    job = job_start(actor=role_users["admin"], kind="tests.matrix", title="矩阵测试")
    run_jobs()
    return types.SimpleNamespace(job=job)


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, url_name, kwargs, method, data, expected):
    check_case(client, crawl_fixtures(tree, role_users), role_users, url_name, kwargs, method, data, expected)
