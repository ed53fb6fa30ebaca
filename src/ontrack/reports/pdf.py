"""A report's HTML as PDF, through WeasyPrint (extra `pdf`; Debian's pango libraries)."""

from __future__ import annotations


class PdfMissing(RuntimeError):
    """WeasyPrint or the libraries it needs are not installed."""


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML  # only when a PDF is asked for: it loads pango
    except (ImportError, OSError) as error:
        raise PdfMissing(
            "PDF needs the `pdf` extra and Debian's pango libraries: "
            "pip install 'ontrack[pdf]' and apt install libpango-1.0-0 libpangoft2-1.0-0 "
            f"({error})"
        ) from None
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
