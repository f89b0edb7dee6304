"""An A4 portrait poster for an event: title, call to action in three languages, QR, link.

Drawn with Pillow and saved as a one-page PDF, so no PDF library or font file is needed.
"""

from __future__ import annotations

import io
from datetime import date
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from feedback_app.services.qr import qr_image, qr_matrix

DPI = 200
A4_MM = (210, 297)
PAGE = (round(A4_MM[0] / 25.4 * DPI), round(A4_MM[1] / 25.4 * DPI))  # 1654 × 2339 px
# 13 cm of code: comfortably above the 8 cm a phone needs to scan from a metre away.
QR_TARGET_CM = 13
MARGIN = 120
BUS_BLUE = (0, 0, 191)
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
# The poster speaks to every resident at once, so all three languages are always printed.
CALL_TO_ACTION = (
    ("fi", "Miltä tapahtuma tuntui? Kerro nimettömästi."),
    ("sv", "Hur kändes evenemanget? Berätta anonymt."),
    ("en", "How did the event feel? Tell us anonymously."),
)
SCAN_HINT = "Skannaa · Skanna · Scan"
FOOTER = "Ei nimiä, ei evästeitä · Inga namn, inga kakor · No names, no cookies"


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu when the system has it, else Pillow's built-in scalable font."""
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if path.exists():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` pixels."""
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _centred(draw, y: int, text: str, font, fill=(0, 0, 0), max_lines: int = 3) -> int:
    """Draw wrapped, centred lines from ``y`` and return the y below them."""
    width = PAGE[0] - 2 * MARGIN
    for line in _wrap(draw, text, font, width)[:max_lines]:
        draw.text((PAGE[0] // 2, y), line, font=font, fill=fill, anchor="ma")
        y += round(font.size * 1.25)
    return y


def qr_size_px(link: str) -> tuple[int, int]:
    """Pixels per module and total width of the poster's code (at least 8 cm)."""
    modules = len(qr_matrix(link))
    box = max(1, round(QR_TARGET_CM / 2.54 * DPI) // modules)
    return box, box * modules


def render_poster(title: str, link: str, venue: str = "", event_date: date | None = None):
    """The poster as a Pillow RGB image of an A4 page at ``DPI``."""
    page = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, PAGE[0], 200), fill=BUS_BLUE)
    draw.text((MARGIN, 100), "Fiilis", font=_font(90, bold=True), fill="white", anchor="lm")
    y = _centred(draw, 270, title, _font(92, bold=True))
    meta = " · ".join(
        p for p in (venue, event_date.strftime("%d.%m.%Y") if event_date else "") if p
    )
    if meta:
        y = _centred(draw, y + 10, meta, _font(50), fill=(80, 80, 80), max_lines=2)
    y += 40
    for _lang, text in CALL_TO_ACTION:
        y = _centred(draw, y, text, _font(54, bold=True), fill=BUS_BLUE, max_lines=2)
    box, size = qr_size_px(link)
    code = qr_image(link, box)
    y += 30
    page.paste(code, ((PAGE[0] - size) // 2, y))
    y += size + 10
    y = _centred(draw, y, SCAN_HINT, _font(46))
    y = _centred(draw, y + 10, link, _font(54, bold=True), max_lines=2)
    draw.text((PAGE[0] // 2, PAGE[1] - 90), FOOTER, font=_font(36), fill=(80, 80, 80), anchor="ma")
    return page


# A poster takes a quarter of a second to draw and the route is public: keep recent ones.
@lru_cache(maxsize=32)
def poster_pdf(title: str, link: str, venue: str = "", event_date: date | None = None) -> bytes:
    """The poster as a one-page A4 PDF; ``resolution`` makes the page exactly A4 in size."""
    buffer = io.BytesIO()
    page = render_poster(title, link, venue, event_date)
    # Pillow embeds the page as JPEG; high quality without chroma subsampling keeps the
    # module edges and small text crisp when printed.
    page.save(buffer, "PDF", resolution=DPI, quality=90, subsampling=0)
    return buffer.getvalue()
