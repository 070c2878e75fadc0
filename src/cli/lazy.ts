// The deploy room pulls in the AWS SDK (~200 ms to load). Commands import it on demand so that
// `sls-ts server`, `build` and `--help` start fast.
export const loadDeployRoom = () => import('../deploy/index.js');
