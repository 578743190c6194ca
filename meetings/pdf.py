"""The meeting pack as a tagged PDF (PDF/UA: headings, tables, images with alt text,
language and title — public bodies must publish accessible documents), rendered by
WeasyPrint in one pass.

Three things here keep a 200-indicator pack fast (the rest is in the template: its
quarterly values are a line of text, not a table WeasyPrint lays out cell by cell):
- the charts reach WeasyPrint as PNG bytes through a URL fetcher (``scp-chart:NAME``),
  not as base64 data URIs that its HTML parser would read character by character;
- a chart's compressed pixels go into the PDF as they are: an 8-bit, non-interlaced PNG's
  IDAT data is already what a PDF image stream with the PNG predictor holds, but
  WeasyPrint decodes every PNG and compresses it again (about 3 s of an 18 s
  200-indicator pack went on its 400 decodes and re-encodes);
- ``pydyf.PDF.page_references`` is memoised: pydyf rebuilds the tuple of every page's
  reference on each call, and WeasyPrint's tagging calls it once per tagged element, so
  a 200-page pack spent seconds rebuilding the same tuple.
"""

from __future__ import annotations

import gc
import struct
from collections.abc import Mapping

import pydyf
from django.template.loader import render_to_string
from weasyprint.images import RasterImage
from weasyprint.pdf import tags as weasyprint_tags
from weasyprint.urls import URLFetcher, URLFetcherResponse

from meetings.charts import PNG_SIGNATURE, to_png

CHART_SCHEME = "scp-chart:"
COLLECT_AFTER_PAGES = 60


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


def idat_data(png: bytes) -> bytes:
    """The concatenated IDAT chunks of a PNG: its zlib stream of predictor-filtered rows."""
    data, position = [], len(PNG_SIGNATURE)
    while position < len(png):
        (length,) = struct.unpack_from("!I", png, position)
        kind = png[position + 4 : position + 8]
        if kind == b"IDAT":
            data.append(png[position + 8 : position + 8 + length])
        position += 12 + length  # length, type, data, CRC
    return b"".join(data)


_reencoded_png_data = getattr(RasterImage, "_get_png_data", None)


def _png_data(pillow_image) -> bytes:
    """WeasyPrint asks for the image's PNG data to embed with ``/Predictor 15``,
    ``/Colors`` 3 (RGB) or 1 (grey) and 8 bits a component. A PNG that is already exactly
    that is passed through without being decoded; anything else is re-encoded as before."""
    tile = pillow_image.tile[0] if getattr(pillow_image, "tile", None) else None
    passthrough = (
        pillow_image.format == "PNG"
        and pillow_image.mode in ("RGB", "L")
        and tile is not None
        and tile.args == pillow_image.mode  # 8 bits a component, not 16 or fewer
        and not pillow_image.info.get("interlace")
        and hasattr(pillow_image.fp, "getvalue")
    )
    if passthrough:
        return idat_data(pillow_image.fp.getvalue())
    return _reencoded_png_data(pillow_image)


if _reencoded_png_data is not None:  # a WeasyPrint without it keeps its own way
    RasterImage._get_png_data = staticmethod(_png_data)


_build_box_tree = getattr(weasyprint_tags, "_build_box_tree", None)


def _box_tree_with_header_scopes(box, *args, **kwargs):
    """WeasyPrint links each data cell to its header cells (/Headers) but gives the
    header cells no /Scope; PDF/UA readers want both. A ``th scope="row"`` is a row
    header, any other ``th`` a column header, as WeasyPrint itself decides."""
    for element in _build_box_tree(box, *args, **kwargs):
        if element.get("S") == "/TH" and "A" in element:
            scope = getattr(box, "element", None) is not None and box.element.get("scope")
            element["A"]["Scope"] = "/Row" if scope == "row" else "/Column"
        yield element


if _build_box_tree is not None:  # a WeasyPrint without it keeps its own tags
    weasyprint_tags._build_box_tree = _box_tree_with_header_scopes


class ChartFetcher(URLFetcher):
    """Serves the pack's charts from memory and nothing else: the pack never reaches
    the network or the file system, whatever text a figure's commentary holds."""

    def __init__(self, charts: Mapping[str, bytes]):
        super().__init__(allowed_protocols=[CHART_SCHEME.rstrip(":")])
        self.charts = charts

    def fetch(self, url, headers=None):
        if not url.startswith(CHART_SCHEME):
            raise ValueError(f"The pack only loads its own charts, not {url[:80]}")
        png = self.charts[url.removeprefix(CHART_SCHEME)]
        return URLFetcherResponse(url, body=png, headers={"Content-Type": "image/png"})


def render_pdf(context: dict) -> bytes:
    """``context["pdf_charts"]`` maps each chart's name to its layout; the template
    refers to it as ``scp-chart:NAME``."""
    from weasyprint import HTML

    pngs = {name: to_png(chart) for name, chart in context["pdf_charts"].items()}
    html = render_to_string("packs/pack_pdf.html", {**context, "pdf": True})
    options = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
    document = HTML(string=html, url_fetcher=ChartFetcher(pngs)).render(**options)
    if len(document.pages) > COLLECT_AFTER_PAGES:
        # Layout leaves tens of megabytes of cyclic garbage (boxes of discarded attempts
        # to fit a page); collecting it before writing lets the writer reuse that memory
        # instead of growing the worker (a 200-indicator pack peaked ~40 MB lower). A
        # full collection takes 0.1-0.4 s, more than a short pack's garbage is worth.
        gc.collect()
    return document.write_pdf(**options)
