"""One region in focus: the region tree people pick from, and a plan or dataset cut down to one subtree.

The tree comes from ``Region.parent`` alone (province → city → county, any depth, any names); a region whose
parent is not in the workbook is a root. Cutting keeps the focused region, every region below it and the
regions above it (so the 上级 column still points somewhere), and only the rows of the first two.

Roll-ups: a table over a hierarchy gets a "<region>（合计）" row after the rows of every region that has regions
below it (``rollup_order``); the engine sums compliance and spending (``planner.analysis.rollup``), and
``rollup_sums`` sums any other per-region counts the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from planner.analysis.rollup import parents, rollup_compliance, rollup_name, rollup_spending
from planner.domain import ComplianceRow, Dataset, Plan, Spending


@dataclass(frozen=True)
class TreeNode:
    """A region in the picker: its name, its depth below a root, and how many regions sit below it."""

    name: str
    depth: int
    below: int


def _children_and_roots(dataset: Dataset) -> tuple[dict[str, list[str]], list[str]]:
    """Each region's children in workbook order, and the regions without a (known) parent."""
    names = {r.name for r in dataset.regions}
    children: dict[str, list[str]] = {}
    roots = []
    for r in dataset.regions:
        if r.parent and r.parent in names and r.parent != r.name:
            children.setdefault(r.parent, []).append(r.name)
        else:
            roots.append(r.name)
    return children, roots


def region_tree(dataset: Dataset) -> list[TreeNode]:
    """Every region of the workbook, depth first in workbook order (parents before their children)."""
    children, roots = _children_and_roots(dataset)
    out: list[TreeNode] = []
    seen: set[str] = set()

    def walk(name: str, depth: int) -> int:
        if name in seen:  # a cycle is rejected when reading; never loop on one here either
            return 0
        seen.add(name)
        at = len(out)
        out.append(TreeNode(name, depth, 0))
        below = sum(1 + walk(child, depth + 1) for child in children.get(name, []))
        out[at] = TreeNode(name, depth, below)
        return below

    for root in roots:
        walk(root, 0)
    return out


def scope(dataset: Dataset, focus: str | None) -> list[str] | None:
    """The regions a focus covers (the region and every region below it); None means the whole workbook."""
    if not focus or focus not in {r.name for r in dataset.regions}:
        return None
    return dataset.subtree(focus)


def restrict_plan(plan: Plan, regions: list[str] | None) -> Plan:
    """The part of ``plan`` about ``regions`` (schedule, spending, compliance, shortfalls); the plan itself
    when ``regions`` is None."""
    if regions is None:
        return plan
    keep = set(regions)
    return replace(plan, schedule=[g for g in plan.schedule if g.region in keep],
                   spending=[s for s in plan.spending if s.region in keep],
                   compliance=[c for c in plan.compliance if c.region in keep],
                   shortfalls=[s for s in plan.shortfalls if s.region in keep])


def restrict_dataset(dataset: Dataset, regions: list[str] | None) -> Dataset:
    """The workbook for ``regions`` only: their matrix rows, budgets, published counts and actual dates,
    the regions above them (names only), every item, tier and assumption. It reads back like any workbook."""
    if regions is None:
        return dataset
    keep = set(regions)
    above = {a for r in regions for a in dataset.ancestors(r)}
    return replace(
        dataset,
        regions=[r for r in dataset.regions if r.name in keep or r.name in above],
        matrix={k: v for k, v in dataset.matrix.items() if k[0] in keep},
        counts=[c for c in dataset.counts if c.region in keep],  # the 合计 row is the whole workbook's
        budgets={k: v for k, v in dataset.budgets.items() if k[0] in keep},
        actuals={k: v for k, v in dataset.actuals.items() if k[0] in keep},
        actual_evidence={k: v for k, v in dataset.actual_evidence.items() if k[0] in keep},
        targets=[t for t in dataset.targets if t.scope in keep],
        warnings=[],  # about the whole workbook; the cut-down copy is written, not read
        tiers=list(dataset.tiers),
    )


def separable(dataset: Dataset, regions: list[str] | None) -> bool:
    """Whether ``regions`` can be solved on their own data (when counties share nothing): no target that
    reaches them is set over a scope beyond them (a city-wide target keeps the city's other counties in)."""
    if regions is None:
        return False
    keep = set(regions)
    return all(t.scope in keep or not keep & set(dataset.subtree(t.scope)) for t in dataset.targets)


def rollup_parents(dataset: Dataset, regions: list[str] | None) -> list[str]:
    """The regions in scope (every region when None) that have regions below them: those with a roll-up row."""
    return [p for p in parents(dataset) if regions is None or p in regions]


def rollup_order(dataset: Dataset, regions: list[str] | None = None) -> list[str]:
    """Region names in tree order, each "<region>（合计）" right after the last region below it."""
    tree = region_tree(dataset)
    ups = set(rollup_parents(dataset, regions))
    out: list[str] = []
    open_: list[tuple[str, int]] = []  # parents whose subtree is still being listed, with their depth
    for node in tree:
        while open_ and open_[-1][1] >= node.depth:
            out.append(rollup_name(open_.pop()[0]))
        out.append(node.name)
        if node.name in ups:
            open_.append((node.name, node.depth))
    out += [rollup_name(name) for name, _ in reversed(open_)]
    return out


def with_rollups(dataset: Dataset, rows: list[ComplianceRow] | list[Spending],
                 regions: list[str] | None = None) -> list:
    """Compliance or spending rows with a roll-up row for every city and province in scope (none in a flat
    workbook), in tree order, each roll-up after the regions below it; a region's own rows keep their order."""
    if not rows:
        return list(rows)
    keep = {rollup_name(p) for p in rollup_parents(dataset, regions)}
    total = rollup_compliance if isinstance(rows[0], ComplianceRow) else rollup_spending
    order = {name: n for n, name in enumerate(rollup_order(dataset, regions))}
    out = list(rows) + [r for r in total(dataset, list(rows)) if r.region in keep]  # type: ignore[arg-type]
    return sorted(out, key=lambda r: order.get(r.region, len(order)))


def rollup_sums(dataset: Dataset, values: Mapping[str, Mapping[str, float]],
                regions: list[str] | None = None) -> dict[str, dict[str, float]]:
    """Per-region figures summed over every subtree in scope: {"<region>（合计）": {column: sum}} for the
    tables the engine has no roll-up of its own for (pending gaps per tier, cost deltas, progress counts)."""
    out: dict[str, dict[str, float]] = {}
    for parent in rollup_parents(dataset, regions):
        mine = [values[r] for r in dataset.subtree(parent) if r in values]
        if mine:
            out[rollup_name(parent)] = {c: sum(v.get(c, 0) or 0 for v in mine) for c in mine[0]}
    return out


def focus_of(dataset: Dataset) -> str | None:
    """The region a cut-down workbook (``restrict_dataset``) is about, or None for a whole workbook.

    A cut keeps the regions above the focus as names only, each with the one region below it on the way to the
    focus: from the single root down, while a region has exactly one region below it and no data of its own
    (matrix row, budget, published count), the focus lies further down. Such a region's roll-up would only
    repeat the one below it, so reading it as "above the focus" never hides a figure."""
    children, roots = _children_and_roots(dataset)
    if len(roots) != 1:
        return None
    own = {r for r, _ in dataset.matrix} | {r for r, _ in dataset.budgets} | {c.region for c in dataset.counts}
    node, seen = roots[0], set()
    while len(children.get(node, [])) == 1 and node not in own and node not in seen:
        seen.add(node)
        node = children[node][0]
    return None if node == roots[0] else node
