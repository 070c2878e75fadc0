// The templates `sls-ts new` offers, apart from the code that renders them: the CLI lists them in
// its options without loading the generators (handlebars) on every start.
export type AppTemplate = 'api' | 'full';
export const APP_TEMPLATES: readonly AppTemplate[] = ['api', 'full'];
