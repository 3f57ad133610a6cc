"""Qt-free writers for the files the app produces (PDF, HTML, XLSX, CSV, ICS)."""
