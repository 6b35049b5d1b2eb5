"""Streamlit glue: widgets, caching, URL state. Domain logic lives outside this package."""
