from django import forms

from shuping.campaigns.models import EvaluatorGroup

from .models import Meeting


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["held_at", "place", "base_url", "rule_distinct_totals", "rule_require_democratic",
                  "ballot_layout"]
        widgets = {
            "held_at": forms.DateTimeInput(attrs={"type": "datetime-local", "class": "form-control"},
                                           format="%Y-%m-%dT%H:%M"),
            "place": forms.TextInput(attrs={"class": "form-control"}),
            "base_url": forms.TextInput(attrs={"class": "form-control", "placeholder": "如 192.168.1.10:8000"}),
            "rule_distinct_totals": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "rule_require_democratic": forms.CheckboxInput(attrs={"class": "form-check-input"}),
            "ballot_layout": forms.RadioSelect(),
        }
        help_texts = {"base_url": "评议人手机访问本系统的地址（电脑在会场网络中的地址和端口，如 192.168.1.10:8000）；"
                                  "留空则使用打印时浏览器地址栏中的地址"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ballot_layout"].required = False
        if self.instance.pk is None:  # an empty form must not create a meeting (time may follow later)
            self.fields["place"].required = True
            self.fields["place"].error_messages["required"] = "请填写会议地点"

    def clean_ballot_layout(self):
        # a form posted without the choice (older page, script) keeps the meeting's layout
        return self.cleaned_data.get("ballot_layout") or self.instance.ballot_layout

    def clean_base_url(self):
        value = self.cleaned_data["base_url"].strip()
        if value and "://" not in value:  # people type the address as the phone's browser shows it
            value = f"http://{value}"
        if value and not value.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("地址应以 HTTP:// 或 HTTPS:// 开头，或直接填写“地址:端口”")
        return value.rstrip("/")


class IssueForm(forms.Form):
    group = forms.ModelChoiceField(queryset=EvaluatorGroup.objects.none(), label="评议组",
                                   widget=forms.Select(attrs={"class": "form-select"}))
    count = forms.IntegerField(label="人数", min_value=0, max_value=1000, required=False,
                               widget=forms.NumberInput(attrs={"class": "form-control"}),
                               help_text="匿名评议组只填人数即可")
    names = forms.CharField(label="评议人姓名（每行一人）", required=False,
                            widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
                            help_text="实名评议组必须填写；填写后按姓名逐人发放，人数以姓名为准")

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = campaign.evaluator_groups.all()

    def clean(self):
        data = super().clean()
        names = [n.strip() for n in (data.get("names") or "").splitlines() if n.strip()]
        data["name_list"] = names
        if not names and not data.get("count"):
            raise forms.ValidationError("请填写人数或姓名")
        return data


class PaperIssueForm(forms.Form):
    group = forms.ModelChoiceField(queryset=EvaluatorGroup.objects.none(), label="评议组",
                                   widget=forms.Select(attrs={"class": "form-select"}))
    count = forms.IntegerField(label="份数", min_value=1, max_value=1000,
                               widget=forms.NumberInput(attrs={"class": "form-control"}))

    def __init__(self, *args, campaign=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = campaign.evaluator_groups.all()
