import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { startWorker, type DevFunction, type InitOutcome } from './environment.js';
import { EXIT_REQUEST, SLOT_COUNT, SLOT_QUEUED, SLOT_REVOKED, STARTS, type ErrorPayload, type InvokeInput, type InvokeMessage, type WorkerMessage } from './protocol.js';

export type { DevFunction } from './environment.js';

export type InvokeOutcome =
  | { kind: 'result'; payload: string; cold: boolean; initMs?: number; durationMs: number }
  | { kind: 'error'; error: ErrorPayload; cold: boolean; durationMs: number };

type RawOutcome = { kind: 'result'; payload: string } | { kind: 'error'; error: ErrorPayload };

/** One invocation from the moment it is asked for until its outcome is delivered. */
interface Pending {
  id: number;
  requestId: string;
  input: InvokeInput;
  /** False once it has been taken back from a queue behind a busy environment: it then waits for a free one. */
  mayQueueBehind: boolean;
  cold?: boolean;
  initMs?: number;
  /** When it started running (Date.now()): its timeout and reported duration count from here. */
  startedAt?: number;
  timer?: NodeJS.Timeout;
  /** Takes it back if it still has not started (queued behind an invocation that turned out slow). */
  reclaim?: NodeJS.Timeout;
  /** Its slot in the environment's shared slots. */
  slot?: number;
  resolve(outcome: InvokeOutcome): void;
  done?: boolean;
}

interface Environment {
  worker: Worker;
  results: MessagePort;
  ready: Promise<InitOutcome>;
  /** Init succeeded: invocations can be posted to it straight away. */
  warm: boolean;
  /** Invocations handed to this environment: the first is running, the rest run after it, in order. */
  inflight: Pending[];
  used: boolean;
  retired: boolean;
  gone: boolean;
  /** Date.now() when the worker was started: Init began then. */
  spawnedAt: number;
  /** Shared with the worker: who gets to an invocation first, it (to run) or the pool (to take back). */
  slots: Int32Array;
  nextSlot: number;
  /** The worker's started-invocations counter when last looked at, and when it was seen to move (Date.now()). */
  starts: number;
  progressAt: number;
  /** Invocations posted during this turn of the event loop, sent to the worker together at its end. */
  outbox: InvokeMessage[];
}

/** A function whose invocations typically take (in the worker) at most this is "fast" (see #choose). */
const FAST_MS = 2;
/** How many invocations may wait behind a running one in the same environment. */
const MAX_BEHIND = 16;
/**
 * An environment that has started no invocation for this long is busy with a slow one: nothing
 * more queues behind it. Generous, because a thread of a busy machine (2 cores, a load generator,
 * other processes) may get no CPU for tens of milliseconds: tighter, the pool took that for a
 * slow function and spread a fast one over ever more environments.
 */
const STALLED_MS = 20;
/** A queued invocation whose environment has started nothing for this long is taken back and given a free or new environment. */
const RECLAIM_MS = 50;
/** Item 92: Lambda's Init phase cap for on-demand functions. */
export const INIT_CAP_MS = 10_000;

/**
 * Warm execution environments of one function (items 90–91). An environment never runs two
 * invocations at once. An overlapping request gets an idle environment or a new one (its own
 * Init and module state), up to `maxWorkers` — except for a function whose invocations finish in
 * a couple of milliseconds: its requests queue behind a running invocation of a warm environment
 * (the reference allows serialising per instance). Waking a sleeping thread costs more than such
 * an invocation, so this is what keeps the dev server fast under load; should the one ahead turn
 * out slow — the worker has started nothing for RECLAIM_MS — the queued request is taken back (an
 * atomic claim in memory shared with the worker, so even a worker stuck in synchronous code gives
 * it up, and it never runs twice) and served elsewhere. An environment that timed out or crashed is thrown away, so the next
 * request starts cold.
 */
export class FunctionPool {
  readonly #environments: Environment[] = [];
  /** Invocations waiting for any environment to be free (the cap is reached). */
  readonly #waiting: Pending[] = [];
  #fn: DevFunction;
  readonly #maxWorkers: number;
  #nextId = 1;
  /** Recent invocation durations, smoothed (ms); unknown until one completes. */
  #typicalMs = Number.POSITIVE_INFINITY;
  #closed = false;

  readonly #initCapMs: number;

  constructor(fn: DevFunction, maxWorkers = 8, initCapMs = INIT_CAP_MS) {
    this.#fn = fn;
    this.#maxWorkers = maxWorkers;
    this.#initCapMs = initCapMs;
  }

  get function(): DevFunction {
    return this.#fn;
  }

  get size(): number {
    return this.#environments.length;
  }

  /**
   * New code or settings: idle workers go now, busy ones after their running invocation; what
   * was queued behind it is taken back, to run on the new code.
   */
  recycle(fn: DevFunction = this.#fn): void {
    this.#fn = fn;
    this.#typicalMs = Number.POSITIVE_INFINITY;
    for (const environment of [...this.#environments]) {
      environment.retired = true;
      if (environment.inflight.length === 0) this.#discard(environment);
      for (const queued of environment.inflight.slice(1)) this.#takeBack(environment, queued);
    }
  }

  /**
   * Stops every environment. `flushOutput`: idle workers first hand over all they wrote (a last
   * line without a newline included) and exit; one that does not within a second is terminated.
   */
  async close(options: { flushOutput?: boolean } = {}): Promise<void> {
    this.#closed = true;
    const all = [...this.#environments];
    this.#environments.length = 0;
    await Promise.all(all.map(async (environment) => {
      environment.results.close();
      if (options.flushOutput && !environment.gone && environment.inflight.length === 0) {
        const exited = once(environment.worker, 'exit');
        environment.worker.postMessage(EXIT_REQUEST);
        const fallback = setTimeout(() => void environment.worker.terminate(), 1000);
        await exited;
        clearTimeout(fallback);
        return;
      }
      await environment.worker.terminate();
    }));
  }

  invoke(event: unknown, requestId: string = randomUUID()): Promise<InvokeOutcome> {
    return this.run({ event: JSON.stringify(event) ?? 'null' }, requestId);
  }

  /** Invokes with an event as JSON, or with the REST proxy event of a request, which the worker then builds. */
  run(input: InvokeInput, requestId: string = randomUUID()): Promise<InvokeOutcome> {
    return new Promise((resolve) => {
      this.#dispatch({ id: this.#nextId++, requestId, input, mayQueueBehind: true, resolve });
    });
  }

  #dispatch(pending: Pending): void {
    if (this.#closed) {
      // Queued in a worker that close() stopped: nothing may start a new one now.
      this.#settle(pending, { kind: 'error', error: { errorType: 'Runtime.ExitError', errorMessage: 'the dev server stopped before this invocation could run', trace: [] } }, Date.now());
      return;
    }
    const environment = this.#choose(pending.mayQueueBehind);
    if (environment) this.#assign(environment, pending);
    else this.#waiting.push(pending);
  }

  /** Where an invocation goes: see the class comment. Undefined: wait for a free environment. */
  #choose(mayQueueBehind: boolean): Environment | undefined {
    const live = this.#environments.filter((environment) => !environment.retired && !environment.gone);
    const fast = mayQueueBehind && this.#typicalMs <= FAST_MS;
    // Only behind a worker that is getting through its invocations: one that has been running the
    // same invocation for a while is not going to free its environment soon.
    const now = Date.now();
    const leastBusy = (limit: number) => live
      .filter((environment) => environment.warm && environment.inflight.length > 0 && environment.inflight.length <= limit && this.#stalledFor(environment, now) <= STALLED_MS)
      .reduce<Environment | undefined>((best, environment) => (!best || environment.inflight.length < best.inflight.length ? environment : best), undefined);
    if (fast) {
      const behind = leastBusy(MAX_BEHIND);
      if (behind) return behind;
    }
    const idle = live.find((environment) => environment.inflight.length === 0);
    if (idle) return idle;
    if (live.length < this.#maxWorkers) return this.#spawn();
    // At the cap a fast function still queues in a worker (deep queues wait here instead, so the
    // shared slots never come round to an invocation not yet read).
    return fast ? leastBusy(SLOT_COUNT / 4) : undefined;
  }

  #assign(environment: Environment, pending: Pending): void {
    pending.cold = !environment.used;
    environment.used = true;
    environment.inflight.push(pending);
    if (environment.inflight.length > 1) {
      // Queued behind a running invocation: the worker starts it as soon as that one is done.
      this.#post(environment, pending);
      this.#watchQueued(environment, pending);
      return;
    }
    if (environment.warm) {
      this.#post(environment, pending);
      this.#started(environment, pending);
      return;
    }
    // Item 92: an Init past the cap is run again by Lambda inside the first invocation, where it
    // counts against the function's timeout. The emulation lets the one Init go on, and from the
    // cap on counts it against the timeout from the moment Init began.
    const overCap = setTimeout(() => {
      if (!environment.warm && !environment.gone && Date.now() - environment.spawnedAt >= this.#timeoutMs) this.#timedOut(environment);
      else if (!environment.warm) pending.timer = setTimeout(() => this.#timedOut(environment), environment.spawnedAt + this.#timeoutMs - Date.now());
    }, Math.max(0, environment.spawnedAt + this.#initCapMs - Date.now()));
    // The gate's failure (engines that did not start) answers the invocation as a failed Init would.
    const gated = this.#fn.gate === undefined ? environment.ready : Promise.all([environment.ready, this.#fn.gate]).then(
      ([init]) => init,
      (error: Error): InitOutcome => ({ error: { errorType: 'Runtime.LocalEnginesError', errorMessage: error.message, trace: [] } }),
    );
    void gated.then((init) => {
      clearTimeout(overCap);
      clearTimeout(pending.timer);
      if ('error' in init) {
        // Item 86: a function that cannot start fails every request, and each retry is cold again.
        this.#settle(pending, { kind: 'error', error: init.error }, Date.now());
        this.#lose(environment);
        return;
      }
      environment.warm = true;
      if (pending.cold) pending.initMs = init.initMs;
      if (environment.gone) return;
      const initTook = Date.now() - environment.spawnedAt;
      if (initTook <= this.#initCapMs) {
        this.#post(environment, pending);
        this.#started(environment, pending);
      } else if (initTook < this.#timeoutMs) {
        // Over the cap: the deadline counts from the start of Init.
        this.#post(environment, pending, environment.spawnedAt);
        this.#started(environment, pending, environment.spawnedAt);
      } else this.#timedOut(environment);
    });
  }

  get #timeoutMs(): number {
    return this.#fn.timeout * 1000;
  }

  /**
   * How long the environment has gone without starting an invocation, as far as the pool can
   * tell: the worker counts its starts in the shared memory, so this needs no message from it
   * (which a busy server would read late).
   */
  #stalledFor(environment: Environment, now: number): number {
    const starts = Atomics.load(environment.slots, STARTS);
    if (starts !== environment.starts) {
      environment.starts = starts;
      environment.progressAt = now;
    }
    return now - environment.progressAt;
  }

  /** Takes a queued invocation back once its environment stops getting through its queue (the one running turned out slow). */
  #watchQueued(environment: Environment, pending: Pending): void {
    pending.reclaim = setTimeout(() => {
      if (this.#stalledFor(environment, Date.now()) < RECLAIM_MS) this.#watchQueued(environment, pending);
      else this.#takeBack(environment, pending);
    }, RECLAIM_MS);
  }

  /** `startedAt`: where the deadline counts from, when not now (an Init over the cap). */
  #post(environment: Environment, pending: Pending, startedAt?: number): void {
    // Slots go round: one is reused a thousand invocations later, long after the worker read it.
    const slot = environment.nextSlot++ % SLOT_COUNT;
    pending.slot = slot;
    if (environment.inflight.length === 1) {
      // To an idle worker: every earlier invocation has started or was taken back, so this one
      // is its next start, and its progress counts from now.
      environment.starts = Atomics.load(environment.slots, STARTS) + 1;
      environment.progressAt = Date.now();
    }
    Atomics.store(environment.slots, slot, SLOT_QUEUED);
    const { input } = pending;
    const message: InvokeMessage = 'event' in input
      ? { type: 'invoke', id: pending.id, event: input.event, requestId: pending.requestId, slot }
      : { type: 'invoke', id: pending.id, request: input.request, requestId: pending.requestId, slot };
    if (startedAt !== undefined) message.startedAt = startedAt;
    // One message for all the requests one turn of the event loop read (a busy server reads
    // several): waking the worker's thread costs more than a fast invocation, so it is woken once.
    if (environment.outbox.push(message) > 1) return;
    setImmediate(() => {
      const batch = environment.outbox.splice(0);
      if (!environment.gone) environment.worker.postMessage(batch);
    });
  }

  /** The invocation is running: its timeout counts from now, after Init (item 88) — or from `since`. */
  #started(environment: Environment, pending: Pending, since = Date.now()): void {
    clearTimeout(pending.reclaim);
    pending.startedAt = since;
    // Items 64–65: the function's own timeout fails the invocation and resets the environment.
    pending.timer = setTimeout(() => this.#timedOut(environment), since + this.#timeoutMs - Date.now());
  }

  #timedOut(environment: Environment): void {
    this.#lose(environment, { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${(this.#timeoutMs / 1000).toFixed(2)} seconds`, trace: [] });
  }

  /**
   * Takes back an invocation queued behind a running one, if the worker has not started it — even
   * while the worker is blocked — and gives it a free or new environment.
   */
  #takeBack(environment: Environment, pending: Pending): void {
    const index = environment.inflight.indexOf(pending);
    if (index <= 0 || environment.gone) return;
    if (Atomics.compareExchange(environment.slots, pending.slot!, SLOT_QUEUED, SLOT_REVOKED) !== SLOT_QUEUED) return;
    environment.inflight.splice(index, 1);
    clearTimeout(pending.reclaim);
    pending.mayQueueBehind = false;
    this.#dispatch(pending);
  }

  #onMessage(environment: Environment, message: WorkerMessage): void {
    if (message.type === 'result' || message.type === 'error') {
      const head = environment.inflight[0];
      if (head?.id !== message.id) return;
      environment.inflight.shift();
      const now = Date.now();
      this.#settle(head, message.type === 'result' ? { kind: 'result', payload: message.payload } : { kind: 'error', error: message.error }, now);
      // As the worker measured it: under load the main thread hears of a result late, and that
      // lag would make a fast function look slow and spread it over ever more environments. An
      // environment's first run compiles the code it reaches: it says little about the next ones.
      if (!head.cold) this.#typicalMs = this.#typicalMs === Number.POSITIVE_INFINITY ? message.ms : 0.8 * this.#typicalMs + 0.2 * message.ms;
      const next = environment.inflight[0];
      if (next) this.#started(environment, next);
      else if (environment.retired) this.#discard(environment);
      this.#pump();
    }
  }

  #settle(pending: Pending, outcome: RawOutcome, now: number): void {
    if (pending.done) return;
    pending.done = true;
    clearTimeout(pending.timer);
    clearTimeout(pending.reclaim);
    // Completed in place (every caller passes a fresh object): this runs for every request.
    const complete = outcome as InvokeOutcome;
    complete.cold = pending.cold ?? false;
    if (pending.cold && pending.initMs !== undefined) (complete as { initMs?: number }).initMs = pending.initMs;
    complete.durationMs = now - (pending.startedAt ?? now);
    pending.resolve(complete);
  }

  /**
   * The environment is gone (timeout, crash, exit, failed Init): the running invocation fails
   * with `error`; the ones queued behind it never started, so they go elsewhere.
   */
  #lose(environment: Environment, error?: ErrorPayload): void {
    if (!environment.gone) {
      environment.gone = true;
      this.#discard(environment);
      const [running, ...queued] = environment.inflight.splice(0);
      if (running && error) this.#settle(running, { kind: 'error', error }, Date.now());
      for (const pending of queued) {
        clearTimeout(pending.reclaim);
        pending.mayQueueBehind = false;
        this.#dispatch(pending);
      }
    }
    this.#pump();
  }

  /** Hands waiting invocations to environments that became free (or can now be started). */
  #pump(): void {
    while (this.#waiting.length > 0) {
      if (this.#closed) {
        this.#dispatch(this.#waiting.shift()!);
        continue;
      }
      const environment = this.#choose(false);
      if (!environment) return;
      this.#assign(environment, this.#waiting.shift()!);
    }
  }

  #spawn(): Environment {
    const { worker, ready, slots, results } = startWorker(this.#fn);
    const environment: Environment = { worker, results, ready, warm: false, inflight: [], used: false, retired: false, gone: false, spawnedAt: Date.now(), slots, nextSlot: 0, starts: 0, progressAt: Date.now(), outbox: [] };
    // Every outcome waiting is read at once: one event for a burst, not one each.
    results.on('message', (message: WorkerMessage) => {
      this.#onMessage(environment, message);
      for (let next = receiveMessageOnPort(results); next; next = receiveMessageOnPort(results)) this.#onMessage(environment, next.message as WorkerMessage);
    });
    results.unref();
    // Before Init completes, `ready` reports a failure to the invocation waiting on it (item 86).
    // Item 85: after it, an uncaught exception or unhandled rejection kills the environment.
    worker.on('error', (error) => {
      if (environment.warm) this.#lose(environment, { errorType: error.name || 'Error', errorMessage: error.message, trace: (error.stack ?? '').split('\n') });
    });
    // An environment that dies between invocations (a leftover timer throwing, process.exit) is
    // gone too: the next request must get a cold one, not wait on a dead worker until its timeout.
    worker.once('exit', (code) => {
      const requestId = environment.inflight[0]?.requestId;
      if (environment.warm) this.#lose(environment, { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: exit status ${code}`, trace: [] });
    });
    this.#environments.push(environment);
    return environment;
  }

  #discard(environment: Environment): void {
    const index = this.#environments.indexOf(environment);
    if (index >= 0) this.#environments.splice(index, 1);
    environment.results.close();
    void environment.worker.terminate();
  }
}
