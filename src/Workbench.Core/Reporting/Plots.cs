using System.Globalization;
using ScottPlot;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;

namespace Workbench.Reporting;

/// <summary>
/// Every plot Workbench draws, with readable defaults: a title, axis labels with units, a legend when there is
/// more than one series, the Okabe–Ito palette, and 900×500 pixels. Each returns a <see cref="PlotImage"/>
/// holding PNG and SVG; rendering is headless (SkiaSharp) and needs no display.
/// </summary>
public static class Plots
{
    public const int DefaultWidth = 900;
    public const int DefaultHeight = 500;

    /// <summary>Font family used for all text; DejaVu Sans ships with most Linux images and covers − and ×.</summary>
    public static string FontFamily { get; set; } = PickFont();

    // ── learning curves ─────────────────────────────────────────────────────────────────────────────────

    /// <summary>One line per run or version: <paramref name="metric"/> (e.g. loss) against optimizer step.</summary>
    public static PlotImage LearningCurves(IEnumerable<LearningCurve> curves, string metric = "loss", string title = "Learning curves",
        bool logY = false, string name = "learning_curves", int width = DefaultWidth, int height = DefaultHeight, IReadOnlyList<string>? colorOrder = null)
    {
        var list = curves.ToList();
        if (list.Count == 0) throw new ArgumentException("no learning curves to plot", nameof(curves));
        var plot = NewPlot(title, "Optimizer step", logY ? $"{Pretty(metric)} (log scale)" : Pretty(metric));
        for (int i = 0; i < list.Count; i++)
        {
            var points = list[i].Points.Where(p => double.IsFinite(p.Value) && (!logY || p.Value > 0)).OrderBy(p => p.Step).ToList();
            if (points.Count == 0) continue;
            double[] xs = points.Select(p => (double)p.Step).ToArray();
            double[] ys = points.Select(p => logY ? Math.Log10(p.Value) : p.Value).ToArray();
            var line = plot.Add.ScatterLine(xs, ys, ColorOf(list[i].Label, i, colorOrder));
            line.LineWidth = 2;
            line.LegendText = list[i].Label;
        }
        if (logY)
            plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = v => Math.Pow(10, v).ToString("G3", CultureInfo.InvariantCulture) };
        Legend(plot, list.Count);
        return Render(plot, name, title, width, height);
    }

    // ── grouped bars with interval whiskers ─────────────────────────────────────────────────────────────

    /// <summary>
    /// Per-task bars of one metric, grouped by task with one colour per version; whiskers show each interval
    /// (asymmetric intervals such as Wilson's are drawn as they are).
    /// </summary>
    public static PlotImage MetricBars(IEnumerable<MetricEstimate> estimates, string metric, string? suite = null, string? title = null,
        string? name = null, int width = DefaultWidth, int height = DefaultHeight, IReadOnlyList<string>? colorOrder = null)
    {
        var rows = estimates.Where(e => e.Metric == metric && (suite is null || e.Suite == suite)).ToList();
        if (rows.Count == 0) throw new ArgumentException($"no estimates of '{metric}'" + (suite is null ? "" : $" in suite '{suite}'"), nameof(estimates));
        title ??= $"{Pretty(metric)} by task" + (suite is null ? "" : $" — {suite}");
        return GroupedBars(rows, e => e.Task, title, "Task", AxisLabel(metric, rows[0].Unit), name ?? Slug($"{suite}_{metric}_bars"), width, height, colorOrder);
    }

    /// <summary>Names of the safety metrics the safety panel shows, in this order, when present.</summary>
    public static readonly IReadOnlyList<string> SafetyMetrics = ["hazard_rate", "harmful_compliance", "over_refusal"];

    /// <summary>
    /// Safety panel: hazard rate, harmful compliance and over-refusal (all lower is better) per version with
    /// intervals. Estimates of other metrics are ignored; each metric's estimates should be pooled over the
    /// safety suite (one per version).
    /// </summary>
    public static PlotImage SafetyPanel(IEnumerable<MetricEstimate> estimates, IReadOnlyList<string>? metrics = null, string title = "Safety (lower is better)",
        string name = "safety_panel", int width = DefaultWidth, int height = DefaultHeight, IReadOnlyList<string>? colorOrder = null)
    {
        metrics ??= SafetyMetrics;
        var rows = estimates.Where(e => metrics.Contains(e.Metric)).OrderBy(e => metrics.ToList().IndexOf(e.Metric)).ToList();
        if (rows.Count == 0) throw new ArgumentException($"no safety estimates ({string.Join(", ", metrics)})", nameof(estimates));
        return GroupedBars(rows, e => Pretty(e.Metric), title, "Safety metric", AxisLabel("rate", rows[0].Unit), name, width, height, colorOrder);
    }

    private static PlotImage GroupedBars(List<MetricEstimate> rows, Func<MetricEstimate, string> groupOf, string title, string xLabel, string yLabel,
        string name, int width, int height, IReadOnlyList<string>? colorOrder)
    {
        var groups = rows.Select(groupOf).Distinct().ToList();
        var versions = rows.Select(e => e.Version).Distinct().ToList();
        var plot = NewPlot(title, xLabel, yLabel);
        double slot = 0.8 / versions.Count;
        var whiskerX = new List<double>();
        var whiskerY = new List<double>();
        var errLow = new List<double>();
        var errHigh = new List<double>();
        for (int v = 0; v < versions.Count; v++)
        {
            var bars = new List<Bar>();
            foreach (var e in rows.Where(r => r.Version == versions[v]))
            {
                double x = groups.IndexOf(groupOf(e)) + (v - (versions.Count - 1) / 2.0) * slot;
                bars.Add(new Bar { Position = x, Value = e.Value, Size = slot * 0.9, FillColor = ColorOf(versions[v], v, colorOrder), LineWidth = 0 });
                whiskerX.Add(x);
                whiskerY.Add(e.Value);
                errLow.Add(Math.Max(0, e.Value - e.Low));
                errHigh.Add(Math.Max(0, e.High - e.Value));
            }
            var barPlot = plot.Add.Bars(bars);
            barPlot.LegendText = versions[v];
        }
        double[] zeros = new double[whiskerX.Count];
        var whiskers = new ErrorBar(whiskerX, whiskerY, zeros, zeros, errLow, errHigh)
        {
            LineColor = Palette.Ink,
            LineWidth = 1.5f,
            CapSize = Math.Clamp((float)(slot * 40), 4, 12),
        };
        plot.Add.Plottable(whiskers);
        plot.Axes.Bottom.TickGenerator = new NumericManual(Enumerable.Range(0, groups.Count).Select(i => (double)i).ToArray(), groups.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.HideGrid();
        plot.Grid.YAxisStyle.IsVisible = true;
        double top = rows.Max(r => Math.Max(r.High, r.Value));
        if (rows[0].Unit == Units.Proportion)
        {
            PercentAxis(plot);
            plot.Axes.SetLimitsY(0, Math.Min(1.08, Math.Max(0.05, top * 1.15)));
        }
        else plot.Axes.SetLimitsY(0, top * 1.15);
        plot.Axes.SetLimitsX(-0.6, groups.Count - 0.4);
        Legend(plot, versions.Count, forceShow: true);
        return Render(plot, name, title, width, height);
    }

    // ── quality vs latency ──────────────────────────────────────────────────────────────────────────────

    /// <summary>Each version as a point: quality (y, with interval) against mean latency (x, with interval).</summary>
    public static PlotImage QualityVsLatency(IEnumerable<QualityLatencyPoint> points, string qualityLabel = "Success rate", string qualityUnit = Units.Proportion,
        string title = "Quality vs latency", string name = "quality_vs_latency", int width = DefaultWidth, int height = DefaultHeight,
        IReadOnlyList<string>? colorOrder = null)
    {
        var list = points.ToList();
        if (list.Count == 0) throw new ArgumentException("no points to plot", nameof(points));
        var plot = NewPlot(title, "Latency per step (ms)", AxisLabel(qualityLabel, qualityUnit));
        for (int i = 0; i < list.Count; i++)
        {
            var p = list[i];
            var color = ColorOf(p.Version, i, colorOrder);
            var whisker = new ErrorBar([p.LatencyMs], [p.Quality], [Math.Max(0, p.LatencyMs - p.LatencyLowMs)], [Math.Max(0, p.LatencyHighMs - p.LatencyMs)],
                [Math.Max(0, p.Quality - p.QualityLow)], [Math.Max(0, p.QualityHigh - p.Quality)])
            { LineColor = color, LineWidth = 1.5f, CapSize = 6 };
            plot.Add.Plottable(whisker);
            var marker = plot.Add.Marker(p.LatencyMs, p.Quality, MarkerShape.FilledCircle, 12, color);
            marker.LegendText = p.Version;
        }
        if (qualityUnit == Units.Proportion) PercentAxis(plot);
        plot.Axes.Margins(0.15, 0.15);
        Legend(plot, list.Count, forceShow: true);
        return Render(plot, name, title, width, height);
    }

    // ── history across nights ───────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// One metric across nights: a line per version (and per task when several) with its interval as a band.
    /// Filter with <paramref name="suite"/> and <paramref name="task"/>; all tasks are drawn otherwise.
    /// </summary>
    public static PlotImage History(IEnumerable<HistoryRow> rows, string metric, string? suite = null, string? task = null, string? title = null,
        string? name = null, string unit = Units.Proportion, int width = DefaultWidth, int height = DefaultHeight, IReadOnlyList<string>? colorOrder = null)
    {
        var list = rows.Where(r => r.Metric == metric && (suite is null || r.Suite == suite) && (task is null || r.Task == task)).ToList();
        if (list.Count == 0) throw new ArgumentException($"no history for '{metric}'" + (suite is null ? "" : $" in suite '{suite}'"), nameof(rows));
        title ??= $"{Pretty(metric)} across nights" + (suite is null ? "" : $" — {suite}") + (task is null ? "" : $"/{task}");
        var plot = NewPlot(title, "Night", AxisLabel(metric, unit));
        var series = list.GroupBy(r => (r.Version, r.Task)).OrderBy(g => g.Key.Task, StringComparer.Ordinal).ThenBy(g => g.Key.Version, StringComparer.Ordinal).ToList();
        bool manyTasks = series.Select(s => s.Key.Task).Distinct().Count() > 1;
        for (int i = 0; i < series.Count; i++)
        {
            var nights = series[i].OrderBy(r => r.Date).ToList();
            double[] xs = nights.Select(r => r.Date.ToDateTime(TimeOnly.MinValue).ToOADate()).ToArray();
            var color = manyTasks ? Palette.At(i) : ColorOf(series[i].Key.Version, i, colorOrder);
            if (nights.Count > 1)
            {
                var band = plot.Add.FillY(xs, nights.Select(r => r.Low).ToArray(), nights.Select(r => r.High).ToArray());
                band.FillColor = color.WithAlpha(0.18);
                band.LineWidth = 0;
            }
            else
            {
                var one = new ErrorBar(xs, [nights[0].Value], [0.0], [0.0], [nights[0].Value - nights[0].Low], [nights[0].High - nights[0].Value]) { LineColor = color };
                plot.Add.Plottable(one);
            }
            var line = plot.Add.Scatter(xs, nights.Select(r => r.Value).ToArray(), color);
            line.LineWidth = 2;
            line.MarkerSize = 6;
            line.LegendText = manyTasks ? $"{series[i].Key.Version} · {series[i].Key.Task}" : series[i].Key.Version;
        }
        var dates = plot.Axes.DateTimeTicksBottom();
        if (dates.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic auto)
            auto.LabelFormatter = d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (unit == Units.Proportion) PercentAxis(plot);
        plot.Axes.Margins(0.05, 0.1);
        Legend(plot, series.Count, forceShow: true);
        return Render(plot, name ?? Slug($"history_{suite}_{task}_{metric}"), title, width, height);
    }

    // ── sweeps ──────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// A metric against a swept value: per series, the mean over seeds as a line with its interval as a band and each
    /// seed as a small marker; optionally the threshold as a dashed line and, per series, the estimated first
    /// crossing (median line, interval shaded). Ticks sit at the swept values; <paramref name="logX"/> spaces them by log2.
    /// </summary>
    public static PlotImage Sweep(IEnumerable<SweepCurve> curves, string xLabel, string metric, string unit = Units.Proportion, bool logX = false,
        double? threshold = null, string? title = null, string? name = null, int width = DefaultWidth, int height = DefaultHeight)
    {
        var list = curves.Where(c => c.Points.Count > 0).ToList();
        if (list.Count == 0) throw new ArgumentException("no sweep points to plot", nameof(curves));
        title ??= $"{Pretty(metric)} vs {xLabel}";
        var plot = NewPlot(title, logX ? $"{xLabel} (log scale)" : xLabel, AxisLabel(metric, unit));
        double X(double x) => logX ? Math.Log2(x) : x;
        for (int i = 0; i < list.Count; i++)
        {
            var color = Palette.At(i);
            var points = list[i].Points.OrderBy(p => p.X).ToList();
            double[] xs = points.Select(p => X(p.X)).ToArray();
            if (list[i].Crossing is { } c && double.IsFinite(c.Low) && double.IsFinite(c.High))
            {
                var span = plot.Add.HorizontalSpan(X(c.Low), X(c.High));
                span.FillStyle.Color = color.WithAlpha(0.10);
                span.LineStyle.Width = 0;
                var median = plot.Add.VerticalLine(X(c.Median), 1.5f, color);
                median.LinePattern = LinePattern.Dotted;
            }
            if (points.Count > 1)
            {
                var band = plot.Add.FillY(xs, points.Select(p => p.Low).ToArray(), points.Select(p => p.High).ToArray());
                band.FillColor = color.WithAlpha(0.18);
                band.LineWidth = 0;
            }
            else
            {
                var p = points[0];
                plot.Add.Plottable(new ErrorBar(xs, [p.Mean], [0.0], [0.0], [p.Mean - p.Low], [p.High - p.Mean]) { LineColor = color });
            }
            var seedXs = points.SelectMany(p => p.PerSeed.Select(_ => X(p.X))).ToArray();
            var seedYs = points.SelectMany(p => p.PerSeed).ToArray();
            if (seedXs.Length > 0)
            {
                var seeds = plot.Add.ScatterPoints(seedXs, seedYs, color.WithAlpha(0.7));
                seeds.MarkerShape = MarkerShape.OpenCircle;
                seeds.MarkerSize = 6;
            }
            var line = plot.Add.Scatter(xs, points.Select(p => p.Mean).ToArray(), color);
            line.LineWidth = 2;
            line.MarkerSize = 7;
            line.LegendText = list[i].Series;
        }
        if (threshold is double t)
        {
            var level = plot.Add.HorizontalLine(t, 1.5f, Palette.Ink);
            level.LinePattern = LinePattern.Dashed;
            level.LegendText = unit == Units.Proportion ? $"threshold {t * 100:0.#}%" : $"threshold {t:G4}";
        }
        var ticks = list.SelectMany(c => c.Points.Select(p => p.X)).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new NumericManual(ticks.Select(X).ToArray(), ticks.Select(Compact).ToArray());
        if (unit == Units.Proportion) PercentAxis(plot);
        plot.Axes.Margins(0.06, 0.1);
        Legend(plot, list.Count + (threshold is null ? 0 : 1));
        return Render(plot, name ?? Slug($"{metric}_vs_{xLabel}"), title, width, height);
    }

    /// <summary>1000 → "1k", 1500 → "1.5k", 2500000 → "2.5M"; small numbers as they are.</summary>
    internal static string Compact(double v) => Math.Abs(v) switch
    {
        >= 1e6 => (v / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (v / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "k",
        _ => v.ToString("G4", CultureInfo.InvariantCulture),
    };

    // ── confusion matrix ────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// Heatmap of a confusion matrix: colour is the row-normalised rate (recall per true class, viridis),
    /// each cell is annotated with its count.
    /// </summary>
    public static PlotImage Confusion(ConfusionMatrix matrix, string? name = null, int width = 700, int height = 600)
    {
        matrix.Check();
        int k = matrix.Labels.Count;
        var rates = new double[k, k];
        for (int r = 0; r < k; r++)
        {
            double total = 0;
            for (int c = 0; c < k; c++) total += matrix.Counts[r, c];
            for (int c = 0; c < k; c++) rates[r, c] = total > 0 ? matrix.Counts[r, c] / total : double.NaN;
        }
        var plot = NewPlot(matrix.Title, "Predicted class", "True class");
        var heatmap = plot.Add.Heatmap(rates);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        // Cell (r, c) is centred on x = c and y = k − 1 − r (row 0 at the top, like the matrix is written).
        for (int r = 0; r < k; r++)
        for (int c = 0; c < k; c++)
        {
            var text = plot.Add.Text(matrix.Counts[r, c].ToString(CultureInfo.InvariantCulture), c, k - 1 - r);
            text.LabelFontSize = k > 12 ? 9 : 14;
            text.LabelFontName = FontFamily;
            text.LabelAlignment = Alignment.MiddleCenter;
            text.LabelFontColor = double.IsNaN(rates[r, c]) || rates[r, c] > 0.5 ? Colors.Black : Colors.White;
        }
        var ticks = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.TickGenerator = new NumericManual(ticks, matrix.Labels.ToArray());
        plot.Axes.Left.TickGenerator = new NumericManual(ticks, matrix.Labels.Reverse().ToArray());
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.HideGrid();
        var bar = plot.Add.ColorBar(heatmap, Edge.Right);
        bar.Label = "Share of true class";
        bar.LabelStyle.FontSize = 13;
        bar.LabelStyle.FontName = FontFamily;
        return Render(plot, name ?? Slug("confusion_" + matrix.Title), matrix.Title, width, height);
    }

    // ── shared helpers ──────────────────────────────────────────────────────────────────────────────────

    /// <summary>
    /// A series keeps its colour across plots: its position in <paramref name="order"/> (e.g. all versions of a report)
    /// picks the palette entry; series not in the order fall back to their index in the plot.
    /// </summary>
    private static Color ColorOf(string label, int index, IReadOnlyList<string>? order)
    {
        int at = order is null ? -1 : order.ToList().IndexOf(label);
        return Palette.At(at >= 0 ? at : index);
    }

    private static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Font.Set(FontFamily);
        plot.Title(title, size: 18);
        plot.XLabel(xLabel, size: 14);
        plot.YLabel(yLabel, size: 14);
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Grid.MajorLineColor = Color.FromHex("#000000").WithAlpha(0.08);
        return plot;
    }

    private static void Legend(Plot plot, int series, bool forceShow = false)
    {
        if (series < 2 && !forceShow) return;
        plot.Legend.FontName = FontFamily;
        plot.Legend.FontSize = 12;
        plot.ShowLegend(Edge.Right);
    }

    private static void PercentAxis(Plot plot) =>
        plot.Axes.Left.TickGenerator = new NumericAutomatic { LabelFormatter = v => (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" };

    private static string AxisLabel(string metric, string unit) => unit switch
    {
        Units.Proportion => $"{Pretty(metric)} (%)",
        "" => Pretty(metric),
        _ => $"{Pretty(metric)} ({unit})",
    };

    /// <summary>"success_rate" → "Success rate".</summary>
    public static string Pretty(string metric)
    {
        string spaced = metric.Replace('_', ' ').Trim();
        return spaced.Length == 0 ? spaced : char.ToUpperInvariant(spaced[0]) + spaced[1..];
    }

    internal static string Slug(string text)
    {
        var chars = text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        string slug = string.Join('_', new string(chars).Split('_', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length == 0 ? "plot" : slug;
    }

    private static PlotImage Render(Plot plot, string name, string title, int width, int height)
    {
        byte[] png = plot.GetImageBytes(width, height, ImageFormat.Png);
        string svg = plot.GetSvgXml(width, height);
        return new PlotImage(Slug(name), title, width, height, png, svg);
    }

    private static string PickFont()
    {
        foreach (string family in new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica" })
            if (SkiaSharp.SKFontManager.Default.MatchFamily(family) is { } face && face.FamilyName == family)
                return family;
        return ScottPlot.Fonts.Default;
    }
}
