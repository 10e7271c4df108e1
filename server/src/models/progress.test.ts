import { describe, expect, it } from '@jest/globals';
import { formatBytes, streamReporter } from './progress.js';

const sink = (isTTY = false) => {
  const stream = {
    text: '',
    write: (s: string) => {
      stream.text += s;
      return true;
    },
    isTTY,
    columns: 120,
  };
  return stream;
};

describe('download progress', () => {
  it('draws a cli-progress bar on a terminal', () => {
    const stream = sink(true);
    const progress = streamReporter(stream as unknown as NodeJS.WritableStream).start('voice.onnx', 2_000_000, 0);
    progress.update(1_000_000);
    progress.update(2_000_000);
    progress.stop();
    expect(stream.text).toContain('voice.onnx [');
    expect(stream.text).toContain('100% | 2.0 MB of 2.0 MB');
  });

  it('prints plain lines at most once per interval elsewhere, and a last line when done', () => {
    const stream = sink();
    let t = 0;
    const reporter = streamReporter(stream as unknown as NodeJS.WritableStream, { intervalMs: 1000, now: () => t });
    const progress = reporter.start('model.gguf', 4_000_000, 1_000_000);
    for (const n of [1_500_000, 2_000_000, 3_000_000]) {
      t += 600;
      progress.update(n);
    }
    t += 400;
    progress.stop();
    expect(stream.text).toBe(
      [
        'model.gguf: resuming at 1.0 MB of 4.0 MB (25%)',
        'model.gguf: 2.0 MB of 4.0 MB (50%)',
        'model.gguf: 3.0 MB of 4.0 MB (75%) in 2.2 s',
        '',
      ].join('\n'),
    );
  });

  it('writes sizes in decimal units', () => {
    expect([999, 63_201_294, 491_400_032, 4e12].map(formatBytes)).toEqual(['999 B', '63.2 MB', '491.4 MB', '4.0 TB']);
  });
});
