// Rooms only some commands use, imported by those commands when they run: every command is
// defined up front (for parsing and --help), and a static import in one of them would load its
// room on every start — `sls-ts server` included, whose spawn → first 200 is a target (#17).
/** The AWS SDK (~200 ms to load). */
export const loadDeployRoom = () => import('../deploy/index.js');
/** The generators and their templates (handlebars): new, generate, destroy. */
export const loadGenerators = () => import('../checked-generators.js');
export const loadAppCreator = () => import('../generators/create-app.js');
/** Template generation: build writes the templates next to the zips. */
export const loadCloudformationRoom = () => import('../cloudformation/index.js');
