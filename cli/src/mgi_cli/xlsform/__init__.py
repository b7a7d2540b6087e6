"""XLSForms (KoboToolbox, ODK) from and to catalogues.

Pure conversion between catalogues and sheet rows lives in `form_rows` (export) and
`form_catalogue` (import); `workbook` alone touches xlsx files and `intake_api` alone HTTP.
"""
