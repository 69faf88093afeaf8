"""The `extract` command end to end: it reproduces every committed official extract, atomically."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import paths
from analysis.cli import main
from analysis.data.fileio import sha256_file
from analysis.data.load import load
from analysis.data.registry import all_specs

OFFICIAL = [spec.path for spec in all_specs().values() if spec.origin == "official"]


@pytest.fixture(scope="module")
def extracted(dfe_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("extract")
    assert main(["extract", "--source-dir", str(dfe_dir), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("rel", OFFICIAL)
def test_extract_reproduces_the_committed_file_byte_for_byte(extracted, rel):
    assert (extracted / rel).read_bytes() == (paths.DATA_RAW / rel).read_bytes(), (
        f"data/raw/{rel} differs from what `python -m analysis extract` derives from ../shared"
    )


def test_a_failed_extract_changes_nothing(dfe_dir, tmp_path, capsys):
    sources = tmp_path / "dfe"
    shutil.copytree(dfe_dir, sources)
    for sibling in paths.dfe_dir().parent.iterdir():  # the other folders the parsers read
        if sibling.is_dir() and sibling.name != "dfe":
            (sources.parent / sibling.name).symlink_to(sibling)
    b1 = sources / "b1_children_in_need_2013_to_2025.csv"
    lines = b1.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[5].split(",")
    cells[-2] = "lots"  # not a number and not an official marker
    lines[5] = ",".join(cells)
    b1.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "raw"
    shutil.copytree(paths.DATA_RAW, out)
    before = {p: p.read_bytes() for p in out.rglob("*.csv")}
    assert main(["extract", "--source-dir", str(sources), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "b1_children_in_need_2013_to_2025.csv, line 6" in err and "'lots'" in err
    assert {p: p.read_bytes() for p in out.rglob("*.csv")} == before
    assert not [p for p in out.rglob("*.tmp")], "no temporary file may be left behind"


def test_registry_checksums_match_the_official_files_used():
    shared = paths.shared_dir()
    if not shared.is_dir():
        pytest.skip(f"{shared} is absent: cannot check the registry's SHA-256 against the files")
    registry = load("sources")
    for _, row in registry[registry["sha256"].notna()].iterrows():
        assert sha256_file(shared / row["file"]) == row["sha256"], row["source_id"]


def test_missing_source_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["extract", "--source-dir", str(tmp_path / "nowhere")]) == 2
    assert "source folder not found" in capsys.readouterr().err
