"""A sheet of an XLSForm as read, with its columns by name and places worded as a person
finds them in a spreadsheet (`survey sheet, row 12, column B (name)`)."""

# A sheet as read: its header, then each non-empty row with its spreadsheet row number.
ReadSheet = tuple[list[str], list[tuple[int, list[str]]]]


class Sheet:
    """One sheet's columns by name, and problems worded with the cell's place."""

    def __init__(self, title: str, read: ReadSheet) -> None:
        self.title, (self.header, self.body) = title, read
        self.columns = {name: index for index, name in enumerate(self.header) if name}

    def cell(self, cells: list[str], column: str) -> str:
        index = self.columns.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    def where(self, row: int, column: str | None = None) -> str:
        if column is None or column not in self.columns:
            return f"{self.title} sheet, row {row}"
        return f"{self.title} sheet, row {row}, column {letter(self.columns[column])} ({column})"


def settings_of(read: ReadSheet | None) -> dict[str, str]:
    if read is None or not read[1]:
        return {}
    header, [(_, cells), *_] = read
    return {name: (cells[i] or "").strip() for i, name in enumerate(header) if i < len(cells)}


def letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
