"""An existing single-partnership database, migrated: everything goes into one
partnership and no figure changes (export_scorecard byte-identical)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ["export_scorecard", "--period", "2019-20 Q4"]
ROLES = (
    "import django; django.setup();"
    "from django.contrib.auth.models import User;"
    "print(sorted((u.username, g.name) for u in User.objects.all() for g in u.groups.all()))"
)


# Child rows first: figures protect what they are figures of.
DROP_EASTLEIGH = (
    "import django; django.setup();"
    "from django.apps import apps;"
    "from core.tenancy import across_partnerships;"
    "from partnerships.models import Partnership;"
    "p = Partnership.objects.get(slug='eastleigh');"
    "ctx = across_partnerships(); ctx.__enter__();"
    "names = ['core.AuditEntry', 'notifications.Notification', 'scorecard.ApprovedValue',"
    " 'scorecard.ReturnValue', 'scorecard.QuarterlyReturn', 'scorecard.ValidationRule',"
    " 'indicators.SeriesBreak', 'indicators.Target', 'indicators.StrategyIndicator',"
    " 'indicators.Indicator', 'indicators.Priority', 'indicators.Strategy',"
    " 'scorecard.ReportingPeriod'];"
    "[apps.get_model(n).objects.across_partnerships().filter(partnership=p).delete()"
    " for n in names];"
    "p.delete()"
)


def manage(db, *args, check=True):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=check,
    )


def python(db, code):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout


def test_migrating_a_single_partnership_database_changes_no_figure(tmp_path):
    """The Southampton demo on today's schema (the partnership migrations reversed, so
    the database is as a single-partnership installation left it: roles as groups, no
    partnership key), then migrated forward, as an upgrade would."""
    db = tmp_path / "copy-of-the-demo.sqlite3"
    manage(db, "migrate", "-v0")
    manage(db, "load_demo")
    python(db, DROP_EASTLEIGH)  # the demo's second partnership: today there is one
    before = manage(db, *EXPORT).stdout
    assert before.count("\n") > 20
    manage(db, "migrate", "partnerships", "zero", "-v0")
    single = python(db, ROLES)
    assert "('police.lead', 'Partner lead')" in single
    assert "no such table: partnerships_partnership" in manage(db, *EXPORT, check=False).stderr

    manage(db, "migrate", "-v0")
    after = manage(db, *EXPORT).stdout
    assert after == before
    moved = python(
        db,
        "import django; django.setup();"
        "from core.tenancy import across_partnerships;"
        "from partnerships.models import Partnership, Membership;"
        "from returns.models import ApprovedValue;"
        "p = Partnership.objects.get();"
        "print(p.slug, p.name);"
        "print(Membership.objects.filter(partnership=p, user__username='police.lead').values_list('role', flat=True).get());"
        "ctx = across_partnerships(); ctx.__enter__();"
        "print(ApprovedValue.objects.exclude(partnership=p).count())",
    ).split("\n")
    assert moved[0] == "southampton Southampton Safe City Partnership"
    assert moved[1] == "Partner lead"
    assert moved[2] == "0"
