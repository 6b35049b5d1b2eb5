"""History of changes: who changed what and when, with undo (staff only)."""

from atlas.ui.history_page import render_history

render_history()
