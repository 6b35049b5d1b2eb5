"""IATI activity XML: the format donors publish their projects in, read into the atlas and written
from it (``read`` parses untrusted files, ``mapping`` turns activities into the atlas's rows,
``write`` publishes the atlas's projects, ``codelists`` holds the IATI code lists)."""
