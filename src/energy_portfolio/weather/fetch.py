"""Download weather for users who are online, through ``pvlib.iotools``.

PVGIS typical year (``get_pvgis_tmy``, no account) and ERA5 point time series from the
Copernicus Climate Data Store (``get_era5``, needs a CDS API key). Nothing else in the package
uses the network. Offline, the request fails at once (no route or name resolution) and a
``WeatherError`` says so.
"""

from __future__ import annotations

import pvlib
import requests

from ..errors import WeatherError
from .data import WeatherData
from .era5 import ERA5_VARIABLES, from_era5_frame
from .pvgis import from_pvlib_tmy

__all__ = ["PVGIS_URL", "CDS_URL", "fetch_pvgis_tmy", "fetch_era5", "fetch"]

PVGIS_URL = "https://re.jrc.ec.europa.eu/api/"
"""Base URL of the PVGIS API (pvlib appends ``tmy``)."""
CDS_URL = "https://cds.climate.copernicus.eu/api/retrieve/v1/"
"""Base URL of the Copernicus Climate Data Store API used by ``pvlib.iotools.get_era5``."""


def _offline(service: str, base: str, exc: Exception) -> WeatherError:
    return WeatherError(
        f"weather fetch: could not reach {service} at {base} ({type(exc).__name__}); fetching needs the internet. "
        "Offline, use `energy-portfolio weather synth` or a weather file you already have"
    )


def fetch_pvgis_tmy(latitude: float, longitude: float, timezone: str, url: str | None = None) -> WeatherData:
    """A PVGIS typical year for a point, in canonical form with its provenance.

    Parameters
    ----------
    latitude, longitude : float
        Degrees north and east [deg].
    timezone : str
        IANA time zone the returned index is converted to.
    url : str, optional
        Base URL of the PVGIS API; tests point it at a local server.

    Raises
    ------
    WeatherError
        No network, or an error answer from PVGIS.
    """
    base = url or PVGIS_URL
    try:
        data, meta = pvlib.iotools.get_pvgis_tmy(
            latitude, longitude, outputformat="json", url=base, map_variables=True, timeout=30
        )
    except requests.exceptions.ConnectionError as exc:
        raise _offline("PVGIS", base, exc) from None
    except (requests.exceptions.RequestException, ValueError, KeyError) as exc:
        raise WeatherError(f"weather fetch: PVGIS at {base} answered with an error: {exc}") from None
    where = f"{latitude:g} N {longitude:g} E"
    weather, _ = from_pvlib_tmy(data, meta, f"PVGIS {base}", f"PVGIS TMY for {where} from {base} via pvlib.iotools")
    return WeatherData(weather.frame.tz_convert(timezone), weather.meta.with_notes(timezone=timezone))


def fetch_era5(
    latitude: float, longitude: float, year: int, timezone: str, api_key: str, url: str | None = None
) -> WeatherData:
    """One year of ERA5 hourly single-level data at a point, in canonical form.

    Parameters
    ----------
    latitude, longitude : float
        Degrees north and east [deg]; the CDS serves the nearest 0.25 deg grid point.
    year : int
        Calendar year (UTC days 1 January to 31 December).
    timezone : str
        IANA time zone the returned index is converted to.
    api_key : str
        The user's CDS API key.
    url : str, optional
        Base URL of the CDS API.

    Raises
    ------
    WeatherError
        No network, or an error answer from the CDS (e.g. licence not accepted).
    """
    base = url or CDS_URL
    try:
        raw, meta = pvlib.iotools.get_era5(
            latitude, longitude, f"{year}-01-01", f"{year}-12-31", list(ERA5_VARIABLES), api_key,
            map_variables=False, url=base,
        )
    except requests.exceptions.ConnectionError as exc:
        raise _offline("the Copernicus Climate Data Store", base, exc) from None
    except Exception as exc:  # pvlib raises a bare Exception with the CDS's answer
        raise WeatherError(f"weather fetch: the CDS at {base} answered with an error: {exc}") from None
    name = f"ERA5 {base}"
    source = f"ERA5 single levels {year} at {meta.get('latitude')} N {meta.get('longitude')} E from {base} via pvlib"
    weather = from_era5_frame(raw, float(meta["latitude"]), float(meta["longitude"]), name, source)
    return WeatherData(weather.frame.tz_convert(timezone), weather.meta.with_notes(timezone=timezone))


def fetch(
    source: str,
    latitude: float,
    longitude: float,
    timezone: str,
    year: int | None = None,
    api_key: str | None = None,
    url: str | None = None,
) -> WeatherData:
    """Dispatch ``weather fetch --source pvgis|era5``; an ERA5 request needs ``year`` and ``api_key``."""
    if source == "pvgis":
        return fetch_pvgis_tmy(latitude, longitude, timezone, url=url)
    if source == "era5":
        if year is None or not api_key:
            raise WeatherError(
                "weather fetch --source era5 needs --year and --api-key (a Copernicus Climate Data Store key); "
                "or download the data yourself and run `energy-portfolio weather import FILE --format era5_netcdf`"
            )
        return fetch_era5(latitude, longitude, year, timezone, api_key, url=url)
    raise WeatherError(f"weather fetch: source {source!r} is not supported; expected pvgis or era5")
