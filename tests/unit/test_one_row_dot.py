"""Pair features for one vacancy and many seekers (candidates): the one-right-row dot product
gives scipy's values bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from features.pairwise import _one_row_dot, _row_dot


def _general(left: object, right: object, left_rows: np.ndarray, right_rows: np.ndarray) -> object:
    product = left[left_rows].multiply(right[right_rows])  # type: ignore[index]
    return np.asarray(product.sum(axis=1), dtype=np.float64).ravel()


def _unit_rows(rng: np.random.Generator, rows: int, columns: int, density: float) -> sp.csr_array:
    matrix = sp.random_array((rows, columns), density=density, format="csr", rng=rng)
    matrix = sp.csr_array(matrix, dtype=np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1))).ravel()
    unit = sp.csr_array(sp.diags_array(1 / np.maximum(norms, 1e-9)) @ matrix, dtype=np.float32)
    unit.sort_indices()  # canonical, as the vectorisers' rows are
    return unit


@pytest.mark.parametrize("kind", [sp.csr_array, sp.csr_matrix])
def test_one_right_row_equals_the_general_product_bit_for_bit(kind: type) -> None:
    rng = np.random.default_rng(3)
    # dense enough that rows share hundreds of terms (sums of more than 8 and 128 products)
    seekers = kind(_unit_rows(rng, 400, 600, 0.5))
    vacancies = kind(_unit_rows(rng, 3, 600, 0.6))
    picked = rng.choice(400, 250, replace=True)
    whole = np.arange(400)
    for vacancy in range(3):
        for rows in (picked, whole):
            same = np.full(len(rows), vacancy)
            assert _one_row_dot(seekers, vacancies, rows, vacancy) is not None  # the fast path
            found = _row_dot(seekers, vacancies, rows, same)
            expected = _general(seekers, vacancies, rows, same)
            np.testing.assert_array_equal(found, expected)
            assert found.dtype == np.float64 and (found > 0).mean() > 0.9


def test_binary_rows_with_no_overlap_sum_to_zero() -> None:
    skills = sp.csr_array(np.array([[1, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 0]], dtype=np.float32))
    wanted = sp.csr_array(np.array([[1, 1, 0, 0]], dtype=np.float32))
    found = _row_dot(skills, wanted, np.array([0, 1, 2, 0]), np.zeros(4, dtype=np.int64))
    np.testing.assert_array_equal(found, [1.0, 1.0, 0.0, 1.0])


def test_rows_not_canonical_take_the_general_path() -> None:
    left = sp.csr_array(
        (
            np.array([0.5, 0.25, 0.75], dtype=np.float32),
            np.array([2, 0, 1]),  # unsorted within the row
            np.array([0, 2, 3]),
        ),
        shape=(2, 3),
    )
    right = sp.csr_array(np.array([[1.0, 2.0, 4.0]], dtype=np.float32))
    rows = np.array([0, 1])
    assert _one_row_dot(left, right, rows, 0) is None
    found = _row_dot(left, right, rows, np.zeros(2, dtype=np.int64))
    np.testing.assert_array_equal(found, [2.0 + 0.25, 1.5])
    mixed = sp.csr_array(right, dtype=np.float64)
    assert _one_row_dot(sp.csr_array(np.eye(3, dtype=np.float32)), mixed, rows, 0) is None
