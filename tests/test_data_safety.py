"""Nothing the user gave is overwritten or lost, and every failure is an exit code with a message.

Every CLI command runs in-process on copies of the shipped inputs, with every file in the folder hashed before
and after; a few true end-to-end runs (subprocesses) check exit codes, stderr and the internal-error log."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planner import cli
from planner.io import files
from planner.io.files import FileProblem, write_atomic
from planner.io.workbook import load_workbook

REPO = Path(__file__).resolve().parent.parent


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder with a copy of the shipped workbook, a scenario using it, and an existing plan file."""
    shutil.copy(REPO / "data" / "nantong_capabilities.xlsx", tmp_path / "data.xlsx")
    text = (REPO / "scenarios" / "nantong_baseline.toml").read_text(encoding="utf-8")
    text = text.replace("../data/nantong_capabilities.xlsx", "data.xlsx")
    (tmp_path / "baseline.toml").write_text(text, encoding="utf-8")
    (tmp_path / "old_plan.xlsx").write_bytes(b"an earlier plan the user keeps")
    return tmp_path


COMMANDS = [
    (["status", "{d}/data.xlsx"], 0),
    (["status", "{d}/data.xlsx", "--json"], 0),
    (["solve", "{d}/baseline.toml", "--json"], 0),
    (["min-budget", "{d}/baseline.toml", "--json"], 0),
    (["frontier", "{d}/baseline.toml", "--multipliers", "1"], 0),
    (["marginal", "{d}/baseline.toml", "--delta", "50"], 0),
    (["solve", "{d}/baseline.toml", "--out", "{d}/old_plan.xlsx"], 2),  # exists, no --force
    (["solve", "{d}/baseline.toml", "--out", "{d}/data.xlsx", "--force"], 2),  # the input workbook
    (["solve", "{d}/baseline.toml", "--out", "{d}/../{n}/data.xlsx", "--force"], 2),  # the same, another spelling
    (["solve", "{d}/baseline.toml", "--out", "{d}/baseline.toml", "--force"], 2),  # the scenario itself
    (["frontier", "{d}/baseline.toml", "--multipliers", "a,b"], 2),
    (["marginal", "{d}/baseline.toml", "--delta", "nan"], 2),
    (["solve", "{d}/baseline.toml", "--time-limit", "inf"], 2),
    (["solve", "{d}/baseline.toml", "--bogus"], 2),
    (["status", "{d}"], 2),  # a folder
]


@pytest.mark.parametrize(("argv", "code"), COMMANDS, ids=[" ".join(a[:3:2]) + f"->{c}" for a, c in COMMANDS])
def test_every_command_leaves_every_input_unchanged(inputs: Path, capsys, argv, code) -> None:
    before = _hashes(inputs)
    args = [a.format(d=inputs, n=inputs.name) for a in argv]
    assert cli.main(args) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code == 2:
        assert err.strip() and any("\u4e00" <= ch <= "\u9fff" for ch in err)
    assert _hashes(inputs) == before


def test_solve_out_writes_a_new_file_and_force_replaces_only_outputs(inputs: Path, capsys) -> None:
    before = _hashes(inputs)
    new = inputs / "plans" / "plan.xlsx"
    assert cli.main(["solve", str(inputs / "baseline.toml"), "--out", str(new)]) == 0
    assert load_workbook(new).gaps() == load_workbook(inputs / "data.xlsx").gaps()
    assert cli.main(["solve", str(inputs / "baseline.toml"), "--out", str(inputs / "old_plan.xlsx"), "--force"]) == 0
    assert load_workbook(inputs / "old_plan.xlsx").budgets  # replaced by a real plan workbook
    after = _hashes(inputs)
    assert {k: v for k, v in after.items() if k != "old_plan.xlsx"} == {k: v for k, v in before.items()
                                                                       if k != "old_plan.xlsx"}
    assert not [p for p in inputs.rglob("*.part")]  # no temporary file left behind
    capsys.readouterr()


def test_interrupted_write_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"the good plan")

    def crash(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", crash)
    with pytest.raises(FileProblem) as info:
        write_atomic(target, b"half a new plan")
    assert target.read_bytes() == b"the good plan"
    assert list(tmp_path.iterdir()) == [target]
    assert "磁盘空间不足" in info.value.message.zh and "disk is full" in info.value.message.en


def test_unwritable_out_is_exit_2(inputs: Path, capsys) -> None:
    blocker = inputs / "not_a_folder"
    blocker.write_text("x", encoding="utf-8")
    assert cli.main(["solve", str(inputs / "baseline.toml"), "--out", str(blocker / "plan.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "无法写入" in err and "cannot write" in err and "Traceback" not in err


def test_internal_error_is_one_line_and_a_log(inputs: Path, capsys, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLANNER_LOG_DIR", str(tmp_path / "logs"))

    def broken(*_a, **_k):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "load_workbook", broken)
    assert cli.main(["status", str(inputs / "data.xlsx")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "内部错误" in err and "internal error" in err and "Traceback" not in err
    (log,) = (tmp_path / "logs").iterdir()
    assert str(log) in err
    assert "ZeroDivisionError: a bug" in log.read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------- end to end

def _run(*args: str, timeout: float = 60, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=REPO, capture_output=True, text=True, encoding="utf-8",
                          timeout=timeout, env=dict(os.environ, **(env or {})))


def test_e2e_bad_inputs_exit_2_without_traceback(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\nworkbook = "data.xlsx"\nbudget_multiplier = "1"\nsharing = "no"\n', encoding="utf-8")
    for args in (["status", str(fifo)], ["status", str(tmp_path)], ["solve", str(bad)],
                 ["frontier", "scenarios/nantong_baseline.toml", "--multipliers", "a,b"]):
        run = _run("-m", "planner", *args, timeout=30)
        assert run.returncode == 2, (args, run.stderr)
        assert "Traceback" not in run.stderr and run.stdout == ""
        assert any("\u4e00" <= ch <= "\u9fff" for ch in run.stderr)
    run = _run("-m", "planner", "solve", str(bad))
    assert "budget_multiplier" in run.stderr and "sharing" in run.stderr  # every problem at once, each key named


def test_e2e_internal_error_log(tmp_path: Path) -> None:
    code = ("import sys, planner.cli as c\n"
            "c.load_workbook = lambda *a: 1 / 0\n"
            "sys.exit(c.main(['status', 'data/nantong_capabilities.xlsx']))\n")
    run = _run("-c", code, env={"PLANNER_LOG_DIR": str(tmp_path)})
    assert run.returncode == 1
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr
    (log,) = tmp_path.iterdir()
    assert str(log) in run.stderr and "ZeroDivisionError" in log.read_text(encoding="utf-8")
