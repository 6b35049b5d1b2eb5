"""Present: a tour of the atlas for a talk, full screen, step by step."""

from atlas.ui.present_page import render_present

render_present()
