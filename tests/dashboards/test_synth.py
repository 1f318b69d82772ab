import pytest
from django.core.management import CommandError, call_command

from shuping.campaigns.models import Campaign, ParticipantResult
from shuping.dashboards import selectors
from shuping.orgs.models import Org
from shuping.routine.models import MonthlyScore


@pytest.mark.django_db
def test_synth_province_at_tiny_scale_runs_and_refuses_a_second_run(capsys):
    call_command("synth_province", scale=0.01, years=1)
    province = Org.objects.get(code="SYN")
    assert Org.objects.within_path(province.path).filter(unit_type="county").count() == 1
    assert Org.objects.within_path(province.path).filter(unit_type__in=["village", "community"]).count() == 250
    assert MonthlyScore.objects.count() == (15 + 250) * 12 * 2
    assert Campaign.objects.filter(organiser__path__startswith=province.path).count() == 2
    assert ParticipantResult.objects.count() == 15 + 1
    # paths are consistent: every org's path is its parent's path plus its id
    village = Org.objects.filter(unit_type="village").select_related("parent").first()
    assert village.path == f"{village.parent.path}{village.pk}/"
    # the dashboards read it
    year = Campaign.objects.first().year
    assert sum(r[5] for r in selectors.grades_by_unit_table(province, year).rows) == 16
    assert selectors.routine_table(province, year).rows
    assert "已生成" in capsys.readouterr().out
    with pytest.raises(CommandError, match="不能重复生成"):
        call_command("synth_province", scale=0.01, years=1)


@pytest.mark.django_db
def test_synth_province_as_a_background_job_shows_progress_and_refuses_a_second_run(capsys, client):
    from django.urls import reverse

    from shuping.jobs.models import Job

    from ..builders import make_user
    from ..jobs.worker import run_jobs

    owner = make_user("prov_ops")
    call_command("synth_province", scale=0.01, years=1, background=True, owner="prov_ops")
    job = Job.objects.get()
    assert f"/jobs/{job.pk}/" in capsys.readouterr().out
    assert not Org.objects.filter(code="SYN").exists()  # nothing yet: the worker does it
    run_jobs()
    assert Org.objects.filter(code="SYN").exists()
    client.force_login(owner)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "已完成" in page and "已生成组织" in page
    call_command("synth_province", scale=0.01, years=1, background=True, owner="prov_ops")
    run_jobs()
    second = Job.objects.exclude(pk=job.pk).get()
    assert "不能重复生成" in client.get(reverse("jobs:detail", args=[second.pk])).content.decode()
