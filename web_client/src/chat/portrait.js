/** The static portrait shown when WebGL is unavailable: an SVG drawn in code, same palette. */
const SVG = 'http://www.w3.org/2000/svg';

function shape(doc, tag, attributes) {
  const node = doc.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  return node;
}

export function createPortrait(container, label) {
  const doc = container.ownerDocument;
  const svg = shape(doc, 'svg', { viewBox: '0 0 200 200', class: 'avatar-portrait', role: 'img', 'aria-label': label });
  const parts = [
    ['ellipse', { cx: 100, cy: 205, rx: 80, ry: 52, fill: '#2f7d78' }],
    ['rect', { x: 86, y: 130, width: 28, height: 30, rx: 10, fill: '#f2c4a4' }],
    ['ellipse', { cx: 100, cy: 84, rx: 56, ry: 62, fill: '#5b3a2a' }],
    ['ellipse', { cx: 100, cy: 92, rx: 46, ry: 54, fill: '#f2c4a4' }],
    ['path', { d: 'M54 74 Q70 30 120 36 Q150 42 148 74 Q120 52 84 60 Q66 64 54 74Z', fill: '#5b3a2a' }],
    ['circle', { cx: 82, cy: 92, r: 6, fill: '#3f7f8c' }], ['circle', { cx: 118, cy: 92, r: 6, fill: '#3f7f8c' }],
    ['circle', { cx: 82, cy: 92, r: 3, fill: '#1d2226' }], ['circle', { cx: 118, cy: 92, r: 3, fill: '#1d2226' }],
    ['path', { d: 'M72 78 Q82 73 91 77', stroke: '#4a2f22', 'stroke-width': 3, fill: 'none', 'stroke-linecap': 'round' }],
    ['path', { d: 'M109 77 Q118 73 128 78', stroke: '#4a2f22', 'stroke-width': 3, fill: 'none', 'stroke-linecap': 'round' }],
    ['circle', { cx: 72, cy: 110, r: 7, fill: '#f08a8a', opacity: 0.35 }], ['circle', { cx: 128, cy: 110, r: 7, fill: '#f08a8a', opacity: 0.35 }],
    ['path', { d: 'M88 120 Q100 129 112 120', stroke: '#c96a6a', 'stroke-width': 4, fill: 'none', 'stroke-linecap': 'round' }],
  ];
  for (const [tag, attributes] of parts) svg.append(shape(doc, tag, attributes));
  container.append(svg);
  return { element: svg, dispose: () => svg.remove() };
}

/** A neutral person glyph (no face, no gender) for a team member who has taken over the chat. */
export function createPersonIcon(doc, className = 'person-icon') {
  const svg = shape(doc, 'svg', { viewBox: '0 0 48 48', class: className, 'aria-hidden': 'true', focusable: 'false' });
  svg.append(
    shape(doc, 'circle', { cx: 24, cy: 17, r: 9, fill: 'currentColor' }),
    shape(doc, 'path', { d: 'M7 44c0-9.4 7.6-16 17-16s17 6.6 17 16z', fill: 'currentColor' }),
  );
  return svg;
}
