"""The one CSV and XLSX writer for every download (studio results and the officials' dashboard).

Every cell passes through ``safe_cell`` so that a file written from residents' comments or
staff-typed names cannot attack whoever opens it in a spreadsheet.

CSV comes in two dialects: Finnish Excel (semicolon, decimal comma, UTF-8 with a byte-order
mark, CRLF), which Excel in a Finnish or Swedish locale opens straight into columns, and
standard (comma, decimal point, UTF-8, CRLF as RFC 4180 says) for other programs and scripts.

The workbook is written with openpyxl: numbers stay numeric cells, dates date cells, and
every text is a string cell, so no text can become a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# Risk: CSV/formula injection. Excel, LibreOffice and Google Sheets run a cell starting
# with one of these as a formula (=HYPERLINK(...), +cmd|..., @SUM, and tab/CR variants
# that some importers strip first); a leading apostrophe makes the cell plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Risk: "Trojan Source"-style disguise. Bidirectional embedding, override, isolate and
# mark characters reorder how a cell is displayed, so a comment or a name could show
# text other than what it holds; they carry no meaning a report needs.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
BOM = "\ufeff"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's limit on a sheet name.
SHEET_NAME_LENGTH = 31


@dataclass(frozen=True)
class Dialect:
    """How a CSV file separates cells and writes decimals."""

    name: str
    delimiter: str
    decimal: str
    bom: bool


FINNISH_EXCEL = Dialect("excel-fi", ";", ",", True)
STANDARD = Dialect("standard", ",", ".", False)
DIALECTS = {d.name: d for d in (FINNISH_EXCEL, STANDARD)}
# Finnish and Swedish Excel use the decimal comma and the semicolon list separator.
DECIMAL_COMMA_LANGUAGES = ("fi", "sv")


class UnknownDialect(ValueError):
    """A ``dialect=`` value that names no CSV dialect."""


def choose_dialect(requested: str | None, language: str) -> Dialect:
    """The dialect asked for, else the interface language's (fi, sv: Finnish Excel)."""
    if requested is None:
        return FINNISH_EXCEL if language in DECIMAL_COMMA_LANGUAGES else STANDARD
    if requested not in DIALECTS:
        raise UnknownDialect(requested)
    return DIALECTS[requested]


def safe_cell(value: object) -> object:
    """A cell value without bidi controls and never read as a formula; numbers pass as they are."""
    if not isinstance(value, str):
        return value
    text = BIDI_CONTROLS.sub("", value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _csv_value(value: object, dialect: Dialect) -> object:
    """A cell as the dialect writes it: decimals with its separator, dates in ISO form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(value).replace(".", dialect.decimal)
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return ""
    return safe_cell(value)


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[object]], dialect: Dialect = STANDARD
) -> bytes:
    """CSV in ``dialect``, UTF-8 (with a byte-order mark for Excel), CRLF lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    writer.writerows([_csv_value(value, dialect) for value in row] for row in rows)
    return ((BOM if dialect.bom else "") + buffer.getvalue()).encode("utf-8")


@dataclass
class Sheet:
    """One worksheet: a name, a header row and rows of numbers, dates and texts."""

    title: str
    header: Sequence[str]
    rows: list[Sequence[object]]


def _xlsx_text(value: str) -> str:
    """Text for a string cell: no bidi controls, no characters XML cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", BIDI_CONTROLS.sub("", value))


def _put(sheet, row: int, column: int, value: object, bold: bool = False) -> None:
    """One cell; texts are always string cells (never formulas), numbers numeric cells."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = _xlsx_text(value)
        # openpyxl reads a text starting with "=" as a formula: force a string cell, and
        # mark it quote-prefixed so a spreadsheet keeps it text after editing too.
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    elif isinstance(value, bool):
        cell.value = "true" if value else "false"
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = value
    if bold:
        cell.font = Font(bold=True)


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one worksheet per ``Sheet``: bold, frozen header and sized columns."""
    book = Workbook()
    book.remove(book.active)
    for item in sheets:
        sheet = book.create_sheet(_xlsx_text(item.title)[:SHEET_NAME_LENGTH])
        widths = [len(str(name)) for name in item.header]
        for column, name in enumerate(item.header, start=1):
            _put(sheet, 1, column, name, bold=True)
        for number, row in enumerate(item.rows, start=2):
            for column, value in enumerate(row, start=1):
                _put(sheet, number, column, value)
                if column <= len(widths):
                    widths[column - 1] = max(widths[column - 1], len(str(value or "")))
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
