"""Yield layer: hourly production of each site (``yield`` is a keyword, hence the name).

solar.py is the only pvlib importer, wind.py the only windpowerlib importer and wakes.py the
only py_wake importer (DESIGN.md, layer rule 4); losses.py keeps the loss waterfall.
"""
