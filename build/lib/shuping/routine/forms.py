from django import forms
from django.contrib.auth import get_user_model

from shuping.core.forms import style_form
from shuping.orgs.models import Org
from shuping.rectification.models import Category, Severity

from .models import QuarterlyCircular, RoutineIndicator, UseKind

DATE = {"type": "date"}




class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = RoutineIndicator
        fields = ["code", "name", "max_score", "guidance", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def validate_unique(self):
        """Uniqueness per organiser and year is checked by the service (with a Chinese message)."""


class UploadForm(StyledForm):
    file = forms.FileField(label="选择 .xlsx 文件")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"


class ResponsibilityForm(StyledForm):
    org = forms.ModelChoiceField(label="责任单位", queryset=Org.objects.none())
    task = forms.CharField(label="重点任务", max_length=300, help_text="如：每年至少三分之一的时间在村工作")
    target_value = forms.DecimalField(label="目标值", max_digits=10, decimal_places=2, min_value=0.01)
    target_unit = forms.CharField(label="计量单位", max_length=20, help_text="如：次、天、%、个")
    deadline = forms.DateField(label="完成时限", widget=forms.DateInput(attrs=DATE))
    evidence_required = forms.CharField(label="佐证材料", max_length=300, required=False,
                                        help_text="如：驻村工作日志、专题汇报会议记录")

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class ProgressForm(StyledForm):
    recorded_on = forms.DateField(label="记录日期", widget=forms.DateInput(attrs=DATE))
    achieved_value = forms.DecimalField(label="累计完成值", max_digits=10, decimal_places=2, min_value=0)
    note = forms.CharField(label="进展说明与佐证", max_length=500, required=False)


class CircularForm(forms.ModelForm):
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=[(q, f"第{q}季度") for q in range(1, 5)])

    class Meta:
        model = QuarterlyCircular
        fields = ["title", "doc_number", "practices", "problems", "lowest_n", "supervision_deadline"]
        widgets = {"supervision_deadline": forms.DateInput(attrs=DATE),
                   "practices": forms.Textarea(attrs={"rows": 4}), "problems": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, with_quarter=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_quarter:
            del self.fields["quarter"]
        else:
            self.order_fields(["quarter", *self.Meta.fields])
        style_form(self)


class InspectionPlanForm(StyledForm):
    org = forms.ModelChoiceField(label="督查范围", queryset=Org.objects.none())
    title = forms.CharField(label="督查名称", max_length=200, help_text="如：2026年上半年抓基层党建工作督查")
    period_start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs=DATE))
    period_end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs=DATE))
    team = forms.ModelMultipleChoiceField(label="督查组成员", queryset=get_user_model().objects.none(), required=False)
    notes = forms.CharField(label="督查重点", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, orgs=None, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["team"].queryset = users
        self.fields["team"].label_from_instance = lambda u: u.first_name or u.username


class VisitForm(StyledForm):
    org = forms.ModelChoiceField(label="被督查单位", queryset=Org.objects.none())
    visited_on = forms.DateField(label="督查日期", widget=forms.DateInput(attrs=DATE))
    inspector = forms.ModelChoiceField(label="督查人员", queryset=get_user_model().objects.none(), required=False)
    notes = forms.CharField(label="督查记录", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = plan.org.subtree().order_by("path")
        self.fields["inspector"].queryset = plan.team.all()
        self.fields["inspector"].label_from_instance = lambda u: u.first_name or u.username


class FindingForm(StyledForm):
    description = forms.CharField(label="发现的问题", widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label="问题类别", choices=Category.choices, initial=Category.OTHER)
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices, initial=Severity.NORMAL)
    deadline = forms.DateField(label="整改时限", required=False, widget=forms.DateInput(attrs=DATE))


class ResultUseForm(StyledForm):
    kind = forms.ChoiceField(label="运用方式", choices=UseKind.choices)
    decided_on = forms.DateField(label="日期", widget=forms.DateInput(attrs=DATE))
    document = forms.CharField(label="决定文件", max_length=200, required=False, help_text="如：清组干〔2026〕8号")
    note = forms.CharField(label="说明", max_length=500, required=False)
    result = forms.TypedChoiceField(label="依据的考核结果", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, results=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = [("", "（不关联具体考核结果）")] + [
            (r.pk, f"{r.version.campaign.year}年 {r.version.campaign.title}：{r.grade or '—'}，"
                   f"{r.participant.ranking_group.name}第{r.rank or '—'}名")
            for r in results
        ]
