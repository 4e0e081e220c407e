"""Fairs: batch matching before a job fair or campaign.

Owns ``batch`` (plan → rank → allocate → rows → write), ``allocation`` (capacity-aware
shortlists), ``output`` (CSV/Parquet/XLSX/report writers, Chinese or English headers), ``runs``
(a fair's batch run in the background for the desk, its status on disk), ``booths`` (fairs,
booths and vacancy search for the desk), ``progress`` (a campaign's progress figures and its
report, ``jobmatch report``) and ``charts`` (the packaged CJK font every chart uses). May import
``matcher.ranking`` and everything below it.
"""
