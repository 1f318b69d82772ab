"""Bad values are refused where they are typed, in Chinese, next to the field."""

from django.urls import reverse

from shuping.campaigns.models import Campaign
from shuping.meetings.models import Meeting
from tests.builders import make_campaign

from .visible import page_text


def _config_data(campaign, **changes):
    fields = ["title", "year", "kind", "weight_meeting", "weight_democratic", "weight_routine", "trim_min",
              "threshold_good", "threshold_fair", "threshold_average", "quota_good", "quota_fair", "veto_grade",
              "bonus_cap", "value_good", "value_fair", "value_average", "value_poor"]
    data = {name: getattr(campaign, name) for name in fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(changes)
    return data


def test_grade_cutoff_outside_0_to_100_is_refused_next_to_the_field(tree, client, role_users):
    campaign = make_campaign(tree)
    campaign.refresh_from_db()
    client.force_login(role_users["admin"])
    url = reverse("campaigns:config", args=[campaign.pk])
    page = client.post(url, _config_data(campaign, threshold_good="150")).content.decode()
    text = page_text(page)
    assert "“好”等次分数线应在 0～100 之间" in text
    assert Campaign.objects.get(pk=campaign.pk).threshold_good == 90
    assert 'max="100"' in page


def test_meeting_is_not_created_from_an_empty_form(tree, client, role_users):
    campaign = make_campaign(tree)
    client.force_login(role_users["admin"])
    blank = {"held_at": "", "place": "", "base_url": ""}  # what a browser sends for an untouched form
    response = client.post(reverse("meetings:create", args=[campaign.pk]), blank)
    assert response.status_code == 200 and "请填写会议地点" in page_text(response.content.decode())
    assert not Meeting.objects.filter(campaign=campaign).exists()
