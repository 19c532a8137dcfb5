"""Turning an event name (and its properties) into a usage signal.

Pure functions over a ``MappingTable`` built from the workspace's EventMapping snippets, so
ingestion maps a whole batch without a query and a remap of history gives the same answer.
Precedence: a workspace mapping with a matching property value, then the workspace's
mapping for the bare event name, then the built-in names, then ``event:<name>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from education.events.models import SignalKind

# Built-in lesson events: ``lesson`` holds the lesson page id. Completing weighs more than
# viewing: it is the stronger sign that the lesson mattered to the customer.
LESSON_EVENT_WEIGHTS = {"Lesson Viewed": 1.0, "Lesson Completed": 3.0}
# Built-in product signals: ``feature`` holds the feature key.
FEATURE_EVENT_SIGNALS = {
    "Error Encountered": (SignalKind.ERROR, 1.0),
    "Support Ticket Opened": (SignalKind.TICKET, 2.0),
}
MAX_FEATURE_KEY_LENGTH = 80


@dataclass(frozen=True, slots=True)
class Signal:
    feature_key: str
    kind: str
    signal: str
    weight: float


@dataclass(frozen=True, slots=True)
class MappingRule:
    event_name: str
    property_name: str
    property_value: str
    feature_key: str
    kind: str
    weight: float

    @property
    def signal(self) -> Signal:
        return Signal(self.feature_key, self.kind, f"{self.kind}:{self.feature_key}", self.weight)


@dataclass(frozen=True)
class MappingTable:
    """A workspace's mappings, indexed by event name."""

    by_name: dict[str, Signal] = field(default_factory=dict)
    by_property: dict[str, tuple[tuple[str, str, Signal], ...]] = field(default_factory=dict)

    @classmethod
    def from_rules(cls, rules: Iterable[MappingRule]) -> MappingTable:
        by_name: dict[str, Signal] = {}
        by_property: dict[str, list[tuple[str, str, Signal]]] = {}
        # Sorted, so that when several property rules match, the same one always wins.
        ordered = sorted(rules, key=lambda r: (r.event_name, r.property_name, r.property_value))
        for rule in ordered:
            if rule.property_name:
                by_property.setdefault(rule.event_name, []).append(
                    (rule.property_name, rule.property_value, rule.signal)
                )
            else:
                by_name[rule.event_name] = rule.signal
        return cls(by_name, {name: tuple(rules) for name, rules in by_property.items()})

    @property
    def event_names(self) -> set[str]:
        return set(self.by_name) | set(self.by_property)

    def resolve(self, name: str, properties: dict[str, Any] | None) -> Signal:
        properties = properties or {}
        for property_name, property_value, signal in self.by_property.get(name, ()):
            if _as_text(properties.get(property_name)) == property_value:
                return signal
        signal = self.by_name.get(name)
        if signal is not None:
            return signal
        return builtin_signal(name, properties) or unmapped_signal(name)


def _as_text(value: Any) -> str | None:
    # Authors type property values as text; numbers and booleans match their JSON text.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float):
        return str(value)
    return None


def builtin_signal(name: str, properties: dict[str, Any]) -> Signal | None:
    if name in LESSON_EVENT_WEIGHTS:
        lesson = properties.get("lesson")
        if isinstance(lesson, str) and lesson.isdigit():
            lesson = int(lesson)
        if isinstance(lesson, int) and not isinstance(lesson, bool) and lesson > 0:
            return Signal("", SignalKind.LESSON, f"lesson:{lesson}", LESSON_EVENT_WEIGHTS[name])
        return None
    if name in FEATURE_EVENT_SIGNALS:
        feature = properties.get("feature")
        if isinstance(feature, str) and 0 < len(feature.strip()) <= MAX_FEATURE_KEY_LENGTH:
            kind, weight = FEATURE_EVENT_SIGNALS[name]
            feature = feature.strip()
            return Signal(feature, kind, f"{kind}:{feature}", weight)
    return None


def unmapped_signal(name: str) -> Signal:
    return Signal("", SignalKind.USED, f"event:{name}", 1.0)
