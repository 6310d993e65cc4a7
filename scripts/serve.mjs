#!/usr/bin/env node
// Serves the interactive page on localhost with node:http only (no dependencies):
//   /                 web/                      the page
//   /actq/            src/js/                   the package, imported as 'actq' through an import map
//   /vendor/chart.js/ node_modules/chart.js/dist/  Chart.js (ESM) from npm
//   /vendor/kurkle-color/ node_modules/@kurkle/color/dist/  its one dependency
// Nothing else on disk is reachable: every request path is resolved inside one of these roots.
// Every response is cross-origin isolated (COOP same-origin + COEP require-corp): everything
// served is same-origin, and the lab page (web/lab/) needs a SharedArrayBuffer to tell its
// training worker to stop mid-run.
// PORT picks the port (default 8080; 0 = any free port).
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** URL prefix -> directory; the first matching prefix wins (most specific first). */
const ROOTS = [
  ['/actq/', join(root, 'src', 'js')],
  ['/vendor/chart.js/', join(root, 'node_modules', 'chart.js', 'dist')],
  ['/vendor/kurkle-color/', join(root, 'node_modules', '@kurkle', 'color', 'dist')],
  ['/', join(root, 'web')],
];

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8', // the .d.ts files, readable in a browser tab
  '.bin': 'application/octet-stream', // src/js/lab/mnist.bin, fetched by actq/lab
};

/** Cross-origin isolation: lets a page share memory with its workers (SharedArrayBuffer). */
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** Maps a request path to a file inside a served root, or null (never escapes the root). */
export function resolveRequest(pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null; // malformed %-escape
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  for (const [prefix, dir] of ROOTS) {
    if (!decoded.startsWith(prefix)) continue;
    let rest = decoded.slice(prefix.length);
    if (rest === '' || rest.endsWith('/')) rest += 'index.html';
    const file = resolve(dir, rest);
    return file.startsWith(dir + sep) ? file : null;
  }
  return null;
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...ISOLATION });
  res.end(`${status} ${text}\n`);
}

async function handle(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, 405, 'method not allowed');
  }
  const { pathname } = new URL(req.url, 'http://localhost');
  const file = resolveRequest(pathname);
  if (!file) return send(res, 404, 'not found');
  let info;
  try {
    info = await stat(file);
  } catch {
    return send(res, 404, 'not found');
  }
  if (info.isDirectory() && !pathname.endsWith('/')) {
    // /lab -> /lab/, so the page's relative URLs resolve inside its folder
    res.writeHead(301, { location: `${pathname}/`, 'cache-control': 'no-store', ...ISOLATION });
    return res.end();
  }
  if (!info.isFile()) return send(res, 404, 'not found');
  res.writeHead(200, {
    'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    // a development server: always revalidate so a rebuilt wasm is picked up on reload
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...ISOLATION,
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/**
 * Starts the server on localhost. Resolves once listening, with the port actually bound
 * (useful with port 0), its URL and close().
 * @param {{ port?: number, host?: string }} [options]
 */
export function startServer({ port = 8080, host = '127.0.0.1' } = {}) {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const bound = server.address().port;
      resolvePromise({
        server,
        port: bound,
        url: `http://localhost:${bound}/`,
        close: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const env = process.env.PORT;
  const port = env === undefined || env === '' ? 8080 : Number(env);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`actq page: PORT must be an integer in [0, 65535], got '${env}'`);
    process.exit(1);
  }
  startServer({ port }).then(({ url }) => {
    console.log(`actq page: ${url}`);
  }, (err) => {
    console.error(`actq page: cannot listen on port ${port}: ${err.message}`);
    process.exit(1);
  });
}
