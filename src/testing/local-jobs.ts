// The app's jobs run in the test process for `useLocalResources(app, { jobs: true })`: the job
// classes are loaded by convention (app/jobs/**/<name>.ts, as the build finds them), and each
// delivery runs the job's Lambda handler in-process, so a test asserts "POST → a job ran".
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Deliver, DeliveryOutcome, LocalSubscriber } from '../local/index.js';
import { createLambdaContext } from '../runtime/context.js';
import { createJobHandler, type JobClass } from '../runtime/job.js';
import { runHandler } from './invoke.js';

/** A job and the key the build gives it (`app/jobs/send-email-job.ts` → `send-email-job`). */
export interface LocalJob {
  key: string;
  JobClass: JobClass;
}

const SOURCE = /^(?!.*\.d\.ts$)(?!.*\.test\.[mc]?[jt]s$).*\.(ts|mts|js|mjs)$/;
const kebab = (text: string) => text.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9]+/g, '-').toLowerCase();

function sourcesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourcesUnder(path) : SOURCE.test(entry.name) ? [path] : [];
  });
}

const isJobClass = (value: unknown): value is JobClass => typeof value === 'function' && typeof (value as { prototype?: { perform?: unknown } }).prototype?.perform === 'function';

/** The app's job classes; modules whose default export is not a job (helpers) are skipped, as the build warns about them. */
export async function loadJobs(root: string): Promise<LocalJob[]> {
  const dir = join(root, 'app', 'jobs');
  const jobs: LocalJob[] = [];
  for (const file of sourcesUnder(dir)) {
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (!isJobClass(module.default)) continue;
    jobs.push({ key: kebab(relative(dir, file).replace(/\.[^.]+$/, '').replace(/[\\/]/g, '-')), JobClass: module.default });
  }
  return jobs;
}

/** Job classes given directly (an inline app): keyed by their class name in kebab case, `SendEmailJob` → `send-email-job`. */
export const jobsOf = (classes: readonly JobClass[]): LocalJob[] => classes.map((JobClass) => ({ key: kebab(JobClass.name), JobClass }));

/** What the engines route events by: jobs with subscriptions or their own queue. */
export function subscribersOf(jobs: readonly LocalJob[]): LocalSubscriber[] {
  return jobs.filter(({ JobClass }) => (JobClass.events?.length ?? 0) > 0 || JobClass.queue).map(({ key, JobClass }) => ({
    job: key,
    className: JobClass.name,
    events: (JobClass.events ?? []) as LocalSubscriber['events'],
    ...(JobClass.queue && { queue: JobClass.queue === true ? {} : JobClass.queue }),
  }));
}

/** Runs the job's handler in this process, its result passed through JSON as Lambda returns it. */
export function deliverInProcess(jobs: readonly LocalJob[]): Deliver {
  return async (delivery): Promise<DeliveryOutcome> => {
    const job = jobs.find((candidate) => candidate.key === delivery.job);
    if (!job) return { ok: false, error: `Error: no job ${delivery.job}` };
    const handler = createJobHandler(job.JobClass, job.JobClass.name);
    try {
      const result = await runHandler(handler, delivery.event, createLambdaContext({ functionName: delivery.job }));
      return { ok: true, result: result === undefined ? null : JSON.parse(JSON.stringify(result)) };
    } catch (error) {
      return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
  };
}
