/**
 * What WeChat DevTools needs to open and run the sample, checked without DevTools (it runs on
 * macOS/Windows only): project.config.json, app.ts's wx.cloud.init, and that every page's
 * template names only data and methods the page has.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as simulate from 'miniprogram-simulate';
import { pagesOfAppJson } from '../../miniprogram/shared/app-pages';
import { MINIPROGRAM_ROOT, mockWx } from './helpers';

const ROOT = path.resolve(MINIPROGRAM_ROOT, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const project = JSON.parse(read('project.config.json'));

describe('project.config.json', () => {
  test('points DevTools at the mini program and the cloud functions', () => {
    expect(project.compileType).toBe('miniprogram');
    expect(fs.existsSync(path.join(ROOT, project.miniprogramRoot, 'app.json'))).toBe(true);
    for (const file of ['index.js', 'package.json', 'config.json']) {
      expect(fs.existsSync(path.join(ROOT, project.cloudfunctionRoot, 'genScheme', file))).toBe(true);
    }
  });

  test('DevTools compiles the TypeScript itself, and no stale .js twin shadows a .ts', () => {
    expect(project.setting.useCompilerPlugins).toContain('typescript');
    const files = fs.readdirSync(MINIPROGRAM_ROOT, { recursive: true }).map(String);
    const twins = files.filter((f) => f.endsWith('.js') && files.includes(f.replace(/\.js$/, '.ts')));
    expect(twins).toEqual([]);
  });

  test('the appid is a placeholder; the real one goes in the git-ignored project.private.config.json', () => {
    expect(project.appid).toBe('touristappid');
    expect(
      read('.gitignore')
        .split('\n')
        .map((l) => l.trim()),
    ).toContain('project.private.config.json');
    const section = read('README.md').split('## The sample mini program')[1].split('\n## ')[0];
    expect(section).toContain('project.private.config.json');
    expect(section).toMatch(/no tourist\s+mode/);
  });
});

describe('every import of the mini program stays inside miniprogramRoot', () => {
  const files = (fs.readdirSync(MINIPROGRAM_ROOT, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
  test.each(files)('%s', (file) => {
    const text = fs.readFileSync(path.join(MINIPROGRAM_ROOT, file), 'utf8');
    for (const [, spec] of text.matchAll(/(?:from|import)\s+'([^']+)'/g)) {
      // DevTools resolves relative paths within miniprogramRoot; npm packages would need 构建 npm.
      expect(spec).toMatch(/^\.\.?\//);
      const target = path.resolve(MINIPROGRAM_ROOT, path.dirname(file), spec);
      expect(target.startsWith(MINIPROGRAM_ROOT + path.sep)).toBe(true);
      expect(fs.existsSync(`${target}.ts`)).toBe(true);
    }
  });
});

describe('app.ts', () => {
  let init: jest.Mock;
  let app: { onLaunch(): void } | undefined;

  beforeEach(() => {
    init = jest.fn();
    mockWx.cloud = { init, callFunction: jest.fn() };
    app = undefined;
    (globalThis as Record<string, unknown>).App = (options: { onLaunch(): void }) => (app = options);
  });
  afterEach(() => {
    delete (globalThis as Record<string, unknown>).App;
    jest.restoreAllMocks();
  });

  function launch(cloudEnv: string) {
    jest.isolateModules(() => {
      jest.doMock('../../miniprogram/config', () => ({ CLOUD_ENV: cloudEnv }));
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- app.ts loaded anew with the mocked config
      require('../../miniprogram/app');
    });
    app!.onLaunch();
  }

  test('initialises wx.cloud with the environment id of config.ts', () => {
    launch('prod-1a2b3c');
    expect(init).toHaveBeenCalledTimes(1);
    expect(init).toHaveBeenCalledWith({ env: 'prod-1a2b3c', traceUser: true });
  });

  test('an empty id means the default environment: no env key at all', () => {
    launch('');
    expect(init).toHaveBeenCalledWith({ traceUser: true });
  });

  test('config.ts is the one place the id goes (a team that fills it in keeps a green suite)', () => {
    expect(read('miniprogram/config.ts')).toMatch(/export const CLOUD_ENV = '[\w-]*';/);
    expect(read('miniprogram/app.ts')).toContain("from './config'");
  });

  test('without wx.cloud (old base library) it logs instead of throwing', () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    mockWx.cloud = undefined;
    expect(() => launch('prod-1a2b3c')).not.toThrow();
    expect(error).toHaveBeenCalledWith(expect.stringContaining('2.2.3'));
  });
});

describe('templates name only what their page has', () => {
  const pages = pagesOfAppJson(JSON.parse(read('miniprogram/app.json')));
  const ids = new Map(
    pages.map((page) => [page, simulate.load(path.join(MINIPROGRAM_ROOT, page), 'page', { compiler: 'simulate', rootPath: MINIPROGRAM_ROOT })]),
  );
  const KEYWORDS = new Set(['true', 'false', 'null', 'undefined', 'item', 'index', 'length']);

  test.each(pages)('%s', (page) => {
    const wxml = fs.readFileSync(path.join(MINIPROGRAM_ROOT, `${page}.wxml`), 'utf8');
    const comp = simulate.render(ids.get(page)!);
    const instance = comp.instance as unknown as Record<string, unknown> & { data: Record<string, unknown> };

    for (const [, handler] of wxml.matchAll(/\b(?:bind|catch)[a-z]+="([^"]+)"/g)) {
      expect([handler, typeof instance[handler]]).toEqual([handler, 'function']);
    }
    for (const [, expression] of wxml.matchAll(/\{\{([^}]*)\}\}/g)) {
      const withoutStrings = expression.replace(/'[^']*'|"[^"]*"/g, '');
      // Identifiers not preceded by a dot are names the page's data must hold.
      for (const [, name] of withoutStrings.matchAll(/(?<![.\w$])([A-Za-z_$][\w$]*)/g)) {
        if (KEYWORDS.has(name)) continue;
        expect([name, name in instance.data]).toEqual([name, true]);
      }
    }
  });
});
