/** Base class of the stand-in's own failures (start-up, configuration), apart from AWS errors it answers. */
export class StandInError extends Error {
  override readonly name: string = 'StandInError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Python or moto is not installed where the launcher looked. */
export class MotoMissingError extends StandInError {
  override readonly name = 'MotoMissingError';
}

/** The backend (moto or LocalStack) did not answer in time. */
export class BackendUnavailableError extends StandInError {
  override readonly name = 'BackendUnavailableError';
}

/** The install hint every "moto missing" message carries. */
export const MOTO_INSTALL_HINT = "pip install 'moto[server]'";
