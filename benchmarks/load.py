"""Bounded load test: 20 concurrent users against gunicorn + PostgreSQL.

Creates a scratch PostgreSQL database (scorecard_load), migrates it, loads the benchmark
data set (200 indicators x 15 partners x 5 years) plus a partner lead with an open
return, starts gunicorn on 127.0.0.1, and has 20 users (threads) each sign in and then
alternate between the dashboard and the return form for a fixed number of requests.
Loopback only; it stops by itself and drops the scratch database.

    python benchmarks/load.py [--users 20] [--requests 30] [--workers 3]

Prints requests/s, p50/p95 latency and the error count (which must be 0).
"""

import argparse
import http.cookiejar
import os
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("LOAD_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "scorecard_load"
PASSWORD = "load-test-password-1"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env):
    host = urllib.parse.urlparse(PG)
    pg = ["-h", host.hostname, "-p", str(host.port or 5432), "-U", host.username]
    subprocess.run(["dropdb", *pg, "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", *pg, DB_NAME], check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    script = f"""
from django.contrib.auth.models import Group
from django.contrib.auth import get_user_model
from partners.roles import Role, ensure_role_groups
from returns.models import ReportingPeriod
from tests.bulk import build_partnership
ensure_role_groups()
data = build_partnership(indicators=200, partners=15, years=5)
ReportingPeriod.objects.filter(pk=data["periods"][-1].pk).update(is_open=True)
User = get_user_model()
for n in range(20):
    user = User.objects.create_user(f"lead{{n}}", f"lead{{n}}@example.test", "{PASSWORD}")
    user.groups.add(Group.objects.get(name=Role.PARTNER_LEAD))
    data["partners"][n % 15].leads.add(user)
"""
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env, check=True
    )
    return pg


def user_session(base, n, requests, latencies, errors, period_slug):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    try:
        page = opener.open(base + "/accounts/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"username": f"lead{n}", "password": PASSWORD, "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(
            base + "/accounts/login/", data=data, headers={"Referer": base + "/accounts/login/"}
        )
        opener.open(request, timeout=30).read()
    except Exception as error:  # noqa: BLE001 - counted, not raised
        errors.append(f"login {n}: {error}")
        return
    partner = f"B{n % 15:02d}"
    urls = [base + "/scorecard/", base + f"/returns/{partner}/{period_slug}/"]
    for i in range(requests):
        url = urls[i % 2]
        start = time.perf_counter()
        try:
            with opener.open(url, timeout=60) as response:
                response.read()
                if response.status != 200 or "/accounts/login/" in response.url:
                    errors.append(f"{url}: {response.status} {response.url}")
        except Exception as error:  # noqa: BLE001
            errors.append(f"{url}: {error}")
        latencies.append(time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=30, help="per user")
    parser.add_argument("--workers", type=int, default=3)
    args = parser.parse_args()

    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",  # plain http on loopback
        "STATIC_ROOT": str(ROOT / "benchmarks" / "results" / "static"),
        "CONN_MAX_AGE": "60",
        "AXES_FAILURE_LIMIT": "1000",
    }
    pg = prepare(env)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)
                break
            except OSError:
                time.sleep(0.2)
        latencies, errors = [], []
        threads = [
            threading.Thread(
                target=user_session, args=(base, n, args.requests, latencies, errors, "2019-20-Q4")
            )
            for n in range(args.users)
        ]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        elapsed = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
        subprocess.run(["dropdb", *pg, "--if-exists", DB_NAME], check=False)

    for error in errors[:5]:
        print("  ", error)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    print(
        f"{args.users} users x {args.requests} requests (dashboard and return form), gunicorn {args.workers} workers, PostgreSQL"
    )
    print(
        f"requests: {len(latencies)}  in {elapsed:.1f}s  ->  {len(latencies) / elapsed:.1f} requests/s"
    )
    print(f"latency p50 {statistics.median(latencies) * 1000:.0f} ms  p95 {p95 * 1000:.0f} ms")
    print(f"errors: {len(errors)}")
    for error in errors[:10]:
        print("  ", error)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
