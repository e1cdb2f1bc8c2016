"""``lianfang report``: the monthly report for the leading group, as one self-contained HTML
file (CSS, charts and diagrams inline) or the same page rendered to PDF."""
