"""Measure how certificates are read from postings and résumés on the blind wordings.

Usage::

    .venv/bin/python benchmarks/measure_certificates.py           # shares read right
    .venv/bin/python benchmarks/measure_certificates.py --errors  # and every wrong reading

Reads ``tests/data/parsers/certificate_wordings.tsv`` (160 wordings labelled before the
certificate table was read) and prints, per side, the share whose codes are read exactly:
postings (required and preferred) and résumés or counter speech (held).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.unit.test_certificate_wordings import read_codes, read_wordings  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every wrong reading")
    args = parser.parse_args(argv)
    wordings = read_wordings()
    for side in ("vacancy", "resume"):
        ours = [wording for wording in wordings if wording.side == side]
        wrong = [(wording, read_codes(wording)) for wording in ours]
        wrong = [(wording, found) for wording, found in wrong if found != wording.expected]
        right = len(ours) - len(wrong)
        print(f"{side:<8} {right:4d}/{len(ours)} = {right / len(ours):6.1%} read right")
        if args.errors:
            for wording, found in wrong:
                print(
                    f"  line {wording.line}: {wording.text}\n"
                    f"    expected {[sorted(c) for c in wording.expected]}, "
                    f"read {[sorted(c) for c in found]}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
