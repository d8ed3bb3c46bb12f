// Charts drawn on the server: a Vega-Lite spec compiled to Vega, drawn to SVG
// by Vega (no canvas, no browser), then to PNG by resvg (a Rust renderer whose
// binary ships in its npm package). The libraries are loaded on the first
// chart, never at start; the font is Inter from a package, never the
// machine's, so the same spec makes the same bytes anywhere.
import { createRequire } from 'node:module';
import type { TopLevelSpec } from 'vega-lite';

/** Inter Regular, as shipped in @expo-google-fonts/inter (a plain TTF file resvg can read); found on the first chart. */
const fontFile = () =>
  createRequire(import.meta.url).resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf');

type Libraries = {
  vega: typeof import('vega');
  compile: typeof import('vega-lite').compile;
  renderAsync: typeof import('@resvg/resvg-js').renderAsync;
};

let libraries: Promise<Libraries> | null = null;

function load(): Promise<Libraries> {
  libraries ??= Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]).then(
    ([vega, vegaLite, resvg]) => ({ vega, compile: vegaLite.compile, renderAsync: resvg.renderAsync }),
  );
  // A failed load (a missing binary) is tried again on the next chart rather than remembered.
  libraries.catch(() => {
    libraries = null;
  });
  return libraries;
}

/** The SVG Vega draws for a Vega-Lite spec. */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const { vega, compile } = await load();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The last chart drawn: a burst of /petition on unchanged readings draws it once. */
let last: { key: string; png: Promise<Buffer> } | null = null;

/** The chart as PNG bytes: the same spec, the same bytes. */
export function renderChart(spec: TopLevelSpec): Promise<Buffer> {
  const key = JSON.stringify(spec);
  if (last?.key === key) return last.png;
  const png = draw(spec);
  last = { key, png };
  png.catch(() => {
    if (last?.png === png) last = null;
  });
  return png;
}

async function draw(spec: TopLevelSpec): Promise<Buffer> {
  const svg = await chartSvg(spec);
  const { renderAsync } = await load();
  // Drawn on libuv's thread pool: members' commands go on meanwhile.
  const image = await renderAsync(svg, {
    font: { loadSystemFonts: false, fontFiles: [fontFile()], defaultFontFamily: 'Inter', sansSerifFamily: 'Inter' },
    fitTo: { mode: 'original' },
    background: '#ffffff',
  });
  return image.asPng();
}
