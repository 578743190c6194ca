"""The provider's side of a sign-in, checked: mozilla-django-oidc exchanges the code
(with the PKCE verifier) and checks the ID token's signature against the provider's
published keys and its nonce; this adds the issuer, audience and expiry, a verified
email, and the match to a person a coordinator invited. It never creates an account
or a role."""

from __future__ import annotations

import time

import jwt
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from requests import RequestException

from partners.oidc.providers import Provider, ProviderUnavailable
from partners.oidc.refusals import Refusal, SignInRefused

LEEWAY_SECONDS = 60
CALLBACK = "oidc_callback"


class OrganisationBackend(OIDCAuthenticationBackend):
    """Listed in AUTHENTICATION_BACKENDS so a session it started stays signed in; it
    answers only the provider's return (``provider=``), never a password."""

    def __init__(self, *args, provider: Provider | None = None, **kwargs):
        self.UserModel = get_user_model()
        self.provider = provider
        if provider is None:
            return
        try:
            metadata = provider.metadata()
        except ProviderUnavailable as error:
            raise SignInRefused(Refusal.UNAVAILABLE, str(error)) from error
        self.OIDC_OP_TOKEN_ENDPOINT = metadata["token_endpoint"]
        self.OIDC_OP_JWKS_ENDPOINT = metadata["jwks_uri"]
        self.OIDC_OP_USER_ENDPOINT = metadata.get("userinfo_endpoint")
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None

    def get_settings(self, attr, *args):
        fixed = {
            "OIDC_USE_NONCE": True,
            "OIDC_CREATE_USER": False,
            "OIDC_AUTHENTICATION_CALLBACK_URL": CALLBACK,
            "OIDC_TIMEOUT": 10,
            "OIDC_RP_SCOPES": self.provider.scopes if self.provider else "openid email",
            "OIDC_ALLOW_UNSECURED_JWT": False,
        }
        if attr in fixed:
            return fixed[attr]
        return super().get_settings(attr, *args)

    def authenticate(self, request, provider: Provider | None = None, **kwargs):
        if provider is None or self.provider is None:
            return None  # a password sign-in: not ours
        try:
            return super().authenticate(request, **kwargs)
        except SignInRefused:
            raise
        except jwt.ExpiredSignatureError as error:
            raise SignInRefused(Refusal.EXPIRED, str(error)) from error
        except SuspiciousOperation as error:
            reason = Refusal.NONCE if "Nonce" in str(error) else Refusal.SIGNATURE
            raise SignInRefused(reason, str(error)) from error
        except RequestException as error:  # the token endpoint refused the code, or is down
            raise SignInRefused(Refusal.TOKEN, str(error)) from error
        except Exception as error:  # a token that is not a JWT at all, among others
            raise SignInRefused(Refusal.SIGNATURE, f"{type(error).__name__}: {error}") from error

    def verify_token(self, token, **kwargs):
        if not token:
            raise SignInRefused(Refusal.TOKEN, "the token response has no ID token")
        payload = super().verify_token(token, **kwargs)
        if payload.get("iss", "").rstrip("/") != self.provider.issuer:
            raise SignInRefused(Refusal.ISSUER, f"issued by {payload.get('iss')!r}")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.provider.client_id not in audiences:
            raise SignInRefused(Refusal.SIGNATURE, f"issued for {audience!r}")
        if (
            not isinstance(payload.get("exp"), (int, float))
            or payload["exp"] + LEEWAY_SECONDS < time.time()
        ):
            raise SignInRefused(Refusal.EXPIRED, "the ID token has expired")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        # The ID token's claims, signed and checked above; Entra's userinfo endpoint
        # (Microsoft Graph) would not say whether the email is verified.
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        email = (payload.get("email") or "").strip()
        if not email:
            raise SignInRefused(Refusal.UNVERIFIED, "the ID token has no email")
        verified = payload.get(self.provider.email_verified_claim)
        if verified not in (True, "true", "True", "1", 1):
            raise SignInRefused(Refusal.UNVERIFIED, f"{email} is not verified", email=email)
        if not self.provider.signs_in(email):
            raise SignInRefused(Refusal.DOMAIN, email, email=email)
        users = list(self.filter_users_by_claims({"email": email})[:2])
        if not users:
            raise SignInRefused(Refusal.UNKNOWN, email, email=email)
        if len(users) > 1:
            raise SignInRefused(Refusal.AMBIGUOUS, email, email=email)
        if not users[0].is_active:
            raise SignInRefused(Refusal.DEACTIVATED, email, email=email)
        return users[0]
