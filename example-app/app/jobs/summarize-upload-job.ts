import { createHash } from 'node:crypto';
import { bucket, Job, type JobRecord } from 'sls-ts';
import { readUpload, writeSummary } from '../models/uploads';

/**
 * Runs for every file uploaded under `incoming/` in the `uploads` bucket (an S3 notification),
 * and writes `summaries/<id>.json` beside it: what a thumbnailer or virus scan would do, with
 * nothing to install.
 */
export default class SummarizeUploadJob extends Job {
  static events = [bucket('uploads', { on: ['created'], prefix: 'incoming/' })];

  async perform(record: JobRecord) {
    if (record.kind !== 'bucket') return;
    const data = await readUpload(record.key);
    const id = record.key.slice('incoming/'.length);
    await writeSummary(id, {
      key: record.key,
      bytes: data.length,
      lines: data.length === 0 ? 0 : data.toString('utf8').split('\n').length,
      sha256: createHash('sha256').update(data).digest('hex'),
    });
  }
}
