"""Issue 20, input: ``--scheduler`` addresses are validated and connected with a timeout (exit 2, bilingual,
never a hang, a traceback or a library's crash), and pool workers die with their parent (``kill -9``)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from planner import parallel
from planner.cli import main
from planner.parallel import SchedulerProblem, check_scheduler_address, probe_scheduler

REPO = Path(__file__).resolve().parents[1]
BASELINE = REPO / "scenarios" / "nantong_baseline.toml"


@pytest.mark.parametrize("address", ["garbage", "http://127.0.0.1:8787", "tcp://[::1", "ucx://127.0.0.1:8786",
                                     "inproc://x", "tcp://127.0.0.1", "tcp://127.0.0.1:99999", "tcp://:8786",
                                     "tcp://" + "a" * 100_000 + ":8786", "tcp://" + "a" * 64 + ".cn:8786",
                                     "tcp://a..b:8786", "tcp://[::zz]:8786"])
def test_malformed_addresses_are_refused_before_any_connection(address: str) -> None:
    with pytest.raises(SchedulerProblem) as info:
        check_scheduler_address(address)
    assert len(info.value.en) < 400 and len(info.value.zh) < 400  # a 100k host is quoted cut, not whole


def test_well_formed_addresses_pass() -> None:
    assert check_scheduler_address("tcp://127.0.0.1:8786") == ("tcp", "127.0.0.1", 8786)
    assert check_scheduler_address("tls://[::1]:8786") == ("tls", "::1", 8786)
    assert check_scheduler_address("tcp://调度.example.cn:8786")[2] == 8786


def _server(answer: bytes | None) -> tuple[socket.socket, int]:
    """A loopback server that accepts and then says ``answer`` (None: never says anything)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    held: list[socket.socket] = []

    def serve() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            held.append(conn)
            if answer is not None:
                conn.sendall(answer)

    threading.Thread(target=serve, daemon=True).start()
    return srv, srv.getsockname()[1]


def test_a_silent_server_times_out_in_the_named_time() -> None:
    srv, port = _server(None)
    try:
        started = time.monotonic()
        with pytest.raises(SchedulerProblem) as info:
            probe_scheduler(f"tcp://127.0.0.1:{port}", timeout=1.0)
        assert time.monotonic() - started < 3
        assert "1 s" in info.value.en and "1 秒" in info.value.zh
    finally:
        srv.close()


def test_an_http_server_is_not_taken_for_a_scheduler() -> None:
    srv, port = _server(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    try:
        with pytest.raises(SchedulerProblem) as info:
            probe_scheduler(f"tcp://127.0.0.1:{port}", timeout=1.0)
        assert "not a Dask scheduler" in info.value.en
    finally:
        srv.close()


def test_a_refused_port_is_said_at_once() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    started = time.monotonic()
    with pytest.raises(SchedulerProblem) as info:
        probe_scheduler(f"tcp://127.0.0.1:{port}", timeout=1.0)
    assert time.monotonic() - started < 2 and "refused" in info.value.en


def test_tls_without_certificates_is_explained() -> None:
    with pytest.raises(SchedulerProblem) as info:
        probe_scheduler("tls://127.0.0.1:8786", timeout=1.0)
    assert "certificates" in info.value.en


@pytest.mark.parametrize("address", ["garbage", "tls://127.0.0.1:8786", "tcp://" + "x" * 100_000 + ":1"])
def test_cli_exits_2_with_a_bilingual_message(address: str, capsys) -> None:
    code = main(["solve", str(BASELINE), "--executor", "dask", "--scheduler", address])
    err = capsys.readouterr().err
    assert code == 2
    assert "参数 --scheduler" in err and "--scheduler:" in err and "Traceback" not in err
    assert len(err) < 5_000


def test_cli_silent_scheduler_exits_2_within_the_timeout(monkeypatch, capsys) -> None:
    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT_S", 1.0)
    srv, port = _server(None)
    try:
        started = time.monotonic()
        code = main(["solve", str(BASELINE), "--executor", "dask", "--scheduler", f"tcp://127.0.0.1:{port}"])
        assert code == 2 and time.monotonic() - started < 10
        assert "connect timeout" in capsys.readouterr().err
    finally:
        srv.close()


# ------------------------------------------------------------------------------------------ orphan workers

def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_pool_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    """A solve that has started its pool, killed with SIGKILL: its workers are gone within a few seconds."""
    script = tmp_path / "parent.py"
    script.write_text(
        "import sys, time\n"
        "from planner.parallel import ProcessExecutor\n"
        "ex = ProcessExecutor(2)\n"
        "ex.start()\n"
        "print('ready', flush=True)\n"
        "ex.map(time.sleep, [60, 60, 60, 60])\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout's planner, whatever is installed
    parent = subprocess.Popen([sys.executable, str(script)], cwd=REPO, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "ready"
        workers = _children(parent.pid)
        assert len(workers) >= 2, workers
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        left = [w for w in workers if _alive(w)]
        for w in left:  # never leave them behind, even when the test fails
            os.kill(w, signal.SIGKILL)
        assert not left, f"workers outlived their parent: {left}"
    finally:
        if parent.poll() is None:
            parent.kill()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_cli_solve_workers_exit_after_kill_9(tmp_path: Path) -> None:
    """The issue's case: ``planner solve`` on a synthetic province (pool started), ``kill -9`` of the parent."""
    out = tmp_path / "p.xlsx"
    assert main(["synth", "--out", str(out), "--counties", "40", "--items", "30", "--seed", "3"]) == 0
    parent = subprocess.Popen([sys.executable, "-m", "planner", "solve", str(out.with_suffix(".toml")),
                               "--executor", "process", "--workers", "2"], cwd=REPO,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        workers: list[int] = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(workers) < 2 and parent.poll() is None:
            time.sleep(0.05)
            workers = _children(parent.pid)
        if len(workers) < 2:
            pytest.skip("the solve finished before its pool could be seen")
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        left = [w for w in workers if _alive(w)]
        for w in left:
            os.kill(w, signal.SIGKILL)
        assert not left, f"workers outlived their parent: {left}"
    finally:
        if parent.poll() is None:
            parent.kill()


def test_a_slow_name_lookup_is_bounded_by_the_timeout(monkeypatch) -> None:
    def slow(*args, **kwargs):
        time.sleep(3)
        raise socket.gaierror("late")

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    started = time.monotonic()
    with pytest.raises(SchedulerProblem) as info:
        probe_scheduler("tcp://slow.example:8786", timeout=0.5)
    assert time.monotonic() - started < 2 and "0.5 s" in info.value.en


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_forkserver_workers_exit_when_a_threaded_parent_is_killed(tmp_path: Path) -> None:
    """The app's case: a parent with threads gets a forkserver pool; killing it ends the workers too."""
    script = tmp_path / "app.py"
    script.write_text(
        "import threading, time\n"
        "from planner.parallel import ProcessExecutor\n"
        "if __name__ == '__main__':\n"
        "    threading.Thread(target=time.sleep, args=(600,), daemon=True).start()\n"
        "    ex = ProcessExecutor(2)\n"
        "    ex.start()\n"
        "    print('ready', flush=True)\n"
        "    time.sleep(600)\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    parent = subprocess.Popen([sys.executable, str(script)], cwd=REPO, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "ready"
        servers = _children(parent.pid)  # the forkserver (and the resource tracker)
        workers = [w for s in servers for w in _children(s)]
        assert len(workers) >= 2, (servers, workers)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(w) for w in workers + servers):
            time.sleep(0.1)
        left = [w for w in workers + servers if _alive(w)]
        for w in left:
            os.kill(w, signal.SIGKILL)
        assert not left, f"outlived their parent: {left}"
    finally:
        if parent.poll() is None:
            parent.kill()


def test_a_real_scheduler_address_passes_the_probe() -> None:
    """The checks let a real Dask scheduler through (its greeting is read and found plausible)."""
    from distributed import LocalCluster

    from planner.parallel import DaskExecutor

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      protocol="tcp://", host="127.0.0.1") as cluster:
        executor = DaskExecutor(cluster.scheduler_address, timeout=10)
        try:
            assert executor.map(abs, [-1, -2, -3]) == [1, 2, 3]
        finally:
            executor.client.close()
