// Rails-style name conventions shared by the DSL, the runtime and the generators.

/** `BlogPosts`, `blog_posts`, `blogPosts` → `blog-posts` (file and controller-key form). */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[_\s]+/g, '-')
    .toLowerCase();
}

/** `blog-posts` → `BlogPosts` (class-name form). */
export function pascalCase(name: string): string {
  return kebabCase(name)
    .split(/[-/]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Good enough for resource names: posts → post, categories → category, boxes → box. */
export function singularize(word: string): string {
  if (/ies$/.test(word)) return word.slice(0, -3) + 'y';
  if (/(ss|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/s$/.test(word) && !/ss$/.test(word)) return word.slice(0, -1);
  return word;
}

/** `admin/users` → `AdminUsersController`; the class a route target names. */
export function controllerClassName(controller: string): string {
  return `${pascalCase(controller.split('/').pop() ?? controller)}Controller`;
}

/** `admin/users` → `admin/users-controller` (path under app/controllers, without extension). */
export function controllerFile(controller: string): string {
  const parts = controller.split('/');
  const last = parts.pop() ?? controller;
  return [...parts, `${kebabCase(last)}-controller`].join('/');
}
