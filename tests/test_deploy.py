"""Production settings pass Django's deployment checks; a missing SECRET_KEY does not."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "scorecard.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DATABASE_URL": "sqlite:///" + str(ROOT / "check-deploy.sqlite3"),
}


def check_deploy(**overrides):
    env = {**os.environ, **PRODUCTION, **overrides}
    # The browser tests allow async-unsafe calls in their own process only.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_without_a_secret_key():
    result = check_deploy(SECRET_KEY="")
    assert result.returncode != 0
    assert "scorecard.E001" in result.stdout + result.stderr


def test_check_deploy_fails_with_console_email():
    result = check_deploy(EMAIL_HOST="")
    assert result.returncode != 0
    assert "mail.E001" in result.stdout + result.stderr
