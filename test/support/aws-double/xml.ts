// Just enough XML for the AWS query and S3 REST protocols: writing responses, reading one
// request body (DeleteObjects).

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A value as XML elements: objects become nested elements, arrays become `<member>` items (the
 * query protocol's list shape), dates ISO 8601, undefined is left out.
 */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => `<${key}>${toXml(item)}</${key}>`)
      .join('');
  }
  return escapeXml(String(value));
}

/** Elements repeated inline (S3 lists: `<Version>…</Version><Version>…</Version>`). */
export function flatList(name: string, items: Array<Record<string, unknown>>): string {
  return items.map((item) => `<${name}>${toXml(item)}</${name}>`).join('');
}

/** Every `<tag>…</tag>` text inside `xml`, in order (no nesting of the same tag expected). */
export function readTags(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1]!);
}

export function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
