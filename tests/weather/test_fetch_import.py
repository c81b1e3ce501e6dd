"""weather fetch against a local server speaking PVGIS's published JSON; offline failure; import."""

from __future__ import annotations

import io
import json
import socket
import sys
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pandas as pd
import pytest

from energy_portfolio.cli import run
from energy_portfolio.errors import WeatherError
from energy_portfolio.weather import read_canonical
from energy_portfolio.weather.fetch import fetch, fetch_pvgis_tmy

from . import samples

LAT, LON, ELEV = 40.75, 50.1, -28.0


@pytest.fixture(scope="module")
def pvgis_body(typical_years) -> bytes:
    frame = typical_years["offshore"]
    frame = frame[~((frame.index.month == 2) & (frame.index.day == 29))].copy()
    frame.index = pd.date_range("2031-01-01", periods=len(frame), freq="h", tz="UTC")
    frame["wind_direction_10m"] = frame["wind_direction_100m"]
    return json.dumps(samples.pvgis_json(frame, {m: 2010 + m for m in range(1, 13)}, LAT, LON, ELEV)).encode()


@pytest.fixture
def pvgis_server(pvgis_body):
    requests_seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests_seen.append(self.path)
            self.send_response(200 if self.path.startswith("/api/tmy") else 404)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(pvgis_body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/", requests_seen
    server.shutdown()
    server.server_close()


def test_fetch_pvgis_through_pvlib(pvgis_server):
    url, seen = pvgis_server
    data = fetch_pvgis_tmy(LAT, LON, "Asia/Baku", url=url)
    assert seen and "lat=40.75" in seen[0] and "outputformat=json" in seen[0]
    assert len(data.frame) == 8760 and str(data.frame.index.tz) == "Asia/Baku"
    assert url in data.meta.source
    assert data.frame["ghi"].max() > 500


def test_fetch_cli_writes_canonical_file(pvgis_server, tmp_path, monkeypatch):
    url, _ = pvgis_server
    out = tmp_path / "pvgis.csv"
    argv = ["energy-portfolio", "weather", "fetch", "--latitude", "40.75", "--longitude", "50.1", "--out", str(out),
            "--url", url]
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exit_info:
        run()
    assert exit_info.value.code == 0
    back = read_canonical(out)
    assert "PVGIS TMY" in back.meta.source and back.meta.latitude == 40.75


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_fetch_offline_fails_at_once_with_a_clear_message():
    url = f"http://127.0.0.1:{_closed_port()}/api/"
    with pytest.raises(WeatherError, match=r"could not reach PVGIS .* fetching needs the internet"):
        fetch_pvgis_tmy(LAT, LON, "Asia/Baku", url=url)


def test_fetch_era5_without_a_key_points_to_import():
    with pytest.raises(WeatherError, match="needs --year and --api-key"):
        fetch("era5", LAT, LON, "Asia/Baku", year=2031)


@pytest.fixture
def cds_server(typical_years):
    """A local server speaking the CDS process API that pvlib.iotools.get_era5 uses."""
    frame = typical_years["offshore"]
    frame = frame[~((frame.index.month == 2) & (frame.index.day == 29))].copy()
    frame.index = pd.date_range("2031-01-01", periods=len(frame), freq="h", tz="UTC")
    frame["wind_direction_10m"] = frame["wind_direction_100m"]
    table = samples.era5_table(frame, LAT, LON)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("data.csv", table.to_csv(index=False))
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def _json(self, payload):
            body = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers["Content-Length"])
            seen.append((self.path, json.loads(self.rfile.read(length)), self.headers["PRIVATE-TOKEN"]))
            self._json({"jobID": "job1", "metadata": {}})

        def do_GET(self):
            host = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path.endswith("/jobs/job1"):
                self._json({"status": "successful"})
            elif self.path.endswith("/jobs/job1/results"):
                self._json({"asset": {"value": {"href": f"{host}/download/data.zip"}}})
            else:
                self.send_response(200)
                self.end_headers()
                self.wfile.write(archive.getvalue())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/api/", seen, frame
    server.shutdown()
    server.server_close()


def test_fetch_era5_through_pvlib(cds_server):
    url, seen, truth = cds_server
    data = fetch("era5", LAT, LON, "Asia/Baku", year=2031, api_key="test-key", url=url)
    path, request, token = seen[0]
    assert token == "test-key" and path.endswith("reanalysis-era5-single-levels-timeseries/execution")
    assert request["inputs"]["date"] == ["2031-01-01/2031-12-31"]
    assert set(request["inputs"]["variable"]) >= {"ssrd", "fdir", "u100", "v100", "t2m"}
    # J/m2 accumulations ending at valid_time -> W/m2 of the hour before; UTC -> Baku.
    np.testing.assert_allclose(data.frame["ghi"].to_numpy(), truth["ghi"].to_numpy(), atol=1e-6)
    assert str(data.frame.index.tz) == "Asia/Baku" and data.frame.index[0] == truth.index[0]


def test_import_converts_tmy3_to_canonical(tmp_path, monkeypatch):
    import pvlib

    out = tmp_path / "greensboro.csv"
    source = f"{pvlib.__path__[0]}/data/723170TYA.CSV"
    monkeypatch.setattr(sys, "argv", ["energy-portfolio", "weather", "import", source, "--format", "tmy3",
                                      "--out", str(out)])
    with pytest.raises(SystemExit) as exit_info:
        run()
    assert exit_info.value.code == 0
    back = read_canonical(out)
    assert back.meta.latitude == 36.1 and "TMY3" in back.meta.source
    assert any("interval end to interval start" in c for c in back.meta.corrections)
    assert len(back.frame) == 8760 and np.isfinite(back.frame["ghi"]).all()
