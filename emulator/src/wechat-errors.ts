/** errcode → errmsg as WeChat words them (platform-rules §1 error table). */
export const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40002: 'invalid grant_type',
  40013: 'invalid appid',
  40097: 'invalid args',
  40165: 'invalid weapp pagepath',
  40169: 'invalid length for scene, or the data is not json string',
  41030: 'invalid page hint',
  40212: 'invalid query',
  44990: 'api freq out of limit',
  44993: 'reach max daily quota limit',
  45009: 'reach max api daily quota limit',
  47001: 'data format error',
  85079: 'miniprogram has no online release',
  85401: 'time limit between 1min and 30days',
  85402: 'invalid env_version',
  85403: 'scheme not exist',
  85405: 'scheme not allowed for plaintext',
  85406: 'visit quota limit',
};

/** A refusal: what WeChat answers, and why, for the emulator's record and log. */
export class Refusal {
  constructor(
    readonly errcode: number,
    /** The emulator's explanation (never sent to the function). */
    readonly reason: string,
  ) {}
}

export function refuse(errcode: number, reason: string): Refusal {
  return new Refusal(errcode, reason);
}
