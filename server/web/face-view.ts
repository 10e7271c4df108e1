import type { BlendshapeName } from '@stagecraft/sdk';

export type FaceWeights = Record<BlendshapeName, number>;

const SKIN = '#d9b38c';
const LINE = '#3b2a1e';
const MOUTH = '#2a0f12';

/**
 * A stylised face drawn from ARKit weights on a 2D canvas: lids, gaze, brows, cheeks, nose and
 * a mouth whose opening, width, rounding and corners follow the jaw and mouth shapes.
 */
export function drawFace(canvas: HTMLCanvasElement, w: FaceWeights, label: string): void {
  const g = canvas.getContext('2d');
  if (!g) return;
  const { width, height } = canvas;
  const s = Math.min(width, height) / 240;
  g.save();
  g.clearRect(0, 0, width, height);
  g.translate((width - 240 * s) / 2, (height - 240 * s) / 2);
  g.scale(s, s);
  const jaw = w.jawOpen * (1 - 0.8 * w.mouthClose);
  g.fillStyle = SKIN;
  g.beginPath();
  g.ellipse(120, 118 + jaw * 6, 82, 100 + jaw * 6, 0, 0, Math.PI * 2);
  g.fill();
  g.strokeStyle = LINE;
  g.lineWidth = 2;
  g.lineCap = 'round';
  eye(g, 88, w.eyeBlinkLeft, w.eyeWideLeft, w.eyeSquintLeft, w.eyeLookOutLeft - w.eyeLookInLeft, gazeY(w, 'Left'));
  eye(
    g,
    152,
    w.eyeBlinkRight,
    w.eyeWideRight,
    w.eyeSquintRight,
    w.eyeLookInRight - w.eyeLookOutRight,
    gazeY(w, 'Right'),
  );
  brow(g, 88, -1, w.browInnerUp, w.browOuterUpLeft, w.browDownLeft);
  brow(g, 152, 1, w.browInnerUp, w.browOuterUpRight, w.browDownRight);
  cheeks(g, w);
  mouth(g, w, jaw);
  g.restore();
  g.fillStyle = '#e3e6eb';
  g.font = '12px sans-serif';
  g.fillText(label, 6, height - 8);
}

function gazeY(w: FaceWeights, side: 'Left' | 'Right'): number {
  return side === 'Left' ? w.eyeLookDownLeft - w.eyeLookUpLeft : w.eyeLookDownRight - w.eyeLookUpRight;
}

function eye(
  g: CanvasRenderingContext2D,
  x: number,
  blink: number,
  wide: number,
  squint: number,
  gx: number,
  gy: number,
) {
  const open = Math.max(0, 1 - blink) * (1 + 0.5 * wide - 0.35 * squint);
  const ry = Math.max(0.8, 11 * open);
  g.fillStyle = '#fff';
  g.beginPath();
  g.ellipse(x, 96, 17, ry, 0, 0, Math.PI * 2);
  g.fill();
  g.stroke();
  if (open > 0.15) {
    g.fillStyle = '#3d2b1f';
    g.beginPath();
    g.arc(x - gx * 8, 96 + gy * 5, Math.min(7, ry), 0, Math.PI * 2);
    g.fill();
  }
}

/** side -1 = left (inner end on the right), 1 = right. */
function brow(g: CanvasRenderingContext2D, x: number, side: number, innerUp: number, outerUp: number, down: number) {
  const inner = 74 - 12 * innerUp + 8 * down;
  const outer = 76 - 10 * outerUp + 3 * down;
  g.lineWidth = 5;
  g.beginPath();
  g.moveTo(x - side * 18, inner);
  g.quadraticCurveTo(x, Math.min(inner, outer) - 5, x + side * 20, outer);
  g.stroke();
  g.lineWidth = 2;
}

function cheeks(g: CanvasRenderingContext2D, w: FaceWeights) {
  g.strokeStyle = LINE;
  const sneer = (w.noseSneerLeft + w.noseSneerRight) / 2;
  g.beginPath();
  g.moveTo(120, 108);
  g.lineTo(112, 140 - 4 * sneer);
  g.lineTo(126, 142 - 4 * sneer);
  g.stroke();
  for (const [x, v] of [
    [84, w.cheekSquintLeft],
    [156, w.cheekSquintRight],
  ] as const) {
    if (v < 0.05) continue;
    g.globalAlpha = Math.min(1, v);
    g.beginPath();
    g.arc(x, 136, 12, Math.PI * 1.15, Math.PI * 1.85);
    g.stroke();
    g.globalAlpha = 1;
  }
  if (w.cheekPuff > 0.05) {
    g.fillStyle = `rgba(200, 90, 80, ${0.35 * w.cheekPuff})`;
    for (const x of [80, 160]) {
      g.beginPath();
      g.arc(x, 150, 14, 0, Math.PI * 2);
      g.fill();
    }
  }
}

function mouth(g: CanvasRenderingContext2D, w: FaceWeights, jaw: number) {
  const smile = (w.mouthSmileLeft + w.mouthSmileRight) / 2;
  const frown = (w.mouthFrownLeft + w.mouthFrownRight) / 2;
  const stretch = (w.mouthStretchLeft + w.mouthStretchRight) / 2;
  const press = (w.mouthPressLeft + w.mouthPressRight) / 2;
  const round = Math.max(w.mouthPucker, w.mouthFunnel);
  const half = 28 * (1 + 0.35 * stretch + 0.25 * smile - 0.45 * round);
  const cx = 120 + 8 * (w.mouthRight - w.mouthLeft);
  const cy = 176;
  const corner = cy - 10 * smile + 9 * frown;
  const lower = (w.mouthLowerDownLeft + w.mouthLowerDownRight) / 2;
  const upper = (w.mouthUpperUpLeft + w.mouthUpperUpRight) / 2;
  const closed = Math.max(w.mouthClose, press, (w.mouthRollLower + w.mouthRollUpper) / 2);
  const gap = Math.max(0, (46 * jaw + 6 * lower + 4 * upper + 8 * w.mouthFunnel) * (1 - closed));
  const top = cy - 2 - 4 * upper - gap * 0.3;
  const bottom = cy + 2 + gap;
  g.fillStyle = MOUTH;
  g.strokeStyle = '#8a3b3b';
  g.lineWidth = 3 + 2 * round;
  g.beginPath();
  g.moveTo(cx - half, corner);
  g.quadraticCurveTo(cx, top - 6 * smile, cx + half, corner);
  g.quadraticCurveTo(cx, bottom - 6 * smile + 4 * frown, cx - half, corner);
  g.closePath();
  if (gap > 1.5) g.fill();
  g.stroke();
  g.lineWidth = 2;
}
