"""Newsletter documents: an abstract model built once (model.py), rendered to
PDF (pdf.py, reportlab) and to self-contained HTML (html.py)."""
