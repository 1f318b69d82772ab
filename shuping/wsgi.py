import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuping.settings")
application = get_wsgi_application()

from shuping.accounts.checks import refuse_start_with_demo_accounts  # noqa: E402 - needs the apps loaded

refuse_start_with_demo_accounts()
