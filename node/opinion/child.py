"""The opinion map's child process: votes in on stdin, the map out on stdout, both JSON.

`python -m node.opinion.child` reads {"votes": [[participant, statement, value], ...],
"seed": n} and writes compute_map's result. The node starts one per computation
(node/workers/opinion_map.py), so numpy is loaded here and never in the node's own memory.
"""

from __future__ import annotations

import json
import sys

from node.opinion.compute import compute_map


def main() -> None:
    request = json.load(sys.stdin)
    votes = [(int(p), int(s), int(v)) for p, s, v in request["votes"]]
    json.dump(compute_map(votes, seed=int(request["seed"])), sys.stdout, separators=(",", ":"))


if __name__ == "__main__":
    main()
