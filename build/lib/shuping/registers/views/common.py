"""The one import page every register uses: upload, all-or-nothing import, error table."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render

from shuping.core.imports import run_import

from ..forms import UploadForm


def import_page(request, *, do_import, success, done_url: str, heading: str, help_text: str, back: tuple[str, str],
                template_url: str):
    """`do_import(upload, max_bytes)` returns the result; `success(result)` is the flash message."""
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        outcome = run_import(request, form, lambda upload: do_import(upload, settings.SHUPING_IMPORT_MAX_BYTES))
        errors = outcome.errors
        if outcome.ok:
            messages.success(request, success(outcome.result))
            return redirect(done_url)
    return render(request, "registers/list_import.html", {
        "form": form, "errors": errors, "heading": heading, "help": help_text, "back": back,
        "template_url": template_url})
