#!/usr/bin/env python3
"""Reference values for the harness's power analysis (Sources/Harness/Power.swift), from scipy.

Writes power_reference.json beside this script. The Swift tests read the JSON and never need
Python. Run: python3 gen_power_reference.py  (needs scipy; `pip install scipy`).

- nct_cdf: scipy.stats.nct.cdf(t, df, nc), the noncentral t distribution function.
- t_ppf: scipy.stats.t.ppf(p, df), Student's t quantiles (the critical values of the verdict rule).
- pass_one_sided: P(the interval's lower end clears a `min` edge) = nct.sf(t_c, n-1, d*sqrt(n)),
  with d = (mean - edge)/sd and t_c = t.ppf(1 - alpha/2, n-1).
- pass_two_sided: P(the whole interval lies inside [L, U]) (TOST power), by adaptive quadrature
  (scipy.integrate.quad) over the sample sd's scaled-chi distribution, an independent route
  from the Swift code's fixed-grid Simpson rule.
At alpha = 0.05 the harness uses the 3-decimal t table (as its verdicts do), so those cases
agree to about 1e-3; the other levels use the exact quantile and agree to the integration error.
- n80: smallest n in 2..100 with one-sided pass probability >= 0.8 (only cases that no rounding
  of the critical value can move: the power at n80 - 1 and n80 stays 0.002 away from 0.8).
"""
import json
import math
import os

from scipy import integrate, stats

def one_sided(d, n, alpha=0.05):
    tc = stats.t.ppf(1 - alpha / 2, n - 1)
    return float(stats.nct.sf(tc, n - 1, d * math.sqrt(n)))

def two_sided(dl, du, n, alpha=0.05):
    """P(L + tc*s/sqrt(n) <= xbar <= U - tc*s/sqrt(n)); dl = (mean-L)/sd, du = (U-mean)/sd."""
    nu = n - 1
    tc = stats.t.ppf(1 - alpha / 2, nu)
    rn = math.sqrt(n)
    chi = stats.chi(nu, scale=1 / math.sqrt(nu))   # u = s/sd
    def f(u):
        p = stats.norm.cdf(rn * du - tc * u) - stats.norm.cdf(-rn * dl + tc * u)
        return max(p, 0.0) * chi.pdf(u)
    top = (rn * (dl + du)) / (2 * tc)   # beyond it the interval is wider than the band
    val, _ = integrate.quad(f, 0, top, epsabs=1e-13, epsrel=1e-12, limit=500)
    return val

out = {"nct_cdf": [], "t_ppf": [], "pass_one_sided": [], "pass_two_sided": [], "n80": []}
for df in [1, 2, 3, 4, 5, 9, 14, 29, 99]:
    for nc in [-2.0, 0.0, 0.5, 1.5, 3.0, 6.0]:
        for t in [-3.0, -1.0, 0.0, 1.0, 2.5, 4.3, 8.0]:
            out["nct_cdf"].append({"t": t, "df": df, "nc": nc, "cdf": float(stats.nct.cdf(t, df, nc))})
for p in [0.975, 0.9875, 1 - 0.05 / 6, 0.995]:
    for df in [1, 2, 3, 5, 10, 30, 60]:
        out["t_ppf"].append({"p": p, "df": df, "q": float(stats.t.ppf(p, df))})
for d in [-0.5, 0.3, 1.0, 2.0, 4.0]:
    for n in [2, 3, 6, 12, 40]:
        for alpha in [0.05, 0.05 / 3]:
            out["pass_one_sided"].append({"d": d, "n": n, "alpha": alpha, "p": one_sided(d, n, alpha)})
for dl, du in [(1.0, 1.0), (0.5, 2.0), (3.0, 0.8), (2.0, 2.0)]:
    for n in [3, 6, 12, 30]:
        for alpha in [0.05, 0.02]:
            out["pass_two_sided"].append({"dl": dl, "du": du, "n": n, "alpha": alpha, "p": two_sided(dl, du, n, alpha)})
for d in [0.4, 0.6, 0.8, 1.0, 1.3, 1.6, 2.0, 2.5, 3.0, 4.0]:
    n80 = next((n for n in range(2, 101) if one_sided(d, n) >= 0.8), None)
    if n80 is None:
        continue
    robust = one_sided(d, n80) > 0.802 and (n80 == 2 or one_sided(d, n80 - 1) < 0.798)
    if robust:
        out["n80"].append({"d": d, "n80": n80})

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "power_reference.json"), "w") as f:
    json.dump(out, f, indent=1, sort_keys=True)
    f.write("\n")
