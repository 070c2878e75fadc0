import ApplicationController from './application-controller';

export default class HealthController extends ApplicationController {
  show() {
    this.setHeader('Cache-Control', 'no-store');
    return this.json({ status: 'ok', stage: this.request.stage, requestId: this.request.requestId });
  }
}
