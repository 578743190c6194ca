"""Sign-in with the organisation's account through a real OpenID Connect provider
(django-oauth-toolkit in a second process): discovery, the code, the token exchange and
the ID token's signature and claims all travel over HTTP. Every refusal is a clear page,
never a 500 and never a session."""

import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from partners.oidc import providers
from partners.oidc.backend import OrganisationBackend
from partners.oidc.refusals import Refusal, SignInRefused
from partners.roles import Role
from tests import factories
from tests.oidc_provider.running import sign_in_at_provider

START = reverse("oidc_start", args=["hc"])
pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(oidc_provider, settings):
    settings.SCORECARD_OIDC_PROVIDERS = [
        oidc_provider.settings_entry(domains=("hampshire.police.uk",))
    ]
    providers.forget_discovery()
    return oidc_provider


@pytest.fixture
def priya(police_lead):
    police_lead.email = "Priya.Shah@hampshire.police.uk"  # matched whatever the case
    police_lead.save()
    return police_lead


def begin(client, **query):
    response = client.get(START, query)
    assert response.status_code == 302
    return response["Location"]


def callback_path(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == reverse("oidc_callback")
    return f"{parts.path}?{parts.query}"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def refusal(response) -> str:
    assert response.status_code in (400, 503), response.status_code
    page = response.content.decode()
    assert "You are not signed in" in page
    return page.split('data-reason="')[1].split('"')[0]


def test_the_sign_in_page_offers_the_provider_beside_the_password_form(client, provider):
    page = client.get(reverse("login")).content.decode()
    assert "Sign in with Hampshire Constabulary" in page
    assert 'name="password"' in page


def test_the_start_sends_pkce_state_and_nonce_to_the_discovered_endpoint(client, provider):
    location = begin(client)
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(f"{provider.issuer}/authorize/")
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert query["state"][0] in client.session["oidc_states"]
    assert query["nonce"][0] == client.session["oidc_states"][query["state"][0]]["nonce"]


def test_an_invited_lead_signs_in_and_lands_on_my_returns(client, provider, priya, partnership):
    back = sign_in_at_provider(begin(client), "priya")
    response = client.get(callback_path(back))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert int(client.session["_auth_user_id"]) == priya.pk
    assert client.get(reverse("home"))["Location"] == reverse("my_returns")


def test_a_session_started_by_the_provider_keeps_the_idle_timeout(
    client, provider, priya, settings
):
    client.get(callback_path(sign_in_at_provider(begin(client), "priya")))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
    assert client.session.get_expire_at_browser_close()


def test_next_is_kept_across_the_provider(client, provider, priya, partnership):
    back = sign_in_at_provider(begin(client, next=reverse("dashboard")), "priya")
    assert client.get(callback_path(back))["Location"] == reverse("dashboard")


def test_an_invited_person_may_still_sign_in_with_a_password(client, provider, priya):
    response = client.post(
        reverse("login"), {"username": "police.lead", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and signed_in(client)


def test_an_unknown_email_is_told_to_ask_their_coordinator(client, provider, priya):
    response = client.get(callback_path(sign_in_at_provider(begin(client), "stranger")))
    assert refusal(response) == Refusal.UNKNOWN
    page = response.content.decode()
    assert "stranger@hampshire.police.uk" in page and "Ask your coordinator" in page
    assert not signed_in(client)


def test_an_unverified_email_is_refused(client, provider, roles):
    factories.UserFactory(
        username="u", email="unverified@hampshire.police.uk", role=Role.SCP_MEMBER
    )
    response = client.get(callback_path(sign_in_at_provider(begin(client), "unverified")))
    assert refusal(response) == Refusal.UNVERIFIED and not signed_in(client)


def test_a_deactivated_account_is_refused_at_the_return(client, provider, roles):
    factories.UserFactory(
        username="leaver",
        email="leaver@hampshire.police.uk",
        role=Role.PARTNER_LEAD,
        is_active=False,
    )
    response = client.get(callback_path(sign_in_at_provider(begin(client), "leaver")))
    assert refusal(response) == Refusal.DEACTIVATED and not signed_in(client)


def test_a_provider_signs_in_only_its_own_domains(client, provider, roles):
    factories.UserFactory(
        username="jo", email="jo.bennett@southampton.gov.uk", role=Role.SCP_MEMBER
    )
    response = client.get(callback_path(sign_in_at_provider(begin(client), "jo")))
    assert refusal(response) == Refusal.DOMAIN and not signed_in(client)


def test_the_providers_refusal_is_a_page(client, provider, priya):
    state = parse_qs(urlsplit(begin(client)).query)["state"][0]
    response = client.get(
        reverse("oidc_callback"),
        {"state": state, "error": "access_denied", "error_description": "The user said no"},
    )
    assert refusal(response) == Refusal.PROVIDER and not signed_in(client)


def test_a_replayed_state_is_refused(client, provider, priya):
    path = callback_path(sign_in_at_provider(begin(client), "priya"))
    assert client.get(path).status_code == 302
    client.logout()
    assert refusal(client.get(path)) == Refusal.STATE and not signed_in(client)


def test_an_expired_state_is_refused(client, provider, priya):
    path = callback_path(sign_in_at_provider(begin(client), "priya"))
    session = client.session
    for entry in session["oidc_states"].values():
        entry["added_on"] = time.time() - 3600
    session.save()
    assert refusal(client.get(path)) == Refusal.STATE and not signed_in(client)


def test_a_state_from_another_browser_is_refused(client, provider, priya):
    path = callback_path(sign_in_at_provider(begin(client), "priya"))
    other = client.__class__()
    assert refusal(other.get(path)) == Refusal.STATE


def test_a_wrong_nonce_is_refused(client, provider, priya):
    path = callback_path(sign_in_at_provider(begin(client), "priya"))
    session = client.session
    for entry in session["oidc_states"].values():
        entry["nonce"] = "not-the-one-sent"
    session.save()
    assert refusal(client.get(path)) == Refusal.NONCE and not signed_in(client)


def test_a_wrong_code_verifier_is_refused_by_the_provider(client, provider, priya):
    path = callback_path(sign_in_at_provider(begin(client), "priya"))
    session = client.session
    for entry in session["oidc_states"].values():
        entry["code_verifier"] = "x" * 64
    session.save()
    assert refusal(client.get(path)) == Refusal.TOKEN and not signed_in(client)


def test_a_provider_that_cannot_be_reached_is_a_page(client, settings, priya):
    settings.SCORECARD_OIDC_PROVIDERS = [
        {"slug": "hc", "name": "Hampshire Constabulary", "issuer": "http://127.0.0.1:9/o",
         "client_id": "x", "client_secret": "y"}
    ]  # fmt: skip
    providers.forget_discovery()
    assert refusal(client.get(START)) == Refusal.UNAVAILABLE


def test_only_way_in_refuses_the_password_for_its_domain(client, provider, priya, settings):
    settings.SCORECARD_OIDC_PROVIDERS = [
        provider.settings_entry(domains=("hampshire.police.uk",), only_way_in=True)
    ]
    response = client.post(
        reverse("login"), {"username": "police.lead", "password": "correct-horse-battery"}
    )
    assert (
        "Sign in with Hampshire Constabulary: for @hampshire.police.uk accounts it is the only way in"
        in response.content.decode()
    )
    assert not signed_in(client)
    back = sign_in_at_provider(begin(client), "priya")
    assert client.get(callback_path(back)).status_code == 302 and signed_in(client)


# --- ID tokens that are not the provider's own: checked against its published keys ---


def _token(key, claims, kid):
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


def _provider_kid(provider):
    return requests.get(f"{provider.issuer}/.well-known/jwks.json", timeout=5).json()["keys"][0][
        "kid"
    ]


def _claims(provider, **changes):
    now = int(time.time())
    return {
        "iss": provider.issuer,
        "aud": provider.client_id,
        "sub": "1",
        "exp": now + 300,
        "iat": now,
        "nonce": "n",
        "email": "priya.shah@hampshire.police.uk",
        "email_verified": True,
        **changes,
    }


def _verify(provider, token):
    backend = OrganisationBackend(provider=providers.by_slug("hc"))
    return backend.verify_token(token, nonce="n")


def _provider_key(provider):
    return serialization.load_pem_private_key(provider.key_pem.encode(), password=None)


def test_a_token_signed_with_the_providers_key_passes(provider):
    token = _token(_provider_key(provider), _claims(provider), _provider_kid(provider))
    assert _verify(provider, token)["email"] == "priya.shah@hampshire.police.uk"


def test_a_token_signed_by_another_key_is_refused(provider):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = _token(other, _claims(provider), _provider_kid(provider))
    with pytest.raises(Exception) as error:
        _verify(provider, token)
    assert "verification failed" in str(error.value)


def test_a_token_from_another_issuer_is_refused(provider):
    token = _token(
        _provider_key(provider),
        _claims(provider, iss="https://login.example/other"),
        _provider_kid(provider),
    )
    with pytest.raises(SignInRefused) as error:
        _verify(provider, token)
    assert error.value.reason == Refusal.ISSUER


def test_a_token_for_another_client_is_refused(provider):
    token = _token(
        _provider_key(provider), _claims(provider, aud="someone-else"), _provider_kid(provider)
    )
    with pytest.raises(SignInRefused) as error:
        _verify(provider, token)
    assert error.value.reason == Refusal.SIGNATURE


def test_an_expired_token_is_refused(client, provider, priya, monkeypatch):
    """Through the whole return: the provider's real token response, with its ID token
    swapped for an expired one signed by the provider's key."""
    expired = _token(
        _provider_key(provider),
        _claims(provider, exp=int(time.time()) - 600),
        _provider_kid(provider),
    )
    original = OrganisationBackend.get_token

    def get_token(self, payload):
        answer = original(self, payload)
        nonce = jwt.decode(answer["id_token"], options={"verify_signature": False})["nonce"]
        claims = _claims(provider, exp=int(time.time()) - 600, nonce=nonce)
        return {
            **answer,
            "id_token": _token(_provider_key(provider), claims, _provider_kid(provider)),
        }

    monkeypatch.setattr(OrganisationBackend, "get_token", get_token)
    response = client.get(callback_path(sign_in_at_provider(begin(client), "priya")))
    assert expired and refusal(response) == Refusal.EXPIRED and not signed_in(client)
