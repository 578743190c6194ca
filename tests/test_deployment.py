"""What docker-compose.yml runs, exercised outside Docker: the compose file's shape,
gunicorn serving the app against the test database, and backup/restore."""

import csv
import io
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_file_defines_the_stack():
    spec = compose()
    services = spec["services"]
    assert set(services) == {"web", "db", "redis", "worker", "beat"}
    for name, service in services.items():
        assert "healthcheck" in service, name
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    web = services["web"]["command"]
    assert "manage.py migrate" in web and "collectstatic" in web
    assert "gunicorn config.wsgi:application" in web
    assert services["worker"]["command"].startswith("celery -A config.celery_app worker")
    assert services["beat"]["command"].startswith("celery -A config.celery_app beat")
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
    assert (ROOT / ".env.example").exists() and (ROOT / "Dockerfile").exists()


def test_env_example_holds_no_real_secret():
    text = (ROOT / ".env.example").read_text()
    assert "SECRET_KEY=change-me" in text
    assert not (ROOT / ".env").exists() or ".env" in (ROOT / ".gitignore").read_text()


def database_url():
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_the_app_with_production_settings(tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, _ = get(base + "/healthz")
                if status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        status, page = get(base + "/accounts/login/")
        assert status == 200
        assert "Sign in to the SCP Scorecard" in page
        css = [
            line
            for line in page.split('"')
            if line.startswith("/static/") and line.endswith(".css")
        ]
        assert any(".min." in c and len(c.split(".")) > 3 for c in css), css  # hashed names
        status, _ = get(base + css[0])
        assert status == 200
        status, _ = get(base + "/scorecard/")
        assert status == 200  # the login page, after a redirect
    finally:
        server.terminate()
        server.wait(timeout=20)


def export_from(env, url) -> str:
    """export_scorecard run against another database, in its own process."""
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "export_scorecard",
            "--partnership",
            "southampton",
            "--period",
            "2019-20 Q4",
        ],
        cwd=ROOT,
        env={**env, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_gives_an_identical_scorecard(tmp_path):
    """The documented path: dump → restore into an empty database → same scorecard."""
    call_command("load_demo", stdout=io.StringIO())
    before = io.StringIO()
    call_command(
        "export_scorecard", "--partnership", "southampton", "--period", "2019-20 Q4", stdout=before
    )
    source = connection.settings_dict
    env = {**os.environ}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if connection.vendor == "postgresql":
        target_name = f"{source['NAME']}_restore"
        pg = [
            "-h",
            source["HOST"] or "127.0.0.1",
            "-p",
            str(source["PORT"] or 5432),
            "-U",
            source["USER"],
        ]
        dump = tmp_path / "scorecard.dump"
        subprocess.run(["pg_dump", *pg, "-Fc", "-f", str(dump), source["NAME"]], check=True)
        subprocess.run(["dropdb", *pg, "--if-exists", target_name], check=True)
        subprocess.run(["createdb", *pg, target_name], check=True)
        try:
            subprocess.run(
                ["pg_restore", *pg, "--no-owner", "-d", target_name, str(dump)], check=True
            )
            env["DATABASE_URL"] = database_url().rsplit("/", 1)[0] + "/" + target_name
            after = subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "export_scorecard",
                    "--partnership",
                    "southampton",
                    "--period",
                    "2019-20 Q4",
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        finally:
            subprocess.run(["dropdb", *pg, "--if-exists", target_name], check=True)
    else:
        # The embedded default: SQLite's online backup API, the documented equivalent.
        import sqlite3
        from contextlib import closing

        target = tmp_path / "restored.sqlite3"
        # closing(): a sqlite3 connection's own context manager commits but never closes
        with closing(sqlite3.connect(source["NAME"])) as src:
            with closing(sqlite3.connect(target)) as dst:
                src.backup(dst)
        env["DATABASE_URL"] = f"sqlite:///{target}"
        after = subprocess.run(
            [
                sys.executable,
                "manage.py",
                "export_scorecard",
                "--partnership",
                "southampton",
                "--period",
                "2019-20 Q4",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    assert after == before.getvalue()
    assert len(list(csv.DictReader(io.StringIO(after)))) == 26
