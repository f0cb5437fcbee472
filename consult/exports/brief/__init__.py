"""The policy brief: a short PDF in Urdu or English, with charts, for a ministry.

``content`` works out what it says from the same Summary as the results page and the summary
workbook (``sentences`` words consensus and splits, ``wording`` holds its words); ``render``
lays it out through templates/brief/ (one include per section) and WeasyPrint, which shapes
Urdu Nastaliq with HarfBuzz in the font the project ships.
"""
