"""The meeting pack as a tagged PDF (PDF/UA: headings, tables, images with alt text,
language and title — public bodies must publish accessible documents), rendered by
WeasyPrint in one pass.

Two things keep a 200-indicator pack fast:
- the charts reach WeasyPrint as PNG bytes through a URL fetcher (``scp-chart:NAME``),
  not as base64 data URIs that its HTML parser would read character by character;
- ``pydyf.PDF.page_references`` is memoised: pydyf rebuilds the tuple of every page's
  reference on each call, and WeasyPrint's tagging calls it once per tagged element, so
  a 200-page pack spent seconds rebuilding the same tuple.
"""

from __future__ import annotations

import pydyf
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher, URLFetcherResponse

CHART_SCHEME = "scp-chart:"


def _memoised_page_references(pdf):
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_scp_page_references")
    if cached is None or cached[0] != len(kids):
        # The same value pydyf computes, rebuilt only when a page has been added.
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_scp_page_references"] = cached
    return cached[1]


if isinstance(getattr(pydyf.PDF, "page_references", None), property):
    pydyf.PDF.page_references = property(_memoised_page_references)


class ChartFetcher(URLFetcher):
    """Serves the pack's charts from memory and nothing else: the pack never reaches
    the network or the file system, whatever text a figure's commentary holds."""

    def __init__(self, charts: dict[str, bytes]):
        super().__init__(allowed_protocols=[CHART_SCHEME.rstrip(":")])
        self.charts = charts

    def fetch(self, url, headers=None):
        if not url.startswith(CHART_SCHEME):
            raise ValueError(f"The pack only loads its own charts, not {url[:80]}")
        png = self.charts[url.removeprefix(CHART_SCHEME)]
        return URLFetcherResponse(url, body=png, headers={"Content-Type": "image/png"})


def render_pdf(context: dict) -> bytes:
    """``context["chart_pngs"]`` maps each chart's name to its PNG; the template refers
    to it as ``scp-chart:NAME``."""
    from weasyprint import HTML

    html = render_to_string("packs/pack_pdf.html", {**context, "pdf": True})
    fetcher = ChartFetcher(context.get("chart_pngs", {}))
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
