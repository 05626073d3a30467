"""Kinds of neighbourhood, as residents describe where they live.

The idea writer opens a proposal differently for each, so that one from a
bungalow lane of the old town does not sound like one from a new estate.
"""

OLD = "old"              # 老旧小区 and bungalow lanes of the old town, often without a property manager
NEW = "new"              # newer commercial housing estates
RESETTLED = "resettled"  # 棚改回迁: estates built to rehouse families from cleared shanty areas
TOWN = "town"            # communities of the two towns at the edge of the city
