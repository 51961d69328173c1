"""The system of record, against SQLite and a real PostgreSQL server: migrations from an empty database, import in
one transaction, events and derived state, export of any version, diff, optimistic concurrency, approved plans."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from planner.io.scenario import load_scenario
from planner.io.workbook import load_workbook
from planner.model.solve import solve
from planner.storage import datasets as D
from planner.storage import db, plans
from planner.storage.models import Event, Snapshot
from tests.storage_fixtures import db_url, engine, postgres_server  # noqa: F401 - fixtures

NAME = "南通"


@pytest.fixture(scope="module")
def nantong_bytes(repo_root) -> bytes:
    return (repo_root / "data" / "nantong_capabilities.xlsx").read_bytes()


@pytest.fixture
def imported(engine, nantong_bytes) -> int:  # noqa: F811
    return D.import_workbook(engine, NAME, nantong_bytes, "admin")


def test_migrations_from_empty(db_url):  # noqa: F811
    eng = db.make_engine(db_url)
    assert db.current_revision(eng) is None
    db.upgrade(eng)
    assert db.is_current(eng) and db.current_revision(eng) == db.head_revision() == "0002"
    tables = set(inspect(eng).get_table_names())
    assert {"users", "sessions", "login_attempts", "datasets", "snapshots", "events", "heads", "plans",
            "saved_scenarios", "alembic_version"} <= tables
    db.upgrade(eng)  # idempotent
    eng.dispose()


def test_events_are_append_only_in_the_database(engine, imported):  # noqa: F811
    from sqlalchemy import delete, update
    from sqlalchemy.exc import DBAPIError

    for statement in (update(Event).values(author="someone else"), delete(Event), delete(Snapshot)):
        with pytest.raises(DBAPIError, match="append-only"), Session(engine) as s, s.begin():
            s.execute(statement)
    assert D.dataset_at(engine, NAME)[1] == imported


def test_migrations_down_and_up(db_url):  # noqa: F811
    eng = db.make_engine(db_url)
    db.upgrade(eng)
    db.downgrade(eng, "0001")
    assert db.current_revision(eng) == "0001"
    db.upgrade(eng)
    assert db.is_current(eng)
    eng.dispose()


def test_default_database_is_in_the_data_folder(monkeypatch, tmp_path, repo_root):
    monkeypatch.delenv("PLANNER_DB", raising=False)
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    assert db.database_url() == f"sqlite:///{tmp_path / 'data' / 'planner.db'}"
    monkeypatch.delenv("PLANNER_DATA_DIR")
    url = db.database_url()
    assert ".local/share/planner/planner.db" in url and str(repo_root) not in url
    monkeypatch.setenv("PLANNER_DB", "postgresql+psycopg://u@h/db")
    assert db.database_url() == "postgresql+psycopg://u@h/db"


def test_import_derive_export_round_trip(engine, imported, nantong):  # noqa: F811
    dataset, version = D.dataset_at(engine, NAME)
    assert version == imported
    assert dataset.matrix == nantong.matrix and dataset.budgets == nantong.budgets
    again = load_workbook(D.export_workbook(engine, NAME))
    assert again.matrix == nantong.matrix and again.budgets == nantong.budgets
    assert [r.name for r in again.regions] == [r.name for r in nantong.regions]
    # one event per cell, and the import event
    with Session(engine) as s:
        assert s.scalar(select(func.count(Event.id))) == 1 + len(nantong.matrix) + len(nantong.budgets)
    # re-importing the same workbook records nothing but the import
    before = D.history(engine, NAME)
    D.import_workbook(engine, NAME, D.export_workbook(engine, NAME), "admin")
    assert len(D.history(engine, NAME)) == len(before) + 1


def test_failed_import_leaves_the_database_as_it_was(engine, imported, nantong_bytes, monkeypatch):  # noqa: F811
    boom = RuntimeError("disk full halfway")

    def fail(*_a, **_k):
        raise boom

    counts = {}
    with Session(engine) as s:
        for table in (Event, Snapshot):
            counts[table] = s.scalar(select(func.count()).select_from(table))
    monkeypatch.setattr(D, "_set_heads", fail)  # fails after every event row was written
    with pytest.raises(RuntimeError):
        D.import_workbook(engine, "另一个", nantong_bytes, "admin")
    with pytest.raises(RuntimeError):
        D.import_workbook(engine, NAME, D.export_workbook(engine, NAME), "admin", reason="x")
    with Session(engine) as s:
        for table, n in counts.items():
            assert s.scalar(select(func.count()).select_from(table)) == n
    assert D.dataset_names(engine) == [NAME]


def test_reimport_based_on_an_old_version_is_refused(engine, imported, nantong):  # noqa: F811
    exported = D.export_workbook(engine, NAME, imported)
    region = nantong.matrix_regions[0].name
    D.apply_changes(engine, NAME, [D.Change("budget", region, year=2025, value=7.0)], "county", imported)
    with pytest.raises(D.StaleEdit):  # the county's edit would be silently reverted
        D.import_workbook(engine, NAME, exported, "city", seen=imported)
    assert D.dataset_at(engine, NAME)[0].budgets[(region, 2025)] == 7.0


def test_bad_workbook_is_refused_before_writing(engine):  # noqa: F811
    with pytest.raises(D.InputError):
        D.import_workbook(engine, NAME, b"not a workbook", "admin")
    assert D.dataset_names(engine) == []


def test_events_history_versions_and_diff(engine, imported, nantong):  # noqa: F811
    gap = next(k for k, v in nantong.matrix.items() if v.value == "lacks")
    region, item = gap
    v1 = D.apply_changes(engine, NAME, [D.Change("matrix", region, item, value="已具备", reason="已建标")], "haian",
                         imported)
    v2 = D.apply_changes(engine, NAME, [D.Change("budget", region, year=2025, value=123.5, reason="追加")], "city",
                         v1)
    d2 = date.today() - timedelta(days=3)
    v3 = D.apply_changes(engine, NAME, [D.Change("actual", region, item, value=d2, evidence_no="通市监〔2026〕1号",
                                                 evidence_source="考核证书", reason="录入")], "haian", v2)
    assert imported < v1 < v2 < v3
    events = D.history(engine, NAME, region=region)
    latest = D.event_dict(events[0])
    assert latest["kind"] == "actual" and latest["author"] == "haian" and latest["evidence_no"] == "通市监〔2026〕1号"
    assert latest["new"]["date"] == d2.isoformat() and latest["old"] is None
    m = D.event_dict(next(e for e in events if e.kind == "matrix" and e.author == "haian"))
    assert (m["old"], m["new"], m["reason"]) == ("lacks", "has", "已建标")
    assert [e.kind for e in D.history(engine, NAME, author="city")] == ["budget"]
    # old versions stay readable and exportable
    old, _ = D.dataset_at(engine, NAME, imported)
    assert old.matrix[gap].value == "lacks"
    now_ds, _ = D.dataset_at(engine, NAME)
    assert now_ds.matrix[gap].value == "has" and now_ds.budgets[(region, 2025)] == 123.5
    assert now_ds.actuals[gap] == d2 and "通市监〔2026〕1号" in now_ds.actual_evidence[gap]
    exported_old = load_workbook(D.export_workbook(engine, NAME, imported))
    assert exported_old.matrix[gap].value == "lacks"
    changes = D.diff(engine, NAME, imported)
    assert {(c.kind, c.region, c.item, c.year) for c in changes} == {
        ("matrix", region, item, None), ("budget", region, "", 2025), ("actual", region, item, None)}
    assert D.diff(engine, NAME, v3, v3) == []
    # the version as of a time, in any time zone
    from datetime import timezone

    with Session(engine) as s:
        ds = D.dataset_id(s, NAME)
        assert D.version_at(s, ds, D.now()) == v3
        assert D.version_at(s, ds, D.now().astimezone(timezone(timedelta(hours=8)))) == v3
        assert D.version_at(s, ds, D.now().astimezone(timezone(timedelta(hours=-8)))) == v3
        assert D.version_at(s, ds, D.now() - timedelta(hours=1)) == 0


def test_bad_edits_are_refused_with_bilingual_messages(engine, imported, nantong):  # noqa: F811
    region = nantong.matrix_regions[0].name
    item = nantong.items[0].name
    cases = [
        D.Change("matrix", "不存在县", item, value="已具备"),
        D.Change("matrix", region, "不存在项", value="已具备"),
        D.Change("matrix", region, item, value="也许"),
        D.Change("budget", region, year=2025, value=-1),
        D.Change("budget", region, year=2025, value=float("nan")),
        D.Change("actual", region, item, value=date.today() + timedelta(days=30)),
        D.Change("actual", region, item, value=date(2025, 1, 1), evidence_no="x\x07"),
        D.Change("scenario", item="s", value="not = [toml"),
    ]
    for change in cases:
        with pytest.raises(D.StorageError) as err:
            D.apply_changes(engine, NAME, [change], "x", imported)
        msg = err.value.messages[0]
        assert msg.zh and msg.en and msg.zh != msg.en
    assert D.diff(engine, NAME, imported) == []


def test_stale_edit_is_refused_two_sessions(engine, imported, nantong):  # noqa: F811
    a, b = nantong.matrix_regions[0].name, nantong.matrix_regions[1].name
    item = nantong.items[0].name
    seen_by_both = imported
    D.apply_changes(engine, NAME, [D.Change("budget", a, year=2025, value=50.0)], "editor1", seen_by_both)
    with pytest.raises(D.StaleEdit) as err:
        D.apply_changes(engine, NAME, [D.Change("matrix", a, item, value="缺失")], "editor2", seen_by_both)
    msg = err.value.messages[0]
    assert "editor1" in msg.zh and "请刷新" in msg.zh and "reload" in msg.en and "not saved" in msg.en
    # another county, from the same version: no conflict
    D.apply_changes(engine, NAME, [D.Change("budget", b, year=2025, value=60.0)], "editor2", seen_by_both)
    ds, _ = D.dataset_at(engine, NAME)
    assert ds.budgets[(a, 2025)] == 50.0 and ds.budgets[(b, 2025)] == 60.0


def test_concurrent_writers_of_one_county_never_both_win(engine, imported, nantong):  # noqa: F811
    region = nantong.matrix_regions[2].name
    results: list[str] = []
    barrier = threading.Barrier(4)

    def write(n: int) -> None:
        barrier.wait()
        try:
            D.apply_changes(engine, NAME, [D.Change("budget", region, year=2026, value=float(n))], f"u{n}", imported)
            results.append("ok")
        except D.StaleEdit:
            results.append("stale")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "stale", "stale", "stale"]
    assert len(D.history(engine, NAME, kind="budget", region=region, since=D.now() - timedelta(minutes=5))) >= 1


def test_approved_plan_is_frozen_with_its_inputs(engine, imported, repo_root):  # noqa: F811
    scenario = load_scenario(repo_root / "scenarios" / "nantong_baseline.toml")
    dataset, version = D.dataset_at(engine, NAME)
    plan = solve(dataset, scenario)
    draft = plans.save_draft(engine, NAME, plan, version, "city")
    assert plans.approved_plan(engine, NAME) is None
    record = plans.approve(engine, draft, "city", "市局会议通过")
    assert record.status == "approved" and record.approved_by == "city" and "highspy" in record.engine_version
    with pytest.raises(D.StorageError):
        plans.approve(engine, draft, "city")
    # the data changes afterwards; the approved plan keeps its inputs and reproduces
    region = dataset.matrix_regions[0].name
    D.apply_changes(engine, NAME, [D.Change("budget", region, year=2024, value=0.0)], "city", version)
    frozen_ds, frozen_sc = plans.inputs(engine, plans.approved_plan(engine, NAME))
    assert frozen_ds.budgets == dataset.budgets
    again = plans.plan_dict(solve(frozen_ds, frozen_sc))
    assert again["schedule"] == record.plan["schedule"]
    # a re-plan is a draft until approved
    later = plans.save_draft(engine, NAME, plan, D.dataset_at(engine, NAME)[1], "city")
    assert plans.get_plan(engine, later).status == "draft"
    assert plans.approved_plan(engine, NAME).id == draft
    assert [e.kind for e in D.history(engine, NAME, kind="approve")] == ["approve"]
    assert D.diff(engine, NAME, record.dataset_version)  # what changed since the approval
