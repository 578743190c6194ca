import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the live server and the
# fixtures still talk to the database synchronously, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            "The browser tests need Debian's chromium at /usr/bin/chromium "
            "(apt-get install chromium chromium-driver); ./scripts/test installs it as root."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def app_server(transactional_db, _plain_settings):
    """A live server per test, started after the test settings apply (pytest-django's
    session-wide one would keep the production middleware it was started with)."""
    from types import SimpleNamespace

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread

    thread = LiveServerThread("localhost", StaticFilesHandler, connections_override={}, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield SimpleNamespace(url=f"http://localhost:{thread.port}")
    thread.terminate()


@pytest.fixture
def page(browser, app_server):
    context = browser.new_context(base_url=app_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()


def login(page, username, password="correct-horse-battery"):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def axe_violations(page):
    """Runs the vendored axe-core (served from our own static files, so the CSP allows
    it) and returns the WCAG 2.2 AA violations, and landmarks (our scrolling table
    regions) that share a name: a screen reader lists them by name."""
    # After a click the next page may still be loading (no <head> yet to add to).
    page.wait_for_load_state("load")
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            rules: {'landmark-unique': {enabled: true}},
        })""",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
