"""Shared by the benchmarks: run a command and measure it, machine facts, results files."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
WORK = Path(os.environ.get("LDN_BENCH_DIR", "/tmp/ldn-bench"))


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + sys seconds of the process and the children it waited for
    peak_rss_mb: float  # the command's own peak RSS (GNU time %M; else wait4 ru_maxrss)
    tree_rss_mb: float  # peak of the summed RSS of the command and its workers (sampled)
    returncode: int
    stdout: str
    stderr: str


def measure(cmd: list[str], *, env: dict[str, str] | None = None, sample: float = 0.05) -> Run:
    """Run `cmd`; wall time, CPU time and peak memory from wait4, plus a sampled peak of
    the whole process tree (workers included) when psutil is installed."""
    # GNU time reports the command's own peak RSS. wait4's ru_maxrss cannot: a child
    # forked from this (large) process starts with our RSS as its high-water mark.
    timing = WORK / f"time.{os.getpid()}.txt"
    gnu_time = Path("/usr/bin/time")
    if gnu_time.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        cmd = [str(gnu_time), "-f", "%M", "-o", str(timing), *cmd]
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})}
    )
    tree_peak = [0.0]
    stop = threading.Event()
    threading.Thread(
        target=_sample_tree, args=(proc.pid, tree_peak, stop, sample), daemon=True
    ).start()
    out_chunks: list[bytes] = []
    err_chunks: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True),  # type: ignore[union-attr]
        threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True),  # type: ignore[union-attr]
    ]
    for r in readers:
        r.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    stop.set()
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss / 1024
    if gnu_time.exists():
        lines = timing.read_text().split()
        timing.unlink()
        peak = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else peak
    return Run(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=peak,
        tree_rss_mb=max(tree_peak[0], peak),
        returncode=proc.returncode,
        stdout=b"".join(out_chunks).decode(errors="replace"),
        stderr=b"".join(err_chunks).decode(errors="replace"),
    )


def _sample_tree(pid: int, peak: list[float], stop: threading.Event, every: float) -> None:
    try:
        import psutil
    except ImportError:
        return
    try:
        root = psutil.Process(pid)
        while not stop.is_set():
            total = root.memory_info().rss
            for child in root.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            peak[0] = max(peak[0], total / 2**20)
            time.sleep(every)
    except psutil.Error:
        return


def python() -> str:
    return sys.executable


def cli() -> list[str]:
    """The installed console script next to this interpreter, else `python -m`."""
    script = Path(sys.executable).with_name("ldn-evidence")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ldn_evidence"]


def machine() -> dict[str, str]:
    def run(*cmd: str) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            return ""

    lscpu = run("lscpu")
    model = next((x.split(":", 1)[1].strip() for x in lscpu.splitlines() if "Model name" in x), "")
    return {
        "cpu": model,
        "nproc": run("nproc"),
        "memory": next((x for x in run("free", "-m").splitlines() if x.startswith("Mem:")), ""),
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def save(name: str, data: object) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"machine": machine(), "results": data}
    path.write_text(json.dumps(payload, indent=2, default=lambda o: asdict(o)) + "\n")
    print(f"wrote {path}", file=sys.stderr)
    return path


def generated(n: int) -> Path:
    """A baseline-format file of n re-numbered real records, made once and reused."""
    from benchmarks.generate import generate

    WORK.mkdir(parents=True, exist_ok=True)
    path = WORK / f"generated_{n}.xml.gz"
    if not path.exists():
        tmp = path.with_suffix(".tmp.gz")
        generate(tmp, n)
        tmp.rename(path)
    return path
