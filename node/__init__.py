"""The organisation's node."""

from node.lean_imports import import_dictdiffer_without_numpy

import_dictdiffer_without_numpy()  # before anything imports aerich: see node/lean_imports.py
