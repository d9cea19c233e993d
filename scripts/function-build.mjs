// The one definition of how cloudfunctions/genScheme/index.js is built: used by `npm run build`
// (scripts/build.mjs) and by the bench, which checks the committed file against a fresh build.
// One deterministic, self-contained file: genScheme and wx-server-sdk 4.0.2 (from node_modules)
// bundled together, so the function folder deploys with no node_modules and no cloud install.
// The page list of miniprogram/app.json is injected so the function knows them.
//
// Parts of the SDK genScheme never reaches are LEFT_OUT (below): each is replaced by a stub that
// throws a clear error if it is ever reached, instead of being parsed on every cold start. Requires
// the SDK makes at load for only some calls are LAZY: bundled, evaluated on first use. Measured
// with `npm run bench` (whole process, self-contained vs naive layout) and `node --cpu-prof`.
// One file of the SDK cannot be bundled as it is: @cloudbase/node-sdk's utils/version.js reads
// ../../package.json beside itself at run time; the build inlines that version instead.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FN_DIR = join(ROOT, 'cloudfunctions/genScheme');
export const INDEX_JS = join(FN_DIR, 'index.js');

const require = createRequire(import.meta.url);

/** The wx-server-sdk bundled into index.js: the one package.json pins it, the build checks it. */
export const SDK_VERSION = '4.0.2';

/**
 * What is left out of the bundle, and why genScheme never reaches it. Each is an import of the
 * SDK's own code (`importer` ends with the path given, `path` is what it imports); the import then
 * gets a stub whose every property read throws "… is left out of index.js". Nothing on the path
 * of cloud.init, cloud.openapi (urlscheme, urllink, wxacode, media uploads), cloud.database or
 * cloud storage (uploadFile, getTempFileURL, downloadFile, deleteFile) is left out: those are what
 * genScheme uses or will use. test/bundle/ checks they load and answer through the emulator.
 */
export const LEFT_OUT = [
  {
    path: './ai',
    importer: '@cloudbase/node-sdk/dist/cloudbase.js',
    what: 'cloud.ai() (@cloudbase/node-sdk/dist/ai: @cloudbase/ai, @cloudbase/app, @cloudbase/adapter-wx_mp, @cloudbase/utilities, web-streams-polyfill)',
    why: 'only CloudBase.ai() calls createAI; genScheme never calls cloud.ai()',
  },
  {
    path: '@cloudbase/wx-cloud-client-sdk',
    importer: '@cloudbase/node-sdk/dist/cloudbase.js',
    what: 'cloud.models / mysql / rdb (@cloudbase/wx-cloud-client-sdk)',
    why: 'CloudBase.init() builds them inside a try/catch that ignores a failure; genScheme uses the document database (cloud.database()), not data models or MySQL',
  },
  {
    path: 'jsonwebtoken',
    importer: '@cloudbase/node-sdk/dist/auth/index.js',
    what: 'auth().createTicket (jsonwebtoken, semver, jws)',
    why: 'only createTicket (custom login tickets) signs a JWT; wx-server-sdk never calls it',
  },
  {
    path: 'xmlbuilder',
    importer: 'xml2js/lib/builder.js',
    what: "xml2js's Builder (xmlbuilder)",
    why: "node-sdk only parses XML (COS's answer to uploadFile, with xml2js's parser and sax, which stay); nothing builds XML",
  },
];

/**
 * Requires the SDK makes at load but needs only on some call: each becomes a getter that requires
 * the module on its first use (still in the bundle, never dropped). `require` is the package as the
 * file requires it; the build fails if that require is not found exactly once, e.g. after an SDK update.
 */
export const LAZY = [
  { file: '@cloudbase/node-sdk/dist/cloudbase.js', require: 'axios', why: 'only the requestClient shim (for extensions) uses it' },
  { file: '@cloudbase/node-sdk/dist/utils/metadata.js', require: 'axios', why: 'the metadata-server probe, which runs only outside SCF' },
  { file: '@cloudbase/node-sdk/dist/utils/request-core.js', require: 'https-proxy-agent', why: 'only with HTTPS_PROXY set' },
  { file: '@cloudbase/node-sdk/dist/utils/request-core.js', require: 'http-proxy-agent', why: 'only with HTTP_PROXY set' },
  { file: '@cloudbase/node-sdk/dist/utils/request-core.js', require: 'form-data', why: 'only for a multipart request (with mime-types and all of mime-db)' },
  { file: '@cloudbase/node-sdk/dist/storage/index.js', require: 'xml2js', why: "only to read COS's answer to uploadFile" },
  {
    file: '@cloudbase/node-sdk/dist/database/index.js',
    require: '@cloudbase/database',
    why: 'on the first cloud.database(), which genScheme itself asks for on first use',
  },
  { file: 'wx-server-sdk/index.js', require: 'mime-db', webpack: true, why: 'only for a media parameter of an openapi call' },
];

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const LAZY_HELPER = 'function __genschemeLazy(load){var m;return new Proxy({},{get:function(_,k){return (m||(m=load()))[k]}})}';

/** `source` of `file` with its LAZY requires made lazy. */
function lazify(file, source) {
  const entries = LAZY.filter((entry) => file.endsWith(`node_modules/${entry.file}`));
  if (!entries.length) return undefined;
  for (const entry of entries) {
    const pattern = entry.webpack
      ? new RegExp(`^const (\\w+) = (__webpack_require__\\(/\\*! ${escapeRegExp(entry.require)} \\*/ "${escapeRegExp(entry.require)}"\\));$`, 'gm')
      : new RegExp(
          `^const (\\w+) = ((?:__importDefault|__importStar)\\(require\\("${escapeRegExp(entry.require)}"\\)\\)|require\\("${escapeRegExp(entry.require)}"\\));$`,
          'gm',
        );
    const found = source.match(pattern) ?? [];
    if (found.length !== 1) throw new Error(`function-build: LAZY expects one require of ${entry.require} in ${entry.file}, found ${found.length}`);
    source = source.replace(pattern, 'const $1 = __genschemeLazy(() => $2);');
  }
  // A function declaration is hoisted: defined at the end, usable from the top of the module.
  return `${source}\n${LAZY_HELPER}\n`;
}

/** esbuild plugin: LEFT_OUT imports resolve to a stub, LAZY requires become getters, see below for the rest. */
function sdkPlugin() {
  const nodeSdkPackage = require.resolve('@cloudbase/node-sdk/package.json', { paths: [dirname(require.resolve('wx-server-sdk/package.json'))] });
  const lazyFiles = new RegExp(
    `[\\\\/]node_modules[\\\\/](${[...new Set(LAZY.map((entry) => escapeRegExp(entry.file).replace(/\\\//g, '[\\\\/]')))].join('|')})$`,
  );
  return {
    name: 'genscheme-sdk',
    setup(build) {
      for (const [i, entry] of LEFT_OUT.entries()) {
        const filter = new RegExp(`^${escapeRegExp(entry.path)}$`);
        build.onResolve({ filter }, (args) =>
          args.importer.replace(/\\/g, '/').endsWith(`node_modules/${entry.importer}`) ? { path: String(i), namespace: 'left-out' } : undefined,
        );
      }
      build.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => {
        const { what, why } = LEFT_OUT[Number(args.path)];
        const message = `[genScheme] ${what} is left out of index.js: ${why} (scripts/function-build.mjs, LEFT_OUT)`;
        return {
          loader: 'js',
          contents: `var m=${JSON.stringify(message)};module.exports=new Proxy({},{get(_,k){if(k==="__esModule"||typeof k==="symbol")return undefined;throw new Error(m)}});`,
        };
      });
      build.onLoad({ filter: lazyFiles }, (args) => ({ loader: 'js', contents: lazify(args.path.replace(/\\/g, '/'), readFileSync(args.path, 'utf8')) }));
      // node-sdk reads its version from ../../package.json beside its own file at run time, which
      // in a bundle is another file or none ('unknow'); its User-Agent carries it, so inline it.
      build.onLoad({ filter: /[\\/]@cloudbase[\\/]node-sdk[\\/]dist[\\/]utils[\\/]version\.js$/ }, () => ({
        loader: 'js',
        contents: `exports.version=${JSON.stringify(JSON.parse(readFileSync(nodeSdkPackage, 'utf8')).version)};`,
      }));
      // mime-db's 2,000 types as one JSON string for JSON.parse, not a JavaScript object literal:
      // the same object, far cheaper to parse (V8 scans a string; it must pre-parse a literal).
      build.onLoad({ filter: /[\\/]node_modules[\\/]mime-db[\\/]db\.json$/ }, (args) => ({
        loader: 'js',
        contents: `module.exports=JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(readFileSync(args.path, 'utf8'))))});`,
      }));
    },
  };
}

/** Pages of miniprogram/app.json: the main package, then each subpackage's under its root. */
export function appPages() {
  const app = JSON.parse(readFileSync(join(ROOT, 'miniprogram/app.json'), 'utf8'));
  const pages = [...(app.pages ?? [])];
  for (const sub of app.subPackages ?? app.subpackages ?? []) {
    for (const p of sub.pages ?? []) pages.push(`${sub.root.replace(/\/+$/, '')}/${p}`);
  }
  return pages;
}

/**
 * esbuild options for index.js (pass to build(): the plugin needs the async API; add `write: false` to keep it in
 * memory). `{ sdk: 'external' }` builds the naive layout instead — `require('wx-server-sdk')` left
 * to node_modules — which only the bench uses, as the yardstick of the cold start.
 */
export function functionBuildOptions(pages = appPages(), { sdk = 'bundled' } = {}) {
  const installed = JSON.parse(readFileSync(require.resolve('wx-server-sdk/package.json'), 'utf8')).version;
  if (sdk === 'bundled' && installed !== SDK_VERSION)
    throw new Error(`function-build: node_modules has wx-server-sdk ${installed}, the bundle pins ${SDK_VERSION} (npm ci)`);
  return {
    entryPoints: [join(FN_DIR, 'src/index.ts')],
    outfile: INDEX_JS,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    // CloudBase's oldest Node runtime that wx-server-sdk 4 supports is 16.13; newer ones run it as is.
    target: 'node16.13',
    external: sdk === 'external' ? ['wx-server-sdk'] : [],
    plugins: sdk === 'external' ? [] : [sdkPlugin()],
    define: { __GENSCHEME_PAGES__: JSON.stringify(pages) },
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    banner: { js: '// Built by `npm run build` from cloudfunctions/genScheme/src and wx-server-sdk — do not edit; see README.md.' },
    logLevel: 'warning',
    metafile: true,
  };
}

/** Bytes of the output by package (esbuild's metafile): genScheme's own code, then each node_modules package. */
export function bytesByPackage(metafile) {
  const groups = new Map();
  for (const output of Object.values(metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const packages = file.match(/node_modules\/(?:@[^/]+\/)?[^/]+/g);
      const name = file.startsWith('left-out:')
        ? '(stubs of LEFT_OUT)'
        : packages
          ? packages[packages.length - 1].slice('node_modules/'.length)
          : '(genScheme)';
      groups.set(name, (groups.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...groups].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1));
}
