"""Start a sign-in at the provider, and its return. Every refusal is a page saying
what happened and what to do (status 400, or 503 when the provider cannot be reached);
no refusal leaves a session signed in."""

from __future__ import annotations

import logging
import time

from django.contrib import auth
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from mozilla_django_oidc.utils import (
    absolutify,
    add_state_and_verifier_and_nonce_to_session,
    generate_code_challenge,
)

from partners.oidc import providers
from partners.oidc.backend import CALLBACK, OrganisationBackend
from partners.oidc.refusals import Refusal, SignInRefused

log = logging.getLogger(__name__)
STATE_SECONDS = 15 * 60
PROVIDER_KEY = "oidc_providers"  # state → provider slug and where to go next
BACKEND = "partners.oidc.backend.OrganisationBackend"
# RFC 7636's unreserved characters for a code verifier (43 to 128 of them)
VERIFIER_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"


def _refused(request, refusal: SignInRefused, provider=None):
    log.warning("Sign-in through %s refused: %s", provider.slug if provider else "-", refusal)
    status = 503 if refusal.reason == Refusal.UNAVAILABLE else 400
    return render(
        request,
        "registration/sign_in_refused.html",
        {"refusal": refusal, "provider": provider},
        status=status,
    )


@login_not_required  # deliberately public: the way in
@never_cache
@require_GET
def start(request, slug):
    provider = providers.by_slug(slug)
    if provider is None:
        raise Http404("No such sign-in")
    try:
        metadata = provider.metadata()
    except providers.ProviderUnavailable as error:
        return _refused(request, SignInRefused(Refusal.UNAVAILABLE, str(error)), provider)
    state, nonce = get_random_string(32), get_random_string(32)
    verifier = get_random_string(64, VERIFIER_CHARS)
    params = {
        "response_type": "code",
        "scope": provider.scopes,
        "client_id": provider.client_id,
        "redirect_uri": absolutify(request, reverse(CALLBACK)),
        "state": state,
        "nonce": nonce,
        "code_challenge": generate_code_challenge(verifier, "S256"),
        "code_challenge_method": "S256",
    }
    add_state_and_verifier_and_nonce_to_session(request, state, params, verifier)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    pending = request.session.get(PROVIDER_KEY, {})
    pending = {s: v for s, v in pending.items() if s in request.session["oidc_states"]}
    pending[state] = {"provider": provider.slug, "next": next_url}
    request.session[PROVIDER_KEY] = pending
    return HttpResponseRedirect(f"{metadata['authorization_endpoint']}?{urlencode(params)}")


@login_not_required  # deliberately public: the provider's return
@never_cache
@require_GET
def callback(request):
    state = request.GET.get("state", "")
    states = request.session.get("oidc_states", {})
    pending = request.session.get(PROVIDER_KEY, {})
    # Each state is used once: taken out of the session before anything else happens.
    entry, where = states.pop(state, None), pending.pop(state, None)
    request.session["oidc_states"], request.session[PROVIDER_KEY] = states, pending
    provider = providers.by_slug(where["provider"]) if where else None
    if entry is None or provider is None or time.time() - entry["added_on"] > STATE_SECONDS:
        return _refused(request, SignInRefused(Refusal.STATE, "unknown or expired state"))
    if "error" in request.GET:
        detail = f"{request.GET['error']}: {request.GET.get('error_description', '')}"
        return _refused(request, SignInRefused(Refusal.PROVIDER, detail[:300]), provider)
    if not request.GET.get("code"):
        return _refused(request, SignInRefused(Refusal.TOKEN, "no code"), provider)
    try:
        backend = OrganisationBackend(provider=provider)
        user = backend.authenticate(
            request,
            provider=provider,
            nonce=entry["nonce"],
            code_verifier=entry["code_verifier"],
        )
    except SignInRefused as refusal:
        return _refused(request, refusal, provider)
    if user is None:
        return _refused(request, SignInRefused(Refusal.TOKEN, "no user"), provider)
    auth.login(request, user, backend=BACKEND)
    request.session["signed_in_with"] = provider.slug
    return HttpResponseRedirect(where["next"] or reverse("home"))
