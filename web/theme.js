// Chart colours come from the CSS custom properties (style.css), so the light and dark
// schemes are defined in one place; charts re-read them when the scheme changes.

export const SERIES_COLORS = 8;

export function readTheme() {
  const css = getComputedStyle(document.documentElement);
  const v = (name) => css.getPropertyValue(name).trim();
  return {
    bg: v('--bg'),
    fg: v('--fg'),
    muted: v('--muted'),
    grid: v('--grid'),
    zero: v('--zero-line'),
    font: v('--font'),
    series: Array.from({ length: SERIES_COLORS }, (_, i) => v(`--series-${i}`)),
  };
}

/** Calls fn() whenever the colour scheme flips. */
export function onThemeChange(fn) {
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', fn);
}
