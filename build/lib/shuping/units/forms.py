from django import forms

from shuping.core.forms import style_form
from shuping.orgs.models import Org, Person
from shuping.rectification.forms import DateInput
from shuping.rectification.models import Category, Severity


class OwnProblemForm(forms.Form):
    org = forms.ModelChoiceField(label="责任单位", queryset=Org.objects.none())
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    category = forms.ChoiceField(label="问题类别", choices=Category.choices, initial=Category.OTHER)
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices, initial=Severity.NORMAL)
    found_on = forms.DateField(label="发现日期", widget=DateInput())

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()
        style_form(self)


class UnitPlanForm(forms.Form):
    owner = forms.ModelChoiceField(label="责任人", queryset=Person.objects.none(), required=False)
    measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 4}), required=False,
                               help_text="逐条写明措施，如：一、……；二、……")
    deadline = forms.DateField(label="整改时限", widget=DateInput(), required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people if people is not None else Person.objects.none()
        style_form(self)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class ResponsibilityUpdateForm(forms.Form):
    achieved_value = forms.DecimalField(label="累计完成值", min_value=0, max_digits=10, decimal_places=2)
    note = forms.CharField(label="进展说明", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label="佐证材料（可选，图片/PDF/Word）", required=False,
                               widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.docx"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class QuarterlyReportForm(forms.Form):
    org = forms.ModelChoiceField(label="汇报单位", queryset=Org.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=[(q, f"第{q}季度") for q in range(1, 5)])
    summary = forms.CharField(label="工作亮点（一句话，供季度通报引用）", max_length=200)
    text = forms.CharField(label="书面汇报", widget=forms.Textarea(attrs={"rows": 10}), max_length=20000)
    offers_speech = forms.BooleanField(label="申请在季度调度会上作典型发言", required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()
        style_form(self)
