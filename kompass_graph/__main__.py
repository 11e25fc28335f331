"""`python -m kompass_graph` is the `kompass-graph` command."""

from kompass_graph.cli import main

raise SystemExit(main())
