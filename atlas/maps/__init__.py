"""Folium maps built from snapshots: one module per map feature, all assets offline."""
