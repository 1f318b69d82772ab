from django import forms
from django.conf import settings

from shuping.core.forms import style_form
from shuping.orgs.models import Org
from shuping.rectification.models import Category


class PublicForm(forms.Form):
    village = forms.ModelChoiceField(label="反映哪个村（社区）党组织", queryset=Org.objects.none(),
                                     empty_label="请选择村（社区）")
    text = forms.CharField(label="反映的问题", widget=forms.Textarea(attrs={"rows": 6}),
                           help_text="请写明具体事情、时间和地点；请不要填写您的姓名、电话等个人信息")

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages if villages is not None else Org.objects.none()
        self.fields["text"].max_length = settings.SHUPING_INTAKE_MAX_CHARS
        self.fields["text"].widget.attrs["maxlength"] = settings.SHUPING_INTAKE_MAX_CHARS
        style_form(self)


class LookupForm(forms.Form):
    code = forms.CharField(label="回执码", max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class ModerateForm(forms.Form):
    category = forms.ChoiceField(label="问题类别", choices=Category.choices, initial=Category.SERVICE, required=False)
    reason = forms.CharField(label="处理说明（对提交人公开）", max_length=300, required=False)
