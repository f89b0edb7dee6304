"""Helsinki's Linked Events API, read to start a survey from an event the city already lists.

``client`` searches events by text and day (following ``meta.next``), reads one event with its
place, and turns the API's shapes into a typed ``LinkedEvent``; ``districts`` matches a
place's ``divisions`` to the model's target districts. Every call has a time budget: a slow or
broken service raises ``LinkedEventsUnavailable`` so the studio can say so and let the artist
type the event in by hand.
"""
