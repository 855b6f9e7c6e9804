// Small server-rendered HTML pages (install results, errors): every interpolated value is escaped.
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderPage(input: { title: string; heading: string; body: string; sandbox?: boolean }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.4rem}.banner{background:#fef3c7;border:1px solid #f59e0b;padding:.5rem 1rem;border-radius:.5rem}</style></head>
<body>${input.sandbox ? '<p class="banner" role="status">Sandbox mode: a local stand-in plays HighLevel. Nothing is sent to real phones.</p>' : ''}
<h1>${escapeHtml(input.heading)}</h1>${input.body}</body></html>`;
}
