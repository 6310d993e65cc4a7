// The Fit panel's worker: aq.fit takes 0.05..1 s, so it runs here and the page stays live.
// It imports the package by URL (import maps do not apply inside workers) and makes the fit,
// its JSON and its C header exactly as `actq fit` does for the same flags (fit/options.js).
import { load } from '/actq/index.js';
import { fitFromFlags, fitHeader, fitToJson, fitCommand } from '/actq/fit/options.js';

const aq = await load();

self.onmessage = ({ data: { id, target, flags } }) => {
  try {
    const made = fitFromFlags(aq, target, flags);
    const header = made.options.inQp && (made.options.outQp || made.options.bits !== undefined)
      ? fitHeader(aq, made, { ...flags, format: 'c' }) : null;
    self.postMessage({
      id, result: made.result, json: fitToJson(made.result), header,
      command: fitCommand(target, { ...flags, format: header ? 'c' : 'json' }),
    });
  } catch (e) {
    self.postMessage({ id, error: e.message });
  }
};
self.postMessage({ ready: true });
