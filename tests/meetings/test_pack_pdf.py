"""The meeting pack's PDF renderer: charts as PNGs embedded without re-encoding, and the
quarterly values as text. Plain unit tests, no database."""

import io
import re
import struct
import zlib

import pytest
from PIL import Image
from pypdf import PdfReader
from weasyprint.images import RasterImage

from meetings import charts
from meetings.packs import history_by_year
from meetings.pdf import ChartFetcher, idat_data


def chart():
    return charts.layout_chart(
        lines=[charts.Line("2019-20", [(0, 10.0), (1, 14.0), (2, 9.0)], "#1d70b8", ["circle"] * 3)],
        levels=[charts.Level("Target (a quarter)", 12.0, "#0b0c0c", "6,3")],
        x_labels=["Q1", "Q2", "Q3"],
        unit="Offences",
    )


def pillow_png(image, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


def test_a_chart_png_decodes_to_the_pixels_that_were_drawn():
    drawn = Image.new("RGB", (7, 3), "white")
    drawn.putpixel((2, 1), (29, 112, 184))
    drawn.putpixel((6, 2), (11, 12, 12))
    png = charts.rgb_png(drawn)
    decoded = Image.open(io.BytesIO(png))
    assert decoded.format == "PNG" and decoded.mode == "RGB" and decoded.size == (7, 3)
    assert decoded.tobytes() == drawn.tobytes()


def test_a_chart_is_drawn_with_its_labels():
    png = charts.to_png(chart())
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (960, 285)
    # The rotated axis title "Offences" sits in the left margin: dark pixels there.
    margin = image.crop((0, 0, 20, image.height)).convert("L")
    assert min(margin.tobytes()) < 80
    # A label stamped twice (the cache) looks the same both times.
    assert charts.to_png(chart()) == png


def test_idat_data_is_the_pngs_compressed_rows():
    image = Image.new("RGB", (5, 4), (200, 10, 10))
    data = idat_data(pillow_png(image))
    rows = zlib.decompress(data)
    assert len(rows) == 4 * (1 + 5 * 3)  # a filter byte and three bytes a pixel per row


def test_an_8_bit_rgb_png_reaches_the_pdf_without_being_decoded():
    png = charts.to_png(chart())
    opened = Image.open(io.BytesIO(png))
    assert RasterImage._get_png_data(opened) == idat_data(png)
    assert opened._im is None  # never decoded


def interlaced_png(width: int, height: int, pixel: bytes) -> bytes:
    """A one-colour 8-bit RGB PNG in Adam7 order (Pillow reads these but cannot write them)."""
    passes = [
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    ]
    rows = b""
    for x0, y0, dx, dy in passes:
        columns, lines = -(-(width - x0) // dx), -(-(height - y0) // dy)
        if columns > 0 and lines > 0:
            rows += (b"\0" + pixel * columns) * lines

    header = struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 1)
    return (
        charts.PNG_SIGNATURE
        + charts.png_chunk(b"IHDR", header)
        + charts.png_chunk(b"IDAT", zlib.compress(rows))
        + charts.png_chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    "png",
    [
        interlaced_png(6, 5, b"\x01\x02\x03"),  # Adam7 passes are not rows a PDF can read
        pillow_png(Image.new("I;16", (6, 5), 300)),  # 16 bits a component
        pillow_png(Image.new("L", (6, 5), 90), bits=4),  # fewer than 8 bits
    ],
    ids=["interlaced", "16-bit", "4-bit"],
)
def test_other_pngs_are_re_encoded_as_before(png):
    opened = Image.open(io.BytesIO(png))
    if opened.mode not in ("RGB", "L"):
        opened = opened.convert("RGB")
    data = RasterImage._get_png_data(opened)
    assert data != idat_data(png)
    width, channels = opened.width, len(opened.getbands())
    rows = zlib.decompress(data)
    assert len(rows) == opened.height * (1 + width * channels)


def test_the_pdf_embeds_a_charts_compressed_pixels_byte_for_byte():
    from weasyprint import HTML

    png = charts.to_png(chart())
    fetcher = ChartFetcher({"TEST-01-quarterly": png})
    html = '<html lang="en"><title>t</title><img src="scp-chart:TEST-01-quarterly" alt="A chart">'
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert idat_data(png) in pdf
    # ...and a PDF reader draws exactly the chart's pixels from them.
    (embedded,) = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert embedded.image.convert("RGB").tobytes() == Image.open(io.BytesIO(png)).tobytes()


def test_quarterly_values_are_grouped_by_year_with_a_rates_unit_said_once():
    history = [
        {"year": 2018, "quarter": 4, "value": "1234.5", "display": "1,234.5 per 100,000"},
        {"year": 2019, "quarter": 1, "value": "1250", "display": "1,250 per 100,000"},
        {"year": 2019, "quarter": 2, "value": "", "display": ""},
    ]
    assert history_by_year(history, "rate") == [
        {"label": "2018-19", "quarters": [{"quarter": 4, "display": "1,234.5"}]},
        {
            "label": "2019-20",
            "quarters": [{"quarter": 1, "display": "1,250"}, {"quarter": 2, "display": ""}],
        },
    ]
    counts = [{"year": 2019, "quarter": 1, "value": "1840", "display": "1,840"}]
    assert history_by_year(counts, "count") == [
        {"label": "2019-20", "quarters": [{"quarter": 1, "display": "1,840"}]}
    ]


def empty_pack_context() -> dict:
    return {
        "meeting": {
            "title": "Test meeting",
            "date": "2020-04-01",
            "date_display": "1 April 2020",
            "theme": "",
        },
        "pack": {"version": 1, "issued_at": None},
        "period": "2019-20 Q4",
        "priorities": [],
        "exceptions": [],
        "followed_up": [],
        "completeness": [],
        "rag_headings": [],
        "pdf_charts": {},
    }


@pytest.mark.parametrize("threshold, collections", [(0, 1), (60, 0)])
def test_layout_garbage_is_collected_before_writing_a_long_pack_only(
    monkeypatch, threshold, collections
):
    from meetings import pdf

    calls = []
    monkeypatch.setattr(pdf, "COLLECT_AFTER_PAGES", threshold)
    monkeypatch.setattr(pdf.gc, "collect", lambda *args: calls.append(args) or 0)
    document = pdf.render_pdf(empty_pack_context())
    assert PdfReader(io.BytesIO(document)).metadata.title.startswith("Test meeting")
    assert len(calls) == collections


def test_spc_badges_are_drawn_in_their_colour_beside_their_words():
    from meetings import pdf

    row = {
        "name": "Serious violence",
        "code": "SV-01",
        "rag": "red",
        "rag_label": "Red",
        "variation": "concern_high",
        "assurance": "fail",
        "exception_reasons": ["Red against target"],
    }
    document = pdf.render_pdf({**empty_pack_context(), "exceptions": [row]})
    reader = PdfReader(io.BytesIO(document))
    page = next(p for p in reader.pages if "Serious violence" in p.extract_text())
    text = page.extract_text()
    # The RAG, then each SPC reading on its own line, badge letter first.
    assert "Red\nH Special cause concern (high)\nF Will not meet the target without change" in text
    drawing = page.get_contents().get_data()
    orange = " ".join(f"{channel / 255:g}" for channel in (0xB3, 0x59, 0x00))
    assert orange.encode() in drawing


@pytest.fixture
def fresh_font_caches():
    caches = (charts._font, charts._fitting_size, charts._text_stamp)
    for cached in caches:
        cached.cache_clear()
    yield
    for cached in caches:
        cached.cache_clear()


@pytest.mark.parametrize("font_file", charts.FONT_FILES, ids=["liberation", "dejavu"])
def test_a_long_legend_label_stays_inside_the_chart_in_either_font(
    monkeypatch, fresh_font_caches, font_file
):
    """A machine without Liberation Sans draws the labels in the wider DejaVu Sans."""
    monkeypatch.setattr(charts, "FONT_FILES", [font_file])
    layout = charts.layout_chart(
        lines=[charts.Line("2019-20", [(0, 10.0), (1, 14.0)], "#1d70b8", ["circle"] * 2)],
        levels=[],
        x_labels=["Q1", "Q2"],
        unit="Offences",
        legend_extra=[(("marker", "square", "#005ea5"), "Special cause improvement")],
    )
    image = Image.open(io.BytesIO(charts.to_png(layout))).convert("L")
    # The label is drawn (dark pixels in the legend column)...
    legend = image.crop((image.width - 150, 0, image.width, 60))
    assert min(legend.tobytes()) < 80
    # ...and nothing of it reaches the chart's right-hand edge.
    edge = image.crop((image.width - 3, 0, image.width, image.height))
    assert min(edge.tobytes()) == 255


def test_the_glossary_keys_each_spc_icon_on_a_line_of_its_own():
    from meetings import pdf

    document = pdf.render_pdf(empty_pack_context())
    glossary = re.sub(r" +", " ", PdfReader(io.BytesIO(document)).pages[-1].extract_text())
    assert "H L Blue: special cause improvement (H: high, L: low)\n" in glossary
    assert "– Grey: common cause, the usual variation\n" in glossary
    assert "F F: they are all on the wrong side" in glossary
    # the badges there are letters only: the line beside each says what it means
    assert "Special cause improvement (high)" not in glossary


def test_every_page_carries_the_protective_marking():
    from meetings import pdf

    pages = PdfReader(io.BytesIO(pdf.render_pdf(empty_pack_context()))).pages
    assert len(pages) > 3
    assert all("OFFICIAL – SENSITIVE" in page.extract_text() for page in pages)


def _text_starts(page) -> list[tuple[float, float, str]]:
    """(x, y, text) where each run of text starts on the page, in points."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((round(x, 1), round(y, 1), text.strip()))

    page.extract_text(visitor_text=visit)
    return found


def test_the_header_footer_and_content_share_one_width_on_every_page():
    """Found by measuring the pages: the body's default margin set the content 6 pt in
    from the footer. Every page after the cover carries the running header (the title
    escaped as HTML: it is an element, not a CSS string)."""
    from meetings import pdf

    context = {**empty_pack_context(), "partnership_name": "Safe City <Partnership>"}
    pages = PdfReader(io.BytesIO(pdf.render_pdf(context))).pages
    margin = 15 / 25.4 * 72  # 15 mm
    for number, page in enumerate(pages, start=1):
        starts = _text_starts(page)
        top = max(starts, key=lambda s: s[1])
        bottom = min(starts, key=lambda s: s[1])
        content = [x for x, y, _ in starts if bottom[1] < y < top[1]]
        assert round(min(content), 1) == round(margin, 1), number
        if number == 1:
            assert top[1] < 700  # the cover has no running header
            continue
        assert top[2] == "Safe City <Partnership> · Test meeting", number
        assert bottom[2].startswith("OFFICIAL – SENSITIVE"), number
        assert top[0] == bottom[0] == round(margin, 1), number


def _struct_elements(reader):
    """Every structure element of the PDF's tag tree, depth first."""
    found, todo = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/S" in node:
                found.append(node)
            kids = node.get("/K")
            if kids is not None:
                kids = kids.get_object() if hasattr(kids, "get_object") else kids
                todo.extend(kids if isinstance(kids, list) else [kids])
        elif isinstance(node, list):
            todo.extend(node)
    return found


def _kids(element):
    kids = element.get("/K")
    kids = kids.get_object() if hasattr(kids, "get_object") else kids
    kids = kids if isinstance(kids, list) else [kids]
    return [k.get_object() for k in kids if hasattr(k, "get_object")]


def test_pdf_tables_have_captions_and_header_cells_have_a_scope():
    from meetings import pdf

    row = {
        "name": "Serious violence", "code": "SV-01", "rag": "red", "rag_label": "Red",
        "variation": "concern_high", "assurance": "fail",
        "exception_reasons": ["Red against target"],
    }  # fmt: skip
    document = pdf.render_pdf({**empty_pack_context(), "exceptions": [row]})
    elements = _struct_elements(PdfReader(io.BytesIO(document)))
    tables = [e for e in elements if e["/S"] == "/Table"]
    headers = [e for e in elements if e["/S"] == "/TH"]
    cells = [e for e in elements if e["/S"] == "/TD"]
    assert tables and headers and cells
    for table in tables:
        assert "/Caption" in [k.get("/S") for k in _kids(table)]
    scopes = {str(h["/A"]["/Scope"]) for h in headers}
    assert scopes == {"/Column", "/Row"}  # column headings and the indicator's row heading
    assert all("/Headers" in c["/A"] for c in cells)
