from django.conf import settings


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
