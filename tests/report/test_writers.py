"""Report folders are complete or absent; concurrent runs are refused; user files are kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from energy_portfolio.errors import InputError
from energy_portfolio.report.manifest import GENERATOR
from energy_portfolio.report.writers import MANIFEST, ReportBusyError, report_lock, write_report_folder


def _manifest(*files: str) -> dict:
    """A manifest as build_manifest writes it, reduced to what proves the folder is the tool's."""
    return {"generator": GENERATOR, "files": sorted(files)}


def test_manifest_is_written_and_the_folder_appears_whole(tmp_path):
    out = tmp_path / "reports" / "demo"
    with report_lock(out):
        write_report_folder(out, {"summary.json": "{}", "a.bin": b"\x00\x01"}, _manifest("a.bin", "summary.json"))
    assert sorted(p.name for p in out.iterdir()) == ["a.bin", MANIFEST, "summary.json"]
    assert json.loads((out / MANIFEST).read_text()) == _manifest("a.bin", "summary.json")
    assert not list(out.parent.glob(".demo.*"))  # no lock, no temporary folder left


def test_an_existing_report_is_replaced_as_a_whole(tmp_path):
    out = tmp_path / "demo"
    write_report_folder(out, {"old.txt": "x"}, _manifest("old.txt"))
    write_report_folder(out, {"new.txt": "y"}, _manifest("new.txt"))
    assert sorted(p.name for p in out.iterdir()) == [MANIFEST, "new.txt"]


def test_a_folder_that_is_not_a_report_is_never_overwritten(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("precious")
    with pytest.raises(InputError, match="not a report folder"):
        write_report_folder(out, {"summary.json": "{}"}, {})
    assert (out / "thesis.docx").read_text() == "precious"


def test_a_folder_with_a_foreign_manifest_is_never_replaced(tmp_path):
    # e.g. a browser extension's folder: a manifest.json that is not ours, and the user's notes
    out = tmp_path / "extension"
    out.mkdir()
    (out / MANIFEST).write_text('{"manifest_version": 3, "name": "my extension"}')
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(InputError, match="not a report folder written by energy-portfolio"):
        write_report_folder(out, {"summary.json": "{}"}, _manifest("summary.json"))
    assert (out / "notes.txt").read_text() == "keep me"
    assert json.loads((out / MANIFEST).read_text())["name"] == "my extension"


def test_a_report_folder_holding_a_users_file_is_not_replaced(tmp_path):
    out = tmp_path / "demo"
    write_report_folder(out, {"summary.json": "{}"}, _manifest("summary.json"))
    (out / "notes.txt").write_text("my comments on the report")
    with pytest.raises(InputError, match=r"holds files the report did not write \(notes\.txt\)"):
        write_report_folder(out, {"summary.json": "{}"}, _manifest("summary.json"))
    assert (out / "notes.txt").read_text() == "my comments on the report"


def test_a_failed_write_leaves_nothing_that_looks_complete(tmp_path):
    out = tmp_path / "demo"

    class BoomError(Exception):
        pass

    class Exploding(dict):
        def items(self):
            yield "summary.json", "{}"
            raise BoomError

    with pytest.raises(BoomError):
        write_report_folder(out, Exploding(), {})
    assert not out.exists()
    assert not list(tmp_path.iterdir())


def test_a_second_run_into_a_busy_folder_fails_clearly(tmp_path):
    out = tmp_path / "demo"
    with report_lock(out):
        with pytest.raises(ReportBusyError, match="another energy-portfolio run"):
            with report_lock(out):
                pass


def test_a_stale_lock_of_a_killed_run_is_taken_over(tmp_path):
    out = tmp_path / "demo"
    # A process that has exited: its pid is free, as after `kill -9` of a run.
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / ".demo.lock").write_text(proc.stdout.strip())
    (tmp_path / ".demo.tmp-abc").mkdir()
    with report_lock(out):
        assert not (tmp_path / ".demo.tmp-abc").exists()
    assert os.listdir(tmp_path) == []
