/**
 * Percent-decodes `text`, or gives it back as it is when it is not valid percent-encoding: a stray
 * `%` in a path parameter, form field or cookie is more likely sloppy client encoding than an
 * attack, and the raw text is still the value the client sent.
 */
export function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
