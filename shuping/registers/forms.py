from django import forms

from shuping.core.forms import style_form

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


class FactForm(forms.ModelForm):
    class Meta:
        model = Fact
        fields = ["code", "name", "unit", "kind", "min_value", "max_value", "unit_types", "guidance", "order", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Stored values and rules refer to the code; it stays fixed once created.
            self.fields["code"].disabled = True
        style_form(self)


class RuleForm(forms.ModelForm):
    class Meta:
        model = ClaimRule
        fields = ["name", "fact", "keywords", "qualifiers", "excludes", "units", "mode", "tolerance", "order", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class VerifyForm(forms.Form):
    claim = forms.CharField(max_length=64)
    verdict = forms.ChoiceField(label="核实结果", choices=Verdict.choices)
    note = forms.CharField(label="核实说明", max_length=500, required=False)
