/** The pages of a mini program, read from its app.json: what a link's path may name (platform-rules §1). */
/** Reads the pages of an app.json object (main package and subpackages, both spellings). */
export function pagesOfAppJson(appJson: unknown): string[] {
  const pages: string[] = [];
  if (typeof appJson !== 'object' || appJson === null) return pages;
  const app = appJson as { pages?: unknown; subPackages?: unknown; subpackages?: unknown };
  if (Array.isArray(app.pages)) for (const p of app.pages) if (typeof p === 'string') pages.push(p);
  const subs = Array.isArray(app.subPackages) ? app.subPackages : Array.isArray(app.subpackages) ? app.subpackages : [];
  for (const sub of subs as Array<{ root?: unknown; pages?: unknown }>) {
    if (!sub || typeof sub.root !== 'string' || !Array.isArray(sub.pages)) continue;
    const root = sub.root.replace(/\/+$/, '');
    for (const p of sub.pages) if (typeof p === 'string') pages.push(`${root}/${p}`);
  }
  return pages;
}
