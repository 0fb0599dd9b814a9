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

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests

BOOT_CHUNK = 100
PERM_CHUNK = 100


def bootstrap_ratio(
    numerators: np.ndarray | sparse.spmatrix,
    denominators: np.ndarray,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each column ``k`` of ``numerators`` (rows = articles): ``sum(num[:, k]) / sum(den)``,
    and the ``level`` percentile interval over ``n_boot`` resamples of the articles (drawn with
    replacement, as many as there are; a resample whose denominator is 0 is skipped). Resamples are
    drawn in chunks, so memory stays bounded by ``BOOT_CHUNK`` × articles whatever ``n_boot`` is.
    ``seed`` makes the interval reproducible."""
    num = sparse.csr_matrix(numerators) if sparse.issparse(numerators) else np.asarray(numerators, float)
    if num.ndim == 1:
        num = num.reshape(-1, 1)
    den = np.asarray(denominators, dtype=float)
    n = den.shape[0]
    total = den.sum()
    estimate = np.asarray(num.sum(axis=0)).ravel() / total if total else np.full(num.shape[1], np.nan)
    if n == 0 or n_boot < 1:
        nan = np.full(num.shape[1], np.nan)
        return estimate, nan, nan
    rng = np.random.default_rng(seed)
    draws: list[np.ndarray] = []
    for start in range(0, n_boot, BOOT_CHUNK):
        size = min(BOOT_CHUNK, n_boot - start)
        draws_of = rng.integers(0, n, size=(size, n)) + n * np.arange(size)[:, None]
        weights = np.bincount(draws_of.ravel(), minlength=size * n).reshape(size, n).astype(float)
        sums = np.asarray((num.T @ weights.T).T) if sparse.issparse(num) else weights @ num
        dens = weights @ den
        kept = dens > 0
        draws.append(sums[kept] / dens[kept][:, None])
    samples = np.vstack(draws)
    if not len(samples):
        nan = np.full(num.shape[1], np.nan)
        return estimate, nan, nan
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(samples, [tail, 100 - tail], axis=0)
    return estimate, low, high


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
