"""Download weather for users who are online: a PVGIS TMY through ``pvlib.iotools``.

Nothing else in the package uses the network. Offline, the request fails at once (no route
or name resolution) and a ``WeatherError`` says so.
"""

from __future__ import annotations

import pvlib
import requests

from ..errors import WeatherError
from .data import WeatherData
from .pvgis import from_pvlib_tmy

__all__ = ["PVGIS_URL", "fetch_pvgis_tmy"]

PVGIS_URL = "https://re.jrc.ec.europa.eu/api/"
"""Base URL of the PVGIS API (pvlib appends ``tmy``)."""


def fetch_pvgis_tmy(
    latitude: float, longitude: float, timezone: str, url: str | None = None, source: str = "pvgis"
) -> WeatherData:
    """A PVGIS typical year for a point, in canonical form with its provenance.

    Parameters
    ----------
    latitude, longitude : float
        Degrees north and east [deg].
    timezone : str
        IANA time zone the returned index is converted to.
    url : str, optional
        Base URL of the PVGIS API; tests point it at a local server.
    source : str
        Only ``"pvgis"``.

    Returns
    -------
    WeatherData

    Raises
    ------
    WeatherError
        Unsupported source, no network, or an error answer from PVGIS.
    """
    if source != "pvgis":
        raise WeatherError(
            f"weather fetch: source {source!r} is not supported; use 'pvgis'. For ERA5, download a "
            "single-levels time series from the Copernicus Climate Data Store and run "
            "`energy-portfolio weather import FILE --format era5_netcdf` (or era5_csv)"
        )
    base = url or PVGIS_URL
    try:
        data, meta = pvlib.iotools.get_pvgis_tmy(
            latitude, longitude, outputformat="json", url=base, map_variables=True, timeout=30
        )
    except requests.exceptions.ConnectionError as exc:
        raise WeatherError(
            f"weather fetch: could not reach PVGIS at {base} ({type(exc).__name__}); fetching needs the internet. "
            "Offline, use `energy-portfolio weather synth` or a weather file you already have"
        ) from None
    except (requests.exceptions.RequestException, ValueError, KeyError) as exc:
        raise WeatherError(f"weather fetch: PVGIS at {base} answered with an error: {exc}") from None
    where = f"{latitude:g} N {longitude:g} E"
    weather, _ = from_pvlib_tmy(data, meta, f"PVGIS {base}", f"PVGIS TMY for {where} from {base} via pvlib.iotools")
    frame = weather.frame.tz_convert(timezone)
    return WeatherData(frame, weather.meta.with_notes(timezone=timezone))
