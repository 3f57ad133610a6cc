"""Newsletter rendering: the document (``domain/newsletter_document.py``, built
once per language version) drawn as PDF (pdf.py, reportlab) and as
self-contained HTML (html.py)."""
