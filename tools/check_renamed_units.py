"""Check yrdgeo/data/boundaries/renamed_units.csv against the unit table and cpca's national name table.

Prints every YRD code of ``china_names.csv`` that is neither a current unit nor
listed as a former one, and every row whose successors are not current units
of the given name; exits 1 if there is any. Run from a checkout:
``python tools/check_renamed_units.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from yrdgeo.units import _renamed, _renamed_problems  # noqa: E402


def main() -> int:
    """Return 0 if the former-unit table is complete and consistent, 1 otherwise (problems printed)."""
    problems = _renamed_problems()
    for p in problems:
        print(p)
    if not problems:
        print(f"renamed_units.csv: {len(_renamed())} former units, complete and consistent")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
