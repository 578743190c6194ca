"""A real OpenID Connect provider for the sign-in tests: django-oauth-toolkit in OIDC
mode, run as a second process (``serve.py``) with its own database, signing key,
client and people. Nothing here is part of the scorecard."""
