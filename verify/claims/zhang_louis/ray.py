"""Claims ZL-1, ZL-2, ZL-5 of Zhang & Louis (2025): the dual of min-ℓp
interpolation, its dual ray and the ray's spike/bulk split, and the single-spike
closed forms (designs: :data:`DESIGNS`)."""

from __future__ import annotations

import functools
import math

import numpy as np
import scipy.optimize
from scipy.special import chdtri

from numerics import min_lp_interpolant
from numerics.designs import spike_design
from numerics.fits import loglog_slope
from numerics.sweeps import lr_norm
from theory.norm_scaling import (flat_signal, gaussian_abs_moment, lp_dual, norm_exponents,
                                 r_star, ray_scale, ray_split, single_spike)
from verify.claim import AuditSpec
from verify.claims.common import certified
from verify.kinds import Checks, Row
from verify.kinds.scaling import slope_row

from .curves import PAPER, SHEET, braces, certified_sweep, sizes_text, slopes_over

EPS = float(np.finfo(np.float64).eps)
DESIGNS = ("Designs (numerics.designs.spike_design): X with i.i.d. N(0, 1) entries, w⋆ = e₁, "
           "y = Xw⋆ + σε; a seed's designs are nested in n (the first n rows of one draw). Exact "
           "interpolants: numerics.min_lp_interpolant (dual Newton, certified to 1e-12).")


def design_of(point):
    """The point's single-spike design with n = point["n"] rows, or with max(point["ns"])
    rows for a sweep (nested in n for a fixed seed)."""
    n = point["n"] if "n" in point else max(point["ns"])
    return spike_design(n, point["d"], sigma=point["sigma"], seed=point["seed"])


def norms_along(D, p, ns, rs, what):
    """Warm-started exact ‖ŵ_p‖_r along the nested sizes ``ns`` of design D."""
    sweep = certified_sweep(D.X, D.y, p, ns, rs, what)
    return {str(r): sweep.curve(r).tolist() for r in rs}


# =============================================================================
# ZL-1: dual, KKT map, norm identity, duality gap
# =============================================================================
# Bespoke: identities on one certified solve with tolerances propagated from its own
# certificate (a Formula compares a closed form of the point alone).

ZL1_RS = (1.0, 1.25, 1.5, 1.75, 2.0)    # norms checked (r ∈ [1, 2] ⊇ [1, p])
WRONG_P = 0.05                          # the alternative: the dual of the ℓ_{p+1/20} problem
_dual = functools.cache(lp_dual)


ZL1 = {"quick": {"ps": (1.1, 1.5, 1.9), "n": 30, "d": 150, "seeds": 2},
       "full": {"ps": (1.1, 1.3, 1.5, 1.7, 1.9), "n": 200, "d": 1000, "seeds": 3}}


def zl1_points(size):
    grid = ZL1[size]
    return [{"p": p, "n": grid["n"], "d": grid["d"], "sigma": 0.5, "seed": seed}
            for p in grid["ps"] for seed in range(grid["seeds"])]


def zl1_measure(point):
    """The exact interpolant ŵ, its dual vector λ⋆ and its certificate."""
    D = design_of(point)
    solution = min_lp_interpolant(D.X, D.y, point["p"])
    return {"w": certified(solution, f"min-ℓp at {point}"), "dual": solution.dual,
            "tolerance": solution.certificate.tolerance}


def zl1_checks(point, measured, p):
    """(check, deviation, tolerance) of theory's dual at exponent ``p`` against the
    exact solution of the point's problem; each tolerance from its certificate.

    With z = Xᵀλ and c = |X|ᵀ|λ|, the solver certifies |φ⁻¹(ŵᵢ) − zᵢ| ≤ ε·cᵢ
    (its stationarity residual ε ≤ tol).  Recomputing z here adds ≤ n·eps·cᵢ
    of rounding, so the KKT row is held to ε_K = tol + 4n·eps.  Propagated to
    first order through w = φ(z) (|φ′(z)| = (q−1)|z|^{q−2}): the norm identity
    is held to ‖(q−1)|z|^{q−2}ε_K c‖_r/‖ŵ‖_r + 4d·eps, and the duality gap
    P − D = ⟨Xŵ − y, λ⟩ + Σ[ψ(ŵᵢ) + ψ*(zᵢ) − ŵᵢzᵢ] to (‖Xŵ − y‖‖λ‖ + ½(q−1)
    Σ|z|^{q−2}(ε_K c)² + 4d·eps·(|⟨y,λ⟩| + Σψ*))/P.
    """
    dual, q, D = _dual(), point["p"] / (point["p"] - 1), design_of(point)
    w, lam = np.asarray(measured["w"]), np.asarray(measured["dual"])
    z, c = D.X.T @ lam, np.abs(D.X).T @ np.abs(lam)
    eps_k = measured["tolerance"] + 4 * point["n"] * EPS
    link = dual.part("inverse_link").numpy(z=w, p=p, r=1.0)
    yield "KKT map", float(np.max(np.abs(link - z) / c)), eps_k
    for r in ZL1_RS:
        parts = dual.numpy(z=z, p=p, r=r)
        predicted = np.sum(np.abs(z) ** parts["r_norm_order"]) ** (
            parts["r_norm_power"] / parts["r_norm_order"])
        direct = np.sum(np.abs(w) ** r) ** (1 / r)
        slack = (q - 1) * np.abs(z) ** (q - 2) * eps_k * c
        yield (f"‖ŵ‖_r identity, r = {r:g}", float(abs(direct - predicted) / direct),
               float(np.sum(slack ** r) ** (1 / r) / direct + 4 * point["d"] * EPS))
    conj = np.sum(dual.part("conjugate").numpy(z=z, p=p, r=1.0))
    primal = np.sum(np.abs(w) ** p) / p
    bound = (np.linalg.norm(D.X @ w - D.y) * np.linalg.norm(lam)
             + 0.5 * (q - 1) * np.sum(np.abs(z) ** (q - 2) * (eps_k * c) ** 2)
             + 4 * point["d"] * EPS * (abs(float(D.y @ lam)) + conj))
    yield ("duality gap (P − D)/P", float(abs(primal - float(D.y @ lam) + conj) / primal),
           float(bound / primal))


def zl1_rows(results):
    rows = []
    for point, measured in results:
        alternative = zl1_checks(point, measured, point["p"] + WRONG_P)
        for (check, deviation, tolerance), (_, other, _) in zip(
                zl1_checks(point, measured, point["p"]), alternative):
            rows.append(Row(f"{check}, p = {point['p']:g}, seed {point['seed']}", deviation,
                            tolerance, other, columns={"check": check, "p": point["p"]}))
    return rows, []


def zl1_measurement(rows, results):
    worst = {check: max(r.deviation / r.tolerance for r in rows if r.columns["check"] == check)
             for check in dict.fromkeys(r.columns["check"] for r in rows)}
    return (f"{len(results)} exact interpolants: worst deviation/tolerance "
            f"{max(worst.values()):.3g} (KKT map {worst['KKT map']:.2g}, duality gap "
            f"{worst['duality gap (P − D)/P']:.2g})")


# =============================================================================
# ZL-2: the dual ray, its t⋆ and the spike/bulk split of ‖XᵀY‖_q^q
# =============================================================================
# Bespoke: identities per design plus a spread test over seeds of each Eq. (1) term;
# no kind compares a dispersion with its predicted size.

RAY_RS = (1.0, 1.25, 1.5)
# The ray dual D(tY) is maximised over log t by bounded Brent iterations on function
# values: a maximiser is then located to ~√eps relative (the value is flat to second
# order there), so 1e-7 holds the closed form t⋆ with margin above √eps ≈ 1.5e-8.
T_STAR_TOLERANCE = 1e-7
FAMILY_LEVEL = 0.01            # family-wise false-alarm rate of the concentration rows
EXACT_SEEDS = 4


def zl2_point(p, ns, d, seed, exact=True):
    """One seed's nested n-sweep of the ray data (and of the exact interpolant if ``exact``)."""
    return {"kind": "ray", "p": p, "ns": list(ns), "d": d, "sigma": 0.0, "seed": seed,
            "exact": exact}


# Concentration needs many seeds, the ray-vs-exact gap a few (EXACT_SEEDS).
ZL2 = {"quick": {"ps": (1.5,), "ns": (40, 80, 160, 320), "d": 1000, "seeds": 12},
       "full": {"ps": (1.5, 1.9), "ns": (50, 100, 200, 400, 800, 1600), "d": 4000, "seeds": 16}}


def zl2_points(size):
    grid = ZL2[size]
    return [zl2_point(p, grid["ns"], grid["d"], seed, exact=seed < EXACT_SEEDS)
            for p in grid["ps"] for seed in range(grid["seeds"])]


def ray_argmax(Y2, G, q):
    """argmax_t D(tY) = tY2 − t^q G/q by bounded Brent in log t (numerics only: no formula)."""
    def negative(log_t):
        t = math.exp(log_t)
        return -(t * Y2 - t ** q * G / q)

    # D(tY) > 0 between 0 and its root t₀ = (qY2/G)^{1/(q−1)}: the maximiser is inside
    top = math.log(q * Y2 / G) / (q - 1)
    result = scipy.optimize.minimize_scalar(negative, bounds=(top - 60, top), method="bounded",
                                            options={"xatol": 1e-12})
    return math.exp(result.x)


def ray_data(D, p):
    """‖Y‖², the spike and bulk sums of ‖XᵀY‖_q^q, the numeric argmax of the ray dual
    and the ray point's norms, for one design."""
    q = p / (p - 1)
    g = D.X.T @ D.y
    support = D.w_star != 0
    power = np.abs(g) ** q
    Y2, G = float(D.y @ D.y), float(np.sum(power))
    t = ray_argmax(Y2, G, q)
    ray = np.sign(g) * np.abs(t * g) ** (q - 1)
    return {"n": D.n, "Y2": Y2, "G": G, "spike": float(np.sum(power[support])),
            "bulk": float(np.sum(power[~support])), "t_numeric": t,
            "Gr": {str(r): lr_norm(g, r * (q - 1)) for r in RAY_RS},
            "ray_norms": {str(r): lr_norm(ray, r) for r in RAY_RS}}


def zl2_measure(point):
    """The ray data at each n of the seed's nested sweep; with ``exact``, the exact
    interpolants' norms along the same sweep (warm-started)."""
    D = design_of(point)
    steps = [ray_data(D.rows(n), point["p"]) for n in point["ns"]]
    if point["exact"]:
        exact = norms_along(D, point["p"], point["ns"], RAY_RS, f"min-ℓp sweep at {point}")
        for index, step in enumerate(steps):
            step["exact_norms"] = {r: values[index] for r, values in exact.items()}
    return {"steps": steps}


def _per_n(results):
    """(point at one n, that n's measurement) pairs from the sweeps' results."""
    return [({**point, "n": step["n"]}, step) for point, measured in results
            for step in measured["steps"]]


def _identity_rows(results):
    """t⋆ and the ray norm (4.1), the worst seed per (check, p, n); the alternative t⋆
    has exponent 1/q in place of 1/(q−1)."""
    ray, worst = ray_scale(), {}
    for point, m in _per_n(results):
        p, n = point["p"], point["n"]
        t_star = ray.part("t_star").numpy(p=p, r=1.0, Y2=m["Y2"], G=m["G"], Gr=1.0)
        t_alt = (m["Y2"] / m["G"]) ** ((p - 1) / p)
        checks = [("t⋆ = argmax of the ray dual", abs(t_star / m["t_numeric"] - 1),
                   T_STAR_TOLERANCE, abs(t_alt / m["t_numeric"] - 1))]
        # (4.1) against φ(t·g) at the numeric t, whose error enters to the power q − 1
        checks += [(f"ray norm (4.1), r = {r:g}", abs(ray.part("ray_norm_r").numpy(
            p=p, r=r, Y2=m["Y2"], G=m["G"], Gr=m["Gr"][str(r)]) / m["ray_norms"][str(r)] - 1),
            T_STAR_TOLERANCE / (p - 1), None) for r in RAY_RS]
        for check, deviation, tolerance, other in checks:
            key = (check, p, n)
            if key not in worst or deviation > worst[key].deviation:
                worst[key] = Row(f"{check}: p = {p:g}, n = {n}, worst seed", float(deviation),
                                 tolerance, None if other is None else float(other),
                                 columns={"check": check})
    return list(worst.values())


def _groups(results):
    """(p, n, d) → the seeds' measurements at that n."""
    groups = {}
    for point, m in _per_n(results):
        groups.setdefault((point["p"], point["n"], point["d"]), []).append(m)
    return sorted(groups.items())


def zl2_rows(results):
    split, groups, rows = flat_signal(ray_split()), _groups(results), _identity_rows(results)
    for (p, n, d), ms in groups:
        q, k = p / (p - 1), len(ms)
        pred = split.numpy(p=p, n=n, d=d, s=1, sigma=0.0)
        m_q = gaussian_abs_moment().numpy(q)
        lo, hi = chdtri(k, 1 - FAMILY_LEVEL / (6 * len(groups))) / k, \
            chdtri(k, FAMILY_LEVEL / (6 * len(groups))) / k
        # relative deviation of each term from its Eq. (1) value; the bulk at the measured
        # ‖Y‖ (g_j | Y ~ N(0, ‖Y‖²) exactly), the others unconditionally; the spike is
        # |1 + ε|^q with ε of sd s = spike_rel_sd/q: second-order bias q(q−1)s²/2
        bulk = [m["bulk"] / ((d - 1) * m["Y2"] ** (q / 2)) for m in ms]
        terms = {"label ‖Y‖² vs nτ²": ([m["Y2"] / pred["label"] - 1 for m in ms], None,
                                       pred["label_rel_sd"], 0.0),
                 "bulk vs (d−s)m_q‖Y‖^q": ([b / m_q - 1 for b in bulk], [b - 1 for b in bulk],
                                           pred["bulk_rel_sd"], 0.0),
                 "spike vs n^q W": ([m["spike"] / pred["spike"] - 1 for m in ms], None,
                                    pred["spike_rel_sd"],
                                    q * (q - 1) * (pred["spike_rel_sd"] / q) ** 2 / 2)}
        for term, (values, without, sd, bias) in terms.items():
            expected = math.hypot(sd, bias)

            def log_ratio(xs):
                return math.log(math.sqrt(np.mean(np.square(xs))) / expected)
            ratio = log_ratio(values)
            bound = float(0.5 * math.log(hi) if ratio > 0 else -0.5 * math.log(lo))
            rows.append(Row(f"concentration: {term}, p = {p:g}, n = {n}, d = {d}, {k} seeds",
                            abs(ratio), bound, None if without is None else abs(log_ratio(without)),
                            columns={"check": term, "p": p, "n": n, "RMS/predicted":
                                     math.exp(ratio)}))
    return rows, []


def zl2_gaps(results):
    """The ray-vs-exact gaps (reported, not judged): seed mean of |‖w_ray‖_r/‖ŵ‖_r − 1|."""
    gaps = []
    for (p, n, d), ms in _groups(results):
        for r in RAY_RS:
            pairs = [(m["ray_norms"][str(r)], m["exact_norms"][str(r)]) for m in ms
                     if "exact_norms" in m]
            if pairs:
                gaps.append({"check": f"ray vs exact (reported), r = {r:g}", "at": f"n/d = "
                             f"{n / d:.3g}", "p": p, "n/d": n / d, "r": r,
                             "gap": float(np.mean([abs(a / b - 1) for a, b in pairs]))})
    return gaps


def zl2_measurement(rows, results):
    gaps = zl2_gaps(results)
    worst_t = max(r.deviation for r in rows if r.columns["check"].startswith("t⋆"))
    spread = max((r for r in rows if "RMS/predicted" in r.columns),
                 key=lambda r: r.deviation / r.tolerance)
    top = max((g["n/d"] for g in gaps), default=None)
    return (f"t⋆: worst |closed form/numeric argmax − 1| = {worst_t:.2g}; "
            f"concentration: worst RMS/predicted = {spread.columns['RMS/predicted']:.3g} "
            f"({spread.at})" + (f"; ray vs exact at n/d = {top:.2g}: mean gap "
                                f"{max(g['gap'] for g in gaps if g['n/d'] == top):.3g} "
                                "(reported, audited along d/n)" if gaps else ""))


def zl2_curves(results):
    gaps = zl2_gaps(results)
    return [(f"r = {r:g}: |‖w_ray‖_r/‖ŵ‖_r − 1|", [g["n/d"] for g in gaps if g["r"] == r],
             [max(g["gap"], 1e-6) for g in gaps if g["r"] == r], None) for r in RAY_RS]


# The audit stays in one regime: at p = 1.9, n = 50 is far below n⋆ ≈ ((d−1)m_q)^{2/q}
# (157 at d = 200, growing with d) on every rung, so only d/n changes.  (At p = 1.5 the
# ladder would cross the elbow, where the ray's error changes sign.)
AUDIT_N, AUDIT_P = 50, 1.9


def zl2_audit_deviation(results):
    """Mean over seeds of |‖w_ray‖₁/‖ŵ‖₁ − 1| (r = 1: the ray's largest error)."""
    return float(np.mean([abs(m["ray_norms"]["1.0"] / m["exact_norms"]["1.0"] - 1)
                          for _, m in _per_n(results)]))


# =============================================================================
# ZL-5: single spike, Eqs. (9)–(10)
# =============================================================================
# Bespoke: one nested sweep per seed serves every r of a panel (a ScalingLaw would
# re-measure it per r), plus an ordering across r.

ZL5 = {"quick": {"bulk": {"p": 1.9, "sigma": 0.5, "d": 1000, "rs": (1.1, 1.5, 1.9),
                          "ns": (25, 50, 100, 200), "seeds": 6},
                 "spike": {"p": 1.5, "sigma": 0.0, "d": 1000, "rs": (1.0, 1.25, 1.5),
                           "ns": (20, 40, 80, 160, 320, 500), "plateau_from": 320, "seeds": 6}},
       "full": {"bulk": {"p": 1.9, "sigma": 0.5, "d": 8000, "rs": (1.1, 1.5, 1.9),
                         "ns": (25, 50, 100, 200, 400, 800, 1600), "seeds": 8},
                "spike": {"p": 1.5, "sigma": 0.0, "d": 4000, "rs": (1.0, 1.25, 1.5),
                          "ns": (40, 80, 160, 320, 640, 1280, 2000), "plateau_from": 1280,
                          "seeds": 8}},
       # Zhang & Louis's own size, d = 5·10⁴, n ≤ 5000; the spike panel at p = 1.3, whose
       # n⋆ ≈ 270 leaves a decade of n past it (p = 1.5's n⋆ ≈ 1850 leaves too little)
       "paper": {"bulk": {"p": 1.9, "sigma": 0.5, "d": 50_000, "rs": (1.1, 1.5, 1.9),
                          "ns": (25, 50, 100, 200, 400, 800, 1600, 3200, 5000), "seeds": 4},
                 "spike": {"p": 1.3, "sigma": 0.0, "d": 50_000, "rs": (1.0, 1.15, 1.3),
                           "ns": (40, 80, 160, 320, 640, 1280, 2560, 5000), "plateau_from": 1280,
                           "seeds": 4}}}
# A plateau is judged where the two-term formula's own log-slope over the top n-range is
# within ±0.1 of 0 (the theory says "flat" there, to a tenth of the bulk side's 1/2).
PLATEAU_SLOPE = 0.1
# How far the n-range is scaled to sample the two-term formula deep in each regime:
# there the neglected term's share is below 1e-6.
DEEP = {"bulk": 1e-12, "spike": 1e12}


def zl5_points(size):
    """One point per (panel, seed): a nested n-sweep of one design."""
    return [{"panel": name, "p": panel["p"], "ns": list(panel["ns"]), "d": panel["d"],
             "sigma": panel["sigma"], "seed": seed, "rs": list(panel["rs"]),
             "plateau_from": panel.get("plateau_from", 0)}
            for name, panel in ZL5[size].items() for seed in range(panel["seeds"])]


def zl5_measure(point):
    """‖ŵ_p‖_r of the exact interpolants along the seed's nested sweep (warm-started)."""
    return {"norms": norms_along(design_of(point), point["p"], point["ns"], point["rs"],
                                 f"min-ℓp sweep at {point}")}


def _panel_slope(panel, r, ns, scale):
    """The two-term formula's (6.1) log-log slope over ``ns`` scaled by ``scale``."""
    curve = single_spike().part("two_term")
    return loglog_slope(ns, [curve.numpy(p=panel["p"], r=r, n=n * scale, d=panel["d"],
                                         sigma=panel["sigma"]) for n in ns]).slope


def zl5_rows(results):
    rows, notes, ordering = [], [], 0.0
    exponents = norm_exponents()
    for name in ("bulk", "spike"):
        runs = sorted(((p, m) for p, m in results if p["panel"] == name),
                      key=lambda pm: pm[0]["seed"])
        panel = runs[0][0]
        ns = np.array(panel["ns"], dtype=float)
        table = {r: np.array([m["norms"][str(r)] for _, m in runs]) for r in panel["rs"]}
        ordering = max([ordering] + [float(np.max(b / a - 1)) for a, b in
                                     zip(table.values(), list(table.values())[1:])])
        p, star = panel["p"], float(r_star().numpy(p=panel["p"]))
        for r in panel["rs"]:
            e = exponents.numpy(p=p, r=r)
            keep = ns >= panel["plateau_from"]
            in_range = _panel_slope(panel, r, ns[keep], 1.0)
            correction = abs(in_range - _panel_slope(panel, r, ns[keep], DEEP[name]))
            if name == "bulk":
                claim = ("bulk side: ‖ŵ‖_r ∝ n^(1/2) (Eq. 9)", float(e["bulk_fixed_d"]),
                         float(e["bulk_proportional"]))
            else:
                claim = ("spike side: plateau for r > r⋆ (Eq. 10)", float(e["plateau"]),
                         1 / r - 1 / star)
            row = slope_row(f"{claim[0]}, p = {p:g}, r = {r:g}",
                            slopes_over(ns, table[r], keep), claim[1], claim[2],
                            correction=correction, p=p, r=r)
            # at fixed d the plateau starts after max(n⋆, n_r), n_r ∝ d^{r⋆/r} (sheet §6.4):
            # judged where theory's own curve is flat over the top n-range, for r > r⋆
            if name == "bulk" or (r > star and abs(in_range) <= PLATEAU_SLOPE):
                rows.append(row)
            else:
                notes.append(f"spike side, r = {r:g} (r⋆ = {star:g}; reported: "
                             f"{'no plateau claimed' if r <= star else '(6.1) not yet flat'}): "
                             f"slope {row.columns['slope (mean)']:.3f} ± "
                             f"{row.columns['95 % CI ±']:.3f}")
    rows.append(Row("ordering: ‖ŵ‖_r non-increasing in r, every n and seed", max(ordering, 0.0),
                    1e-12, columns={"check": "ordering"}))
    return rows, notes


def zl5_measurement(rows, results):
    return "exact ‖ŵ_p‖_r slopes, " + "; ".join(
        f"{r.at}: {r.columns['slope (mean)']:.3f} ± {r.columns['95 % CI ±']:.3f}" for r in rows
        if "slope (mean)" in r.columns)


def zl5_curves(results):
    two_term = single_spike().part("two_term")
    return [(f"{point['panel']}, p = {point['p']:g}, r = {float(r):g}", point["ns"], values,
             two_term.numpy(p=point["p"], r=float(r), n=np.array(point["ns"], dtype=float),
                            d=point["d"], sigma=point["sigma"]))
            for point, m in results if point["seed"] == 0 for r, values in m["norms"].items()]


# =============================================================================
# The claims
# =============================================================================

ZL1_CHECKS = Checks(
    id="ZL-1", title="the dual of min-ℓp interpolation and its KKT map",
    statement="ŵ_p = argmin ‖w‖_p s.t. Xw = Y has the dual max_λ ⟨Y,λ⟩ − ‖Xᵀλ‖_q^q/q "
              "(q = p/(p−1)) with zero duality gap, the KKT map ŵ = sgn(z)|z|^{q−1}, "
              "z = Xᵀλ⋆, and hence ‖ŵ‖_r = ‖Xᵀλ⋆‖_{r(q−1)}^{q−1} for every r.",
    source=f"{PAPER}, §3 (setup, dual and KKT map, via the moonlight review); {SHEET} §1.3, §3",
    fidelity="paper", derivation=lp_dual().derivation,
    conventions=f"{DESIGNS} σ = 0.5; r ∈ {braces(ZL1_RS)}. " + sizes_text(
        ZL1, lambda g: f"n = {g['n']}, d = {g['d']}, p ∈ {braces(g['ps'])}, {g['seeds']} seeds"),
    points=zl1_points, measure=zl1_measure, rows=zl1_rows, measurement=zl1_measurement,
    prediction="D(λ) = ⟨Y,λ⟩ − ‖Xᵀλ‖_q^q/q, ŵ = sgn(z)|z|^(q−1), ‖ŵ‖_r = ‖Xᵀλ‖_(r(q−1))^(q−1), "
               "zero duality gap",
    reason="each row is held to a bound derived from the solver's certificate (stationarity "
           "residual ≤ tol = 1e-12 relative to |X|ᵀ|λ|, plus 4n·eps for recomputing Xᵀλ), "
           "propagated to first order through the KKT map for the norm identity and to second "
           "order (Fenchel–Young) plus ‖Xŵ − y‖‖λ‖ for the duality gap",
    alternative=f"the dual and KKT map of the neighbouring problem, p + {WRONG_P:g}")

ZL2_CHECKS = Checks(
    id="ZL-2", title="the dual ray: t⋆ and the spike + bulk split of ‖XᵀY‖_q^q (Eq. 1)",
    statement="On the ray λ = tY the dual is maximised at t⋆ = (‖Y‖²/‖XᵀY‖_q^q)^{1/(q−1)}; "
              "‖XᵀY‖_q^q splits into a spike n^q‖w⋆‖_q^q, a bulk (d−s)m_q τ^q n^{q/2} "
              "(m_q = E|Z|^q, τ² = ‖w⋆‖² + σ²) and a remainder of lower order; the ray's point "
              "approximates the exact interpolant, with an error that vanishes as n/d → 0.",
    source=f"{PAPER}, §3.1, Eq. (1) (form per the summary); {SHEET} §4",
    fidelity="reconstructed", derivation=f"{ray_scale().derivation}\n\n{ray_split().derivation}",
    conventions=f"{DESIGNS} σ = 0 (the ray's O(√(n/d)) claim is the noiseless one; noise is "
                "ZL-6). " + sizes_text(ZL2, lambda g: f"p ∈ {braces(g['ps'])}, d = {g['d']}, "
                                                 f"n ∈ {braces(g['ns'])}, {g['seeds']} seeds")
                + f" The exact interpolant for the first {EXACT_SEEDS} seeds. The remainder's "
                "size is judged through the spread of each term over seeds; the ray-vs-exact gap "
                f"is reported and audited along d/n at n = {AUDIT_N}.",
    points=zl2_points, measure=zl2_measure, rows=zl2_rows, measurement=zl2_measurement,
    reported=zl2_gaps, curves=zl2_curves, xlabel="n/d",
    prediction="t⋆ = (‖Y‖²/‖XᵀY‖_q^q)^(1/(q−1)); ‖XᵀY‖_q^q ≈ n^q W + (d−s) m_q τ^q n^(q/2), "
               "‖Y‖² ≈ nτ²",
    reason=f"t⋆ rows: {T_STAR_TOLERANCE:g}, the resolution of a maximiser located from function "
           "values (√eps) with margin; (4.1) at that numeric t: (q − 1) times it. Concentration "
           "rows: over k seeds the RMS relative deviation of each Eq. (1) term must match its "
           "predicted spread (χ²_n for ‖Y‖², the bulk at the measured ‖Y‖, delta method with its "
           "second-order bias for the spike), held to the χ²_k band at family-wise level "
           f"{FAMILY_LEVEL:g} as |log(RMS/predicted)|. The ray-vs-exact gap is reported and "
           "audited (O(√(n/d)) by Stein's lemma, not a tolerance)",
    alternative="Eq. (1) without m_q (as the summary prints Eq. 3) and t⋆ with exponent 1/q",
    audit_spec=AuditSpec(parameter="d/n", quantity=f"|‖w_ray‖₁/‖ŵ_p‖₁ − 1|, p = {AUDIT_P:g}, "
                                                   f"n = {AUDIT_N} (bulk regime), noiseless "
                                                   "spike (mean of 3 seeds)",
                         ladder=lambda size: [4.0, 8.0, 16.0, 32.0] + (
                             [] if size == "quick" else [64.0, 128.0]),
                         points=lambda ratio: [zl2_point(AUDIT_P, (AUDIT_N,), int(round(
                             ratio * AUDIT_N)), seed) for seed in range(3)],
                         deviation=zl2_audit_deviation))

ZL5_CHECKS = Checks(
    id="ZL-5", title="single spike: bulk panels ∝ n^{1/2}, plateaus for r > r⋆ (Cor. 4.1)",
    statement="For w⋆ = e₁ the exact ‖ŵ_p‖_r are ordered in r; in the bulk regime (n ≪ n⋆) they "
              "rise like n^{1/2} for every r (Eq. 9), and on the spike side they plateau for "
              "r > r⋆ = 2(p−1) (Eq. 10).",
    source=f"{PAPER}, Cor. 4.1, Eqs. (9)–(10) and the figure caption; {SHEET} §7",
    fidelity="reconstructed",
    derivation=f"{single_spike().derivation}\n\n{norm_exponents().derivation}",
    conventions=f"{DESIGNS} Bulk panel: σ = 0.5 (the code README's setting), all n < n⋆; spike "
                "panel: σ = 0, the plateau judged over the top of the n-range. " + sizes_text(
                    ZL5, lambda g: "; ".join(
                        f"{name} p = {panel['p']:g}, d = {panel['d']}, r ∈ {braces(panel['rs'])}"
                        f", n ∈ {braces(panel['ns'])}, {panel['seeds']} seeds"
                        for name, panel in g.items()))
                + " The paper's own figure parameters are not available.",
    points=zl5_points, measure=zl5_measure, sizes=("quick", "full", "paper"), rows=zl5_rows,
    measurement=zl5_measurement,
    curves=zl5_curves,
    prediction="Eq. (9): ‖ŵ‖_r ∝ n^(1/2) for n ≪ n⋆ (every r); Eq. (10): plateau for "
               "r > r⋆ = 2(p−1); ‖ŵ‖_r non-increasing in r",
    reason="per-seed log-log slopes of nested designs, mean and 95 % Student-t interval over "
           "seeds, held to the predicted asymptotic exponent within the interval plus the "
           "two-term formula's (6.1) own finite-range curvature (its slope over the same n-range "
           "minus its slope with the range scaled by 1e∓12); ordering held to 1e-12",
    alternative="the other limit's exponents: the d = κn bulk law 1/r − 1/2, and no plateau "
                "(1/r − 1/r⋆ continued past r⋆)")

CLAIMS = [ZL1_CHECKS.to_claim(), ZL2_CHECKS.to_claim(), ZL5_CHECKS.to_claim()]
