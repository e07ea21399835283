"""ℓr-vs-n curves for the ZL claims (one nested, certified sweep per point, with
the dual ray's data per n) and the rows the bespoke ZL claims judge with
:class:`verify.kinds.Checks`.  Finite-size allowances come from theory's own
two-term curve (Eq. 6.1), never from the data: an elbow's window bias is the same
fit on theory's curve at the same n-grid, an exponent's finite-window correction
the slope of theory's curve over the window minus its asymptote.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict

import numpy as np

from numerics.designs import design, spike_design
from numerics.fits import elbow_fit, elbow_over_seeds, loglog_slope
from numerics.sweeps import lp_norm_sweep, lr_norm, sweep_sizes
from theory.norm_scaling import (flat_signal, gaussian_abs_moment, n_star, norm_exponents,
                                 plateau_onset, two_term_norm)
from verify.claims.common import Uncertified
from verify.kinds.elbow import break_row
from verify.kinds.scaling import slope_row

SHEET = "docs/derivations/zhang-louis-norm-scaling.md"
PAPER = "Zhang & Louis 2025 (arXiv:2509.21181)"

#: The designs a sweep point may name: the paper's isotropic Gaussian spike and
#: the three of the ZL-10 exploration (open question of the paper, §Future directions).
DESIGNS = {
    "spike": "isotropic Gaussian X, w⋆ = e₁",
    "anisotropic": "w⋆ = e₁; column variances 1 (spike) and ∝ j^(−1/2) for the bulk columns "
                   "j ≥ 1, normalised to mean 1",
    "correlated": "w⋆ = e₁; Gaussian rows with Toeplitz covariance 0.5^|i−j| (unit variances)",
    "heavy_tailed": "w⋆ = e₁; i.i.d. Student-t entries, 3 degrees of freedom, unit variance",
}


def build_design(name, n, d, sigma, seed):
    """The nested design of ``name`` (see :data:`DESIGNS`) with n rows and d columns."""
    if name == "spike":
        return spike_design(n, d, sigma=sigma, seed=seed)
    w_star = np.zeros(d)
    w_star[0] = 1.0
    if name == "anisotropic":
        bulk = np.arange(1, d, dtype=float) ** -0.5
        return design(n, d, w_star, sigma=sigma, seed=seed,
                      covariance=np.concatenate([[1.0], bulk / bulk.mean()]))
    if name == "correlated":
        lags = np.abs(np.subtract.outer(np.arange(d), np.arange(d)))
        return design(n, d, w_star, sigma=sigma, seed=seed, covariance=0.5 ** lags)
    if name == "heavy_tailed":
        return design(n, d, w_star, sigma=sigma, seed=seed, entries="student_t", df=3.0)
    raise ValueError(f"unknown design {name!r}; one of {', '.join(DESIGNS)}")


def sweep_point(*, p, d, n_min, n_max, count, rs, seed, sigma=0.0, kappa=None,
                design_name="spike"):
    """A sweep point (plain JSON).  Fixed d when ``kappa`` is None; otherwise the
    proportional design d_n = round(κn) on the first d_n of d = κ·n_max columns."""
    return {"kind": "sweep", "design": design_name, "p": p, "d": d, "kappa": kappa,
            "n_min": n_min, "n_max": n_max, "count": count,
            "rs": sorted({float(r) for r in rs}), "sigma": sigma, "seed": seed}


def point_sizes(point):
    """(ns, ds) of a sweep point."""
    ns = sweep_sizes(point["n_min"], point["n_max"], point["count"])
    if point["kappa"] is None:
        return ns, [point["d"]] * len(ns)
    return ns, [int(round(point["kappa"] * n)) for n in ns]


def _ray_data(p, rs):
    """The per-n observer: the dual ray's data ‖Y‖², ‖XᵀY‖_q^q, ‖XᵀY‖_{r(q−1)} (sheet §4.1)."""
    q = p / (p - 1)

    def observe(X, y, solution):
        g = X.T @ y
        top = float(np.max(np.abs(g)))
        return {"Y2": float(y @ y), "G": top ** q * float(np.sum((np.abs(g) / top) ** q)),
                **{f"Gr {r!r}": lr_norm(g, r * (q - 1)) for r in rs}}
    return observe


# Warm starts along the sweep pay from p = 1.2 up; at p = 1.1 the continuation from
# ℓ2 costs less CPU (d = 4000, 16 n to 2000: 7.4 s cold against 9.3 s warm).
WARM_FROM = 1.2


def certified_sweep(X, y, p, ns, rs, what, **options):
    """:func:`numerics.sweeps.lp_norm_sweep` along the nested sizes ``ns``, every step
    certified (else :class:`Uncertified`, naming ``what`` and the n)."""
    sweep = lp_norm_sweep(X, y, p, ns, rs, **options)
    bad = next((step for step in sweep.steps if not step.ok), None)
    if bad is not None:
        raise Uncertified(f"{what}: min_lp_interpolant did not certify at n = {bad.n}: "
                          f"{bad.status}")
    return sweep


def measure_sweep(point):
    """One nested sweep: ‖ŵ‖_r, the spike |ŵ₁| and the bulk ‖ŵ_{Sᶜ}‖_r per n, the
    ray's data per n, and the worst residuals of the certificates; ``value`` is
    ‖ŵ_p‖_p (ZL-3's curve) when p is among the point's r."""
    ns, ds = point_sizes(point)
    data = build_design(point["design"], ns[-1], ds[-1], point["sigma"], point["seed"])
    rs = point["rs"]
    sweep = certified_sweep(data.X, data.y, point["p"], ns, rs, f"p = {point['p']}",
                            support=[0], columns=None if point["kappa"] is None else ds,
                            warm=point["p"] >= WARM_FROM, observe=_ray_data(point["p"], rs))
    steps = sweep.steps
    return {"n": ns, "ds": ds,
            **({"value": sweep.curve(point["p"]).tolist()} if point["p"] in rs else {}),
            "norms": {repr(r): sweep.curve(r).tolist() for r in rs},
            "bulk": {repr(r): sweep.curve(r, "bulk_norms").tolist() for r in rs},
            "ray": {key: [step.observed[key] for step in steps] for key in steps[0].observed},
            "residuals": [max(step.primal_residual for step in steps),
                          max(step.optimality_residual for step in steps)]}


def sweep_identity(point):
    """A sweep point as a shared measurement (``Claim.shares``): ZL claims whose sweeps
    coincide (same design, p, n-grid, r's and seed) solve them once."""
    return {"measurement": "verify.claims.zhang_louis.curves.measure_sweep", **point}


def by_experiment(results):
    """(design, p, d, κ, σ) → (ns, ds, the seeds' measurements in seed order)."""
    groups = defaultdict(list)
    for point, measured in results:
        if point.get("kind") == "sweep":
            key = (point["design"], point["p"], point["d"], point["kappa"], point["sigma"])
            groups[key].append((point["seed"], measured))
    out = {}
    for key, runs in sorted(groups.items(), key=lambda item: str(item[0])):
        runs.sort(key=lambda pair: pair[0])
        out[key] = (np.array(runs[0][1]["n"]), np.array(runs[0][1]["ds"]),
                    [measured for _, measured in runs])
    return out


def key_text(key):
    design_name, p, d, kappa, sigma = key
    shape = f"d = {d}" if kappa is None else f"d = {kappa:g}n"
    return f"p = {p:g}, {shape}, σ = {sigma:g}" + ("" if design_name == "spike" else
                                                   f", {design_name}")


def seed_curves(runs, r, part="norms"):
    """(seeds × n) array of ‖ŵ‖_r (``part``: "norms" or "bulk")."""
    return np.array([run[part][repr(float(r))] for run in runs])


def certificates(results):
    """The worst residuals over every sweep of a claim (for the reason text)."""
    worst = np.max([m["residuals"] for p, m in results if p.get("kind") == "sweep"], axis=0)
    return (f"every solve certified (worst primal residual {worst[0]:.1e}, stationarity "
            f"{worst[1]:.1e}; tolerance 1e-12)")


@functools.cache
def flat(name):
    """theory's prediction ``name`` ("n_star", "two_term", "onset") for w⋆ flat on s
    coordinates (theory.norm_scaling.flat_signal), built once per process."""
    builders = {"n_star": n_star, "two_term": two_term_norm, "onset": plateau_onset}
    return flat_signal(builders[name]())


def theory_n_star(p, d, kappa, sigma):
    """n⋆ of Eq. (3) for w⋆ = e₁: the fixed-d form, or the proportional form at κ."""
    values = flat("n_star").numpy(p=p, d=d, s=1, kappa=kappa or 1.0, sigma=sigma)
    return float(values["fixed_d"] if kappa is None else values["proportional"])


def without_m_q(p, kappa):
    """The factor n⋆ takes when m_q = E|Z|^q is dropped from Eq. (3), as the summary
    prints it: m_q^{−2/q} at fixed d, m_q^{−2/(q−2)} at d = κn."""
    q = p / (p - 1)
    return gaussian_abs_moment().numpy(q) ** (-2 / q if kappa is None else -2 / (q - 2))


def theory_curve(p, r, ns, ds, sigma):
    """The two-term formula (sheet Eq. 6.1) for w⋆ = e₁ at each (n, d_n) of the sweep."""
    values = flat("two_term").numpy(p=p, r=r, n=np.asarray(ns, dtype=float),
                                    d=np.asarray(ds, dtype=float), s=1, sigma=sigma)["norm"]
    return np.broadcast_to(np.asarray(values, dtype=float), (len(ns),)).copy()


def window_bias(p, d, kappa, sigma, ns):
    """|log(n_fit/n⋆)| of the two-segment fit on theory's own curve ‖ŵ_p‖_p at the grid
    ``ns``: the break of a smooth crossover on a finite window sits near, not at, n⋆."""
    grid = np.asarray(ns, dtype=float)
    widths = [d] * grid.size if kappa is None else kappa * grid
    fit = elbow_fit(grid, theory_curve(p, p, grid, widths, sigma)).breakpoint
    return abs(math.log(fit / theory_n_star(p, d, kappa, sigma)))


# Crossovers are smooth: a regime's window starts a factor 3 past the crossover
# that opens it and ends a factor 3 before the one that closes it.
WINDOW_MARGIN = 3.0


def elbow_testable(ns, predicted):
    """An elbow is judged when it lies a factor WINDOW_MARGIN inside the n-range."""
    return WINDOW_MARGIN * ns[0] <= predicted <= ns[-1] / WINDOW_MARGIN


def regimes(p, r, d, kappa, ns, sigma=0.0, r_star=None):
    """(regime, window, asymptotic exponent) of ‖ŵ_p‖_r for w⋆ = e₁, from theory's
    crossovers n⋆ and n_r (sheet §6.5): fixed d — bulk [n_min, n⋆/3] (1/2), window
    [3n⋆, n_r/3] (−1/(2(p−1))), plateau [3·max(n⋆, n_r), n_max] (0); d = κn — bulk
    [n_min, n⋆/3] (1/r − 1/2), spike [3n⋆, n_max] (max(1/r − 1/r⋆, 0)); ``r_star``
    replaces r⋆ = 2(p−1) in the spike exponent (a competing threshold)."""
    values = norm_exponents().numpy(p=p, r=r)
    star, m = theory_n_star(p, d, kappa, sigma), WINDOW_MARGIN
    if kappa is None:
        onset = float(flat("onset").numpy(p=p, r=r, d=d, s=1, sigma=sigma))
        return [("bulk", (ns[0], star / m), float(values["bulk_fixed_d"])),
                ("window", (m * star, onset / m), float(values["window_fixed_d"])),
                ("plateau", (m * max(star, onset), ns[-1]), float(values["plateau"]))]
    spike = (float(values["spike_proportional"]) if r_star is None
             else max(1 / r - 1 / r_star, 0.0))
    return [("bulk", (ns[0], star / m), float(values["bulk_proportional"])),
            ("spike", (m * star, ns[-1]), spike)]


# Bootstrap replicates over seeds for an elbow's interval: the percentile
# interval's Monte-Carlo error is a few per cent of its width (~1/√200).
REPLICATES = 200


def law_rows(key, ns, ds, runs, rs, elbow_at, alternative_star, alt_p=None, **columns):
    """On one experiment's sweeps: the elbow of ‖ŵ_p‖_p where testable, by the Elbow
    kind's rule widened by theory's window bias, against n⋆ and ``alternative_star(n⋆)``
    (as ZL-3), then the regime rows of every r in ``rs`` (as ZL-4)."""
    name, p, d, kappa, sigma = key
    star = theory_n_star(p, d, kappa, sigma)
    rows = ([break_row(elbow_at, elbow_over_seeds(ns, seed_curves(runs, p),
                                                  replicates=REPLICATES),
                       star, alternative_star(star),
                       math.exp(window_bias(p, d, kappa, sigma, ns)), **columns)]
            if elbow_testable(ns, star) else [])
    return rows + [row for r in rs for row in regime_rows(key, ns, ds, runs, r, alt_p=alt_p)]


def slopes_over(ns, curves, keep):
    """The log-log slope of each curve (a seed's) over the n where ``keep``."""
    return [loglog_slope(ns[keep], c[keep]).slope for c in curves]


def regime_rows(key, ns, ds, runs, r, r_star=None, alt_p=None):
    """The exponent rows of ‖ŵ_p‖_r in every regime whose window holds four n, by the
    ScalingLaw kind's rule with theory's finite-window correction (the slope of Eq. 6.1
    over the window minus the asymptotic exponent); the alternative is the regime's
    exponent under the competing threshold ``r_star`` or at the competing exponent
    ``alt_p`` (neither: the prediction itself)."""
    name, p, d, kappa, sigma = key
    theory = theory_curve(p, r, ns, ds, sigma)
    alternatives = {regime: e for regime, _, e in regimes(alt_p or p, r, d, kappa, ns, sigma,
                                                          r_star)}
    rows = []
    for regime, window, exponent in regimes(p, r, d, kappa, ns, sigma):
        keep = (ns >= window[0]) & (ns <= window[1])
        if keep.sum() >= 4:
            rows.append(slope_row(
                f"{key_text(key)}, r = {r:g}, {regime}", slopes_over(ns, seed_curves(runs, r),
                                                                     keep),
                exponent, alternatives[regime],
                correction=abs(loglog_slope(ns[keep], theory[keep]).slope - exponent),
                window=[int(ns[keep][0]), int(ns[keep][-1])], design=name, p=p, r=r,
                regime=regime))
    return rows


def mean_curve(curves):
    """The geometric mean over seeds (rows) of positive curves."""
    return np.exp(np.log(np.asarray(curves, dtype=float)).mean(axis=0))


def sweep_curves(results, r=None):
    """The figure's curves per experiment: the seeds' geometric mean of ‖ŵ_p‖_r (r = p
    unless given) and theory's two-term curve (Eq. 6.1)."""
    return [(key_text(key), ns, mean_curve(seed_curves(runs, r or key[1])),
             theory_curve(key[1], r or key[1], ns, ds, key[4]))
            for key, (ns, ds, runs) in by_experiment(results).items()]


def braces(values):
    """A set of values as the conventions print it: ``{1.1, 1.5, 1.9}``."""
    return "{" + ", ".join(f"{value:g}" for value in values) + "}"


def sizes_text(sizes, describe):
    """The conventions' sizes, from the one dict per claim where they are declared:
    ``quick: …; full: …`` with ``describe(grid)`` for each size."""
    return "; ".join(f"{size}: {describe(grid)}" for size, grid in sizes.items()) + "."
