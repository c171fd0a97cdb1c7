/** What runs at each sim minute boundary: traffic, then alarms. */
export type MinuteHandler = (minuteStart: Date) => Promise<void>;

/** Clock state as `GET /_sim/clock` shows it. */
export interface ClockState {
  readonly now: string;
  /** Sim seconds per real second; 0 = the clock only moves when advanced. */
  readonly speed: number;
  /** Start of the last simulated minute (exclusive end of what traffic and alarms have seen). */
  readonly simulatedUntil: string;
  readonly minutesSimulated: number;
}

const MINUTE = 60_000;

/**
 * The sim clock. Time flows at `speed` × real time and jumps when advanced; every whole minute it passes is
 * simulated exactly once, in order (`onMinute` for the minute that just ended). Callers read `now()` for
 * CloudTrail event times and alarm timestamps so everything the stand-in reports shares one timeline.
 */
export class SimClock {
  private baseSim: number;
  private baseReal = Date.now();
  private speedFactor: number;
  private processedUntil: number;
  private minutes = 0;
  private running: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    start: Date,
    speed: number,
    private readonly onMinute: MinuteHandler,
  ) {
    this.baseSim = start.getTime();
    this.processedUntil = Math.floor(start.getTime() / MINUTE) * MINUTE;
    this.speedFactor = speed;
    this.schedule();
  }

  /** Current sim time. */
  now(): Date {
    return new Date(this.baseSim + (Date.now() - this.baseReal) * this.speedFactor);
  }

  /** Current speed factor. */
  get speed(): number {
    return this.speedFactor;
  }

  /** Changes the speed from now on (0 stops the flow of time). */
  setSpeed(speed: number): void {
    this.rebase();
    this.speedFactor = speed;
    this.schedule();
  }

  /** Jumps forward and simulates every minute passed; resolves when they are done. */
  advance(minutes: number): Promise<void> {
    this.rebase();
    this.baseSim += minutes * MINUTE;
    return this.catchUp();
  }

  /** Simulates the minutes that have ended but were not simulated yet. */
  catchUp(): Promise<void> {
    this.running = this.running.then(async () => {
      while (!this.stopped && this.processedUntil + MINUTE <= this.now().getTime()) {
        const minute = new Date(this.processedUntil);
        this.processedUntil += MINUTE;
        this.minutes++;
        await this.onMinute(minute).catch((error: unknown) => process.emitWarning(`sim minute ${minute.toISOString()} failed: ${String(error)}`));
      }
    });
    return this.running;
  }

  /** Starts over at `start` (reset). */
  async restart(start: Date, speed = this.speedFactor): Promise<void> {
    await this.running;
    this.baseSim = start.getTime();
    this.baseReal = Date.now();
    this.processedUntil = Math.floor(start.getTime() / MINUTE) * MINUTE;
    this.minutes = 0;
    this.speedFactor = speed;
    this.schedule();
  }

  /** Current state. */
  describe(): ClockState {
    return {
      now: this.now().toISOString(),
      speed: this.speedFactor,
      simulatedUntil: new Date(this.processedUntil).toISOString(),
      minutesSimulated: this.minutes,
    };
  }

  /** Stops the timer and waits for the minute in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private rebase(): void {
    const now = Date.now();
    this.baseSim += (now - this.baseReal) * this.speedFactor;
    this.baseReal = now;
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.speedFactor <= 0 || this.stopped) return;
    // Check often enough to start each minute within ~1/4 of its real duration, at most 4 times a second.
    const every = Math.max(250, Math.min(5000, MINUTE / this.speedFactor / 4));
    this.timer = setInterval(() => void this.catchUp(), every);
    this.timer.unref();
  }
}
