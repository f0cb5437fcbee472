"""The public page of a survey (``/p/<slug>``, issue 19): opt-in, aggregates only.

May import: analysis (its figures, suppressed as on the results page), collection, accounts,
the kernel and the foundation. Never another feature (authoring, exports, distribution, review)
or the layer above (api, delphi, webhooks) or the shell.
"""
