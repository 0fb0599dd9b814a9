"""The statistics behind a comparison, each on plain arrays so it can be checked by hand.

Definitions and formulas are in ``docs/statistics.md``; in short:

- :func:`bootstrap_ratio`: a ratio of sums over articles (hits per 1,000 tokens, a share of
  articles, a mean over articles) with a percentile interval from resampling whole articles;
- :func:`log_odds_dirichlet`: the log-odds ratio with informative Dirichlet prior of Monroe,
  Colaresi & Quinn (2008), with its z-score;
- :func:`permutation_test`: differences between groups in an article-level measure (between-group
  sum of squares, group labels permuted), with eta-squared as effect size;
- :func:`chi_square`: independence of group and a categorical outcome, with Cramér's V;
- :func:`adjust`: Benjamini–Hochberg (false discovery rate) or Holm (family-wise) adjustment.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests

BOOT_CHUNK = 100
PERM_CHUNK = 100
BUDGET = 4_000_000
NARROW = 4


def bootstrap_ratio(
    numerators: np.ndarray | sparse.spmatrix,
    denominators: np.ndarray,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each column ``k`` of ``numerators`` (rows = articles): ``sum(num[:, k]) / sum(den)``,
    and the ``level`` percentile interval over ``n_boot`` resamples of the articles (drawn with
    replacement, as many as there are; a resample whose denominator is 0 is skipped). ``seed``
    makes the interval reproducible. One cell of :func:`bootstrap_by_cell`."""
    den = np.asarray(denominators, dtype=float)
    cells = np.zeros(len(den), dtype=np.int64)
    estimate, low, high = bootstrap_by_cell(numerators, den, cells, 1, n_boot, seed, level)
    return estimate[0], low[0], high[0]


def bootstrap_by_cell(
    numerators: np.ndarray | sparse.spmatrix,
    denominators: np.ndarray,
    cells: np.ndarray,
    n_cells: int,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`bootstrap_ratio` for many cells (groups × periods) at once: ``cells`` gives each
    article's cell (0 … ``n_cells`` − 1), articles are resampled within their cell, and estimate,
    low and high are ``n_cells`` × columns. Only (cell, column) pairs with a non-zero numerator are
    resampled (any other is 0 in every resample: interval [0, 0]); cells are taken in batches and
    resamples in chunks, so the numbers held at once stay near ``BUDGET`` whatever the corpus size
    and ``n_boot``."""
    num = numerators if sparse.issparse(numerators) else np.asarray(numerators, dtype=float)
    num = sparse.csr_matrix(num.reshape(-1, 1) if num.ndim == 1 else num)
    den = np.asarray(denominators, dtype=float)
    cells = np.asarray(cells, dtype=np.int64)
    order = np.argsort(cells, kind="stable")
    num, den, cells = num[order], den[order], cells[order]
    sizes = np.bincount(cells, minlength=n_cells)
    starts = np.cumsum(sizes) - sizes
    totals = cell_sums(den, cells, n_cells)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = cell_sums(num, cells, n_cells) / totals[:, None]
    estimate[totals == 0] = np.nan
    if n_boot < 1:
        return estimate, np.full_like(estimate, np.nan), np.full_like(estimate, np.nan)
    low = np.where(np.isnan(estimate), np.nan, 0.0)
    high = low.copy()
    coo = num.tocoo()
    width = num.shape[1]
    pairs = np.unique(cells[coo.row] * width + coo.col)
    pair_counts = np.bincount(pairs // width, minlength=n_cells)
    rng = np.random.default_rng(seed)
    first = 0
    while first < n_cells:
        fits = (np.cumsum(pair_counts[first:]) * n_boot <= BUDGET) & (
            np.cumsum(sizes[first:]) <= BUDGET // BOOT_CHUNK
        )
        last = first + max(1, int(np.argmin(fits)) if not fits.all() else len(fits))
        docs = slice(starts[first], starts[last - 1] + sizes[last - 1])
        chosen = pairs[np.searchsorted(pairs, first * width) : np.searchsorted(pairs, last * width)]
        if len(chosen):
            samples = _resample_cells(
                num[docs], den[docs], cells[docs] - first, sizes[first:last], chosen - first * width,
                width, n_boot, rng,
            )  # fmt: skip
            bounds = _percentiles(samples, (1 - level) / 2 * 100)
            low[chosen // width, chosen % width] = bounds[0]
            high[chosen // width, chosen % width] = bounds[1]
        first = last
    return estimate, low, high


def cell_sums(values: np.ndarray | sparse.spmatrix, cells: np.ndarray, n_cells: int) -> np.ndarray:
    """Per cell (0 … ``n_cells`` − 1), the sum of the rows of ``values`` whose article is in it."""
    member = sparse.csr_matrix(
        (np.ones(len(cells)), (cells, np.arange(len(cells)))), shape=(n_cells, len(cells))
    )
    out = member @ values
    return np.asarray(out.todense() if sparse.issparse(out) else out)


def _percentiles(samples: np.ndarray, tail: float) -> np.ndarray:
    """The ``tail`` and ``100 - tail`` percentiles of each column, NaNs (skipped resamples) left
    out; the NaN-aware path is taken only when needed, as it is much slower."""
    if not np.isnan(samples).any():
        return np.percentile(samples, [tail, 100 - tail], axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanpercentile(samples, [tail, 100 - tail], axis=0)


def _resample_cells(
    num: sparse.csr_matrix,
    den: np.ndarray,
    cells: np.ndarray,
    sizes: np.ndarray,
    pairs: np.ndarray,
    width: int,
    n_boot: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """``n_boot`` × pairs: the ratio of each (cell, column) pair in each resample (NaN where the
    resample's denominator is 0). Articles are sorted by cell; each cell draws as many articles
    as it has, from itself. A few columns are summed from the drawn values directly; many (term
    counts) through each article's weight, the number of times it was drawn."""
    n = len(cells)
    starts = np.cumsum(sizes) - sizes
    low = starts[cells]
    high = low + sizes[cells]
    pair_cell, pair_column = pairs // width, pairs % width
    narrow = width <= NARROW
    if narrow:
        values = num.toarray()
        firsts = starts[sizes > 0]
        pair_cell = (np.cumsum(sizes > 0) - 1)[pair_cell]
        counts = sizes[sizes > 0][pair_cell].astype(float) if (den == 1).all() else None
    else:
        coo = num.tocoo()
        column = np.searchsorted(pairs, cells[coo.row] * width + coo.col)
        assign = sparse.csr_matrix((coo.data, (coo.row, column)), shape=(n, len(pairs))).T.tocsr()
        spread = sparse.csr_matrix((den, (cells, np.arange(n))), shape=(len(sizes), n))
    chunk = max(1, min(BOOT_CHUNK, BUDGET // max(n * (width if narrow else 1), 1)))
    out = []
    for begin in range(0, n_boot, chunk):
        size = min(chunk, n_boot - begin)
        draws = rng.integers(low, high, size=(size, n))
        if narrow:
            sums = np.add.reduceat(values[draws], firsts, axis=1)[:, pair_cell, pair_column]
            dens = counts if counts is not None else np.add.reduceat(den[draws], firsts, axis=1)[:, pair_cell]
        else:
            draws += n * np.arange(size)[:, None]
            weights = np.bincount(draws.ravel(), minlength=size * n).reshape(size, n).T.astype(float)
            sums = (assign @ weights).T
            dens = (spread @ weights).T[:, pair_cell]
        with np.errstate(divide="ignore", invalid="ignore"):
            out.append(np.where(dens > 0, sums / dens, np.nan))
    return np.vstack(out)


@dataclass(frozen=True)
class LogOdds:
    """Per term: the log-odds ratio ``delta`` (group vs comparison), its variance and z-score."""

    delta: np.ndarray
    variance: np.ndarray
    z: np.ndarray
    p: np.ndarray


def log_odds_dirichlet(
    counts: np.ndarray, other: np.ndarray, prior: np.ndarray | None = None, prior_scale: float = 1.0
) -> LogOdds:
    """Monroe, Colaresi & Quinn (2008), eq. 16 and 20: for term counts ``counts`` (y^i) and
    ``other`` (y^j) and Dirichlet prior ``prior`` (α, default the pooled counts y^i + y^j times
    ``prior_scale``), with n = Σy and α0 = Σα:

        δ_w = log((y^i_w + α_w) / (n^i + α0 − y^i_w − α_w)) − log((y^j_w + α_w) / (n^j + α0 − y^j_w − α_w))
        σ²_w ≈ 1 / (y^i_w + α_w) + 1 / (y^j_w + α_w),   z_w = δ_w / σ_w

    ``p`` is the two-sided normal p-value of z."""
    yi = np.asarray(counts, dtype=float)
    yj = np.asarray(other, dtype=float)
    alpha = (yi + yj) * prior_scale if prior is None else np.asarray(prior, dtype=float)
    a0 = alpha.sum()
    ni, nj = yi.sum(), yj.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        delta = np.log((yi + alpha) / (ni + a0 - yi - alpha)) - np.log((yj + alpha) / (nj + a0 - yj - alpha))
        variance = 1.0 / (yi + alpha) + 1.0 / (yj + alpha)
        z = delta / np.sqrt(variance)
    p = 2 * sps.norm.sf(np.abs(z))
    return LogOdds(delta, variance, z, p)


@dataclass(frozen=True)
class TestResult:
    """One test of difference across groups."""

    test: str
    statistic: float
    df: float | None
    p: float
    effect_name: str
    effect: float
    n: int


def permutation_test(values: np.ndarray, groups: np.ndarray, n_perm: int = 999, seed: int = 0) -> TestResult:
    """Whether the mean of an article-level ``values`` differs across ``groups``: statistic the
    between-group sum of squares SSB = Σ_g n_g (mean_g − mean)², p = (1 + #{SSB_perm ≥ SSB}) /
    (1 + n_perm) over random permutations of the group labels (drawn ``PERM_CHUNK`` at a time, all
    group sums of a chunk in one ``bincount``); effect size η² = SSB / SST."""
    x = np.asarray(values, dtype=float)
    keep = ~np.isnan(x)
    x, labels = x[keep], np.asarray(groups)[keep]
    codes = np.unique(labels, return_inverse=True)[1]
    sizes = np.bincount(codes)
    mean = x.mean() if len(x) else np.nan

    def between(c: np.ndarray) -> float:
        means = np.bincount(c, weights=x, minlength=len(sizes)) / np.maximum(sizes, 1)
        return float((sizes * (means - mean) ** 2).sum())

    observed = between(codes)
    total = float(((x - mean) ** 2).sum())
    rng = np.random.default_rng(seed)
    exceed = 0
    for start in range(0, n_perm, PERM_CHUNK):
        size = min(PERM_CHUNK, n_perm - start)
        shuffled = rng.permuted(np.tile(codes, (size, 1)), axis=1) + len(sizes) * np.arange(size)[:, None]
        sums = np.bincount(shuffled.ravel(), weights=np.tile(x, size), minlength=size * len(sizes))
        means = sums.reshape(size, len(sizes)) / np.maximum(sizes, 1)
        exceed += int(((sizes * (means - mean) ** 2).sum(axis=1) >= observed - 1e-12).sum())
    return TestResult(
        test="permutation (between-group sum of squares)",
        statistic=observed,
        df=float(len(sizes) - 1),
        p=(1 + exceed) / (1 + n_perm),
        effect_name="eta_squared",
        effect=observed / total if total > 0 else 0.0,
        n=len(x),
    )


def chi_square(table: np.ndarray) -> TestResult:
    """Pearson's chi-square test of independence on a groups × outcomes count table (rows or
    columns that are all zero dropped); effect size Cramér's V = sqrt(χ² / (n (min(r, c) − 1)))."""
    counts = np.asarray(table, dtype=float)
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]
    n = counts.sum()
    if min(counts.shape) < 2:
        return TestResult("chi-square", 0.0, 0.0, 1.0, "cramers_v", 0.0, int(n))
    chi2, p, dof, _ = sps.chi2_contingency(counts, correction=False)
    v = float(np.sqrt(chi2 / (n * (min(counts.shape) - 1))))
    return TestResult("chi-square", float(chi2), float(dof), float(p), "cramers_v", v, int(n))


def adjust(p_values: np.ndarray, method: str) -> np.ndarray:
    """Adjusted p-values: ``fdr_bh`` (Benjamini–Hochberg) or ``holm``; NaNs stay NaN."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method=method)[1]
    return out
