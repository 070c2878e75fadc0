import ApplicationController from './application-controller';

export default class HomeController extends ApplicationController {
  index() {
    return this.json({
      name: 'sls-ts example app',
      links: { health: '/health', posts: '/posts', logo: '/logo.png', hello: '/hello/world', quote: '/quotes/today' },
    });
  }
}
