from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware

# The evaluators' phone pages (QR link, code entry, ballots). They are public, use no session,
# no signed-in user, no flash messages and only Chinese, so the middleware for those does not
# run there (issue 18: a ballot page should cost what a ballot needs). CSRF, the security
# headers, clickjacking protection and the common middleware still run on every page.
BALLOT_PREFIX = "/m/"


def on_ballot_pages(request) -> bool:
    return request.path_info.startswith(BALLOT_PREFIX)


class SkippedOnBallotPages:
    """Mixin for a middleware class that steps aside on the ballot pages (see BALLOT_PREFIX)."""

    def __call__(self, request):
        if on_ballot_pages(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(SkippedOnBallotPages, DjangoSessionMiddleware):
    pass


class LocaleMiddleware(SkippedOnBallotPages, DjangoLocaleMiddleware):
    pass


class AuthenticationMiddleware(SkippedOnBallotPages, DjangoAuthenticationMiddleware):
    pass


class MessageMiddleware(SkippedOnBallotPages, DjangoMessageMiddleware):
    pass


class SecurityHeadersMiddleware:
    """Content Security Policy and the headers Django does not set by itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.SHUPING_CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages of signed-in users hold cadre data: never keep them in shared caches.
            response.headers.setdefault("Cache-Control", "no-store")
        return response
