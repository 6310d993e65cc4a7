// Seeded 2-D classification sets in the style of the TensorFlow Playground, scaled so that
// x stays within about [-1.5, 1.5]. Each point is a noiseless point of its class's shape plus
// Gaussian jitter of standard deviation `noise` on each coordinate (for gaussians the shape
// is the blob centre, so noise is the blob's sd). Labels are balanced (counts differ by at
// most one) and come in a shuffled order, so a split never arrives sorted by class.
import { shuffle } from './random.js';

const TAU = 2 * Math.PI;

/** name -> { classes: the default (fixed when there is no classRange), classRange?: [lo, hi], noise: the default } */
export const SETS_2D = {
  spiral: { classes: 3, classRange: [2, 8], noise: 0.03 },
  moons: { classes: 2, noise: 0.1 },
  circles: { classes: 2, noise: 0.05 },
  xor: { classes: 2, noise: 0.05 },
  gaussians: { classes: 3, classRange: [2, 8], noise: 0.25 },
};

// Each arm of the spiral winds one full turn from the centre out to radius 1.
const SPIRAL_TURNS = 1;
// circles: the inner disc has radius 0.5, the outer ring spans radii [0.7, 1] (both uniform
// over their area).
export const CIRCLES = { inner: 0.5, ringInner: 0.7, ringOuter: 1 };
// xor: points keep this distance from the axes before noise, so noise 0 is unambiguous.
export const XOR_MARGIN = 0.05;

/** The noiseless point of class c (of k) as [x, y]. */
const SHAPES = {
  spiral(c, k, random) {
    const t = random.next(); // radius, and how far along its arm
    const angle = (TAU * c) / k + TAU * SPIRAL_TURNS * t;
    return [t * Math.cos(angle), t * Math.sin(angle)];
  },
  // Two interleaved half circles of radius 1 (scikit-learn's make_moons, centred): the upper
  // one centred at (-0.5, -0.25), the lower one its mirror image through the origin.
  moons(c, k, random) {
    const t = Math.PI * random.next();
    const px = Math.cos(t) - 0.5, py = Math.sin(t) - 0.25;
    return c === 0 ? [px, py] : [-px, -py];
  },
  circles(c, k, random) {
    const [r0, r1] = c === 0 ? [0, CIRCLES.inner] : [CIRCLES.ringInner, CIRCLES.ringOuter];
    const r = Math.sqrt(r0 * r0 + random.next() * (r1 * r1 - r0 * r0));
    const angle = TAU * random.next();
    return [r * Math.cos(angle), r * Math.sin(angle)];
  },
  // Class 1: same signs (quadrants I, III), class 0: opposite signs; |x|, |y| in [margin, 1].
  xor(c, k, random) {
    const ax = XOR_MARGIN + (1 - XOR_MARGIN) * random.next();
    const ay = XOR_MARGIN + (1 - XOR_MARGIN) * random.next();
    const sx = random.next() < 0.5 ? -1 : 1;
    return [sx * ax, (c === 1 ? sx : -sx) * ay];
  },
  // K blob centres evenly spaced on the unit circle.
  gaussians(c, k) {
    const angle = (TAU * c) / k;
    return [Math.cos(angle), Math.sin(angle)];
  },
};

/**
 * n points of set `name` with `classes` classes and jitter `noise`, drawn from `random` (an
 * rng()); options are assumed valid (data.js checks them). Returns { x: Float32Array(2n), y }.
 */
export function generate2d(name, { n, noise, classes }, random) {
  const shape = SHAPES[name];
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = i % classes;
  shuffle(y, random); // labels first, then each point: balanced counts in a random order
  const x = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const [px, py] = shape(y[i], classes, random);
    // No draws at noise 0, so the noiseless geometry is exact rather than "plus 0 * normal".
    x[2 * i] = noise > 0 ? px + noise * random.normal() : px;
    x[2 * i + 1] = noise > 0 ? py + noise * random.normal() : py;
  }
  return { x, y };
}
