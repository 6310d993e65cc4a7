#!/usr/bin/env python3
"""Near-minimax polynomial fits (Chebyshev interpolation, mpmath) for the float kernels.

Re-run to regenerate the hex-float constants pasted into src/c/*.c; prints, for each fit,
the max relative error of the polynomial with its coefficients rounded to float32
(evaluated in high precision: the rounding of the float32 evaluation is not included,
the accuracy tests measure the whole kernel).
"""
import struct
from mpmath import mp, mpf, chebyfit, exp, log, atanh, tanh, erfc, sqrt, linspace, polyval, pi

mp.dps = 40

def f32(v):
    return struct.unpack('f', struct.pack('f', float(v)))[0]

def hexf(v):
    m = float.hex(f32(v))
    return m.replace(m[m.index('.'):m.index('p')], m[m.index('.'):m.index('p')].rstrip('0').rstrip('.') ) + 'f'

def fit(name, f, a, b, deg, var='u', check=None):
    coeffs, _ = chebyfit(f, [a, b], deg + 1, error=True)
    c32 = [mpf(f32(c)) for c in coeffs]
    worst = 0
    for u in linspace(a, b, 4001):
        exact = check(u) if check else f(u)
        approx = check(u, c32) if check else polyval(c32, u)
        if exact != 0:
            worst = max(worst, abs((approx - exact) / exact))
    print(f'/* {name}: degree {deg} in {var} on [{float(a):g}, {float(b):g}], max rel err {float(worst):.3g} */')
    print('  ' + ', '.join(hexf(c) for c in reversed(c32)))
    print()

# exp(r) = 1 + r + r^2 q(r), |r| <= ln2/2
ln2h = log(2) / 2
q_exp = lambda r: (exp(r) - 1 - r) / r**2 if r != 0 else mpf(1) / 2
fit('expm1(r) = r + r^2 q(r)', q_exp, -ln2h, ln2h, 4, 'r',
    check=lambda r, c=None: (exp(r) - 1) if c is None else r + r * r * polyval(c, r))

# log(m) = 2s + s^3 R(s^2), s = f/(2+f), m in [sqrt(2)/2, sqrt(2)]
smax = (sqrt(2) - 1) / (sqrt(2) + 1)
R_log = lambda u: (2 * atanh(sqrt(u)) - 2 * sqrt(u)) / sqrt(u)**3 if u != 0 else mpf(2) / 3
fit('log(m) = 2s + s^3 R(s^2)', R_log, mpf(0), smax**2, 3, 's^2',
    check=lambda u, c=None: (2 * atanh(sqrt(u))) if c is None else 2 * sqrt(u) + sqrt(u)**3 * polyval(c, u))

# Phi(x) = 1/2 + x Q(x^2), |x| <= 1
Phi = lambda x: erfc(-x / sqrt(2)) / 2
Q = lambda u: (Phi(sqrt(u)) - mpf(1) / 2) / sqrt(u) if u != 0 else 1 / sqrt(2 * pi)
fit('Phi(x) = 1/2 + x Q(x^2)', Q, mpf(0), mpf(1), 6, 'x^2',
    check=lambda u, c=None: Phi(sqrt(u)) if c is None else mpf(1) / 2 + sqrt(u) * polyval(c, u))

# Phi(-x) = exp(-x^2/2) H(t), t = 1/(1 + x/2), x in [1, 14]
H = lambda t: Phi(-(1 / t - 1) * 2) * exp(((1 / t - 1) * 2)**2 / 2)
fit('Phi(-x) = exp(-x^2/2) H(t), t = 2/(2 + x)', H, 2 / mpf(16), 2 / mpf(3), 11, 't')

# tanh_shrink: x - tanh(x) = x^3 g(x^2), |x| <= 2
g = lambda u: (sqrt(u) - tanh(sqrt(u))) / sqrt(u)**3 if u != 0 else mpf(1) / 3
fit('x - tanh(x) = x^3 g(x^2)', g, mpf(0), mpf(9) / 4, 9, 'x^2')
