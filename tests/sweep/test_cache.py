"""The sweep's production cache: keys, exact round trips of each entry kind, and entries that are not ours.

Every comparison here is exact (no tolerance): an entry is stored as JSON numbers (shortest repr,
which reads back bit for bit), parquet and ``.npy`` files, all lossless for float64, so a value read
back must equal the one computed, NaN for NaN and None for None.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import io
import json
import math
import pickle
import re
import threading
import warnings
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from energy_portfolio import provenance
from energy_portfolio.dispatch import DispatchResult, ReserveProduct, solve
from energy_portfolio.portfolio import WeatherYearsProduction
from energy_portfolio.portfolio.sites import run_site_in_year
from energy_portfolio.sweep import DiskProductionCache
from energy_portfolio.sweep import cache as cache_module
from energy_portfolio.sweep.cache import CacheEntryWarning
from energy_portfolio.sweep.codec import decode, encode

from ..conftest import ROOT
from ..dispatch import small

PACKAGE = ROOT / "src" / "energy_portfolio"


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------


def assert_identical(left: Any, right: Any, where: str = "value") -> None:
    """``left`` is ``right`` field by field: same classes, frames exactly equal with their index
    classes, time zones and frequencies, arrays of the same dtype and values, NaN where NaN."""
    assert type(left) is type(right), f"{where}: {type(left)} != {type(right)}"
    if dataclasses.is_dataclass(left):
        for field in dataclasses.fields(left):
            assert_identical(getattr(left, field.name), getattr(right, field.name), f"{where}.{field.name}")
    elif isinstance(left, pd.DataFrame):
        pd.testing.assert_frame_equal(left, right, check_exact=True, check_freq=True, check_index_type=True,
                                      check_column_type=True, obj=where)
    elif isinstance(left, pd.Series):
        pd.testing.assert_series_equal(left, right, check_exact=True, check_freq=True, check_index_type=True,
                                       obj=where)
    elif isinstance(left, pd.Index):
        assert getattr(left, "freq", None) == getattr(right, "freq", None), where  # first: pandas 3 warns otherwise
        pd.testing.assert_index_equal(left, right, exact=True, check_exact=True, obj=where)
    elif isinstance(left, np.ndarray):
        assert left.dtype == right.dtype, where
        np.testing.assert_array_equal(left, right, err_msg=where)  # NaN equals NaN here
    elif isinstance(left, dict):
        assert list(left) == list(right), where
        for key in left:
            assert_identical(left[key], right[key], f"{where}[{key!r}]")
    elif isinstance(left, tuple | list):
        assert len(left) == len(right), where
        for i, (a, b) in enumerate(zip(left, right, strict=True)):
            assert_identical(a, b, f"{where}[{i}]")
    elif isinstance(left, float):
        assert (math.isnan(left) and math.isnan(right)) or (left == right and math.copysign(1, left) == math.copysign(
            1, right)), f"{where}: {left!r} != {right!r}"
    else:
        assert left == right, f"{where}: {left!r} != {right!r}"


def _rich_dispatch() -> DispatchResult:
    """A dispatch with every optional part filled: two zones and a line, an interconnector, hydro,
    unit commitment in rolling windows, a battery, a pumped store with inflow (spill), a reserve
    product (MultiIndex provision frames, price-setter labels), and a counterfactual."""
    curve = {"load_fractions": [0.4, 1.0], "efficiencies": [40 * 3.6 / (200 + 8 * 40), 100 * 3.6 / (200 + 8 * 100)]}
    unit = small.thermal("gas", "a", 10, 200, min_stable=0.4, unit_count=2, unit_size_mw=100.0, part_load=curve,
                         variable_om_usd_per_mwh=0.0)
    link = {"id": "link", "zone": "b", "neighbour": "N", "export_capacity_mw": 50, "import_capacity_mw": 50,
            "export_price_usd_per_mwh": 5, "import_price_usd_per_mwh": 60}
    hydro = {"id": "hydro", "zone": "b", "capacity_mw": 30, "annual_energy_mwh": 43800, "min_output_mw": 0}
    spec = small.grid(["a", "b"], [unit, small.thermal("peak", "b", 50, 300)], hydro=[hydro], interconnectors=[link],
                      lines=[{"id": "tie", "from_zone": "a", "to_zone": "b", "capacity_mw": 40}])
    hours = 48
    wind = small.plant("wind", "a", [0, 50, 50, 0] * (hours // 4), connection=45)
    phs = small.battery("phs", "b", power_mw=20.0, energy_mwh=40.0, technology="phs",
                        inflow_mw=np.array([30.0, 0.0, 0.0, 0.0] * (hours // 4)))
    inputs = small.inputs(spec, {"a": [80, 80, 80, 120] * (hours // 4), "b": [60, 90, 90, 60] * (hours // 4)},
                          renewables=[wind], batteries=[small.battery(), phs], operations="unit_commitment",
                          mode="rolling_horizon", window_h=24, step_h=12)
    product = ReserveProduct("afrr", "up", activation_min=5.0, sustain_h=0.25, requirement_mw=20.0)
    result = solve(replace(inputs, reserves=(product,)))
    without = solve(small.inputs(small.grid(["a"], [small.thermal("gas", "a", 10, 1000)]), {"a": [100.0] * hours}))
    return result.with_counterfactual(without)


def _tiny_inputs():
    return small.inputs(small.grid(["a"], [small.thermal("gas", "a", 10, 1000)]), {"a": [100, 200]})


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as container:
        return {name: container.read(name) for name in container.namelist()}


def _rewrite(path: Path, members: dict[str, bytes], rehash: bool = False) -> None:
    """Write ``members`` as the entry at ``path``; with ``rehash`` the metadata lists their new hashes."""
    if rehash:
        meta = json.loads(members["entry.json"])
        meta["sha256"] = {n: hashlib.sha256(b).hexdigest() for n, b in members.items() if n != "entry.json"}
        members = {**members, "entry.json": json.dumps(meta).encode()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as container:
        for name, data in members.items():
            container.writestr(name, data)
    path.write_bytes(buffer.getvalue())


class _Payload:
    """A pickle that, when loaded, creates a file: what a crafted cache entry could run."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


# --------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------


def test_cache_key_follows_the_spec_and_the_weather_file(tmp_path, project_copy):
    from energy_portfolio.config import load_site

    site = load_site(project_copy / "sites" / "fuzuli_solar.yaml")
    cache = DiskProductionCache(tmp_path / "cache")
    key = cache.key(site, 2032)
    assert cache.key(site, 2032) == key
    assert cache.key(site, 2033) != key
    assert cache.key(site.model_copy(update={"lifetime_years": 20}), 2032) != key
    weather = site.weather.path
    weather.write_text(weather.read_text() + "\n")
    assert DiskProductionCache(tmp_path / "cache").key(site, 2032) != key


def test_weather_years_key_covers_every_correlated_site(tmp_path, project_copy):
    from energy_portfolio.config import load_site

    solar = load_site(project_copy / "sites" / "fuzuli_solar.yaml")
    wind = load_site(project_copy / "sites" / "caspian_offshore_wind.yaml")
    cache = DiskProductionCache(tmp_path / "cache")
    key = cache.weather_years_key([wind, solar], 2032, 3)
    assert cache.weather_years_key([wind, solar], 2032, 3) == key
    assert key not in {cache.weather_years_key([wind, solar], 2032, 4), cache.weather_years_key([wind, solar], 2033, 3),
                       cache.weather_years_key([wind], 2032, 3), cache.key(wind, 2032)}
    # the wind farm's weather years are generated with the solar site's: a change there is a new entry
    moved = solar.model_copy(update={"location": solar.location.model_copy(update={"latitude": 40.0})})
    assert cache.weather_years_key([wind, moved], 2032, 3) != key
    climatology = wind.weather_years.climatology
    climatology.write_text(climatology.read_text() + "\n")
    assert DiskProductionCache(tmp_path / "cache").weather_years_key([wind, solar], 2032, 3) != key


@pytest.mark.parametrize("change", ["pvlib", "highspy", "pandas", "source"])
def test_every_key_follows_the_code_so_an_entry_of_older_code_is_not_reused(tmp_path, project_copy, monkeypatch,
                                                                             change):
    from energy_portfolio.config import load_site

    site = load_site(project_copy / "sites" / "fuzuli_solar.yaml")
    inputs = _tiny_inputs()
    before = DiskProductionCache(tmp_path / "cache")
    keys = (before.key(site, 2032), before.weather_years_key([site], 2032, 2), before.dispatch_key(inputs))
    stored = before.dispatch(inputs, lambda: solve(inputs))
    if change == "source":  # an edit of any source file, committed or not
        monkeypatch.setattr(provenance, "source_sha256", lambda: "0" * 64)
    else:  # an upgrade of a model library or the solver
        installed = provenance.package_version
        monkeypatch.setattr(provenance, "package_version",
                            lambda name: "999.0" if name == change else installed(name))
    after = DiskProductionCache(tmp_path / "cache")
    new_keys = (after.key(site, 2032), after.weather_years_key([site], 2032, 2), after.dispatch_key(inputs))
    assert all(new != old for new, old in zip(new_keys, keys, strict=True))
    again = after.dispatch(inputs, lambda: solve(inputs))  # the old entry is not read ...
    assert (after.dispatch_misses, after.dispatch_hits) == (1, 0)
    assert again.objective_usd == stored.objective_usd
    monkeypatch.undo()  # ... and is still there for the code that wrote it
    restored = DiskProductionCache(tmp_path / "cache")
    restored.dispatch(inputs, lambda: 1 / 0)
    assert restored.dispatch_hits == 1


def test_the_fingerprint_covers_the_package_source_and_the_model_libraries():
    versions = provenance.code_versions()
    assert set(versions) == {"energy-portfolio-source-sha256", *provenance.MODEL_LIBRARIES}
    assert {"numpy", "pandas", "scipy", "highspy", "pvlib", "windpowerlib", "py-wake", "pydantic"} <= set(versions)
    assert re.fullmatch(r"[0-9a-f]{64}", versions["energy-portfolio-source-sha256"])
    assert versions["pvlib"] and versions["highspy"]  # installed, so a version, not None


# --------------------------------------------------------------------------------------
# Round trips
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("site_file", ["fuzuli_solar.yaml", "caspian_offshore_wind.yaml"])
def test_a_site_run_reads_back_identical(tmp_path, site_file):
    from energy_portfolio.config import load_site

    site = load_site(ROOT / "sites" / site_file)
    computed = run_site_in_year(site, 2032)
    DiskProductionCache(tmp_path).site_run(site, 2032, lambda: computed)
    cache = DiskProductionCache(tmp_path)
    back = cache.site_run(site, 2032, lambda: 1 / 0)
    assert (cache.hits, cache.misses) == (1, 0)
    assert_identical(back, computed, "SiteRun")
    assert str(back.weather.frame.index.tz) == "Asia/Baku" and back.weather.frame.index.freqstr == "h"
    assert back.production.annual_energy_mwh == computed.production.annual_energy_mwh


def test_weather_years_production_reads_back_identical_with_nan(tmp_path, project_copy):
    from energy_portfolio.config import load_site

    site = load_site(project_copy / "sites" / "fuzuli_solar.yaml")
    index = pd.date_range("2032-01-01", periods=48, freq="h", tz="Asia/Baku", name="time")
    years = [pd.Series(np.linspace(0.0, 1.0, 48), index=index, name="net_mw"),
             pd.Series([np.nan, -0.0, np.inf, 1e-300] * 12, index=index, name="net_mw")]
    computed = WeatherYearsProduction({site.id: years}, {site.id: [float(years[0].sum()), math.nan]}, ("a warning",))
    DiskProductionCache(tmp_path / "cache").weather_years([site], 2032, 2, lambda: computed)
    cache = DiskProductionCache(tmp_path / "cache")
    back = cache.weather_years([site], 2032, 2, lambda: 1 / 0)
    assert (cache.hits, cache.misses) == (2, 0)
    assert_identical(back, computed, "WeatherYearsProduction")
    assert math.copysign(1, back.net_mw[site.id][1].iloc[1]) == -1  # -0.0 stays negative


def test_a_dispatch_with_every_part_reads_back_identical(tmp_path):
    computed = _rich_dispatch()
    inputs = _tiny_inputs()  # the key only; what is stored is the value compute() returns
    assert computed.spill_mw.shape[1] == 1 and computed.line_flow_mw.shape[1] == 1
    assert computed.reserve_mw and len(computed.windows) > 1 and computed.price_setter is not None
    assert computed.counterfactual is not None and computed.counterfactual.online_units is None  # both kinds of None
    DiskProductionCache(tmp_path).dispatch(inputs, lambda: computed)
    cache = DiskProductionCache(tmp_path)
    back = cache.dispatch(inputs, lambda: 1 / 0)
    assert (cache.dispatch_hits, cache.dispatch_misses) == (1, 0)
    assert_identical(back, computed, "DispatchResult")
    assert back.summary() == computed.summary()  # what the run and the report read


@dataclass(frozen=True)
class _Inner:
    label: str
    values: np.ndarray


@dataclass(frozen=True)
class _Everything:
    number: float
    nothing: float | None
    count: int
    flag: bool
    words: tuple[str, ...]
    pair: tuple[int, float]
    inner: list[_Inner]
    data: dict[str, Any]
    frame: pd.DataFrame
    series: pd.Series
    index: pd.DatetimeIndex
    empty: pd.DataFrame


def _everything() -> _Everything:
    index = pd.date_range("2031-03-27", periods=6, freq="h", tz="Asia/Baku", name="time")
    columns = pd.MultiIndex.from_tuples([("thermal", "gas"), ("storage", "bess")], names=["kind", "provider"])
    return _Everything(
        number=-0.0, nothing=None, count=7, flag=False, words=("a", "b"), pair=(1, math.inf),
        inner=[_Inner("x", np.array([1.5, np.nan, -np.inf])), _Inner("y", np.arange(3))],
        data={"n": 1, "x": 0.1, "nan": math.nan, "list": [1, "two", None, {"deep": -math.inf}], "flag": True},
        frame=pd.DataFrame(np.array([[0.1, np.nan]] * 6), index=index, columns=columns),
        series=pd.Series(["solar", "wind", "solar", "wind", "solar", "wind"], index=index, dtype=object),
        index=index, empty=pd.DataFrame(),
    )


def test_the_codec_round_trips_every_declared_type_it_knows():
    value = _everything()
    tree, files = encode(value, _Everything, "E")
    assert sorted(name.rsplit(".", 1)[1] for name in files) == ["npy"] * 2 + ["parquet"] * 4
    json.dumps(tree, allow_nan=False)  # strict JSON: NaN and infinities are spelled out
    assert_identical(decode(tree, files, _Everything, "E"), value, "E")


@dataclass(frozen=True)
class _Unknown:
    names: set[str]


@pytest.mark.parametrize(
    ("value", "hint", "field"),
    [
        (_Unknown({"a"}), _Unknown, r"E\.names"),                                     # an undeclared kind of field
        (replace(_everything(), data={"k": (1, 2)}), _Everything, r"E\.data\['k'\]"),  # a tuple in Any: would be a list
        (replace(_everything(), count=np.int64(7)), _Everything, r"E\.count"),        # not exactly its declared type
        (replace(_everything(), words=["a"]), _Everything, r"E\.words"),
        (replace(_everything(), inner=[_Inner("o", np.array([object()]))]), _Everything, r"E\.inner\[0\]\.values"),
    ],
)
def test_the_codec_refuses_what_it_cannot_store_exactly_and_names_the_field(value, hint, field):
    with pytest.raises(TypeError, match=field):
        encode(value, hint, "E")


def test_object_dtypes_come_back_and_a_column_parquet_cannot_hold_is_refused():
    labels = pd.Series([1.0, 2.0], index=pd.Index(["p", "q"], dtype=object), name="x")  # pandas 3 would read str
    tree, files = encode(replace(_everything(), series=labels), _Everything, "E")
    assert_identical(decode(tree, files, _Everything, "E").series, labels)
    mixed = pd.DataFrame({"a": pd.Series(["x", None, 1.5], dtype=object)})  # parquet has no mixed column
    with pytest.raises(TypeError, match=r"E\.frame"):
        encode(replace(_everything(), frame=mixed), _Everything, "E")


# --------------------------------------------------------------------------------------
# Entries that are not ours
# --------------------------------------------------------------------------------------


def _damage(entry: Path, how: str, marker: Path, cache: DiskProductionCache) -> str:
    """Damage ``entry`` as ``how`` says; the fault the warning should name."""
    payload = pickle.dumps(_Payload(str(marker)))
    members = _members(entry)
    parquet = next(n for n in members if n.endswith(".parquet"))
    npy = next(n for n in members if n.endswith(".npy"))
    if how == "pickle":  # a bare pickle, as entries used to be
        entry.write_bytes(payload)
        return "not a zip of data files"
    if how == "pickle as parquet":  # where the data file should be, the hash left as it was
        _rewrite(entry, {**members, parquet: payload})
        return f"hash mismatch in {parquet}"
    if how == "pickle as parquet, rehashed":
        _rewrite(entry, {**members, parquet: payload}, rehash=True)
        return f"unreadable parquet {parquet}"
    if how == "pickled npy, rehashed":  # an object array, which only unpickling would read
        buffer = io.BytesIO()
        np.save(buffer, np.array([_Payload(str(marker))], dtype=object), allow_pickle=True)
        _rewrite(entry, {**members, npy: buffer.getvalue()}, rehash=True)
        return f"unreadable npy {npy}"
    if how == "flipped byte":
        data = bytearray(members[parquet])
        data[len(data) // 2] ^= 0xFF
        _rewrite(entry, {**members, parquet: bytes(data)})
        return f"hash mismatch in {parquet}"
    meta = json.loads(members["entry.json"])
    if how == "schema 99":
        meta["schema_version"] = 99
        _rewrite(entry, {**members, "entry.json": json.dumps(meta).encode()})
        return "unknown schema version 99"
    if how == "another entry":  # a whole, valid entry of another key copied over this one
        other = small.inputs(small.grid(["a"], [small.thermal("gas", "a", 20, 1000)]), {"a": [100, 200]})
        cache.dispatch(other, lambda: solve(other))
        entry.write_bytes(cache.entry_path(cache.dispatch_key(other)).read_bytes())
        return "not this entry's DispatchResult"
    raise AssertionError(how)


@pytest.mark.parametrize("how", ["pickle", "pickle as parquet", "pickle as parquet, rehashed", "pickled npy, rehashed",
                                 "flipped byte", "schema 99", "another entry"])
def test_an_entry_that_is_not_ours_never_runs_is_reported_recomputed_and_rewritten(tmp_path, how):
    inputs = _tiny_inputs()
    cache = DiskProductionCache(tmp_path / "cache")
    first = cache.dispatch(inputs, lambda: solve(inputs))
    entry = cache.entry_path(cache.dispatch_key(inputs))
    marker = tmp_path / "ran"
    fault = _damage(entry, how, marker, cache)
    again = DiskProductionCache(tmp_path / "cache")
    with pytest.warns(CacheEntryWarning, match=re.escape(f"cache entry {entry}: ") + ".*" + re.escape(fault)):
        value = again.dispatch(inputs, lambda: solve(inputs))
    assert not marker.exists()  # the payload never ran
    assert (again.dispatch_misses, again.dispatch_hits) == (1, 0)  # recomputed ...
    assert value.objective_usd == first.objective_usd
    reread = DiskProductionCache(tmp_path / "cache")
    assert_identical(reread.dispatch(inputs, lambda: 1 / 0), value)  # ... written afresh: a hit, no warning
    assert reread.dispatch_hits == 1


def test_a_damaged_entry_never_hides_the_real_error_and_is_rewritten_once_the_computation_succeeds(tmp_path):
    inputs = _tiny_inputs()
    cache = DiskProductionCache(tmp_path)
    cache.dispatch(inputs, lambda: solve(inputs))
    entry = cache.entry_path(cache.dispatch_key(inputs))
    entry.write_bytes(b"\x80\x05garbage")

    def fail():
        raise ValueError("the scenario's own error")

    with warnings.catch_warnings(), pytest.raises(ValueError, match="the scenario's own error") as raised:
        warnings.simplefilter("error", CacheEntryWarning)  # a warning before the computation would replace its error
        DiskProductionCache(tmp_path).dispatch(inputs, fail)
    assert any(str(entry) in note for note in raised.value.__notes__)
    with pytest.warns(CacheEntryWarning, match=re.escape(str(entry))):
        DiskProductionCache(tmp_path).dispatch(inputs, lambda: solve(inputs))
    assert DiskProductionCache(tmp_path).dispatch(inputs, lambda: 1 / 0) is not None


def test_an_entry_that_is_a_link_or_a_fifo_is_not_followed(tmp_path):
    inputs = _tiny_inputs()
    cache = DiskProductionCache(tmp_path / "cache")
    entry = cache.entry_path(cache.dispatch_key(inputs))
    target = tmp_path / "elsewhere"
    target.write_bytes(b"not an entry")
    entry.symlink_to(target)
    with pytest.warns(CacheEntryWarning, match="regular file"):
        cache.dispatch(inputs, lambda: solve(inputs))
    assert target.read_bytes() == b"not an entry"  # not written through the link ...
    assert not entry.is_symlink()  # ... which was replaced by the entry


def test_an_entry_wanted_by_two_workers_at_once_is_computed_once(tmp_path, monkeypatch):
    # The first two scenarios of a sweep on two workers both need the dispatch without the
    # portfolio. Two caches on one folder (as two workers have) ask for it from two threads. The
    # first computes, and stays in its compute until the second has looked for the entry and not
    # found it: from there the second can only get the value by waiting on the entry's lock and
    # reading what the first stored. Without the lock it would compute too.
    inputs = _tiny_inputs()
    computing = threading.Event()
    second_missed = threading.Event()
    calls = []
    read = cache_module._read

    def watched_read(path, kind, key):
        value = read(path, kind, key)
        if value is None and threading.current_thread() is second:
            second_missed.set()
        return value

    monkeypatch.setattr(cache_module, "_read", watched_read)

    def compute():
        calls.append(1)
        computing.set()
        # 30 s: the second thread only has to start and read one missing file (milliseconds),
        # with ample room for a loaded machine; a failure here means it never looked.
        assert second_missed.wait(timeout=30), "the second cache never looked for the entry"
        return solve(inputs)

    caches = [DiskProductionCache(tmp_path / "cache") for _ in range(2)]
    results = [None, None]
    errors = []

    def ask(i):
        try:
            results[i] = caches[i].dispatch(inputs, compute)
        except BaseException as error:  # re-raised below: an exception in a thread would be lost
            errors.append(error)

    first, second = (threading.Thread(target=ask, args=(i,), daemon=True) for i in range(2))
    first.start()
    # 30 s: the first thread reaches its compute after one missing-file read and taking a free lock
    assert computing.wait(timeout=30), "the first cache never started computing"
    second.start()
    # 60 s: the rest is one tiny LP (milliseconds) and one small entry; only a deadlock takes longer
    for thread in (first, second):
        thread.join(timeout=60)
        assert not thread.is_alive(), f"{thread.name} still waits on the cache after 60 s"
    if errors:
        raise errors[0]
    assert len(calls) == 1
    assert [(c.dispatch_misses, c.dispatch_hits) for c in caches] == [(1, 0), (0, 1)]
    assert results[1].objective_usd == results[0].objective_usd  # the stored copy of the first's result
    # hand-solved: 300 MWh of gas at 10 USD/MWh; HiGHS' default optimality tolerance is 1e-7
    assert results[0].objective_usd == pytest.approx((100 + 200) * 10, rel=1e-7)


# --------------------------------------------------------------------------------------
# No executable format anywhere in the package
# --------------------------------------------------------------------------------------

_FORBIDDEN_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "joblib", "dill", "cloudpickle"}
_FORBIDDEN_CALLS = {"eval", "exec", "read_pickle", "to_pickle", "loads_pickle"}


def _executable_formats(source: str) -> list[str]:
    """Imports of pickle-like modules, calls of eval/exec/read_pickle and ``allow_pickle=True`` in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] in _FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in _FORBIDDEN_MODULES:
            found.append(node.module)
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in _FORBIDDEN_CALLS:
                found.append(f"{name}()")
            found += ["allow_pickle=True" for k in node.keywords
                      if k.arg == "allow_pickle" and not (isinstance(k.value, ast.Constant) and k.value.value is False)]
    return found


def test_the_checker_finds_each_executable_format():
    assert _executable_formats("import pickle\nfrom marshal import loads\nimport shelve as s") == [
        "pickle", "marshal", "shelve"]
    assert _executable_formats("pd.read_pickle(p)\neval('1')\nnp.load(f, allow_pickle=True)") == [
        "read_pickle()", "eval()", "allow_pickle=True"]
    assert _executable_formats("np.load(f, allow_pickle=False)\n'''pickle'''") == []


def test_no_module_of_the_package_uses_an_executable_format():
    sources = sorted(PACKAGE.rglob("*.py"))
    assert PACKAGE / "sweep" / "cache.py" in sources
    found = {str(p.relative_to(PACKAGE)): f for p in sources if (f := _executable_formats(p.read_text()))}
    assert found == {}
