"""Sources and data: the documents behind every figure."""

from atlas.ui.sources_page import render_sources

render_sources()
