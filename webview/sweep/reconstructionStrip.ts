// A VAE run's pictures of the selected point, as the run recorded them (reconstructions/<id>.json):
// a few fixed test digits over the decoder's reconstructions of them, and the decoder walked along
// each latent unit from the first digit, one row per unit labelled with its KL (a collapsed unit's
// row barely changes). Grey levels map the record's range linearly, black to white, each value a
// block of whole canvas pixels, so the drawn pixels read back as the recorded values (the browser
// test does). A text line and each canvas's label describe the pictures for screen readers.
import type { VaeReconstructions } from '../../src/core/measures/vaeReconstructions';
import type { PointRecord } from '../../src/core/sweep/point';
import { pointAt } from '../shared/axis';
import { greyLevel } from '../shared/colormap';
import { el } from '../shared/dom';
import { fmtNum } from '../shared/format';

/** About this many CSS pixels per image side; each value is a whole number of pixels. */
const IMAGE_PX = 42;
/** Transparent pixels between two images of a row. */
const GAP = 4;

/** Paints `images` (each height × width values, row-major) side by side, `cell` pixels per value. */
function paintRow(canvas: HTMLCanvasElement, images: number[][], shape: [number, number], range: [number, number], cell: number): void {
  const [h, w] = shape;
  canvas.width = Math.max(1, images.length * (w * cell + GAP) - GAP);
  canvas.height = h * cell;
  canvas.dataset.cell = String(cell);
  canvas.dataset.gap = String(GAP);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  images.forEach((img, i) => {
    const x0 = i * (w * cell + GAP);
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const g = greyLevel(img[r * w + c], range);
        ctx.fillStyle = `rgb(${g}, ${g}, ${g})`;
        ctx.fillRect(x0 + c * cell, r * cell, cell, cell);
      }
    }
  });
}

export class ReconstructionStrip {
  readonly element: HTMLElement;
  private readonly note = el('p', { class: 'pictures-note', 'aria-live': 'polite' });
  private readonly body = el('div', { class: 'pictures-body' });
  /** The point whose pictures are drawn (or awaited). */
  private pointId: string | null = null;

  constructor() {
    const heading = el('h2', { id: 'pictures-heading' }, 'Decoder at the selected point');
    this.element = el('section', { class: 'card pictures', 'aria-labelledby': 'pictures-heading' }, heading, this.note, this.body);
    this.waiting(undefined);
  }

  /** The point shown (or awaited): the host's reply for another point is stale. */
  get shownId(): string | null {
    return this.pointId;
  }

  /** The selection moved to `point`: its pictures are on their way from the host. */
  waiting(point: PointRecord | undefined): void {
    this.pointId = point?.id ?? null;
    this.body.replaceChildren();
    this.note.textContent = point ? `Reading the reconstructions at ${pointAt(point)}…` : 'Select a point to see what its decoder makes of a few test digits.';
  }

  /** Draws `r`, the recorded pictures of `point` (null: the run recorded none for it). */
  show(point: PointRecord, r: VaeReconstructions | null): void {
    this.pointId = point.id;
    if (!r) {
      this.body.replaceChildren();
      this.note.textContent = `No reconstructions recorded at ${pointAt(point)}${point.diverged ? ': the point diverged' : ' (a run from before they were recorded, or a damaged file)'}.`;
      return;
    }
    const cell = Math.max(1, Math.round(IMAGE_PX / Math.max(...r.shape)));
    const klPerUnit = point.vae?.klPerUnit ?? [];
    const threshold = point.vae?.threshold;
    const rows = r.rows.join(', ');
    const steps = r.traversal.steps;
    const stepText = `t = ${fmtNum(steps[0])} … ${fmtNum(steps[steps.length - 1])} in ${steps.length} steps`;
    const row = (label: string, kind: string, images: number[][], description: string, collapsed = false) => {
      const canvas = el('canvas', { role: 'img', 'aria-label': description, 'data-row': kind });
      paintRow(canvas, images, r.shape, r.range, cell);
      return el('div', { class: `pictures-row${collapsed ? ' collapsed' : ''}` }, el('span', { class: 'pictures-label' }, label), canvas);
    };
    const units = r.traversal.images.map((images, j) => {
      const kl = klPerUnit[j];
      const collapsed = threshold !== undefined && kl !== undefined && kl <= threshold;
      const state = kl === undefined ? '' : `KL ${fmtNum(kl)}${collapsed ? ', collapsed' : ''}`;
      return row(
        `unit ${j + 1}${state ? ` · ${state}` : ''}`,
        `unit-${j + 1}`,
        images,
        `The decoder along latent unit ${j + 1} from test digit ${r.rows[0]} (${state || 'KL unknown'}), ${stepText}.`,
        collapsed,
      );
    });
    const split = r.split === 'test' ? 'test' : 'training';
    this.note.textContent =
      `At ${pointAt(point)} (${point.direction}, seed ${point.seed}): ${r.rows.length} ${split} digits (rows ${rows}) over the decoder's mean at z = μ(x); ` +
      `below, the decoder along each latent unit from the first digit, z = μ(x₀) + t·eⱼ, ${stepText}. Black ${fmtNum(r.range[0])}, white ${fmtNum(r.range[1])}.`;
    this.body.replaceChildren(
      el(
        'div',
        { class: 'pictures-strip' },
        row('originals', 'originals', r.originals, `${r.rows.length} ${split} digits, rows ${rows}.`),
        row('reconstructions', 'reconstructions', r.reconstructions, `Their reconstructions at ${pointAt(point)}, the decoder's mean at z = μ(x).`),
      ),
      el('div', { class: 'pictures-traversal', role: 'group', 'aria-label': `Latent traversals, ${stepText}` }, ...units),
    );
  }
}
