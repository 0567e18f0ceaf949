/**
 * Progress of long operational work (archive, lab-report, benchmarks): what step, how far, elapsed.
 *
 * On a terminal (stderr is a TTY and CI is unset) it redraws one status line on stderr, at most every
 * 100 ms; elsewhere (CI logs, pipes, files) it prints only each step's start and end as one line, so
 * logs stay short and greppable. Results always go to stdout, never through this module.
 */

/** Where progress goes and how it is drawn; tests inject a stream and a clock. */
export interface ProgressOptions {
  /** Default `process.stderr`. */
  readonly stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Redraw in place. Default: the stream is a TTY and `CI` is not set. */
  readonly interactive?: boolean;
  /** Milliseconds since an arbitrary origin. Default `Date.now`. */
  readonly now?: () => number;
}

/** One step of work with an optional known total (items, bytes, runs). */
export interface ProgressStep {
  /** Sets how far the step is (`done` of `total`, when the total is known). */
  update(done: number, note?: string): void;
  /** Ends the step; prints its elapsed time. */
  end(note?: string): void;
}

/** Progress of one command: a sequence of named steps. */
export class Progress {
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  private readonly interactive: boolean;
  private readonly now: () => number;
  private readonly started: number;
  private lastDraw = 0;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.interactive = options.interactive ?? (Boolean(this.stream.isTTY) && !process.env.CI);
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  /** Seconds since this Progress was made, one decimal. */
  elapsed(): string {
    return `${((this.now() - this.started) / 1000).toFixed(1)}s`;
  }

  /** Starts a step named `name`; `total` is the number of units when known. */
  step(name: string, total?: number): ProgressStep {
    const stepStart = this.now();
    if (!this.interactive) this.stream.write(`${name}...\n`);
    const draw = (done: number, note?: string, force = false) => {
      if (!this.interactive) return;
      const t = this.now();
      if (!force && t - this.lastDraw < 100) return;
      this.lastDraw = t;
      const how = total !== undefined ? ` ${done}/${total} (${total > 0 ? Math.floor((100 * done) / total) : 100}%)` : ` ${done}`;
      this.stream.write(`\r\x1b[2K${name}${how}${note ? ` ${note}` : ""} [${this.elapsed()}]`);
    };
    return {
      update: (done, note) => draw(done, note),
      end: (note) => {
        const took = `${((this.now() - stepStart) / 1000).toFixed(1)}s`;
        if (this.interactive) this.stream.write(`\r\x1b[2K`);
        this.stream.write(`${name}: done in ${took}${note ? ` (${note})` : ""}\n`);
      },
    };
  }
}
