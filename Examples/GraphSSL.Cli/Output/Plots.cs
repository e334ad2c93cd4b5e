namespace GraphSSL.Cli.Output;

/// <summary>PNG figures drawn with ScottPlot.</summary>
public static class Plots
{
    /// <summary>Training loss per epoch.</summary>
    public static void LossCurve(string path, string title, IReadOnlyList<double> losses)
    {
        var plot = new ScottPlot.Plot();
        var xs = Enumerable.Range(1, losses.Count).Select(i => (double)i).ToArray();
        plot.Add.Scatter(xs, losses.ToArray());
        plot.Font.Set(FontFamily);
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("mean training loss");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.SavePng(path, 800, 500);
    }

    /// <summary>
    /// Font family every figure uses: the first of a few common sans-serif families installed on this
    /// machine (ScottPlot's default may be missing on minimal Linux images, which leaves text blank).
    /// </summary>
    public static string FontFamily { get; } = PickFont();

    static string PickFont()
    {
        var installed = SkiaSharp.SKFontManager.Default.FontFamilies.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var name in new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI", "Open Sans" })
            if (installed.Contains(name)) return name;
        return ScottPlot.Fonts.Default;
    }

    /// <summary>
    /// Accuracy per level of one factor, like the study's figures: one point per configuration (its mean
    /// over repeats) with horizontal jitter, and the level's mean as a black bar.
    /// </summary>
    public static void AccuracyByFactor(Stream stream, string title, string axis, IReadOnlyList<string> levels, IReadOnlyList<(int Level, double Accuracy)> points)
    {
        var plot = new ScottPlot.Plot();
        var random = new Random(12345); // fixed jitter: the same figure every time
        var palette = new ScottPlot.Palettes.Category10();
        for (int l = 0; l < levels.Count; l++)
        {
            var ys = points.Where(p => p.Level == l).Select(p => p.Accuracy).ToArray();
            if (ys.Length == 0) continue;
            var xs = ys.Select(_ => l + (random.NextDouble() - 0.5) * 0.4).ToArray();
            var scatter = plot.Add.ScatterPoints(xs, ys);
            scatter.MarkerSize = 7;
            scatter.Color = palette.GetColor(l).WithAlpha(0.7);
            var mean = ys.Average();
            var bar = plot.Add.Line(l - 0.3, mean, l + 0.3, mean);
            bar.LineWidth = 3;
            bar.Color = ScottPlot.Colors.Black;
            var text = plot.Add.Text(mean.ToString("F1", System.Globalization.CultureInfo.InvariantCulture), l + 0.32, mean);
            text.LabelFontSize = 12;
            text.LabelAlignment = ScottPlot.Alignment.MiddleLeft;
            text.LabelFontName = FontFamily;
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, levels.Count).Select(i => (double)i).ToArray(), levels.ToArray());
        plot.Axes.SetLimitsX(-0.6, levels.Count - 0.4);
        plot.Title(title);
        plot.XLabel(axis);
        plot.YLabel("test accuracy (%)");
        plot.Font.Set(FontFamily);
        stream.Write(plot.GetImageBytes(900, 520, ScottPlot.ImageFormat.Png));
    }

    /// <summary>A reproduction at a glance: one bar per row (mean) with its ± std, labelled with the mean.</summary>
    public static void Reproduction(Stream stream, string title, IReadOnlyList<(string Label, double Mean, double Std)> rows)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < rows.Count; i++)
        {
            var (_, mean, std) = rows[i];
            if (double.IsNaN(mean)) continue;
            var bar = plot.Add.Bar(new ScottPlot.Bar { Position = i, Value = mean, Error = double.IsNaN(std) ? 0 : std, FillColor = palette.GetColor(i) });
            var text = plot.Add.Text(mean.ToString("F1", System.Globalization.CultureInfo.InvariantCulture), i, mean + (double.IsNaN(std) ? 0 : std) + 0.5);
            text.LabelFontSize = 13;
            text.LabelAlignment = ScottPlot.Alignment.LowerCenter;
            text.LabelFontName = FontFamily;
        }
        var finite = rows.Where(r => !double.IsNaN(r.Mean)).ToList();
        double low = finite.Count == 0 ? 0 : Math.Max(0, finite.Min(r => r.Mean - (double.IsNaN(r.Std) ? 0 : r.Std)) - 10);
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, rows.Count).Select(i => (double)i).ToArray(), rows.Select(r => r.Label).ToArray());
        plot.Axes.SetLimits(-0.6, rows.Count - 0.4, low, 100);
        plot.Title(title);
        plot.YLabel("test accuracy (%)");
        plot.Font.Set(FontFamily);
        stream.Write(plot.GetImageBytes(Math.Max(700, 130 * rows.Count), 480, ScottPlot.ImageFormat.Png)); // room for every label
    }

    /// <summary>Mean training loss per epoch, one line per method.</summary>
    public static void MeanLossCurves(Stream stream, string title, IReadOnlyList<(string Method, double[] Mean)> curves)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < curves.Count; i++)
        {
            var (method, mean) = curves[i];
            var xs = Enumerable.Range(1, mean.Length).Select(e => (double)e).ToArray();
            var line = plot.Add.Scatter(xs, mean);
            line.LegendText = method;
            line.Color = palette.GetColor(i);
            line.LineWidth = 2;
            line.MarkerSize = mean.Length <= 30 ? 6 : 0;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel("mean training loss (over runs)");
        plot.ShowLegend(ScottPlot.Edge.Right); // outside the data area: curves of different scales never hide it
        plot.Font.Set(FontFamily);
        stream.Write(plot.GetImageBytes(900, 520, ScottPlot.ImageFormat.Png));
    }
}
