from django import forms
from django.db.models import Min

INDENT = "\u3000"  # one full-width space per tree level: the picker shows the hierarchy


def _is_tree(model) -> bool:
    names = {field.name for field in model._meta.get_fields()}
    return {"path", "depth", "name"} <= names


def tree_picker(field: forms.ModelChoiceField) -> None:
    """Order a choice of tree nodes (orgs) by path, indent each by its depth and mark the select
    for the searchable picker (Tom Select, initialised in app.js)."""
    queryset = field.queryset
    if not queryset.query.is_sliced:
        queryset = field.queryset = queryset.order_by("path")
    base = {}

    def label(node):
        if "depth" not in base:
            base["depth"] = queryset.aggregate(m=Min("depth"))["m"] or 0
        return f"{INDENT * max(node.depth - base['depth'], 0)}{node.name}"

    field.label_from_instance = label
    field.widget.attrs["data-tree-picker"] = ""


def style_form(form) -> None:
    """Bootstrap classes on every widget, so templates can render fields plainly."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
            # Each option gets Bootstrap's form-check markup; the class must not land on the
            # wrapper <div>, where it turns the whole list into one oversized checkbox.
            widget.template_name = "core/widgets/choices.html"
            widget.option_template_name = "core/widgets/choice_option.html"
            if widget.attrs.get("class") == "form-check-input":
                del widget.attrs["class"]
        elif isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
            if isinstance(field, forms.ModelChoiceField) and _is_tree(field.queryset.model):
                tree_picker(field)
        else:
            widget.attrs.setdefault("class", "form-control")
