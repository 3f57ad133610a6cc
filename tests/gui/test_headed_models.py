"""The app's flat table models share one header rule (ui/widgets/headed_model.py): every column has
its translated title, and a section past the last has none instead of an IndexError inside Qt."""

from __future__ import annotations

from PySide6.QtCore import Qt


def test_every_flat_table_titles_its_columns_and_nothing_past_them(qapp, context):
    from peer_support.ui.families.import_dialog import ImportPreviewModel
    from peer_support.ui.families.model import FamilyTableModel, VolunteerTableModel
    from peer_support.ui.fund.models import ApplicationTableModel
    from peer_support.ui.newsletter import IssueTableModel
    from peer_support.ui.packs.models import PackTableModel, RecentScansModel, RunProgressModel
    from peer_support.ui.sync.conflicts import ConflictTableModel
    from peer_support.ui.trust.page import RowsModel

    horizontal, display = Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole
    for model in (ApplicationTableModel(), IssueTableModel(), PackTableModel(), RecentScansModel(),
                  RunProgressModel(), RowsModel(["Name", "When"]), ConflictTableModel(), ImportPreviewModel(),
                  FamilyTableModel(context), VolunteerTableModel()):
        columns = model.columnCount()
        titles = [model.headerData(section, horizontal, display) for section in range(columns)]
        assert columns > 1 and all(titles), (type(model).__name__, titles)
        assert model.headerData(columns, horizontal, display) is None, type(model).__name__
        assert model.headerData(0, Qt.Orientation.Vertical, display) is None
