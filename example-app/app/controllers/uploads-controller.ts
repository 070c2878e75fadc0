import { randomUUID } from 'node:crypto';
import { HttpError } from 'sls-ts';
import { findSummary, saveUpload } from '../models/uploads';
import ApplicationController from './application-controller';

/** POST /uploads stores the request body in the `uploads` bucket; a job summarizes it (GET /uploads/:id). */
export default class UploadsController extends ApplicationController {
  async create() {
    const data = this.request.rawBody ?? Buffer.alloc(0);
    if (data.length === 0) throw new HttpError(422, 'Send the file as the request body');
    const id = randomUUID();
    const key = await saveUpload(id, data, this.request.contentType ?? 'application/octet-stream');
    this.setHeader('Location', `/uploads/${id}`);
    return this.json({ id, key }, { status: 202 });
  }

  /** 200 with the summary once SummarizeUploadJob has run; 404 until then. */
  async show() {
    const summary = await findSummary(this.params.id);
    if (!summary) throw new HttpError(404, `No summary for upload ${this.params.id} (yet)`);
    return this.json({ summary });
  }
}
