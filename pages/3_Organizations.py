"""Organizations: every donor and implementer, what it funds or carries out, and where."""

from atlas.ui.organizations_page import render_organizations

render_organizations()
