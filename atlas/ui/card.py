"""The project card, drawn from ``atlas.cards.ProjectCard`` with every string escaped."""

from __future__ import annotations

import streamlit as st

from atlas.cards import ProjectCard, conversion_lines
from atlas.i18n import t
from atlas.query import CountedFlow
from atlas.snapshot import Snapshot
from atlas.ui.text import md, safe_url, sdg_badges_html


def results_markdown(card: ProjectCard, lang: str) -> str:
    """A project's results as an escaped Markdown list, breakdowns nested under each."""
    lines = []
    for r in card.results:
        line = f"- **{md(r.value)}** — {md(r.label)}"
        if r.joint_with:
            line += f" *({md(t('card_joint', lang))} {md(r.joint_with)})*"
        if r.note:
            line += f" *({md(r.note)})*"
        lines.append(line)
        lines.extend(f"    - {md(c.value)} — {md(c.label)}"
                     + (f" *({md(c.note)})*" if c.note else "") for c in r.children)
    return "\n".join(lines)


def sources_markdown(card: ProjectCard) -> str:
    """A project's sources as an escaped Markdown list; only http(s) URLs become links."""
    lines = []
    for s in card.sources:
        url = safe_url(s.url)
        title = f"[{md(s.title)}]({url})" if url else md(s.title)
        lines.append(f"- {title} — {md(s.publisher)}" + (f", {md(s.date)}" if s.date else ""))
    return "\n".join(lines)


def render_card(card: ProjectCard, lang: str) -> None:
    """Show one project's card: what it is, its budget and partners on top; the long lists
    (partner notes, funding lines, results, goals, sites, context, sources) folded in
    expanders, so the
    card reads in one screen and opens the part the reader wants."""
    st.subheader(md(card.title))
    st.caption(md(f"{card.status} · {card.period}"
                  + (f" · {card.contract}" if card.contract else "")
                  + (f" · {card.method}" if card.method else "")
                  + (f" · {t('card_iati', lang, id=card.iati_identifier)}"
                     if card.iati_identifier else "")))
    st.html(sdg_badges_html([(b.goal, b.name, b.colour) for b in card.sdgs]))
    st.write(md(card.summary))
    st.metric(t("card_budget", lang), card.budget)
    if card.budget_note:
        st.caption(md(card.budget_note))

    st.markdown(f"**{md(t('card_partners', lang))}**")
    st.markdown("\n".join(f"- {md(p.role)}: **{md(p.name)}**" for p in card.partners))
    # How each source words a partner, and the notes on them: long, read by few.
    described = [p for p in card.partners if p.as_stated or p.note]
    if described:
        with st.expander(f"{t('card_partner_notes', lang)} ({len(described)})"):
            st.markdown("\n".join(
                f"- **{md(p.name)}**"
                + (f" — {md(t('role_in_source', lang))}: «{md(p.as_stated)}»"
                   if p.as_stated else "")
                + (f" *({md(p.note)})*" if p.note else "")
                for p in described))

    if card.money:
        with st.expander(f"{t('card_funding', lang)} ({len(card.money)})"):
            st.markdown("\n".join(
                f"- {md(m.source)} → {md(m.target)}: **{md(m.amount)}**"
                + (f" ≈ {md(m.converted)}" if m.converted else "")
                + (f" *({md(m.note)})*" if m.note else "")
                for m in card.money))

    if card.results:
        with st.expander(f"{t('card_results', lang)} ({len(card.results)})"):
            st.markdown(results_markdown(card, lang))

    with st.expander(t("card_sdgs", lang)):
        st.markdown("\n".join(
            f"- **{b.goal}** {md(b.name)}" + (f" ({md(b.targets)})" if b.targets else "")
            + f": {md(b.rationale)}" for b in card.sdgs))
    with st.expander(f"{t('card_sites', lang)} ({len(card.sites)})"):
        st.markdown("\n".join(f"- {md(s)}" for s in card.sites))
    if card.context:
        with st.expander(t("card_context", lang)):
            st.markdown("\n".join(f"- {md(c.label)}: **{md(c.value)}**" for c in card.context))

    with st.expander(f"{t('card_sources', lang)} ({len(card.sources)})"):
        st.markdown(sources_markdown(card))
    if card.details:
        with st.expander(t("how_computed", lang)):
            st.markdown("\n".join(f"- {md(d)}" for d in card.details))


# A view of thousands of projects counts thousands of amounts: the page lists the first ones
# (rendering them all took longer than the rest of the page), the workbook download all.
CONVERSIONS_SHOWN = 50


def conversion_footnote(snap: Snapshot, flows: list[CountedFlow], lang: str) -> None:
    """An expander listing each counted amount: original, rate, year, source (or no rate)."""
    if not flows:
        return
    shown = flows[:CONVERSIONS_SHOWN]
    with st.expander(f"{t('conversion_title', lang)} ({len(flows)})"):
        lines = [f"- {md(line)}" for line in conversion_lines(snap, shown, lang)]
        if len(flows) > len(shown):
            lines.append(f"- {md(t('conversion_more', lang, n=len(flows) - len(shown)))}")
        st.markdown("\n".join(lines))
