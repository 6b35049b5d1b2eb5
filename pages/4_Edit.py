"""Edit data: staff add, change and remove rows (after a login); admins manage accounts."""

from atlas.ui.edit_page import render_edit

render_edit()
