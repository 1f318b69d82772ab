from django import forms
from django.contrib.auth import get_user_model

from shuping.orgs.models import Org

from .models import Role


class UserGrantForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=150)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, required=False,
                               help_text="新用户必填；为已有用户追加角色时留空")
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    org = forms.ModelChoiceField(label="授权范围（含全部下级）", queryset=Org.objects.none())

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select) else "form-control")

    def clean(self):
        data = super().clean()
        exists = get_user_model().objects.filter(username=data.get("username")).exists()
        if not exists and not data.get("password"):
            self.add_error("password", "新用户必须设置初始密码")
        data["existing"] = exists
        return data
