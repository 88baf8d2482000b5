// `debug` is the logger of the proxy agents (https-proxy-agent, http-proxy-agent) and of the OpenSearch
// client. With DEBUG set in the pod it would print to stderr, past the tool's redaction: the proxy URL
// with its password, whole request bodies (the web identity token), OpenSearch requests with their
// headers. It reads DEBUG when it loads, and every logger asks it again whether it is on, so turning
// every namespace off once it has loaded silences it for good. Imported only beside what uses it (both
// load lazily), so a run that needs neither never loads `debug` (nor node:tty, which it brings).
import createDebug from 'debug';

export function silenceDebug(): void {
  createDebug.disable();
}
