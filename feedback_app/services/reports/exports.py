"""The one CSV writer for every download (studio results and the officials' dashboard).

Every cell passes through ``safe_cell`` so that a file written from residents' comments or
staff-typed names cannot attack whoever opens it in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

# Risk: CSV/formula injection. Excel, LibreOffice and Google Sheets run a cell starting
# with one of these as a formula (=HYPERLINK(...), +cmd|..., @SUM, and tab/CR variants
# that some importers strip first); a leading apostrophe makes the cell plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Risk: "Trojan Source"-style disguise. Bidirectional embedding, override, isolate and
# mark characters reorder how a cell is displayed, so a comment or a name could show
# text other than what it holds; they carry no meaning a report needs.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
BOM = "\ufeff"


def safe_cell(value: object) -> object:
    """A cell value without bidi controls and never read as a formula; numbers pass as they are."""
    if not isinstance(value, str):
        return value
    text = BIDI_CONTROLS.sub("", value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with a byte-order mark (so Excel reads ä, å, ö, Cyrillic, Arabic), CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return BOM + buffer.getvalue()
