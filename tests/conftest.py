"""Shared fixtures: paths, one full pipeline run on the sample per session, and a headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
SHARED = ROOT.parent / "shared"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "reports" / "test-artifacts"


def run_cli(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    """Run ``python -m helpers ...`` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "helpers", *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} not present")
    return SHARED


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The whole pipeline on the bundled sample, through the command line (real papermill + nbconvert)."""
    out = tmp_path_factory.mktemp("runs") / "sample"
    proc = run_cli("run", "--corpus", str(SAMPLE), "--out", str(out), "--params", str(SAMPLE / "params.yaml"))
    return out, proc


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (Debian's package) driven by Playwright. Skips when absent, unless
    STORYTRACE_REQUIRE_BROWSER=1 (CI), where a missing browser fails."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("STORYTRACE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} (install Debian's chromium package)")
        pytest.skip("Chromium not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield b
        b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
