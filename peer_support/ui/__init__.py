"""All Qt Widgets code. Only this package imports PySide6; it calls services only."""
