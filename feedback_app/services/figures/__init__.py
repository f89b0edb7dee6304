"""Figures people read, each made with the suppression rule of ``docs/privacy-model.md``.

``results``: a survey's public summary (moves only in steps of k). ``district_filters``
parses the dashboard's selection; ``district_cells`` builds the month cells every staff
figure is summed from; ``district_results`` and ``district_reports`` give indices with their
confidence intervals for districts, projects and events; ``artist_results`` is an artist's
view of their own surveys.
"""
