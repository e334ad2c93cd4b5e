using System.Globalization;
using System.Text.Json;
using GraphSSL.Cli.Pipeline;

namespace GraphSSL.Cli.Output;

/// <summary>A sweep run's record from its result.</summary>
public static class RunRecords
{
    /// <summary>The record of configuration <paramref name="config"/>, repeat <paramref name="repeat"/>, after <paramref name="run"/> (evaluated).</summary>
    public static RunRecord From(string gridName, GridConfig config, int repeat, RunSettings settings, string id, RunResult run)
    {
        var evaluation = run.Evaluation ?? throw new InvalidOperationException("A sweep run is always evaluated.");
        var e = evaluation.Trained;
        return new RunRecord
        {
            Id = id, Index = config.Index, Grid = gridName, Dataset = settings.Dataset, Method = config.Method, Model = config.Model,
            Augmentation = config.Augmentation, View1 = config.View1, View2 = config.View2, BatchSize = config.BatchSize,
            Layers = config.Layers, Hidden = config.Hidden, Sets = config.Sets, Protocol = settings.Protocol, Epochs = settings.Epochs,
            LearningRate = settings.LearningRate, Repeat = repeat, Seed = settings.Seed, SplitSeed = settings.SplitSeed,
            Evaluator = e.Evaluator, PretrainGraphs = run.Pretrain.GraphCount, EvalGraphs = e.Samples, EmbeddingDim = run.Embeddings.Dimensions,
            Accuracy = e.Accuracy, FoldStd = e.FoldStd, FoldAccuracies = e.FoldAccuracies, ChosenC = e.ChosenC,
            TrainSeconds = run.TrainSeconds, EmbedSeconds = run.EmbedSeconds, EvalSeconds = evaluation.Seconds, Losses = run.Training.Losses,
            Hyperparameters = ModelFactory.Describe(run.Job.Model), CompletedUtc = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        };
    }
}

/// <summary>One completed sweep run, as stored in <c>DIR/runs/&lt;id&gt;.json</c>.</summary>
public sealed record RunRecord
{
    /// <summary>Run id: hash of configuration and settings (<see cref="RunSettings.RunId"/>).</summary>
    public required string Id { get; init; }
    /// <summary>Configuration index in its grid.</summary>
    public required int Index { get; init; }
    /// <summary>Grid name ("study" or the grid file's name).</summary>
    public required string Grid { get; init; }
    public required string Dataset { get; init; }
    public required string Method { get; init; }
    public required string Model { get; init; }
    public required string Augmentation { get; init; }
    public string? View1 { get; init; }
    public required string View2 { get; init; }
    public required int BatchSize { get; init; }
    public required int Layers { get; init; }
    public required int Hidden { get; init; }
    public IReadOnlyList<string> Sets { get; init; } = [];
    public required string Protocol { get; init; }
    public required int Epochs { get; init; }
    public required double LearningRate { get; init; }
    /// <summary>0-based repeat; <see cref="Seed"/> = sweep seed + repeat.</summary>
    public required int Repeat { get; init; }
    public required long Seed { get; init; }
    public required int SplitSeed { get; init; }
    public required string Evaluator { get; init; }
    /// <summary>Graphs pre-trained on (all, or the study protocol's 90 %).</summary>
    public required int PretrainGraphs { get; init; }
    /// <summary>Graphs whose embeddings were cross-validated.</summary>
    public required int EvalGraphs { get; init; }
    public required int EmbeddingDim { get; init; }
    /// <summary>Mean outer-fold accuracy in [0, 1].</summary>
    public required double Accuracy { get; init; }
    /// <summary>Population std of the outer-fold accuracies.</summary>
    public required double FoldStd { get; init; }
    public required double[] FoldAccuracies { get; init; }
    public required double[] ChosenC { get; init; }
    public required double TrainSeconds { get; init; }
    public required double EmbedSeconds { get; init; }
    public required double EvalSeconds { get; init; }
    /// <summary>Mean training loss per epoch.</summary>
    public required IReadOnlyList<double> Losses { get; init; }
    /// <summary>Hyperparameters of the model as trained (model, Encoder.*, View1.*, View2.*).</summary>
    public required SortedDictionary<string, string> Hyperparameters { get; init; }
    public required string CompletedUtc { get; init; }
}

/// <summary>
/// The completed runs of a sweep directory: one file per run, <c>DIR/runs/&lt;id&gt;.json</c>, written to a
/// temporary file named after the process and renamed into place, so a killed sweep leaves either the whole
/// record or none, and several shards may write into the same directory at once.
/// </summary>
public static class RunStore
{
    /// <summary>Folder of run files inside a sweep directory.</summary>
    public static string RunsFolder(string directory) => Path.Combine(directory, "runs");

    /// <summary>
    /// Writes <paramref name="record"/> atomically; returns its path. The temporary file is created exclusively
    /// (name: id, process id and a random part, <see cref="FileMode.CreateNew"/>), so concurrent writers never share
    /// one, and it is moved into place without replacing: when another writer (a second sweep on the same
    /// directory) saved the same run first, its record is kept, this one is discarded, and the existing path is
    /// returned. A run file therefore appears whole, once, and is never rewritten.
    /// </summary>
    public static string Save(string directory, RunRecord record)
    {
        var folder = RunsFolder(directory);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, record.Id + ".json");
        var temp = Path.Combine(folder, $".{record.Id}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, record, Cli.Json);
                stream.Flush(flushToDisk: true);
            }
            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Saved by another writer meanwhile: first one wins.
            }
        }
        finally
        {
            RunFiles.DeleteQuietly(temp); // moved into place, or failed (e.g. a full disk): no temporary file left, earlier records untouched
        }
        return path;
    }

    /// <summary>Ids of the completed runs in <paramref name="directory"/> (file names; temporary files ignored).</summary>
    public static HashSet<string> CompletedIds(string directory)
    {
        var folder = RunsFolder(directory);
        if (!Directory.Exists(folder)) return [];
        return Directory.EnumerateFiles(folder, "*.json").Select(p => Path.GetFileNameWithoutExtension(p)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Every run of the given sweep directories, deduplicated by id (the first directory listed wins), ordered
    /// by dataset, grid index, then repeat. Unreadable files are reported on <paramref name="log"/> and skipped.
    /// </summary>
    public static List<RunRecord> LoadAll(IEnumerable<string> directories, TextWriter log)
    {
        var seen = new Dictionary<string, RunRecord>(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            var folder = RunsFolder(directory);
            if (!Directory.Exists(folder)) throw new UserErrorException($"{directory}: no runs/ folder (is it a sweep output directory?).");
            foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                try
                {
                    var record = JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), Cli.Json);
                    if (record is not null) seen.TryAdd(record.Id, record);
                }
                catch (JsonException e)
                {
                    log.WriteLine($"warning: skipping {path}: {e.Message}");
                }
            }
        }
        return seen.Values.OrderBy(r => r.Dataset, StringComparer.Ordinal).ThenBy(r => r.Index).ThenBy(r => r.Repeat).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
    }
}
