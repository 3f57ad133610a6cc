"""Every dialog of the app, opened with realistic content: the fit test (720 px, four languages) and
the palette test (contrast) walk the same dialogs, and a dialog without a factory here fails a test.
Not a test module: imported by them."""

from __future__ import annotations

from peer_support import i18n


def ui_dialog_classes() -> set[type]:
    """Every QDialog subclass defined in peer_support.ui (its modules imported one by one)."""
    import importlib
    import inspect
    import pkgutil

    from PySide6.QtWidgets import QDialog

    import peer_support.ui as ui

    found = set()
    for module_info in pkgutil.walk_packages(ui.__path__, "peer_support.ui."):
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, QDialog) and cls.__module__ == module.__name__:
                found.add(cls)
    return found


def _sample_sheet(tmp_path):
    from peer_support.services.families_sheet import read_sheet

    path = tmp_path / "families.csv"
    path.write_text("name,phone,postcode,area\nAnna Kowalska,07700 900123,CT9 1AA,Cliftonville\n"
                    "Jens Hansen,,CT9 2BB,Westbrook\n", encoding="utf-8")
    return read_sheet(path)


def dialog_factories(context, tmp_path) -> dict[str, object]:
    """How to open each dialog with realistic content; families' forms show an error (the tallest state)."""
    from PySide6.QtGui import QUndoStack

    from peer_support.services import backups, outcomes, privacy, retention
    from peer_support.services.families import get_family
    from peer_support.services.fund_queries import get_pot, list_applications, list_pots
    from peer_support.services.packs import list_runs
    from peer_support.ui import first_run, help as help_ui
    from peer_support.ui.dashboard.report_dialog import PeriodReportDialog
    from peer_support.ui.families.form import FamilyDialog
    from peer_support.ui.families.import_dialog import ImportDialog
    from peer_support.ui.families.merge_dialog import MergeDialog
    from peer_support.ui.families.volunteers import VolunteerDialog
    from peer_support.ui.fund.application_dialog import ApplicationDialog
    from peer_support.ui.fund.decision_dialog import DecisionDialog
    from peer_support.ui.fund.payment_dialog import PaymentDialog
    from peer_support.ui.fund.pot_dialog import PotDialog
    from peer_support.ui.fund.report_dialog import ReportDialog
    from peer_support.ui.meetings.register_panel import NewcomerDialog
    from peer_support.ui.meetings.schedule_dialog import ScheduleDialog
    from peer_support.ui.outcomes.editor import FormEditorDialog
    from peer_support.ui.outcomes.fill_in import FillInDialog
    from peer_support.ui.packs.batch_dialog import BatchDialog
    from peer_support.ui.packs.runs import MovePackDialog
    from peer_support.ui.trust.dialogs import (EraseConfirmDialog, PassphraseDialog, RestorePreviewDialog,
                                               UserPickerDialog)
    from peer_support.ui.trust.page import PinDialog, RolesDialog
    from peer_support.ui.trust.retention import MentionsDialog, RetentionConfirmDialog

    def family_with_error():
        dialog = FamilyDialog(context, get_family(context, "F0001"))
        dialog.email.setText("not an email")
        dialog._on_save_clicked()
        assert dialog.error_label.isVisibleTo(dialog)
        return dialog

    def application(status):
        return next(a for p in list_pots(context) for a in list_applications(context, pot=p.name)
                    if a.status.value == status)

    def retention_due():
        retention.set_retention_years(context, 1)
        return retention.due_families(context)

    pot = list_pots(context)[0]
    plan = privacy.plan_erasure(context, "F0001")
    form = outcomes.list_forms(context)[0]
    return {
        "FamilyDialog": family_with_error,
        "VolunteerDialog": lambda: VolunteerDialog(context),
        "ImportDialog": lambda: ImportDialog(context, _sample_sheet(tmp_path)),
        "MergeDialog": lambda: MergeDialog(context, "F0001", "F0002"),
        "PotDialog": lambda: PotDialog(context, QUndoStack()),
        "ApplicationDialog": lambda: ApplicationDialog(context, QUndoStack(), pot.name),
        "DecisionDialog": lambda: DecisionDialog(context, QUndoStack(), application("received"),
                                                 get_pot(context, application("received").pot)),
        "PaymentDialog": lambda: PaymentDialog(context, QUndoStack(), application("approved")),
        "ReportDialog": lambda: ReportDialog(context, pot.name, pot.opens_on),
        "ScheduleDialog": lambda: ScheduleDialog(context, QUndoStack()),
        "NewcomerDialog": lambda: NewcomerDialog("Mette Hansen"),
        "BatchDialog": lambda: BatchDialog(context),
        "MovePackDialog": lambda: MovePackDialog(list_runs(context, "B01"), 1),
        "PeriodReportDialog": lambda: PeriodReportDialog(context),
        "FormEditorDialog": lambda: FormEditorDialog(form, lambda draft: None),
        "FillInDialog": lambda: FillInDialog(context, form, None),
        "HelpDialog": lambda: help_ui.HelpDialog(help_ui.TOPICS[0]),
        "FirstRunDialog": lambda: first_run.FirstRunDialog(),
        "RestorePreviewDialog": lambda: RestorePreviewDialog(
            backups.preview_backup(context, backups.back_up_now(context).path)),
        "PassphraseDialog": lambda: PassphraseDialog(i18n._("Enter the current passphrase and choose a new one."),
                                                     new=True, current=True),
        "EraseConfirmDialog": lambda: EraseConfirmDialog(plan, lambda also: privacy.plan_erasure(context, "F0001", also)),
        "UserPickerDialog": lambda: UserPickerDialog(["Claire", "Tomasz", "Jens"], "Claire", ""),
        "RolesDialog": lambda: RolesDialog("Claire", ()),
        "PinDialog": lambda: PinDialog("Claire"),
        "RetentionConfirmDialog": lambda: RetentionConfirmDialog(retention_due()),
        "MentionsDialog": lambda: MentionsDialog(plan.mentions),
    }


def every_dialog(qtbot, context, tmp_path, label: str):
    """Open each dialog in turn, shown with events processed; yields (name, dialog), then saves its
    picture as tmp_path/<label>-<name>.png and closes it."""
    from PySide6.QtWidgets import QApplication

    for name, make in dialog_factories(context, tmp_path).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        QApplication.processEvents()
        yield name, dialog
        dialog.grab().save(str(tmp_path / f"{label}-{name}.png"))
        dialog.close()
