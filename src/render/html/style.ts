// The HTML report's stylesheet, inlined in the page: system fonts only, so nothing is fetched.
export const PAGE_STYLE = `
:root { color-scheme: light; --ink: #1d232b; --muted: #5b6470; --line: #d9dde3; --zebra: #f7f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #fff; }
nav { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 4px 18px; padding: 8px 24px; background: #fbfbfc; border-bottom: 1px solid var(--line); }
nav a { color: var(--muted); text-decoration: none; font-weight: 600; }
nav a:hover { color: var(--ink); }
main { max-width: 1320px; padding: 8px 24px 48px; }
section { margin-top: 12px; }
h1 { font-size: 26px; margin: 16px 0 4px; }
h2 { font-size: 21px; margin: 28px 0 8px; padding-top: 8px; border-top: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 20px 0 6px; }
h4 { font-size: 14px; margin: 12px 0 4px; }
p { margin: 6px 0; max-width: 900px; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eef1f4; padding: 1px 4px; border-radius: 3px; }
a { color: #0b63c4; }
.table-scroll, table { max-width: 100%; }
table { border-collapse: collapse; margin: 8px 0 12px; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f4; white-space: nowrap; }
tbody tr:nth-child(even) td { background: var(--zebra); }
figure.chart { margin: 10px 0 18px; overflow-x: auto; }
figure.chart svg { display: block; max-width: none; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
.swatch { display: inline-flex; align-items: center; gap: 5px; margin-right: 12px; white-space: nowrap; }
.swatch i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; }
.swatch i.link { width: 22px; height: 5px; background: #1f77b4; opacity: 0.35; border-radius: 0; }
.swatch i.errorbar { width: 22px; height: 9px; border-left: 1.5px solid #111; border-right: 1.5px solid #111; background: linear-gradient(#111, #111) center / 100% 1.5px no-repeat; border-radius: 0; }
.swatch i.unexpected { border: 3px solid #e600ac; background: transparent; }
.panels { display: flex; flex-wrap: wrap; gap: 10px 18px; }
.panel { width: 340px; }
.machines { display: grid; gap: 10px 18px; }
.machines h4.machine { margin: 4px 0; font-size: 15px; }
.panel .absent { color: var(--muted); font-size: 12.5px; }
.panel h4 { margin: 4px 0 2px; font-weight: 600; min-height: 2.6em; }
.panel .modes { font-weight: 400; color: #b00020; font-size: 12px; margin-left: 6px; }
.panel .legend { font-size: 12px; max-width: 340px; }
details { margin: 8px 0; }
summary { cursor: pointer; color: var(--muted); }
table.claims { display: table; width: 100%; table-layout: fixed; }
table.claims th:nth-child(1) { width: 150px; }
table.claims th:nth-child(2) { width: 20%; }
table.claims th:nth-child(3) { width: 34%; }
table.claims td:first-child { white-space: nowrap; }
table.claims .about { color: var(--muted); font-size: 12.5px; }
table.claims .rule { color: var(--muted); font-size: 13px; }
table.claims .rule p { margin: 0; }
table.claims ul { margin: 0; padding-left: 18px; }
.verdict { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12.5px; }
.verdict.confirmed { background: #dff3e4; color: #1d6b33; }
.verdict.refuted { background: #fbe0df; color: #9b1c1c; }
.verdict.unmeasured { background: #eceef1; color: #4a525c; }
.mark { font-weight: 700; }
.mark.yes { color: #1d7a36; }
.mark.no, .mark.died { color: #c62828; }
.mark.partial { color: #d49a00; }
.mark.none { color: var(--muted); }
@media print { nav { display: none; } }
`
