"""Show and print the exported PDF itself, so preview, print and file always match.

Pages are rendered with pypdfium2 (the PDF engine also used by Chrome).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from peer_support.i18n import _

MAX_PRINT_DPI = 300  # enough for text on office printers; 600 dpi pages take seconds each


def render_pages(path: str | Path, dpi: float) -> list[QImage]:
    """Every page of the PDF as an image at ``dpi`` (72 points per inch)."""
    import pypdfium2 as pdfium  # here, not at the top: the Newsletter page is built without it

    document = pdfium.PdfDocument(str(path))
    try:
        images = []
        for index in range(len(document)):
            bitmap = document[index].render(scale=dpi / 72)
            pil = bitmap.to_pil().convert("RGB")
            data = pil.tobytes("raw", "RGB")
            images.append(QImage(data, pil.width, pil.height, pil.width * 3,
                                 QImage.Format.Format_RGB888).copy())
        return images
    finally:
        document.close()


class PdfPagesView(QScrollArea):
    """The pages one under the other, on a grey desk like a print preview."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self._inner = QWidget()
        self._inner.setStyleSheet("background: #808080;")
        self._layout = QVBoxLayout(self._inner)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self._layout.setSpacing(12)
        self.setWidget(self._inner)
        self.pages: list[QLabel] = []
        self.show_message(_("Choose an issue to see it as it will print."))

    def _clear(self) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.pages = []

    def show_message(self, text: str) -> None:
        self._clear()
        label = QLabel(text)
        label.setStyleSheet("color: black; padding: 24px;")  # on the grey desk: 5.3:1 (white was 3.9:1)
        label.setWordWrap(True)
        self._layout.addWidget(label)

    def show_pdf(self, path: str | Path, dpi: float = 80) -> None:
        self._clear()
        for number, image in enumerate(render_pages(path, dpi), start=1):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(_("Page %(page)s") % {"page": number})
            label.setStyleSheet("background: white;")
            self._layout.addWidget(label)
            self.pages.append(label)


def print_pdf(parent: QWidget | None, path: str | Path) -> QPrintPreviewDialog:
    """Qt's print preview (with its Print button and dialog) showing the PDF's pages."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(Path(path).stem)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(_("Print newsletter"))

    def paint(target: QPrinter) -> None:
        dpi = min(target.resolution(), MAX_PRINT_DPI)
        painter = QPainter(target)
        try:
            for number, image in enumerate(render_pages(path, dpi)):
                if number:
                    target.newPage()
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.setViewport(area.x(), area.y(), size.width(), size.height())
                painter.setWindow(image.rect())
                painter.drawImage(0, 0, image)
                painter.setViewport(area)
        finally:
            painter.end()

    dialog.paintRequested.connect(paint)
    return dialog
