namespace ProductHub.Hub.Workbench.Shell;

/// <summary>The workbench's one style sheet, sized for a laptop screen (1366x768) and served with the hub, so nothing needs a build.</summary>
public static class WorkbenchStyle
{
    /// <summary>The tab icon: the header's colours, drawn as SVG so that no binary file needs serving.</summary>
    public const string Icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#22304a"/><path d="M10 25V7h7a6 6 0 0 1 0 12h-7" fill="none" stroke="#8fb8f0" stroke-width="3.5"/></svg>
        """;

    public const string Css = """
        :root { --ink: #1d2330; --muted: #5b6474; --line: #d5dae3; --accent: #1a5fb4; --bad: #a51d2d; --good: #26734d; --warn: #8a5a00; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.4 system-ui, "DejaVu Sans", sans-serif; color: var(--ink); background: #f6f7f9; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; z-index: 10; }
        .top { display: flex; align-items: center; gap: 24px; padding: 0 16px; background: #22304a; color: #fff; }
        .brand { font-weight: 600; }
        .top nav ul { display: flex; gap: 4px; list-style: none; margin: 0; padding: 0; }
        .top nav a { display: block; padding: 10px 12px; color: #dbe4f3; text-decoration: none; }
        .top nav a.active { color: #fff; border-bottom: 3px solid #8fb8f0; }
        .top .who { margin-left: auto; display: flex; align-items: center; gap: 8px; font-size: 13px; color: #dbe4f3; }
        main { padding: 12px 16px; }
        h1 { font-size: 20px; margin: 0 0 10px; }
        h2 { font-size: 16px; margin: 14px 0 6px; }
        h3 { font-size: 14px; margin: 10px 0 4px; }
        :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #eef1f5; font-weight: 600; }
        tr.selected td { background: #e4eefb; }
        form.filters, .filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-end; margin-bottom: 10px; }
        label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
        input, select, textarea, button { font: inherit; }
        input, select, textarea { padding: 3px 6px; border: 1px solid #9aa3b2; border-radius: 3px; background: #fff; color: var(--ink); }
        button { padding: 4px 10px; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 3px; cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); }
        button:disabled { opacity: .5; cursor: default; }
        .split { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; align-items: start; }
        .split.detail-wide { grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); }
        .panel code { overflow-wrap: anywhere; }
        table.events td:not(:last-child) { white-space: nowrap; }
        .panel { background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: 10px 12px; }
        .cards { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; margin-bottom: 12px; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: 8px 12px; }
        .card .figure { font-size: 24px; font-weight: 600; }
        .card .caption { color: var(--muted); font-size: 12px; }
        .grid2 { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 12px; }
        pre { background: #f2f4f7; border: 1px solid var(--line); padding: 6px; overflow: auto; max-height: 220px; font-size: 12px; white-space: pre-wrap; word-break: break-all; }
        .status { margin: 6px 0; padding: 6px 10px; border-left: 4px solid var(--good); background: #eef8f1; }
        .status.problem { border-color: var(--bad); background: #fbeeee; }
        .muted { color: var(--muted); }
        .badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; background: #eef1f5; }
        .badge.open, .badge.deadLettered, .badge.failed, .badge.needsAttention { background: #fbe3e5; color: var(--bad); }
        .badge.acknowledged, .badge.resolved, .badge.completed { background: #e1f3e8; color: var(--good); }
        .badge.pending, .badge.sent, .badge.retrying, .badge.inProgress, .badge.compensating { background: #fff1d6; color: var(--warn); }
        ul.tree, ul.tree ul { list-style: none; margin: 0; padding-left: 18px; }
        ul.tree { padding-left: 0; }
        .node { display: grid; grid-template-columns: 22px 26px 76px 72px minmax(100px, 1fr) 64px 96px 180px minmax(0, 1.3fr); gap: 6px; align-items: baseline; padding: 1px 0; }
        .node button.toggle { width: 22px; padding: 0; background: #fff; color: var(--accent); }
        .node .spacer { display: inline-block; width: 22px; flex: none; }
        .node > * { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        .node > .notes { white-space: normal; }
        table.routing td:nth-child(n+3):nth-child(-n+7) { white-space: nowrap; }
        .diff-added { background: #e1f3e8; }
        .diff-removed { background: #fbe3e5; text-decoration: line-through; }
        .diff-changed { background: #fff1d6; }
        .diff-mark { font-size: 11px; font-weight: 600; }
        input[type=range] { width: 100%; }
        svg.chart { width: 100%; height: 180px; background: #fff; border: 1px solid var(--line); }
        svg.chart .axis { stroke: #9aa3b2; stroke-width: 1; }
        svg.chart .series { fill: none; stroke: var(--accent); stroke-width: 2; }
        svg.chart .point { fill: var(--accent); }
        svg.chart text { font-size: 11px; fill: var(--muted); }
        """;
}
