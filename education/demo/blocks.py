"""Small builders for lesson body blocks.

Each builder returns a ``(block_type, value)`` tuple in exactly the shape the CMS loader
expects (see ``education.demo.content``). Text written in triple-quoted strings is folded to
single spaces, so the source can stay wrapped at 100 columns while the data stays clean.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

Block = tuple[str, Any]

_TAG = re.compile(r"<[^>]+>")


def fold(text: str) -> str:
    """Collapse every run of whitespace (newlines included) to one space."""
    return " ".join(text.split())


def plain_words(html: str) -> int:
    """Number of words in an HTML fragment once its tags are removed."""
    return len(_TAG.sub(" ", html).split())


def p(text: str) -> Block:
    """A rich-text paragraph."""
    return ("paragraph", f"<p>{fold(text)}</p>")


def ul(intro: str, *items: str) -> Block:
    """A rich-text paragraph followed by a bulleted list."""
    lis = "".join(f"<li>{fold(item)}</li>" for item in items)
    head = f"<p>{fold(intro)}</p>" if intro else ""
    return ("paragraph", f"{head}<ul>{lis}</ul>")


def callout(style: str, text: str) -> Block:
    return ("callout", {"style": style, "text": f"<p>{fold(text)}</p>"})


def tip(text: str) -> Block:
    return callout("tip", text)


def note(text: str) -> Block:
    return callout("note", text)


def warning(text: str) -> Block:
    return callout("warning", text)


def steps(title: str, *items: tuple[str, str]) -> Block:
    """Numbered steps: each item is ``(step title, step text)``."""
    return (
        "steps",
        {
            "title": fold(title),
            "steps": [{"title": fold(t), "text": f"<p>{fold(x)}</p>"} for t, x in items],
        },
    )


def code(language: str, source: str) -> Block:
    return ("code", {"language": language, "code": textwrap.dedent(source).strip() + "\n"})


def video(url: str, caption: str, transcript: str) -> Block:
    return ("video", {"url": url, "caption": fold(caption), "transcript": fold(transcript)})


def quiz(question: str, choices: list[tuple[str, bool]], explanation: str) -> Block:
    return (
        "quiz",
        {
            "question": fold(question),
            "choices": [{"text": fold(text), "correct": bool(ok)} for text, ok in choices],
            "explanation": fold(explanation),
        },
    )


def try_it(label: str, path: str, description: str) -> Block:
    return ("try_it", {"label": fold(label), "path": path, "description": fold(description)})


def lesson(
    slug: str,
    title: str,
    summary: str,
    *,
    minutes: int,
    level: str,
    features: list[str],
    prerequisites: list[str] | None = None,
    body: list[Block],
) -> dict[str, Any]:
    return {
        "slug": slug,
        "title": title,
        "summary": fold(summary),
        "duration_minutes": minutes,
        "level": level,
        "features": list(features),
        "prerequisites": list(prerequisites or []),
        "body": list(body),
    }


def block_words(block: Block) -> int:
    """Human-readable words in one block (code is not counted)."""
    kind, value = block
    if kind == "paragraph":
        return plain_words(value)
    if kind == "callout":
        return plain_words(value["text"])
    if kind == "steps":
        return plain_words(value["title"]) + sum(
            plain_words(s["title"]) + plain_words(s["text"]) for s in value["steps"]
        )
    if kind == "video":
        return plain_words(value["caption"]) + plain_words(value["transcript"])
    if kind == "quiz":
        return (
            plain_words(value["question"])
            + sum(plain_words(c["text"]) for c in value["choices"])
            + plain_words(value["explanation"])
        )
    if kind == "try_it":
        return plain_words(value["label"]) + plain_words(value["description"])
    return 0


def body_words(body: list[Block]) -> int:
    return sum(block_words(b) for b in body)
