from django import forms

from .models import Org, Person


class OrgForm(forms.ModelForm):
    class Meta:
        model = Org
        fields = ["code", "name", "unit_type", "kind", "sector", "member_count", "secretary", "sort_order"]

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secretary"].queryset = people if people is not None else Person.objects.none()
        self.fields["secretary"].required = False
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select) else "form-control")


class MoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(label="新的上级组织", queryset=Org.objects.none())

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents
        self.fields["new_parent"].widget.attrs["class"] = "form-select"


class PersonForm(forms.ModelForm):
    orgs = forms.ModelMultipleChoiceField(label="所属组织", queryset=Org.objects.none())

    class Meta:
        model = Person
        fields = ["code", "name", "gender", "birth_year", "position", "phone"]

    def __init__(self, *args, org_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orgs"].queryset = org_choices
        self.fields["orgs"].widget.attrs["size"] = 8
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select | forms.SelectMultiple) else "form-control"
            )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
            raise forms.ValidationError("请输入 11 位手机号")
        return phone


class ImportForm(forms.Form):
    file = forms.FileField(label="选择 .xlsx 文件")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update({"class": "form-control", "accept": ".xlsx"})
