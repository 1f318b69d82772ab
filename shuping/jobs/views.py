from django.http import FileResponse, Http404
from django.shortcuts import render

from shuping.accounts.decorators import requires
from shuping.core.http import content_disposition

from . import selectors, services


@requires(None)
def index(request):
    return render(request, "jobs/index.html", {"jobs": selectors.recent_jobs(request.user)})


@requires(None)
def detail(request, pk):
    return render(request, "jobs/detail.html", {"job": selectors.job_for(request.user, pk)})


@requires(None)
def status(request, pk):
    """The progress fragment; HTMX polls it until the job has finished."""
    return render(request, "jobs/_status.html", {"job": selectors.job_for(request.user, pk)})


@requires(None)
def download(request, pk):
    job = selectors.job_for(request.user, pk)
    if not job.result_path:
        raise Http404
    try:
        handle = services.result_file(job)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=job.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition(job.result_name)
    return response
