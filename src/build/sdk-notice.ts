// The AWS SDK prints a notice, once per process, when the host's Node is older than 22. App code
// runs as on Lambda's nodejs22.x or 24.x — loaded by the app check, and in the dev server's
// workers — where that notice never appears; on an older host it would be printed at every start
// and cold start. The SDK's own switch turns it off there (the app's env may turn it back on).

/** The variable that silences the notice, when the host is older than the runtime the app emulates. */
export function sdkHostNoticeOff(runtime: string): Record<string, string> {
  const host = Number(process.versions.node.split('.')[0]);
  const emulated = Number(/^nodejs(\d+)/.exec(runtime)?.[1] ?? 0);
  return host < 22 && emulated >= 22 ? { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } : {};
}

/** The environment the app check loads the app's modules under: the functions' own, as on Lambda. */
export function appCheckEnv(config: { runtime: string; env: Readonly<Record<string, string>> }): Record<string, string> {
  return { ...sdkHostNoticeOff(config.runtime), ...config.env };
}
