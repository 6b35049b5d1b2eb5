"""The Sankey diagram of where the money goes: donor -> operator or lead -> region."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape as _escape

import pandas as pd
import plotly.graph_objects as go

from atlas.cards import inferred_note
from atlas.figures import format_figure, total
from atlas.flows import OTHERS, SankeyBand, SankeyData, SankeyNode, fold_sankey
from atlas.i18n import t
from atlas.maps import style
from atlas.model import Qualifier
from atlas.query import donor_ranking
from atlas.snapshot import Snapshot


def escape(text: str) -> str:
    """``text`` safe in plotly's hover and label HTML; quotes stay as typed (plotly prints
    ``&quot;`` literally, and no text here goes into an attribute)."""
    return _escape(text, quote=False)

VIA_COLOUR = "#7f7f7f"
_TITLES_PER_BAND = 3  # a band of a folded column can carry thousands of projects
REGION_COLOUR = style.SEQUENTIAL[3]
# A band whose route (who pays whom) is our reading is drawn lighter than a stated one.
STATED_ALPHA, INFERRED_ALPHA = 0.45, 0.18


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


_OTHERS_TEXT = {"donor": "other_donors", "via": "sankey_other_vias",
                "region": "sankey_other_regions"}


def node_names(snap: Snapshot, nodes: list[SankeyNode], lang: str,
               folded: dict[str, int] | None = None) -> dict[str, str]:
    """Full display names of the nodes (organizations and regions) in ``lang``; a folded
    column's "others" node says how many it stands for."""
    orgs = snap.organization_names(lang)
    regions = snap.region_names(lang)
    folded = folded or {}
    return {n.id: t(_OTHERS_TEXT[n.kind], lang, n=folded.get(n.id, 0)) if n.key == OTHERS
            # The region of nationwide sites has no code: their money goes to the country.
            else (regions.get(n.key, n.key) if n.key else t("where_national", lang))
            if n.kind == "region" else orgs.get(n.key, n.key)
            for n in nodes}


NODE_GAP = 48  # px between the nodes of a column: room for a label of three lines
NODE_ROOM = 90  # px of height a node, its label and the gap below it need
LINE_LENGTH = 26  # characters of a line of a node's label
LABEL_LINES = 2  # lines of a node's label; the full name is in its tooltip


def label_lines(name: str, width: int = LINE_LENGTH, lines: int = LABEL_LINES) -> list[str]:
    """``name`` in at most ``lines`` lines of about ``width`` characters, broken between
    words; what does not fit is cut after a whole word and marked "…" (a ministry's full name
    on one line would run into the next column's labels)."""
    words = [w if len(w) <= width else w[:width - 2] + " …" for w in name.split()]
    out: list[str] = []
    while words and len(out) < lines:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        last = out[-1]
        if len(last) + 2 > width:  # room for the mark: drop the line's last word
            last = last.rsplit(" ", 1)[0] if " " in last else last[:width - 1]
        out[-1] = last.rstrip(" ,;:-–(") + " …"
    return out


# Characters of a line of hover text: plotly never wraps a tooltip, so a band's project titles
# on one line ran past the plot's right edge (1,347 px of tooltip in a 980 px plot at 1440 px).
# At about 300 px a tooltip fits beside the pointer on either side of a plot 640 px wide.
HOVER_LINE_LENGTH = 44


def hover_lines(text: str, tag: str = "", width: int = HOVER_LINE_LENGTH) -> str:
    """``text`` escaped for plotly's hover HTML, in lines of about ``width`` characters broken
    between words (a longer word alone on its line, whole), each line in ``<tag>`` if given."""
    words = text.split()
    out: list[str] = []
    while words:
        line = words.pop(0)
        while words and len(line) + 1 + len(words[0]) <= width:
            line += " " + words.pop(0)
        out.append(line)
    return "<br>".join(f"<{tag}>{escape(line)}</{tag}>" if tag else escape(line)
                       for line in out)


def band_label(snap: Snapshot, band: SankeyBand, lang: str, currency: str) -> str:
    """"European Union → ARGO: 820 000 EUR", the words a band is known by (the picker)."""
    return band_labels(snap, [band], lang, currency)[0]


def band_labels(snap: Snapshot, bands: list[SankeyBand], lang: str,
                currency: str) -> list[str]:
    """``band_label`` of each band, the names looked up once for all of them."""
    nodes = list({n.id: n for b in bands for n in (b.source, b.target)}.values())
    names = node_names(snap, nodes, lang)
    return [f"{names[b.source.id]} → {names[b.target.id]}: "
            f"{format_figure(b.figure, lang, currency)}" for b in bands]


def band_basis(band: SankeyBand, lang: str, *, short: bool = False) -> list[str]:
    """What a band's figure rests on when a source does not state it as it is (in a word or
    two when ``short``): at least what its recipient passes on, shared out among a project's
    sites (every band into a region), or otherwise worked out from the sources. All of these
    are arithmetic ("derived"); a route that is our reading is ``inferred_band_notes``."""
    figure = band.figure
    notes = []
    if figure.qualifier is Qualifier.APPROXIMATE and short:
        notes.append(t("sankey_note_approximate", lang))
    bound = figure.qualifier is Qualifier.AT_LEAST and figure.derived
    if bound:
        notes.append(t("sankey_note_at_least" if short else "sankey_basis_at_least", lang))
    if figure.derived and band.target.kind == "region":
        notes.append(t("sankey_note_split" if short else "sankey_basis_split", lang))
    elif figure.derived and not bound:
        notes.append(t("sankey_note_calculated" if short else "sankey_basis_calculated", lang))
    return notes


@dataclass(frozen=True)
class FlowRow:
    """One band of the drawn Sankey as a table row (the phone's view of it)."""

    source: str
    target: str
    value: float
    note: str  # what the figure rests on when a source does not state it as it is


def sankey_rows(snap: Snapshot, data: SankeyData, lang: str) -> list[FlowRow]:
    """The bands the Sankey of ``data`` draws (folded as it folds them), full names in
    ``lang``, largest first: a table that holds the same flows as the diagram."""
    folding = fold_sankey(data)
    names = node_names(snap, folding.data.nodes, lang, folding.folded)
    # The table has no lighter bands: a route that is our reading says so in words.
    reading = [[t("sankey_note_our_reading", lang)] if why else []
               for why in inferred_band_notes(snap, folding.data.bands, lang)]
    rows = [FlowRow(names[b.source.id], names[b.target.id], float(b.figure.value or 0.0),
                    "; ".join(band_basis(b, lang, short=True) + ours))
            for b, ours in zip(folding.data.bands, reading, strict=True)]
    return sorted(rows, key=lambda r: -r.value)


def flow_table(snap: Snapshot, data: SankeyData, lang: str, currency: str) -> pd.DataFrame:
    """The Sankey's bands as a table in ``lang``: from, to, amount (a number), its basis."""
    rows = sankey_rows(snap, data, lang)
    return pd.DataFrame({
        t("sankey_col_from", lang): [r.source for r in rows],
        t("sankey_col_to", lang): [r.target for r in rows],
        t("sankey_col_amount", lang, cur=currency): [r.value for r in rows],
        t("sankey_col_note", lang): [r.note for r in rows],
    })


def inferred_band_notes(snap: Snapshot, bands: list[SankeyBand], lang: str) -> list[str]:
    """For each band, "our reading, not stated: <why>" (the card's words) when money in it
    follows a route that is our reading (a donor's band to the organization it is taken to
    pay, and that money's way on to the regions), else ""."""
    flows = snap.table("funding_flows")
    if "route_qualifier" not in flows.columns:
        return [""] * len(bands)
    rows = flows.loc[flows["route_qualifier"].eq("inferred")].to_dict("records")
    why: dict[tuple[str, str, str], str] = {
        (str(r["project_id"]), str(r["from_org_id"]), str(r["to_org_id"])):
            inferred_note(r, lang, "route_qualifier", "route_basis") for r in rows}
    notes = []
    for b in bands:
        payer, payee = (b.source.key, b.target.key) if b.source.kind == "donor" else \
            (b.donor_id, b.source.key)
        found = dict.fromkeys(why[k] for p in b.project_ids if (k := (p, payer, payee)) in why)
        notes.append("; ".join(found))
    return notes


def sankey_figure(snap: Snapshot, data: SankeyData, lang: str = "en",
                  currency: str = "EUR", height: int = 420) -> go.Figure:
    """A plotly Sankey of ``data``: band widths are the amounts, colours the donors.

    A band's hover text keeps the qualifier ("at least", "derived"), which widths cannot show.
    Each column shows its ``MAX_NODES_PER_COLUMN`` largest nodes and folds the rest into one
    (``fold_sankey``): every amount stays, and the diagram stays readable at any size.
    """
    folding = fold_sankey(data)
    data = folding.data
    index = {n.id: i for i, n in enumerate(data.nodes)}
    full = node_names(snap, data.nodes, lang, folding.folded)
    palette = style.donor_palette(donor_ranking(snap))
    inflow: dict[str, list] = {n.id: [] for n in data.nodes}  # type: ignore[type-arg]
    outflow: dict[str, list] = {n.id: [] for n in data.nodes}  # type: ignore[type-arg]
    for b in data.bands:
        outflow[b.source.id].append(b.figure)
        inflow[b.target.id].append(b.figure)

    def node_label(node: SankeyNode) -> str:
        # Plotly reads <br> in labels: each line goes in escaped.
        # A middle node has no amount line: its name may take that line too.
        lines = label_lines(full[node.id], lines=LABEL_LINES + (node.kind == "via"))
        # Middle labels sit between two columns of bands: the name only, amounts on hover.
        # The amount has a line of its own: beside the name it ran into the middle labels.
        if node.kind != "via":
            figures = outflow[node.id] if node.kind == "donor" else inflow[node.id]
            lines.append(format_figure(total(figures), lang, currency, compact=True))
        return "<br>".join(escape(line) for line in lines)

    def node_hover(node: SankeyNode) -> str:
        figures = outflow[node.id] if node.kind == "donor" else inflow[node.id]
        amount = format_figure(total(figures), lang, currency)
        return f"{hover_lines(full[node.id])}<br>{hover_lines(amount, 'b')}"

    def node_colour(node: SankeyNode) -> str:
        if node.kind == "donor":
            return palette.get(node.key, style.UNCOLOURED)
        return VIA_COLOUR if node.kind == "via" else REGION_COLOUR

    link_text = []
    named = {p for b in data.bands for p in b.project_ids[:_TITLES_PER_BAND]}
    projects = snap.table("projects")
    projects = projects[projects["project_id"].isin(named)]
    title = {p: str(own or en) for p, own, en in zip(
        projects["project_id"], projects[f"title_{lang}"], projects["title_en"], strict=True)}
    inferred = inferred_band_notes(snap, data.bands, lang)
    for b, why in zip(data.bands, inferred, strict=True):
        titles = "; ".join(title[p] for p in b.project_ids[:_TITLES_PER_BAND])
        if len(b.project_ids) > _TITLES_PER_BAND:
            titles += " " + t("list_more", lang, n=len(b.project_ids) - _TITLES_PER_BAND)
        # Plotly reads a subset of HTML in hover text: data goes in escaped (hover_lines).
        link_text.append("<br>".join([
            hover_lines(f"{full[b.source.id]} → {full[b.target.id]}"),
            hover_lines(format_figure(b.figure, lang, currency), "b"),
            *(hover_lines(note, "i") for note in band_basis(b, lang)),
            hover_lines(titles),
            *([hover_lines(why, "i")] if why else [])]))
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        valueformat=",.0f",
        node={
            "label": [node_label(n) for n in data.nodes],
            "color": [node_colour(n) for n in data.nodes],
            "customdata": [node_hover(n) for n in data.nodes],
            "hovertemplate": "%{customdata}<extra></extra>",
            "pad": NODE_GAP,
            "thickness": 16,
            "line": {"color": "#444444", "width": 0.5},
        },
        link={
            "source": [index[b.source.id] for b in data.bands],
            "target": [index[b.target.id] for b in data.bands],
            "value": [b.figure.value for b in data.bands],
            "color": [_rgba(palette.get(b.donor_id, style.UNCOLOURED),
                            INFERRED_ALPHA if why else STATED_ALPHA)
                      for b, why in zip(data.bands, inferred, strict=True)],
            "customdata": link_text,
            "hovertemplate": "%{customdata}<extra></extra>",
        },
        hoverlabel={"align": "left"},
    ))
    column_sizes = Counter(n.kind for n in data.nodes)
    fig.update_layout(
        # Room for every label of the fullest column: labels of up to three lines need a gap
        # of their own height between nodes, whatever the amounts.
        height=max(height, NODE_ROOM * max(column_sizes.values(), default=1) + 80),
        # Labels stand out above the first node and below the last: a margin for each.
        margin={"l": 8, "r": 8, "t": 56, "b": 28},
        font={"size": 13, "family": "system-ui, sans-serif"},
        title={"text": t("sankey_title", lang, currency=currency) + (
                   f"<br><sup>{escape(t('sankey_inferred_band', lang))}</sup>"
                   if any(inferred) else ""), "font": {"size": 14},
               "x": 0, "xanchor": "left"},
    )
    return fig
