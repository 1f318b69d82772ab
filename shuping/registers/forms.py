from django import forms

from shuping.core.forms import style_form
from shuping.orgs.models import Org, UnitType

from . import services
from .models import ClaimRule, Fact, FactKind, Verdict


class UploadForm(forms.Form):
    file = forms.FileField(label="选择 .xlsx 文件")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"
        style_form(self)


class SheetForm(forms.Form):
    """One field per fact that applies to the org; values parsed by the same rule as the import."""

    def __init__(self, *args, facts, initial_values, **kwargs):
        super().__init__(*args, **kwargs)
        self.facts = facts
        for fact in facts:
            name = f"f_{fact.code}"
            current = initial_values.get(fact.code)
            if fact.kind == FactKind.BOOLEAN:
                self.fields[name] = forms.ChoiceField(label=fact.name, required=False,
                                                      choices=[("", "未填"), ("是", "是"), ("否", "否")])
                self.initial[name] = "" if current is None else ("是" if current else "否")
            else:
                self.fields[name] = forms.CharField(label=fact.header, required=False, max_length=20,
                                                    help_text=fact.guidance)
                self.initial[name] = "" if current is None else (
                    str(int(current)) if current == current.to_integral_value() else str(current))
        style_form(self)

    def clean(self):
        data = super().clean()
        self.values = {}
        for fact in self.facts:
            try:
                self.values[fact] = services.parse_fact_value(fact, data.get(f"f_{fact.code}"))
            except services.RegisterError as exc:
                self.add_error(f"f_{fact.code}", "；".join(exc.messages))
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=500)


class DeleteForm(forms.Form):
    reason = forms.CharField(label="删除原因", max_length=200)


def _limit_owner(form, scope) -> None:
    """适用范围: the orgs the user configures; 全系统通用 (blank) only for a top-level admin."""
    from . import selectors

    allowed = [pk for pk, _label in selectors.config_owner_choices(scope) if pk]
    field = form.fields["owner"]
    field.queryset = Org.objects.filter(pk__in=allowed).order_by("path")
    top_level = any(pk == "" for pk, _label in selectors.config_owner_choices(scope))
    field.required = not top_level
    field.empty_label = "全系统通用" if top_level else None


class FactForm(forms.ModelForm):
    # Stored as comma-separated codes; chosen here by their Chinese names.
    unit_types = forms.MultipleChoiceField(label="适用单位类别", choices=UnitType.choices, required=False,
                                           widget=forms.CheckboxSelectMultiple, help_text="都不选表示适用于所有单位")

    class Meta:
        model = Fact
        fields = ["code", "name", "unit", "kind", "min_value", "max_value", "unit_types", "guidance", "owner",
                  "enterer", "enterer_org", "order", "active"]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["unit_types"] = [t.strip() for t in self.instance.unit_types.split(",") if t.strip()]
        if self.instance.pk:
            # Stored values and rules refer to the code; it stays fixed once created.
            self.fields["code"].disabled = True
        _limit_owner(self, scope)
        departments = Org.objects.within_any(scope.paths("register.configure")).filter(
            unit_type=UnitType.DEPARTMENT).order_by("path")
        self.fields["enterer_org"].queryset = departments
        self.fields["enterer_org"].empty_label = "（不指定）"
        style_form(self)

    def clean_unit_types(self):
        return ",".join(self.cleaned_data["unit_types"])


class RuleForm(forms.ModelForm):
    class Meta:
        model = ClaimRule
        fields = ["name", "fact", "owner", "keywords", "qualifiers", "excludes", "units", "mode", "tolerance", "order",
                  "active"]

    def __init__(self, *args, scope, **kwargs):
        from . import selectors

        super().__init__(*args, **kwargs)
        _limit_owner(self, scope)
        self.fields["fact"].queryset = selectors.visible_config(scope, Fact).filter(active=True)
        style_form(self)


class VerifyForm(forms.Form):
    claim = forms.CharField(max_length=64)
    verdict = forms.ChoiceField(label="核实结果", choices=Verdict.choices)
    note = forms.CharField(label="核实说明", max_length=500, required=False)


class IdentifyForm(forms.Form):
    org = forms.ModelChoiceField(label="党组织", queryset=None)
    reason_category = forms.ChoiceField(label="原因类别", choices=[])
    reason = forms.CharField(label="具体表现", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    leader = forms.CharField(label="包联县级领导", max_length=50, help_text="姓名及职务，如：张建国（县委常委、组织部长）")
    leader_unit = forms.ModelChoiceField(label="包联单位", queryset=None, required=False)
    identified_on = forms.DateField(label="认定日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, orgs, units, **kwargs):
        from .models import WeakReason

        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["leader_unit"].queryset = units
        self.fields["reason_category"].choices = WeakReason.choices
        style_form(self)


class MilestoneForm(forms.Form):
    measure = forms.CharField(label="整顿措施", max_length=300)
    due = forms.DateField(label="完成时限", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class ProgressForm(forms.Form):
    note = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    milestone = forms.ModelChoiceField(label="对应措施", queryset=None, required=False)
    milestone_done = forms.BooleanField(label="该措施已完成", required=False)
    evidence = forms.FileField(label="佐证材料（图片/PDF/Word/Excel，10 MB 以内）", required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = case.milestones.all()
        style_form(self)


class AcceptForm(forms.Form):
    result = forms.ChoiceField(label="验收结果", choices=[("passed", "达标"), ("failed", "不达标")])
    note = forms.CharField(label="验收意见", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class BrandForm(forms.ModelForm):
    class Meta:
        from .models import Brand

        model = Brand
        fields = ["name", "level", "owner", "year", "status", "showcase", "description"]

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        style_form(self)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the browser's multiple selection); cleaned to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else [data]
        cleaned = [super(MultipleFileField, self).clean(item, initial) for item in items if item]
        if not cleaned and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return cleaned


class PhotoForm(forms.Form):
    MAX_FILES = 12
    images = MultipleFileField(label=f"照片（JPG/PNG，每张 5 MB 以内，可一次选择多张，最多 {MAX_FILES} 张）")
    caption = forms.CharField(label="说明", max_length=100, required=False, help_text="多张照片共用这一说明")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["images"].widget.attrs["accept"] = ".jpg,.jpeg,.png"
        style_form(self)

    def clean_images(self):
        images = self.cleaned_data["images"]
        if len(images) > self.MAX_FILES:
            raise forms.ValidationError(f"一次最多上传 {self.MAX_FILES} 张照片")
        return images


class AssignmentForm(forms.ModelForm):
    class Meta:
        from .models import Assignment

        model = Assignment
        fields = ["person_name", "role", "sending_unit", "village", "start", "end", "phone"]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}), "end": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        style_form(self)
