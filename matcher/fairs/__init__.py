"""Fairs: batch matching before a job fair or campaign.

Owns ``batch`` (plan → rank → allocate → rows → write), ``allocation`` (capacity-aware
shortlists) and ``output`` (CSV/Parquet/XLSX/report writers). May import ``matcher.ranking``
and everything below it.
"""
