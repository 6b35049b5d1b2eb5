"""Kazakhstan Project Atlas: the explorer map (first page)."""

from atlas.ui.explorer import render_explorer

render_explorer()
