"""Imports run one way: views → services/selectors → models → pure rules; tasks call
services, and services start tasks by name (``scorecard.queue``), never by import."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SERVICE_MODULES = [
    "scorecard/services.py",
    "scorecard/notifications.py",
    "scorecard/delivery.py",
    "scorecard/meetings/packs.py",
    "scorecard/meetings/actions.py",
    "scorecard/meetings/publishing.py",
    "indicators/services.py",
    "partners/services.py",
]


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("module", SERVICE_MODULES)
def test_services_never_import_the_tasks_module(module):
    assert "scorecard.tasks" not in imported_modules(ROOT / module)


def test_meetings_live_in_one_package():
    package = ROOT / "scorecard" / "meetings"
    assert {p.name for p in package.glob("*.py")} >= {
        "packs.py",
        "charts.py",
        "annual_review.py",
        "views.py",
        "actions.py",
        "publishing.py",
    }
    assert not (ROOT / "scorecard" / "packs.py").exists()


def test_every_task_is_registered_for_enqueueing_by_name():
    from celery import current_app

    for name in ("deliver_notification", "generate_meeting_pack", "send_due_reminders"):
        assert f"scorecard.tasks.{name}" in current_app.tasks
