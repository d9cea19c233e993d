/** The slice of `cloud.openapi` genScheme calls (wx-server-sdk types it as `any`; requests go in camelCase). */
export interface OpenApi {
  urlscheme: {
    generate(request: Record<string, unknown>): Promise<unknown>;
    query(request: Record<string, unknown>): Promise<unknown>;
  };
  /** platform-rules §8: declared as `urllink.generate` / `urllink.query` in config.json. */
  urllink: {
    generate(request: Record<string, unknown>): Promise<unknown>;
    query(request: Record<string, unknown>): Promise<unknown>;
  };
  /** platform-rules §12: declared as `wxacode.getUnlimited`; an image answers `{ contentType, buffer }`. */
  wxacode: {
    getUnlimited(request: Record<string, unknown>): Promise<unknown>;
  };
}

/** The APIs by the name the function's config.json declares them under. */
export type ApiName = 'urlscheme.generate' | 'urlscheme.query' | 'urllink.generate' | 'urllink.query' | 'wxacode.getUnlimited';

export function apiCall(openapi: OpenApi, api: ApiName, request: Record<string, unknown>): Promise<unknown> {
  switch (api) {
    case 'urlscheme.generate':
      return openapi.urlscheme.generate(request);
    case 'urlscheme.query':
      return openapi.urlscheme.query(request);
    case 'urllink.generate':
      return openapi.urllink.generate(request);
    case 'urllink.query':
      return openapi.urllink.query(request);
    case 'wxacode.getUnlimited':
      return openapi.wxacode.getUnlimited(request);
  }
}
