"""The floor plan: imports run one way (import-linter's contracts in pyproject.toml, run
in CI and here), services start tasks by name (``core.queue``) and never import a tasks
module, and no package or module outgrows what a newcomer can read."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "config", "core", "notifications", "partners", "indicators", "returns", "actions",
    "reporting", "meetings", "setup", "demo", "partnerships", "hosting", "policeuk",
]  # fmt: skip
SERVICE_MODULES = [
    "returns/services.py",
    "returns/periods.py",
    "returns/emails.py",
    "notifications/outbox.py",
    "notifications/delivery.py",
    "meetings/packs.py",
    "meetings/publishing.py",
    "actions/services.py",
    "actions/emails.py",
    "indicators/services.py",
    "partners/services.py",
    "partners/emails.py",
]
# One cohesive thing each, named in the README's "Layout" section.
LONG_MODULES = {"demo/data.py", "meetings/charts.py"}


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
def test_services_never_import_a_tasks_module(module):
    assert not {m for m in imported_modules(ROOT / module) if m.endswith(".tasks")}


def test_meetings_and_actions_live_in_their_packages():
    assert {p.name for p in (ROOT / "meetings").glob("*.py")} >= {
        "packs.py",
        "charts.py",
        "annual_review.py",
        "views.py",
        "publishing.py",
        "models.py",
    }
    assert {p.name for p in (ROOT / "actions").glob("*.py")} >= {"services.py", "models.py"}
    assert not (ROOT / "scorecard").exists()


def test_every_task_is_registered_for_enqueueing_by_name():
    from celery import current_app

    for name in ("deliver_notification", "generate_meeting_pack", "send_due_reminders"):
        assert f"scorecard.tasks.{name}" in current_app.tasks


def test_import_contracts_hold():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("package", PACKAGES)
def test_no_package_outgrows_fifteen_modules(package):
    modules = [p for p in (ROOT / package).glob("*.py") if p.name != "__init__.py"]
    assert len(modules) <= 15, sorted(p.name for p in modules)


def test_no_module_outgrows_four_hundred_lines_unless_named():
    long = {
        str(p.relative_to(ROOT))
        for package in PACKAGES
        for p in (ROOT / package).rglob("*.py")
        if "migrations" not in p.parts and len(p.read_text().splitlines()) > 420
    }
    assert long <= LONG_MODULES, sorted(long - LONG_MODULES)


def test_no_import_inside_a_function_except_heavy_or_startup_ones():
    # Heavy libraries load on first use (scipy, Pillow, WeasyPrint); an AppConfig's
    # ready() imports what needs the app registry.
    allowed = {"scipy.special", "PIL", "weasyprint"}
    found = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or path.name == "apps.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    for sub in ast.walk(node):
                        if isinstance(sub, (ast.Import, ast.ImportFrom)):
                            module = getattr(sub, "module", None) or sub.names[0].name
                            if module.split(".")[0] not in {a.split(".")[0] for a in allowed}:
                                found.append(f"{path.relative_to(ROOT)}:{sub.lineno} {module}")
    assert not found
