/** Whether a row can run on this machine; when it cannot, a reason a person can act on. */
export type Support = {supported: true; detail?: string} | {supported: false; reason: string}
