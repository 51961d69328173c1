"""The one-page PDF brief for a meeting, for all regions or one region (a county and anything below it).

Headline figures, the deadline check with red / amber / green flags, spending against budget, a compact
Gantt, the three most useful next steps (what extra money buys, from ``analysis.marginal``), targets when the
dataset has any, and the assumptions and sources in small print; Chinese, or English with ``lang="en"``.

Layout: Typst (``brief.typ`` beside this module) gets every word as JSON data (user text is never markup) and
the charts as SVG from the same Altair specifications the app draws (``reports.charts``, rendered by
vl-convert, no browser). Lists are cut to fit ("…及其他 N 项"); should a page still overflow, the brief is laid
out again with fewer rows and smaller charts, so it is always exactly one page.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import altair as alt
import typst
import vl_convert

from planner.analysis.focus import rollup_order, with_rollups
from planner.analysis.marginal import MarginalValue, marginal_values
from planner.analysis.rollup import ROLLUP
from planner.domain import Dataset, GapMode, Plan
from planner.i18n import status_words, text
from planner.reports import charts
from planner.reports import figures as F

TEMPLATE = Path(__file__).with_name("brief.typ")
COUNTS_SHEET = "公布数"
# The first of these the machine has sets the brief (Debian: fonts-noto-cjk; Windows, macOS: their own).
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei", "PingFang SC",
             "DengXian", "WenQuanYi Zen Hei")
PAGE_WIDTH_MM = 186  # A4 less the margins
STEPS = 3


class BriefError(RuntimeError):
    """The brief cannot be made (unknown region, no CJK font); ``zh`` and ``en`` say why."""

    def __init__(self, zh: str, en: str) -> None:
        self.zh, self.en = zh, en
        super().__init__(f"{zh}\n{en}")


@dataclass(frozen=True)
class Fit:
    """How much the page holds; the brief steps down these until it is one page."""

    regions: int  # rows of the deadline table
    gantt_rows: int
    gantt_step: int  # pixels a Gantt row takes
    gantt_mm: float  # the Gantt's greatest height
    misses: int
    warnings: int
    sources: int
    targets: int  # rows of the targets table
    target_chars: int  # the longest target result printed (what it would take can list many county-years)


FITS = (Fit(14, 18, 20, 105, 12, 3, 6, 6, 160), Fit(10, 14, 16, 75, 8, 2, 4, 4, 110),
        Fit(7, 10, 14, 50, 5, 1, 3, 3, 80), Fit(5, 6, 12, 32, 3, 0, 2, 2, 60))


# ------------------------------------------------------------------------------------------------ public

def brief_pdf(plan: Plan, dataset: Dataset, *, lang: str = "zh", region: str | None = None,
              marginal: list[MarginalValue] | None = None, generated_on: date | None = None) -> bytes:
    """The one-page brief as PDF bytes: for all regions, or ``region`` and the regions below it.

    ``marginal``: the plan's marginal values if already computed (else computed here: one re-solve per
    region-year, a few seconds). Raises ``BriefError`` for an unknown region or when no CJK font is installed.
    """
    regions = brief_scope(dataset, region)
    if marginal is None and plan.has_solution:
        marginal = marginal_values(dataset, plan.scenario, plan)
    font = brief_font()
    pdf = b""
    with tempfile.TemporaryDirectory(prefix="brief-") as tmp:
        for fit in FITS:
            data = _content(plan, dataset, lang, region, regions, marginal or [], generated_on or date.today(),
                            fit, font, Path(tmp))
            pdf = typst.compile(TEMPLATE.read_bytes(), root=tmp, format="pdf",
                                sys_inputs={"data": json.dumps(data, ensure_ascii=False)})
            if pdf_pages(pdf) == 1:
                break
    return pdf


def brief_scope(dataset: Dataset, region: str | None) -> list[str] | None:
    """The regions a brief for ``region`` covers (it and those below it; None: all); ``BriefError`` if the
    workbook has no such region."""
    try:
        return F.scope(dataset, region)
    except KeyError:
        raise BriefError(text("brief_unknown_region", "zh", region=region),
                         text("brief_unknown_region", "en", region=region)) from None


def write_brief(plan: Plan, dataset: Dataset, path: str | Path, **kw: Any) -> Path:
    """Save the brief to ``path`` (parent folders created); ``kw`` as for ``brief_pdf``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(brief_pdf(plan, dataset, **kw))
    return path


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF Typst wrote (its page tree's /Count)."""
    return max((int(n) for n in re.findall(rb"/Count\s+(\d+)", pdf)), default=0)


@lru_cache(maxsize=1)
def brief_font() -> str:
    """The CJK font family the brief and its charts use: the first of ``CJK_FONTS`` the machine has."""
    families = set(typst.Fonts().families())
    for name in CJK_FONTS:
        if name in families:
            return name
    raise BriefError(text("brief_no_font", "zh", fonts=", ".join(CJK_FONTS)),
                     text("brief_no_font", "en", fonts=", ".join(CJK_FONTS)))


def next_steps(plan: Plan, dataset: Dataset, values: list[MarginalValue], *, lang: str = "zh",
               regions: list[str] | None = None, n: int = STEPS, after: date | None = None) -> list[str]:
    """The ``n`` most useful next steps, in words: the region-years where extra money buys most (best first;
    one per region when the scope has several), then what money alone does not fix (items the source does not
    name, gaps that stay unbuilt); for a plan with no solution, its budget shortfalls.

    ``after``: the brief's date (or its as-of date): money is asked for that year or later only, never for a
    year already past."""
    if not plan.has_solution:
        return [f.zh if lang == "zh" else f.en for f in plan.shortfalls][:n]
    keep = set(regions) if regions is not None else None
    first = after.year if after is not None else None
    useful = sorted((v for v in values if (keep is None or v.region in keep) and _benefit(v)
                     and (first is None or v.year >= first)), key=lambda v: (-v.value, v.year))
    several = len({v.region for v in useful}) > 1
    money, seen = [], set()
    for v in useful:
        key = v.region if several else (v.region, v.year)
        if key not in seen:
            seen.add(key)
            money.append(_step(v, lang))
    scoped = F.scoped(plan, regions)
    facts = [text("brief_step_unnamed", lang, region=c.region, n=c.unschedulable, tier=c.tier.label(lang))
             for c in scoped.compliance if c.unschedulable]
    unbuilt = sum(g.mode == GapMode.UNBUILT for g in scoped.schedule)
    if unbuilt:
        facts.append(text("brief_step_unbuilt", lang, n=unbuilt))
    steps = money[:n - min(len(facts), 1)]  # keep a line for what money alone does not fix
    steps += facts[:n - len(steps)]
    if steps:
        return steps[:n]
    past = first is not None and any((keep is None or v.region in keep) and _benefit(v) for v in values)
    return [text("brief_step_none_ahead", lang, year=first) if past else text("brief_step_none", lang)]


# ------------------------------------------------------------------------------------------------ content

def _benefit(v: MarginalValue) -> bool:
    return v.missed_saved > 1e-9 or v.unbuilt_saved > 0 or v.late_built_saved > 0 or v.open_quarters_saved > 0


def _step(v: MarginalValue, lang: str) -> str:
    """One ask in words: gaps made on time first, then unbuilt gaps built (still late), then quarters less late
    among the gaps built either way, then quarters earlier. Unbuilt gaps are never counted as quarters late
    (a county with no late gap is never told its lateness drops)."""
    common = {"region": v.region, "year": v.year, "delta": f"{v.delta_wan:g}"}
    late = text("brief_step_extra_late", lang, n=v.late_built_saved) if v.late_built_saved > 0 else ""
    if v.missed_saved > 1e-9:
        # an unbuilt gap built on time is among the gaps made on time: only the rest are "also built"
        rest = v.unbuilt_saved - round(v.missed_saved)
        built = text("brief_step_extra_built", lang, n=rest) if rest > 0 else ""
        return text("brief_step_gaps", lang, n=f"{v.missed_saved:g}", extra=built + late, **common)
    if v.unbuilt_saved > 0:
        return text("brief_step_built", lang, n=v.unbuilt_saved, extra=late, **common)
    if v.late_built_saved > 0:
        return text("brief_step_late", lang, n=v.late_built_saved, **common)
    return text("brief_step_earlier", lang, n=v.open_quarters_saved, **common)


def _cut(items: list[str], limit: int, lang: str, key: str = "brief_more_items") -> tuple[list[str], str]:
    """At most ``limit`` items, and the "…及其他 N 项" line for the rest."""
    if len(items) <= limit:
        return items, ""
    return items[:limit], text(key, lang, n=len(items) - limit)


def _content(plan: Plan, dataset: Dataset, lang: str, region: str | None, regions: list[str] | None,
             marginal: list[MarginalValue], generated_on: date, fit: Fit, font: str, folder: Path) -> dict:
    """Everything the template prints, as JSON-ready data; writes the chart SVGs into ``folder``."""
    t = lambda key, **fmt: text(key, lang, **fmt)  # noqa: E731
    sc = plan.scenario
    part = F.scoped(plan, regions)
    head = F.headline(part)
    status = status_words(plan.status.value, plan.mip_gap, lang)
    money = F.money_rows(part)
    whole = F.total(money)
    title = F.scenario_title(sc.name, sc.description, lang)  # the scenario's own words, not its id
    data: dict[str, Any] = {
        "font": font, "lang": lang, "text_region": "cn" if lang == "zh" else "gb",
        "author": t("app_title"), "title": t("brief_title"), "scope": region or t("brief_scope_all"),
        "subtitle": t("brief_subtitle", name=title, status=status, start=sc.start.label, end=sc.horizon_end.label,
                      mode=t(f"mode_deadline_{sc.deadline_mode.value}")),
        "description": _description(sc.description, lang, title),
        "alert": "" if plan.has_solution else t("brief_no_plan", status=status),
        "kpis": _kpis(head, lang) if plan.has_solution else [],
        "flags": {f.value: f.label(lang) for f in F.Flag},
        "compliance": _compliance(part, dataset, lang, fit, regions),
        "misses": _misses(part, dataset, lang, fit, per_region=len({g.region for g in part.schedule}) > 1),
        "spending": {"title": t("brief_spending_title"), "file": "",
                     "note": t("brief_spending_note", spent=F.fmt_money(whole.spent),
                               budget=F.fmt_money(whole.budget), balance=F.fmt_money(whole.balance))},
        "gantt": {"title": t("brief_gantt_title"), "file": "", "height_mm": 0},
        "steps": {"title": t("brief_steps_title"),
                  "items": next_steps(plan, dataset, marginal, lang=lang, regions=regions,
                                      after=max(generated_on, sc.as_of or generated_on)),
                  "note": t("brief_steps_note" if any(_benefit(v) for v in marginal) else "brief_steps_note_none",
                            delta=f"{marginal[0].delta_wan:g}" if marginal else "10")},
        "targets": _targets(plan, dataset, regions, lang, fit),
        "smallprint": _smallprint(plan, dataset, lang, fit, regions),
        "footer": t("brief_footer", name=title), "footer_right": t("brief_generated", date=generated_on.isoformat()),
    }
    if money:
        data["spending"]["file"] = _svg(charts.spending_budget_chart(part, lang, regions), font, folder,
                                        "spending.svg")[0]
    else:
        data["spending"]["note"] = ""
    if any(g.mode in (GapMode.BUILT, GapMode.SHARED, GapMode.UNBUILT) for g in part.schedule):
        name, ratio = _svg(charts.gantt_compact(plan, dataset, lang, regions, max_rows=fit.gantt_rows,
                                                      step=fit.gantt_step), font,
                           folder, "gantt.svg")
        data["gantt"].update(file=name, height_mm=round(min(fit.gantt_mm, PAGE_WIDTH_MM * ratio), 1))
    return data


def _targets(plan: Plan, dataset: Dataset, regions: list[str] | None, lang: str, fit: Fit) -> dict:
    """The targets table: at most ``fit.targets`` rows, each result cut to ``fit.target_chars`` (the 总览 sheet
    of the workbook has them whole)."""
    lines = F.target_lines(plan, dataset, regions, lang)
    shown, more = _cut(lines, fit.targets, lang, "brief_more_targets")
    ink = {f: "#" + F.FLAG_INK[f] for f in F.Flag}
    return {"title": text("brief_targets_title", lang), "more": more,
            "rows": [{"name": x.name, "requirement": x.requirement, "colour": ink.get(x.flag, "#000000"),
                      "result": shorten(x.result, fit.target_chars, lang)} for x in shown]}


_DETAIL = re.compile(r"（[^（）]{12,}）|\([^()]{24,}\)")  # a long parenthesis: a list of county-years


def shorten(result: str, most: int, lang: str = "zh") -> str:
    """A target's result in at most ``most`` characters, cut where a reader loses nothing that misleads: the
    long parenthesised lists first (the workbook's 总览 has them whole), then whole clauses from the end;
    never in the middle of a figure (「…2027 年 71…」)."""
    if len(result) <= most:
        return result
    shorter = _DETAIL.sub("", result)
    if shorter != result:
        shorter += text("target_result_details", lang)
        if len(shorter) > most:
            shorter = _DETAIL.sub("", result)
    for sep in ("；", "; ", "，", ", "):
        while len(shorter) > most and sep in shorter:
            shorter = shorter[:shorter.rindex(sep)]
    if len(shorter) > most:  # one long clause: cut at a space or before a figure, never inside one
        cut = shorter[:most - 1]
        shorter = re.sub(r"[\d.,，、 ]+$", "", cut) + "…"
    return shorter


def _description(description: str, lang: str, title: str = "") -> str:
    """A scenario description may hold both languages ("中文 / English"): keep the brief's own (nothing when it
    is all in the title already)."""
    words = F.description_in(description, lang)
    return "" if words == title else words


def _kpis(h: F.Headline, lang: str) -> list[dict]:
    t = lambda key, **fmt: text(key, lang, **fmt)  # noqa: E731
    missed = h.gaps - h.on_time
    ink = {f: "#" + F.FLAG_INK[f] for f in F.Flag}
    return [
        {"label": t("brief_kpi_gaps"), "value": str(h.gaps), "unit": t("brief_unit_gaps"), "colour": "#1F4E78",
         "note": t("brief_kpi_unnamed", n=h.unschedulable) if h.unschedulable else t("brief_kpi_all_named")},
        {"label": t("brief_kpi_on_time"), "value": str(h.on_time), "unit": f"({h.on_time_share:.0%})",
         "colour": ink[F.Flag.GREEN if h.on_time == h.gaps else F.Flag.AMBER], "note": ""},
        {"label": t("brief_kpi_missed"), "value": str(missed), "unit": t("brief_unit_gaps"),
         "colour": ink[F.Flag.RED if h.unbuilt else F.Flag.AMBER if missed else F.Flag.GREEN],
         "note": t("brief_kpi_missed_note", late=h.late, unbuilt=h.unbuilt, shared=h.shared)},
        {"label": t("brief_kpi_spent"), "value": F.fmt_money(h.spent), "unit": t("brief_unit_wan"),
         "colour": ink[F.Flag.RED if h.spent > h.budget else F.Flag.GREEN],
         "note": t("brief_kpi_spent_note", budget=F.fmt_money(h.budget), balance=F.fmt_money(h.budget - h.spent))},
    ]


def _compliance(plan: Plan, dataset: Dataset, lang: str, fit: Fit, regions: list[str] | None) -> dict:
    """Regions × deadlines: configured / required with a flag per cell, a roll-up row after the regions below
    every city and province in scope, and a total row per deadline. When the page cannot hold every row, the
    roll-ups stay and the regions below them are cut first."""
    t = lambda key, **fmt: text(key, lang, **fmt)  # noqa: E731
    lines = F.deadline_lines(plan, dataset)
    per_line = [{c.region: c for c in with_rollups(dataset, line.rows, regions)} for line in lines]
    present = {name for cells in per_line for name in cells}
    order = rollup_order(dataset, regions)
    rank = {name: n for n, name in enumerate(order)}
    names = sorted({c.region for c in plan.compliance}, key=lambda r: rank.get(r, len(rank)))
    every = [n for n in order if n in present] + [n for n in names if n not in rank]
    ups = [n for n in every if n.endswith(ROLLUP)]
    room = max(0, fit.regions - len(ups))
    kept = set(ups[:fit.regions]) | set([n for n in every if not n.endswith(ROLLUP)][:room])
    shown = [n for n in every if n in kept]
    more = text("brief_more_regions", lang, n=len(every) - len(shown)) if len(shown) < len(every) else ""
    rows = []
    for name in shown:
        cells = []
        for by_region in per_line:
            row = by_region.get(name)
            cells.append({"text": "", "flag": "green", "note": ""} if row is None else
                         {"text": f"{F.configured(row)}/{row.required}", "flag": F.flag_of(row).value,
                          "note": _cell_note(row, lang)})
        rows.append({"name": name, "total": name.endswith(ROLLUP), "cells": cells})
    if len(names) > 1:
        rows.append({"name": t("brief_all_regions", n=len(names)), "total": True, "cells": [
            {"text": t("brief_regions_met", met=line.met, n=len(line.rows)), "flag": line.flag.value, "note": ""}
            for line in lines]})
    return {"title": t("brief_compliance_title"), "more": more, "legend": t("brief_compliance_legend"),
            "empty": t("brief_compliance_empty"), "rows": rows,
            "headers": [t("col_region")] + [t("brief_tier_head", tier=line.tier.label(lang),
                                                 date=line.deadline.isoformat()) for line in lines]}


def _cell_note(row, lang: str) -> str:
    parts = [text(f"brief_note_{key}", lang, n=n) for key, n in (
        ("late", row.late), ("unbuilt", row.unbuilt), ("shared", row.shared), ("unnamed", row.unschedulable)) if n]
    return " ".join(parts)


def _misses(plan: Plan, dataset: Dataset, lang: str, fit: Fit, per_region: bool) -> dict:
    """The gaps not in place on time, in words: item (and region) and why."""
    order = {r.name: n for n, r in enumerate(dataset.regions)}
    items = []
    for g in sorted(plan.schedule, key=lambda g: (order.get(g.region, 99), g.mode != GapMode.UNBUILT, g.item)):
        if g.mode == GapMode.BUILT and not g.on_time:
            why = text("brief_miss_late", lang, n=g.late_quarters or 0)
        elif g.mode in (GapMode.UNBUILT, GapMode.SHARED):
            why = text(f"brief_miss_{g.mode.value}", lang)
        else:
            continue
        name = f"{g.region} {g.item}" if per_region else g.item
        items.append(f"{name}（{why}）" if lang == "zh" else f"{name} ({why})")
    shown, more = _cut(items, fit.misses, lang)
    return {"title": text("brief_misses_title", lang), "items": shown, "more": more}


def scope_warnings(dataset: Dataset, regions: list[str] | None) -> list:
    """The workbook's warnings a brief for ``regions`` carries (all for the whole workbook): those naming a
    region in scope, and those about no region at all except the published counts (公布数: the city's annex
    figures and its 合计 rows, which a county's brief has nothing to do with)."""
    if regions is None:
        return list(dataset.warnings)
    keep, names = set(regions), {r.name for r in dataset.regions}
    out = []
    for w in dataset.warnings:
        named = {n for n in names if n in w.zh}
        if named & keep or (not named and w.sheet != COUNTS_SHEET):
            out.append(w)
    return out


def _smallprint(plan: Plan, dataset: Dataset, lang: str, fit: Fit, regions: list[str] | None = None) -> list[dict]:
    t = lambda key, **fmt: text(key, lang, **fmt)  # noqa: E731
    sep = "：" if lang == "zh" else ": "
    joiner = "；" if lang == "zh" else "; "
    out = [{"label": t("brief_sp_assumptions"), "sep": sep,
            "text": joiner.join(f"{label}{sep}{value}" for label, value in F.key_assumptions(plan, lang))}]
    sources = [f"{s.id} {s.title}" + (f"（{s.reference}）" if s.reference else "") for s in dataset.sources]
    shown, more = _cut(sources, fit.sources, lang)
    if shown:
        out.append({"label": t("brief_sp_sources"), "sep": sep, "text": joiner.join(shown + ([more] if more else []))})
    out.append({"label": t("brief_sp_method"), "sep": sep,
                "text": t("brief_method", solver=plan.solver, status=t(f"status_{plan.status.value}_short"),
                          seconds=plan.seconds)})
    warnings, more = _cut([w.text(lang) for w in scope_warnings(dataset, regions)], fit.warnings, lang)
    if warnings or more:
        out.append({"label": t("brief_sp_warnings"), "sep": sep,
                    "text": joiner.join(warnings + ([more] if more else []))})
    return out


def _svg(chart: alt.TopLevelMixin, font: str, folder: Path, name: str) -> tuple[str, float]:
    """Render an Altair chart to SVG in ``folder`` with the brief's font; (file name, height / width)."""
    spec = chart.configure(font=font).configure_view(stroke=None).to_dict()
    svg = vl_convert.vegalite_to_svg(spec)
    (folder / name).write_text(svg, encoding="utf-8")
    m = re.search(r'<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"', svg)
    return name, (float(m.group(2)) / float(m.group(1))) if m else 0.5
