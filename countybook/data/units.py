"""The one rule for units: which units convert into each other, and the exact conversion.

data/units.yml gives every unit a `factor` to the base unit named by `base_en` (亿元 × 100000000 =
yuan). Figures, benchmarks, comparisons, shares, computed values and the English edition's numbers
all convert through the functions here, so a value published in 万人 and one in 人 are set side by
side by one rule, whatever file they come from.

Arithmetic is decimal: a value as printed ("187.5") times its factor is exact (18,750,000,000, never
18,749,999,999.9). A float (a computed level) is read by its shortest repr, as it would be printed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

# A unit with a multiplier (万人, 亿元, 千公顷) is the unit without it (人, 元, 公顷) times a power of ten.
MULTIPLIER = re.compile(r"^(?:万亿|亿|万|千|百)")


def decimal(value) -> Decimal:
    """A value as text, int, float or Decimal, as an exact Decimal (a float by its shortest repr)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        return Decimal(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return Decimal(repr(float(value)))


def factor(unit: str, units: Mapping) -> Decimal:
    """How many base units one `unit` is (亿元 -> 100000000); 1 for a unit without a factor."""
    return decimal(units[unit].get("factor", 1) if unit in units else 1)


def to_base(value, unit: str, units: Mapping) -> Decimal:
    """The value in its unit's base (1.5 亿元 -> 150000000 yuan), exactly."""
    return decimal(value) * factor(unit, units)


def from_base(amount, unit: str, units: Mapping) -> Decimal:
    """An amount in the base unit expressed in `unit` (150000000 yuan -> 1.5 亿元)."""
    return decimal(amount) / factor(unit, units)


def convert(value, unit: str, target: str, units: Mapping) -> Decimal:
    """The value in `target`, exactly (51437.4 billion yuan -> 514374 亿元), without trailing zeros."""
    if unit == target:
        return decimal(value)
    return (to_base(value, unit, units) / factor(target, units)).normalize()


def as_text(amount: Decimal) -> str:
    """A Decimal as plain digits, no exponent and no trailing zeros: 5.14374E+5 -> '514374'."""
    digits = f"{amount.normalize():f}"
    return digits.rstrip("0").rstrip(".") if "." in digits else digits


def convertible(unit: str, target: str, units: Mapping) -> bool:
    """The same unit, or one that converts to it exactly by the units' `factor`.

    Two units convert when they share a non-empty English base (亿斤 and 万吨 both count tonnes) or
    are the same unit with another multiplier (万人 and 人). Bare counts (base_en "") convert only by
    multiplier, so 个 never becomes 家.
    """
    if unit == target:
        return True
    a, b = units.get(unit), units.get(target)
    if not isinstance(a, Mapping) or not isinstance(b, Mapping) or not a.get("factor") or not b.get("factor"):
        return False
    base_a, base_b = a.get("base_en", ""), b.get("base_en", "")
    if base_a and base_b:
        return base_a == base_b
    return MULTIPLIER.sub("", str(unit)) == MULTIPLIER.sub("", str(target))
