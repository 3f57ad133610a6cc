"""Whose data a row is, declared next to every table and checked here."""

from __future__ import annotations

from peer_support.storage.ownership import (SUBJECTS, Follows, NotPersonal, Owned, declaration,
                                            undeclared_tables)
from peer_support.storage.tables import entity_classes


def test_every_synced_table_says_whose_rows_it_holds():
    assert undeclared_tables(entity_classes()) == []


def test_a_table_without_a_declaration_is_reported():
    class Scratch:  # stands for a new table someone forgot to declare
        __tablename__ = "scratch_notes"

    class Declared(Scratch):
        __owner__ = NotPersonal("test")

    assert undeclared_tables({"scratch_notes": Scratch}) == ["scratch_notes"]
    # A declaration is the table's own, never inherited from a parent class.
    assert undeclared_tables({"declared": Declared, "scratch_notes": Scratch}) == ["scratch_notes"]


def test_declarations_name_real_columns_and_reach_the_subject():
    models = entity_classes()
    for table, model in models.items():
        found = declaration(model)
        if isinstance(found, NotPersonal):
            assert found.why
            assert set(found.free_text) <= set(model.__table__.columns.keys()), table
            continue
        if isinstance(found, Follows):
            assert found.id_column in model.__table__.columns, table
            continue
        for owned in found:
            assert isinstance(owned, Owned) and owned.subject in SUBJECTS, table
            columns = set(model.__table__.columns.keys())
            assert set(owned.personal) | set(owned.files) | set(owned.free_text) <= columns, table
            # Follow the chain of links: it must end at the subject's own table.
            current = model
            for link in owned.via:
                column = current.__table__.columns[link]
                assert column.foreign_keys, (table, link)
                current = models[next(iter(column.foreign_keys)).column.table.name]
            assert current.__tablename__ == owned.subject, table


def test_a_delivery_run_is_the_volunteers_and_never_a_familys():
    models = entity_classes()
    run = declaration(models["pack_run"])
    assert [owned.subject for owned in run] == ["volunteer"] and run[0].personal == ()
    families_personal = {table for table, model in models.items()
                         if isinstance(declaration(model), tuple)
                         for owned in declaration(model) if owned.subject == "family" and owned.personal}
    assert {"family", "family_member", "fund_application", "pack", "pack_event"} <= families_personal
    assert "meeting" not in families_personal and "pack_run" not in families_personal
