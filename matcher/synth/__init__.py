"""Synthetic Suining data: employers, vacancies, seekers, contacts and logged interactions.

The interactions follow a documented hidden utility (:mod:`matcher.synth.utility`) that no record
carries; use :func:`generate` to fill a store and :func:`generate_dataset` to get the data in
memory. May import ``matcher.storage``, ``matcher.domain`` and ``matcher.reference``; nothing
in production imports it but the CLI and the demo.
"""

from matcher.storage.store import INTERACTION_COLUMNS
from matcher.synth.generate import (
    Dataset,
    GenerationSummary,
    Oracle,
    default_employer_count,
    generate,
    generate_dataset,
)
from matcher.synth.interactions import InteractionRow
from matcher.synth.people import SOURCES
from matcher.synth.utility import COUNTY_DISTANCE_KM, employer_utility, seeker_utility
from matcher.synth.vocab import AREA_CODES, INDUSTRIES, MAJORS, TITLES, IndustrySpec, TitleSpec

__all__ = [
    "AREA_CODES",
    "COUNTY_DISTANCE_KM",
    "INDUSTRIES",
    "INTERACTION_COLUMNS",
    "MAJORS",
    "SOURCES",
    "TITLES",
    "Dataset",
    "GenerationSummary",
    "IndustrySpec",
    "InteractionRow",
    "Oracle",
    "TitleSpec",
    "default_employer_count",
    "employer_utility",
    "generate",
    "generate_dataset",
    "seeker_utility",
]
