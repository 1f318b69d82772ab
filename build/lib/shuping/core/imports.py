"""The one way an upload view runs an all-or-nothing import and reports what went wrong."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import ValidationError

from .http import error_text
from .xlsx import ImportFailed, RowError, WorkbookError


@dataclass
class ImportOutcome:
    ok: bool = False
    result: object = None
    errors: list[RowError] = field(default_factory=list)


def run_import(request, form, do_import: Callable) -> ImportOutcome:
    """Call `do_import(uploaded file)`.

    An unreadable file puts its message on the form's file field, row errors come back for the
    error table (with the summary flashed), and a refused state lands on the form; in every
    failure nothing was written, because the importers validate before they write.
    """
    try:
        return ImportOutcome(ok=True, result=do_import(form.cleaned_data["file"]))
    except WorkbookError as exc:
        form.add_error("file", str(exc))
    except ImportFailed as exc:
        messages.error(request, str(exc))
        return ImportOutcome(errors=exc.errors)
    except ValidationError as exc:
        form.add_error(None, error_text(exc))
    return ImportOutcome()
