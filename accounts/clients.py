"""Who is asking: the client's address as the security log, the lockout (django-axes) and the
read log record it."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the address our outermost proxy saw when
    TRUSTED_PROXY_COUNT proxies append to X-Forwarded-For (entries left of those are
    client-supplied and never trusted)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            try:  # a misconfigured proxy may pass on garbage; axes stores an IP field
                return str(ipaddress.ip_address(forwarded[-count]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR", "")
