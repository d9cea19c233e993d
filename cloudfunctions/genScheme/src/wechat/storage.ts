/**
 * The slice of wx-server-sdk's cloud storage genScheme uses (README "活码"): index.ts passes
 * `cloud.uploadFile` and `cloud.getTempFileURL`; tests pass fakes. The SDK reports a failure by
 * throwing `{ errCode, errMsg }` (-503xxx for storage, cloudbase-wire.md).
 */
export interface CloudStorage {
  uploadFile(options: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID?: unknown }>;
  getTempFileURL(options: {
    fileList: Array<string | { fileID: string; maxAge: number }>;
  }): Promise<{ fileList?: Array<{ fileID?: unknown; tempFileURL?: unknown; status?: unknown; errMsg?: unknown }> }>;
}

/** For a handler built without storage (unit tests of other actions): every call fails, clearly. */
export const NO_STORAGE: CloudStorage = {
  uploadFile: () => Promise.reject(Object.assign(new Error('cloud storage is not available to this handler'), { errCode: -503001 })),
  getTempFileURL: () => Promise.reject(Object.assign(new Error('cloud storage is not available to this handler'), { errCode: -503001 })),
};
