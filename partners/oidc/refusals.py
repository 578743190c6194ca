"""Why a sign-in through a provider was refused, in words for the person and a code
for the log (never the token)."""

from __future__ import annotations

from django.db import models


class Refusal(models.TextChoices):
    PROVIDER = "provider", "Your organisation's sign-in service did not sign you in"
    STATE = "state", "This sign-in link has expired or was already used"
    NONCE = "nonce", "The sign-in could not be matched to this browser"
    SIGNATURE = "signature", "The sign-in could not be verified"
    ISSUER = "issuer", "The sign-in came from a different organisation's service"
    EXPIRED = "expired", "The sign-in had expired"
    TOKEN = "token", "Your organisation's sign-in service did not complete the sign-in"
    UNAVAILABLE = "unavailable", "Your organisation's sign-in service cannot be reached"
    UNVERIFIED = "unverified", "Your email address is not verified by your organisation"
    DOMAIN = "domain", "This organisation's sign-in is not for your email address"
    UNKNOWN = "unknown", "There is no scorecard account for your email address"
    AMBIGUOUS = "ambiguous", "More than one scorecard account has your email address"
    DEACTIVATED = "deactivated", "Your scorecard account has been deactivated"


ADVICE = {
    Refusal.PROVIDER: "Try again. If it keeps happening, ask your IT service desk.",
    Refusal.STATE: "Start again from the sign-in page.",
    Refusal.NONCE: "Start again from the sign-in page, in one browser tab.",
    Refusal.SIGNATURE: "Start again from the sign-in page. If it keeps happening, tell the "
    "Stronger Communities team.",
    Refusal.ISSUER: "Start again from the sign-in page and choose your own organisation.",
    Refusal.EXPIRED: "Start again from the sign-in page.",
    Refusal.TOKEN: "Start again from the sign-in page.",
    Refusal.UNAVAILABLE: "Try again later, or sign in with your scorecard password.",
    Refusal.UNVERIFIED: "Ask your IT service desk to verify your email address, or sign in "
    "with your scorecard password.",
    Refusal.DOMAIN: "Choose the sign-in of the organisation your email address belongs to.",
    Refusal.UNKNOWN: "Ask your coordinator in the Stronger Communities team to invite you "
    "with this email address.",
    Refusal.AMBIGUOUS: "Ask your coordinator in the Stronger Communities team to fix it.",
    Refusal.DEACTIVATED: "If you still need access, ask your coordinator in the Stronger "
    "Communities team.",
}


class SignInRefused(Exception):
    def __init__(self, reason: Refusal, detail: str = "", *, email: str = ""):
        self.reason, self.detail, self.email = reason, detail, email
        super().__init__(f"{reason.value}: {detail}")

    @property
    def advice(self) -> str:
        return ADVICE[self.reason]
