/** Reports progress only when it moved: the text layer's last window and the start of OCR can say the same. */
export function changedProgress(report: ((done: number, total: number) => void) | undefined): (done: number, total: number) => void {
  let last: string | undefined;
  return (done, total) => {
    const now = `${done}/${total}`;
    if (now === last) return;
    last = now;
    report?.(done, total);
  };
}
