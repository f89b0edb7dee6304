"""QR codes and the poster decode to the survey's absolute link."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from feedback_app.services import poster, qr

LINK = "https://fiilis.example.fi/s/abc234"


def decode(image: Image.Image) -> list[zxingcpp.Result]:
    """Every QR code zxing-cpp finds in ``image``."""
    return [r for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def svg_to_image(svg: str, scale: int = 8) -> Image.Image:
    """Rasterise our own SVG (one path of unit squares) to check what it encodes."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y in re.findall(r"M(\d+) (\d+)h1v1h-1z", svg):
        x, y = int(x) * scale, int(y) * scale
        draw.rectangle((x, y, x + scale - 1, y + scale - 1), fill=0)
    return image


def test_png_decodes_with_medium_error_correction_and_quiet_zone():
    """Error correction M and four light modules on every side."""
    image = Image.open(io.BytesIO(qr.qr_png(LINK, box_size=10)))
    results = decode(image)
    assert [r.text for r in results] == [LINK]
    assert results[0].ec_level in ("M", "Q", "H")
    matrix = qr.qr_matrix(LINK)
    for row in matrix[:4] + matrix[-4:]:
        assert not any(row)
    assert not any(row[i] for row in matrix for i in (0, 1, 2, 3, -1, -2, -3, -4))


def test_svg_encodes_the_link():
    """The SVG draws the same modules, so it decodes to the same link."""
    svg = qr.qr_svg(LINK)
    assert svg.startswith("<?xml") and "<script" not in svg
    assert [r.text for r in decode(svg_to_image(svg))] == [LINK]


def test_poster_image_decodes_and_qr_is_at_least_8_cm():
    """The rendered A4 page carries a scannable code at least 8 cm wide."""
    image = poster.render_poster("Tarinailta", LINK, "Malmitalo")
    assert image.size == poster.PAGE
    assert [r.text for r in decode(image)] == [LINK]
    _box, width_px = poster.qr_size_px(LINK)
    assert width_px / poster.DPI * 2.54 >= 8


def page_image_from_pdf(pdf: bytes) -> Image.Image:
    """The page picture Pillow embedded in the PDF (a JPEG stream), as an image."""
    stream = re.search(rb"stream\r?\n(\xff\xd8.*?\xff\xd9)\r?\nendstream", pdf, re.S)
    assert stream, "no embedded page image"
    return Image.open(io.BytesIO(stream.group(1)))


def test_poster_pdf_is_one_a4_page():
    """A valid PDF whose page is A4 portrait (595 × 842 points)."""
    pdf = poster.poster_pdf("Tarinailta", LINK)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    width, height = float(box.group(1)), float(box.group(2))
    assert abs(width - 595.3) < 2 and abs(height - 841.9) < 2
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") <= 1


@pytest.mark.parametrize("host", [None, "evil.example"])
def test_routes_encode_the_absolute_link(app, client, make_survey, host):
    """PNG, SVG and poster carry PUBLIC_BASE_URL, whatever Host the request names."""
    make_survey(code="qrtest")
    app.config["PUBLIC_BASE_URL"] = "https://palaute.hel.fi"
    headers = {"Host": host} if host else {}
    try:
        expected = "https://palaute.hel.fi/s/qrtest"
        png = client.get("/s/qrtest/qr.png", headers=headers)
        assert png.mimetype == "image/png"
        assert [r.text for r in decode(Image.open(io.BytesIO(png.data)))] == [expected]
        svg = client.get("/s/qrtest/qr.svg", headers=headers)
        assert svg.mimetype == "image/svg+xml"
        assert [r.text for r in decode(svg_to_image(svg.get_data(as_text=True)))] == [expected]
        pdf = client.get("/s/qrtest/poster.pdf", headers=headers)
        assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
        assert [r.text for r in decode(page_image_from_pdf(pdf.data))] == [expected]
    finally:
        app.config["PUBLIC_BASE_URL"] = "http://fiilis.test"


def test_rendered_poster_of_a_survey_decodes(app, make_survey):
    """The poster the route would send, rendered as an image, decodes to the survey link."""
    make_survey(code="juliste", title="Kontulan kesäjuhla")
    with app.test_request_context("/"):
        link = qr.public_link("juliste")
        image = poster.render_poster("Kontulan kesäjuhla", link)
    assert link == "http://fiilis.test/s/juliste"
    assert [r.text for r in decode(image)] == [link]


def test_unknown_code_is_404(client):
    """No survey, no code."""
    assert client.get("/s/nope/qr.png").status_code == 404
