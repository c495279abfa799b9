"""The words of the reports.

Ledes and sentences (``stories``), table rows (``tables``), the sources (``sources``)
and the report a notebook writes (``report``).
"""
