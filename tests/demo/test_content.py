"""The Ledgerly demo content is complete and valid (pure Python, no database)."""

from __future__ import annotations

import copy
import re

import pytest

from education.demo import content
from education.demo.blocks import body_words
from education.demo.content import (
    BUILTIN_EVENTS,
    EVENT_MAPPINGS,
    FEATURES,
    LESSONS,
    LOCALES,
    PATHS,
    TRANSLATIONS,
    count_quizzes,
    validate_content,
    with_prerequisites,
)


def test_validate_content_passes():
    validate_content()


def test_catalogue_sizes():
    assert len(LESSONS) >= 40
    assert len(FEATURES) >= 8
    assert len(PATHS) >= 5
    assert count_quizzes() >= 30
    assert len(LOCALES) >= 2 and LOCALES[0] == "en" and "fr" in LOCALES
    assert len(TRANSLATIONS["fr"]["lessons"]) >= 8
    assert len(TRANSLATIONS["fr"]["paths"]) >= 2


def test_every_feature_is_taught_and_tracked():
    keys = {f["key"] for f in FEATURES}
    taught = {key for lesson in LESSONS for key in lesson["features"]}
    assert taught == keys
    for key in keys:
        tracked = [m for m in EVENT_MAPPINGS if m["feature"] == key]
        assert 2 <= len(tracked) <= 4, key
        assert any(m["kind"] == "used" for m in tracked), key
        assert any(m["kind"] == "error" for m in tracked), key
    assert not {m["event_name"] for m in EVENT_MAPPINGS} & set(BUILTIN_EVENTS)


def test_lessons_are_real_micro_lessons():
    for lesson in LESSONS:
        assert 1 <= lesson["duration_minutes"] <= 10
        assert 150 <= body_words(lesson["body"]) <= 400, lesson["slug"]
        text = " ".join(str(value) for _, value in lesson["body"]).lower()
        assert "lorem" not in text and "ipsum" not in text
    kinds = {kind for lesson in LESSONS for kind, _ in lesson["body"]}
    assert kinds == set(content.BLOCK_TYPES)
    multi_answer = [
        v
        for lesson in LESSONS
        for k, v in lesson["body"]
        if k == "quiz" and sum(c["correct"] for c in v["choices"]) > 1
    ]
    assert len(multi_answer) >= 3
    videos = [v for lesson in LESSONS for k, v in lesson["body"] if k == "video"]
    assert len(videos) >= 3 and all(v["transcript"] for v in videos)
    api_lessons = [lesson for lesson in LESSONS if "api-webhooks" in lesson["features"]]
    assert all(any(k == "code" for k, _ in lesson["body"]) for lesson in api_lessons)


def test_slugs_unique_and_prerequisites_are_earlier():
    seen: set[str] = set()
    for lesson in LESSONS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", lesson["slug"])
        assert lesson["slug"] not in seen
        assert set(lesson["prerequisites"]) <= seen
        seen.add(lesson["slug"])
    assert not seen & {p["slug"] for p in PATHS}


def test_with_prerequisites_is_transitive_and_ordered():
    slugs = with_prerequisites(["recover-failed-recurring-charges"])
    assert slugs[-1] == "recover-failed-recurring-charges"
    assert {"create-your-first-invoice", "set-up-your-business-profile"} <= set(slugs)
    order = [lesson["slug"] for lesson in LESSONS]
    assert slugs == sorted(slugs, key=order.index)


def test_paths_cover_plans_and_features():
    plans = {p["audience_plan"] for p in PATHS}
    assert {"starter", "growth", "enterprise", ""} <= plans
    for path in PATHS:
        assert len(path["lessons"]) >= 4


def test_translations_keep_structure_and_answers():
    by_slug = {lesson["slug"]: lesson for lesson in LESSONS}
    for slug, item in TRANSLATIONS["fr"]["lessons"].items():
        original = by_slug[slug]["body"]
        assert [k for k, _ in item["body"]] == [k for k, _ in original]
        for (kind, ours), (_, theirs) in zip(item["body"], original, strict=True):
            if kind == "quiz":
                assert [c["correct"] for c in ours["choices"]] == [
                    c["correct"] for c in theirs["choices"]
                ]
                assert ours["question"] != theirs["question"]
        assert item["title"] != by_slug[slug]["title"]


def _broken(mutate):
    lessons = copy.deepcopy(LESSONS)
    mutate(lessons)
    with pytest.raises(ValueError) as info:
        validate_content(lessons=lessons)
    return str(info.value)


def _body_of(lessons, slug):
    return next(lesson for lesson in lessons if lesson["slug"] == slug)["body"]


def test_rejects_prerequisite_cycle():
    def mutate(lessons):
        lessons[0]["prerequisites"] = [lessons[1]["slug"]]  # lessons[1] requires lessons[0]

    message = _broken(mutate)
    assert "not an earlier lesson" in message
    assert "cycle" in message


def test_rejects_unknown_feature_duplicate_slug_and_bad_duration():
    def mutate(lessons):
        lessons[2]["features"] = ["telepathy"]
        lessons[3]["slug"] = lessons[4]["slug"]
        lessons[5]["duration_minutes"] = 11

    message = _broken(mutate)
    assert "unknown feature 'telepathy'" in message
    assert "duplicate slug" in message
    assert "duration_minutes" in message


def test_rejects_quiz_without_correct_answer_or_with_one_choice():
    def mutate(lessons):
        for kind, value in _body_of(lessons, "create-your-first-invoice"):
            if kind == "quiz":
                for choice in value["choices"]:
                    choice["correct"] = False
        for kind, value in _body_of(lessons, "connect-your-bank"):
            if kind == "quiz":
                del value["choices"][1:]

    message = _broken(mutate)
    assert "at least one choice must be correct" in message
    assert "needs 2 to 6 choices" in message


def test_rejects_bad_blocks_and_unsafe_html():
    def mutate(lessons):
        body = _body_of(lessons, "invite-your-team")
        body.append(("carousel", {}))
        body.append(("paragraph", "<p>Hi<script>alert(1)</script></p>"))
        body.append(("paragraph", '<p><a href="javascript:alert(1)">x</a></p>'))
        body.append(("callout", {"style": "danger", "text": "<p>x</p>"}))
        body.append(("code", {"language": "cobol", "code": "x"}))
        body.append(("try_it", {"label": "x", "path": "https://evil.example", "description": "d"}))
        body.append(("steps", {"title": "t", "steps": [{"title": "only one", "text": "<p>x</p>"}]}))

    message = _broken(mutate)
    for expected in (
        "unknown block type",
        "tag <script> is not allowed",
        "is not http(s), relative or mailto",
        "style must be one of",
        "language must be one of",
        "path must be an in-product path",
        "at least 2 steps",
    ):
        assert expected in message


def test_rejects_bad_paths_mappings_and_translations():
    paths = copy.deepcopy(PATHS)
    paths[0]["lessons"].append("no-such-lesson")
    paths[1]["audience_plan"] = "platinum"
    mappings = copy.deepcopy(EVENT_MAPPINGS)
    mappings.append({**mappings[0], "event_name": "Lesson Completed"})
    mappings.append({**mappings[0], "kind": "clicked", "event_name": "Something"})
    translations = copy.deepcopy(TRANSLATIONS)
    fr_lesson = translations["fr"]["lessons"]["create-your-first-invoice"]
    for kind, value in fr_lesson["body"]:
        if kind == "quiz":
            value["choices"][0]["correct"], value["choices"][1]["correct"] = True, False
    with pytest.raises(ValueError) as info:
        validate_content(paths=paths, mappings=mappings, translations=translations)
    message = str(info.value)
    assert "unknown lesson 'no-such-lesson'" in message
    assert "audience_plan" in message
    assert "built-in events are handled without a mapping" in message
    assert "kind must be one of" in message
    assert "fr lesson 'create-your-first-invoice'" in message


def test_minimums_are_enforced():
    with pytest.raises(ValueError, match="at least 40 lessons"):
        validate_content(lessons=LESSONS[:10], paths=[], translations={})
    validate_content(lessons=LESSONS[:10], paths=[], translations={}, minimums=False)
