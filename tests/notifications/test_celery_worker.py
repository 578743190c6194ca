"""A real celery worker, started as the deployment starts it, runs a task from the real
Redis broker (CELERY_TEST_BROKER_URL, default redis://127.0.0.1:6379/15)."""

import os
import subprocess
import sys
import uuid

import pytest
from celery import Celery

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def worker():
    env = {
        **os.environ,
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config.celery_app",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "-n",
            name,
            "-Q",
            "scorecard",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_real_worker_executes_a_task_from_redis(worker):
    client = Celery(broker=BROKER, backend=BROKER)
    token = uuid.uuid4().hex
    result = client.send_task("scorecard.tasks.ping", args=[token], queue="scorecard")
    try:
        assert result.get(timeout=60) == token
    finally:
        client.close()
    assert worker.poll() is None  # still running: it did not crash on start


def database_url_for_worker() -> str:
    """The test database, for a worker in another process."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def pack_worker(transactional_db):
    env = {
        **os.environ,
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DATABASE_URL": database_url_for_worker(),
    }
    queue = f"packs-{uuid.uuid4().hex[:8]}"  # its own queue: no other worker takes the job
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config.celery_app", "worker", "--pool",
         "solo", "--loglevel", "WARNING", "-n", f"{queue}@%h", "-Q", queue],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    yield queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_real_worker_generates_a_meeting_pack_from_redis(demo, pack_worker):
    from datetime import date

    from django.contrib.auth import get_user_model

    from meetings.models import Meeting, MeetingPack
    from meetings.packs import build_snapshot
    from returns.models import ReportingPeriod

    coordinator = get_user_model().objects.get(username="coordinator")
    meeting = Meeting.objects.create(
        title="SCP – September 2020",
        date=date(2020, 9, 17),
        period=ReportingPeriod.objects.get(year=2019, quarter=4),
        created_by=coordinator,
    )
    pack = MeetingPack.objects.create(
        meeting=meeting, version=1, snapshot=build_snapshot(meeting), issued_by=coordinator
    )
    client = Celery(broker=BROKER, backend=BROKER)
    result = client.send_task(
        "scorecard.tasks.generate_meeting_pack", args=[pack.pk], queue=pack_worker
    )
    try:
        assert result.get(timeout=180) is True
    finally:
        client.close()
    pack.refresh_from_db()
    assert pack.status == MeetingPack.Status.READY
    assert bytes(pack.pdf).startswith(b"%PDF")
    assert bytes(pack.xlsx).startswith(b"PK")
    assert "Signal or noise" in pack.html
