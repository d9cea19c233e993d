/**
 * The two project files the platform itself looks at: the mini program's app.json (its
 * pages: a path outside them is 40165) and the function's config.json (its declared
 * openapi permissions: an undeclared api is -604101). Re-read when they change, so a
 * running emulator follows edits; production caches permissions ~10 minutes
 * (platform-rules §1), which the emulator does not imitate.
 */
import { readFileSync, statSync } from 'fs';

function cachedJsonReader(file: string): () => unknown {
  let stamp = '';
  let value: unknown;
  return () => {
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) throw new Error(`${file} not found`);
    const current = `${stat.mtimeMs}:${stat.size}`; // size too: coarse mtimes miss quick edits
    if (current !== stamp) {
      value = JSON.parse(readFileSync(file, 'utf8'));
      stamp = current;
    }
    return value;
  };
}

/** Pages of app.json: `pages` plus each subpackage's `root/page` (`subPackages` or `subpackages`). */
export function pagesReader(appJsonPath: string): () => Set<string> {
  const read = cachedJsonReader(appJsonPath);
  return () => {
    const app = read() as { pages?: unknown; subPackages?: unknown; subpackages?: unknown };
    const pages = new Set<string>();
    for (const p of asArray(app.pages)) if (typeof p === 'string') pages.add(p);
    for (const sub of [...asArray(app.subPackages), ...asArray(app.subpackages)]) {
      const { root, pages: subPages } = (sub ?? {}) as { root?: unknown; pages?: unknown };
      if (typeof root !== 'string') continue;
      const prefix = root.replace(/^\/+|\/+$/g, '');
      for (const p of asArray(subPages)) if (typeof p === 'string') pages.add(`${prefix}/${p}`);
    }
    return pages;
  };
}

/** What the function's config.json declares, and why it declares nothing when it cannot be read. */
export interface Permissions {
  declared: Set<string>;
  /** Set when config.json is missing or not valid JSON: everything is then undeclared (-604101). */
  problem?: string;
}

/** permissions.openapi of the function's config.json; a missing or broken file declares nothing. */
export function permissionsReader(configPath: string): () => Permissions {
  const read = cachedJsonReader(configPath);
  return () => {
    let config: { permissions?: { openapi?: unknown } };
    try {
      config = read() as typeof config;
    } catch (e) {
      const problem = e instanceof SyntaxError ? `${configPath} is not valid JSON (${e.message})` : (e as Error).message;
      return { declared: new Set(), problem };
    }
    return { declared: new Set(asArray(config?.permissions?.openapi).filter((x): x is string => typeof x === 'string')) };
  };
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
