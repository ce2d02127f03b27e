// Chart colors come from VS Code's theme variables, read from the computed style (VS Code sets
// them on <html> and flips the body's vscode-light/-dark/-high-contrast class on a theme
// change). Canvas drawing cannot use var(), so the values are re-read and charts re-styled.

export type ThemeKind = 'light' | 'dark' | 'high-contrast';

export interface Palette {
  blue: string;
  red: string;
  green: string;
  orange: string;
  purple: string;
  yellow: string;
}

export interface Theme {
  kind: ThemeKind;
  fg: string;
  /** Secondary text: tick labels, captions. */
  muted: string;
  bg: string;
  /** Tooltip background. */
  hoverBg: string;
  grid: string;
  border: string;
  font: string;
  fontSize: number;
  palette: Palette;
  /** Line widths: high contrast gets thicker lines. */
  line: number;
  thin: number;
}

/** Dark+ values, for a page opened outside VS Code (and for variables a theme leaves unset). */
const FALLBACK: Record<string, string> = {
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1e1e1e',
  '--vscode-editorHoverWidget-background': '#252526',
  '--vscode-editorWidget-border': '#454545',
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-yellow': '#cca700',
};

function themeKind(): ThemeKind {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast') || c.contains('vscode-high-contrast-light')) return 'high-contrast';
  return c.contains('vscode-light') ? 'light' : 'dark';
}

let probe: CanvasRenderingContext2D | null = null;

/** Any CSS color as rgba(r, g, b, a), with its alpha multiplied by `alpha`. */
export function withAlpha(color: string, alpha: number): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return color;
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  const norm = String(probe.fillStyle);
  if (norm.startsWith('#')) {
    const n = parseInt(norm.slice(1), 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const m = /rgba?\(([^)]+)\)/.exec(norm);
  if (!m) return color;
  const [r, g, b, a = '1'] = m[1].split(',').map((s) => s.trim());
  return `rgba(${r}, ${g}, ${b}, ${Number(a) * alpha})`;
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.body);
  const v = (name: string, ...alternatives: string[]) => {
    for (const n of [name, ...alternatives]) {
      const value = style.getPropertyValue(n).trim();
      if (value) return value;
    }
    return FALLBACK[name] ?? '';
  };
  const kind = themeKind();
  const fg = v('--vscode-editor-foreground', '--vscode-foreground');
  const hc = kind === 'high-contrast';
  return {
    kind,
    fg,
    muted: hc ? fg : v('--vscode-descriptionForeground'),
    bg: v('--vscode-editor-background'),
    hoverBg: v('--vscode-editorHoverWidget-background', '--vscode-editor-background'),
    // High-contrast themes draw borders in contrastBorder; others get a faint grid.
    grid: hc ? withAlpha(v('--vscode-contrastBorder', '--vscode-editorWidget-border'), 0.6) : withAlpha(v('--vscode-editorWidget-border'), 0.55),
    border: v('--vscode-contrastBorder', '--vscode-editorWidget-border'),
    font: v('--vscode-font-family'),
    fontSize: parseFloat(v('--vscode-font-size')) || 13,
    palette: {
      blue: v('--vscode-charts-blue'),
      red: v('--vscode-charts-red'),
      green: v('--vscode-charts-green'),
      orange: v('--vscode-charts-orange'),
      purple: v('--vscode-charts-purple'),
      yellow: v('--vscode-charts-yellow'),
    },
    line: hc ? 3 : 1.75,
    thin: hc ? 2 : 1,
  };
}

/**
 * Calls `apply` with the new theme whenever the body class (the theme kind) or the variables
 * on <html> change. VS Code may update the two in separate steps, so the re-read waits a frame.
 */
export function onThemeChange(apply: (t: Theme) => void): void {
  let pending = false;
  const observer = new MutationObserver(() => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      apply(readTheme());
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
