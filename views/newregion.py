"""新建地区 on the 数据 page: start a region from a plan's template (Jiangsu, Nanjing, Nanchang, Hubei, Nantong) or
from a typed hierarchy, or load the demonstration province.

A template carries the plan's regions, tiers and cited targets with the capability matrix and the budgets blank
(``planner.io.templates``). The user either downloads it, fills it offline and uploads it, or fills it here: a grid
of matrix states and one of budgets per region and year. Either way the engine's reader checks it
(``planner.io.draft``); until it validates the page says how many blanks are left and where the first problems
are. The draft lives in the session; its workbook can be downloaded at any time so nothing typed is lost.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import streamlit as st

from planner.domain import Cap, Message
from planner.i18n import text
from planner.io.draft import Blanks, Draft, check_draft, draft_bytes
from planner.io.excel import workbook_bytes
from planner.io.templates import (
    BLANK,
    Template,
    TemplateError,
    load_template,
    plan_keys,
    template_scenario,
    template_workbook,
)
from planner.quarters import Quarter, quarter_range
from planner.reports.figures import target_requirement
from views import state
from views.editing import Refused, as_number, cap_labels, number_text
from views.i18n import LANGS, lang, lang_keyed, t
from views.safe import quoted

SS = st.session_state
W = "nr_"  # this section's widget keys
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_MESSAGES = 5  # the first problems listed; the rest are counted
EXAMPLE_HIERARCHY = "某市(甲县,乙县,丙区)"


@st.cache_resource(max_entries=16, show_spinner=False)
def _template(key: str, start: str, hierarchy: str) -> Template:
    from planner.io.templates import blank_template

    first = Quarter.parse(start)
    return blank_template(hierarchy, first) if key == BLANK else load_template(key, first)


@st.cache_data(max_entries=8, show_spinner=False)
def _template_bytes(key: str, start: str, hierarchy: str) -> bytes:
    return workbook_bytes(template_workbook(_template(key, start, hierarchy)))


@st.cache_data(max_entries=4, show_spinner=False)
def _draft_bytes(ident: tuple, _draft: Draft) -> bytes:
    return draft_bytes(_draft)


def _default_start(key: str) -> str:
    if key == BLANK:
        return (Quarter.of(pd.Timestamp.today().date()) + 1).label
    return load_template(key).start.label


def _plan_changed() -> None:
    SS[W + "start"] = _default_start(SS[W + "plan"])


def _top(template: Template) -> str:
    return "、".join(r.name for r in template.dataset.regions if not r.parent)


def _load_example() -> None:
    state.load_example()
    state.notify(t("nr_example_loaded"), "success")


# ---------------------------------------------------------------------------------------------- picking

def _picker() -> Template | None:
    keys = [*plan_keys(), BLANK]
    if SS.get(W + "plan") not in keys:
        SS[W + "plan"] = "nanchang" if "nanchang" in keys else keys[0]
    if W + "start" not in SS:
        _plan_changed()
    labels = {k: t("nr_blank_option") if k == BLANK else _template(k, _default_start(k), "").title for k in keys}
    st.selectbox(t("nr_pick"), keys, key=lang_keyed(W + "plan"), format_func=labels.__getitem__,
                 on_change=_plan_changed)
    key = SS[W + "plan"]
    hierarchy = ""
    if key == BLANK:
        hierarchy = st.text_area(t("nr_hierarchy"), key=W + "hierarchy", placeholder=EXAMPLE_HIERARCHY,
                                 help=t("nr_hierarchy_help"), height=80).strip()
    starts = [q.label for q in quarter_range(Quarter(2023, 1), Quarter(2030, 4))]
    if SS[W + "start"] not in starts:
        starts.insert(0, SS[W + "start"])
    st.selectbox(t("nr_start"), starts, key=W + "start", help=t("nr_start_help"))
    if key == BLANK and not hierarchy:
        st.caption(t("nr_hierarchy_needed", example=EXAMPLE_HIERARCHY))
        return None
    try:
        return _template(key, SS[W + "start"], hierarchy)
    except TemplateError as exc:
        state.show_message(exc.message)
        return None


def _describe(template: Template) -> None:
    ds = template.dataset
    st.markdown(t("nr_template_info", top=_top(template), cities=len(template.cities),
                  counties=len(template.counties), items=len(ds.items), years=f"{template.years[0]}–"
                  f"{template.years[-1]}", targets=len(ds.targets)))
    for target in ds.targets:
        st.markdown(f"- **{target.id}** {target_requirement(target, lang())}")
    if not ds.targets:
        st.caption(t("nr_no_targets"))


def _start(template: Template, ident: tuple) -> None:
    SS.draft = Draft(template)
    SS.draft_ident = ident
    SS.draft_version = SS.get("draft_version", 0) + 1
    SS.pop("draft_report", None)


# --------------------------------------------------------------------------------------------- the grids

def _matrix_frame(draft: Draft) -> pd.DataFrame:
    by_cap = {cap: label for label, cap in cap_labels().items()}
    frame = pd.DataFrame([{t("col_region"): r, **{i: by_cap.get(draft.matrix.get((r, i))) for i in draft.items}}
                          for r in draft.regions])
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def _budget_frame(draft: Draft) -> pd.DataFrame:
    # text cells: a number cell would empty "abc" and read "1e12" as 112 before the app sees it
    frame = pd.DataFrame([{t("col_region"): r, **{str(y): number_text(draft.budgets.get((r, y)))
                                                  for y in draft.years}} for r in draft.regions], dtype=object)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return frame


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _current(draft: Draft, matrix: pd.DataFrame, budgets: pd.DataFrame,
             refused: list[str] | None = None) -> Draft:
    """The draft with what the grids show now (a copy: the grids start from the stored draft). A budget cell
    that is not a number is left out and named in ``refused``; a matrix cell is read in either language (the
    grid may hold the labels of the language it was filled in)."""
    labels = {text(f"cap_{c.value}", code): c for c in Cap for code in LANGS}
    cells: dict[tuple[str, str], Cap] = {}
    for n, region in enumerate(draft.regions):
        row = matrix.iloc[n]
        for item in draft.items:
            value = row[item]
            if not _blank(value) and value in labels:
                cells[(region, item)] = labels[value]
    amounts: dict[tuple[str, int], float] = {}
    for n, region in enumerate(draft.regions):
        row = budgets.iloc[n]
        for year in draft.years:
            value = row[str(year)]
            try:
                amount = as_number(value)
            except Refused as exc:
                if refused is not None:
                    refused.append(t("edit_rejected_cell", table=t("nr_budgets_title"), row=n + 1, name=region,
                                     column=str(year), value=quoted(value), reason=t(exc.key)))
                continue
            if amount is not None:
                amounts[(region, year)] = amount
    return Draft(draft.template, cells, amounts)


def blanks_line(b: Blanks) -> str:
    parts = []
    if b.matrix_cells:
        parts.append(t("nr_blanks_matrix", n=b.matrix_cells, m=b.matrix_regions))
    if b.budget_cells:
        parts.append(t("nr_blanks_budgets", n=b.budget_cells, m=b.budget_regions))
    line = ("；" if lang() == "zh" else "; ").join(parts) + ("。" if lang() == "zh" else ".")
    return line[:1].upper() + line[1:]


def show_problems(messages: list[Message], blanks: Blanks, count_blanks: bool = True) -> None:
    """The reader's messages in short: the blanks counted (unless the page says it already), the first few
    messages, the rest as a count."""
    listed = [m for m in messages if m.code != "more_errors"]
    if blanks.total and count_blanks:
        st.warning(blanks_line(blanks))
    for m in listed[:SHOWN_MESSAGES]:
        state.show_message(m)
    blank_messages = sum(m.code == "blank_value" for m in listed)
    total = max(len(listed), len(listed) - blank_messages + blanks.total)
    if total > SHOWN_MESSAGES:
        st.caption(t("nr_more_problems", n=total - SHOWN_MESSAGES))
        with st.expander(t("nr_all_listed", n=len(listed))):
            st.dataframe(pd.DataFrame(state.messages_table(listed)), hide_index=True, placeholder="—")


def _draft_editor() -> None:
    draft: Draft = SS.draft
    version = SS.get("draft_version", 0)
    template = draft.template
    st.markdown(f"#### {t('nr_draft_title', top=_top(template))}")
    st.caption(t("nr_draft_caption"))
    options = list(cap_labels())
    st.markdown(f"**{t('nr_matrix_title')}**")
    matrix = st.data_editor(
        _matrix_frame(draft), key=f"nr_matrix_{version}", num_rows="fixed", disabled=[t("col_region")], placeholder="",
        column_config={i: st.column_config.SelectboxColumn(i, options=options, required=False, width="small")
                       for i in draft.items})
    st.markdown(f"**{t('nr_budgets_title')}**")
    budgets = st.data_editor(
        _budget_frame(draft), key=f"nr_budgets_{version}", num_rows="fixed", disabled=[t("col_region")], placeholder="",
        column_config={str(y): st.column_config.TextColumn(str(y), width=90, help=t("assumption_label") + " · "
                                                           + t("typed_number_help")) for y in draft.years})
    refused: list[str] = []
    current = _current(draft, matrix, budgets, refused)
    if refused:  # said at once, and never taken as blank
        st.error(t("nr_budgets_refused_head", n=len(refused)) + "\n\n" + "\n".join(f"- {x}" for x in refused))
    left = current.blanks()
    if left.total:
        st.info(blanks_line(left))
    else:
        st.success(t("nr_no_blanks"))

    c1, c2, c3, c4 = st.columns(4, vertical_alignment="bottom")
    states = {cap.value: label for label, cap in cap_labels().items()}  # kept by value, shown by label
    fill_state = c1.selectbox(t("nr_fill_state"), list(states), key=lang_keyed(W + "fill_state"),
                              format_func=states.__getitem__)
    if c1.button(t("nr_fill_matrix"), key=W + "fill_matrix", disabled=not left.matrix_cells):
        current.fill_matrix(Cap(fill_state))
        _keep(current)
    amount = c2.number_input(t("nr_fill_amount"), 0.0, 100000.0, 50.0, step=10.0, key=W + "fill_amount",
                             help=t("assumption_label"))
    if c2.button(t("nr_fill_budgets"), key=W + "fill_budgets", disabled=not left.budget_cells):
        current.fill_budgets(amount)
        _keep(current)
    ident = (SS.draft_ident, tuple(sorted(current.matrix.items())), tuple(sorted(current.budgets.items())))
    c3.download_button(t("nr_download_draft"), data=_draft_bytes(ident, current), mime=XLSX,
                       file_name=t("nr_draft_file", top=_top(template)), icon=":material/download:",
                       key=W + "download_draft", help=t("nr_download_draft_help"))
    c4.button(t("nr_discard_draft"), key=W + "discard_draft", on_click=_discard_draft, icon=":material/delete:")
    if st.button(t("nr_apply"), type="primary", key=W + "apply", icon=":material/check:"):
        _apply(current)
    report = SS.get("draft_report")
    if report is not None:
        st.error(t("nr_not_yet"))
        show_problems(*report, count_blanks=False)  # the line above the buttons counts them


def _keep(current: Draft) -> None:
    """The grids' content becomes the stored draft; the grids start again from it."""
    SS.draft = current
    SS.draft_version = SS.get("draft_version", 0) + 1
    SS.pop("draft_report", None)  # the last check's messages are about the cells before
    st.rerun()


def _discard_draft() -> None:
    for key in ("draft", "draft_ident", "draft_report"):
        SS.pop(key, None)


def _apply(current: Draft) -> None:
    checked = check_draft(current)
    if checked.dataset is None:
        SS.draft = current
        SS.draft_report = (checked.messages, checked.blanks)
        SS.draft_version = SS.get("draft_version", 0) + 1
        st.rerun()
    template = current.template
    name = t("nr_draft_file", top=_top(template))
    state.adopt_template(checked.data, _top(template), template_scenario(template, Path(name)))
    _discard_draft()
    state.notify(t("nr_applied", top=_top(template), n=len(template.dataset.targets)), "success")
    st.rerun()


@st.fragment
def section() -> None:
    """The whole section: picking a template or the example, then the draft being filled (a fragment: typing
    into the grids reruns it alone)."""
    st.subheader(t("nr_title"))
    st.caption(t("nr_caption"))
    example, pick = st.columns([1, 2], gap="large")
    with example:
        st.markdown(f"**{t('nr_example_title')}**")
        st.caption(t("nr_example_caption"))
        if st.button(t("nr_example_button"), icon=":material/science:", key=W + "example"):
            _load_example()
            st.rerun()  # the whole app: the sidebar and every page show the new data
    with pick:
        template = _picker()
        if template is not None:
            _describe(template)
            ident = (SS[W + "plan"], SS[W + "start"], SS.get(W + "hierarchy", "") if SS[W + "plan"] == BLANK else "")
            b1, b2 = st.columns(2)
            b1.download_button(t("nr_download_template"), data=_template_bytes(*ident), mime=XLSX,
                               file_name=t("nr_template_file", top=_top(template)), icon=":material/download:",
                               key=W + "download_template", help=t("nr_download_template_help"))
            if b2.button(t("nr_fill_here"), key=W + "fill_here", icon=":material/edit_note:",
                         type="primary" if "draft" not in SS else "secondary"):
                _start(template, ident)
            if "draft" in SS and SS.get("draft_ident") != ident:
                st.caption(t("nr_other_draft", top=_top(SS.draft.template)))
    if "draft" in SS:
        _draft_editor()
