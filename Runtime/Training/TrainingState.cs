using System.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace GraphSSL;

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
/// new checkpoint, never a torn one.
/// </summary>
public sealed class TrainingState
{
    const string Magic = "GSSLCKPT";
    const int FormatVersion = 1;

    readonly TrainOptions options;
    readonly Generator generator;
    readonly string fingerprint;
    readonly List<(string Name, nn.Module Module)> modules = new();
    readonly List<(string Name, ICheckpointState State)> extras = new();
    OptimizerHelper? optimizer;

    /// <summary>
    /// Creates the state of one run. <paramref name="model"/> and <paramref name="data"/> go into a
    /// fingerprint, so a checkpoint is never resumed into a different model, dataset or options.
    /// </summary>
    public TrainingState(object model, GraphData data, TrainOptions options, Generator generator)
    {
        this.options = options;
        this.generator = generator;
        var relevant = options with { Epochs = 0, Resume = false, CheckpointDirectory = null, CheckpointEvery = 1, Threads = null };
        fingerprint = $"{model} | {data.Name}: {data.GraphCount} graphs, {data.NodeCount} nodes, {data.EdgeCount} edges, {data.FeatureDim} features | {relevant}";
    }

    /// <summary>Path of the checkpoint file, or null when checkpoints are off.</summary>
    public string? CheckpointPath => options.CheckpointDirectory is null ? null : Path.Combine(options.CheckpointDirectory, "checkpoint.bin");

    /// <summary>Registers a module (parameters and buffers are saved).</summary>
    public TrainingState Track(string name, nn.Module module) { modules.Add((name, module)); return this; }

    /// <summary>Registers the optimiser (its per-parameter state and step counts are saved).</summary>
    public TrainingState Track(OptimizerHelper optimizer) { this.optimizer = optimizer; return this; }

    /// <summary>Registers objective state.</summary>
    public TrainingState Track(string name, ICheckpointState state) { extras.Add((name, state)); return this; }

    /// <summary>
    /// When resuming and a checkpoint exists, loads it into the registered parts and the history lists and
    /// returns the first epoch still to run; otherwise returns 1 and changes nothing.
    /// </summary>
    public int Restore(List<double> losses, List<double> seconds)
    {
        var path = CheckpointPath;
        if (!options.Resume || path is null || !File.Exists(path)) return 1;
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        if (reader.ReadString() != Magic || reader.ReadInt32() != FormatVersion)
            throw new InvalidDataException($"{path} is not a GraphSSL checkpoint of format {FormatVersion}.");
        var saved = reader.ReadString();
        if (saved != fingerprint)
            throw new InvalidOperationException(
                $"The checkpoint in {options.CheckpointDirectory} belongs to a different run and was left untouched.\n  checkpoint: {saved}\n  this run:   {fingerprint}");
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
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
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
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    static void Expect(BinaryReader reader, string name, string path)
    {
        var found = reader.ReadString();
        if (found != name) throw new InvalidDataException($"{path}: expected the state of '{name}', found '{found}'.");
    }
}
