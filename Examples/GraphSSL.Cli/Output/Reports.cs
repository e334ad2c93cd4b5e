using System.Globalization;
using System.Text;
using GraphSSL.Evaluation;

namespace GraphSSL.Cli.Output;

/// <summary>results.csv, summary.md and figures from a set of sweep runs.</summary>
public static class Reports
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Factors of the study's table, in row order; augmentation is the column.</summary>
    public static readonly string[] Factors = ["method", "augmentation", "batch", "layers", "hidden"];

    /// <summary>A section of the report: runs of one dataset under one protocol and epoch count.</summary>
    public sealed record Section(string Dataset, string Protocol, int Epochs, IReadOnlyList<RunRecord> Runs)
    {
        /// <summary>File-name prefix of this section's figures, e.g. "MUTAG-study-e2".</summary>
        public string Key => $"{Sanitize(Dataset)}-{Protocol}-e{Epochs}";
    }

    /// <summary>Runs grouped into sections, ordered by dataset, protocol, epochs.</summary>
    public static List<Section> Sections(IEnumerable<RunRecord> runs) => runs
        .GroupBy(r => (r.Dataset, r.Protocol, r.Epochs))
        .OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => g.Key.Protocol, StringComparer.Ordinal).ThenBy(g => g.Key.Epochs)
        .Select(g => new Section(g.Key.Dataset, g.Key.Protocol, g.Key.Epochs, g.ToList()))
        .ToList();

    // ---------------------------------------------------------------- results.csv

    static readonly string[] CsvHeader =
    [
        "id", "dataset", "grid", "index", "method", "model", "augmentation", "view1", "view2", "batch_size", "layers", "hidden", "sets",
        "protocol", "epochs", "learning_rate", "repeat", "seed", "split_seed", "evaluator", "pretrain_graphs", "eval_graphs", "embedding_dim",
        "accuracy", "fold_std", "train_seconds", "embed_seconds", "eval_seconds", "first_loss", "final_loss", "chosen_c", "completed_utc",
    ];

    /// <summary>One row per run (RFC 4180 quoting where needed), invariant culture.</summary>
    public static string ResultsCsv(IEnumerable<RunRecord> runs)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(",", CsvHeader)).Append('\n');
        foreach (var r in runs)
        {
            string[] cells =
            [
                r.Id, r.Dataset, r.Grid, N(r.Index), r.Method, r.Model, r.Augmentation, r.View1 ?? "", r.View2, N(r.BatchSize), N(r.Layers), N(r.Hidden),
                string.Join(";", r.Sets), r.Protocol, N(r.Epochs), R(r.LearningRate), N(r.Repeat), r.Seed.ToString(Inv), N(r.SplitSeed), r.Evaluator,
                N(r.PretrainGraphs), N(r.EvalGraphs), N(r.EmbeddingDim), R(r.Accuracy), R(r.FoldStd), F(r.TrainSeconds), F(r.EmbedSeconds), F(r.EvalSeconds),
                r.Losses.Count > 0 ? R(r.Losses[0]) : "", r.Losses.Count > 0 ? R(r.Losses[^1]) : "", string.Join(";", r.ChosenC.Select(R)), r.CompletedUtc,
            ];
            sb.Append(string.Join(",", cells.Select(Quote))).Append('\n');
        }
        return sb.ToString();

        static string N(int v) => v.ToString(Inv);
        static string R(double v) => v.ToString("R", Inv);
        static string F(double v) => v.ToString("0.####", Inv);
        static string Quote(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
    }

    // ---------------------------------------------------------------- summary.md

    /// <summary>Mean and sample std (n − 1; 0 for one value) of accuracies, in percent.</summary>
    public readonly record struct Cell(double Mean, double Std, int N)
    {
        public static Cell Of(IEnumerable<double> accuracies)
        {
            var a = accuracies.Select(x => 100 * x).ToArray();
            double mean = a.Average();
            double std = a.Length > 1 ? Math.Sqrt(a.Sum(x => (x - mean) * (x - mean)) / (a.Length - 1)) : 0;
            return new Cell(mean, std, a.Length);
        }

        public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0:F1} ± {1:F1}", Mean, Std);
    }

    /// <summary>The study's best configuration per method from its CSV (mean test accuracy over repeats).</summary>
    public sealed record StudyBest(string Method, Cell Cell, string Configuration, double MedianTrainSeconds);

    /// <summary>summary.md for <paramref name="sections"/>; <paramref name="inputs"/> are the run folders as the report names them (markdown); <paramref name="figures"/> lists each section's figure files.</summary>
    public static string SummaryMarkdown(IReadOnlyList<Section> sections, IReadOnlyList<string> inputs, IReadOnlyDictionary<string, List<string>> figures)
    {
        var md = new StringBuilder();
        md.AppendLine("# Sweep report").AppendLine();
        md.AppendLine($"{sections.Sum(s => s.Runs.Count)} runs from {string.Join(", ", inputs)} (deduplicated by run id).").AppendLine();
        md.AppendLine("Every cell is accuracy in percent, **mean ± std over repeats** (sample std, n − 1; ± 0.0 when there is one repeat). " +
                      "Each repeat's accuracy is itself the mean over 10 stratified outer folds; the spread over folds is reported separately " +
                      "(`fold_std` in results.csv, and the mean fold std below). The best cell of each table is in bold — picked by test " +
                      "accuracy, so it is a description of this grid, not a model-selection result.").AppendLine();
        foreach (var section in sections) AppendSection(md, section, figures.TryGetValue(section.Key, out var f) ? f : []);
        return md.ToString();
    }

    static void AppendSection(StringBuilder md, Section s, IReadOnlyList<string> figureFiles)
    {
        var runs = s.Runs;
        var protocolText = s.Protocol == Protocol.Study.Name
            ? "study — a stratified 90/10 split per seed (split seed = run seed); pre-training on the 90 %, RBF-SVC 10-fold CV (C by inner 5-fold search over 1e-3…1e3) on the embeddings of the held-out 10 %"
            : "standard — pre-training on every graph; 10-fold CV (C by inner 5-fold search over 1e-3…1e3) on the embeddings of every graph";
        var seeds = runs.Select(r => r.Seed).Distinct().Order().ToArray();
        md.AppendLine($"## {s.Dataset} — protocol {s.Protocol}, {s.Epochs} epochs").AppendLine();
        md.AppendLine($"- Protocol: {protocolText}.");
        md.AppendLine($"- Evaluator: {string.Join(", ", runs.Select(r => r.Evaluator).Distinct())}; pre-training graphs {string.Join("/", runs.Select(r => r.PretrainGraphs).Distinct())}, evaluated graphs {string.Join("/", runs.Select(r => r.EvalGraphs).Distinct())}.");
        md.AppendLine($"- Epochs {s.Epochs}, learning rate {string.Join("/", runs.Select(r => r.LearningRate.ToString("G", Inv)).Distinct())} (Adam); seeds {string.Join(", ", seeds)}; {runs.Count} runs, {runs.GroupBy(ConfigKey).Count()} configurations.");
        md.AppendLine(string.Format(Inv, "- Mean fold std {0:F1} points; median train {1:F2} s, embed {2:F3} s, eval {3:F2} s per run; total train {4:F0} s.",
            100 * runs.Average(r => r.FoldStd), Median(runs.Select(r => r.TrainSeconds)), Median(runs.Select(r => r.EmbedSeconds)),
            Median(runs.Select(r => r.EvalSeconds)), runs.Sum(r => r.TrainSeconds)));
        md.AppendLine();

        // The study's layout: rows method × batch × hidden × layers, columns the augmentations.
        var augmentations = runs.OrderBy(r => r.Index).Select(r => r.Augmentation).Distinct().ToList();
        var rows = runs.OrderBy(r => r.Index)
            .Select(r => (r.Method, r.BatchSize, r.Hidden, r.Layers)).Distinct()
            .OrderBy(k => MethodOrder(runs, k.Method)).ThenBy(k => k.BatchSize).ThenBy(k => k.Hidden).ThenBy(k => k.Layers).ToList();
        var cells = runs.GroupBy(r => (r.Method, r.BatchSize, r.Hidden, r.Layers, r.Augmentation)).ToDictionary(g => g.Key, g => Cell.Of(g.Select(r => r.Accuracy)));
        var bestMean = cells.Max(c => Math.Round(c.Value.Mean, 1)); // ties (as printed) are all bold
        md.AppendLine("| method | batch | hidden | layers | " + string.Join(" | ", augmentations) + " |");
        md.AppendLine("| --- | ---: | ---: | ---: | " + string.Join(" | ", augmentations.Select(_ => "---:")) + " |");
        foreach (var (method, batch, hidden, layers) in rows)
        {
            var line = new StringBuilder($"| {method} | {batch} | {hidden} | {layers} |");
            foreach (var a in augmentations)
            {
                var key = (method, batch, hidden, layers, a);
                line.Append(' ').Append(cells.TryGetValue(key, out var c) ? (Math.Round(c.Mean, 1) == bestMean ? $"**{c}**" : c.ToString()) : "—").Append(" |");
            }
            md.AppendLine(line.ToString());
        }
        md.AppendLine();

        // Best configuration per method, beside the study's own best and the published GraphCL number.
        var study = StudyReference(s.Dataset);
        var graphCl = PublishedGraphCl(s.Dataset);
        md.AppendLine("### Best configuration per method").AppendLine();
        md.AppendLine($"The study's column is computed from `reference/seed-runs/{s.Dataset}.csv` (its 200-epoch runs, study protocol, best configuration by mean test accuracy over its 5 repeats, sample std). " +
                      "GraphCL is the published number under the standard protocol (5 seeds, all graphs evaluated), from docs/ANCHORS.md.").AppendLine();
        md.AppendLine($"| method | this sweep: best ({s.Epochs} epochs) | configuration | study's best (200 epochs) | study configuration | published GraphCL |");
        md.AppendLine("| --- | ---: | --- | ---: | --- | ---: |");
        foreach (var method in runs.OrderBy(r => r.Index).Select(r => r.Method).Distinct())
        {
            var mine = cells.Where(c => c.Key.Method == method).MaxBy(c => c.Value.Mean);
            var (_, b, h, l, a) = mine.Key;
            var theirs = study?.FirstOrDefault(x => string.Equals(x.Method, method, StringComparison.OrdinalIgnoreCase));
            md.AppendLine($"| {method} | {mine.Value} | {a}, b{b}, L{l}, h{h} | " +
                          (study is null ? "not available | — |" : theirs is null ? "— | — |" : $"{theirs.Cell} | {theirs.Configuration} |") +
                          $" {graphCl ?? "not available"} |");
        }
        md.AppendLine();
        if (study is { Count: > 0 })
            md.AppendLine(string.Format(Inv, "Study training time: median {0:F1} s per 200-epoch run on its GPU ({1:F3} s per epoch); this sweep: median {2:F3} s per epoch on this machine.",
                Median(study.Select(x => x.MedianTrainSeconds)), Median(study.Select(x => x.MedianTrainSeconds)) / 200,
                Median(runs.Select(r => r.TrainSeconds / Math.Max(1, r.Epochs))))).AppendLine();

        if (figureFiles.Count > 0)
        {
            md.AppendLine("### Figures").AppendLine();
            foreach (var f in figureFiles) md.AppendLine($"![{Path.GetFileNameWithoutExtension(f)}]({f})");
            md.AppendLine();
        }
    }

    static int MethodOrder(IReadOnlyList<RunRecord> runs, string method) => runs.Where(r => r.Method == method).Min(r => r.Index);

    static string ConfigKey(RunRecord r) => $"{r.Method}|{r.Augmentation}|{r.BatchSize}|{r.Layers}|{r.Hidden}|{r.Model}|{string.Join(";", r.Sets)}";

    static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    // ---------------------------------------------------------------- reference data

    /// <summary>The repository root (folder with GraphSSL.Dsl.sln) above the working directory or the program, or null.</summary>
    public static string? RepoRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "GraphSSL.Dsl.sln"))) return dir.FullName;
        }
        return null;
    }

    /// <summary>../shared beside the repository, when present.</summary>
    static string? SharedDir() => RepoRoot() is { } root && Directory.Exists(Path.Combine(root, "..", "shared"))
        ? Path.GetFullPath(Path.Combine(root, "..", "shared"))
        : null;

    /// <summary>Best configuration per method from ../shared/reference/seed-runs/&lt;dataset&gt;.csv, or null when absent.</summary>
    public static List<StudyBest>? StudyReference(string dataset)
    {
        if (SharedDir() is not { } shared) return null;
        var path = Path.Combine(shared, "reference", "seed-runs", dataset + ".csv");
        if (!File.Exists(path)) return null;
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name) is var i and >= 0 ? i : throw new FormatException($"{path}: no column '{name}'.");
        int method = Col("method"), aug = Col("augmentation"), batch = Col("batch_size"), layers = Col("encoder_layers"), hidden = Col("hidden_dim"),
            test = Col("test_acc"), seconds = Col("train_seconds");
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        return rows.GroupBy(r => r[method]).Select(m =>
        {
            var best = m.GroupBy(r => (A: r[aug], B: r[batch], L: r[layers], H: r[hidden]))
                .Select(g => (g.Key, Cell: Cell.Of(g.Select(r => double.Parse(r[test], Inv)))))
                .MaxBy(g => g.Cell.Mean);
            return new StudyBest(m.Key, best.Cell, $"{best.Key.A}, b{best.Key.B}, L{best.Key.L}, h{best.Key.H}",
                Median(m.Select(r => double.Parse(r[seconds], Inv))));
        }).ToList();
    }

    /// <summary>The GraphCL row of ../shared/docs/ANCHORS.md for <paramref name="dataset"/>, e.g. "86.80 ± 1.34", or null.</summary>
    public static string? PublishedGraphCl(string dataset)
    {
        if (SharedDir() is not { } shared) return null;
        var path = Path.Combine(shared, "docs", "ANCHORS.md");
        if (!File.Exists(path)) return null;
        string[]? header = null;
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith('|')) { header = null; continue; }
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            if (header is null) { header = cells; continue; }
            if (cells.Length > 0 && cells[0] == "GraphCL" && header.Length == cells.Length)
            {
                int i = Array.FindIndex(header, h => string.Equals(h, dataset, StringComparison.OrdinalIgnoreCase));
                return i > 0 && cells[i] != "—" ? cells[i] : null;
            }
        }
        return null;
    }

    static string Sanitize(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
