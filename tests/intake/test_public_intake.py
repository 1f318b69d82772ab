"""The public 群众提 page: login-free, rate-limited per address, moderated, with receipt lookup."""

import re
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from freezegun import freeze_time

from shuping.intake import services
from shuping.intake.models import AddressBucket, PublicSubmission, SubmissionState
from shuping.notifications.models import Notification
from shuping.rectification.models import Source

pytestmark = pytest.mark.django_db
DAY = "2026-05-10 10:00:00+08:00"
TEXT = "村党支部连续三个月没有开展主题党日活动，党员意见较大。"


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def post(client, tree, *, body=TEXT, address="10.0.0.7", village=None):
    return client.post(f"/public/{tree.county_a.code}/", {"village": (village or tree.village_a1).pk, "text": body},
                       REMOTE_ADDR=address)


def receipt_of(response) -> str:
    return re.search(r'id="receipt-code"><code[^>]*>([A-Z0-9-]+)<', response.content.decode()).group(1)


@freeze_time(DAY)
def test_a_resident_submits_without_login_and_looks_up_by_receipt(client, tree):
    page = text(client.get(f"/public/{tree.county_a.code}/"))
    assert "甲一村党支部" in page and "乙一村党支部" not in page, "only the county's own villages"
    response = post(client, tree)
    assert response.status_code == 200
    code = receipt_of(response)
    submission = PublicSubmission.objects.get()
    assert submission.state == SubmissionState.PENDING
    assert code.replace("-", "") not in (submission.receipt_hash + submission.address_hash), "only hashes are stored"
    assert "10.0.0.7" not in submission.address_hash
    found = text(client.post(f"/public/{tree.county_a.code}/lookup/", {"code": code.lower()}))
    assert "待审核" in found and "甲一村党支部" in found
    assert "未找到" in text(client.post(f"/public/{tree.county_a.code}/lookup/", {"code": "AAAA-BBBB-CCCC"}))
    # The other county's page does not know this receipt.
    assert "未找到" in text(client.post(f"/public/{tree.county_b.code}/lookup/", {"code": code}))


@freeze_time(DAY)
def test_moderation_turns_it_into_a_problem_and_tells_the_village(client, tree, unit_users, role_users):
    code = receipt_of(post(client, tree))
    submission = PublicSubmission.objects.get()
    services.submission_accept(actor=role_users["admin"], submission=submission, category="服务群众")
    submission.refresh_from_db()
    problem = submission.problem
    assert problem.source == Source.PUBLIC and problem.org == tree.village_a1
    assert Notification.objects.filter(user=unit_users["village_liaison"],
                                       title__startswith="有新问题交办本单位").exists()
    found = text(client.post(f"/public/{tree.county_a.code}/lookup/", {"code": code}))
    assert "已受理" in found and "整改状态：未开始" in found
    with pytest.raises(services.IntakeError, match="已处理"):
        services.submission_reject(actor=role_users["admin"], submission=submission, reason="x")


@freeze_time(DAY)
def test_rejection_needs_a_public_reason(client, tree, role_users):
    post(client, tree)
    submission = PublicSubmission.objects.get()
    with pytest.raises(services.IntakeError, match="理由"):
        services.submission_reject(actor=role_users["admin"], submission=submission, reason=" ")
    services.submission_reject(actor=role_users["admin"], submission=submission, reason="反映对象不属于本县")
    assert submission.__class__.objects.get().state == SubmissionState.REJECTED


@freeze_time(DAY)
def test_no_personal_data_is_shown_publicly(client, tree, role_users):
    """The lookup shows village, date and status only; never other residents' text or the moderator."""
    code = receipt_of(post(client, tree, body=TEXT + "（举报人：张三 13900001111）"))
    found = text(client.post(f"/public/{tree.county_a.code}/lookup/", {"code": code}))
    assert "张三" not in found and "13900001111" not in found and "admin" not in found


@freeze_time(DAY)
def test_size_limits(client, tree, settings):
    assert "不少于10个字" in text(post(client, tree, body="太短"))
    response = post(client, tree, body="很" * (settings.SHUPING_INTAKE_MAX_CHARS + 1))
    assert PublicSubmission.objects.count() == 0 and response.status_code in (200, 413)
    settings.SHUPING_INTAKE_MAX_BYTES = 200
    assert post(client, tree, body="长" * 150).status_code == 413
    assert PublicSubmission.objects.count() == 0


@freeze_time(DAY)
def test_a_village_of_another_county_is_refused(tree):
    with pytest.raises(services.IntakeError):
        services.submission_create(county=tree.county_a, village=tree.village_b1, text=TEXT, address="1.2.3.4")


@freeze_time(DAY)
def test_burst_of_200_from_one_address_is_throttled_and_loses_nothing_accepted(client, tree, settings):
    receipts, throttled = [], 0
    for n in range(200):
        response = post(client, tree, body=f"{TEXT}（第{n}条）")
        if response.status_code == 200:
            receipts.append(receipt_of(response))
        else:
            assert response.status_code == 429 and "提交过于频繁" in text(response)
            throttled += 1
    assert len(receipts) == settings.SHUPING_INTAKE_PER_HOUR and throttled == 200 - len(receipts)
    assert PublicSubmission.objects.count() == len(receipts)
    for code in receipts:
        assert services.submission_by_receipt(code) is not None
    # Another address is not affected by the first one's burst.
    assert post(client, tree, address="10.0.0.8").status_code == 200


def test_the_daily_allowance_holds_across_hours(client, tree, settings):
    settings.SHUPING_INTAKE_PER_HOUR, settings.SHUPING_INTAKE_PER_DAY = 5, 7
    accepted = 0
    for hour in range(10, 13):
        with freeze_time(f"2026-05-10 {hour}:00:00+08:00"):
            accepted += sum(post(client, tree, body=f"{TEXT}{hour}-{n}").status_code == 200 for n in range(5))
    assert accepted == 7


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_parallel_burst_of_200_admits_exactly_the_allowance(tree, settings):
    county, village = tree.county_a.code, tree.village_a1.pk
    results, errors = [], []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker(offset):
        client = Client()
        try:
            barrier.wait()
            for n in range(offset, 200, 8):
                response = client.post(f"/public/{county}/", {"village": village, "text": f"{TEXT}（{n}）"},
                                       REMOTE_ADDR="10.9.9.9")
                code = receipt_of(response) if response.status_code == 200 else None
                with lock:
                    results.append((response.status_code, code))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    accepted = [code for status, code in results if status == 200]
    assert len(results) == 200 and {s for s, _ in results} <= {200, 429}
    assert len(accepted) == settings.SHUPING_INTAKE_PER_HOUR
    assert PublicSubmission.objects.count() == len(accepted)
    assert all(services.submission_by_receipt(code) for code in accepted)
    assert AddressBucket.objects.count() == 1
