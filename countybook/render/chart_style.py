"""The book's chart theme (seaborn's whitegrid, the palette, a CJK font) applied per figure, and a
figure's PNG at print resolution: the look every chart of the book shares, whoever draws it."""

from __future__ import annotations

import base64
import struct
from functools import cache, wraps

import matplotlib.pyplot as plt
import seaborn as sns
from cycler import cycler
from matplotlib import font_manager

from . import text

PALETTE = sns.color_palette("colorblind")


@cache
def _cjk_family() -> str:
    """The bundled open-licensed CJK font (Noto Sans SC), registered with matplotlib's font manager
    on first use (registering is idempotent and adds a font, it changes no style), by family name."""
    import pylopdf_fonts_zh_cn

    path = str(pylopdf_fonts_zh_cn.sans_path())
    font_manager.fontManager.addfont(path)
    return font_manager.FontProperties(fname=path).get_name()


def theme() -> dict:
    """The book's chart theme as rc settings: seaborn's whitegrid style and palette, the CJK font."""
    family = _cjk_family()
    rc = dict(sns.plotting_context("notebook", font_scale=1.0))
    rc.update(sns.axes_style("whitegrid", rc={"font.family": family}))
    rc["axes.prop_cycle"] = cycler("color", sns.color_palette(PALETTE))
    rc.update(
        {
            "font.sans-serif": [family, "DejaVu Sans"],
            "axes.unicode_minus": False,  # the CJK font lacks U+2212
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "axes.titlesize": 13,
            "axes.labelsize": 11,
            "xtick.labelsize": 10,
            "ytick.labelsize": 10,
            "svg.hashsalt": "countybook",
        }
    )
    return rc


def style():
    """The theme for the figures drawn and rendered inside it, restored on leaving: a page's charts
    never change matplotlib's global settings for whatever the notebook draws next."""
    return plt.rc_context(theme())


def styled(draw):
    """A chart-making function run inside `style()`: its figure, ticks and text take the book's theme."""

    @wraps(draw)
    def drawn(*args, **kwargs):
        with style():
            return draw(*args, **kwargs)

    return drawn


def setup() -> None:
    """Apply the theme to the whole session: for a notebook that draws charts of its own (the worked
    example). The library never calls it; its own charts use `style()`."""
    plt.rcParams.update(theme())


# Charts are drawn at twice their screen resolution (about 260 pixels per inch on an A4 page of the
# print edition) and shown at their screen size, as IPython's "retina" format does.
PRINT_SCALE = 2


def png_output(figure) -> tuple[dict, dict]:
    """The display data of a chart (PNG at PRINT_SCALE, and matplotlib's text form, which the
    runner's check recognises as a figure) and its metadata: the size to show it at."""
    from IPython.core.pylabtools import print_figure

    _plain_text(figure)
    with style():  # ticks and labels are laid out again when drawn: in the theme the figure was made in
        png = print_figure(figure, fmt="png", bbox_inches="tight", dpi=figure.dpi * PRINT_SCALE)
    width, height = png_size(png)
    return (
        {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": repr(figure)},
        {"image/png": {"width": width // PRINT_SCALE, "height": height // PRINT_SCALE}},
    )


def _plain_text(figure) -> None:
    """Every text of a figure without control characters (text.plain), whoever drew it: a notebook's
    own chart labels its bars with names from data too."""
    from matplotlib.text import Text
    from matplotlib.ticker import FixedFormatter, FixedLocator

    for artist in figure.findobj(Text):
        shown = artist.get_text()
        if text.plain(shown) != shown:
            artist.set_text(text.plain(shown))
    for ax in figure.axes:  # tick labels are written only when drawn (seaborn's category names)
        for axis in (ax.xaxis, ax.yaxis):
            locations = axis.get_majorticklocs()
            labels = axis.get_major_formatter().format_ticks(locations)
            if any(text.plain(label) != label for label in labels):
                axis.set_major_locator(FixedLocator(locations))
                axis.set_major_formatter(FixedFormatter([text.plain(label) for label in labels]))


def png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])  # the IHDR chunk, right after the signature
