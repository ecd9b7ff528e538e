// Bundles the bildungsgraph web pages into internal/web/dist/<page>/, from
// where the Go package internal/web embeds them (//go:embed all:dist):
//   graphiql/   GraphiQL (src/graphiql.jsx, src/index.html)
//   explorer/   Explorer: search, network, gap view, paths (src/explorer.*)
//
//   npm --prefix web ci && npm --prefix web run build
//
// Output per page (never committed, see .gitignore):
//   index.html                 page; the Go handler fills in data-endpoint
//   <page>-<hash>.js/.css      minified bundle, content-hashed (immutable)
//   manifest.json              {"js": ..., "css": ...} for the Go side
//   *.js.gz, *.css.gz          precompressed copies, served to gzip clients
//   THIRD_PARTY_LICENSES.txt   licences of every bundled npm package
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const distdir = path.resolve(here, '..', 'internal', 'web', 'dist');

// @graphiql/toolkit loads graphql-ws lazily, and only when a subscriptionUrl
// is configured (we configure none). graphql-ws is an optional peer that we do
// not install, so resolve it to a stub instead of leaving a bare import().
const optionalPeers = {
  name: 'optional-peers',
  setup(build) {
    build.onResolve({ filter: /^graphql-ws$/ }, () => ({
      path: 'graphql-ws',
      namespace: 'optional-peer',
    }));
    build.onLoad({ filter: /.*/, namespace: 'optional-peer' }, () => ({
      contents:
        'export function createClient() { throw new Error("graphql-ws is not bundled: subscriptions over websockets are not supported"); }',
      loader: 'js',
    }));
  },
};

async function bundlePage({ name, title, entry, template, plugins = [] }) {
  const outdir = path.join(distdir, name);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });

  const result = await esbuild.build({
    absWorkingDir: here,
    entryPoints: { [name]: entry },
    outdir,
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15', 'edge100'],
    jsx: 'automatic',
    loader: { '.graphql': 'text' },
    define: { 'process.env.NODE_ENV': '"production"' },
    // Licence texts go to THIRD_PARTY_LICENSES.txt (below) instead.
    legalComments: 'none',
    sourcemap: false,
    metafile: true,
    logLevel: 'warning',
    plugins,
  });

  const outputs = Object.keys(result.metafile.outputs).map((p) => path.resolve(here, p));
  const js = outputs.find((p) => p.endsWith('.js'));
  const css = outputs.find((p) => p.endsWith('.css'));
  if (!js || !css) {
    throw new Error(`expected one .js and one .css output, got: ${outputs.join(', ')}`);
  }
  const assets = { js: path.basename(js), css: path.basename(css) };

  // --- index.html -----------------------------------------------------------
  const page = await readFile(path.join(here, template), 'utf8');
  const html = page.replaceAll('{{JS}}', assets.js).replaceAll('{{CSS}}', assets.css);
  if (html.includes('{{')) {
    throw new Error(`${template}: unreplaced placeholder`);
  }
  await writeFile(path.join(outdir, 'index.html'), html);
  await writeFile(path.join(outdir, 'manifest.json'), JSON.stringify(assets, null, 2) + '\n');

  // --- third-party licences --------------------------------------------------
  const packages = new Map(); // dir -> {name, version}
  for (const input of Object.keys(result.metafile.inputs)) {
    const m = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
    if (!m || packages.has(m[1])) continue;
    const pkg = JSON.parse(await readFile(path.join(here, m[1], 'package.json'), 'utf8'));
    packages.set(m[1], pkg);
  }
  const sections = [];
  for (const [dir, pkg] of [...packages].sort((a, b) => a[1].name.localeCompare(b[1].name))) {
    const files = (await readdir(path.join(here, dir))).filter((f) => /^(licen[cs]e|copying)/i.test(f));
    let text = '';
    for (const f of files) text += (await readFile(path.join(here, dir, f), 'utf8')).trim() + '\n';
    if (!text) text = `(no licence file in the package; package.json says: ${JSON.stringify(pkg.license)})\n`;
    sections.push(`${pkg.name}@${pkg.version} (${pkg.license ?? 'unknown'})\n${'-'.repeat(72)}\n${text}`);
  }
  await writeFile(
    path.join(outdir, 'THIRD_PARTY_LICENSES.txt'),
    `Third-party software bundled in the bildungsgraph ${title} page\n${'='.repeat(72)}\n\n` +
      sections.join('\n'),
  );

  // --- no requests to other hosts ----------------------------------------------
  // The stylesheet must not pull anything from elsewhere (fonts are inlined as
  // data: URLs by graphiql). For the script, URLs in it are reported (they are
  // texts and links in the UI, e.g. to the GraphQL spec), not fetched.
  const cssText = await readFile(css, 'utf8');
  const badCss = [...cssText.matchAll(/@import|url\(\s*['"]?(?!data:)[^)]*\)/g)].map((m) => m[0].slice(0, 120));
  if (badCss.length > 0) {
    throw new Error(`the stylesheet references non-inline resources:\n  ${badCss.join('\n  ')}`);
  }
  const jsText = await readFile(js, 'utf8');
  const hosts = [...new Set([...jsText.matchAll(/https?:\/\/([a-z0-9.-]+)/gi)].map((m) => m[1]))].sort();

  // --- precompressed copies (slow municipal networks) ------------------------
  for (const [file, text] of [[js, jsText], [css, cssText]]) {
    await writeFile(`${file}.gz`, gzipSync(text, { level: 9 }));
  }

  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  const size = (p) => {
    const text = p === js ? jsText : cssText;
    return `${kib(Buffer.byteLength(text))} (gzip ${kib(gzipSync(text, { level: 9 }).length)})`;
  };
  const digest = createHash('sha256').update(jsText).update(cssText).digest('hex').slice(0, 12);
  console.log(`${name} bundle -> ${path.relative(process.cwd(), outdir)} (${digest})`);
  console.log(`  ${assets.js}  ${size(js)}`);
  console.log(`  ${assets.css}  ${size(css)}`);
  console.log(`  ${packages.size} npm packages bundled, licences in THIRD_PARTY_LICENSES.txt`);
  console.log(`  hosts named in the script (text/links, not loaded): ${hosts.join(', ') || 'none'}`);
  if (!existsSync(path.join(outdir, 'index.html'))) process.exit(1);
}

await bundlePage({ name: 'graphiql', title: 'GraphiQL', entry: 'src/graphiql.jsx', template: 'src/index.html', plugins: [optionalPeers] });
await bundlePage({ name: 'explorer', title: 'Explorer', entry: 'src/explorer.js', template: 'src/explorer.html' });
