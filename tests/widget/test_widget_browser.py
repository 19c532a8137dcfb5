"""The widget in a real browser: the demo page, a cross-origin embed, hostile pages, outages.

Each test drives Debian's Chromium through Playwright against a live server with a small
Ledgerly workspace made by the shared factories (not the full seed).
"""

import json
import os
import re
from types import SimpleNamespace

import pytest

from education.progress.models import LessonFeedback, LessonProgress, QuizAttempt
from education.widget.tokens import customer_token_mint
from tests.conftest import ensure_wagtail_tree
from tests.factories import (
    CustomerFactory,
    LearningPathPageFactory,
    LessonPageFactory,
    ProductFeatureFactory,
    WorkspaceFactory,
)
from tests.widget.conftest import SCREENSHOT_DIR

# serialized_rollback: the flush after each test would drop the rows migrations made
# (Wagtail's root page and locales).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUIET_MESSAGE = "Lessons are unavailable right now."
HOST = "#waypoint"


def _lesson_body(topic: str) -> list:
    return [
        ("paragraph", f"<p>How <b>{topic}</b> works in Ledgerly.</p>"),
        ("callout", {"style": "tip", "text": f"<p>A tip about {topic}.</p>"}),
        (
            "steps",
            {
                "title": "Do it",
                "steps": [
                    {"title": "Open Invoices", "text": "<p>From the sidebar.</p>"},
                    {"title": "Click New", "text": "<p>Top right.</p>"},
                ],
            },
        ),
        ("code", {"language": "bash", "code": "curl https://api.ledgerly.example/v2/invoices"}),
        (
            "quiz",
            {
                "question": f"Which status means the client opened the {topic} invoice?",
                "choices": [
                    {"text": "Viewed", "correct": True},
                    {"text": "Sent", "correct": False},
                    {"text": "Paid", "correct": False},
                ],
                "explanation": "Viewed means the client opened the invoice page.",
            },
        ),
        (
            "try_it",
            {"label": "Open Invoices", "path": "/invoices", "description": "Try it now."},
        ),
    ]


def build_ledgerly(*, allowed_origins=()):
    ensure_wagtail_tree()
    workspace = WorkspaceFactory(
        name="Ledgerly", slug="ledgerly", allowed_origins=list(allowed_origins)
    )
    invoices = ProductFeatureFactory(workspace=workspace, key="invoices", name="Invoices")
    topics = ["sending", "reminders", "deposits"]
    lessons = [
        LessonPageFactory(
            workspace=workspace,
            title=f"Lesson about {topic}",
            summary=f"Everything about {topic}.",
            features=[invoices],
            body=_lesson_body(topic),
        )
        for topic in topics
    ]
    path = LearningPathPageFactory(
        workspace=workspace, title="Your first week with Ledgerly", lessons=lessons
    )
    customer = CustomerFactory(workspace=workspace, external_id="cust-1", name="Ada Lovelace")
    return SimpleNamespace(
        workspace=workspace,
        lessons=lessons,
        path=path,
        customer=customer,
        keys=workspace.issued_keys,
    )


@pytest.fixture
def demo(settings):
    settings.WIDGET_DEMO_ENABLED = True
    return build_ledgerly()


def shadow(page):
    """A locator inside the widget's shadow root (Playwright pierces open shadow roots)."""
    return page.locator(HOST)


def active_in_widget(page) -> dict | None:
    return page.evaluate(
        """() => {
          const el = document.querySelector('#waypoint').shadowRoot.activeElement;
          return el && {tag: el.tagName, action: el.dataset.action || null,
                        text: el.textContent.trim(), cls: el.className};
        }"""
    )


def open_demo(page, live_server):
    page.goto(f"{live_server.url}/demo/")
    page.wait_for_selector(f"{HOST}[data-waypoint-state=ready]")


def screenshot(page, name: str, **kwargs) -> str:
    path = os.path.join(SCREENSHOT_DIR, f"waypoint-{name}.png")
    page.screenshot(path=path, **kwargs)
    return path


def progress_text(page) -> str:
    return shadow(page).get_by_test_id("path-progress").inner_text()


# --- The demo page ------------------------------------------------------------------------


def test_demo_shows_the_next_lesson_card_and_the_path(page, live_server, demo):
    open_demo(page, live_server)

    card = shadow(page).get_by_test_id("next-lesson")
    titles = [lesson.title for lesson in demo.lessons]
    assert card.locator(".wp-card-title").inner_text() in titles
    assert card.get_attribute("data-model-version") is not None
    path = shadow(page).get_by_test_id("path")
    assert path.locator(".wp-path-title").inner_text() == "Your first week with Ledgerly"
    assert progress_text(page) == "0 of 3 done"
    assert path.locator(".wp-step").count() == 3
    assert path.locator(".wp-step").first.get_attribute("data-status") == "next"
    assert path.get_by_role("progressbar").get_attribute("aria-valuenow") == "0"
    screenshot(page, "demo", full_page=True)


def test_why_this_reveals_the_reasons(page, live_server, demo):
    open_demo(page, live_server)
    card = shadow(page).get_by_test_id("next-lesson")
    why = card.get_by_role("button", name="Why this?")
    if not why.count():
        pytest.skip("the API gave this recommendation no reasons")

    why.click()

    assert why.get_attribute("aria-expanded") == "true"
    assert card.locator(".wp-why li").count() >= 1


def test_a_lesson_from_quiz_to_completion_advances_the_path(page, live_server, demo):
    first, second = demo.lessons[0], demo.lessons[1]
    open_demo(page, live_server)
    widget = shadow(page)

    widget.locator(f'.wp-step[data-lesson-id="{first.pk}"] button').click()
    lesson = widget.get_by_test_id("lesson")
    page.wait_for_selector(f"{HOST} .wp-lesson")
    assert lesson.get_by_role("heading", level=2).inner_text() == first.title
    for block in ("callout", "steps", "code", "quiz", "try_it"):
        assert lesson.locator(f'[data-block="{block}"]').count() == 1, block
    assert lesson.get_by_role("link", name="Open Invoices").get_attribute("href") == "/invoices"
    screenshot(page, "lesson")

    # Quiz: a wrong answer, then the feedback shows the right one and the explanation.
    quiz = lesson.locator('[data-block="quiz"]')
    quiz.get_by_label("Sent").check()
    quiz.get_by_role("button", name="Check answer").click()
    feedback = quiz.get_by_test_id("quiz-feedback")
    feedback.get_by_text("Viewed means the client opened the invoice page.").wait_for()
    assert "Not quite" in feedback.inner_text()
    assert feedback.get_attribute("aria-live") == "polite"
    correct = quiz.locator(".wp-choice.is-correct")
    assert correct.count() == 1 and "Viewed" in correct.inner_text()
    assert quiz.locator(".wp-choice.is-wrong").inner_text().startswith("Sent")
    screenshot(page, "quiz")

    # Was this helpful? Yes, effort 2, a comment.
    rating = lesson.get_by_test_id("feedback")
    rating.get_by_role("button", name="Yes").click()
    rating.get_by_label("2", exact=True).check()
    rating.get_by_label("Anything we could improve?").fill("More screenshots please")
    rating.get_by_role("button", name="Send feedback").click()
    rating.get_by_text("Thanks for your feedback!").wait_for()

    # Complete: the path advances and the product hears about it.
    lesson.get_by_role("button", name="Mark as complete").click()
    lesson.get_by_text("Lesson completed").first.wait_for()
    page.wait_for_function(
        "() => document.querySelector('#waypoint').shadowRoot"
        ".querySelector('[data-testid=path-progress]').textContent === '1 of 3 done'"
    )
    path = widget.get_by_test_id("path")
    assert path.locator(f'.wp-step[data-lesson-id="{first.pk}"]').get_attribute("data-status") == (
        "completed"
    )
    assert path.locator(f'.wp-step[data-lesson-id="{second.pk}"]').get_attribute("data-status") == (
        "next"
    )
    assert lesson.get_by_text(f"Next up: {second.title}").is_visible()
    assert page.locator("#toast").inner_text().startswith("Nice! You completed")
    screenshot(page, "lesson-completed")

    attempt = QuizAttempt.objects.get(customer=demo.customer, lesson=first)
    assert attempt.answers == [1] and attempt.is_correct is False
    feedback_row = LessonFeedback.objects.get(customer=demo.customer, lesson=first)
    assert (feedback_row.helpful, feedback_row.effort_score) == (True, 2)
    assert feedback_row.comment == "More screenshots please"
    assert LessonProgress.objects.get(customer=demo.customer, lesson=first).status == "completed"

    # "Open next lesson" goes on along the path.
    lesson.get_by_role("button", name="Open next lesson").click()
    lesson.get_by_role("heading", level=2, name=second.title).wait_for()


def test_still_stuck_hands_the_context_to_the_product(page, live_server, demo):
    lesson_page = demo.lessons[0]
    open_demo(page, live_server)
    shadow(page).locator(f'.wp-step[data-lesson-id="{lesson_page.pk}"] button').click()
    support = shadow(page).get_by_test_id("support")

    support.get_by_label("What are you trying to do?").fill("I cannot find the send button")
    support.get_by_role("button", name="Contact support").click()

    # The product's callback (onHelpRequested) opened its own support chat, and the
    # lesson closed so that the chat is not under it...
    chat = page.locator("#support-chat")
    chat.wait_for(state="visible")
    assert lesson_page.title in chat.inner_text()
    assert "I cannot find the send button" in chat.inner_text()
    shadow(page).get_by_test_id("lesson").wait_for(state="hidden")
    page.locator("#chat-messages").click()  # reachable: the page is not inert
    # ...and the host element got a `waypoint:help-requested` CustomEvent with the context.
    events = page.evaluate(
        "() => window.demoEvents.filter(e => e.type === 'waypoint:help-requested')"
    )
    assert len(events) == 1
    context = events[0]["detail"]
    assert json.dumps(context)
    assert lesson_page.title in json.dumps(context)


# --- Keyboard and isolation ---------------------------------------------------------------


def test_keyboard_only_open_and_close_a_lesson(page, live_server, demo):
    open_demo(page, live_server)

    for _ in range(60):
        page.keyboard.press("Tab")
        focused = active_in_widget(page)
        if focused and focused["action"] == "open-next":
            break
    else:
        pytest.fail("Tab never reached the next-lesson button")
    outline = page.evaluate(
        "() => getComputedStyle(document.querySelector('#waypoint').shadowRoot.activeElement)"
        ".outlineStyle"
    )
    assert outline != "none", "the focused button has no visible focus"

    page.keyboard.press("Enter")
    page.wait_for_selector(f"{HOST} .wp-lesson")
    focused = active_in_widget(page)
    assert focused["tag"] == "H2" and "wp-lesson-title" in focused["cls"]

    page.keyboard.press("Tab")
    assert active_in_widget(page)["tag"] in {"BUTTON", "A", "INPUT", "PRE"}

    page.keyboard.press("Escape")
    assert not shadow(page).get_by_test_id("lesson").is_visible()
    assert active_in_widget(page)["action"] == "open-next"


def test_quiz_choices_are_labelled_radio_inputs(page, live_server, demo):
    open_demo(page, live_server)
    shadow(page).locator("[data-action=open-next]").click()
    quiz = shadow(page).locator('[data-block="quiz"]')
    quiz.wait_for()

    radios = quiz.get_by_role("radio")

    assert radios.count() == 3
    assert quiz.get_by_role("radio", name="Viewed").count() == 1
    assert quiz.get_by_role("group").count() == 1  # fieldset + legend


HOSTILE_CSS = """
* { color: red !important; font-size: 40px !important; font-family: serif !important;
    line-height: 3 !important; background: yellow !important; }
button { border: 5px dashed lime !important; }
.wp-card, .wp-card-title, h3 { display: none !important; }
"""


def test_hostile_page_css_does_not_reach_into_the_widget(page, live_server, demo):
    open_demo(page, live_server)
    page.add_style_tag(content=HOSTILE_CSS)

    title = shadow(page).locator(".wp-card-title")
    style = title.evaluate(
        "el => { const s = getComputedStyle(el); return {color: s.color, size: s.fontSize,"
        " family: s.fontFamily, display: s.display}; }"
    )
    assert style["color"] != "rgb(255, 0, 0)"
    assert style["size"] == "16px"
    assert style["family"].split(",")[0].strip() != "serif"
    assert style["display"] == "block"
    button = shadow(page).locator("[data-action=open-next]")
    assert button.evaluate("el => getComputedStyle(el).borderStyle") != "dashed"
    screenshot(page, "hostile-css", full_page=True)


def test_widget_styles_do_not_leak_into_the_page(page, live_server, demo):
    open_demo(page, live_server)
    page.evaluate(
        """() => { const b = document.createElement('button'); b.className = 'wp-btn';
                   b.id = 'outside'; b.textContent = 'x'; document.body.appendChild(b);
                   const h = document.createElement('h3'); h.className = 'wp-card-title';
                   h.id = 'outside-h'; document.body.appendChild(h); }"""
    )

    background = page.locator("#outside").evaluate("el => getComputedStyle(el).backgroundColor")
    weight = page.locator("#outside-h").evaluate("el => getComputedStyle(el).fontSize")

    assert background != "rgb(14, 159, 110)"  # the widget's (themed) accent
    assert weight != "16px"


def test_theme_variables_on_the_host_restyle_the_widget(page, live_server, demo):
    open_demo(page, live_server)

    page.evaluate(
        "() => document.querySelector('#waypoint').style.setProperty("
        "'--waypoint-accent', 'rgb(200, 30, 90)')"
    )

    # (polled: the button's colour change is animated)
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('#waypoint').shadowRoot"
        ".querySelector('[data-action=open-next]')).backgroundColor === 'rgb(200, 30, 90)'"
    )


# --- Failures -----------------------------------------------------------------------------


@pytest.mark.parametrize("failure", ["503", "500", "network"])
def test_api_down_shows_a_quiet_message(page, live_server, demo, failure):
    def fail(route):
        if failure == "network":
            route.abort("connectionrefused")
        else:
            route.fulfill(
                status=int(failure),
                content_type="application/json",
                body='{"code": "unavailable", "message": "Down for maintenance"}',
            )

    page.route(re.compile(r".*/api/v1/me/.*"), fail)
    page.goto(f"{live_server.url}/demo/")

    page.wait_for_selector(f"{HOST}[data-waypoint-state=unavailable]")
    assert shadow(page).get_by_text(QUIET_MESSAGE).is_visible()
    assert page.locator("h1").inner_text().startswith("Good morning")  # the page itself works
    # (the `page` fixture asserts that nothing was thrown into the page)


def test_html_from_the_api_is_sanitised_again_in_the_browser(page, live_server, demo):
    lesson_page = demo.lessons[0]
    hostile = {
        "id": lesson_page.pk,
        "title": "Hostile",
        "summary": "",
        "duration_minutes": 1,
        "level": "beginner",
        "locale": "en",
        "features": [],
        "url": "",
        "prerequisites": [],
        "html": "",
        "blocks": [
            {
                "id": "p1",
                "type": "paragraph",
                "value": '<p>Hi<img src="x" onerror="window.__pwned=1">'
                '<script>window.__pwned=2</script><a href="javascript:window.__pwned=3">x</a>'
                '<iframe src="javascript:window.__pwned=4"></iframe></p>',
            },
            {
                "id": "c1",
                "type": "callout",
                "value": {"style": "tip", "text": '<p onclick="window.__pwned=5">t</p>'},
            },
            {"id": "t1", "type": "try_it", "value": {"label": "Go", "path": "javascript:alert(1)"}},
        ],
    }

    def serve(route):
        if route.request.method == "GET":
            route.fulfill(status=200, content_type="application/json", body=json.dumps(hostile))
        else:
            route.continue_()

    page.route(re.compile(rf".*/api/v1/me/lessons/{lesson_page.pk}$"), serve)
    open_demo(page, live_server)
    shadow(page).locator(f'.wp-step[data-lesson-id="{lesson_page.pk}"] button').click()
    shadow(page).get_by_role("heading", name="Hostile").wait_for()
    page.wait_for_timeout(300)

    found = page.evaluate(
        """() => { const root = document.querySelector('#waypoint').shadowRoot;
          const all = [...root.querySelectorAll('*')];
          return {
            pwned: window.__pwned || null,
            scripts: root.querySelectorAll('script, iframe').length,
            handlers: all.filter(
              el => [...el.attributes].some(a => a.name.startsWith('on'))).length,
            jsLinks: all.filter(
              el => /^\\s*javascript:/i.test(el.getAttribute('href') || '')).length,
          }; }"""
    )
    assert found == {"pwned": None, "scripts": 0, "handlers": 0, "jsLinks": 0}
    assert shadow(page).locator('[data-block="try_it"]').count() == 0


# --- Embedding from another origin ------------------------------------------------------


def host_page(live_server, *, key: str, token: str, title: str = "Product") -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title></head><body><h1>{title}</h1><div id="waypoint"></div>
<script src="{live_server.url}/static/waypoint/widget.js" data-key="{key}"
  data-token="{token}" data-target="#waypoint" async></script></body></html>"""


def test_cross_origin_embed_from_an_allowed_origin_works(page, live_server, page_server, settings):
    origin, pages = page_server()
    world = build_ledgerly(allowed_origins=[origin])
    token = customer_token_mint(
        signing_secret=world.keys.signing_secret, external_id=world.customer.external_id
    )
    pages["/app"] = host_page(live_server, key=world.keys.publishable_key, token=token)

    page.goto(f"{origin}/app")

    page.wait_for_selector(f"{HOST}[data-waypoint-state=ready]")
    assert progress_text(page) == "0 of 3 done"
    page.evaluate(
        """() => { window.helpEvents = [];
          document.querySelector('#waypoint').addEventListener('waypoint:help-requested',
            (event) => window.helpEvents.push(event.detail)); }"""
    )
    shadow(page).locator("[data-action=open-next]").click()
    # Without an onHelpRequested callback, the lesson stays open and says it was sent.
    shadow(page).get_by_role("button", name="Contact support").click()
    shadow(page).get_by_text("We've let the support team know.").wait_for()
    assert len(page.evaluate("() => window.helpEvents")) == 1
    shadow(page).get_by_role("button", name="Mark as complete").click()
    shadow(page).get_by_text("Lesson completed").first.wait_for()
    page.wait_for_function(
        "() => document.querySelector('#waypoint').shadowRoot"
        ".querySelector('[data-testid=path-progress]').textContent === '1 of 3 done'"
    )


def test_cross_origin_embed_from_an_unlisted_origin_is_refused(page, live_server, page_server):
    origin, pages = page_server()
    world = build_ledgerly(allowed_origins=["https://app.ledgerly.example"])
    token = customer_token_mint(
        signing_secret=world.keys.signing_secret, external_id=world.customer.external_id
    )
    pages["/app"] = host_page(live_server, key=world.keys.publishable_key, token=token)
    api_responses = []
    page.on(
        "response",
        lambda response: (
            api_responses.append(response.status) if "/api/v1/me/" in response.url else None
        ),
    )

    page.goto(f"{origin}/app")

    page.wait_for_selector(f"{HOST}[data-waypoint-state=unavailable]")
    assert shadow(page).get_by_text(QUIET_MESSAGE).is_visible()
    assert shadow(page).get_by_test_id("next-lesson").count() == 0
    assert all(status >= 400 for status in api_responses)


def test_an_expired_token_is_refreshed_with_get_token(page, live_server, page_server):
    origin, pages = page_server()
    world = build_ledgerly(allowed_origins=[origin])
    fresh = customer_token_mint(
        signing_secret=world.keys.signing_secret, external_id=world.customer.external_id
    )
    import datetime as dt

    expired = customer_token_mint(
        signing_secret=world.keys.signing_secret,
        external_id=world.customer.external_id,
        lifetime=dt.timedelta(minutes=-10),
    )
    pages["/app"] = f"""<!doctype html><html><body><div id="wp"></div>
<script>window.Waypoint = window.Waypoint || {{q: [], init: function (o) {{ this.q.push(o); }}}};
window.refreshes = 0;
Waypoint.init({{key: {json.dumps(world.keys.publishable_key)}, token: {json.dumps(expired)},
  target: "#wp", getToken: async () => {{ window.refreshes += 1; return {json.dumps(fresh)}; }}}});
</script><script src="{live_server.url}/static/waypoint/widget.js" async></script></body></html>"""

    page.goto(f"{origin}/app")

    page.wait_for_selector("#wp[data-waypoint-state=ready]")
    assert page.evaluate("() => window.refreshes") >= 1
