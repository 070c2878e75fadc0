import { Job, rate, type ScheduledEvent } from 'sls-ts';
import { posts } from '../models/post-store';

/** Deletes posts nobody touched for 30 days; EventBridge runs it once a day. */
export default class CleanupJob extends Job {
  static schedule = rate('1 day');

  async perform(event: ScheduledEvent) {
    const cutoff = new Date(Date.parse(event.time) - 30 * 24 * 60 * 60 * 1000);
    return { removed: await posts.prune(cutoff) };
  }
}
