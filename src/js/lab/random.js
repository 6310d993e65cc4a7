// A small seeded PRNG shared by the lab's data sets and its training engine, so that a seed
// reproduces a run bit for bit in Node and in browsers. mulberry32: 32 bits of state, only
// integer ops (Math.imul, >>>), which every engine evaluates identically. normal() adds
// Math.log / Math.sqrt / Math.cos; sqrt is exact, log and cos agree across engines in practice
// (V8, SpiderMonkey and JSC all use fdlibm-derived code).

const MAX_SEED = 0xffffffff;

/**
 * A generator fully determined by `seed`, an integer in [0, 2^32).
 * next(): float in [0, 1) (multiples of 2^-32); uint32(): integer in [0, 2^32);
 * int(n): uniform integer in [0, n), n in [1, 2^32]; uniform(lo, hi): float in [lo, hi);
 * normal(): standard normal (Box-Muller, two draws per call, no cached spare so the state
 * stays one integer).
 */
export function rng(seed) {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new RangeError(`rng: seed must be an integer in [0, ${MAX_SEED}], got ${seed}`);
  }
  let state = seed | 0;
  const uint32 = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = () => uint32() / 4294967296;
  return {
    uint32,
    next,
    int(n) {
      if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
        throw new RangeError(`rng.int: n must be an integer in [1, 2^32], got ${n}`);
      }
      // Rejection sampling: exactly uniform (u % n alone favours small values when n does
      // not divide 2^32); rejects fewer than half the draws in the worst case.
      const limit = 4294967296 - (4294967296 % n);
      let u;
      do u = uint32(); while (u >= limit);
      return u % n;
    },
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    normal() {
      const u1 = 1 - next(); // (0, 1]: log(0) never happens
      const u2 = next();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
  };
}

/** Fisher-Yates shuffle of `array` in place, driven by `random` (an rng()); returns array. */
export function shuffle(array, random) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    const t = array[i];
    array[i] = array[j];
    array[j] = t;
  }
  return array;
}
