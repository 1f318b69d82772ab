from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator

from shuping.core.forms import style_form
from shuping.orgs.models import Org, UnitType

from .models import (
    Campaign,
    CampaignKind,
    EvaluatorGroup,
    Indicator,
    Presentation,
    ResultVisibility,
    RubricTemplate,
)


class CampaignCreateForm(forms.Form):
    organiser = forms.ModelChoiceField(label="组织单位", queryset=Org.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="名称", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=CampaignKind.choices)
    template = forms.ModelChoiceField(
        label="指标模板（分类指导）", queryset=RubricTemplate.objects.all(), required=False,
        empty_label="不使用模板（专项述职使用简化指标，年度考核稍后在指标体系中逐项添加）",
    )
    default_presentation = forms.ChoiceField(
        label="述职方式", required=False,
        choices=[("", "按类型默认（年度考核现场述职，专项述职书面述职）"), *Presentation.choices],
        help_text="年中专项述职默认书面述职、使用专项任务推进、问题整改、责任落实三项简化指标；也可选现场述职或选用模板",
    )

    def __init__(self, *args, organisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.fields["title"].widget.attrs["placeholder"] = "如：2026年度乡镇（街道、园区）党（工）委书记抓基层党建工作述职评议考核"
        style_form(self)


HUNDRED_SCALE = ["threshold_good", "threshold_fair", "threshold_average",
                 "value_good", "value_fair", "value_average", "value_poor"]


class ConfigForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title", "year", "kind", "previous", "default_presentation",
            "weight_meeting", "weight_democratic", "weight_routine",
            "trim_min", "threshold_good", "threshold_fair", "threshold_average",
            "quota_good", "quota_fair", "veto_grade", "bonus_cap",
            "value_good", "value_fair", "value_average", "value_poor",
        ]
        help_texts = {
            "weight_meeting": "默认 30",
            "weight_democratic": "默认 20",
            "weight_routine": "默认 50；综合得分 = 三项按权重加权（缺项按其余项折算）+ 加分 − 扣分",
            "trim_min": "某评议组票数达到此数时去掉一个最高分和一个最低分，默认 5",
            "quota_good": "每个排名分组中“好”等次不超过的比例，默认 30；留空为不限",
            "quota_fair": "留空为不限",
            "bonus_cap": "组织部门录入的加分不超过此数，默认 5",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        campaign = self.instance
        self.fields["previous"].queryset = Campaign.objects.filter(
            organiser=campaign.organiser, year__lt=campaign.year
        ).order_by("-year")
        self.fields["previous"].required = False
        self.fields["default_presentation"].required = False  # left out: unchanged
        if not campaign.config_editable:
            for name, field in self.fields.items():
                if name != "title":
                    field.disabled = True
        for name in HUNDRED_SCALE:
            self.fields[name].widget.attrs.update(min="0", max="100", step="0.01")
        style_form(self)

    def clean_default_presentation(self):
        return self.cleaned_data.get("default_presentation") or self.instance.default_presentation

    def clean(self):
        data = super().clean()
        for name in HUNDRED_SCALE:  # scores and cut-offs live on the 0–100 scale of the composite
            value = data.get(name)
            if value is not None and not 0 <= value <= 100:
                self.add_error(name, f"{self.fields[name].label}应在 0～100 之间")
                data.pop(name, None)
        good, fair, average = (data.get(f"threshold_{g}") for g in ("good", "fair", "average"))
        if None not in (good, fair, average) and not good > fair > average:
            self.add_error("threshold_fair", "等次分数线应满足：好 > 较好 > 一般")
        weights = [data.get(f"weight_{w}") for w in ("meeting", "democratic", "routine")]
        if None not in weights and sum(weights) <= 0:
            raise forms.ValidationError("综合评定权重之和必须大于 0")
        return data


class BulkParticipantsForm(forms.Form):
    unit_types = forms.MultipleChoiceField(label="单位类别", widget=forms.CheckboxSelectMultiple)
    ranking_group_name = forms.CharField(label="排名分组", max_length=50)
    presentation = forms.ChoiceField(label="述职方式", choices=Presentation.choices)

    def __init__(self, *args, type_counts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_types"].choices = [
            (value, f"{UnitType(value).label}（{count} 个）") for value, count in (type_counts or {}).items()
        ]
        self.fields["ranking_group_name"].widget.attrs["list"] = "ranking-group-names"
        style_form(self)


class AddParticipantForm(forms.Form):
    org = forms.ModelChoiceField(label="述职单位", queryset=Org.objects.none())
    ranking_group_name = forms.CharField(label="排名分组", max_length=50)
    presentation = forms.ChoiceField(label="述职方式", choices=Presentation.choices)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = candidates
        self.fields["ranking_group_name"].widget.attrs["list"] = "ranking-group-names"
        style_form(self)


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["code", "name", "kind", "max_score", "guidance", "topic", "order"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        style_form(self)
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-control-sm" if "form-control" in field.widget.attrs["class"] else " form-select-sm"

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        others = self.campaign.indicators.filter(code=code)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"指标编码“{code}”已存在")
        return code


class TemplateChoiceForm(forms.Form):
    template = forms.ModelChoiceField(label="指标模板", queryset=RubricTemplate.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class UploadForm(forms.Form):
    file = forms.FileField(label="选择 .xlsx 文件")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx"})


class EvaluatorGroupForm(forms.ModelForm):
    delete = forms.BooleanField(label="删除", required=False)

    class Meta:
        model = EvaluatorGroup
        fields = ["code", "name", "weight", "anonymous", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight is not None and weight <= 0:
            raise forms.ValidationError("权重必须大于 0")
        return weight

    def validate_unique(self):
        # Uniqueness within the campaign is checked across the whole table by the view.
        pass


class ParticipantScoreForm(forms.Form):
    routine_score = forms.DecimalField(label="日常考核得分", required=False, min_value=Decimal(0), max_value=Decimal(100),
                                       max_digits=7, decimal_places=2)
    bonus = forms.DecimalField(label="加分", min_value=Decimal(0), max_digits=7, decimal_places=2)
    deduction = forms.DecimalField(label="扣分", min_value=Decimal(0), max_digits=7, decimal_places=2)
    vetoed = forms.BooleanField(label="一票否决", required=False)
    veto_reason = forms.CharField(label="否决事由", max_length=300, required=False)

    def __init__(self, *args, participant=None, derived=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.derived = derived  # campaigns.services.DerivedRoutine used when 日常考核得分 is blank
        cap = participant.campaign.bonus_cap if participant is not None else None
        if cap is not None:
            # Refuse at entry: the tally would silently cap a larger bonus.
            bonus = self.fields["bonus"]
            bonus.widget.attrs["max"] = str(cap)
            bonus.validators.append(MaxValueValidator(cap, message=f"加分不能超过上限 {cap} 分"))
        style_form(self)
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-control-sm" if "form-control" in field.widget.attrs["class"] else ""
        if derived is not None:
            self.fields["routine_score"].widget.attrs["placeholder"] = f"{derived.score}"

    def clean(self):
        data = super().clean()
        if data.get("vetoed") and not data.get("veto_reason", "").strip():
            self.add_error("veto_reason", "一票否决必须填写事由")
        return data


class PublishForm(forms.Form):
    reason = forms.CharField(label="发布说明", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class CorrectionReasonForm(forms.Form):
    reason = forms.CharField(label="更正原因", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("更正必须说明原因")
        return reason


class VisibilityForm(forms.Form):
    result_visibility = forms.ChoiceField(label="述职人可见的结果", choices=ResultVisibility.choices,
                                          widget=forms.RadioSelect,
                                          help_text="发布后述职人登录所能看到的内容；组织部门始终看到完整结果")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
