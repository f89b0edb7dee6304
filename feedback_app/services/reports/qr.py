"""QR codes for a survey's public link: PNG (screen or print size), SVG, or a Pillow image."""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
from PIL import Image

# M recovers ~15 % damage (a crease, a smudge, a reflection on a projector screen) while
# keeping the code small enough to scan from a metre away.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
# The specification's quiet zone: four light modules on every side.
QUIET_ZONE = 4


def qr_matrix(link: str) -> list[list[bool]]:
    """The code's modules (True = dark), quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=QUIET_ZONE, box_size=1)
    code.add_data(link)
    code.make(fit=True)
    return code.get_matrix()


def qr_image(link: str, box_size: int = 10) -> Image.Image:
    """A black-on-white Pillow image with ``box_size`` pixels per module."""
    matrix = qr_matrix(link)
    size = len(matrix)
    small = Image.new("1", (size, size), 1)
    small.putdata([0 if dark else 1 for row in matrix for dark in row])
    # Nearest-neighbour scaling keeps module edges sharp for decoders.
    return small.resize((size * box_size, size * box_size), Image.Resampling.NEAREST).convert("L")


@lru_cache(maxsize=256)
def qr_png(link: str, box_size: int = 10) -> bytes:
    """The code as PNG bytes."""
    buffer = io.BytesIO()
    qr_image(link, box_size).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


@lru_cache(maxsize=256)
def qr_svg(link: str) -> str:
    """The code as a small SVG: one path of unit squares, scalable to any print size."""
    matrix = qr_matrix(link)
    size = len(matrix)
    squares = "".join(
        f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size * 8}" height="{size * 8}" shape-rendering="crispEdges">'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{squares}" fill="#000"/></svg>\n'
    )


def public_link(code: str) -> str:
    """The survey's absolute address on ``PUBLIC_BASE_URL`` (never the request's Host)."""
    from feedback_app.links import public_url

    return public_url("survey.show", code=code)


# The printed width the print PNG is made for: the A4 poster's code.
PRINT_WIDTH_CM = 13
# Enough for any printer; bounded because the route is public and a larger image only costs
# the server memory and time (a 600 dpi code is about 3 000 pixels wide).
PRINT_DPI_RANGE = (72, 600)


def print_box_size(link: str, dpi: int) -> int:
    """Pixels per module so the code is about ``PRINT_WIDTH_CM`` wide at ``dpi``."""
    modules = len(qr_matrix(link))
    return max(1, round(PRINT_WIDTH_CM / 2.54 * dpi / modules))


@lru_cache(maxsize=64)
def qr_print_png(link: str, dpi: int) -> bytes:
    """The code as a PNG for print: ``PRINT_WIDTH_CM`` wide at ``dpi``, which it records."""
    buffer = io.BytesIO()
    qr_image(link, print_box_size(link, dpi)).save(buffer, "PNG", optimize=True, dpi=(dpi, dpi))
    return buffer.getvalue()
