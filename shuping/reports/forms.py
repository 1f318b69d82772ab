from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model

from shuping.accounts.models import Role, RoleGrant
from shuping.accounts.permissions import roles_with
from shuping.orgs.models import Org

from .models import ResubmitFrom, ReviewDecision

EDITOR_HELP = (
    "每行一段。以“一、”“二、”开头的短行是一级标题，以“（一）”“（二）”开头的短行是二级标题；"
    "第一行含“述职”或“报告”的短行是报告标题；以“|”开头的行是表格的一行，单元格之间用“|”分隔。"
)


class EditorForm(forms.Form):
    content = forms.CharField(
        label="报告正文", help_text=EDITOR_HELP, max_length=60000,
        widget=forms.Textarea(attrs={"rows": 24, "class": "form-control report-editor", "spellcheck": "false"}),
    )


class UploadForm(forms.Form):
    file = forms.FileField(label="Word 文件（.docx）", help_text="支持 .docx（也可上传 .txt）；旧版 .doc、.wps 请先另存为 .docx",
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".docx,.txt"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.SHUPING_IMPORT_MAX_BYTES:
            raise forms.ValidationError(f"文件过大（上限 {settings.SHUPING_IMPORT_MAX_BYTES // (1024 * 1024)} MB）")
        return upload


class ReviewForm(forms.Form):
    level = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="审核结果", widget=forms.RadioSelect,
        choices=[(ReviewDecision.APPROVE, "审核通过"), (ReviewDecision.RETURN, "退回修改")],
    )
    comment = forms.CharField(label="审核意见（针对全文）", required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    quote = forms.CharField(label="引用原文（可选）", required=False, max_length=2000,
                            help_text="从左侧报告中选中一段文字会自动填入；也可以直接复制粘贴原文",
                            widget=forms.Textarea(attrs={"rows": 2, "class": "form-control", "id": "id_quote"}))
    quote_comment = forms.CharField(label="对引用原文的批注", required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))
    quote_hint = forms.IntegerField(required=False, widget=forms.HiddenInput(attrs={"id": "id_quote_hint"}))

    def passages(self) -> list[dict]:
        data = self.cleaned_data
        return [{"quote": data.get("quote", ""), "comment": data.get("quote_comment", ""), "hint": data.get("quote_hint")}]


def reviewer_users(campaign):
    """Users holding report.review on the organiser or above (they may act on this campaign)."""
    org = campaign.organiser
    orgs = [*org.ancestors(), org]
    ids = RoleGrant.objects.filter(role__in=roles_with("report.review"), org__in=orgs).values("user")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("username")


def reviewer_groups(campaign) -> list[tuple[str, str]]:
    """(value, label) for every role with report.review held on the organiser or above: a level
    may name "审核人 @ 清河县委" instead of one person."""
    org = campaign.organiser
    grants = (RoleGrant.objects.filter(role__in=roles_with("report.review"), org__in=[*org.ancestors(), org])
              .values_list("role", "org_id", "org__name").distinct().order_by("org__path", "role"))
    return [(f"{role}@{org_id}", f"{Role(role).label} @ {name}") for role, org_id, name in grants]


class LevelForm(forms.Form):
    name = forms.CharField(label="审核人（岗位）", max_length=50, required=False, widget=forms.TextInput(attrs={"class": "form-control"}))
    deadline_days = forms.IntegerField(label="时限（天）", min_value=0, max_value=60, initial=3,
                                       widget=forms.NumberInput(attrs={"class": "form-control"}))
    assignee = forms.ModelChoiceField(label="指定审核人", required=False, queryset=None, empty_label="（有审核权限的人均可）",
                                      widget=forms.Select(attrs={"class": "form-select"}))

    reviewer_group = forms.ChoiceField(label="或指定角色", required=False,
                                       widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, users=None, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users
        self.fields["assignee"].label_from_instance = lambda u: f"{u.first_name or u.username}（{u.username}）"
        self.fields["reviewer_group"].choices = [("", "（不限）"), *groups]

    def clean(self):
        data = super().clean()
        group = data.pop("reviewer_group", "") or ""
        if group and data.get("assignee"):
            self.add_error("reviewer_group", "指定审核人和指定角色只选其一")
        role, _, org_id = group.partition("@")
        data["reviewer_role"] = role
        data["reviewer_org"] = Org.objects.filter(pk=org_id).first() if org_id.isdigit() else None
        return data


LevelFormSet = forms.formset_factory(LevelForm, extra=1, can_delete=True, max_num=8, validate_max=True)


class PlanForm(forms.Form):
    submission_deadline = forms.DateField(label="报告提交截止日期", required=False,
                                          widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    resubmit_from = forms.ChoiceField(label="退回修改后重新提交时", choices=ResubmitFrom.choices,
                                      widget=forms.Select(attrs={"class": "form-select"}))
    separate_levels = forms.BooleanField(label="同一人不得在同一报告的两级审核（四级把关由不同的人办理）",
                                         required=False, initial=True)
