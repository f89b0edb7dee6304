"""The app's work, grouped by area; views call one function and get plain values back.

- ``answers``: a resident's submission, from the typed form or JSON body to the stored rows.
- ``surveys``: finding, creating and editing surveys and their public codes.
- ``figures``: every figure people read (public summaries, district and project indices,
  artists' results) with suppression below k applied where they are made.
- ``charts``: Plotly figures of those figures for the dashboard.
- ``reports``: what leaves the app on paper or as a file: PDF reports, posters, QR codes,
  CSV and XLSX exports.
- ``people``: staff accounts, invitations, API tokens and city sign-in matching.
- ``notifications``: e-mail (outbox, drop alerts, weekly digests, subscriptions).
- ``linked_events``: the city's Linked Events API, to start a survey from an event.
- ``catalog_admin`` (districts, projects, events) and ``demo`` (the demo data of ``make run``).

Data flows one way: request → view → service → model. A service never imports a view.
"""
