"""Numbers for readers: published values converted to English units, and derived values rounded.

English text never shows a Chinese unit: 187.5 亿元 is read as 18.75 billion yuan, 88.2 万吨 as
882,000 tonnes, 2400.7 亩 as 2,400.7 mu (about 160 ha). The conversion factors come from
data/units.yml (`factor`, `base_en`, `approx_en`, `approx_divisor`); this module only formats.
Published values are converted with decimal arithmetic, so no digit appears that the source did
not print (187.5 × 10⁸ is exactly 18,750,000,000, never 18,749,999,999.9).
"""

from __future__ import annotations

import math
from decimal import Decimal
from types import MappingProxyType

# Conversion is the units module's (one rule for data and prose); these names are kept for render.
from ..data.units import as_text, convert, to_base
from ..data.units import decimal as _decimal

SCALES = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))
MONEY_PREFIX = MappingProxyType({"US$": "US$"})  # bases written before the number


def _plain(value: Decimal) -> str:
    """Thousands separators, no trailing zeros, no exponent: 882000 -> '882,000', 2400.70 -> '2,400.7'."""
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def significant(value: float, digits: int = 3) -> Decimal:
    """Round a computed value to a number of significant digits (45632.2 -> 45600)."""
    if value == 0 or not math.isfinite(value):
        return Decimal(0)
    exponent = math.floor(math.log10(abs(value))) - digits + 1
    return (
        Decimal(str(round(value, -exponent))).quantize(Decimal(1))
        if exponent >= 0
        else Decimal(str(round(value, -exponent)))
    )


def scaled(value, base_en: str) -> str:
    """A base-unit amount in words: 18750000000 yuan -> '18.75 billion yuan'; 882000 -> '882,000 tonnes'."""
    amount = _decimal(value)
    words = _plain(amount)
    for size, name in SCALES:
        if abs(amount) >= size:
            words = f"{_plain((amount / size).normalize())} {name}"
            break
    if base_en in MONEY_PREFIX:
        return f"{MONEY_PREFIX[base_en]}{words}"
    if base_en == "%":
        return f"{words}%"
    return f"{words} {base_en}".rstrip()


def english(value_text: str, unit: str, units: dict) -> str:
    """A published value (as printed) in English units, with the approximate metric equivalent if any."""
    spec = units[unit]
    base_en = spec.get("base_en", spec.get("en", ""))
    amount = to_base(value_text, unit, units)
    if base_en == "DWT class":  # a berth class is a name, not an amount: '50,000-DWT class'
        return f"{_plain(amount)}-DWT class"
    text = scaled(amount, base_en)
    divisor = spec.get("approx_divisor")
    if divisor:
        text += f" (about {scaled(significant(float(amount / _decimal(divisor))), spec['approx_en'])})"
    return text


def english_derived(value: float, unit: str, units: dict, digits: int = 3) -> str:
    """A computed amount in a published unit (an implied level in 亿元) in English, rounded."""
    return english_base(float(to_base(value, unit, units)), unit, units, digits)


def english_base(amount_in_base: float, unit: str, units: dict, digits: int = 3) -> str:
    """A computed amount already in the base of `unit` (yuan for 亿元) in English, rounded."""
    spec = units[unit]
    base_en = spec.get("base_en", spec.get("en", ""))
    amount = significant(amount_in_base, digits)
    text = scaled(amount, base_en)
    divisor = spec.get("approx_divisor")
    if divisor:
        text += f" (about {scaled(significant(float(amount) / divisor), spec['approx_en'])})"
    return text


def published(value_text: str, unit: str) -> str:
    """The form the source printed, for readers checking against it: '187.5亿元'."""
    return f"{value_text}{unit}"


def derived(value: float) -> str:
    """A derived number with sensible precision: 162.3, 4.56, 0.484; thousands separated."""
    magnitude = abs(value)
    decimals = 1 if magnitude >= 10 else 2 if magnitude >= 1 else 3
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent_change(value: float) -> str:
    """'+15.5%', '−1.4%' (a true minus sign, as typeset)."""
    text = f"{abs(value):.1f}".rstrip("0").rstrip(".")
    return f"{'+' if value >= 0 else '−'}{text}%"


def published_derived(value: float, unit: str, digits: int = 3) -> str:
    """A computed amount in the registry's unit, written the Chinese way and rounded: '162亿元', '4.56万元'."""
    return f"{format(significant(value, digits).normalize(), 'f')}{unit}"


def converted(value_text: str, unit: str, target: str, units: dict) -> str:
    """A published value in another unit of the registry, exactly, by decimal arithmetic, without
    trailing zeros: 51,437.4 billion yuan is '514374' in 亿元."""
    return as_text(convert(value_text, unit, target, units))
