"""Plan-ready maps of yrdgeo results (being split into modules by job; see choropleth.py for now)."""

from .choropleth import (
    CJK_FAMILY, DEFAULT_SOURCE, FONT_FAMILIES, MAP_CRS, MISSING_COLOR, PAGE_SIZES_MM, PRINT_CMAPS, SCHEMES,
    Classification, FontMissingError, HtmlLayer, MapFigure, Overlay, _wrap, add_north_arrow, add_scale_bar,
    add_source_note, cjk_font_path, classify, label_points, page_size_inches, place_labels, plot_map, save_map,
    write_html_map,
)
