import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProgressThrottle } from '../queues/progress-throttle.js';

describe('a job’s progress on its way to Redis', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function throttle() {
    const sent: Array<Record<string, unknown>> = [];
    const progress = new ProgressThrottle(async (value) => sent.push(value), 250);
    return { sent, progress };
  }

  it('sends nothing for a job done within its first interval', () => {
    const { sent, progress } = throttle();
    progress.report({ stage: 'text' });
    progress.report({ stage: 'rules' });
    vi.advanceTimersByTime(200);
    progress.stop();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([]);
  });

  it('sends the latest value at most once per interval while a long job runs', () => {
    const { sent, progress } = throttle();
    progress.report({ stage: 'text' });
    vi.advanceTimersByTime(100);
    progress.report({ stage: 'text', page: 1, pages: 3 });
    vi.advanceTimersByTime(150);
    expect(sent).toEqual([{ stage: 'text', page: 1, pages: 3 }]);
    progress.report({ stage: 'text', page: 2, pages: 3 });
    progress.report({ stage: 'text', page: 3, pages: 3 });
    vi.advanceTimersByTime(249);
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sent.at(-1)).toEqual({ stage: 'text', page: 3, pages: 3 });
    vi.advanceTimersByTime(1000);
    expect(sent).toHaveLength(2);
    progress.stop();
  });
});
