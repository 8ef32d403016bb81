"""The atlas's fly-in ranking: a top ten in the report, an honest overlap with the paper's five, proxies on the map."""

from __future__ import annotations

import re

import geopandas as gpd
import matplotlib.text
import pytest

from yrdgeo import atlas
from yrdgeo.atlas import topics

pytestmark = pytest.mark.slow  # builds the ranking topic and draws its map


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return atlas.build_atlas(tmp_path_factory.mktemp("flyin") / "atlas", topics=["ranking"], dpi=40, progress=False)


def _section(report: str) -> str:
    start = report.index("## " + atlas.TOPICS["ranking"].title)
    nxt = report.find("\n## ", start + 3)
    return report[start:] if nxt < 0 else report[start:nxt]


def test_report_has_a_top_ten_and_the_true_overlap(built):
    section = _section(built.report.read_text(encoding="utf-8"))
    rows = re.findall(r"^\| (\d+) \| (\S+) \| ", section, flags=re.M)
    assert [int(r) for r, _ in rows] == list(range(1, 11))
    ranked = gpd.read_file(built.gpkg, layer="ranking_flyin_shanghai")
    top = ranked[~ranked.excluded.astype(bool)].sort_values("rank").head(10)
    assert [n for _, n in rows] == list(top.name_zh)
    expected = len(set(top.short_zh) & set(topics.RANKING_PAPER_FLY_IN))
    shown = re.search(r"paper's five fly-in places in the top 10 \(overlap\) \| (\d+) \|", section)
    assert shown and int(shown.group(1)) == expected
    # The criteria and their weights are printed; no distance cut drops the paper's places.
    for p in topics.RANKING_PROXIES:
        assert re.search(rf"weight {p.label} \({p.column}, {p.direction}\) \| 0\.333 \|", section)
    assert set(topics.RANKING_PAPER_FLY_IN) <= set(ranked[~ranked.excluded.astype(bool)].short_zh)


def _note_text(fig) -> str:
    return "".join(t.get_text() for t in fig.figure.findobj(matplotlib.text.Text)).replace("\n", "")


def test_every_proxy_is_named_on_the_map_note():
    from yrdgeo.units import load_units

    ctx = atlas.AtlasContext(cities=load_units("city"), counties=load_units("county"),
                             provinces=load_units("province"))
    fig = atlas.TOPICS["ranking"].func(ctx).maps[0].figure
    fig = fig() if callable(fig) else fig
    # The note wraps inside the page margins (a space may become a line break): compare without white space.
    text = re.sub(r"\s", "", "".join(t.get_text() for t in fig.figure.findobj(matplotlib.text.Text)))
    assert "proxies" in text
    for p in topics.RANKING_PROXIES:
        assert re.sub(r"\s", "", p.note()) in text, f"the map's note does not name the proxy {p.column} ({p.label})"
