"""The manifest hashes every input and records versions and warnings."""

import hashlib

from energy_portfolio.report.manifest import build_manifest


def test_manifest_hashes_inputs_and_lists_versions(tmp_path):
    a = tmp_path / "a.yaml"
    a.write_text("kind: solar\n")
    m = build_manifest(portfolio="p", inputs=[a, a], solver={"status": "optimal"}, warnings=["w"],
                       corrections=["c"], timings_s={"dispatch": 1.23456}, files=["summary.json"], root=tmp_path)
    assert m["inputs"] == [{"path": "a.yaml", "sha256": hashlib.sha256(b"kind: solar\n").hexdigest(), "bytes": 12}]
    assert m["versions"]["pvlib"] and m["versions"]["python"]
    assert m["warnings"] == ["w"] and m["corrections"] == ["c"]
    assert m["timings_s"] == {"dispatch": 1.235}
