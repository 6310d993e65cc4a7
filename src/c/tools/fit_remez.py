#!/usr/bin/env python3
"""Minimax fits (linear Remez exchange, mpmath) for the forward kernels of vmath.h.

Re-run to regenerate the hex-float constants EXP_P5, EXP2_F3, EXP2_HALF, EXP2_P5, LOG1P_F5, EXPM1_Q6,
GELU_P / GELU_Q, GELU_BAL_P / GELU_BAL_Q, GELU_FAST_P / GELU_FAST_Q, TANH_FAST_P / _Q and
SIGMOID_FAST_P / _Q; prints each fit's max error with its coefficients rounded to float32 (one at a time, lowest order first, refitting the others;
the rational ones rounded once), not counting the rounding of the float32
evaluation -- the accuracy tests measure whole kernels. Takes about two minutes.

Rational fits P/Q use the linearised error P - H Q weighted by 1/Q of the previous iteration
(Loeb's iteration); six iterations settle to the printed digits.
"""
import struct
from mpmath import mp, mpf, matrix, lu_solve, exp, log, erfc, sqrt, cos, pi, linspace

mp.dps = 40


def f32(v):
    return struct.unpack('f', struct.pack('f', float(v)))[0]


def hexf(v):
    return float.hex(f32(v)).replace('0000000p', 'p') + 'f'


def remez(target, basis, weight, a, b, fixed=None, iters=12, grid=800):
    """min over c of max |weight(x) (target(x) - sum_j c_j basis_j(x))| on [a, b];
    fixed: {j: value} coefficients held fixed. Returns (coefficients, max error)."""
    fixed = fixed or {}
    free = [j for j in range(len(basis)) if j not in fixed]
    m = len(free)
    xs = [a + (b - a) * (1 - cos(pi * i / m)) / 2 for i in range(m + 1)]
    pts = linspace(a, b, grid)
    for _ in range(iters):
        A, rhs = matrix(m + 1, m + 1), matrix(m + 1, 1)
        for i, x in enumerate(xs):
            for k, j in enumerate(free):
                A[i, k] = basis[j](x)
            A[i, m] = (-1) ** i / weight(x)
            rhs[i] = target(x) - sum(v * basis[j](x) for j, v in fixed.items())
        sol = lu_solve(A, rhs)
        c = dict(fixed)
        c.update({j: sol[k] for k, j in enumerate(free)})
        errs = [weight(x) * (target(x) - sum(c[j] * basis[j](x) for j in c)) for x in pts]
        runs = []  # the extremum of each run of one sign
        for x, e in zip(pts, errs):
            if not runs or (e >= 0) != runs[-1][0]:
                runs.append([e >= 0, x, e])
            elif abs(e) > abs(runs[-1][2]):
                runs[-1][1:] = [x, e]
        while len(runs) > m + 1:
            runs.pop(0 if abs(runs[0][2]) < abs(runs[-1][2]) else -1)
        if len(runs) == m + 1:
            xs = [r[1] for r in runs]
    return [c[j] for j in range(len(basis))], max(abs(e) for e in errs)


def rounded(target, basis, weight, a, b):
    """Remez, then float32 coefficients: round the lowest order, refit the rest, repeat."""
    fixed = {}
    for j in range(len(basis)):
        c, _ = remez(target, basis, weight, a, b, fixed=fixed)
        fixed[j] = mpf(f32(c[j]))
    return [fixed[j] for j in range(len(basis))]


def rational(target, m, n, weight, a, b, loops=6):
    """P/Q, P degree m, Q degree n with Q(0) = 1, minimising max |weight (target - P/Q)|."""
    q_prev = lambda x: mpf(1)
    for _ in range(loops):
        basis = [(lambda j: lambda x: x ** j)(j) for j in range(m + 1)]
        basis += [(lambda j: lambda x: -target(x) * x ** j)(j) for j in range(1, n + 1)]
        qp = q_prev
        c, _ = remez(target, basis, lambda x: weight(x) / qp(x), a, b, iters=10, grid=500)
        P, Q = c[:m + 1], [mpf(1)] + c[m + 1:]
        q_prev = (lambda Q: lambda x: sum(q * x ** j for j, q in enumerate(Q)))(Q)
    return P, Q


ev = lambda C, x: sum(c * x ** j for j, c in enumerate(C))
Phi = lambda x: erfc(-x / sqrt(2)) / 2


def show(name, err, coeffs):
    print(f'/* {name}: max err {float(err):.3g} */')
    print('  ' + ', '.join(hexf(c) for c in coeffs))
    print()


# EXP_P5: exp(r) = 1 + r P(r), P degree 4, |r| <= ln2/2, error relative to exp(r)
ln2h = log(2) / 2
P_exp = lambda r: (exp(r) - 1) / r if r != 0 else mpf(1)
basis = [(lambda j: lambda r: r ** j)(j) for j in range(5)]
w_exp = lambda r: abs(r) / exp(r) if r != 0 else mpf(10) ** -30
c = rounded(P_exp, basis, w_exp, -ln2h, ln2h)
err = max(abs(1 + r * ev(c, r) - exp(r)) / exp(r) for r in linspace(-ln2h, ln2h, 4001))
show('EXP_P5, exp(r) = 1 + r P(r), rel', err, c)

# GELU_P / GELU_Q: Phi(-a) exp(a^2/2) = P(a)/Q(a) on [0, 5.5] (relative), then written in
# na = -a with Q monic: coefficient j times (-1)^j, both divided by Q's leading coefficient
H = lambda a: Phi(-a) * exp(a * a / 2)
P, Q = rational(H, 3, 4, lambda a: 1 / H(a), mpf(0), mpf('5.5'))
lead = Q[-1]  # (-1)^4 = 1
Pn = [mpf(f32((-1) ** j * p / lead)) for j, p in enumerate(P)]
Qn = [mpf(f32((-1) ** j * q / lead)) for j, q in enumerate(Q[:-1])] + [mpf(1)]
err = max(abs(ev(Pn, -a) / ev(Qn, -a) / H(a) - 1) for a in linspace(0, 5.5, 3001))
show('GELU_P (in -a), rel', err, Pn)
show('GELU_Q (in -a, monic: the leading 1 is implicit)', err, Qn[:-1])

# EXP2_HALF: 2^f = Q(f)^2, Q degree 3 for 2^(f/2) on |f| <= 1/2 (the fast tier's more accurate
# exp), fitted for the absolute error of exp(z) = 2^n 2^f with z <= 0 (its every caller): n can
# be 0 where f <= 0, n <= -1 where f > 0, and Q^2 - 2^f ~ 2 2^(f/2) (Q - 2^(f/2)). Rounded once:
# rounding one coefficient at a time and refitting the rest (rounded) left 1.8e-5 here.
w_half = lambda f: 2 * 2 ** (f / 2) * (1 if f <= 0 else mpf(1) / 2)
basis = [(lambda j: lambda r: r ** j)(j) for j in range(4)]
c, _ = remez(lambda f: 2 ** (f / 2), basis, w_half, -mpf(1) / 2, mpf(1) / 2, iters=20, grid=2000)
c = [mpf(f32(v)) for v in c]
g = linspace(-0.5, 0.5, 8001)
print(f'/* EXP2_HALF: rel err {float(max(abs(ev(c, f) ** 2 / 2 ** f - 1) for f in g)):.3g} */')
show('EXP2_HALF, 2^f = Q(f)^2, abs error of exp(z), z <= 0',
     max(abs(ev(c, f) ** 2 - 2 ** f) * (1 if f <= 0 else mpf(1) / 2) for f in g), c)

# EXP2_F3, EXP2_P5: 2^f = 1 + f P(f), P degree 2, 4, |f| <= 1/2, relative (the
# fast tier's exp; gelu's balanced tier)
P_exp2 = lambda f: (2 ** f - 1) / f if f != 0 else log(2)
w_exp2 = lambda f: abs(f) / 2 ** f if f != 0 else mpf(10) ** -30
for name, terms in [('EXP2_F3', 3), ('EXP2_P5', 5)]:
    basis = [(lambda j: lambda r: r ** j)(j) for j in range(terms)]
    c = rounded(P_exp2, basis, w_exp2, -mpf(1) / 2, mpf(1) / 2)
    err = max(abs(1 + f * ev(c, f) - 2 ** f) / 2 ** f for f in linspace(-0.5, 0.5, 4001))
    show(f'{name}, 2^f = 1 + f P(f), rel', err, c)

# GELU_BAL_P / GELU_BAL_Q: H = P(a)/Q(a), degrees 2/3 on [0, 5.5], for the balanced tier:
# weighted so the absolute error of a Phi(-a) is <= 2e-7 and, where a <= 3.45 (|gelu| >=
# 1e-3, the ULP metric), the relative error <= 3e-5; written in -a with Q monic
EH, rho = mpf('2e-7'), mpf('3e-5')
w_bal = lambda a: max(a * Phi(-a) / EH, 1 / rho if a <= mpf('3.45') else 0) / H(a)
P, Q = rational(H, 2, 3, w_bal, mpf(0), mpf('5.5'), loops=8)
lead = -Q[-1]  # (-1)^3
Pn = [mpf(f32((-1) ** j * p / lead)) for j, p in enumerate(P)]
Qn = [mpf(f32((-1) ** j * q / lead)) for j, q in enumerate(Q[:-1])] + [mpf(1)]
g = linspace(0, mpf('13.25'), 6001)
rel = [(a, ev(Pn, -a) / ev(Qn, -a) / H(a) - 1) for a in g]
abs_err = max(abs(a * Phi(-a) * r) for a, r in rel)
print(f'/* GELU_BAL: rel error {float(max(abs(r) for a, r in rel if a <= 3.45)):.3g} on [0, 3.45] */')
show('GELU_BAL_P (in -a), abs error of a Phi(-a) on [0, 13.25]', abs_err, Pn)
show('GELU_BAL_Q (in -a, monic: the leading 1 is implicit)', abs_err, Qn[:-1])

# GELU_FAST_P / GELU_FAST_Q: Phi(-a) = 1/2 - a R(a^2), R = P(u)/Q(u), u = a^2 <= 4.5^2,
# fitted for the absolute error of a Phi(-a) (weight u on R)
Rs = lambda u: (Phi(sqrt(u)) - mpf(1) / 2) / sqrt(u) if u > 0 else 1 / sqrt(2 * pi)
L = mpf('4.5')
P, Q = rational(Rs, 3, 3, lambda u: u + mpf(10) ** -30, mpf(0), L * L, loops=8)
P32, Q32 = [mpf(f32(v)) for v in P], [mpf(f32(v)) for v in Q]
def v_fast(a):
    ac = min(a, L)
    return ac * (mpf(1) / 2 - ac * ev(P32, ac * ac) / ev(Q32, ac * ac))
err = max(abs(a * Phi(-a) - v_fast(a)) for a in linspace(0, L + 5, 3001))
show('GELU_FAST_P, abs error of a Phi(-a) on [0, inf)', err, P32)
show('GELU_FAST_Q (Q(0) = 1)', err, Q32)

# LOG1P_FAST: log1p(e) = e P(e), P degree 4, e in [0, 1], absolute error (the fast tier's
# log1p: log_sigmoid, softplus, mish)
from mpmath import log1p
P_l1p = lambda e: log1p(e) / e if e != 0 else mpf(1)
basis = [(lambda j: lambda r: r ** j)(j) for j in range(5)]
c = rounded(P_l1p, basis, lambda e: e if e != 0 else mpf(10) ** -30, mpf(0), mpf(1))
err = max(abs(e * ev(c, e) - log1p(e)) for e in linspace(0, 1, 4001))
show('LOG1P_FAST (LOG1P_F5), log1p(e) = e P(e), abs', err, c)

# EXPM1_Q6: expm1(r) = r + r^2 Q(r), Q with 6 coefficients (degree 7), |r| <= ln2/2, error
# relative to expm1(r) (elu's precise tier)
from mpmath import expm1
Q_em1 = lambda r: (expm1(r) - r) / r ** 2 if r != 0 else mpf(1) / 2
basis = [(lambda j: lambda r: r ** j)(j) for j in range(6)]
w_em1 = lambda r: r * r / abs(expm1(r)) if r != 0 else mpf(10) ** -30
c = rounded(Q_em1, basis, w_em1, -ln2h, ln2h)
err = max(abs((r + r * r * ev(c, r)) / expm1(r) - 1) for r in linspace(-ln2h, ln2h, 2001) if r != 0)
show('EXPM1_Q6, expm1(r) = r + r^2 Q(r), rel', err, c)

# TANH_FAST and SIGMOID_FAST: tanh(t) = t P(u) / Q(u), u = t^2, t clamped to [0, c], fitted
# for the absolute error of tanh over [0, inf) (weight t on R = P/Q), Q monic. Sigmoid's
# uses tanh(x / 2) / 2 and is rewritten in x: P_j 4^(1-j), Q_j 4^(2-j) (exact in float32).
from mpmath import tanh
R_tanh = lambda u: tanh(sqrt(u)) / sqrt(u) if u > 0 else mpf(1)
for name, m, c in [('TANH_FAST', 3, mpf(6)), ('SIGMOID_FAST (as tanh, before rescaling)', 2, mpf(5))]:
    P, Q = rational(R_tanh, m, 2, lambda u: sqrt(u) + mpf(10) ** -30, mpf(0), c * c, loops=8)
    P32 = [mpf(f32(p / Q[-1])) for p in P]
    Q32 = [mpf(f32(q / Q[-1])) for q in Q[:-1]] + [mpf(1)]
    t_fast = lambda t: min(t, c) * ev(P32, min(t, c) ** 2) / ev(Q32, min(t, c) ** 2)
    err = max(abs(tanh(t) - t_fast(t)) for t in linspace(0, c + 5, 4001))
    show(f'{name}_P, abs error of tanh on [0, inf)', err, P32)
    show(f'{name}_Q (monic: the leading 1 is implicit)', err, Q32[:-1])
