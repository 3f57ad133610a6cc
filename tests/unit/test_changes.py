"""The change vocabulary: every action says which kinds of data it changed."""

from __future__ import annotations

from datetime import date

from peer_support.domain.changes import Kind, Saved
from peer_support.domain.families import FamilyDraft
from peer_support.domain.fund import ApplicationDraft, ApprovalDraft, Channel, Need, PotDraft
from peer_support.services import fund
from peer_support.services.families import save_new_family, update_family
from peer_support.services.history import undo_action
from peer_support.services.settings import get_group_settings, save_group_settings
from peer_support.storage.kinds import KIND_OF_TABLE
from peer_support.storage.tables import entity_classes


def test_every_logged_table_declares_its_kind():
    assert set(entity_classes()) <= set(KIND_OF_TABLE)  # a test's made-up table leaves no trace here


def test_a_family_edit_names_families_and_its_undo_names_them_too(context):
    saved = save_new_family(context, FamilyDraft(name="Ann Smith", phone="07700 900123"))
    assert isinstance(saved, Saved) and saved.changes.kinds == {Kind.FAMILY} and saved.changes.rows >= 1
    edited = update_family(context, saved.record.reference, FamilyDraft(name="Anne Smith"))
    undone = undo_action(context, edited.changes.action_id).changes
    assert undone.kinds == {Kind.FAMILY} and undone.action_id != edited.changes.action_id


def test_fund_decisions_return_the_application_and_the_changes(context):
    family = save_new_family(context, FamilyDraft(name="Ann Smith")).record
    fund.create_pot(context, PotDraft(name="Winter", funder="Council", budget_pence=500_00,
                                      opens_on=date(2026, 11, 1)))
    applied = fund.create_application(context, ApplicationDraft(
        pot="Winter", family_reference=family.reference, received_on=date(2026, 11, 20),
        channel=Channel.PHONE, need=next(iter(Need)),
        requested_pence=50_00))
    approved = fund.approve_application(context, applied.record.reference,
                                        ApprovalDraft(50_00, "Claire", date(2026, 11, 21)))
    assert approved.record.reference == applied.record.reference
    assert approved.record.status == "approved" and approved.changes.kinds == {Kind.FUND}


def test_an_action_that_changes_nothing_has_no_rows(context):
    save_group_settings(context, get_group_settings(context))
    again = save_group_settings(context, get_group_settings(context))
    assert again.changes.rows == 0 and not again.changes.kinds


# Public service functions that write without returning Saved, each with its reason.
NOT_SAVED = {
    "users.choose_user": "signing in on this laptop; adds a volunteer only for a new name",
    "families.create_family": "shorthand for save_new_family(...).record",
    "families_volunteers.create_volunteer": "shorthand for save_new_volunteer(...).record",
}


def _writing_functions():
    """(module.name, return annotation) of every public function in services/ (sync machinery aside)
    that opens a unit of work itself or through a private helper of its module."""
    import ast
    from pathlib import Path

    import peer_support.services as services

    root = Path(services.__file__).parent
    for path in sorted(root.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}

        def writes(name: str, seen: frozenset[str] = frozenset()) -> bool:
            source = ast.unparse(functions[name])
            if ".transaction(" in source or "PlainWork(" in source:
                return True
            return any(isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                       and call.func.id in functions and call.func.id not in seen | {name}
                       and writes(call.func.id, seen | {name})
                       for call in ast.walk(functions[name]))

        for name, node in functions.items():
            if not name.startswith("_") and writes(name):
                yield f"{path.stem}.{name}", ast.unparse(node.returns) if node.returns else ""


def test_every_service_that_changes_something_returns_saved():
    found = dict(_writing_functions())
    assert {"users.add_user", "families_merge.merge_families", "history.undo_action"} <= set(found)
    others = {name: returns for name, returns in found.items()
              if name not in NOT_SAVED and "Saved" not in returns}
    assert others == {}
