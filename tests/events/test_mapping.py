"""Event names to signals: mapping tables, built-in names, remapping history."""

from unittest import mock

import pytest
from django.core.management import call_command

from education.events.mapping import MappingRule, MappingTable
from education.events.models import UsageEvent
from education.events.services import event_mappings_changed, usage_events_remap
from education.events.tasks import remap_usage_events
from tests.events.conftest import track
from tests.factories import EventMappingFactory, ProductFeatureFactory


def signal_of(table: MappingTable, name: str, properties: dict | None = None):
    signal = table.resolve(name, properties)
    return (signal.signal, signal.kind, signal.weight)


TABLE = MappingTable.from_rules(
    [
        MappingRule("Invoice Sent", "", "", "invoices", "used", 2.0),
        MappingRule("Invoice Sent", "channel", "email", "email-invoices", "used", 4.0),
        MappingRule("Export Failed", "", "", "exports", "error", 1.5),
        MappingRule("Lesson Viewed", "source", "tour", "tour", "used", 1.0),
    ]
)


def test_a_property_rule_beats_the_bare_event_rule():
    assert signal_of(TABLE, "Invoice Sent", {"channel": "email"}) == (
        "used:email-invoices",
        "used",
        4.0,
    )
    assert signal_of(TABLE, "Invoice Sent", {"channel": "api"}) == ("used:invoices", "used", 2.0)
    assert signal_of(TABLE, "Export Failed") == ("error:exports", "error", 1.5)


def test_property_values_match_numbers_and_booleans_by_their_text():
    table = MappingTable.from_rules([MappingRule("E", "count", "3", "f", "used", 1.0)])
    assert signal_of(table, "E", {"count": 3})[0] == "used:f"


def test_built_in_lesson_events_map_to_the_lesson_column():
    assert signal_of(TABLE, "Lesson Viewed", {"lesson": 12}) == ("lesson:12", "lesson", 1.0)
    assert signal_of(TABLE, "Lesson Completed", {"lesson": "12"}) == ("lesson:12", "lesson", 3.0)
    assert signal_of(TABLE, "Lesson Viewed", {"lesson": "intro"})[0] == "event:Lesson Viewed"
    # a workspace rule on a built-in name wins
    assert signal_of(TABLE, "Lesson Viewed", {"source": "tour", "lesson": 1})[0] == "used:tour"


def test_built_in_error_and_ticket_events_name_the_feature():
    assert signal_of(TABLE, "Error Encountered", {"feature": "exports"})[:2] == (
        "error:exports",
        "error",
    )
    assert signal_of(TABLE, "Support Ticket Opened", {"feature": "sso"})[:2] == (
        "ticket:sso",
        "ticket",
    )
    assert signal_of(TABLE, "Error Encountered")[0] == "event:Error Encountered"


def test_unmapped_names_are_their_own_signal():
    assert signal_of(TABLE, "Dashboard Opened") == ("event:Dashboard Opened", "used", 1.0)


def run_tasks_here():
    """Run the remap task in this process whatever the broker (CI uses a real one)."""
    return mock.patch.object(
        remap_usage_events,
        "apply_async",
        side_effect=lambda args, **options: remap_usage_events.apply(args=args),
    )


# --- Through ingestion --------------------------------------------------------------------


@pytest.mark.django_db
def test_ingestion_applies_the_workspaces_mappings(ingest, workspace):
    feature = ProductFeatureFactory(workspace=workspace, key="invoices")
    EventMappingFactory(workspace=workspace, event_name="Invoice Sent", feature=feature, weight=2)
    ingest.batch(
        [
            track("u1", event="Invoice Sent"),
            track("u1", event="Lesson Completed", properties={"lesson": 5}),
            track("u1", event="Whatever"),
        ]
    )
    signals = dict(UsageEvent.objects.values_list("name", "signal"))
    assert signals == {
        "Invoice Sent": "used:invoices",
        "Lesson Completed": "lesson:5",
        "Whatever": "event:Whatever",
    }


@pytest.mark.django_db
def test_a_mapping_change_reaches_new_events_and_history(
    ingest, workspace, django_capture_on_commit_callbacks
):
    ingest.batch([track("u1", event="Report Exported")])  # mappings now cached
    feature = ProductFeatureFactory(workspace=workspace, key="reports")
    mapping = EventMappingFactory(
        workspace=workspace, event_name="Report Exported", feature=feature
    )
    with run_tasks_here(), django_capture_on_commit_callbacks(execute=True):
        event_mappings_changed(workspace_id=workspace.pk)
    ingest.batch([track("u2", event="Report Exported")])
    assert set(UsageEvent.objects.values_list("signal", flat=True)) == {"used:reports"}

    mapping.delete()
    assert usage_events_remap(workspace=workspace) == 2
    assert set(UsageEvent.objects.values_list("signal", flat=True)) == {"event:Report Exported"}


@pytest.mark.django_db
def test_remap_events_command_remaps_one_workspace(ingest, workspace, other_workspace, capsys):
    ingest.batch([track("u1", event="Invoice Sent")])
    ingest.batch([track("u1", event="Invoice Sent")], key=other_workspace.issued_keys.write_key)
    feature = ProductFeatureFactory(workspace=workspace, key="invoices")
    EventMappingFactory(workspace=workspace, event_name="Invoice Sent", feature=feature)
    call_command("remap_events", "--workspace", workspace.slug)
    assert "1 event(s) remapped" in capsys.readouterr().out
    assert dict(UsageEvent.objects.values_list("workspace__slug", "signal")) == {
        workspace.slug: "used:invoices",
        other_workspace.slug: "event:Invoice Sent",
    }
