"""HTML safety: hostile user strings in map.html, report.html and report.md show as text and run nothing.

The pages are opened in headless Chromium (Debian's ``chromium`` package): a column named
``<img src=x onerror=…>`` must not become an image, ``</script><script>…`` must not run and
``[x](javascript:…)`` must not become a link. The tooltip code (built on hover) is exercised by
an extra script that dispatches a ``mousemove`` on every feature and records what the tooltip shows.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString

from yrdgeo import atlas, maps
from yrdgeo.atlas import report
from yrdgeo.crs import WGS84

pytestmark = pytest.mark.slow  # opens pages in headless Chromium, builds an atlas

IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
SCRIPT = "</script><script>document.title='pwned'</script>"
JSLINK = "[x](javascript:alert(1))"
HOSTILE = [IMG, SCRIPT, JSLINK]
# Values (not column names) that must show as written: markup, a comment opener, line separators.
VALUES = ["<b>bold</b>&amp;", "<!--", "line\u2028sep\u2029end", "[d](data:text/html,<script>alert(1)</script>)",
          "A&B \"q\" 'q'"]

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]

# Dispatches a mousemove on every feature (the tooltip is built on hover) and records, per feature,
# the tooltip's text and how many elements other than <b>/<br> it holds; the record is written as
# the text of <pre id="probe"> so that --dump-dom returns it.
TOOLTIP_PROBE = """<script>
(function(){
var tip=document.getElementById('tip'),out={tips:[],foreign:0,shown:0};
document.querySelectorAll('[data-p]').forEach(function(el){
el.dispatchEvent(new MouseEvent('mousemove',{bubbles:true,clientX:10,clientY:10}));
if(tip.style.display==='block'){out.shown++;}
out.tips.push(tip.textContent);
out.foreign+=tip.querySelectorAll('*').length-tip.querySelectorAll('b,br').length;});
var pre=document.createElement('pre');pre.id='probe';pre.textContent=JSON.stringify(out);
document.body.appendChild(pre);})();
</script>"""


def _chromium() -> str:
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).exists():
        pytest.fail("headless Chromium is needed for the HTML safety tests and was not found (no 'chromium' on "
                    "PATH, no /usr/bin/chromium); install Debian's chromium package: apt-get install chromium")
    return exe


def _dump_dom(page: Path) -> str:
    """Return the DOM of ``page`` after its scripts ran (and 3 s of virtual time for image errors)."""
    exe = _chromium()
    with tempfile.TemporaryDirectory(prefix="yrdgeo-chromium-") as profile:
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=3000", "--dump-dom",
               page.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0 and "</html>" in proc.stdout, (proc.returncode, proc.stderr[-3000:])
    return proc.stdout


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Dom(HTMLParser):
    """Every element (tag, attributes) and the text of the dumped DOM, entities decoded.

    ``by_id`` holds the text directly inside each element, keyed by its id (or its tag name).
    """

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self._in: list[str] = []
        self.by_id: dict[str, str] = {}
        self.title = ""
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag not in _VOID:
            self._in.append(a.get("id") or tag)

    def handle_endtag(self, tag):
        if self._in:
            self._in.pop()

    def handle_data(self, data):
        self.texts.append(data)
        if self._in:
            here = self._in[-1]
            self.by_id[here] = self.by_id.get(here, "") + data

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == name]

    @property
    def text(self) -> str:
        return "".join(self.texts)


def _assert_nothing_ran(dom: _Dom, *, title: str) -> None:
    body = dom.tags("body")
    assert len(body) == 1 and "data-pwned" not in body[0], body
    assert dom.by_id.get("title", "") == title  # document.title='pwned' did not run
    for a in dom.tags("a"):
        assert not re.match(r"\s*(javascript|data|vbscript):", a.get("href") or "", re.I), a


def _probe(page: Path) -> tuple[_Dom, dict]:
    text = page.read_text(encoding="utf-8")
    probed = page.with_name(page.stem + "_probe.html")
    probed.write_text(text.replace("</body>", TOOLTIP_PROBE + "</body>"), encoding="utf-8")
    dom = _Dom(_dump_dom(probed))
    return dom, json.loads(dom.by_id["probe"])


# ----------------------------------------------------------------------------- map.html


def _hostile_frames(cities: gpd.GeoDataFrame):
    sub = cities.iloc[:5][["name_zh", "adcode", "geometry"]].copy()
    sub[IMG] = np.arange(5) * 1.5
    sub[SCRIPT] = ["<x>", "y", "z", "w", "v"]
    sub[JSLINK] = VALUES
    sub["kind"] = [IMG, SCRIPT, JSLINK, IMG, SCRIPT]  # categories: legend labels
    line = gpd.GeoDataFrame({"name": [SCRIPT], "note": ["<!--"]},
                            geometry=[LineString([(121.47, 31.23), (120.16, 30.27)])], crs=WGS84)
    return sub, line


def test_map_html_hostile_strings_show_as_text_and_tooltips_run_nothing(cities, tmp_path):
    sub, line = _hostile_frames(cities)
    title = SCRIPT + " 标题 " + IMG
    source = JSLINK + " " + IMG
    path = maps.write_html_map(
        [maps.HtmlLayer(sub, IMG, column="kind", fields=["name_zh", IMG, SCRIPT, JSLINK]),
         maps.HtmlLayer(sub, JSLINK, column=IMG, scheme="quantiles", k=3),
         maps.HtmlLayer(line, SCRIPT, color="#b2182b")],
        tmp_path / "map.html", title=title, source=source)
    text = path.read_text(encoding="utf-8")
    assert "innerHTML" not in text
    # No user string inside the <script> block: it holds our code only.
    script = text[text.index("<script>"):text.index("</script>")]
    assert not any(s in script for s in ("pwned", "data-p=", "onerror"))

    dom, probe = _probe(path)
    _assert_nothing_ran(dom, title=title)
    assert dom.tags("img") == [] and len(dom.tags("script")) == 2  # ours and the probe
    # Title, header, layer names, legend labels and source note are text.
    for s in (title, source, IMG, SCRIPT, JSLINK):
        assert s in dom.text, s
    assert {a.get("data-name") for a in dom.tags("g")} == {IMG, JSLINK, SCRIPT}
    # Every feature got a tooltip; keys and values are text, no element but <b>/<br> was created.
    assert probe["shown"] == len(probe["tips"]) == 2 * len(sub) + 1
    assert probe["foreign"] == 0
    for i in range(len(sub)):
        tip = probe["tips"][i]
        for key in ("name_zh", IMG, SCRIPT, JSLINK):
            assert f"{key}: " in tip
        assert f"{JSLINK}: {VALUES[i]}" in tip and f"{SCRIPT}: {sub[SCRIPT].iloc[i]}" in tip
    assert "note: <!--" in probe["tips"][-1] and f"name: {SCRIPT}" in probe["tips"][-1]


def test_map_html_probe_catches_the_old_innerhtml_tooltip(cities, tmp_path):
    """The same page with the tooltip built by innerHTML (as before) fails the checks: the probe can fail."""
    sub, _ = _hostile_frames(cities)
    path = maps.write_html_map([maps.HtmlLayer(sub, "c", fields=[IMG])], tmp_path / "map.html", title="t")
    text = path.read_text(encoding="utf-8")
    start = text.index("var o=JSON.parse(p);")
    end = text.index("tip.style.display='block';", start)
    old = ("var o=JSON.parse(p),h='';for(var k in o){h+='<b>'+k+'</b>: '+String(o[k]).replace(/[<>&]/g,'')"
           "+'<br>';}tip.innerHTML=h;")
    path.write_text(text[:start] + old + text[end:], encoding="utf-8")
    dom, probe = _probe(path)
    assert probe["foreign"] > 0
    assert "data-pwned" in dom.tags("body")[0]


@pytest.mark.parametrize("color", ['red" onload="alert(1)', "url(javascript:alert(1))", "", None, 3])
def test_html_layer_colour_must_be_a_colour(cities, tmp_path, color):
    with pytest.raises(ValueError, match="color must be a colour"):
        maps.write_html_map([maps.HtmlLayer(cities, "c", color=color)], tmp_path / "m.html", title="t")
    assert not (tmp_path / "m.html").exists()


def test_html_layer_colour_written_as_hex(cities, tmp_path):
    text = maps.write_html_map([maps.HtmlLayer(cities.iloc[:2], "c", color="tab:red")], tmp_path / "m.html",
                               title="t").read_text(encoding="utf-8")
    assert text.count('fill="#d62728"') == 2


@pytest.mark.parametrize(("kwargs", "match"), [({"title": None}, "title must be a str"),
                                               ({"title": "t", "source": 5}, "source must be a str")])
def test_html_map_title_and_source_must_be_text(cities, tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        maps.write_html_map([maps.HtmlLayer(cities, "c")], tmp_path / "m.html", **kwargs)
    with pytest.raises(ValueError, match=r"layers\[0\]\.name must be a str"):
        maps.write_html_map([maps.HtmlLayer(cities, None)], tmp_path / "m.html", title="t")
    assert not (tmp_path / "m.html").exists()


# ----------------------------------------------------------------------------- the atlas report


@pytest.fixture(scope="module")
def hostile_atlas(tmp_path_factory, cities):
    folder = tmp_path_factory.mktemp("hostile")
    rng = np.random.default_rng(11)
    table = pd.DataFrame({"adcode": cities.adcode})
    for i, name in enumerate(HOSTILE):
        table[name] = np.round(rng.uniform(10, 1000, len(cities)), 2) + i
    # The file name is user text too (it is quoted in the report's data sources).
    csv = folder / f"{IMG}{JSLINK}.csv"
    table.to_csv(csv, index=False)
    res = atlas.build_atlas(folder / "atlas", topics=["groups"], attributes=csv, dpi=30, progress=False)
    return res, csv


def test_report_html_hostile_column_names_show_as_text(hostile_atlas):
    res, csv = hostile_atlas
    dom = _Dom(_dump_dom(res.report_html))
    _assert_nothing_ran(dom, title="长三角地图集 YRD atlas")
    assert dom.tags("script") == []
    # The only images are the maps; the only links go to files of the atlas.
    srcs = [a["src"] for a in dom.tags("img")]
    assert srcs and all(re.fullmatch(r"maps/[\w.]+\.png", s) and (res.out / s).is_file() for s in srcs)
    hrefs = [a["href"] for a in dom.tags("a")]
    assert hrefs and all(not re.match(r"[a-z]+:|//", h) and (res.out / h).is_file() for h in hrefs), hrefs
    for name in HOSTILE:
        assert name in dom.text, name  # captions and key numbers show the column name as written
    assert csv.name in dom.text


def test_report_md_user_strings_make_no_link_or_html(hostile_atlas):
    res, csv = hostile_atlas
    md = res.report.read_text(encoding="utf-8")
    # CommonMark: backslash escapes and code spans are literal; what is left may hold no raw HTML,
    # and every link it holds is one the atlas wrote, to a file of the atlas.
    live = re.sub(r"`[^`\n]*`|\\.", "", md)
    assert "<" not in live
    targets = re.findall(r"\]\(([^)\s]*)\)", live)
    assert live.count("[") == len(targets)  # no other link form: reference, spaced or <…> targets
    assert targets and all((res.out / t).is_file() for t in targets), targets
    assert set(re.findall(r"(?<!!)\[([^\]]*)\]\(", live)) == {"map.html", "record.json", "report.md", "report.html",
                                                           "PNG", "PDF"}
    assert all(re.fullmatch(r"maps/\w+\.png", t) for t in re.findall(r"!\[[^\]]*\]\(([^)]*)\)", live))
    for name in HOSTILE:
        assert report.md_text(name) in md
    assert f"`{csv.name}`" in md  # the file name as a code span (literal in Markdown)


def test_atlas_map_html_tooltips_show_hostile_column_names_as_text(hostile_atlas):
    res, _ = hostile_atlas
    dom, probe = _probe(res.html)
    _assert_nothing_ran(dom, title="长三角地图集 YRD atlas（交互地图）")
    assert dom.tags("img") == [] and probe["foreign"] == 0
    assert probe["shown"] == len(probe["tips"]) > 0
    assert any(f"{IMG}: " in t for t in probe["tips"])
    assert f"属性 {HOSTILE[0]}" in dom.text


# ----------------------------------------------------------------------------- inline markup


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>",
                                  "vbscript:x", "file:///etc/passwd", "//evil.example/x", " javascript:x",
                                  "\x01javascript:x", "java\tscript:x", "javascript&#58;alert(1)",
                                  "javascript&colon;alert(1)", "http:no-host", "C:/Users/x", "<javascript:x>",
                                  ' javascript:x "t"'])
def test_inline_link_to_unsafe_target_is_text(href):
    text = f"see [here]({href}) now"
    page = report.inline_html(text)
    assert "<a" not in page and "here" in page
    md = report.md_inline(text)
    assert "\\[here\\]" in md and "<" not in re.sub(r"\\.", "", md)


@pytest.mark.parametrize("href", ["map.html", "maps/units.png", "https://example.org/a?b=1#c", "http://x.cn/"])
def test_inline_link_to_relative_or_http_target_is_a_link(href):
    assert report.inline_html(f"[a]({href})") == f'<a href="{html.escape(href)}">a</a>'
    assert report.md_inline(f"[a]({href})") == f"[a]({href})"


def test_normal_markup_renders_as_before():
    text = ("Interactive map: [map.html](map.html) (opens offline). Layers: `yrd_atlas.gpkg`. "
            "*长三角行政区划* — [PNG](maps/units.png) · `yrdgeo rank`")
    assert report.inline_html(text) == (
        'Interactive map: <a href="map.html">map.html</a> (opens offline). Layers: <code>yrd_atlas.gpkg</code>. '
        '<em>长三角行政区划</em> — <a href="maps/units.png">PNG</a> · <code>yrdgeo rank</code>')
    assert report.md_inline(text) == text
    for plain in ("gdp_2020", "area_km2", "人口 2019", "ratio (2011 → 2019)", "'quoted'"):
        assert report.md_text(plain) == plain


_LINE_BREAKS = str.maketrans({c: " " for c in "\n\r\v\f\x85\u2028\u2029"})


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_escaped_user_text_renders_verbatim(s):
    """Any string escaped with md_text renders in HTML as itself: no tag, no link, no lost character."""
    page = report.inline_html(report.md_text(s))
    assert "<" not in page
    assert html.unescape(page) == s.replace("\r\n", " ").translate(_LINE_BREAKS)
    caption = report.inline_html(f"*{report.md_text(s)}* — [PNG](maps/a.png)")
    assert caption.endswith(' — <a href="maps/a.png">PNG</a>') and caption.count("<a ") == 1
