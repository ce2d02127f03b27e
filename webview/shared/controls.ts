// The only file that knows about @vscode/webview-ui-toolkit (deprecated upstream): every
// button, checkbox, dropdown and slider of the views is made here and handed out as a plain
// element with typed accessors, so replacing the toolkit changes this file alone.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDropdown, vsCodeOption } from '@vscode/webview-ui-toolkit';
import { el } from './dom';

// Only what the views use, so the bundle carries no other component.
provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDropdown(), vsCodeOption());

export interface ButtonOptions {
  appearance?: 'primary' | 'secondary';
  /** Tooltip and accessible name when the label alone is ambiguous ("PNG" of which chart). */
  title?: string;
}

export interface Button {
  element: HTMLElement;
  setDisabled(disabled: boolean): void;
}

export function button(label: string, onClick: () => void, opts: ButtonOptions = {}): Button {
  const element = el('vscode-button', { appearance: opts.appearance ?? 'secondary', title: opts.title, 'aria-label': opts.title }, label);
  element.addEventListener('click', () => {
    if (!element.hasAttribute('disabled')) onClick();
  });
  return { element, setDisabled: (d) => element.toggleAttribute('disabled', d) };
}

/** `content`: the label (text, or e.g. a color swatch and text). */
export function checkbox(content: (Node | string)[], checked: boolean, onChange: (checked: boolean) => void): HTMLElement {
  const element = el('vscode-checkbox', {}, ...content) as HTMLElement & { checked: boolean };
  element.checked = checked;
  element.addEventListener('change', () => onChange(element.checked));
  return element;
}

export function dropdown<T extends string>(options: { value: T; label: string }[], value: T, ariaLabel: string, onChange: (value: T) => void): HTMLElement {
  const element = el('vscode-dropdown', { 'aria-label': ariaLabel }, ...options.map((o) => el('vscode-option', { value: o.value, selected: o.value === value }, o.label))) as HTMLElement & {
    value: string;
  };
  element.addEventListener('change', () => onChange(element.value as T));
  return element;
}

export interface Slider {
  element: HTMLInputElement;
  /** Positions 0…max, at `value`; disabled when there is only one. */
  setRange(max: number, value: number): void;
}

/**
 * The toolkit has no slider, so this is a native range input styled with the theme's
 * variables (media/*.css, `.l2-slider`). `onInput` follows the thumb; `onCommit` fires when
 * it is released or moved by a key.
 */
export function slider(ariaLabel: string, onInput: (value: number) => void, onCommit: (value: number) => void): Slider {
  const element = el('input', { type: 'range', class: 'l2-slider', min: 0, max: 0, step: 1, value: 0, 'aria-label': ariaLabel });
  element.addEventListener('input', () => onInput(Number(element.value)));
  element.addEventListener('change', () => onCommit(Number(element.value)));
  return {
    element,
    setRange(max, value) {
      element.max = String(max);
      element.value = String(value);
      element.disabled = max === 0;
    },
  };
}
