"""The generated sentences, on hand-made figures: each says what its figures mean, with their numbers."""

from __future__ import annotations

from energy_portfolio.report import narrative as n


def test_no_curtailment_gets_the_one_sentence():
    assert n.curtailment_sentence({}, 1e6) == n.NO_CURTAILMENT
    # LP noise far below the floor is no curtailment either
    assert n.curtailment_sentence({"wind": {"system oversupply": 1e-6}}, 1e6) == n.NO_CURTAILMENT


def test_curtailment_names_the_main_cause_and_plant_with_shares():
    text = n.curtailment_sentence(
        {"offshore": {"system oversupply": 30_000.0, "own connection": 10_000.0}, "solar": {"line congestion": 0.0}},
        renewable_mwh=4_000_000.0,
    )
    # 40 GWh of 4,000 GWh = 1 %; oversupply 30 of 40 = 75 %; all of it at "offshore"
    assert text.startswith("40.0 GWh of wind and solar was curtailed (1% of their output)")
    assert "75% of it by system oversupply" in text and "100% of it at offshore" in text


def test_price_set_by_gas_in_n_hours():
    text = n.price_setter_sentence({"ccgt": 4410, "battery": 1352, "hydro": 998}, 8760, "With the portfolio")
    assert text == ("With the portfolio, ccgt set the price in 4,410 of 8,760 hours (50%), "
                    "then battery in 1,352 h, hydro in 998 h.")
    assert n.price_setter_sentence({}, 8760) == ""


def test_storage_sentence_per_asset_and_unused_store():
    use = n.StoreUse("fuzuli_bess", "battery", True, 251.4, 50_000.0, 3_852_281.0, 61.2, 1200.0, 300.0)
    assert n.storage_sentence(use) == (
        "fuzuli_bess (new battery) made 251 equivalent full cycles, charging in cheap hours and discharging in dear "
        "ones, 61 USD/MWh apart on average; it earned 3.85 M USD and was empty 1,200 h and full 300 h of the year.")
    idle = n.StoreUse("old", "battery", False, 0.0, 0.0, 0.0, None, 8760.0, 0.0)
    assert "was not used" in n.storage_sentence(idle) and "existing battery" in n.storage_sentence(idle)


def test_loss_sentence_shows_gains_as_gains():
    text = n.loss_sentence("GHI", 1000_000.0, [("soiling", 30_000.0), ("bifacial_gain", -50_000.0)], 900_000.0)
    assert text == ("From 1,000.0 GWh (GHI) to 900.0 GWh at the grid (90.0%); the largest losses: soiling 3.0%; "
                    "gains: bifacial gain +5.0% (each as a share of the starting energy).")


def test_resource_and_system_sentences_carry_their_numbers():
    wind = n.wind_resource_sentence(8.98, 150, 315.0, 0.21, 0.18, 10.6)
    assert wind == ("Mean wind speed 9.0 m/s at 150 m hub height; the wind blows most often from 315° (21% of hours "
                    "in that 22.5° sector); 18% of hours are at or above the rated speed of 10.6 m/s.")
    solar = n.solar_resource_sentence(1600.0, 2000.0, 0.85, "Jul", "Dec")
    assert "+25% from its tilt" in solar and "85.0%" in solar and "Jul" in solar and "Dec" in solar
    supply = n.supply_sentence({"gas": 20e6, "new wind": 5e6, "import": 0.0}, 25e6)
    assert supply == "Over the year, demand of 25.00 TWh was met by gas 80%, new wind 20% (shares of demand)."
    assert n.not_available("cash-flow chart") == "The cash-flow chart is not available in this run."
    assert "in 12 h wind and solar alone exceed demand" in n.net_load_sentence(3000, 3500, -20, 12)
    assert n.portfolio_effect_sentence(800.4, 0.0, 0.0) == (
        "With the portfolio, the gas fleet burns 800 million m3 less in the year.")


def test_generation_timing_and_economics_sentences():
    timing = n.generation_timing_sentence({("Jul", 13): 850.4, ("Jan", 3): 120.0, ("Apr", 9): 400.0})
    assert timing == ("The new sites generate most in Jul at 13:00 (850 MW on average) and least in Jan at 03:00 "
                      "(120 MW).")
    text = n.economics_sentence("wind", 104.7, 60.2, -2_063.6e6)
    assert text == ("wind: energy costs 104.7 USD/MWh (LCOE), above the 60.2 USD/MWh its output is worth where it "
                    "sells it, so its NPV is -2,063.6 M USD.")
    assert "below the 80.0" in n.economics_sentence("solar", 41.9, 80.0, 10e6)
    assert n.economics_sentence("store", None, 80.0, 1.0) == ""
