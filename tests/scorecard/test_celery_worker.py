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
            "scorecard.celery_app",
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
