"""The app icons, drawn with Pillow so anyone can regenerate them (``flask make-icons``)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BUS_BLUE = (0, 0, 191, 255)
WHITE = (255, 255, 255, 255)
# Drawn this many times larger, then scaled down: Pillow's shapes have no anti-aliasing.
SUPERSAMPLE = 4


def draw_face(size: int, *, maskable: bool) -> Image.Image:
    """A white smiling face on HDS bus blue.

    A maskable icon fills the whole square and keeps the face inside the central 80 % circle
    that every launcher mask leaves visible; the plain icon is a rounded square.
    """
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    if maskable:
        draw.rectangle((0, 0, big, big), fill=BUS_BLUE)
        face_radius = big * 0.28
    else:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.18, fill=BUS_BLUE)
        face_radius = big * 0.36
    centre = big / 2
    line = max(SUPERSAMPLE, round(face_radius * 0.13))
    draw.ellipse(
        (centre - face_radius, centre - face_radius, centre + face_radius, centre + face_radius),
        outline=WHITE,
        width=line,
    )
    eye = face_radius * 0.12
    for dx in (-0.35, 0.35):
        x, y = centre + dx * face_radius, centre - 0.25 * face_radius
        draw.ellipse((x - eye, y - eye, x + eye, y + eye), fill=WHITE)
    smile = face_radius * 0.55
    draw.arc(
        (centre - smile, centre - smile * 0.75, centre + smile, centre + smile * 0.95),
        start=20,
        end=160,
        fill=WHITE,
        width=line,
    )
    return image.resize((size, size), Image.Resampling.LANCZOS)


def write_app_icons(folder: Path) -> list[Path]:
    """Write ``app-192.png``, ``app-512.png`` and ``app-maskable-512.png`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    icons = {
        "app-192.png": draw_face(192, maskable=False),
        "app-512.png": draw_face(512, maskable=False),
        "app-maskable-512.png": draw_face(512, maskable=True),
    }
    written = []
    for name, image in icons.items():
        path = folder / name
        image.save(path, format="PNG", optimize=True)
        written.append(path)
    return written
