"""Sign-in with the organisation's account: OpenID Connect (authorisation code flow with
PKCE) through mozilla-django-oidc, one or more providers per installation.

- ``providers``: the providers, from environment variables, and their discovery documents.
- ``backend``: the token exchange and ID-token checks (signature, issuer, audience,
  expiry, nonce, verified email), matching the invited person by email; never creates one.
- ``views``: start (state, nonce, PKCE) and the provider's return, each refusal a page.
"""
