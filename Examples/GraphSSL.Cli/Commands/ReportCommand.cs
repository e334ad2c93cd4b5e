using System.CommandLine;
using System.Text;
using System.Text.Json;
using GraphSSL.Cli.Options;
using GraphSSL.Cli.Output;
using GraphSSL.Cli.Pipeline;

namespace GraphSSL.Cli.Commands;

/// <summary><c>graphssl report</c>: merge sweep directories (deduplicating run ids) into results.csv, summary.md and PNG figures.</summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var inputs = new Option<string[]>("--in", "-i")
        {
            Description = "Sweep output directories (each with a runs/ folder); shards of one sweep or different sweeps. Runs are deduplicated by id.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var outDir = CommonOptions.Out("Where to write results.csv, summary.md and the figures.", required: true);
        var json = CommonOptions.Json();
        var command = new Command("report", "Merge sweep runs into results.csv, summary.md (the study's table layout, mean ± std over repeats) and figures.");
        foreach (var option in new Option[] { inputs, outDir, json }) command.Options.Add(option);
        command.SetAction(parse => Cli.Guard(() =>
        {
            var written = Write(parse.GetValue(inputs)!, parse.GetValue(outDir)!, parse.GetValue(json) ? TextWriter.Null : Console.Error);
            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(written, Cli.Json));
            return Cli.Ok;
        }));
        return command;
    }

    /// <summary>What <c>report --json</c> prints.</summary>
    public sealed record Written(int Runs, string ResultsCsv, string Summary, IReadOnlyList<string> Figures);

    /// <summary>
    /// <paramref name="input"/> as the report names it (markdown): relative to the report's own folder, so a committed
    /// report does not carry the machine's absolute paths; "this folder" when it is that folder.
    /// </summary>
    static string FromReport(string outDir, string input)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(outDir), Path.GetFullPath(input));
        return relative == "." ? "this folder" : "`" + relative.Replace('\\', '/') + "`";
    }

    /// <summary>Reads every run under <paramref name="inputs"/> and writes the report into <paramref name="outDir"/>.</summary>
    public static Written Write(IReadOnlyList<string> inputs, string outDir, TextWriter log)
    {
        var runs = RunStore.LoadAll(inputs, log);
        if (runs.Count == 0) throw new UserErrorException($"No completed runs in {string.Join(", ", inputs)}.");
        var files = new RunFiles(outDir);
        var csv = files.Write("results.csv", s => s.Write(new UTF8Encoding(false).GetBytes(Reports.ResultsCsv(runs))));

        var sections = Reports.Sections(runs);
        var figures = new Dictionary<string, List<string>>();
        var allFigures = new List<string>();
        foreach (var section in sections)
        {
            var list = new List<string>();
            try
            {
                foreach (var (name, draw) in FigureSet(section))
                {
                    var file = $"{section.Key}-{name}.png";
                    files.Write(file, stream => draw(stream));
                    list.Add(file);
                }
            }
            catch (Exception e) when (e is TypeInitializationException or DllNotFoundException)
            {
                log.WriteLine($"warning: could not draw figures ({e.GetBaseException().Message}); the numbers are in results.csv.");
            }
            figures[section.Key] = list;
            allFigures.AddRange(list.Select(files.PathOf));
        }
        var summary = files.Write("summary.md", s => s.Write(new UTF8Encoding(false).GetBytes(
            Reports.SummaryMarkdown(sections, inputs.Select(i => FromReport(outDir, i)).ToList(), figures))));
        log.WriteLine($"report: {runs.Count} runs → {csv}, {summary} and {allFigures.Count} figures.");
        return new Written(runs.Count, csv, summary, allFigures);
    }

    static IEnumerable<(string Name, Action<Stream> Draw)> FigureSet(Reports.Section s)
    {
        var title = $"{s.Dataset}, {s.Protocol} protocol, {s.Epochs} epochs";
        // One point per configuration: its mean accuracy over repeats.
        var configs = s.Runs.GroupBy(r => (r.Method, r.Augmentation, r.BatchSize, r.Layers, r.Hidden))
            .Select(g => (g.Key, First: g.Min(r => r.Index), Accuracy: 100 * g.Average(r => r.Accuracy))).OrderBy(c => c.First).ToList();
        (string Name, string Axis, Func<((string Method, string Augmentation, int BatchSize, int Layers, int Hidden) Key, int First, double Accuracy), string> Level, bool Numeric)[] factors =
        [
            ("accuracy-by-method", "method", c => c.Key.Method, false),
            ("accuracy-by-augmentation", "augmentation", c => c.Key.Augmentation, false),
            ("accuracy-by-batch-size", "batch size", c => c.Key.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture), true),
            ("accuracy-by-depth", "GIN layers", c => c.Key.Layers.ToString(System.Globalization.CultureInfo.InvariantCulture), true),
            ("accuracy-by-hidden", "hidden size", c => c.Key.Hidden.ToString(System.Globalization.CultureInfo.InvariantCulture), true),
        ];
        foreach (var (name, axis, level, numeric) in factors)
        {
            var levels = configs.Select(level).Distinct().ToList();
            if (numeric) levels = levels.OrderBy(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var points = configs.Select(c => (Level: levels.IndexOf(level(c)), c.Accuracy)).ToList();
            yield return (name, stream => Plots.AccuracyByFactor(stream, $"Accuracy by {axis} — {title}", axis, levels, points));
        }
        var curves = s.Runs.GroupBy(r => r.Method).OrderBy(g => g.Min(r => r.Index))
            .Select(g => (Method: g.Key, Mean: MeanCurve(g.Select(r => r.Losses).ToList()))).Where(c => c.Mean.Length > 0).ToList();
        if (curves.Count > 0)
            yield return ("loss-curves", stream => Plots.MeanLossCurves(stream, $"Training loss, mean per method — {title}", curves));
    }

    static double[] MeanCurve(IReadOnlyList<IReadOnlyList<double>> losses)
    {
        int length = losses.Min(l => l.Count);
        var mean = new double[length];
        for (int e = 0; e < length; e++) mean[e] = losses.Average(l => l[e]);
        return mean;
    }
}
