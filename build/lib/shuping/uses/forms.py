from django import forms

from shuping.core.forms import style_form

from .models import UseRule


class RuleForm(forms.ModelForm):
    organiser = forms.ModelChoiceField(label="制定单位", queryset=None)

    class Meta:
        model = UseRule
        fields = ["organiser", "condition", "grade", "years", "use_kind", "measure", "basis"]

    def __init__(self, *args, organisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        style_form(self)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("confirm", "确认运用"), ("reject", "不予运用")])
    reason = forms.CharField(label="理由", max_length=500, required=False)
    document = forms.CharField(label="决定文件", max_length=200, required=False)
