"""Desk pages: counter (being built)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/desk", include_in_schema=False)
