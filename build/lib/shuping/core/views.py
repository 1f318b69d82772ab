from django.db import connection
from django.http import HttpResponse

from shuping.accounts.decorators import public


@public
def healthz(request):
    """For the reverse proxy and monitoring: answers 200 only when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
