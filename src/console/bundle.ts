import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * The web app, bundled by esbuild in memory when the console starts (a fraction of a second): one
 * script and one stylesheet, nothing fetched from anywhere but the console server.
 */

export interface ConsoleAssets {
  html: string;
  js: string;
  css: string;
}

export const WEB_ENTRY = fileURLToPath(new URL('./web/main.tsx', import.meta.url));

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>ecs-conductor console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
<script type="module" src="/app.js"></script>
</head>
<body><div id="app"><p class="loading">Loading the console…</p></div></body>
</html>
`;

export async function buildConsoleAssets(): Promise<ConsoleAssets> {
  // Loaded on demand: only the console needs the bundler.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [WEB_ENTRY],
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: 'console',
    logLevel: 'silent',
    legalComments: 'none',
  });
  const text = (extension: string) =>
    result.outputFiles.find((file) => file.path.endsWith(extension))?.text ?? `/* no ${extension} output */`;
  return { html: PAGE, js: text('.js'), css: text('.css') };
}

/** Bytes minified and gzip -9, for the size budget and the README. */
export function assetSizes(assets: ConsoleAssets): { js: number; css: number; gzip: number } {
  const gzip = gzipSync(Buffer.from(assets.js + assets.css), { level: 9 }).length;
  return { js: Buffer.byteLength(assets.js), css: Buffer.byteLength(assets.css), gzip };
}
