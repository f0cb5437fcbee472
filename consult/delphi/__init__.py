"""Delphi studies: a panel answering the same rating items over rounds, with controlled
feedback between rounds, a fixed protocol, and statistics of consensus and stability.

Contact details live in ``delphi_panellist`` alone; everything else knows a panellist only by a
keyed pseudonym (``keys.panel_key``), joinable across the rounds of one study and no further.

May import: the features below it (authoring, exports, distribution, review), analysis,
collection, accounts, the kernel, spreadsheets and the foundation. Never api or webhooks (its
siblings in the layer) or the shell.
"""
