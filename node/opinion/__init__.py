"""The opinion map's maths: pure functions over numpy arrays, no database.

Nothing here is imported at the node's start-up: the worker runs it in a child process
(node/workers/opinion_map.py → node/opinion/child.py), so numpy never enters the node's memory.
This package's `__init__` imports nothing for the same reason.
"""
