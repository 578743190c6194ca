"""The installation's OpenID Connect providers, configured only by environment
variables (read once, in settings):

    OIDC_PROVIDERS=scc,hc
    OIDC_SCC_NAME=Southampton City Council
    OIDC_SCC_ISSUER=https://login.microsoftonline.com/<tenant id>/v2.0
    OIDC_SCC_CLIENT_ID=...
    OIDC_SCC_CLIENT_SECRET=...
    OIDC_SCC_DOMAINS=southampton.gov.uk          (optional: the emails it signs in)
    OIDC_SCC_ONLY_WAY_IN=true                    (optional: no password for those emails)
    OIDC_SCC_EMAIL_VERIFIED_CLAIM=xms_edov       (optional: Entra's verified-domain claim)

Endpoints come from the issuer's discovery document, fetched when first needed and
kept for an hour; its ``issuer`` must be the one configured.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import requests
from django.conf import settings

DISCOVERY_SECONDS = 3600
TIMEOUT_SECONDS = 10


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be fetched or does not fit."""


@dataclass(frozen=True)
class Provider:
    slug: str
    name: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    domains: tuple[str, ...] = ()
    only_way_in: bool = False
    email_verified_claim: str = "email_verified"
    scopes: str = "openid email profile"

    def signs_in(self, email: str) -> bool:
        """Whether an email is one this provider may sign in (any, without domains)."""
        return not self.domains or email_domain(email) in self.domains

    def metadata(self) -> dict:
        return _discover(self.issuer)


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def from_environment(env) -> list[dict]:
    """The providers' settings from ``OIDC_PROVIDERS`` and its ``OIDC_<SLUG>_*``."""
    found = []
    for slug in [s.strip().lower() for s in env.list("OIDC_PROVIDERS", default=[]) if s.strip()]:
        if slug == "callback":
            raise ValueError("OIDC_PROVIDERS: 'callback' is the return address, not a provider")
        prefix = f"OIDC_{slug.upper().replace('-', '_')}_"
        found.append(
            {
                "slug": slug,
                "name": env.str(f"{prefix}NAME"),
                "issuer": env.str(f"{prefix}ISSUER").rstrip("/"),
                "client_id": env.str(f"{prefix}CLIENT_ID"),
                "client_secret": env.str(f"{prefix}CLIENT_SECRET"),
                "domains": tuple(d.lower() for d in env.list(f"{prefix}DOMAINS", default=[])),
                "only_way_in": env.bool(f"{prefix}ONLY_WAY_IN", default=False),
                "email_verified_claim": env.str(
                    f"{prefix}EMAIL_VERIFIED_CLAIM", default="email_verified"
                ),
            }
        )
    return found


def configured() -> list[Provider]:
    return [Provider(**spec) for spec in settings.SCORECARD_OIDC_PROVIDERS]


def by_slug(slug: str) -> Provider | None:
    return next((p for p in configured() if p.slug == slug), None)


def only_way_in_for(email: str) -> Provider | None:
    """The provider that is the only way in for this email's domain, if one is."""
    domain = email_domain(email) if email else ""
    return next((p for p in configured() if p.only_way_in and domain in p.domains), None)


_documents: dict[str, tuple[float, dict]] = {}


def _discover(issuer: str) -> dict:
    cached = _documents.get(issuer)
    if cached and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
        return cached[1]
    try:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=TIMEOUT_SECONDS
        )
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"discovery failed: {error}") from error
    if document.get("issuer", "").rstrip("/") != issuer:
        raise ProviderUnavailable(f"the discovery document names issuer {document.get('issuer')!r}")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not document.get(key):
            raise ProviderUnavailable(f"the discovery document has no {key}")
    _documents[issuer] = (time.monotonic(), document)
    return document


def forget_discovery() -> None:
    _documents.clear()
