"""The address a sign-in comes from, for django-axes' lockout.

Behind N reverse proxies each appends the address it received the request from to
X-Forwarded-For, so the client is the N-th entry from the right; anything further left
was sent by the client and can be made up. With no proxy, the socket's address is the
only one to trust. (django-ipware counts proxies from the left, which a client can
spoof behind a single proxy that appends.)"""

from django.conf import settings


def client_address(request) -> str | None:
    proxies = settings.SCORECARD_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote  # not through the expected proxies: the socket is all we know
    return forwarded[-proxies]
