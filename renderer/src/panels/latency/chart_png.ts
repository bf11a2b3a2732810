// The Latency panel's charts as one PNG: each chart's SVG (recharts draws SVG) drawn on a
// canvas, one under the other, on the panel's background, with the runs' key below (the
// charts' own legends are HTML, which a canvas can't draw).

export interface KeyEntry {
  label: string;
  color: string;
}

const keyLine = 16;

/** Resolves to a PNG of the charts inside `container`, and a key of the runs. */
export async function chartsToPng(container: HTMLElement, key: KeyEntry[]): Promise<Blob> {
  const svgs = [...container.querySelectorAll('.recharts-wrapper > svg.recharts-surface')] as SVGSVGElement[];
  if (!svgs.length) throw new Error('there is no chart to export');
  const scale = window.devicePixelRatio || 1;
  const boxes = svgs.map((svg) => svg.getBoundingClientRect());
  const width = Math.max(...boxes.map((b) => b.width));
  const height = boxes.reduce((sum, b) => sum + b.height + 8, 0) + key.length * keyLine + 8;
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('this browser cannot draw on a canvas');
  context.scale(scale, scale);
  context.fillStyle = getComputedStyle(container).backgroundColor || '#ffffff';
  if (context.fillStyle === 'rgba(0, 0, 0, 0)') context.fillStyle = getComputedStyle(document.body).backgroundColor;
  context.fillRect(0, 0, width, height);
  const color = getComputedStyle(container).color;
  let y = 0;
  for (const [i, svg] of svgs.entries()) {
    const copy = svg.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    // CSS variables don't survive outside the page: text takes the panel's colour.
    copy.setAttribute('style', `color: ${color}; font: 11px system-ui, sans-serif`);
    for (const text of copy.querySelectorAll('text'))
      if (!text.getAttribute('fill') || text.getAttribute('fill')?.startsWith('var')) text.setAttribute('fill', color);
    const image = new Image();
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(copy))}`;
    await image.decode();
    context.drawImage(image, 0, y, boxes[i]!.width, boxes[i]!.height);
    y += boxes[i]!.height + 8;
  }
  context.font = '12px system-ui, sans-serif';
  context.textBaseline = 'middle';
  for (const entry of key) {
    context.fillStyle = entry.color;
    context.fillRect(8, y + 3, 10, 10);
    context.fillStyle = color;
    context.fillText(entry.label, 24, y + keyLine / 2);
    y += keyLine;
  }
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas made no PNG'))), 'image/png'));
}
