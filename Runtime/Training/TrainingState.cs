using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GraphSSL.Data;

namespace GraphSSL.Training;

/// <summary>State an objective keeps between steps (a queue, an EMA target, prototypes) that a checkpoint must hold.</summary>
public interface ICheckpointState
{
    /// <summary>Writes the state.</summary>
    void Save(BinaryWriter writer);
    /// <summary>Restores what <see cref="Save"/> wrote.</summary>
    void Load(BinaryReader reader);
}

/// <summary>
/// Everything a training run needs to continue exactly where it stopped: registered modules, the
/// optimiser, objective state, the shuffling/augmentation generator's state, the epoch and the loss
/// history. Generated trainers register their parts and call <see cref="Restore"/> before the first epoch
/// and <see cref="Completed"/> after each one. Checkpoints are written to a temporary file, flushed to
/// disk and renamed over <c>checkpoint.bin</c>, so a kill at any moment leaves either the previous or the
/// new checkpoint, never a torn one. Every checkpoint ends with a SHA-256 of its contents; a file that
/// does not match (cut short, corrupted, or not a checkpoint) is refused with
/// <see cref="InvalidDataException"/> before anything is loaded.
/// </summary>
public sealed class TrainingState
{
    const string Magic = "GSSLCKPT";
    // Format 3: the open DSL (network and objective-state layout, queue fill counts) and the library versions at the start of the fingerprint.
    const int FormatVersion = 3;
    const int HashLength = 32;

    readonly TrainOptions options;
    readonly Generator generator;
    readonly string fingerprint;
    readonly List<(string Name, nn.Module Module)> modules = new();
    readonly List<(string Name, ICheckpointState State)> extras = new();
    OptimizerHelper? optimizer;

    /// <summary>
    /// Creates the state of one run. <paramref name="model"/> and <paramref name="data"/> go into a
    /// fingerprint, so a checkpoint is never resumed into a different model, dataset or options.
    /// Throws <see cref="ArgumentException"/> when there is training to do and fewer than two graphs, or with
    /// <paramref name="nodeLevel"/> (one full-graph batch of node embeddings) fewer than two nodes.
    /// </summary>
    public TrainingState(object model, GraphData data, TrainOptions options, Generator generator, bool nodeLevel = false)
    {
        if (nodeLevel && options.Epochs > 0 && data.NodeCount < 2)
            throw new ArgumentException(
                $"The dataset '{data.Name}' has {data.NodeCount} node(s); node-level self-supervised training needs at least 2 (batch statistics and negatives come from other nodes).",
                nameof(data));
        if (!nodeLevel && options.Epochs > 0 && data.GraphCount < 2)
            throw new ArgumentException(
                $"The dataset '{data.Name}' has {data.GraphCount} graph(s); self-supervised training needs at least 2 (batch statistics and negatives come from other graphs in the batch).",
                nameof(data));
        this.options = options;
        this.generator = generator;
        // The epoch count matters to a resume only through a schedule that depends on it.
        var relevant = options with { Epochs = options.Schedule == LearningRateSchedule.Constant ? 0 : options.Epochs, Resume = false, CheckpointDirectory = null, CheckpointEvery = 1, Threads = null };
        // Invariant culture: the records' ToString formats numbers with the current culture.
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            fingerprint = $"{Library} | {model} | {(nodeLevel ? "node level | " : "")}{data.Name}: {data.GraphCount} graphs, {data.NodeCount} nodes, {data.EdgeCount} edges, {data.FeatureDim} features | {relevant}";
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    /// <summary>
    /// The libraries whose serialisation a checkpoint depends on, e.g. "GraphSSL.Runtime 0.1.0, TorchSharp 0.105.0":
    /// part of the fingerprint, so a checkpoint written by another version is refused naming both versions.
    /// </summary>
    public static string Library { get; } =
        $"GraphSSL.Runtime {typeof(TrainingState).Assembly.GetName().Version?.ToString(3)}, TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)}";

    /// <summary>Path of the checkpoint file, or null when checkpoints are off.</summary>
    public string? CheckpointPath => options.CheckpointDirectory is null ? null : Path.Combine(options.CheckpointDirectory, "checkpoint.bin");

    /// <summary>Registers a module (parameters and buffers are saved).</summary>
    public TrainingState Track(string name, nn.Module module) { modules.Add((name, module)); return this; }

    /// <summary>Registers every module of the network under its name ("encoder", "projector", "predictor").</summary>
    public TrainingState Track(SslNetwork network)
    {
        foreach (var (name, module) in network.Modules) modules.Add((name, module));
        return this;
    }

    /// <summary>Registers the optimiser (its per-parameter state and step counts are saved).</summary>
    public TrainingState Track(OptimizerHelper optimizer) { this.optimizer = optimizer; return this; }

    /// <summary>Registers objective state.</summary>
    public TrainingState Track(string name, ICheckpointState state) { extras.Add((name, state)); return this; }

    /// <summary>
    /// When resuming and a checkpoint exists, loads it into the registered parts and the history lists and
    /// returns the first epoch still to run; otherwise returns 1 and changes nothing. A leftover
    /// <c>checkpoint.bin.tmp</c> (a save that was interrupted) is ignored.
    /// </summary>
    /// <exception cref="CheckpointMismatchException">The checkpoint belongs to another model, dataset or options; nothing was loaded and the file is left as it was.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, of another format version, or damaged; nothing was loaded.</exception>
    public int Restore(List<double> losses, List<double> seconds)
    {
        var path = CheckpointPath;
        if (!options.Resume || path is null || !File.Exists(path)) return 1;
        using var reader = new BinaryReader(new MemoryStream(ReadVerified(path)), Encoding.UTF8);
        try
        {
            return Load(reader, path, losses, seconds);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{path} ends early although its checksum matched: written by an incompatible version?", e);
        }
    }

    /// <summary>The checkpoint's contents without the trailing hash, after checking magic, version and hash.</summary>
    static byte[] ReadVerified(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var magic = Encoding.ASCII.GetBytes(Magic);
        // BinaryWriter.Write(string): a 1-byte length prefix, then the bytes.
        if (bytes.Length < 1 + magic.Length || bytes[0] != magic.Length || !bytes.AsSpan(1, magic.Length).SequenceEqual(magic))
            throw new InvalidDataException($"{path} is not a GraphSSL checkpoint.");
        if (bytes.Length < 1 + magic.Length + sizeof(int) + HashLength)
            throw new InvalidDataException($"{path} is cut short ({bytes.Length} bytes); delete it to start over.");
        int version = BitConverter.ToInt32(bytes, 1 + magic.Length);
        if (version != FormatVersion)
            throw new InvalidDataException($"{path} is a GraphSSL checkpoint of format {version}; this version reads format {FormatVersion}.");
        var body = bytes.AsSpan(0, bytes.Length - HashLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
            throw new InvalidDataException($"{path} is damaged (checksum mismatch: cut short or corrupted); delete it to start over.");
        return body.ToArray();
    }

    int Load(BinaryReader reader, string path, List<double> losses, List<double> seconds)
    {
        reader.ReadString();
        reader.ReadInt32();
        var saved = reader.ReadString();
        if (saved != fingerprint)
            throw new CheckpointMismatchException(path, saved, fingerprint);
        int epoch = reader.ReadInt32();
        losses.Clear();
        seconds.Clear();
        int n = reader.ReadInt32();
        for (int i = 0; i < n; i++) losses.Add(reader.ReadDouble());
        for (int i = 0; i < n; i++) seconds.Add(reader.ReadDouble());
        using (var state = Tensor.Load(reader))
            generator.set_state(state);
        foreach (var (name, module) in modules)
        {
            Expect(reader, name, path);
            module.load(reader);
        }
        if (optimizer is not null)
        {
            Expect(reader, "optimizer", path);
            optimizer.load_state_dict(reader);
        }
        foreach (var (name, extra) in extras)
        {
            Expect(reader, name, path);
            extra.Load(reader);
        }
        return epoch + 1;
    }

    /// <summary>Records that <paramref name="epoch"/> finished; saves a checkpoint when one is due.</summary>
    public void Completed(int epoch, IReadOnlyList<double> losses, IReadOnlyList<double> seconds)
    {
        var path = CheckpointPath;
        if (path is null) return;
        if (epoch % options.CheckpointEvery != 0 && epoch != options.Epochs) return;
        Directory.CreateDirectory(options.CheckpointDirectory!);
        var temp = path + ".tmp";
        var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(fingerprint);
            writer.Write(epoch);
            writer.Write(losses.Count);
            foreach (var l in losses) writer.Write(l);
            foreach (var s in seconds) writer.Write(s);
            using (var state = generator.get_state()) state.Save(writer);
            foreach (var (name, module) in modules)
            {
                writer.Write(name);
                module.save(writer);
            }
            if (optimizer is not null)
            {
                writer.Write("optimizer");
                optimizer.save_state_dict(writer);
            }
            foreach (var (name, extra) in extras)
            {
                writer.Write(name);
                extra.Save(writer);
            }
            writer.Flush();
        }
        var contents = body.GetBuffer().AsSpan(0, (int)body.Length);
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(contents);
                stream.Write(SHA256.HashData(contents));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk or a refused write: the previous checkpoint.bin is untouched; remove the partial
            // temporary file so it does not hold the space, and say which checkpoint is still there.
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw new IOException($"Could not write the checkpoint of epoch {epoch} to {path} ({e.Message}); " +
                                  (File.Exists(path) ? "the previous checkpoint there is intact." : "no earlier checkpoint exists."), e);
        }
    }

    static void Expect(BinaryReader reader, string name, string path)
    {
        var found = reader.ReadString();
        if (found != name) throw new InvalidDataException($"{path}: expected the state of '{name}', found '{found}'.");
    }
}

/// <summary>
/// A checkpoint was found but belongs to a different run (another model declaration, dataset, training
/// options or library version). Nothing was loaded and the checkpoint file was left as it was. The message
/// names what differs first, then both runs in full.
/// </summary>
public sealed class CheckpointMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception for the checkpoint at <paramref name="path"/>.</summary>
    public CheckpointMismatchException(string path, string checkpointRun, string thisRun)
        : base($"The checkpoint {path} belongs to a different run and was left untouched. Resume with the same model, " +
               $"dataset, options and library version, or choose another checkpoint folder, or train without resuming.\n" +
               $"  differs:    {string.Join("; ", Differences(checkpointRun, thisRun))}\n  checkpoint: {checkpointRun}\n  this run:   {thisRun}")
    {
        Path = path;
        CheckpointRun = checkpointRun;
        ThisRun = thisRun;
        Differs = Differences(checkpointRun, thisRun);
    }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }
    /// <summary>Description of the run the checkpoint belongs to.</summary>
    public string CheckpointRun { get; }
    /// <summary>Description of the run that tried to resume from it.</summary>
    public string ThisRun { get; }
    /// <summary>What differs, e.g. <c>options: Seed = 3 → 4</c> or <c>library: GraphSSL.Runtime 0.1.0, … → …</c>.</summary>
    public IReadOnlyList<string> Differs { get; }

    static readonly string[] Parts = ["library", "model", "dataset", "options"];

    /// <summary>The parts of two fingerprints that differ; for the options, the individual settings.</summary>
    static List<string> Differences(string checkpoint, string run)
    {
        var a = checkpoint.Split(" | ");
        var b = run.Split(" | ");
        var result = new List<string>();
        if (a.Length != b.Length)
        {
            result.Add($"layout: the checkpoint was written by another GraphSSL version ({a.Length} parts, this version writes {b.Length})");
            return result;
        }
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i]) continue;
            var part = a.Length == Parts.Length ? Parts[i] : $"part {i + 1}";
            if (part == "options" && Settings(a[i]) is { } x && Settings(b[i]) is { } y && x.Count == y.Count)
            {
                var changed = x.Zip(y).Where(p => p.First != p.Second)
                    .Select(p => $"{p.First} → {p.Second[(p.Second.IndexOf(" = ", StringComparison.Ordinal) is int k and >= 0 ? k + 3 : 0)..]}").ToList();
                if (changed.Count > 0) { result.Add("options: " + string.Join(", ", changed)); continue; }
            }
            result.Add($"{part}: {a[i]} → {b[i]}");
        }
        if (result.Count == 0) result.Add("nothing visible (whitespace or encoding)");
        return result;
    }

    /// <summary>"TrainOptions { A = 1, B = x }" → ["A = 1", "B = x"]; null when it is not of that shape.</summary>
    static List<string>? Settings(string record)
    {
        int open = record.IndexOf("{ ", StringComparison.Ordinal);
        if (open < 0 || !record.EndsWith(" }", StringComparison.Ordinal)) return null;
        return record[(open + 2)..^2].Split(", ").ToList();
    }
}
