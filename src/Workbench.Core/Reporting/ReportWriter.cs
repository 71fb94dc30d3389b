using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Workbench.Evals.Records;
using Workbench.Evals.Scoring;
using Workbench.Evals.Statistics;

namespace Workbench.Reporting;

/// <summary>Paths of a written report.</summary>
public sealed record ReportFiles(string Folder, string Html, string Markdown);

/// <summary>
/// Writes a <see cref="ReportModel"/> as a self-contained HTML page (images as data URIs, CSS inline, no external
/// requests) and as a Markdown summary for CI comments. Every string that comes from data is escaped; the only
/// script is the writer's own self-check, allowed by hash in the page's Content-Security-Policy, so even a
/// mis-escaped string could not run script.
/// </summary>
public static class ReportWriter
{
    public const string HtmlFileName = "index.html";
    public const string MarkdownFileName = "summary.md";

    /// <summary>
    /// After load, records on the root element how many images loaded and how many script errors happened
    /// (data-selfcheck="done", data-images-total, data-images-broken, data-errors) and how the page is laid out
    /// (data-viewport-width; data-page-overflow: px the page is wider than the window; data-box-overflow: elements whose content is wider
    /// than their box, i.e. that scroll sideways; data-max-row-height: the tallest table row in px; data-verdict-top:
    /// where the one-line verdict starts), so a headless browser's DOM dump can verify the page.
    /// </summary>
    public const string SelfCheckScript =
        "(function(){var errors=0;window.addEventListener('error',function(){errors++;},true);" +
        "function done(){var imgs=Array.prototype.slice.call(document.images);" +
        "var broken=imgs.filter(function(i){return !(i.complete&&i.naturalWidth>0);}).length;" +
        "var r=document.documentElement;r.setAttribute('data-images-total',imgs.length);" +
        "r.setAttribute('data-images-broken',broken);r.setAttribute('data-errors',errors);" +
        "r.setAttribute('data-viewport-width',window.innerWidth);r.setAttribute('data-page-overflow',Math.max(0,r.scrollWidth-window.innerWidth));" +
        "var boxes=Array.prototype.slice.call(document.querySelectorAll('section,table,figure'));" +
        "r.setAttribute('data-box-overflow',boxes.filter(function(b){return b.scrollWidth>b.clientWidth+1;}).length);" +
        "var rows=Array.prototype.slice.call(document.querySelectorAll('tr'));" +
        "r.setAttribute('data-max-row-height',Math.round(rows.reduce(function(m,t){return Math.max(m,t.getBoundingClientRect().height);},0)));" +
        "var v=document.getElementById('verdict');r.setAttribute('data-verdict-top',v?Math.round(v.getBoundingClientRect().top+window.scrollY):-1);" +
        "r.setAttribute('data-selfcheck','done');}" +
        "if(document.readyState==='complete'){done();}else{window.addEventListener('load',done);}})();";

    private static readonly string ScriptHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(SelfCheckScript)));

    /// <summary>Writes index.html and summary.md into <paramref name="folder"/> (each atomically); optionally the plots as PNG + SVG under plots/.</summary>
    public static ReportFiles Write(ReportModel model, string folder, bool savePlotFiles = false)
    {
        Directory.CreateDirectory(folder);
        string html = Path.Combine(folder, HtmlFileName);
        string md = Path.Combine(folder, MarkdownFileName);
        Runtime.AtomicFile.WriteAllText(html, Html(model));
        Runtime.AtomicFile.WriteAllText(md, Markdown(model));
        if (savePlotFiles)
            foreach (var plot in model.Plots.Concat(model.Inputs.Sections.SelectMany(s => s.Plots)))
                plot.Save(Path.Combine(folder, "plots"));
        return new ReportFiles(folder, html, md);
    }

    // ── HTML ────────────────────────────────────────────────────────────────────────────────────────────

    public static string Html(ReportModel model)
    {
        var h = new StringBuilder();
        string E(string? s) => Reporting.Html.Encode(s);
        var r = model.Inputs;
        bool pass = model.Status == ReportStatus.Pass;

        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
         .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
         .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-")
         .Append(ScriptHash).Append("'\">\n")
         .Append("<title>").Append(E(r.Title)).Append("</title>\n<style>").Append(Css).Append("</style>\n")
         .Append("<script>").Append(SelfCheckScript).Append("</script>\n</head>\n<body>\n<main>\n");

        h.Append("<header>\n<h1>").Append(E(r.Title)).Append("</h1>\n");
        h.Append("<p id=\"verdict\" class=\"verdict ").Append(pass ? "pass" : "regressed").Append("\">")
         .Append(E(model.VerdictLine)).Append("</p>\n");
        if (r.Subtitle.Length > 0) h.Append("<p class=\"subtitle\">").Append(E(r.Subtitle)).Append("</p>\n");
        if (r.Notice.Length > 0) h.Append("<p class=\"notice\">").Append(E(r.Notice)).Append("</p>\n");
        h.Append("<p class=\"meta\">Generated ").Append(E(r.Generated.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))).Append("</p>\n</header>\n");

        // Regressions and failed gates
        var worse = r.Comparisons.Where(c => c.Verdict == Verdict.Worse).ToList();
        var failed = r.Gates.Where(g => !g.Passed).ToList();
        h.Append("<section id=\"problems\">\n<h2>Regressions and failed gates</h2>\n");
        if (worse.Count == 0 && failed.Count == 0) h.Append("<p class=\"ok\">None.</p>\n");
        if (failed.Count > 0) GatesTable(h, failed);
        if (worse.Count > 0) ComparisonTables(h, r, worse);
        h.Append("</section>\n");

        if (r.Comparisons.Count > 0)
        {
            h.Append("<section id=\"comparisons\">\n<h2>Paired comparisons: ").Append(E(r.CandidateName)).Append(" vs ").Append(E(r.BaselineName)).Append("</h2>\n");
            ComparisonTables(h, r, r.Comparisons);
            h.Append("<p class=\"note\">Difference = ").Append(E(r.CandidateName)).Append(" − ").Append(E(r.BaselineName))
             .Append(" with its 95% interval; p adjusted by Holm across the comparisons; ↑ higher is better, ↓ lower is better. ")
             .Append("Hover a test for its details.</p>\n</section>\n");
        }
        if (r.Gates.Count > 0)
        {
            h.Append("<section id=\"gates\">\n<h2>Gates</h2>\n");
            GatesTable(h, r.Gates);
            h.Append("</section>\n");
        }

        if (r.Estimates.Count > 0)
        {
            h.Append("<section id=\"suites\">\n<h2>Results by suite</h2>\n");
            foreach (var suite in r.Estimates.GroupBy(e => e.Suite))
            {
                var versions = suite.Select(e => e.Version).Distinct().ToList();
                h.Append("<h3>").Append(E(suite.Key)).Append("</h3>\n<table class=\"suite\">\n<thead><tr><th>Task</th><th>Metric</th>");
                foreach (var v in versions) h.Append("<th>").Append(E(v)).Append("</th>");
                h.Append("</tr></thead>\n<tbody>\n");
                foreach (var row in suite.GroupBy(e => (e.Task, e.Metric)))
                {
                    h.Append("<tr><td>").Append(E(row.Key.Task)).Append("</td>");
                    MetricCell(h, row.Key.Metric, row.First().Info);
                    foreach (var v in versions)
                    {
                        var e = row.FirstOrDefault(x => x.Version == v);
                        if (e is null) { h.Append("<td class=\"num\">–</td>"); continue; }
                        h.Append("<td class=\"num\"><span class=\"v\">").Append(E(Format.Value(e.Value, e.Unit))).Append("</span>");
                        if (e.Low != e.Value || e.High != e.Value)
                            h.Append(" <span class=\"ci\">").Append(E(Format.Interval(e.Low, e.High, e.Unit))).Append("</span>");
                        if (e.N > 0) h.Append(" <span class=\"n\">n=").Append(e.N.ToString(CultureInfo.InvariantCulture)).Append("</span>");
                        h.Append("</td>");
                    }
                    h.Append("</tr>\n");
                }
                h.Append("</tbody>\n</table>\n");
            }
            h.Append("<p class=\"note\">Values with 95% intervals in brackets; n = episodes; ↑ higher is better, ↓ lower is better.</p>\n</section>\n");
        }

        if (model.Plots.Count > 0)
        {
            h.Append("<section id=\"plots\">\n<h2>Plots</h2>\n");
            foreach (var plot in model.Plots) Figure(h, plot);
            h.Append("</section>\n");
        }

        foreach (var section in r.Sections)
        {
            h.Append("<section>\n<h2>").Append(E(section.Heading)).Append("</h2>\n");
            foreach (var p in section.Paragraphs) h.Append("<p>").Append(E(p)).Append("</p>\n");
            foreach (var plot in section.Plots) Figure(h, plot);
            h.Append("</section>\n");
        }

        if (r.Metadata is { } m)
        {
            h.Append("<section id=\"metadata\">\n<h2>Run metadata</h2>\n<table class=\"kv\">\n<tbody>\n");
            void Row(string key, string value) => h.Append("<tr><th>").Append(E(key)).Append("</th><td><code>").Append(E(value)).Append("</code></td></tr>\n");
            if (m.GitCommit.Length > 0) Row("git commit", m.GitCommit);
            if (m.Machine.Length > 0) Row("machine", m.Machine);
            foreach (var (k, v) in m.ConfigHashes) Row($"config {k}", v);
            foreach (var (k, v) in m.DatasetFingerprints) Row($"dataset {k}", v);
            foreach (var (k, v) in m.Durations) Row($"duration {k}", Format.Duration(v));
            foreach (var (k, v) in m.Extra) Row(k, v);
            h.Append("</tbody>\n</table>\n");
            if (m.Results.Count > 0)
            {
                h.Append("<h3>Results used</h3>\n<table class=\"sources\">\n<thead><tr><th>Policy</th><th>Suite</th><th>Checkpoint sha256</th>")
                 .Append("<th>Suite sha256</th><th>Code commit</th></tr></thead>\n<tbody>\n");
                foreach (var source in m.Results)
                    h.Append("<tr><td>").Append(E(source.Policy)).Append("</td><td>").Append(E(source.Suite)).Append("</td><td><code>")
                     .Append(E(Provenance.Short(source.Provenance.CheckpointSha256))).Append("</code></td><td><code>")
                     .Append(E(Provenance.Short(source.Provenance.SuiteSha256))).Append("</code></td><td><code>")
                     .Append(E(ShortCommit(source.Provenance.CodeCommit))).Append("</code></td></tr>\n");
                h.Append("</tbody>\n</table>\n");
            }
            h.Append("</section>\n");
        }

        h.Append("<footer>Workbench report · self-contained page, no external resources</footer>\n</main>\n</body>\n</html>\n");
        return h.ToString();
    }

    private static string ShortCommit(string commit) =>
        commit.Length > 12 && commit[..12].All(char.IsAsciiHexDigit) ? commit[..12] + (commit.EndsWith("-dirty", StringComparison.Ordinal) ? "-dirty" : "") : commit;

    private static void Figure(StringBuilder h, PlotImage plot) =>
        h.Append("<figure>").Append(plot.ToHtml()).Append("<figcaption>").Append(Reporting.Html.Encode(plot.Title)).Append("</figcaption></figure>\n");

    // The metric's name with the direction its scorer declared; the description on hover. Names break after an
    // underscore (<wbr>) rather than inside a word.
    private static void MetricCell(StringBuilder h, string metric, MetricInfo info) =>
        h.Append("<td class=\"metric\" title=\"").Append(Reporting.Html.Encode(info.Description)).Append("\">")
         .Append(Reporting.Html.Encode(metric).Replace("_", "_<wbr>"))
         .Append(" <span class=\"dir\">").Append(info.Arrow).Append("</span></td>");

    private static void GatesTable(StringBuilder h, IEnumerable<GateRow> gates)
    {
        h.Append("<table class=\"gates\">\n<thead><tr><th>Gate</th><th>Result</th><th>Detail</th></tr></thead>\n<tbody>\n");
        foreach (var g in gates)
            h.Append("<tr class=\"").Append(g.Passed ? "pass" : "fail").Append("\"><td>").Append(Reporting.Html.Encode(g.Name))
             .Append("</td><td class=\"res\">").Append(g.Passed ? "passed" : "FAILED").Append("</td><td class=\"detail\">").Append(Reporting.Html.Encode(g.Message)).Append("</td></tr>\n");
        h.Append("</tbody>\n</table>\n");
    }

    // One table per suite (the suite is the heading, not a column); the test in a word, its details on hover.
    private static void ComparisonTables(StringBuilder h, ReportInputs r, IEnumerable<ComparisonRow> rows)
    {
        string E(string? s) => Reporting.Html.Encode(s);
        foreach (var suite in rows.GroupBy(c => c.Suite))
        {
            h.Append("<h3>").Append(E(suite.Key)).Append("</h3>\n<table class=\"comparisons\">\n<thead><tr><th>Task</th><th>Metric</th><th>")
             .Append(E(r.BaselineName)).Append("</th><th>").Append(E(r.CandidateName))
             .Append("</th><th>Difference [95% CI]</th><th>p</th><th>p adj.</th><th>Verdict</th><th>Test</th></tr></thead>\n<tbody>\n");
            foreach (var c in suite)
            {
                string cls = c.Verdict switch { Verdict.Worse => "fail", Verdict.Better => "better", _ => "same" };
                h.Append("<tr class=\"").Append(cls).Append("\"><td>").Append(E(c.Task)).Append("</td>");
                MetricCell(h, c.Metric, c.Info);
                h.Append("<td class=\"num\">").Append(E(Format.Value(c.A, c.Unit))).Append("</td><td class=\"num\">").Append(E(Format.Value(c.B, c.Unit)))
                 .Append("</td><td class=\"num\">").Append(E(Format.DeltaWithInterval(c.Difference, c.Low, c.High, c.Unit)))
                 .Append("</td><td class=\"num\">").Append(E(Format.P(c.P))).Append("</td><td class=\"num\">").Append(E(Format.P(c.AdjustedP)))
                 .Append("</td><td>").Append(E(Verdicts.Text(c.Verdict))).Append("</td><td class=\"test\" title=\"").Append(E(c.Test)).Append("\">")
                 .Append(E(c.Method.Length > 0 ? c.Method : c.Test)).Append("</td></tr>\n");
            }
            h.Append("</tbody>\n</table>\n");
        }
    }

    // Tables fit the page (no sideways scrolling at 1280 px): the suite is a heading, not a column; long text wraps
    // inside its cell, numbers and intervals stay on their line; the browser test checks it.
    private const string Css = """
body{margin:0;background:#f6f7f9;color:#1b1f24;font:15px/1.5 system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px 28px 48px;background:#fff;min-height:100vh;box-sizing:border-box}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 10px;border-bottom:1px solid #e3e6ea;padding-bottom:4px}h3{font-size:16px;margin:20px 0 6px}
.subtitle{color:#4a5360;margin:0 0 8px}.meta,.note,footer{color:#6a7380;font-size:13px}
.notice{background:#fff4d6;border:1px solid #e6c35c;border-radius:6px;padding:8px 12px;font-weight:600}
.verdict{font-size:18px;font-weight:700;padding:12px 16px;border-radius:8px;margin:12px 0;overflow-wrap:anywhere}
.verdict.pass{background:#e3f4ec;border:2px solid #009E73}.verdict.regressed{background:#fbe6dc;border:2px solid #D55E00}
table{border-collapse:collapse;margin:8px 0 16px;font-size:14px;width:100%}
th,td{border:1px solid #dde1e6;padding:4px 7px;text-align:left;vertical-align:top}td{overflow-wrap:anywhere}thead th{background:#eef1f4}
td.num{text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:normal}td.res{white-space:nowrap;overflow-wrap:normal}td.metric{overflow-wrap:normal}
.v,.ci,.n,td.num{white-space:nowrap}td.num:has(.ci){white-space:normal}
.ci,.n,td.test,td.detail{color:#5b6470;font-size:12px}.dir{color:#6a7380}
td.test{cursor:help}
tr.fail td{background:#fbe6dc}tr.better td{background:#e3f4ec}
table.kv th{width:220px;background:#f3f5f7;font-weight:600}code{font-size:13px;word-break:break-all}
figure{margin:16px 0 28px}figure img{max-width:100%;height:auto;border:1px solid #e3e6ea;border-radius:4px}
figcaption{color:#4a5360;font-size:13px;margin-top:4px}.ok{color:#00704f;font-weight:600}
footer{margin-top:40px;border-top:1px solid #e3e6ea;padding-top:8px}
""";

    // ── Markdown ────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>A short summary for CI comments: verdict, problems, comparisons, gates, per-suite tables, metadata (no images).</summary>
    public static string Markdown(ReportModel model)
    {
        var md = new StringBuilder();
        string M(string? s) => Reporting.Html.Markdown(s);
        var r = model.Inputs;
        md.Append("## ").Append(M(r.Title)).Append("\n\n");
        md.Append("**").Append(M(model.VerdictLine)).Append("**\n\n");
        if (r.Notice.Length > 0) md.Append("> ").Append(M(r.Notice)).Append("\n\n");
        if (r.Subtitle.Length > 0) md.Append(M(r.Subtitle)).Append("\n\n");

        var worse = r.Comparisons.Where(c => c.Verdict == Verdict.Worse).ToList();
        var failed = r.Gates.Where(g => !g.Passed).ToList();
        md.Append("### Regressions and failed gates\n\n");
        if (worse.Count == 0 && failed.Count == 0) md.Append("None.\n\n");
        if (failed.Count > 0) MdGates(md, failed);
        if (worse.Count > 0) MdComparisons(md, r, worse);

        if (r.Comparisons.Count > 0)
        {
            md.Append("### Paired comparisons: ").Append(M(r.CandidateName)).Append(" vs ").Append(M(r.BaselineName)).Append("\n\n");
            MdComparisons(md, r, r.Comparisons);
        }
        if (r.Gates.Count > 0)
        {
            md.Append("### Gates\n\n");
            MdGates(md, r.Gates);
        }
        foreach (var suite in r.Estimates.GroupBy(e => e.Suite))
        {
            var versions = suite.Select(e => e.Version).Distinct().ToList();
            md.Append("### Suite ").Append(M(suite.Key)).Append("\n\n| Task | Metric | ").Append(string.Join(" | ", versions.Select(M))).Append(" |\n|---|---|")
              .Append(string.Concat(versions.Select(_ => "---:|"))).Append('\n');
            foreach (var row in suite.GroupBy(e => (e.Task, e.Metric)))
            {
                md.Append("| ").Append(M(row.Key.Task)).Append(" | ").Append(M(row.Key.Metric)).Append(' ').Append(row.First().Info.Arrow).Append(" | ");
                md.Append(string.Join(" | ", versions.Select(v => row.FirstOrDefault(x => x.Version == v) is { } e
                    ? M(e.Low != e.Value || e.High != e.Value ? $"{Format.Value(e.Value, e.Unit)} {Format.Interval(e.Low, e.High, e.Unit)}" : Format.Value(e.Value, e.Unit))
                    : "–")));
                md.Append(" |\n");
            }
            md.Append('\n');
        }
        if (r.Metadata is { } m)
        {
            md.Append("### Run metadata\n\n");
            if (m.GitCommit.Length > 0) md.Append("- git commit: ").Append(M(m.GitCommit)).Append('\n');
            if (m.Machine.Length > 0) md.Append("- machine: ").Append(M(m.Machine)).Append('\n');
            foreach (var (k, v) in m.ConfigHashes) md.Append("- config ").Append(M(k)).Append(": ").Append(M(v)).Append('\n');
            foreach (var (k, v) in m.DatasetFingerprints) md.Append("- dataset ").Append(M(k)).Append(": ").Append(M(v)).Append('\n');
            foreach (var (k, v) in m.Durations) md.Append("- duration ").Append(M(k)).Append(": ").Append(M(Format.Duration(v))).Append('\n');
            foreach (var (k, v) in m.Extra) md.Append("- ").Append(M(k)).Append(": ").Append(M(v)).Append('\n');
            foreach (var s in m.Results)
                md.Append("- results ").Append(M(s.Policy)).Append(" on ").Append(M(s.Suite)).Append(": checkpoint ")
                  .Append(M(Provenance.Short(s.Provenance.CheckpointSha256))).Append(", suite ").Append(M(Provenance.Short(s.Provenance.SuiteSha256)))
                  .Append(", code ").Append(M(ShortCommit(s.Provenance.CodeCommit))).Append('\n');
            md.Append('\n');
        }
        md.Append("_Generated ").Append(r.Generated.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append(" by Workbench; plots are in the HTML report._\n");
        return md.ToString();
    }

    private static void MdGates(StringBuilder md, IEnumerable<GateRow> gates)
    {
        md.Append("| Gate | Result | Detail |\n|---|---|---|\n");
        foreach (var g in gates)
            md.Append("| ").Append(Reporting.Html.Markdown(g.Name)).Append(" | ").Append(g.Passed ? "passed" : "**FAILED**").Append(" | ")
              .Append(Reporting.Html.Markdown(g.Message)).Append(" |\n");
        md.Append('\n');
    }

    private static void MdComparisons(StringBuilder md, ReportInputs r, IEnumerable<ComparisonRow> rows)
    {
        string M(string? s) => Reporting.Html.Markdown(s);
        md.Append("| Suite | Task | Metric | ").Append(M(r.BaselineName)).Append(" | ").Append(M(r.CandidateName))
          .Append(" | Difference [95% CI] | p (adj.) | Verdict |\n|---|---|---|---:|---:|---:|---:|---|\n");
        foreach (var c in rows)
            md.Append("| ").Append(M(c.Suite)).Append(" | ").Append(M(c.Task)).Append(" | ").Append(M(c.Metric)).Append(' ').Append(c.Info.Arrow).Append(" | ")
              .Append(M(Format.Value(c.A, c.Unit))).Append(" | ").Append(M(Format.Value(c.B, c.Unit))).Append(" | ")
              .Append(M(Format.DeltaWithInterval(c.Difference, c.Low, c.High, c.Unit))).Append(" | ")
              .Append(M(Format.P(c.AdjustedP))).Append(" | ").Append(c.Verdict == Verdict.Worse ? "**worse**" : M(Verdicts.Text(c.Verdict))).Append(" |\n");
        md.Append('\n');
    }
}
