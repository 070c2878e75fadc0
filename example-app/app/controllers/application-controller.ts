import { Controller } from 'sls-ts';
import { RecordNotFound } from '../models/post-store';

/** Shared behaviour for every controller of the app. */
export default class ApplicationController extends Controller {
  static {
    this.rescueFrom(RecordNotFound, 'notFound');
  }

  protected notFound(error: RecordNotFound) {
    return this.json({ error: error.message }, { status: 404 });
  }
}
