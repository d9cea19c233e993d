import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { readConfig } from '../../web/src/config';

describe('the page config (web/config.js → window.GENSCHEME_CONFIG)', () => {
  it('web/config.js is plain JavaScript that sets every setting, all empty/off by default', () => {
    const window: Record<string, unknown> = {};
    runInNewContext(readFileSync(join(__dirname, '../../web/config.js'), 'utf8'), { window });
    const { config, warnings } = readConfig(window.GENSCHEME_CONFIG);
    expect(config).toEqual({ appid: '', username: '', name: '', env: '', signatureUrl: '', live: null });
    expect(warnings).toEqual([]);
  });

  it('keeps good values, trimmed', () => {
    const { config, warnings } = readConfig({
      appid: ' wx0123456789abcdef ',
      username: 'gh_0123456789ab',
      name: '作业打卡',
      env: 'prod-1a2b',
      live: { path: 'pages/index/index', envVersion: 'trial' },
    });
    expect(config).toMatchObject({
      appid: 'wx0123456789abcdef',
      username: 'gh_0123456789ab',
      name: '作业打卡',
      live: { path: 'pages/index/index', query: '', envVersion: 'trial' },
    });
    expect(warnings).toEqual([]);
  });

  it('drops bad values with a warning instead of breaking the page', () => {
    const { config, warnings } = readConfig({ appid: 'gh_0123456789ab', username: 'wx0123456789abcdef', live: { path: 'pages/a?x=1' } });
    expect(config).toMatchObject({ appid: '', username: '', live: null });
    expect(warnings.join('\n')).toMatch(/appid[\s\S]*username[\s\S]*live/);
  });

  it('turns live generation off without an appid and a CloudBase env', () => {
    const { config, warnings } = readConfig({ appid: 'wx0123456789abcdef', live: { path: 'pages/index/index' } });
    expect(config.live).toBeNull();
    expect(warnings[0]).toContain('config.env');
  });

  it('warns when config.js did not load at all', () => {
    expect(readConfig(undefined).warnings[0]).toContain('config.js');
  });
});
