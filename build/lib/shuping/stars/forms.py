from django import forms

from .models import CriteriaSet


class CriteriaCreateForm(forms.Form):
    organiser = forms.ModelChoiceField(label="评定单位", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args, organisers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        self.fields["organiser"].widget.attrs["class"] = "form-select"
        self.fields["year"].widget.attrs["class"] = "form-control"


class CriteriaForm(forms.ModelForm):
    criteria_text = forms.CharField(label="评定内容（每行：编码|名称|分值）", widget=forms.Textarea(attrs={"rows": 7}))
    negatives_text = forms.CharField(label="负面清单（每行：编码|负面情形|降星数|最高星级，最高星级可空）",
                                     widget=forms.Textarea(attrs={"rows": 5}), required=False)

    class Meta:
        model = CriteriaSet
        fields = ["threshold_5", "threshold_4", "threshold_3", "threshold_2", "negative_mode", "publicity_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
