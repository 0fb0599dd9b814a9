"""Each statistic against values computed by hand on tiny inputs."""

import math

import numpy as np
import pytest

from analyzer.stats import (
    adjust,
    bootstrap_by_cell,
    bootstrap_ratio,
    chi_square,
    log_odds_dirichlet,
    permutation_test,
)


def test_bootstrap_ratio_estimate_interval_and_seed():
    estimate, low, high = bootstrap_ratio(
        np.array([[1.0], [3.0]]), np.array([10.0, 10.0]), n_boot=500, seed=1
    )
    assert estimate[0] == pytest.approx(0.2)
    # every resample of two articles gives 0.1, 0.2 or 0.3
    assert 0.1 <= low[0] <= 0.2 <= high[0] <= 0.3 and low[0] < high[0]
    again = bootstrap_ratio(np.array([[1.0], [3.0]]), np.array([10.0, 10.0]), n_boot=500, seed=1)
    assert (again[1][0], again[2][0]) == (low[0], high[0])


def test_bootstrap_ratio_without_spread_and_in_chunks():
    numerators = np.ones((7, 2)) * [2.0, 0.0]
    estimate, low, high = bootstrap_ratio(numerators, np.full(7, 4.0), n_boot=250)
    assert estimate.tolist() == [0.5, 0.0] and low.tolist() == [0.5, 0.0] and high.tolist() == [0.5, 0.0]


def test_log_odds_with_informative_dirichlet_prior():
    # y_i = (10, 0), y_j = (5, 5), prior = pooled (15, 5): a0 = 20, n_i = n_j = 10
    result = log_odds_dirichlet(np.array([10, 0]), np.array([5, 5]))
    assert result.delta[0] == pytest.approx(math.log(25 / 5) - math.log(20 / 10))
    assert result.variance[0] == pytest.approx(1 / 25 + 1 / 20)
    assert result.z[0] == pytest.approx(math.log(2.5) / math.sqrt(0.09))
    assert result.delta[1] == pytest.approx(math.log(5 / 25) - math.log(10 / 20))
    assert result.z[1] == pytest.approx(result.delta[1] / math.sqrt(1 / 5 + 1 / 10))
    assert result.p[0] == pytest.approx(2 * (1 - 0.5 * (1 + math.erf(abs(result.z[0]) / math.sqrt(2)))))


def test_permutation_test_separated_groups():
    result = permutation_test(np.array([1, 1, 1, 5, 5, 5]), np.array(list("aaabbb")), n_perm=999, seed=0)
    assert result.statistic == pytest.approx(24.0) and result.effect == pytest.approx(1.0)
    # 2 of the 20 ways to split six values into two groups of three reach SSB = 24
    assert 0.06 < result.p < 0.15 and result.df == 1 and result.n == 6


def test_permutation_test_no_difference():
    result = permutation_test(np.array([1, 2, 2, 1]), np.array(list("abab")), n_perm=199)
    assert result.statistic == 0 and result.effect == 0 and result.p == 1.0


def test_chi_square_and_cramers_v():
    result = chi_square(np.array([[10, 0], [0, 10]]))
    assert result.statistic == pytest.approx(20.0) and result.effect == pytest.approx(1.0) and result.df == 1
    assert result.p == pytest.approx(7.744e-06, rel=1e-3)
    assert chi_square(np.array([[5, 0], [5, 0]])).p == 1.0


def test_benjamini_hochberg_and_holm():
    p = np.array([0.01, 0.04, 0.03, 0.5])
    assert adjust(p, "fdr_bh") == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5])
    assert adjust(p, "holm") == pytest.approx([0.04, 0.09, 0.09, 0.5])
    assert np.isnan(adjust(np.array([np.nan, 0.2]), "holm")[0])


def _cells_case():
    # cell 0: articles (1, 10) and (3, 10); cell 1: three identical articles (2, 4);
    # cell 2: no article; cell 3: one article whose denominator is 0
    numerators = np.array([[1.0], [3.0], [2.0], [2.0], [2.0], [5.0]])
    denominators = np.array([10.0, 10.0, 4.0, 4.0, 4.0, 0.0])
    cells = np.array([0, 0, 1, 1, 1, 3])
    return numerators, denominators, cells


@pytest.mark.parametrize("budget", [20_000_000, 500])
def test_bootstrap_by_cell_resamples_within_each_cell(monkeypatch, budget):
    import analyzer.stats as stats

    monkeypatch.setattr(stats, "BUDGET", budget)  # 500: one cell per batch, chunks of resamples
    numerators, denominators, cells = _cells_case()
    estimate, low, high = stats.bootstrap_by_cell(numerators, denominators, cells, 4, n_boot=400, seed=2)
    assert estimate[:, 0][:2].tolist() == pytest.approx([0.2, 0.5])
    # cell 0 can only give 0.1, 0.2 or 0.3; cell 1 never varies
    assert 0.1 <= low[0, 0] <= 0.2 <= high[0, 0] <= 0.3 and low[0, 0] < high[0, 0]
    assert (low[1, 0], high[1, 0]) == (0.5, 0.5)
    assert np.isnan([estimate[2, 0], low[2, 0], high[2, 0], estimate[3, 0], low[3, 0], high[3, 0]]).all()


@pytest.mark.parametrize("width", [2, 6])
def test_bootstrap_by_cell_columns_share_resamples_and_zero_columns(width):
    # identical columns get identical intervals (the same resamples), on both the path that sums
    # drawn values (few columns) and the one that weights articles (many); a zero column is [0, 0]
    rng = np.random.default_rng(0)
    column = rng.poisson(2.0, 40).astype(float)
    numerators = np.column_stack([column] * (width - 1) + [np.zeros(40)])
    cells = np.repeat([0, 1], 20)
    estimate, low, high = bootstrap_by_cell(numerators, np.full(40, 50.0), cells, 2, n_boot=300)
    for k in range(1, width - 1):
        assert np.array_equal(low[:, k], low[:, 0]) and np.array_equal(high[:, k], high[:, 0])
    assert (low[:, -1] == 0).all() and (high[:, -1] == 0).all() and (estimate[:, -1] == 0).all()
    assert (low[:, 0] < estimate[:, 0]).all() and (estimate[:, 0] < high[:, 0]).all()
