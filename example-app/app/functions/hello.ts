// A plain Lambda function, routed with `r.get('/hello/:name', { function: 'hello' })`.
// It receives the API Gateway event untouched and returns a proxy result itself.
export async function handler(event: { pathParameters: Record<string, string> | null; queryStringParameters: Record<string, string> | null }) {
  const name = decodeURIComponent(event.pathParameters?.name ?? 'world');
  const greeting = event.queryStringParameters?.greeting ?? 'Hello';
  return {
    statusCode: 200,
    headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    body: `${greeting}, ${name}!`,
  };
}
