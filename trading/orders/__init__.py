"""The one path by which every order reaches a venue: intent, submission, reconciliation.

`services` places, submits, transitions and cancels orders; `venues` builds the adapter an
order is sent through (the only place that tells paper from exchange accounts); `reconcile`
resolves orders whose outcome is unknown and refreshes open ones; `paper_store` keeps the
paper exchange's books in the database.
"""
