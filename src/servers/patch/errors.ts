// Errors of the patch server. Each carries a stable code (never reused) and, where there is one, its cause.

export class PatchError extends Error {
  constructor(readonly code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The configured directory cannot be walked or a file cannot be read while building the list. */
export class FileListBuildError extends PatchError {
  constructor(message: string, options?: { cause?: unknown }) { super('ERR_PATCH_BUILD', message, options); }
}

/** The HTTP server could not start or was used in the wrong state. */
export class PatchServerStateError extends PatchError {
  constructor(message: string, options?: { cause?: unknown }) { super('ERR_PATCH_SERVER_STATE', message, options); }
}

/** `verify` could not obtain or read the server's list. */
export class PatchVerifyError extends PatchError {
  constructor(message: string, options?: { cause?: unknown }) { super('ERR_PATCH_VERIFY', message, options); }
}
