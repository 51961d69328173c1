"""Backup and restore (SQLite and PostgreSQL, and across them), province collection, and the ``db`` / ``users``
commands."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner import cli
from planner.domain import Dataset
from planner.io.excel import dataset_workbook, workbook_bytes
from planner.io.workbook import load_workbook
from planner.storage import backup, datasets, db
from planner.storage.collect import CollectError, collect
from planner.storage.models import TABLES
from tests.storage_fixtures import db_url, engine, new_postgres_database, postgres_server  # noqa: F401

NAME = "南通"


def _rows(eng) -> dict[str, int]:
    with Session(eng) as s:
        return {m.__table__.name: s.scalar(select(func.count()).select_from(m.__table__)) for m in TABLES}


def _content(eng) -> tuple:
    """What a dataset holds (workbook bytes differ by their timestamps)."""
    ds, v = datasets.dataset_at(eng, NAME)
    return v, ds.matrix, ds.budgets, ds.actuals, ds.actual_evidence, [r.name for r in ds.regions]


def _fill(eng, data: bytes) -> int:
    v = datasets.import_workbook(eng, NAME, data, "admin")
    ds, _ = datasets.dataset_at(eng, NAME)
    county = ds.matrix_regions[0].name
    v = datasets.apply_changes(eng, NAME, [datasets.Change("actual", county, ds.items[0].name, value=date(2025, 3, 1),
                                                           evidence_no="文号1", evidence_source="证书")], "ha", v)
    return datasets.append_note(eng, NAME, "remark", "rev", county, "已核对")


def test_backup_restore_round_trip(engine, db_url, tmp_path, nantong_path):  # noqa: F811
    last = _fill(engine, nantong_path.read_bytes())
    path = tmp_path / "backup.jsonl.gz"
    counts = backup.backup(engine, path)
    assert counts["events"] == _rows(engine)["events"] > 100
    # into a fresh database of the same kind
    target = db.make_engine(f"sqlite:///{tmp_path / 'restored.db'}" if db_url.startswith("sqlite")
                            else new_postgres_database(db_url.rsplit("/", 1)[0]))
    db.upgrade(target)
    backup.restore(target, path)
    assert _rows(target) == _rows(engine)
    assert _content(target) == _content(engine)
    assert [datasets.event_dict(e) for e in datasets.history(target, NAME)] == \
        [datasets.event_dict(e) for e in datasets.history(engine, NAME)]
    # new rows continue after the restored ids (PostgreSQL sequences moved)
    ds, v = datasets.dataset_at(target, NAME)
    assert v == last
    v2 = datasets.apply_changes(target, NAME, [datasets.Change("budget", ds.matrix_regions[1].name, year=2025,
                                                               value=1.0)], "x", v)
    assert v2 > last
    # never over existing data
    with pytest.raises(datasets.StorageError) as err:
        backup.restore(target, path)
    assert "空" in err.value.messages[0].zh
    target.dispose()


def test_sqlite_backup_restores_into_postgresql(tmp_path, nantong_path, postgres_server):  # noqa: F811
    lite = db.make_engine(f"sqlite:///{tmp_path / 'city.db'}")
    db.upgrade(lite)
    _fill(lite, nantong_path.read_bytes())
    backup.backup(lite, tmp_path / "b.jsonl")
    pg = db.make_engine(new_postgres_database(postgres_server))
    db.upgrade(pg)
    backup.restore(pg, tmp_path / "b.jsonl")
    assert _content(pg) == _content(lite)
    pg.dispose()


def test_restore_refuses_a_foreign_file(engine, tmp_path):  # noqa: F811
    bad = tmp_path / "x.jsonl"
    bad.write_text('{"format": "other"}\n', encoding="utf-8")
    with pytest.raises(datasets.StorageError):
        backup.restore(engine, bad)
    assert sum(_rows(engine).values()) == 0


def _city(ds: Dataset, prefix: str) -> Dataset:
    """The Nantong dataset with every region renamed (another city with the same catalogue)."""
    m = {r.name: prefix + r.name for r in ds.regions}
    return replace(ds, regions=[replace(r, name=m[r.name], parent=m.get(r.parent, "")) for r in ds.regions],
                   matrix={(m[a], b): v for (a, b), v in ds.matrix.items()},
                   budgets={(m[a], y): v for (a, y), v in ds.budgets.items()},
                   counts=[replace(c, region=m.get(c.region, c.region)) for c in ds.counts],
                   tiers=list(ds.tiers), warnings=[])


def test_province_collection_reports_never_merges_silently(nantong):
    a, b = _city(nantong, "甲"), _city(nantong, "乙")
    got = collect([("甲.xlsx", a), ("乙.xlsx", b)], "某省")
    ds = got.dataset
    assert ds.region("甲海安").parent == "甲市级" and ds.region("甲市级").parent == "某省"
    assert set(ds.subtree("某省")) == {r.name for r in ds.regions}
    assert len(ds.matrix) == 2 * len(nantong.matrix)
    assert {m.code for m in got.warnings} >= {"collect_adopted", "collect_totals"}
    # overlapping regions
    with pytest.raises(CollectError) as err:
        collect([("甲.xlsx", a), ("甲副本.xlsx", a)], "某省")
    assert {m.code for m in err.value.messages} == {"collect_overlap"}
    # conflicting items
    item = b.items[0]
    b2 = replace(b, items=[replace(item, capex_wan=item.capex_wan + 1), *b.items[1:]], tiers=list(b.tiers))
    with pytest.raises(CollectError) as err:
        collect([("甲.xlsx", a), ("乙.xlsx", b2)], "某省")
    assert [m.code for m in err.value.messages] == ["collect_item_conflict"]
    assert "capex_wan" in err.value.messages[0].en and item.name in err.value.messages[0].zh
    # different catalogues
    b3 = replace(b, items=b.items[:-1], matrix={k: v for k, v in b.matrix.items() if k[1] != b.items[-1].name},
                 tiers=list(b.tiers))
    with pytest.raises(CollectError) as err:
        collect([("甲.xlsx", a), ("乙.xlsx", b3)], "某省")
    assert "collect_catalogue" in {m.code for m in err.value.messages}


def _cli(monkeypatch, capsys, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_db_and_users(monkeypatch, capsys, tmp_path, nantong):
    monkeypatch.delenv("PLANNER_DB", raising=False)
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "data"))
    code, out, _ = _cli(monkeypatch, capsys, "db", "upgrade")
    assert code == 0 and "planner users add" in out and (tmp_path / "data" / "planner.db").exists()
    code, out, _ = _cli(monkeypatch, capsys, "users", "add", "boss", "--role", "admin", "--password-stdin",
                        stdin="long enough password\n")
    assert code == 0
    code, _, err = _cli(monkeypatch, capsys, "users", "add", "x", "--role", "county_editor", "--password-stdin",
                        stdin="long enough password\n")
    assert code == 2 and "地区" in err and "region" in err
    code, out, _ = _cli(monkeypatch, capsys, "users", "list")
    assert "boss" in out and "local" not in out
    assert _cli(monkeypatch, capsys, "users", "disable", "boss")[0] == 0
    assert "disabled" in _cli(monkeypatch, capsys, "users", "list")[1]
    # collection of two cities, reported
    a, b = tmp_path / "甲.xlsx", tmp_path / "乙.xlsx"
    a.write_bytes(workbook_bytes(dataset_workbook(_city(nantong, "甲"))))
    b.write_bytes(workbook_bytes(dataset_workbook(_city(nantong, "乙"))))
    code, out, err = _cli(monkeypatch, capsys, "db", "import-city", "--province", "某省", str(a), str(b))
    assert code == 0 and "某省" in out and "合计" in err
    code, _, err = _cli(monkeypatch, capsys, "db", "import-city", "--province", "某省", str(a), str(a))
    assert code == 2 and "同时出现在" in err and "is in both" in err
    code, out, _ = _cli(monkeypatch, capsys, "db", "export", "某省", "--out", str(tmp_path / "p.xlsx"))
    assert code == 0 and len(load_workbook(tmp_path / "p.xlsx").matrix) == 2 * len(nantong.matrix)
    code, _, err = _cli(monkeypatch, capsys, "db", "export", "某省", "--out", str(tmp_path / "early.xlsx"), "--at",
                        "2000-01-01T00:00")  # before anything: the dataset did not exist yet
    assert code == 2 and "尚未导入" in err
    code, out, _ = _cli(monkeypatch, capsys, "db", "export", "某省", "--out", str(tmp_path / "now.xlsx"), "--at",
                        "2100-01-01T00:00+08:00")
    assert code == 0 and (tmp_path / "now.xlsx").exists()
    assert _cli(monkeypatch, capsys, "db", "export", "某省", "--out", str(tmp_path / "x.xlsx"), "--at", "昨天")[0] == 2
    code, out, _ = _cli(monkeypatch, capsys, "db", "history", "某省", "--kind", "import")
    assert code == 0 and "import" in out
    code, out, _ = _cli(monkeypatch, capsys, "db", "history", "某省", "--until", "2000-01-01")
    assert code == 0 and out == ""
    code, out, _ = _cli(monkeypatch, capsys, "db", "history", "某省", "--since", "2000-01-01", "--json",
                        "--limit", "3")
    assert code == 0 and len(json.loads(out)) == 3
    backup_file = tmp_path / "b.jsonl"
    assert _cli(monkeypatch, capsys, "db", "backup", str(backup_file))[0] == 0
    assert _cli(monkeypatch, capsys, "db", "backup", str(backup_file))[0] == 2  # never overwritten silently
    monkeypatch.setenv("PLANNER_DATA_DIR", str(tmp_path / "other"))
    code, out, _ = _cli(monkeypatch, capsys, "db", "restore", str(backup_file))
    assert code == 0
    assert "boss" in _cli(monkeypatch, capsys, "users", "list")[1]
    code, _, err = _cli(monkeypatch, capsys, "db", "export", "无此数据集", "--out", str(tmp_path / "q.xlsx"))
    assert code == 2 and "无此数据集" in err and "Traceback" not in err
