// The webview side of VS Code's messaging, typed with the protocol in src/protocol/webview.ts.
// acquireVsCodeApi() may be called only once per page, so the handle is kept.

interface RawApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): RawApi;

export interface VsCodeApi<Out, State> {
  postMessage(message: Out): void;
  getState(): State | undefined;
  setState(state: State): void;
}

let raw: RawApi | undefined;

/** `Out`: the messages this view sends; `State`: what it persists across reloads. */
export function vscodeApi<Out, State>(): VsCodeApi<Out, State> {
  raw ??= acquireVsCodeApi();
  const api = raw;
  return {
    postMessage: (m) => api.postMessage(m),
    getState: () => (api.getState() ?? undefined) as State | undefined,
    setState: (s) => api.setState(s),
  };
}

/**
 * Calls `handle` with each message from the host. `postedAt` is the event's timestamp (when
 * it was queued, on the performance.now() clock), for first-paint timing.
 */
export function onHostMessage<In extends { type: string }>(handle: (message: In, postedAt: number) => void): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const m = event.data;
    if (typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string') handle(m as In, event.timeStamp);
  });
}
