"""The Present page: prepare a tour, then present it full screen, step by step.

Two modes, both kept in the URL so a prepared tour can be reopened in the hall:
- preparing (no ``play``): the sidebar filters, projects or regions, their order, the
  automatic interval, and the exports;
- presenting (``play=1``): no sidebar or controls but the step buttons; large type; the map
  moves to each step's sites. Arrow keys step (Streamlit button shortcuts), Esc leaves.

URL: the explorer's filters and map options, ``by`` (project|region), ``order`` (comma-separated
ids; absent means all in the default order), ``step`` (0 is the opening), ``auto`` (seconds
per step, absent or 0 means by hand), ``play`` (1 while presenting).

A view can hold thousands of steps: preparing lists them a page at a time (``STEPS_PAGE``) and
names only the first of those left out; presenting makes only the step shown.
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta

import folium
import pandas as pd
import streamlit as st
from jinja2 import Template
from streamlit_folium import st_folium

from atlas.figures import format_number
from atlas.i18n import t
from atlas.listing import ListPage, page_number
from atlas.maps.explorer import MapOptions, explorer_map
from atlas.maps.layers import VerbatimMacro
from atlas.snapshot import Snapshot
from atlas.tour import (
    HEADLINE_LENGTHS,
    TOUR_BY,
    TourBy,
    TourStep,
    derivations,
    format_order,
    headline_length,
    move,
    ordered_keys,
    overview_step,
    project_step,
    region_step,
    step_label,
    tour_keys,
)
from atlas.ui.chrome import page_frame
from atlas.ui.data import current_snapshot
from atlas.ui.exports import render_exports
from atlas.ui.filters import MAP_PARAMS, ExplorerView, explorer_sidebar, url_view
from atlas.ui.paging import page_controls
from atlas.ui.state import (
    Flag,
    IdList,
    OneOf,
    WholeNumber,
    declare_page,
    drop_url_param,
    init_from_url,
    set_url_param,
    url_notice,
    url_value,
    write_url,
)
from atlas.ui.text import md, sdg_badges_html

MAX_AUTO_SECONDS = 600
MAP_HEIGHT = 720  # at most; less on a screen too low for it with the title and the buttons
STEPS_PAGE = 20  # steps listed at a time while preparing, each with its buttons
MAX_LEFT_OUT = 20  # steps left out that are named, each with its button to add it back
_STEPS_PAGE_KEY = "t_steps_page"
STEP_ROW_KEY = "tour_step_row"
# On a phone Streamlit stacks columns one per row, so each step's ↑, ↓ and "leave out" took
# three rows of their own under its name. There the name keeps a row and the three buttons
# share the one beneath it.
STEP_ROWS_CSS = f"""<style>
@media (max-width: 640px) {{
  [class*="st-key-{STEP_ROW_KEY}_"] [data-testid="stHorizontalBlock"] {{
    flex-wrap: wrap !important; gap: 0.25rem 0.5rem;}}
  [class*="st-key-{STEP_ROW_KEY}_"] [data-testid="stColumn"] {{
    flex: 0 0 auto !important; width: auto !important; min-width: 0 !important;}}
  [class*="st-key-{STEP_ROW_KEY}_"] [data-testid="stColumn"]:first-child {{
    flex: 1 1 100% !important; width: 100% !important;}}
}}
</style>"""

BY = OneOf("by", TOUR_BY, "project")
ORDER = IdList("order")  # bound to the steps the tour can take
STEP = WholeNumber("step")  # bound to the tour's steps
AUTO = WholeNumber("auto", low=0, high=MAX_AUTO_SECONDS)
PLAY = Flag("play")
declare_page("pages/7_Present.py", *MAP_PARAMS, BY, ORDER, STEP, AUTO, PLAY)


def tour_url(view: ExplorerView, by: TourBy, order: list[str] | None, auto: int,
             **extra: object) -> dict[str, object]:
    """The URL parameters of a tour: the view's, then the tour's own."""
    return {**view.url, "by": None if by == "project" else by,
            "order": None if order is None else format_order(order),
            "auto": auto or None, **extra}


def render_present() -> None:
    """The Present page, preparing or presenting as the URL says."""
    if url_value(PLAY):
        _present()
    else:
        _prepare()


# Preparing ----------------------------------------------------------------------------------

def _set_order(order: list[str] | None) -> None:
    st.session_state["t_order"] = order


def _new_steps() -> None:
    """Another kind of step: a new list, from its first page."""
    _set_order(None)
    st.session_state[_STEPS_PAGE_KEY] = 1


def _move(order: list[str], key: str, offset: int) -> None:
    _set_order(move(order, key, offset))


def _leave_out(order: list[str], key: str) -> None:
    _set_order([k for k in order if k != key])


def _add_back(order: list[str], key: str) -> None:
    _set_order([*order, key])


def _start() -> None:
    st.session_state["t_start"] = True


def _prepare() -> None:
    lang = page_frame("present_title")
    snap = current_snapshot()
    view = explorer_sidebar(snap, lang)
    st.title(t("present_title", lang))
    st.caption(t("present_intro", lang))

    ss = st.session_state
    # Seeded from the URL like the filters, so they survive a language switch.
    init_from_url("t_by", BY)
    init_from_url("t_auto", AUTO)

    settings, steps_col = st.columns([2, 3], gap="large")
    with settings:
        st.radio(t("tour_by", lang), TOUR_BY, key="t_by", horizontal=True,
                 format_func=lambda b: t(f"tour_by_{b}", lang), on_change=_new_steps)
        st.number_input(t("tour_auto", lang), min_value=0, max_value=MAX_AUTO_SECONDS,
                        step=5, key="t_auto")
    by: TourBy = ss["t_by"]
    available = tour_keys(snap, view.filters, by)
    if "t_order" not in ss:
        ss["t_order"] = url_value(ORDER.among(available))
    order = ordered_keys(available, ss["t_order"])
    with steps_col:
        st.markdown(f"**{md(t('tour_order', lang))}**")
        st.markdown(f"0\\. {md(t('tour_overview', lang))}")
        if not available:
            st.info(t("tour_no_steps", lang))
        page, pages = page_number(len(order), int(ss.get(_STEPS_PAGE_KEY, 1)), STEPS_PAGE)
        ss[_STEPS_PAGE_KEY] = page
        first = (page - 1) * STEPS_PAGE
        st.html(STEP_ROWS_CSS)
        for i, key in enumerate(order[first:first + STEPS_PAGE], start=first + 1):
            with st.container(key=f"{STEP_ROW_KEY}_{key}"):
                label, up, down, out = st.columns([7, 1, 1, 3], vertical_alignment="center")
                label.markdown(f"{i}\\. {md(step_label(snap, by, key, lang))}")
                up.button("↑", key=f"t_up_{key}", help=t("tour_up", lang), disabled=i == 1,
                          on_click=_move, args=(order, key, -1))
                down.button("↓", key=f"t_down_{key}", help=t("tour_down", lang),
                            disabled=i == len(order), on_click=_move, args=(order, key, 1))
                out.button(t("tour_remove", lang), key=f"t_out_{key}", on_click=_leave_out,
                           args=(order, key))
        if pages > 1:
            steps = ListPage(pd.DataFrame(), len(order), page, pages, STEPS_PAGE)
            page_controls(steps, _STEPS_PAGE_KEY, lang, text=t(
                "tour_steps_page", lang, first=format_number(steps.first, lang),
                last=format_number(steps.last, lang), total=format_number(len(order), lang)))
        kept = set(order)
        left_out = [k for k in available if k not in kept]
        if left_out:
            count = format_number(len(left_out), lang)
            st.markdown(f"**{md(t('tour_left_out', lang))}** ({md(count)})")
            for key in left_out[:MAX_LEFT_OUT]:
                label, back = st.columns([8, 4], vertical_alignment="center")
                label.markdown(md(step_label(snap, by, key, lang)))
                back.button(t("tour_add_back", lang), key=f"t_back_{key}", on_click=_add_back,
                            args=(order, key))
            if len(left_out) > MAX_LEFT_OUT:
                st.caption(t("tour_left_out_more", lang,
                             n=format_number(len(left_out) - MAX_LEFT_OUT, lang)))
        if ss["t_order"] is not None:
            st.button(t("tour_reset_order", lang), on_click=_set_order, args=(None,))

    chosen = None if ss["t_order"] is None else order
    url = tour_url(view, by, chosen, int(ss["t_auto"]))
    st.button(t("tour_start", lang), type="primary", on_click=_start)
    if ss.pop("t_start", False):
        ss.pop("t_last_step_at", None)
        write_url({**url, "play": "1", "step": "0"})
        st.rerun()
    render_exports(snap, view, lang, by, chosen)
    write_url(url)
    url_notice(lang)


# Presenting ---------------------------------------------------------------------------------

def _go(step: int) -> None:
    set_url_param("step", str(step))
    st.session_state["t_last_step_at"] = time.monotonic()


def _exit() -> None:
    drop_url_param("play")
    st.session_state.pop("t_paused", None)
    # The buttons live in the timer's fragment, which reruns alone: leave it for the page.
    st.rerun(scope="app")


def _toggle_pause() -> None:
    st.session_state["t_paused"] = not st.session_state.get("t_paused", False)
    st.session_state["t_last_step_at"] = time.monotonic()
    st.rerun(scope="app")  # the timer is set up outside the fragment


# Presenting layout (static CSS, so st.html's sanitizer has nothing to strip):
# - a headline value's type fits its box: sized by the value's length class against the
#   box's width (container units), and wrapped between words rather than cut with "…";
#   a headline's label wraps too;
# - the map is as tall as the screen leaves room for, so the step buttons are in view;
# - the step buttons stay at the bottom of the screen when the page is taller (a phone).
# On a phone (Streamlit stacks columns below 640 px) the first screen holds the title, the
# whole map and the buttons: smaller type for the title, a map as tall as Kazakhstan is wide
# needs (it would otherwise run on under the buttons, with half the country hidden), and the
# buttons in two rows instead of five, Previous and Next side by side. No key hint on a touch
# screen, which has no keys to press.
GLYPH_EM = 0.52  # an average bold figure's width, in ems (digits, spaces, "EUR", words)
PRESENT_CSS = "<style>" + "".join(
    f'[class*="st-key-t_fig_{n}_"] [data-testid="stMetricValue"],'
    f'[class*="st-key-t_fig_{n}_"] [data-testid="stMetricValue"] p'
    f"{{font-size: min(2.9rem, {100 / (n * GLYPH_EM):.2f}cqi) !important;}}"
    for n in HEADLINE_LENGTHS) + """
[class*="st-key-t_fig_"] {container-type: inline-size;}
[data-testid="stMetricValue"] > div, [data-testid="stMetricValue"] p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: normal !important;}
.st-key-t_map iframe {height: clamp(320px, calc(100vh - 300px), 720px) !important;}
.st-key-t_controls {background: #ffffff; padding: 0.35rem 0 0.25rem;
  border-top: 1px solid #d0d0d0;}
:has(> .st-key-t_controls) {position: sticky; bottom: 0; z-index: 1000;}
.st-key-t_controls [data-testid="stCaptionContainer"] p {font-size: 1rem !important;}
[data-testid="stMetricLabel"] *, [data-testid="stMetricLabel"] {white-space: normal !important;
  overflow: visible !important; text-overflow: clip !important;}
@media (max-width: 640px) {
  h1 {font-size: 1.9rem !important;}
  [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
    font-size: 1.05rem !important;}
  .st-key-t_map iframe {height: clamp(240px, 80vw, calc(100vh - 300px)) !important;}
  [data-testid="stHorizontalBlock"]:has(.st-key-t_map) {row-gap: 1rem;}
  .st-key-t_controls [data-testid="stHorizontalBlock"] {flex-wrap: wrap; gap: 0.4rem 0.75rem;}
  .st-key-t_controls [data-testid="stColumn"] {flex: 0 1 auto !important; min-width: 0 !important;
    width: auto !important; order: 3;}
  .st-key-t_controls [data-testid="stColumn"]:has(.st-key-t_prev),
  .st-key-t_controls [data-testid="stColumn"]:has(.st-key-t_next) {
    flex: 1 1 calc(50% - 0.375rem) !important; width: calc(50% - 0.375rem) !important;
    order: 1;}
  .st-key-t_controls [data-testid="stColumn"]:has(.st-key-t_next) {order: 2;}
  .st-key-t_controls [data-testid="stColumn"]:not(:has(button)) {flex: 1 1 0 !important;}
  .st-key-t_controls [data-testid="stColumn"]:not(:has([data-testid="stElementContainer"])) {
    display: none;}
  .st-key-t_controls [data-testid="stMarkdownContainer"] p {font-size: 1.15rem;}
}
@media (hover: none) {
  .st-key-t_controls [data-testid="stCaptionContainer"] {display: none;}
}
</style>"""


# Keys pressed while the map has the focus (after a click on it) step the tour as they do on
# the page: the map's frame passes them on to the page instead of panning the map. A
# presenter's clicker sends PageUp / PageDown: on the map and on the page they step too.
# The page's shortcuts (hotkeys) read keyCode, which a made event carries only if given.
_KEYS_TO_PAGE = """
(function () {
    var page = window.parent;
    if (!page || page === window) { return; }
    var steps = {ArrowLeft: ["ArrowLeft", 37], ArrowRight: ["ArrowRight", 39],
                 PageUp: ["ArrowLeft", 37], PageDown: ["ArrowRight", 39],
                 Escape: ["Escape", 27], " ": [" ", 32]};
    function send(key, code) {
        ["keydown", "keyup"].forEach(function (type) {
            var e = new page.KeyboardEvent(type, {key: key, code: key === " " ? "Space" : key,
                                                  bubbles: true, cancelable: true});
            Object.defineProperty(e, "keyCode", {get: function () { return code; }});
            Object.defineProperty(e, "which", {get: function () { return code; }});
            page.document.body.dispatchEvent(e);
        });
    }
    function onPresentPage() {
        return !!page.document.querySelector(".st-key-t_controls");
    }
    window.addEventListener("keydown", function (e) {
        var to = steps[e.key];
        if (!to || e.altKey || e.ctrlKey || e.metaKey || !onPresentPage()) { return; }
        e.preventDefault();
        e.stopPropagation();
        send(to[0], to[1]);
    }, true);
    // The newest map's frame listens on the page (a step's old frame is gone with its code).
    function clicker(e) {
        var to = (e.key === "PageUp" || e.key === "PageDown") && steps[e.key];
        if (!to || !e.isTrusted || !onPresentPage()) { return; }
        e.preventDefault();
        e.stopPropagation();
        send(to[0], to[1]);
    }
    if (page.atlasClickerKeys) {
        page.document.removeEventListener("keydown", page.atlasClickerKeys, true);
    }
    page.atlasClickerKeys = clicker;
    page.document.addEventListener("keydown", clicker, true);
})();
"""


class PresentMapFrame(VerbatimMacro):
    """What the step's map adds to its frame: the map fills the height the page gives the
    frame (see PRESENT_CSS), and keys go on to the page (see ``_KEYS_TO_PAGE``)."""

    _template = Template(
        "{% macro header(this, kwargs) %}"
        "<style>#map_div,#map_div2{height:100vh !important}</style>"
        "{% endmacro %}"
        "{% macro script(this, kwargs) %}" + _KEYS_TO_PAGE + "{% endmacro %}")


def _present() -> None:
    lang = page_frame("present_title", presenting=True)
    st.html(PRESENT_CSS)
    snap = current_snapshot()
    view = url_view(snap, lang)
    by: TourBy = url_value(BY)
    available = tour_keys(snap, view.filters, by)
    keys = ordered_keys(available, url_value(ORDER.among(available)))
    total = len(keys) + 1  # the opening, then one step a key
    auto: int = url_value(AUTO)
    ss = st.session_state
    ss.setdefault("t_last_step_at", time.monotonic())
    running = auto > 0 and not ss.get("t_paused", False)

    @st.fragment(run_every=timedelta(seconds=auto) if running else None)
    def stage() -> None:
        index: int = url_value(STEP.within(0, total - 1))
        # A timer run moves on once the step has been shown for ``auto`` seconds (a step
        # just taken by hand gets its full time); after the last step the tour starts again,
        # as a kiosk would. A small margin, as the timer may fire a little early.
        if running and not ss.get("t_paused", False) \
                and time.monotonic() - ss["t_last_step_at"] >= auto - 0.25:
            index = (index + 1) % total
            _go(index)
        _step_view(snap, _step(snap, view, by, keys, index, lang), view.options, lang)
        _controls(index, total, auto, lang)

    stage()


def _step(snap: Snapshot, view: ExplorerView, by: TourBy, keys: list[str], index: int,
          lang: str) -> TourStep:
    """Step ``index`` of the tour (0 the opening, then ``keys`` in order): only the step shown
    is made, however many the tour has."""
    currency = view.options.currency
    if index == 0:
        return overview_step(snap, view.filters, lang, currency)
    make = project_step if by == "project" else region_step
    return make(snap, view.filters, keys[index - 1], lang, currency)


def _step_view(snap: Snapshot, step: TourStep, base: MapOptions, lang: str) -> None:
    st.title(md(step.title))
    st.caption(md(step.subtitle))
    map_col, facts = st.columns([3, 2], gap="large")
    with map_col, st.container(key="t_map"):
        options = replace(step.map_options(base), height=MAP_HEIGHT, web_tiles=False,
                          large_print=True)
        # A new key per step: the map is drawn afresh and moves to the step's bounds.
        st_folium(_step_map(snap, step, options), height=MAP_HEIGHT,
                  use_container_width=True, returned_objects=[],
                  key=f"present_map_{step.kind}_{step.key}")
    with facts:
        for row in range(0, len(step.figures), 2):
            for column, (i, figure) in zip(st.columns(2),
                                           enumerate(step.figures[row:row + 2], start=row),
                                           strict=False):
                # Keyed by the value's length class: PRESENT_CSS sizes its type to fit.
                with column.container(key=f"t_fig_{headline_length(figure.value)}_{i}"):
                    st.metric(figure.label, figure.value)
        # What each derived figure is derived from, under the figures at the column's whole
        # width (in a figure's half it took five lines); one line for figures derived alike.
        for line in derivations(step.figures):
            st.caption(md(line))
        if step.donors:
            st.markdown(f"**{md(t('col_donors', lang))}:** {md('; '.join(step.donors))}")
        if step.implementers and step.kind != "overview":
            st.markdown(f"**{md(t('col_implementers', lang))}:** "
                        f"{md('; '.join(step.implementers))}")
        if step.kind == "region" and step.items:
            st.markdown(f"**{md(t('tour_projects_here', lang))}:** "
                        f"{md('; '.join(step.items))}")
        if step.kind == "overview" and step.items:
            st.markdown(f"**{md(t('col_regions', lang))}:** {md('; '.join(step.items))}")
        if step.sdgs:
            st.html(sdg_badges_html([(b.goal, b.name, b.colour) for b in step.sdgs],
                                    font_size=1.3))


def _step_map(snap: Snapshot, step: TourStep, options: MapOptions) -> folium.Map:
    """The step's map, kept for the session: the same map object renders the same HTML, so
    a rerun of the same step (the automatic tour's timer) leaves the map as it is."""
    maps = st.session_state.setdefault("t_maps", {})
    key = (snap.version, step.kind, step.key, step.filters, options)
    if key not in maps:
        if len(maps) > 64:
            maps.clear()
        fmap = explorer_map(snap, step.filters, options)
        PresentMapFrame().add_to(fmap)
        maps[key] = fmap
    return maps[key]  # type: ignore[no-any-return]


def _controls(index: int, total: int, auto: int, lang: str) -> None:
    with st.container(key="t_controls"):
        _buttons(index, total, auto, lang)


def _buttons(index: int, total: int, auto: int, lang: str) -> None:
    prev_col, where, next_col, pause_col, exit_col = st.columns(
        [2, 3, 2, 2, 1], vertical_alignment="center")
    prev_col.button(f"← {t('tour_prev', lang)}", key="t_prev", shortcut="Left",
                    disabled=index == 0, on_click=_go, args=(index - 1,), width="stretch")
    # The step in the container's key tells a test (or a script) that the buttons below are
    # this step's: until the rerun reaches them, the previous step's stay on the page.
    where.container(key=f"t_at_{index}").markdown(
        f"**{md(t('tour_step', lang, n=index + 1, total=total))}**")
    next_col.button(f"{t('tour_next', lang)} →", key="t_next", shortcut="Right",
                    disabled=index == total - 1, on_click=_go, args=(index + 1,),
                    type="primary", width="stretch")
    if auto:
        paused = st.session_state.get("t_paused", False)
        if pause_col.button(t("tour_resume" if paused else "tour_pause", lang), key="t_pause",
                            shortcut="Space", width="stretch"):
            _toggle_pause()
    if exit_col.button(t("tour_exit", lang), key="t_exit", shortcut="Esc"):
        _exit()
    st.caption(md(t("tour_keys_hint", lang) + (
        " · " + t("tour_auto_on", lang, seconds=auto) if auto else "")))
