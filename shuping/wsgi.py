import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuping.settings")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402 - needs the apps loaded

from shuping.accounts.checks import refuse_start_with_demo_accounts  # noqa: E402 - needs the apps loaded

refuse_start_with_demo_accounts()

# Import every view now rather than on the first request, then keep the ~100,000 objects of a loaded
# process out of the garbage collector's full passes: each took ~30 ms, and the requests queued
# behind it made the ballot path's p99 (issue 18).
get_resolver().url_patterns  # noqa: B018 - the access imports every view
gc.freeze()
