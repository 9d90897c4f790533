from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

class OTPMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None: ...
    def __call__(self, request: HttpRequest) -> HttpResponse: ...
