"""Projects: a searchable list, and each project in depth."""

from atlas.ui.projects_page import render_projects

render_projects()
