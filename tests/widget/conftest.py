"""Fixtures for driving the widget in a real Chromium (Debian's, through Playwright).

The browser tests skip, saying why, when Playwright or /usr/bin/chromium is missing; CI
installs both (see docs/embedding.md, "Testing the widget").
"""

import contextlib
import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

CHROMIUM_PATH = os.environ.get("WAYPOINT_CHROMIUM", "/usr/bin/chromium")
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
# Screenshots for people to look at (never compared by the tests).
SCREENSHOT_DIR = os.environ.get("WAYPOINT_SCREENSHOT_DIR", "/tmp")


def _skip_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install playwright; never `playwright install`)"
    if not (os.path.exists(CHROMIUM_PATH) or shutil.which(CHROMIUM_PATH)):
        return f"{CHROMIUM_PATH} is missing (apt-get install chromium)"
    return None


@pytest.fixture(scope="session")
def chromium():
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's driver runs its own event loop; Django must not mistake the test
    # thread for async code when the tests touch the database.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh page; the test fails if the page throws an uncaught error."""
    context = chromium.new_context(viewport={"width": 1440, "height": 1000})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.uncaught_errors = []
    page.on("pageerror", lambda error: page.uncaught_errors.append(str(error)))
    yield page
    context.close()
    assert page.uncaught_errors == [], f"uncaught errors in the page: {page.uncaught_errors}"


class _PageServer(ThreadingHTTPServer):
    daemon_threads = True
    pages: dict[str, str]


class _PageHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        body = self.server.pages.get(self.path.split("?")[0])
        if body is None:
            self.send_error(404)
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_pages():
    """Serve HTML pages on a free loopback port: another origin than the live server.

    Yields ``(origin, pages)``; fill ``pages`` ({path: html}) once the origin is known.
    """
    server = _PageServer(("127.0.0.1", 0), _PageHandler)
    server.pages = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", server.pages
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page_server():
    """Call it to start a host-page server; returns ``(origin, pages)``."""
    with contextlib.ExitStack() as stack:
        yield lambda: stack.enter_context(serve_pages())
