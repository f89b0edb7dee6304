"""Dashboard charts: ``dashboard_charts`` turns figures into Plotly figures, ``chart_trends``
draws quarters over time, ``chart_style`` holds colours and number formats, and
``plotly_assets`` serves the bundled plotly.js.
"""
