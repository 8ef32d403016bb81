"""Plan-ready maps of yrdgeo results: classified choropleths with overlays, labels and map furniture.

:func:`plot_map` turns any yrdgeo GeoDataFrame (a numeric or categorical
column, or plain units) plus optional :class:`Overlay` layers (corridor lines
and bands, enclave desire lines, networks, points) into a finished matplotlib
figure: title, legend with units, scale bar, north arrow, source/date note,
province outlines and non-overlapping Chinese labels; with ``ax=`` it draws
the same map as one panel of your own figure (page title and
:func:`add_source_note` are then the page's). How the map looks — classes,
colours, legend, labels, furniture, page — is a :class:`MapStyle`, passed as
``style=`` or as keywords. :func:`add_scale_bar` and :func:`add_north_arrow`
draw the furniture on any axes in EPSG:4549 metres and refuse other axes.
:func:`save_map` writes PNG (chosen dpi), PDF or SVG; :func:`write_html_map`
writes an interactive map that opens offline.

The package, one job per module:

* :mod:`~yrdgeo.maps.style` — fonts, colours (:func:`palette`), classes
  (:func:`classify`), page sizes and :class:`MapStyle`;
* :mod:`~yrdgeo.maps.choropleth` — :func:`plot_map`, :class:`Overlay`, :class:`MapFigure`;
* :mod:`~yrdgeo.maps.furniture` — titles, legend, scale bar, north arrow, source note;
* :mod:`~yrdgeo.maps.labels` — label points and the label placer;
* :mod:`~yrdgeo.maps.export` — PNG/PDF/SVG files, written atomically;
* :mod:`~yrdgeo.maps.html` — the offline interactive map.

Conventions
-----------
* Maps are drawn in :data:`MAP_CRS` = :data:`yrdgeo.crs.DISTANCE_CRS`
  (EPSG:4549, CGCS2000 / 3-degree Gauss-Krüger CM 120E, metres). Every layer
  must carry a CRS (a layer without one is refused) and is reprojected to the
  map CRS for drawing only; results are never changed. The scale bar is
  measured in those metres: EPSG:4549's scale factor across the YRD
  (114.9–122.9°E) stays within 0.2% of 1, far below what a bar can show.
  The north arrow points to true north, rotated by the meridian convergence
  at its position (about 2° in western Anhui).
* Chinese text uses the font family ``"Noto Sans CJK SC"``, named explicitly
  (Debian/Ubuntu package ``fonts-noto-cjk``, installed by ``tools/run.sh``).
  If it is missing, or lacks CJK glyphs, :class:`FontMissingError` is raised
  before anything is drawn — never tofu boxes.
* Classes come from mapclassify: ``natural_breaks`` (Fisher-Jenks, the
  optimal and deterministic form of Jenks natural breaks), ``quantiles``,
  ``equal_interval`` and ``user`` (your own upper bounds).
* Default colour schemes are ColorBrewer ramps that survive grey-scale
  printing (see :data:`PRINT_CMAPS`).
"""

from .choropleth import MapFigure, Overlay, plot_map
from .export import save_map
from .furniture import add_locator, add_north_arrow, add_scale_bar, add_source_note, source_note_text
from .html import HtmlLayer, write_html_map
from .labels import label_points, place_labels
from .style import (
    CJK_FAMILY, DEFAULT_DISCLAIMER, DEFAULT_SOURCE, FONT_FAMILIES, LEGEND_TITLES, MAP_CRS, MISSING_COLOR, ORIENTATIONS,
    PAGE_SIZES_MM, PRINT_CMAPS, SCHEMES, Classification, FontMissingError, MapStyle, add_legend_titles, cjk_font_path,
    class_colors, classify, distinct_colors, legend_title_for, nice_breaks, page_size_inches, palette,
)

__all__ = [
    "CJK_FAMILY", "DEFAULT_DISCLAIMER", "DEFAULT_SOURCE", "FONT_FAMILIES", "LEGEND_TITLES", "MAP_CRS",
    "MISSING_COLOR", "ORIENTATIONS", "PAGE_SIZES_MM", "PRINT_CMAPS", "SCHEMES", "Classification",
    "FontMissingError", "HtmlLayer", "MapFigure", "MapStyle", "Overlay", "add_legend_titles", "add_locator",
    "add_north_arrow", "add_scale_bar", "add_source_note", "cjk_font_path", "class_colors", "classify",
    "distinct_colors", "label_points", "legend_title_for", "nice_breaks", "page_size_inches", "palette",
    "place_labels", "plot_map", "save_map", "source_note_text", "write_html_map",
]
