"""The one import page every register uses: upload, then an all-or-nothing import job."""

from django.shortcuts import render

from shuping.core.background import import_start

from ..forms import UploadForm


def import_page(request, *, kind: str, params: dict, done_url: str, heading: str, help_text: str,
                back: tuple[str, str], template_url: str):
    """The upload starts the import job `kind` (registers/jobs.py) with `params`; its page shows the
    progress, then the summary or the error table, and leads back to `done_url`."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return import_start(request, form.cleaned_data["file"], kind=kind, title=heading.removesuffix("（Excel）"),
                            params=params, back_url=done_url)
    return render(request, "registers/list_import.html", {
        "form": form, "heading": heading, "help": help_text, "back": back, "template_url": template_url})
