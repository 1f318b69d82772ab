from django.shortcuts import get_object_or_404

from .models import Job


def job_for(user, pk) -> Job:
    """A job is its starter's: anyone else gets 404, as for another county's objects."""
    return get_object_or_404(Job, pk=pk, created_by=user)


def recent_jobs(user, limit: int = 20):
    return Job.objects.filter(created_by=user)[:limit]
