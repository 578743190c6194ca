"""Run the test provider: ``python -m tests.oidc_provider.serve PORT`` with OIDC_TEST_DB,
OIDC_TEST_KEY, OIDC_TEST_ISSUER, OIDC_TEST_CLIENT (id:secret), OIDC_TEST_REDIRECTS
(space-separated) and OIDC_TEST_PEOPLE (username:email, comma-separated; password
"provider-pass")."""

import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import run  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

PASSWORD = "provider-pass"


def main(port: int):
    call_command("migrate", verbosity=0)
    for spec in filter(None, os.environ.get("OIDC_TEST_PEOPLE", "").split(",")):
        username, email = spec.split(":")
        user = get_user_model().objects.create(username=username, email=email)
        user.set_password(PASSWORD)
        user.save()
    client_id, client_secret = os.environ["OIDC_TEST_CLIENT"].split(":")
    Application.objects.create(
        name="SCP Scorecard",
        client_id=client_id,
        client_secret=client_secret,
        hash_client_secret=False,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["OIDC_TEST_REDIRECTS"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    print("ready", flush=True)
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
