import { Job, type JobRecord } from 'sls-ts';
import { posts } from '../models/post-store';

/**
 * Marks a new post as announced, off the request's path: PostsController#create calls
 * `AnnounceJob.performLater({ id })`, which sends to this job's own SQS queue (`static queue`);
 * Lambda's poller (locally, sls-ts server) runs `perform` with the message. A post deleted in
 * between is simply skipped; any other failure sends the message back to the queue to retry.
 */
export default class AnnounceJob extends Job {
  static queue = { batchSize: 5 };

  async perform(record: JobRecord) {
    if (record.kind !== 'later') return;
    const { id } = record.payload as { id: string };
    await posts.markAnnounced(id, new Date());
  }
}
