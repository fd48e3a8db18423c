/** The admin page's stylesheet, served as a file (`assets/admin.css`). */
export const ADMIN_STYLE = `:root {
  color-scheme: light;
  --ink: #1b1f24; --muted: #5b6470; --line: #d8dde3; --bg: #f6f7f9; --card: #fff;
  --accent: #1f5fd1; --accent-ink: #fff; --danger: #b42318; --ok: #067647; --warn: #b54708;
  --focus: #f0b400;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; background: var(--bg); color: var(--ink); }
a { color: var(--accent); }
code { font: 13px/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
small { display: block; color: var(--muted); font-size: 12px; }
.muted { color: var(--muted); }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 8px; top: 8px; background: var(--card); padding: 6px 10px; z-index: 10; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.top { display: flex; align-items: center; justify-content: space-between; gap: 16px;
  padding: 20px 28px; background: var(--card); border-bottom: 1px solid var(--line); }
.top h1 { margin: 0; font-size: 22px; }
.top p { margin: 2px 0 0; }
main { padding: 20px 28px 40px; }
button { font: inherit; padding: 7px 14px; border-radius: 6px; border: 1px solid var(--line);
  background: var(--card); color: var(--ink); cursor: pointer; }
button:hover { border-color: #aab3bd; }
button:disabled { opacity: .6; cursor: progress; }
button.primary { background: var(--accent); border-color: var(--accent); color: var(--accent-ink); font-weight: 600; }
button.danger { color: var(--danger); }
button.primary.danger { background: var(--danger); border-color: var(--danger); color: #fff; }
.flash { margin: 0 0 16px; padding: 10px 14px; border-radius: 6px; background: #ecfdf3; border: 1px solid #abefc6; }
.flash.error { background: #fef3f2; border-color: #fecdca; }
.filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 12px; margin-bottom: 16px; }
.field { display: flex; flex-direction: column; gap: 4px; margin-bottom: 12px; }
.filters .field { margin: 0; }
.field.buttons { flex-direction: row; align-items: center; gap: 12px; }
label, legend { font-weight: 600; font-size: 13px; }
input, select { font: inherit; padding: 7px 9px; border: 1px solid #b8c0ca; border-radius: 6px; background: #fff; min-width: 0; }
fieldset { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px 0; margin: 0 0 12px; }
.row2, .row3 { display: grid; gap: 12px; grid-template-columns: repeat(2, minmax(0, 1fr)); }
.row3 { grid-template-columns: repeat(3, minmax(0, 1fr)); }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 10px; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; padding: 12px 14px; color: var(--muted); }
th, td { text-align: left; vertical-align: top; padding: 10px 12px; border-top: 1px solid var(--line); }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); white-space: nowrap; }
td .name { display: block; overflow-wrap: anywhere; }
td .id, td code.prefix { white-space: nowrap; }
.scopes { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px; }
.scopes code { background: #eef2f6; border-radius: 4px; padding: 1px 6px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.badge.active { background: #dcfae6; color: var(--ok); }
.badge.inactive { background: #eaecf0; color: #344054; }
.badge.expired { background: #fef0c7; color: var(--warn); }
.badge.blocked { background: #fee4e2; color: var(--danger); }
.env { display: block; font-size: 13px; }
.env.production { font-weight: 600; }
meter { display: block; width: 100%; max-width: 140px; }
time span, td .customer span { white-space: nowrap; }
.actions { display: grid; grid-template-columns: repeat(2, max-content); gap: 4px; }
.actions button { padding: 4px 9px; font-size: 13px; }
.pager { margin-top: 16px; }
.empty { background: var(--card); border: 1px dashed var(--line); border-radius: 10px; padding: 28px; text-align: center; }
dialog { border: none; border-radius: 12px; padding: 22px 24px; width: min(640px, calc(100vw - 24px));
  box-shadow: 0 20px 60px rgba(16, 24, 40, .3); color: var(--ink); }
dialog::backdrop { background: rgba(16, 24, 40, .45); }
dialog h2 { margin: 0 0 14px; font-size: 19px; }
dialog .buttons { display: flex; justify-content: flex-end; gap: 10px; margin-top: 8px; }
.form-error { color: var(--danger); min-height: 1.2em; margin: 4px 0; }
.warning { background: #fffaeb; border: 1px solid #fedf89; border-radius: 8px; padding: 10px 12px; }
.secret { display: flex; gap: 8px; align-items: stretch; margin: 12px 0 4px; }
.secret code { flex: 1; padding: 10px 12px; background: #101828; color: #f2f4f7; border-radius: 8px;
  font-size: 14px; overflow-wrap: anywhere; user-select: all; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 10px 24px; background: var(--card);
  border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; max-width: 720px; }
.facts dt { font-weight: 600; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 20px; max-width: 720px; margin-top: 20px; }
.card h2 { margin: 0 0 14px; font-size: 17px; }
.card .buttons { display: flex; justify-content: flex-end; }
.facts dd { margin: 0; }
@media (max-width: 900px) {
  .top, main { padding-left: 14px; padding-right: 14px; }
  .table-wrap { border: none; background: none; overflow: visible; }
  table, thead, tbody, tr, td, caption { display: block; }
  thead { position: absolute; left: -9999px; }
  tr { background: var(--card); border: 1px solid var(--line); border-radius: 10px; margin-bottom: 12px; padding: 6px 0; }
  td { border: none; padding: 6px 14px; }
  td::before { content: attr(data-label); display: block; font-size: 11px; font-weight: 600; color: var(--muted);
    text-transform: uppercase; letter-spacing: .04em; }
  .row2, .row3 { grid-template-columns: 1fr; }
}
`;
