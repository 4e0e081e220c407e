"""The font every jobmatch chart draws Chinese with.

Charts label priority groups, campaigns and counties in Chinese (退役军人, 金秋招聘月). A fresh
machine has no CJK font, so the package depends on ``mplfonts``, which carries Noto Sans CJK SC
(SIL Open Font License); :func:`cjk_font` registers that file with matplotlib's font manager —
without importing ``mplfonts`` or touching matplotlib's global configuration — and returns the
family name to put first in ``font.family``. A CJK font already installed on the system is used
when the package's file is missing.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

PACKAGED_FONT = ("mplfonts", "fonts/NotoSansCJKsc-Regular.otf")
"""The distribution and the path inside it of the font the charts use."""

SYSTEM_CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
)


def packaged_font_file() -> Path | None:
    """The packaged font's file, or None when the package is not installed."""
    package, relative = PACKAGED_FONT
    spec = importlib.util.find_spec(package)  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = Path(location) / relative
        if path.is_file():
            return path
    return None


@functools.cache
def cjk_font() -> str | None:
    """The family name of a font with Chinese glyphs, registered with matplotlib (the packaged
    Noto Sans CJK SC first); None only when neither it nor a system CJK font is present."""
    from matplotlib import font_manager

    path = packaged_font_file()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
        return str(font_manager.FontProperties(fname=str(path)).get_name())
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in SYSTEM_CJK_FONTS if name in installed), None)


def font_families() -> list[str]:
    """``font.family`` for a chart: the CJK font, then DejaVu Sans for what it lacks."""
    font = cjk_font()
    return [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
