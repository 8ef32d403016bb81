"""The papers yrdgeo's reference data and methods come from, and how to cite them.

One table, ``data/reference/sources.csv``, lists the five Chinese papers the
bundled reference tables were taken from, under a short key (``wu-zhang``,
``lin-lin``, ``zhang-yajun``, ``governance``, ``metro-cooperation``) with
their authors, title and affiliation as the texts print them. Journals and
years are not printed in the texts, and the table says so rather than guess.
Data tables name their papers by these keys in a ``sources`` column;
code and outputs cite them with :func:`cite`.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .units import data_path

__all__ = ["SourceError", "cite", "cite_all", "table"]

_NOT_PRINTED = "not printed in the text"


class SourceError(KeyError):
    """A citation key that is not in the sources table."""

    def __str__(self) -> str:  # KeyError quotes its message; show it as written
        return str(self.args[0]) if self.args else ""


@lru_cache(maxsize=1)
def _sources() -> pd.DataFrame:
    return pd.read_csv(str(data_path("reference", "sources.csv")), dtype=str, keep_default_na=False).set_index("key")


def table() -> pd.DataFrame:
    """Return the sources table: one row per paper (key, authors, title, affiliation, journal, year, what it supplies, note)."""
    return _sources().reset_index()


def cite(key: str) -> str:
    """Return a paper's citation as the text prints it: ``吴福象、张雯《长三角区域产城人融合发展路径研究》``.

    A paper whose authors are not printed is cited by its title alone.

    Raises
    ------
    SourceError
        When ``key`` is not in the table, naming the known keys.
    """
    t = _sources()
    if key not in t.index:
        msg = f"unknown source {key!r}; expected one of {', '.join(t.index)}"
        raise SourceError(msg)
    row = t.loc[key]
    authors = "" if row.authors == _NOT_PRINTED else "、".join(a.strip() for a in row.authors.split(";"))
    return f"{authors}《{row.title_zh}》"


def cite_all(keys: str) -> str:
    """Return the citations of ``;``-separated keys (a data table's ``sources`` cell), joined by ``；``."""
    return "；".join(cite(k.strip()) for k in str(keys).split(";") if k.strip())
