"""The public page of a survey (``/p/<slug>``, issue 19): opt-in, aggregates only."""
