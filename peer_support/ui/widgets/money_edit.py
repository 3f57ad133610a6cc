"""MoneyEdit: a line edit for GBP amounts in the UI language, giving integer pence.

Typing is free ("12.5", "£1,234.50", "1.234,50" in Danish); on leaving the
field the text is parsed with i18n.formatting.parse_money and shown again in
the locale's own form. A bad amount turns the field red with the reason as
its tooltip, and ``pence()`` raises the same translated ValidationError.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from peer_support.errors import ValidationError
from peer_support.i18n import _
from peer_support.i18n.formatting import format_money, parse_money

_ERROR_STYLE = "QLineEdit { background: #fde7e7; color: #1d1d1d; border: 1px solid #c62828; }"


class MoneyEdit(QLineEdit):
    # Emitted with the new amount in pence (or -1 when the text is not an amount).
    amount_changed = Signal(int)

    def __init__(self, pence: int | None = None, parent: QWidget | None = None,
                 language: str | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self.setPlaceholderText(format_money(0, language))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._mark(None)
        self.editingFinished.connect(self._on_editing_finished)
        self.textEdited.connect(self._on_text_edited)
        if pence is not None:
            self.set_pence(pence)

    def set_pence(self, pence: int) -> None:
        self.setText(format_money(pence, self._language))
        self._mark(None)

    def pence(self) -> int:
        """The amount in pence; raises ValidationError with a translated message."""
        try:
            return parse_money(self.text(), self._language)
        except ValidationError as exc:
            raise ValidationError(exc.message, field=self.objectName() or None) from None

    def pence_or_none(self) -> int | None:
        try:
            return self.pence()
        except ValidationError:
            return None

    def _mark(self, message: str | None) -> None:
        self.setStyleSheet(_ERROR_STYLE if message else "")
        hint = _("Amount in pounds, for example %(example)s") % {"example": format_money(1250, self._language)}
        self.setToolTip(message or hint)

    def _on_text_edited(self, _text: str) -> None:
        pence = self.pence_or_none()
        self.amount_changed.emit(-1 if pence is None else pence)

    def _on_editing_finished(self) -> None:
        if not self.text().strip():
            self._mark(None)
            return
        try:
            pence = self.pence()
        except ValidationError as exc:
            self._mark(exc.message)
            return
        self.set_pence(pence)
        self.amount_changed.emit(pence)
