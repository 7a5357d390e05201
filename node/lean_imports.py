"""Keeping numpy out of the node's memory.

aerich imports dictdiffer, which imports numpy whenever numpy is installed (to diff arrays,
which migrations never hold). numpy is installed for the opinion map's child process
(node/opinion/); imported by every node process through aerich it would add about 15 MB to
the idle node. So dictdiffer is imported once with numpy hidden from it.
"""

from __future__ import annotations

import importlib
import sys


def import_dictdiffer_without_numpy() -> None:
    """Import dictdiffer (before aerich does) so that it does not import numpy."""
    if "dictdiffer" in sys.modules or "numpy" in sys.modules:
        return  # too late, or numpy is wanted here anyway (a test or a benchmark)
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" → ImportError
    try:
        importlib.import_module("dictdiffer")
    finally:
        del sys.modules["numpy"]
