"""Start the app: ``python -m atlas.ui.serve [streamlit options]`` (what ``make run`` does).

The same as ``streamlit run streamlit_app.py``, except that the bounds on Streamlit's upload
route (``atlas.ui.upload_guard``) hold from the server's first request, not from the first page
run: an upload needs only an open session, not a page that has run; and that the server warms
up while it starts (``atlas.ui.data.warm_up``), so the first visitor does not wait for it.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence

from atlas.paths import REPO_ROOT
from atlas.ui import data, upload_guard


def main(argv: Sequence[str] | None = None) -> None:
    """Install the upload bounds, start warming up, then hand over to Streamlit's command
    line."""
    from streamlit.web import cli

    upload_guard.install()
    threading.Thread(target=data.warm_up, name="atlas-warm-up", daemon=True).start()
    args = ["run", str(REPO_ROOT / "streamlit_app.py"), *(sys.argv[1:] if argv is None else argv)]
    cli.main.main(args=args, prog_name="streamlit", standalone_mode=True)


if __name__ == "__main__":
    main()
