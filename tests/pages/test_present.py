"""The Present page (AppTest): prepare a tour, start it, step through it, leave it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.pages.support import metric, open_page, run

PAGE = "pages/7_Present.py"
EU_DEFAULT = ["auyldy-birlese-damytu", "glocal", "eu-tald-east-central"]


def app(**params: str) -> AppTest:
    return open_page(PAGE, **params)


def step_labels(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if m.value[:1].isdigit() and "\\." in m.value[:4]]


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return run(at)


def test_preparing_lists_the_steps_of_the_filtered_view() -> None:
    at = run(app(donor="eu"))
    labels = step_labels(at)
    assert labels[0] == "0\\. Overview" and len(labels) == 4
    assert "GLocal" in labels[2]
    downloads = [e.proto.label for e in at.get("download_button")]
    assert downloads == ["Map image (PNG)", "Map (PDF)", "Slides (PPTX)", "Offline map (HTML)"]


def test_reorder_leave_out_and_add_back_live_in_the_url() -> None:
    at = run(app(donor="eu"))
    click(at, "t_down_auyldy-birlese-damytu")
    assert at.query_params.get("order") == "glocal,auyldy-birlese-damytu,eu-tald-east-central"
    click(at, "t_out_glocal")
    assert at.query_params.get("order") == "auyldy-birlese-damytu,eu-tald-east-central"
    assert any("Left out" in m.value for m in at.markdown)
    click(at, "t_back_glocal")
    assert at.query_params.get("order") == "auyldy-birlese-damytu,eu-tald-east-central,glocal"
    reset = [b for b in at.button if b.label == "All steps in the default order"]
    reset[0].click()
    run(at)
    assert "order" not in at.query_params


def test_a_prepared_link_reopens_the_same_tour() -> None:
    at = run(app(donor="eu", by="region", order="KAZ008,KAZ014", auto="20"))
    assert at.radio(key="t_by").value == "region"
    assert at.number_input(key="t_auto").value == 20
    labels = step_labels(at)
    assert labels[1:] == ["1\\. East Kazakhstan Region", "2\\. Mangystau Region"]


def test_changing_projects_to_regions_starts_from_the_default_order() -> None:
    at = run(app(donor="eu", order="glocal"))
    at.radio(key="t_by").set_value("region")
    run(at)
    assert "order" not in at.query_params and at.query_params.get("by") == "region"
    assert len(step_labels(at)) == 5  # overview and the EU's four regions


def test_start_step_through_and_exit() -> None:
    at = run(app(donor="eu", lang="en"))
    start = [b for b in at.button if b.label == "Start the presentation"]
    start[0].click()
    run(at)
    assert at.query_params.get("play") == "1" and at.query_params.get("step") == "0"
    assert len(at.sidebar.children) == 0 or not at.sidebar.multiselect  # no controls beside
    assert at.title[0].value == "Kazakhstan Project Atlas"
    assert metric(at, "kpi_funding") == "1,232,570 EUR"
    assert metric(at, "kpi_projects") == "3"
    assert at.button(key="t_prev").disabled
    click(at, "t_next")
    assert at.query_params.get("step") == "1"
    assert "Auyldy birlese damytu" in at.title[0].value
    click(at, "t_next")
    assert at.title[0].value == "GLocal"
    assert metric(at, "card_budget") == "428,000 EUR"
    assert any("Step 3 of 4" in m.value for m in at.markdown)
    click(at, "t_prev")
    assert at.query_params.get("step") == "1"
    click(at, "t_exit")
    assert "play" not in at.query_params
    assert at.title[0].value == "Presentation"


def test_presenting_reads_the_whole_tour_from_the_url() -> None:
    at = run(app(play="1", donor="eu", order="glocal", step="1", lang="ru", cur="KZT"))
    assert at.title[0].value == "GLocal"
    assert metric(at, "card_budget", "ru") == "428\u00a0000 EUR"
    assert metric(at, "col_funding", "ru").endswith("KZT")
    assert not at.multiselect  # the filters are not drawn while presenting
    assert at.button(key="t_next").disabled  # the last of two steps


def test_a_step_past_the_end_shows_the_last() -> None:
    at = run(app(play="1", donor="eu", step="99"))
    assert at.title[0].value == "Greater stakeholder engagement at the local level in East " \
        "and Central Kazakhstan"


def test_automatic_tour_moves_on_when_its_time_is_up() -> None:
    at = run(app(play="1", donor="eu", auto="30"))
    assert at.query_params.get("step") == "0" if "step" in at.query_params else True
    assert at.button(key="t_pause").label == "Pause"
    at.session_state["t_last_step_at"] = 0.0  # shown long ago: the timer run moves on
    run(at)
    assert at.query_params.get("step") == "1"
    click(at, "t_pause")
    assert at.button(key="t_pause").label == "Play"
    at.session_state["t_last_step_at"] = 0.0
    run(at)
    assert at.query_params.get("step") == "1"  # paused: stays


def test_region_tour_step_names_the_projects_there() -> None:
    at = run(app(play="1", donor="eu", by="region", order="KAZ011", step="1"))
    assert at.title[0].value == "Karaganda Region"
    assert metric(at, "kpi_projects") == "2"
    assert any("Projects here" in m.value for m in at.markdown)


def test_tour_settings_survive_a_language_switch() -> None:
    at = run(app(donor="eu", by="region", auto="15", order="KAZ011,KAZ014"))
    at.radio(key="lang_radio").set_value("ru")
    run(at)
    at.number_input(key="t_auto").set_value(20)
    run(at)
    assert at.radio(key="t_by").value == "region"
    assert at.query_params.get("order") == "KAZ011,KAZ014"
    assert at.query_params.get("auto") == "20" and at.query_params.get("lang") == "ru"
    assert at.multiselect(key="f_donor").value == ["eu"]
