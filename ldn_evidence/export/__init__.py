"""Output formats: csv, json, markdown, html, ris, bibtex, csljson."""
