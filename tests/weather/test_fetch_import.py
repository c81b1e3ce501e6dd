"""weather fetch against a local server speaking PVGIS's published JSON; offline failure; import."""

from __future__ import annotations

import json
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pandas as pd
import pytest

from energy_portfolio.cli import run
from energy_portfolio.errors import WeatherError
from energy_portfolio.weather import read_canonical
from energy_portfolio.weather.fetch import fetch_pvgis_tmy

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


def test_fetch_era5_points_to_import():
    with pytest.raises(WeatherError, match="weather import FILE --format era5_netcdf"):
        fetch_pvgis_tmy(LAT, LON, "Asia/Baku", source="era5")


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
