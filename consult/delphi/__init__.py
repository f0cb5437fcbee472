"""Delphi studies: a panel answering the same rating items over rounds, with controlled
feedback between rounds, a fixed protocol, and statistics of consensus and stability.

Contact details live in ``delphi_panellist`` alone; everything else knows a panellist only by a
keyed pseudonym (``keys.panel_key``), joinable across the rounds of one study and no further.
"""
