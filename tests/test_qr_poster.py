"""QR codes and the poster decode to the survey's absolute link."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from feedback_app.services.reports import qr

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


def pdf_text(pdf: bytes) -> str:
    """The PDF's text layer as ``pdftotext`` reads it (what a reader can select and search)."""
    return subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode()


def pdf_info(pdf: bytes) -> dict[str, str]:
    """``pdfinfo``'s fields: ``Pages``, ``Page size``, …"""
    out = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode()
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def pdf_page_image(pdf: bytes) -> Image.Image:
    """Page 1 rasterised at 150 dpi, as a printer or a phone camera would see it."""
    png = subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    return Image.open(io.BytesIO(png))


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
        assert [r.text for r in decode(pdf_page_image(pdf.data))] == [expected]
        assert expected in pdf_text(pdf.data)
    finally:
        app.config["PUBLIC_BASE_URL"] = "http://fiilis.test"


def test_unknown_code_is_404(client):
    """No survey, no code."""
    assert client.get("/s/nope/qr.png").status_code == 404


def test_png_without_dpi_is_unchanged(client, make_survey):
    """The plain PNG stays the small screen-size code, ten pixels a module."""
    make_survey(code="pngsmall")
    png = Image.open(io.BytesIO(client.get("/s/pngsmall/qr.png").data))
    assert png.size[0] == len(qr.qr_matrix("http://fiilis.test/s/pngsmall")) * 10


def test_print_png_is_13_cm_at_300_dpi_and_decodes(client, make_survey):
    """``?dpi=300`` gives a code about 13 cm wide at 300 dpi that records its dpi."""
    make_survey(code="pngprint")
    response = client.get("/s/pngprint/qr.png?dpi=300")
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    width_cm = image.size[0] / 300 * 2.54
    assert 12 <= width_cm <= 14
    assert round(image.info["dpi"][0]) == 300
    assert [r.text for r in decode(image)] == ["http://fiilis.test/s/pngprint"]


@pytest.mark.parametrize("dpi", ["0", "71", "601", "100000", "abc", ""])
def test_print_png_dpi_out_of_bounds_is_400(client, make_survey, dpi):
    """A huge or nonsense dpi is refused instead of drawing a giant image."""
    make_survey(code="pngbad")
    assert client.get(f"/s/pngbad/qr.png?dpi={dpi}").status_code == 400


OFFERED = ["fi", "sv", "en", "ar", "so"]
CALL_TO_ACTION = {
    "fi": "Miltä tapahtuma tuntui? Kerro nimettömästi.",
    "sv": "Hur kändes evenemanget? Berätta anonymt.",
    "en": "How did the event feel? Tell us anonymously.",
    "ar": "أخبرنا دون ذكر",
    "so": "Sidee ayaad u dareentay munaasabadda?",
}


@pytest.mark.parametrize(
    ("size", "points", "qr_cm"),
    [("", (595, 842), 13), ("?size=a4", (595, 842), 13), ("?size=a3", (842, 1191), 18)],
)
def test_poster_pdf_is_one_page_with_text_in_every_language(
    client, make_survey, size, points, qr_cm
):
    """A4 by default or A3: one page, the words in each offered language as text, a big code."""
    make_survey(code="juliste", title="Kontulan kesäjuhla", languages=OFFERED)
    response = client.get(f"/s/juliste/poster.pdf{size}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    info = pdf_info(response.data)
    assert info["Pages"].strip() == "1"
    width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert (round(width), round(height)) == points
    text = " ".join(pdf_text(response.data).split())
    assert "Kontulan kesäjuhla" in text and "http://fiilis.test/s/juliste" in text
    for words in CALL_TO_ACTION.values():
        assert words in text
    assert "Skannaa" in text and "Ei nimiä, ei evästeitä" in text and "Inga namn" in text
    assert text.index(CALL_TO_ACTION["fi"]) < text.index(CALL_TO_ACTION["sv"])
    page = pdf_page_image(response.data)
    results = decode(page)
    assert [r.text for r in results] == ["http://fiilis.test/s/juliste"]
    xs = [point.x for point in (results[0].position.top_left, results[0].position.top_right)]
    # The finder patterns span the code less its quiet zone: at least 8 cm, about as designed.
    modules = len(qr.qr_matrix("http://fiilis.test/s/juliste"))
    code_cm = (max(xs) - min(xs)) / 150 * 2.54 * modules / (modules - 2 * qr.QUIET_ZONE - 1)
    assert code_cm >= 8 and abs(code_cm - qr_cm) < 1


def test_poster_prints_arabic_right_to_left(app):
    """The Arabic lines carry ``dir="rtl"`` in the page the PDF is typeset from; Finnish first."""
    from feedback_app.services.reports import poster

    with app.test_request_context("/"):
        html = poster.poster_html("Tarinailta", LINK, ("sv", "ar"))
    assert html.index('lang="fi" dir="ltr"') < html.index('lang="sv" dir="ltr"')
    assert '<p lang="ar" dir="rtl">كيف كان شعورك في الفعالية؟' in html
    assert '<span lang="ar" dir="rtl">امسح الرمز</span>' in html
    assert '<span lang="ar" dir="rtl">بلا أسماء ولا ملفات تعريف ارتباط</span>' in html
    assert '<html lang="fi">' in html


@pytest.mark.parametrize("size", ["a5", "A4", "letter", ""])
def test_poster_unknown_size_is_400(client, make_survey, size):
    """Only a4 and a3 are printed; anything else is a clear 400, not a guess."""
    make_survey(code="julbad")
    response = client.get(f"/s/julbad/poster.pdf?size={size}")
    assert response.status_code == 400
    assert "text/html" in response.content_type


def test_longest_title_in_all_eight_languages_stays_one_page(client, make_survey):
    """A 200-character title and every resident language still fit one A4 page, title whole."""
    title = ("Kontulan kesäjuhla ja yhteislaulut puistossa " * 5)[:200].strip()
    languages = ["fi", "sv", "en", "ru", "et", "so", "ar", "uk"]
    make_survey(code="julpitka", title=title, languages=languages)
    pdf = client.get("/s/julpitka/poster.pdf").data
    assert pdf_info(pdf)["Pages"].strip() == "1"
    text = " ".join(pdf_text(pdf).split())
    assert title in text
    assert "Как вам мероприятие? Расскажите анонимно." in text
    assert "Як вам захід? Розкажіть анонімно." in text
    assert "Milline tunne üritusest jäi?" in text
    assert [r.text for r in decode(pdf_page_image(pdf))] == ["http://fiilis.test/s/julpitka"]


def test_studio_share_section_offers_print_files(app, client, auth, make_survey, make_account):
    """The survey's studio page links both poster sizes and the print PNG."""
    from tests.studio_support import project_of, survey_id

    code = make_survey(code="jakaa")
    auth.login(make_account("artist", projects=[project_of(app, code)]))
    html = client.get(f"/studio/surveys/{survey_id(app, code)}").get_data(as_text=True)
    assert 'href="/s/jakaa/poster.pdf"' in html
    assert 'href="/s/jakaa/poster.pdf?size=a3"' in html
    assert 'href="/s/jakaa/qr.png?dpi=300"' in html
