#!/usr/bin/env python3
"""Fits and bounds the arcsine polynomial of Sources/Learners/Engine/ArcFunctions.swift.

    python3 scripts/arcsine-polynomial.py        # needs mpmath (pip install mpmath)

P(z) = (arcsin(sqrt z) - sqrt z) / z^(3/2) on [0, 1/4], so arcsin s = s + s z P(z), z = s^2.
The fit interpolates P at the 13 Chebyshev points of [0, 1/4] in 60-digit arithmetic (degree
12) and rounds the coefficients to doubles; the script prints them as Swift and then bounds
|p(z) - P(z)| for the rounded coefficients p:

- P is the power series sum_{j>=0} a_{j+1} z^j with a_k = binom(2k, k) / (4^k (2k + 1)) <= 1,
  so cutting it after degree 80 leaves a tail below (1/4)^81 * 4/3 < 1e-48 on [0, 1/4];
- p minus the degree-80 truncation is a polynomial d, bounded on each of 4,000 subintervals of
  [0, 1/4] by interval arithmetic (mpmath.iv, Horner's rule) in Taylor form about the midpoint
  (|d(m)| + r |d'(m)| + r^2/2 max |d''|, r the half-width); the largest bound plus the tail is
  the error.

This bounds the approximation, not the floating-point evaluation (a dozen fused
multiply-adds on |z| <= 1/4 with terms decreasing, a few ulp of the polynomial term, itself
at most 0.045 of arcsin s).
"""
import mpmath as mp

DEGREE = 12
mp.mp.dps = 60


def series_coefficient(k):
    return mp.binomial(2 * k, k) / (mp.mpf(4) ** k * (2 * k + 1))


def exact(z):
    if z == 0:
        return mp.mpf(1) / 6
    s = mp.sqrt(z)
    return (mp.asin(s) - s) / (z * s)


def fit():
    lo, hi = mp.mpf(0), mp.mpf(1) / 4
    n = DEGREE
    nodes = [(lo + hi) / 2 + (hi - lo) / 2 * mp.cos(mp.pi * (2 * k + 1) / (2 * (n + 1))) for k in range(n + 1)]
    a = mp.matrix([[x ** j for j in range(n + 1)] for x in nodes])
    b = mp.matrix([exact(x) for x in nodes])
    c = mp.lu_solve(a, b)
    return [float(c[j]) for j in range(n + 1)]


def bound(coefficients, truncation=80, pieces=4000):
    difference = [mp.mpf(c) for c in coefficients] + [mp.mpf(0)] * (truncation + 1 - len(coefficients))
    for j in range(truncation + 1):
        difference[j] -= series_coefficient(j + 1)
    iv = mp.iv
    iv.dps = 40
    worst = mp.mpf(0)
    first = [j * difference[j] for j in range(1, len(difference))]
    second = [j * first[j] for j in range(1, len(first))]

    def horner(coefficients, z):
        value = iv.mpf(0)
        for c in reversed(coefficients):
            value = value * z + iv.mpf(c)
        return value

    def magnitude(interval):
        return max(abs(mp.mpf(interval.a)), abs(mp.mpf(interval.b)))

    for i in range(pieces):
        # Taylor form about the midpoint m with half-width r: |d(z)| <= |d(m)| + r |d'(m)| +
        # r^2 / 2 max |d''| on the piece. The terms of d cancel to 1e-16 from 1e-2, so a plain
        # interval Horner on the piece overestimates by its width times the terms' slopes.
        lo, hi = mp.mpf(i) / (4 * pieces), mp.mpf(i + 1) / (4 * pieces)
        middle = iv.mpf((lo + hi) / 2)
        r = (hi - lo) / 2
        curvature = magnitude(horner(second, iv.mpf([lo, hi])))
        total = magnitude(horner(difference, middle)) + r * magnitude(horner(first, middle)) + r * r / 2 * curvature
        worst = max(worst, total)
    return worst + mp.mpf(4) / 3 * (mp.mpf(1) / 4) ** (truncation + 1)


if __name__ == "__main__":
    coefficients = fit()
    for j, c in enumerate(coefficients):
        print(f"private let arcSineP{j} = {c!r}")
    print("max |p(z) - P(z)| on [0, 1/4] <=", mp.nstr(bound(coefficients), 3))
