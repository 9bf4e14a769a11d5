#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The split windows of a data file in exact rational arithmetic.

An oracle for segoff-nl's "exact" arithmetic that shares none of its code:
every sample is the Fraction its decimal string denotes, and the test is
the one Documentation/design.md states, with m and v the mean and
variance of x0..x7:
    tot = #{ i in 8..15 : |x_i - m| >= eps },  split iff tot * eps^2 > 8 v.
A window with a sample outside [0, 65536), NaN or Inf is not evaluable and
never a split. Prints the split window indices, one per line.

usage: exact_oracle.py FILE [EPS]
"""
import math
import sys
from fractions import Fraction

LIMIT = 65536


def sample(tok):
    try:
        return Fraction(tok)
    except ValueError:
        x = float(tok)  # nan, inf: numbers, but not evaluable
        if math.isfinite(x):
            raise
        return None


def evaluable(x):
    return x is not None and 0 <= x < LIMIT


def split(w, eps):
    m = sum(w[:8]) / 8
    v = sum((x - m) ** 2 for x in w[:8]) / 8
    tot = sum(1 for x in w[8:] if abs(x - m) >= eps)
    return tot * eps * eps > 8 * v


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip().splitlines()[-1])
    eps = Fraction(sys.argv[2] if len(sys.argv) == 3 else "0.1")
    with open(sys.argv[1]) as f:
        xs = [sample(t) for t in f.read().split()]
    for i in range(len(xs) - 15):
        w = xs[i:i + 16]
        if all(evaluable(x) for x in w) and split(w, eps):
            print(i)


if __name__ == "__main__":
    main()
