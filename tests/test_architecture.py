"""The package's shape: no import cycle among helpers modules (function-level imports included); one name for
the story-family package and its function."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "check_import_cycles.py"


def _check(package_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(package_dir)], capture_output=True, text=True)


def test_no_import_cycle_among_helpers_modules():
    proc = _check(ROOT / "src" / "helpers")
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.startswith("no import cycle among")


def test_the_check_finds_a_cycle_hidden_in_a_function(tmp_path):
    pkg = tmp_path / "helpers"
    (pkg / "stage").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "stage" / "__init__.py").write_text("from .a import run\n")
    (pkg / "stage" / "a.py").write_text("from ..b import helper\n\ndef run():\n    return helper()\n")
    (pkg / "b.py").write_text("def helper():\n    from .stage import a\n    return a\n")
    (pkg / "c.py").write_text("from . import b\n")
    proc = _check(pkg)
    assert proc.returncode == 1
    assert "helpers.b, helpers.stage.a" in proc.stdout
    assert "helpers.c" not in proc.stdout


def test_the_families_package_is_callable_and_its_modules_importable():
    """``helpers.neardup.families`` is both the story-family package and its ``families`` function."""
    import importlib

    import pandas as pd

    import helpers.neardup
    import helpers.neardup.families.similarity as similarity

    package = importlib.import_module("helpers.neardup.families")
    assert helpers.neardup.families is package
    assert similarity.story_similarity is package.story_similarity
    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "text": [
                "The council approved the new harbour budget of 4.2 million on Monday after a long debate.",
                "On Monday the council approved a harbour budget of 4.2 million after a long debate, officials said.",
                "A storm closed schools across the northern valley for two days, the weather service said.",
            ],
        }
    )
    called = helpers.neardup.families(docs)
    pd.testing.assert_frame_equal(called, package.families(docs))
    assert set(called["doc_id"]) == {"a", "b", "c"}
