"""The explorer (`run.py explore`): a page in the browser where a base scenario's levers are moved
and the comparison with the base is redrawn at once (docs/EXPLORER.md). Importing this package
imports nothing of the web toolkit; app.py and server.py do."""
