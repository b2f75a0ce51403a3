"""SVG map drawings as PNG, for writers that cannot embed SVG (the DOCX LHP: python-docx
places only raster pictures, and Word's own SVG part needs a PNG fallback anyway).

CairoSVG draws the SVG with libcairo (pyproject says why this library); it is imported on
use, so a run that writes no Word document never loads it.
"""

from __future__ import annotations

import io
import re

DPI = 150  # print quality on A4 without making a 40-map report slow or heavy
CSS_PX_MM = 25.4 / 96  # an SVG user unit (CSS pixel) in millimetres

_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([0-9.]+)"[^>]*?\bheight="([0-9.]+)"')


class RasterError(Exception):
    """The drawing could not be turned into a picture (no libcairo, a broken SVG)."""


def svg_size_mm(svg: str) -> tuple[float, float]:
    """The drawing's natural size in millimetres, from its ``width`` and ``height``."""
    m = _SIZE.search(svg)
    if m is None:
        raise RasterError("the SVG has no width and height")
    return float(m.group(1)) * CSS_PX_MM, float(m.group(2)) * CSS_PX_MM


def svg_to_png(svg: str, width_mm: float) -> bytes:
    """``svg`` as a PNG printed ``width_mm`` wide at :data:`DPI`."""
    try:
        from cairosvg.parser import Tree
        from cairosvg.surface import PNGSurface
        from PIL import Image
    except (ImportError, OSError) as exc:  # OSError: cairocffi finds no libcairo
        raise RasterError(f"CairoSVG/libcairo: {exc}") from None
    try:
        drawn = PNGSurface(Tree(bytestring=svg.encode("utf-8"), unsafe=False), None, 96,
                           output_width=max(round(width_mm / 25.4 * DPI), 1))
        surface = drawn.cairo
        surface.flush()
        size = (surface.get_width(), surface.get_height())
        # cairo's own PNG writer compresses hard and takes half the time: Pillow, level 1
        image = Image.frombuffer("RGBA", size, bytes(surface.get_data()), "raw", "BGRa",
                                 surface.get_stride(), 1)
        out = io.BytesIO()
        image.save(out, "PNG", compress_level=1)
        return out.getvalue()
    except Exception as exc:  # a drawing cairo cannot draw: said in the document, not a crash
        raise RasterError(f"{type(exc).__name__}: {exc}") from None
