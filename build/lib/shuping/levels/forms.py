from django import forms

from shuping.campaigns.models import CampaignKind, RubricTemplate
from shuping.core.forms import style_form

from .models import Plan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.ModelForm):
    organiser = forms.ModelChoiceField(label="牵头单位", queryset=None)
    template = forms.ModelChoiceField(label="指标模板", queryset=RubricTemplate.objects.all(), required=False,
                                      empty_label="（不套用模板，稍后设置）")
    meeting_date = forms.DateField(label="本级述职评议会计划日期", required=False, widget=DATE,
                                   help_text="留空则取述职评议会最晚日期")

    class Meta:
        model = Plan
        fields = ["title", "year", "kind", "writing_from", "review_until", "meeting_from", "meeting_until",
                  "publish_until", "rubric_policy", "weight_tolerance", "joint_cap"]
        widgets = dict.fromkeys(["writing_from", "review_until", "meeting_from", "meeting_until", "publish_until"], DATE)

    def __init__(self, *args, organisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.fields["kind"].choices = CampaignKind.choices
        style_form(self)


class NodeCreateForm(forms.Form):
    organiser = forms.ModelChoiceField(label="下级单位", queryset=None)
    meeting_date = forms.DateField(label="述职评议会计划日期", required=False, widget=DATE)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = candidates
        style_form(self)


class NodeAdjustForm(forms.Form):
    meeting_date = forms.DateField(label="述职评议会计划日期", required=False, widget=DATE)
    weight_meeting = forms.DecimalField(label="现场测评权重", max_digits=5, decimal_places=2)
    weight_democratic = forms.DecimalField(label="民主测评权重", max_digits=5, decimal_places=2)
    weight_routine = forms.DecimalField(label="日常考核权重", max_digits=5, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class DelegationForm(forms.Form):
    delegate = forms.ModelChoiceField(label="派员", queryset=None)
    scores = forms.BooleanField(label="作为上级评议组打分", required=False, initial=True)
    weight = forms.DecimalField(label="上级评议组权重", max_digits=5, decimal_places=2, initial=20, min_value=0)

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = users
        self.fields["delegate"].label_from_instance = lambda u: f"{u.get_full_name() or u.username}（{u.username}）"
        style_form(self)


class SpeechForm(forms.Form):
    achievements = forms.CharField(label="成绩", widget=forms.Textarea(attrs={"rows": 8}), required=False,
                                   help_text="每行一段")
    problems = forms.CharField(label="问题", widget=forms.Textarea(attrs={"rows": 8}), required=False)
    requirements = forms.CharField(label="要求", widget=forms.Textarea(attrs={"rows": 8}), required=False)

    def __init__(self, *args, reporter: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if reporter:
            self.fields["achievements"].label = "亮点"
            self.fields["requirements"].label = "意见建议"
        style_form(self)
