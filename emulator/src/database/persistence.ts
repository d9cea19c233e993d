/**
 * `--data DIR`: one file per collection, `<name>.ejson.json` holding a canonical-EJSON array of
 * its documents. Loaded at start; a collection's file is rewritten after each change through a
 * temporary file and a rename, so a crash never leaves half a file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { encodeEjson, parseRelaxed, type Doc } from './codec';

const SUFFIX = '.ejson.json';

export class CollectionFiles {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Every stored collection; a broken file fails the start loudly rather than losing data. */
  loadAll(): Map<string, Doc[]> {
    const collections = new Map<string, Doc[]>();
    for (const file of readdirSync(this.dir)
      .filter((f) => f.endsWith(SUFFIX))
      .sort()) {
      const name = decodeURIComponent(file.slice(0, -SUFFIX.length));
      const docs = parseRelaxed(readFileSync(join(this.dir, file), 'utf8'));
      if (!Array.isArray(docs)) throw new Error(`${join(this.dir, file)}: expected an EJSON array of documents`);
      collections.set(name, docs as Doc[]);
    }
    return collections;
  }

  save(name: string, docs: Doc[]): void {
    const file = this.fileOf(name);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, encodeEjson(docs));
    renameSync(tmp, file);
  }

  remove(name: string): void {
    rmSync(this.fileOf(name), { force: true });
  }

  removeAll(): void {
    for (const file of readdirSync(this.dir).filter((f) => f.endsWith(SUFFIX))) rmSync(join(this.dir, file), { force: true });
  }

  exists(name: string): boolean {
    return existsSync(this.fileOf(name));
  }

  private fileOf(name: string): string {
    return join(this.dir, `${encodeURIComponent(name)}${SUFFIX}`);
  }
}
