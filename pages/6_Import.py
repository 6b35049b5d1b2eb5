"""Import a spreadsheet: check it row by row, then apply it (staff only)."""

from atlas.ui.import_page import render_import

render_import()
