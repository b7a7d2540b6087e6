"""A form is checked with pyxform, the converter Kobo and ODK run, before it is written."""

from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from mgi_cli.xlsform.form_rows import Sheets


class FormError(ValueError):
    pass


def check_form(sheets: Sheets) -> list[str]:
    """pyxform's warnings; FormError when it would refuse the form."""
    warnings: list[str] = []
    try:
        convert(xlsform=dict(sheets), warnings=warnings)
    except PyXFormError as error:
        raise FormError(f"pyxform refuses the form: {error}") from error
    return warnings
