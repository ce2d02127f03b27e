// Building DOM without innerHTML or style attributes: both would need a looser CSP
// ('unsafe-inline' styles, trusted types), and text set through textContent cannot inject markup.

type Attrs = Record<string, string | number | boolean | undefined>;

/** An element with attributes (`class` included; `false`/`undefined` skip) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: (Node | string)[]): HTMLElementTagNameMap[K];
/** A custom element (the toolkit's vscode-*). */
export function el(tag: string, attrs?: Attrs, ...children: (Node | string)[]): HTMLElement;
export function el(tag: string, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...children);
  return e;
}

/** A list for screen readers (and DOM assertions) that mirrors what a canvas shows. */
export function describeList(ul: HTMLUListElement, lines: string[]): void {
  ul.replaceChildren(...lines.map((l) => el('li', {}, l)));
}
