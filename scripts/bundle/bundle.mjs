// Builds the site bundle in target/site from the wasm that cargo built, the same bytes
// `cargo leptos build --release` writes (cargo-leptos 0.3.10, src/compile/: front.rs,
// style.rs, assets.rs, hash.rs), without building cargo-leptos: a fresh machine's first
// run of scripts/site or scripts/test then builds neither cargo-leptos (about 10 of its
// minutes) nor binaryen from source (6 more). scripts/lib/bundle.sh runs it after the
// two cargo builds; a test in scripts/test compares its output with cargo-leptos's when
// that is installed.
//
//   node scripts/bundle/bundle.mjs REPO_ROOT
//
// Steps, as cargo-leptos takes them for this workspace's [workspace.metadata.leptos]:
// 1. target/site is emptied, and public/ copied into it;
// 2. wasm-bindgen (the CLI at Cargo.lock's version) writes pkg/catalogue.js and the wasm,
//    renamed catalogue.wasm;
// 3. the wasm is optimised by binaryen 116's wasm-opt (this package's `binaryen`, the
//    same release compiled to WebAssembly) with cargo-leptos's flags;
// 4. style/main.css is minified by Lightning CSS 1.32 (`lightningcss-wasm`; the crate
//    cargo-leptos 0.3.10 links is 1.0.0-alpha.71, the same release) for the browsers of
//    the `defaults` query;
// 5. each of the three files gets the MD5 of its content (base64url, unpadded) in its
//    name, and hash.txt beside the server binary says which (LEPTOS_HASH_FILES):
//    target/release/, or the folder given as the second argument (target/debug).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import browserslist from 'browserslist';
import { browserslistToTargets, transform } from 'lightningcss-wasm';

const root = path.resolve(process.argv[2] ?? '.');
const name = 'catalogue'; // [workspace.metadata.leptos] name (LEPTOS_OUTPUT_NAME)
const site = path.join(root, 'target/site');
const pkg = path.join(site, 'pkg');
const wasmIn = path.join(root, 'target/front/wasm32-unknown-unknown/wasm-release/app.wasm');
// hash.txt goes beside the server binary (target/release, or target/debug for scripts/site).
const hashFile = path.join(root, process.argv[3] ?? 'target/release', 'hash.txt');
const here = path.dirname(fileURLToPath(import.meta.url));

function step(what) {
  process.stderr.write(`    ${what}\n`);
}

// 1. A clean site root with the assets.
fs.rmSync(site, { recursive: true, force: true });
fs.mkdirSync(pkg, { recursive: true });
fs.cpSync(path.join(root, 'public'), site, { recursive: true });

// 2. wasm-bindgen.
step('wasm-bindgen');
execFileSync('wasm-bindgen', ['--target=web', `--out-name=${name}`, `--out-dir=${pkg}`, wasmIn], {
  stdio: 'inherit',
});
const wasm = path.join(pkg, `${name}.wasm`);
fs.renameSync(path.join(pkg, `${name}_bg.wasm`), wasm);

// 3. wasm-opt.
step('wasm-opt -Oz');
execFileSync(
  process.execPath,
  [
    path.join(here, 'node_modules/binaryen/bin/wasm-opt'),
    '-Oz',
    '--enable-bulk-memory',
    '--enable-nontrapping-float-to-int',
    wasm,
    '-o',
    wasm,
  ],
  { stdio: 'inherit' },
);

// 4. The stylesheet.
step('Lightning CSS');
const targets = browserslistToTargets(browserslist('defaults'));
const cssIn = path.join(root, 'style/main.css');
const { code } = transform({
  filename: cssIn,
  code: fs.readFileSync(cssIn),
  minify: true,
  targets,
});
const css = path.join(pkg, `${name}.css`);
fs.writeFileSync(css, code);

// 5. Hashed names and hash.txt: every file of pkg/ but the snippets (the wasm imports
// them by their own names), all hashed before any is renamed; then the new names are
// written into the script wherever it names the old ones.
function filesIn(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesIn(file) : [file];
  });
}
const renamed = [];
for (const file of filesIn(pkg)) {
  if ((file.endsWith('.css') && file !== css) || file.includes('snippets')) continue;
  const hash = crypto.createHash('md5').update(fs.readFileSync(file)).digest('base64url');
  const extension = path.extname(file);
  const stem = path.basename(file, extension);
  if (stem === hash) continue;
  const hashed = path.join(path.dirname(file), `${stem}.${hash}${extension}`);
  renamed.push({ file, hashed, hash });
}
for (const { file, hashed } of renamed) fs.renameSync(file, hashed);
const hashOf = (file) => renamed.find((r) => r.file === file).hash;
const script = renamed.find((r) => r.file === path.join(pkg, `${name}.js`)).hashed;
let text = fs.readFileSync(script, 'utf8');
for (const { file, hashed } of renamed) {
  text = text.replaceAll(path.relative(pkg, file), path.relative(pkg, hashed));
}
fs.writeFileSync(script, text);
fs.mkdirSync(path.dirname(hashFile), { recursive: true });
fs.writeFileSync(
  hashFile,
  `js: ${hashOf(path.join(pkg, `${name}.js`))}\nwasm: ${hashOf(wasm)}\ncss: ${hashOf(css)}\n`,
);
step(`bundle in ${path.relative(root, pkg)}`);
