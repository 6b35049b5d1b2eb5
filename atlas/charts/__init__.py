"""Plotly figures built from plain data (no Streamlit here; Streamlit bundles plotly.js)."""
