"""Start the test provider in a second process and drive its sign-in over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parent.parent.parent
PASSWORD = "provider-pass"
PEOPLE = {
    "priya": "priya.shah@hampshire.police.uk",
    "stranger": "stranger@hampshire.police.uk",
    "unverified": "unverified@hampshire.police.uk",
    "leaver": "leaver@hampshire.police.uk",
    "jo": "jo.bennett@southampton.gov.uk",
}


@dataclass
class RunningProvider:
    base: str
    issuer: str
    client_id: str
    client_secret: str
    key_pem: str = field(repr=False)
    process: subprocess.Popen = field(repr=False)

    def settings_entry(self, **extra) -> dict:
        return {
            "slug": "hc",
            "name": "Hampshire Constabulary",
            "issuer": self.issuer,
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            **extra,
        }

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(redirects: list[str]) -> RunningProvider:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    issuer = f"{base}/o"
    database = Path(tempfile.mkdtemp()) / "provider.sqlite3"
    env = {
        **os.environ,
        "OIDC_TEST_DB": str(database),
        "OIDC_TEST_KEY": pem,
        "OIDC_TEST_ISSUER": issuer,
        "OIDC_TEST_CLIENT": "scorecard-test:not-a-real-secret",
        "OIDC_TEST_REDIRECTS": " ".join(redirects),
        "OIDC_TEST_PEOPLE": ",".join(f"{u}:{e}" for u, e in PEOPLE.items()),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the test provider stopped: {process.stdout.read()}")
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.2)
    else:
        process.terminate()
        raise RuntimeError("the test provider did not start in 60 s")
    return RunningProvider(base, issuer, "scorecard-test", "not-a-real-secret", pem, process)


def sign_in_at_provider(authorize_url: str, username: str) -> str:
    """What a person does at the provider: sign in there, and be sent back. Returns the
    address the provider sends the browser back to (with ``code`` and ``state``)."""
    parts = urlsplit(authorize_url)
    base = f"{parts.scheme}://{parts.netloc}"
    browser = requests.Session()
    page = browser.get(authorize_url, timeout=10)  # redirected to the provider's login
    token = browser.cookies["csrftoken"]
    next_path = f"{parts.path}?{parts.query}"
    login = browser.post(
        f"{base}/accounts/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": PASSWORD,
            "next": next_path,
        },
        headers={"Referer": page.url},
        allow_redirects=False,
        timeout=10,
    )
    assert login.status_code == 302, login.text[:500]
    back = browser.get(urljoin(base, login.headers["Location"]), allow_redirects=False, timeout=10)
    assert back.status_code == 302, back.text[:500]
    return back.headers["Location"]
