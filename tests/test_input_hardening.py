"""Issue 20, input: scenario files nested 30,000–50,000 deep, symlink loops, non-UTF-8 output names, write
failures and half-written files, long values quoted cut, hard targets due before the plan's start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from planner.cli import main
from planner.domain import ScenarioError
from planner.io import files
from planner.io.files import remove_stale_parts, write_atomic
from planner.io.scenario import read_scenario, toml_depth
from planner.io.workbook import load_workbook
from planner.model.check import check_scenario

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "nantong_baseline.toml"
DEMO = REPO / "scenarios" / "demo_province.toml"
WORKBOOK = REPO / "data" / "nantong_capabilities.xlsx"
HEAD = f'name = "x"\nworkbook = "{WORKBOOK.as_posix()}"\n'


# --------------------------------------------------------------------------------------- deep scenario files

@pytest.mark.parametrize("body", [
    "a = " + "[" * 30_000 + "]" * 30_000,
    "a = " + "[" * 50_000 + "]" * 50_000,
    "a = " + "{b = " * 30_000 + "1" + "}" * 30_000,
    "x." * 40_000 + "y = 1",
    "[" + "x." * 40_000 + "y]\nz = 1",
    "[options]\nsharing_provider = " + "[" * 17 + "]" * 17,
])
def test_deep_scenarios_are_refused_without_recursion(tmp_path: Path, body: str) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(HEAD + body + "\n", encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(ScenarioError) as info:
        read_scenario(path)
    assert time.monotonic() - started < 2
    assert [m.code for m in info.value.messages] == ["too_deep"]
    assert "嵌套过深" in info.value.messages[0].zh and "nested too deeply" in info.value.messages[0].en


def test_depth_scan_ignores_brackets_in_strings_and_comments() -> None:
    assert toml_depth('a = "[[[[[[[[[[[[[[[[[[[["\n# {{{{{{{{{{{{{{{{{{{{{{\nb = \'[[[[\'\nc = """\n[[[[\n"""') == 0
    assert toml_depth("[budgets]\n\"海门\" = { 2024 = 150 }\nm = [[1, 2], [3]]") == 2


def test_cli_deep_scenario_exits_2(tmp_path: Path, capsys) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(HEAD + "a = " + "[" * 40_000 + "]" * 40_000 + "\n", encoding="utf-8")
    assert main(["solve", str(path)]) == 2
    assert "RecursionError" not in capsys.readouterr().err


# --------------------------------------------------------------------------------------------- long values

def test_a_100k_key_is_quoted_cut(tmp_path: Path) -> None:
    path = tmp_path / "long.toml"
    key = "k" * 100_000
    path.write_text(HEAD + f'{key} = 1\n[region_multipliers]\n"{"县" * 50_000}" = 1\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        read_scenario(path)
    assert all(len(m.zh) < 1_000 and len(m.en) < 1_000 for m in info.value.messages)
    scenario_path = tmp_path / "region.toml"
    scenario_path.write_text(HEAD + f'[region_multipliers]\n"{"县" * 50_000}" = 1\n', encoding="utf-8")
    scenario, _ = read_scenario(scenario_path)
    messages = check_scenario(scenario, load_workbook(WORKBOOK))
    assert messages and all(len(m.zh) < 1_000 and len(m.en) < 1_000 for m in messages)
    assert "…" in messages[0].zh


def test_a_100k_brief_region_is_quoted_cut(tmp_path: Path, capsys) -> None:
    code = main(["brief", str(BASELINE), "--out", str(tmp_path / "b.pdf"), "--region", "县" * 100_000])
    err = capsys.readouterr().err
    assert code == 2 and len(err) < 5_000 and "…" in err


# -------------------------------------------------------------------------------------------- symlink loops

def test_symlink_loop_as_scenario_with_out(tmp_path: Path, capsys) -> None:
    loop = tmp_path / "loop.toml"
    loop.symlink_to(loop.name)
    assert main(["solve", str(loop), "--out", str(tmp_path / "o.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "符号链接成环" in err and "symbolic link loop" in err and "internal error" not in err


def test_symlink_loop_as_workbook_with_out(tmp_path: Path, capsys) -> None:
    loop = tmp_path / "loop.xlsx"
    loop.symlink_to(loop.name)
    scenario = tmp_path / "s.toml"
    scenario.write_text('name = "x"\nworkbook = "loop.xlsx"\n', encoding="utf-8")
    assert main(["solve", str(scenario), "--out", str(tmp_path / "o.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "符号链接成环" in err and "internal error" not in err
    assert files.same_file(loop, tmp_path / "other.xlsx") is False  # never RuntimeError


# ---------------------------------------------------------------------------------------- output file names

@pytest.mark.parametrize("command", [["template", "--plan", "nantong"], ["synth", "--counties", "2", "--items", "3"]])
def test_non_utf8_out_name_writes_nothing(tmp_path: Path, command: list[str], capsys) -> None:
    name = os.fsdecode(b"\xb9\xe3\xb6\xab.xlsx")  # 广东 in GBK, in a UTF-8 locale
    assert main([*command, "--out", str(tmp_path / name)]) == 2
    err = capsys.readouterr().err
    assert "UTF-8" in err and "\\xb9" in err
    assert os.listdir(tmp_path) == []  # never an .xlsx without its .toml (nor anything else)


def test_template_xlsx_removed_when_its_toml_cannot_be_written(tmp_path: Path, monkeypatch, capsys) -> None:
    real = files.write_atomic

    def failing(path, data):
        if str(path).endswith(".toml"):
            raise files.FileProblem(files.Message("cannot_write", "无法写入", "cannot write"))
        return real(path, data)

    monkeypatch.setattr("planner.cli.write_atomic", failing)
    assert main(["template", "--plan", "nantong", "--out", str(tmp_path / "t.xlsx")]) == 2
    assert os.listdir(tmp_path) == []


# ----------------------------------------------------------------------------------------------- write failures

def test_disk_full_while_making_the_output_exits_2(tmp_path: Path, monkeypatch, capsys) -> None:
    import errno

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x"))

    monkeypatch.setattr("planner.reports.plan_workbook.plan_workbook_bytes", full)
    assert main(["solve", str(BASELINE), "--out", str(tmp_path / "o.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "磁盘空间不足" in err and "disk is full" in err and "internal error" not in err


def test_write_failure_leaves_no_part_file(tmp_path: Path, monkeypatch) -> None:
    import errno

    def fail(fd):
        raise OSError(errno.ENOSPC, "full")

    monkeypatch.setattr(files.os, "fsync", fail)
    with pytest.raises(files.FileProblem) as info:
        write_atomic(tmp_path / "o.xlsx", b"x" * 1000)
    assert "磁盘空间不足" in info.value.message.zh
    assert os.listdir(tmp_path) == []


def test_stale_part_files_of_killed_writers_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = files._host()
    stale = tmp_path / f".o.xlsx.{host}-{dead.pid}.abc123.part"
    live = tmp_path / f".o.xlsx.{host}-{os.getppid()}.abc123.part"  # a writer still running: left alone
    elsewhere = tmp_path / f".o.xlsx.otherhost-{dead.pid}.abc123.part"  # another machine's writer: left alone
    other = tmp_path / ".notes.txt.part"
    for f in (stale, live, elsewhere, other):
        f.write_bytes(b"half")
    write_atomic(tmp_path / "o.xlsx", b"done")
    assert not stale.exists() and live.exists() and elsewhere.exists() and other.exists()
    assert (tmp_path / "o.xlsx").read_bytes() == b"done"
    assert remove_stale_parts(tmp_path / "o.xlsx") == []


def test_sigterm_during_a_write_leaves_no_part_file(tmp_path: Path) -> None:
    """A writer stopped by SIGTERM (``kill``) in the middle of its write removes its temporary file."""
    script = (
        "import sys, time\n"
        "from planner.cli import run\n"
        "from planner.io import files\n"
        "def slow(fd):\n"
        "    print('writing', flush=True)\n"
        "    time.sleep(30)\n"
        "files.os.fsync = slow\n"
        f"sys.exit(run(lambda: files.write_atomic(files.Path({str(tmp_path / 'o.xlsx')!r}), b'x') and 0))\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
        assert any(n.endswith(".part") for n in os.listdir(tmp_path))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 128 + signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
    assert os.listdir(tmp_path) == []


# ------------------------------------------------------------------------------------ targets before the start

def test_hard_target_due_before_the_start_is_explained() -> None:
    scenario, _ = read_scenario(DEMO)
    dataset = load_workbook(scenario.workbook)
    target = dataset.targets[1]
    dataset.targets = [replace(target, by=date(2021, 6, 30), hard=True)]
    messages = check_scenario(scenario, dataset)
    assert [m.code for m in messages] == ["target_before_start"]
    m = messages[0]
    assert target.id in m.zh and "2021-06-30" in m.zh and str(scenario.start) in m.zh
    assert target.id in m.en and "2021-06-30" in m.en and str(scenario.start) in m.en
    dataset.targets = [replace(target, by=date(2021, 6, 30), hard=False)]  # soft: just missed, not refused
    assert check_scenario(scenario, dataset) == []
    dataset.targets = [replace(target, by=date(2021, 6, 30), hard=True, share=0.0)]  # met already: fine
    assert check_scenario(scenario, dataset) == []
