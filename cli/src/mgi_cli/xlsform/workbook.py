"""XLSForm sheets to and from .xlsx files (openpyxl): the only file I/O of the XLSForm code."""

from pathlib import Path
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from mgi_cli.xlsform.form_rows import Sheets
from mgi_cli.xlsform.form_sheet import ReadSheet


class WorkbookError(ValueError):
    pass


def write_workbook(sheets: Sheets, path: Path) -> None:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        header = _columns(rows)
        sheet.append(header)
        for row in rows:
            sheet.append([row.get(column, "") for column in header])
    tmp = path.with_name(path.name + ".part")
    book.save(tmp)
    tmp.replace(path)  # never leave half a form where the user expects one


def read_workbook(path: Path) -> dict[str, ReadSheet]:
    """Every sheet by lower-case title; row numbers are 1-based, as Excel and Kobo's form
    builder show them, so an error can point at the row a person sees."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError) as error:
        # An .xlsx is a zip of XML parts; a KeyError is a zip without the workbook part.
        raise WorkbookError(f"{path}: not an .xlsx workbook ({error})") from error
    sheets: dict[str, ReadSheet] = {}
    for sheet in book.worksheets:
        rows = [[_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
        if not rows:
            continue
        header = [cell.strip() for cell in rows[0]]
        body = [(number, cells) for number, cells in enumerate(rows[1:], start=2)
                if any(cell.strip() for cell in cells)]  # fmt: skip
        sheets[sheet.title.strip().lower()] = (header, body)
    book.close()
    return sheets


def _columns(rows: list[dict[str, str]]) -> list[str]:
    """Every column any row uses, in first-use order."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _text(cell: object) -> str:
    return "" if cell is None else str(cell)
