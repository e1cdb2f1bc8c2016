"""The power-operation network diagram (廉政风险防控管理网络图) and the ledger view (台账).

model — the workspace as a networkx graph, with GraphML and node-link JSON export;
render — the graph drawn by graphviz (SVG, PNG, PDF, DOT);
ledger — the 一览表 table (CSV, Markdown);
fonts — which CJK font graphviz is given;
cli — the ``lianfang graph`` command.
"""
