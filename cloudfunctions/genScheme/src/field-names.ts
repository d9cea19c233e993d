import { clip } from '../../../miniprogram/shared/failure';

/** Field names as the caller wrote them, by canonical dotted name (`jumpWxa.envVersion` → `jump_wxa.env_version`). */
export class FieldNames {
  private readonly byCanonical = new Map<string, string>();

  set(canonical: string, shown: string): void {
    this.byCanonical.set(canonical, shown);
  }

  /** The caller's spelling of a field (clipped: it is echoed in replies), or the canonical name. */
  shown(canonical: string): string {
    return clip(this.byCanonical.get(canonical) ?? canonical, 80);
  }

  has(canonical: string): boolean {
    return this.byCanonical.has(canonical);
  }
}
