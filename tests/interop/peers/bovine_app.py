"""bovine-herd as the interop tier runs it: `hypercorn bovine_app:app` in bovine's working dir.

Run by the peers' own virtualenv, never imported by Townhall's tests. The database URL comes
from BOVINE_DB_URL (as bovine_tool reads it), so the server and the tools share one store.
"""

import os

from bovine_herd import BovineHerd
from quart import Quart

app = Quart(__name__)
BovineHerd(app, db_url=os.environ["BOVINE_DB_URL"])
