from django import forms

from shuping.core.forms import style_form
from shuping.core.xlsx import WorkbookError  # noqa: F401  (re-exported for views)
from shuping.orgs.models import Org, Person

from .models import Category, Severity, Source, Status
from .similarity import DEFAULT_THRESHOLD


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ProblemForm(forms.Form):
    org = forms.ModelChoiceField(label="责任单位", queryset=Org.objects.none())
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(label="问题类别", choices=Category.choices, initial=Category.OTHER)
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices, initial=Severity.NORMAL)
    source = forms.ChoiceField(label="问题来源", choices=Source.choices)
    source_document = forms.CharField(label="来源文件", max_length=300, required=False,
                                      help_text="如：县委第二巡察组反馈意见（清巡反〔2025〕3号）")
    found_on = forms.DateField(label="发现日期", widget=DateInput())

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()
        style_form(self)


class PlanForm(forms.Form):
    owner = forms.ModelChoiceField(label="责任人", queryset=Person.objects.none(), required=False)
    measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label="整改时限", widget=DateInput())

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people if people is not None else Person.objects.none()
        style_form(self)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ProgressForm(forms.Form):
    text = forms.CharField(label="整改进展", widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label="佐证材料", required=False,
                              help_text="可多选；接受 JPG/PNG 图片、PDF、Word（.docx）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(label="核验结论", choices=[("approve", "通过，予以销号"), ("reject", "不通过，退回整改")],
                                 widget=forms.RadioSelect)
    comment = forms.CharField(label="核验意见", widget=forms.Textarea(attrs={"rows": 2}), required=False,
                              help_text="退回整改时必须填写理由")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].widget.attrs["class"] = "form-control"


class ImportForm(forms.Form):
    file = forms.FileField(label="问题清单 Excel 文件（.xlsx）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class CritiqueForm(forms.Form):
    strengths = forms.CharField(label="亮点", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    problems = forms.CharField(label="存在问题", widget=forms.Textarea(attrs={"rows": 6}), required=False,
                               help_text="每行一条问题")
    suggestions = forms.CharField(label="意见建议", widget=forms.Textarea(attrs={"rows": 6}), required=False)
    create_problems = forms.BooleanField(label="保存时将“存在问题”逐条登记到问题清单（来源：上级找）", required=False,
                                         initial=True, help_text="已登记的问题和上年度尚未销号的问题不会重复登记")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class ClusterForm(forms.Form):
    org = forms.ModelChoiceField(label="范围", queryset=Org.objects.none(), required=False, empty_label="全部")
    threshold = forms.DecimalField(label="相似度阈值", min_value=0.1, max_value=1, decimal_places=2,
                                   initial=DEFAULT_THRESHOLD, help_text="0.1–1，越高越严格，默认 0.5")
    category = forms.ChoiceField(label="问题类别", choices=[("", "全部"), *Category.choices], required=False)
    open_only = forms.BooleanField(label="只看未销号问题", required=False, initial=True)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()
        style_form(self)


class CommonProblemForm(forms.Form):
    title = forms.CharField(label="共性问题名称", max_length=300)
    category = forms.ChoiceField(label="问题类别", choices=Category.choices)
    organiser = forms.ModelChoiceField(label="牵头单位", queryset=Org.objects.none())
    close_members = forms.BooleanField(label="共性问题销号时，同步销号各单位的同类问题", required=False, initial=True)
    problems = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = orgs if orgs is not None else Org.objects.none()
        style_form(self)

    def clean_problems(self):
        try:
            return [int(part) for part in self.cleaned_data["problems"].split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError("问题编号无效") from exc


class SpotCheckForm(forms.Form):
    org = forms.ModelChoiceField(label="抽查范围", queryset=Org.objects.none())
    percent = forms.IntegerField(label="抽查比例（%）", min_value=1, max_value=100, initial=10)
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()
        style_form(self)


class SpotResultForm(forms.Form):
    passed = forms.ChoiceField(label="抽查结论", choices=[("1", "通过"), ("0", "不通过，重新打开")], widget=forms.RadioSelect)
    finding = forms.CharField(label="核查发现", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class FilterForm(forms.Form):
    org = forms.ModelChoiceField(label="单位", queryset=Org.objects.none(), required=False, empty_label="全部单位")
    status = forms.ChoiceField(label="状态", choices=[("", "全部状态"), ("open", "未销号"), *Status.choices], required=False)
    source = forms.ChoiceField(label="来源", choices=[("", "全部来源"), *Source.choices], required=False)
    category = forms.ChoiceField(label="类别", choices=[("", "全部类别"), *Category.choices], required=False)
    campaign = forms.IntegerField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(label="关键词", required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()
        style_form(self)
