from django.utils.functional import SimpleLazyObject

from .scope import UserScope


class ScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: UserScope(request.user))
        return self.get_response(request)
