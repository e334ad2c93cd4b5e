using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Data;
using GraphSSL.Training;

namespace GraphSSL.Runtime.Tests.Reliability;

/// <summary>
/// <see cref="TrainingState"/> on its own (no generated trainer): what a checkpoint holds, what it refuses,
/// and that a checkpoint on disk is always whole.
/// </summary>
public sealed class TrainingStateTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    static readonly GraphData Data = SyntheticGraphs.Create(graphsPerClass: 3, seed: 1);
    readonly TempDirectory dir = new("graphssl-ckpt-");

    public void Dispose() => dir.Dispose();

    TrainOptions Options(bool resume = false) => new() { Epochs = 10, Seed = 7, CheckpointDirectory = dir, Resume = resume };
    string CheckpointFile => Path.Combine(dir, "checkpoint.bin");

    /// <summary>A linear layer, an Adam optimiser over it, a generator and a counter: the parts of a run.</summary>
    sealed class Run : IDisposable
    {
        public readonly nn.Module<Tensor, Tensor> Layer;
        public readonly optim.Optimizer Adam;
        public readonly Generator Generator;
        public readonly Counter Extra = new();
        public readonly TrainingState State;

        public Run(long initSeed, ulong generatorSeed, TrainOptions options, object? model = null)
        {
            torch.manual_seed(initSeed);
            Layer = nn.Linear(3, 2);
            Adam = optim.Adam(Layer.parameters(), 0.1);
            Generator = new Generator(generatorSeed, torch.CPU);
            State = new TrainingState(model ?? "model A", Data, options, Generator)
                .Track("layer", Layer).Track((TorchSharp.Modules.OptimizerHelper)Adam).Track("counter", Extra);
        }

        /// <summary>One Adam step on a fixed input (loss = sum of outputs): the gradient does not depend on the weights.</summary>
        public void Step()
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.tensor(new float[] { 1f, -2f, 0.5f }).reshape(1, 3);
            Adam.zero_grad();
            Layer.forward(x).sum().backward();
            Adam.step();
        }

        public float[] Weights() => Layer.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();

        public long[] Draw() { using var t = torch.randint(1_000_000, new long[] { 4 }, generator: Generator); return t.data<long>().ToArray(); }

        public void Dispose() { Adam.Dispose(); Layer.Dispose(); Generator.Dispose(); }
    }

    sealed class Counter : ICheckpointState
    {
        public int Value;
        public bool FailOnSave;
        public void Save(BinaryWriter writer) { if (FailOnSave) throw new IOException("disk full (simulated)"); writer.Write(Value); }
        public void Load(BinaryReader reader) => Value = reader.ReadInt32();
    }

    [Fact]
    public void Round_trip_restores_modules_adam_state_generator_history_and_extras()
    {
        // Run A: two Adam steps, two generator draws, counter 42, checkpoint after "epoch 2".
        using var a = new Run(initSeed: 1, generatorSeed: 5, Options());
        a.Step(); a.Step();
        a.Draw();
        a.Extra.Value = 42;
        a.State.Completed(2, new List<double> { 3.5, 2.25 }, new List<double> { 0.1, 0.2 });

        // Run B: different initial weights, fresh Adam (no moments), a generator seeded differently.
        using var b = new Run(initSeed: 99, generatorSeed: 123, Options(resume: true));
        Assert.NotEqual(a.Weights(), b.Weights());
        var losses = new List<double> { 9 };
        var seconds = new List<double> { 9 };
        int next = b.State.Restore(losses, seconds);

        Assert.Equal(3, next); // epoch 2 done → continue with 3
        Assert.Equal(new[] { 3.5, 2.25 }, losses);
        Assert.Equal(new[] { 0.1, 0.2 }, seconds);
        Assert.Equal(42, b.Extra.Value);
        Assert.Equal(a.Weights(), b.Weights());
        // Generator: both continue with the same numbers.
        Assert.Equal(a.Draw(), b.Draw());
        // Adam: the optimiser state (moments and step count) is the same; the next test shows it matters.
        a.Step(); b.Step();
        Assert.Equal(a.Weights(), b.Weights());
        Assert.Equal(OptimizerStateHash(a.Adam), OptimizerStateHash(b.Adam));
    }

    [Fact]
    public void Restored_adam_moments_change_the_next_step()
    {
        // The gradient of sum(W x + b) w.r.t. W is x for every step, so Adam's bias-corrected moments are
        // m̂ = x, v̂ = x² after any number of steps and every step moves W by lr·sign(x) — the state would not
        // show. Vary the gradient instead: steps with x, then 3x. With moments from the first steps, the
        // step with 3x is m̂/√v̂ ≠ 1 (e.g. after one step with g then one with 3g: m̂ = (0.1·0.9·g + 0.1·3g)/0.19
        // = 2.0526g, v̂ = (0.001·0.999·g² + 0.001·9g²)/0.001999 = 5.0025g², ratio 0.9177) whereas a fresh Adam
        // moves by exactly lr·sign = 0.1. So the restored run matches A only if the moments were restored.
        using var a = new Run(initSeed: 1, generatorSeed: 5, Options());
        a.Step();
        a.State.Completed(1, new List<double> { 1 }, new List<double> { 1 });

        using var b = new Run(initSeed: 99, generatorSeed: 5, Options(resume: true));
        b.State.Restore(new List<double>(), new List<double>());
        using var fresh = new Run(initSeed: 99, generatorSeed: 5, Options());
        fresh.Layer.load_state_dict(a.Layer.state_dict());

        StepScaled(a, 3f); StepScaled(b, 3f); StepScaled(fresh, 3f);
        Assert.Equal(a.Weights(), b.Weights());
        Assert.NotEqual(a.Weights(), fresh.Weights()); // proves the test can fail
    }

    static void StepScaled(Run run, float scale)
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(new float[] { 1f, -2f, 0.5f }).reshape(1, 3);
        run.Adam.zero_grad();
        (run.Layer.forward(x).sum() * scale).backward();
        run.Adam.step();
    }

    static long OptimizerStateHash(optim.Optimizer adam)
    {
        // A hash of the optimiser's serialised state (moments and step counts).
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            ((TorchSharp.Modules.OptimizerHelper)adam).save_state_dict(writer);
        return stream.ToArray().Aggregate(17L, (h, x) => unchecked(h * 31 + x));
    }

    [Fact]
    public void Without_resume_or_without_a_checkpoint_restore_starts_at_epoch_1_and_changes_nothing()
    {
        using var a = new Run(initSeed: 1, generatorSeed: 5, Options());
        a.State.Completed(1, new List<double> { 1 }, new List<double> { 1 });

        // Resume off: the checkpoint exists but is not used.
        using var b = new Run(initSeed: 99, generatorSeed: 5, Options(resume: false));
        var before = b.Weights();
        var losses = new List<double> { 4 };
        Assert.Equal(1, b.State.Restore(losses, new List<double>()));
        Assert.Equal(before, b.Weights());
        Assert.Equal(new[] { 4.0 }, losses);

        // Resume on, but the folder is empty.
        File.Delete(CheckpointFile);
        using var c = new Run(initSeed: 99, generatorSeed: 5, Options(resume: true));
        Assert.Equal(1, c.State.Restore(new List<double>(), new List<double>()));
        Assert.Equal(before, c.Weights());
    }

    [Fact]
    public void A_checkpoint_of_another_run_is_refused_and_left_untouched()
    {
        using var a = new Run(initSeed: 1, generatorSeed: 5, Options(), model: "model A");
        a.State.Completed(1, new List<double> { 1 }, new List<double> { 1 });
        var bytes = File.ReadAllBytes(CheckpointFile);

        // Different model declaration.
        using var b = new Run(initSeed: 99, generatorSeed: 5, Options(resume: true), model: "model B");
        var before = b.Weights();
        var e = Assert.Throws<CheckpointMismatchException>(() => b.State.Restore(new List<double>(), new List<double>()));
        Assert.Contains("different run", e.Message, StringComparison.Ordinal);
        Assert.Contains("model B", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, b.Weights());

        // Different options that matter (learning rate); the number of epochs does not matter.
        using var c = new Run(initSeed: 99, generatorSeed: 5, Options(resume: true) with { LearningRate = 0.5 }, model: "model A");
        Assert.Throws<CheckpointMismatchException>(() => c.State.Restore(new List<double>(), new List<double>()));
        using var d = new Run(initSeed: 99, generatorSeed: 5, Options(resume: true) with { Epochs = 50 }, model: "model A");
        Assert.Equal(2, d.State.Restore(new List<double>(), new List<double>()));

        Assert.Equal(bytes, File.ReadAllBytes(CheckpointFile));
    }

    [Fact]
    public void Under_a_cosine_schedule_the_epoch_count_matters_to_a_resume()
    {
        // The cosine rate of an epoch depends on the total, so a checkpoint of a 20-epoch cosine run is not resumed into a 50-epoch one.
        var cosine = Options() with { Schedule = LearningRateSchedule.Cosine, Epochs = 20 };
        using var a = new Run(initSeed: 1, generatorSeed: 5, cosine, model: "model A");
        a.State.Completed(1, new List<double> { 1 }, new List<double> { 1 });
        using var b = new Run(initSeed: 1, generatorSeed: 5, cosine with { Resume = true, Epochs = 50 }, model: "model A");
        Assert.Throws<CheckpointMismatchException>(() => b.State.Restore(new List<double>(), new List<double>()));
        using var c = new Run(initSeed: 1, generatorSeed: 5, cosine with { Resume = true }, model: "model A");
        Assert.Equal(2, c.State.Restore(new List<double>(), new List<double>()));
    }

    [Fact]
    public void A_torn_temporary_file_is_ignored()
    {
        // A kill during a save leaves checkpoint.bin.tmp half written; checkpoint.bin is the last whole one.
        using var a = new Run(initSeed: 1, generatorSeed: 5, Options());
        a.Extra.Value = 1;
        a.State.Completed(3, new List<double> { 1, 2, 3 }, new List<double> { 1, 2, 3 });
        File.WriteAllBytes(CheckpointFile + ".tmp", new byte[] { 8, (byte)'G', (byte)'S', 1, 2 });

        using var b = new Run(initSeed: 99, generatorSeed: 5, Options(resume: true));
        Assert.Equal(4, b.State.Restore(new List<double>(), new List<double>()));
        Assert.Equal(1, b.Extra.Value);

        // Only a torn temporary file: nothing to resume from.
        File.Delete(CheckpointFile);
        using var c = new Run(initSeed: 99, generatorSeed: 5, Options(resume: true));
        Assert.Equal(1, c.State.Restore(new List<double>(), new List<double>()));

        // The next save overwrites the torn file and renames it into place.
        c.State.Completed(1, new List<double> { 5 }, new List<double> { 5 });
        Assert.False(File.Exists(CheckpointFile + ".tmp"));
        using var d = new Run(initSeed: 99, generatorSeed: 5, Options(resume: true));
        var losses = new List<double>();
        Assert.Equal(2, d.State.Restore(losses, new List<double>()));
        Assert.Equal(new[] { 5.0 }, losses);
    }

    [Fact]
    public void A_save_that_fails_midway_leaves_the_previous_checkpoint_whole()
    {
        // Save epoch 1, then make the epoch-2 save throw after the modules and optimiser were written
        // (the extra state comes last): checkpoint.bin must still be epoch 1, byte for byte.
        using var a = new Run(initSeed: 1, generatorSeed: 5, Options());
        a.Extra.Value = 11;
        a.State.Completed(1, new List<double> { 1 }, new List<double> { 1 });
        var epoch1 = File.ReadAllBytes(CheckpointFile);
        a.Step();
        a.Extra.Value = 22;
        a.Extra.FailOnSave = true;
        Assert.Throws<IOException>(() => a.State.Completed(2, new List<double> { 1, 2 }, new List<double> { 1, 2 }));

        Assert.Equal(epoch1, File.ReadAllBytes(CheckpointFile));
        using var b = new Run(initSeed: 99, generatorSeed: 5, Options(resume: true));
        Assert.Equal(2, b.State.Restore(new List<double>(), new List<double>()));
        Assert.Equal(11, b.Extra.Value);
    }

    [Fact]
    public void Saves_follow_checkpoint_every_and_always_the_last_epoch()
    {
        // CheckpointEvery 4, Epochs 10: epochs 4 and 8 are due, and 10 because it is the last; 5 is not.
        using var a = new Run(initSeed: 1, generatorSeed: 5, Options() with { CheckpointEvery = 4 });
        a.State.Completed(3, new List<double> { 1, 2, 3 }, new List<double> { 1, 2, 3 });
        Assert.False(File.Exists(CheckpointFile));
        a.State.Completed(4, new List<double> { 1, 2, 3, 4 }, new List<double> { 1, 2, 3, 4 });
        Assert.True(File.Exists(CheckpointFile));
        var four = File.ReadAllBytes(CheckpointFile);
        a.State.Completed(5, new List<double> { 1, 2, 3, 4, 5 }, new List<double> { 1, 2, 3, 4, 5 });
        Assert.Equal(four, File.ReadAllBytes(CheckpointFile));
        var ten = Enumerable.Range(1, 10).Select(i => (double)i).ToList();
        a.State.Completed(10, ten, ten);
        using var b = new Run(initSeed: 99, generatorSeed: 5, Options(resume: true) with { CheckpointEvery = 4 });
        Assert.Equal(11, b.State.Restore(new List<double>(), new List<double>()));
        Assert.Equal(Path.Combine(dir, "checkpoint.bin"), a.State.CheckpointPath);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void A_truncated_or_foreign_checkpoint_is_reported_as_invalid_data()
    {
        using var a = new Run(initSeed: 1, generatorSeed: 5, Options());
        a.State.Completed(1, new List<double> { 1 }, new List<double> { 1 });
        var bytes = File.ReadAllBytes(CheckpointFile);

        // Cut in the middle (not something our writer can produce, but disks fail): a clear error, not EndOfStream.
        File.WriteAllBytes(CheckpointFile, bytes[..(bytes.Length / 2)]);
        using var b = new Run(initSeed: 99, generatorSeed: 5, Options(resume: true));
        var e = Assert.Throws<InvalidDataException>(() => b.State.Restore(new List<double>(), new List<double>()));
        Assert.Contains(CheckpointFile, e.Message, StringComparison.Ordinal);

        // Not a checkpoint at all.
        File.WriteAllText(CheckpointFile, "hello");
        Assert.Throws<InvalidDataException>(() => b.State.Restore(new List<double>(), new List<double>()));
    }

    // ---------- corrupt and foreign checkpoints ----------

    [Fact]
    public void Every_flipped_byte_and_every_truncation_is_refused_before_anything_is_loaded()
    {
        using var a = new Run(initSeed: 1, generatorSeed: 5, Options());
        a.Step();
        a.Extra.Value = 42;
        a.State.Completed(1, new List<double> { 1.5 }, new List<double> { 0.25 });
        var good = File.ReadAllBytes(CheckpointFile);

        using var b = new Run(initSeed: 99, generatorSeed: 123, Options(resume: true));
        var weights = b.Weights();
        long[] draws;
        using (var fresh = new Run(initSeed: 99, generatorSeed: 123, Options())) draws = fresh.Draw();
        int refused = 0;
        var messages = new HashSet<string>();
        void Refused(byte[] bytes, string what)
        {
            File.WriteAllBytes(CheckpointFile, bytes);
            var losses = new List<double> { 7 };
            var e = Assert.Throws<InvalidDataException>(() => b.State.Restore(losses, new List<double>()));
            Assert.True(e.Message.Contains(CheckpointFile, StringComparison.Ordinal), $"{what}: {e.Message}");
            messages.Add(e.Message.Replace(CheckpointFile, "<file>", StringComparison.Ordinal));
            Assert.Equal(new[] { 7.0 }, losses); // the history was not touched
            refused++;
        }

        // CI: every byte of the first 256 flipped (all bits) and 400 more seeded positions; every bit of the
        // first 64 bytes flipped singly; every cut up to 256 bytes and 400 more. GRAPHSSL_CHECKPOINT_FAULTS=all:
        // every byte and every cut.
        bool all = string.Equals(Environment.GetEnvironmentVariable("GRAPHSSL_CHECKPOINT_FAULTS"), "all", StringComparison.OrdinalIgnoreCase);
        var random = new Random(15);
        var positions = all ? Enumerable.Range(0, good.Length).ToList()
            : Enumerable.Range(0, 256).Concat(Enumerable.Range(256, good.Length - 256).OrderBy(_ => random.Next()).Take(400)).ToList();
        var cuts = all ? Enumerable.Range(0, good.Length).ToList()
            : Enumerable.Range(0, 256).Concat(Enumerable.Range(256, good.Length - 256).OrderBy(_ => random.Next()).Take(400)).ToList();
        foreach (var i in positions)
        {
            var bytes = (byte[])good.Clone();
            bytes[i] ^= 0xFF;
            Refused(bytes, $"byte {i} flipped");
        }
        for (int i = 0; i < 64 * 8; i++)
        {
            var bytes = (byte[])good.Clone();
            bytes[i / 8] ^= (byte)(1 << (i % 8));
            Refused(bytes, $"bit {i} flipped");
        }
        foreach (var length in cuts)
            Refused(good[..length], $"cut to {length} bytes");
        Refused([.. good, 0], "one byte appended");

        // Nothing was loaded by any of them: weights, generator and extra state are b's own.
        Assert.Equal(weights, b.Weights());
        Assert.Equal(draws, b.Draw());
        Assert.Equal(0, b.Extra.Value);
        Assert.Equal(positions.Count + cuts.Count + 64 * 8 + 1, refused);
        output.WriteLine($"checkpoint of {good.Length} bytes: {refused} corruptions refused ({positions.Count} flipped bytes, {64 * 8} flipped bits, {cuts.Count} cuts, 1 appended byte), 0 loaded; {messages.Count} distinct messages.");
        // The messages say which of four things is wrong: not a checkpoint, cut short, another format, damaged.
        Assert.All(messages, m => Assert.Matches("not a GraphSSL checkpoint|cut short|of format|damaged", m));

        // The intact file still loads.
        File.WriteAllBytes(CheckpointFile, good);
        Assert.Equal(2, b.State.Restore(new List<double>(), new List<double>()));
        Assert.Equal(42, b.Extra.Value);
    }

    /// <summary>The file with its body changed by <paramref name="edit"/> and the SHA-256 trailer recomputed: a valid checkpoint of something else.</summary>
    static byte[] Forge(byte[] checkpoint, Func<string, string> edit)
    {
        var body = checkpoint[..^32];
        // Header: string magic, int version, string fingerprint (7-bit length prefix), then the rest.
        using var reader = new BinaryReader(new MemoryStream(body), System.Text.Encoding.UTF8);
        var magic = reader.ReadString();
        var version = reader.ReadInt32();
        var fingerprint = reader.ReadString();
        var rest = body[(int)reader.BaseStream.Position..];
        var output = new MemoryStream();
        using (var writer = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(magic);
            writer.Write(version);
            writer.Write(edit(fingerprint));
            writer.Write(rest);
        }
        var forged = output.ToArray();
        return [.. forged, .. System.Security.Cryptography.SHA256.HashData(forged)];
    }

    [Fact]
    public void A_checkpoint_of_another_library_version_is_refused_naming_both_versions()
    {
        using var a = new Run(initSeed: 1, generatorSeed: 5, Options());
        a.State.Completed(1, new List<double> { 1 }, new List<double> { 1 });
        var version = typeof(TrainingState).Assembly.GetName().Version!.ToString(3);
        Assert.StartsWith($"GraphSSL.Runtime {version}, TorchSharp ", TrainingState.Library, StringComparison.Ordinal);
        var forged = Forge(File.ReadAllBytes(CheckpointFile), f => f.Replace($"GraphSSL.Runtime {version}", "GraphSSL.Runtime 0.0.1", StringComparison.Ordinal));
        File.WriteAllBytes(CheckpointFile, forged);

        using var b = new Run(initSeed: 99, generatorSeed: 5, Options(resume: true));
        var before = b.Weights();
        var e = Assert.Throws<CheckpointMismatchException>(() => b.State.Restore(new List<double>(), new List<double>()));
        var differs = Assert.Single(e.Differs);
        Assert.StartsWith("library: GraphSSL.Runtime 0.0.1", differs, StringComparison.Ordinal);
        Assert.Contains($"→ GraphSSL.Runtime {version}", differs, StringComparison.Ordinal);
        Assert.Contains("differs:    library:", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, b.Weights());
        Assert.Equal(forged, File.ReadAllBytes(CheckpointFile));

        // A checkpoint of format 2 (before the library was recorded) is refused by its format number.
        var old = File.ReadAllBytes(CheckpointFile);
        old[1 + 8] = 2;
        var body = old[..^32];
        File.WriteAllBytes(CheckpointFile, [.. body, .. System.Security.Cryptography.SHA256.HashData(body)]);
        var format = Assert.Throws<InvalidDataException>(() => b.State.Restore(new List<double>(), new List<double>()));
        Assert.Contains("format 2; this version reads format 3", format.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_of_another_dataset_model_or_options_names_what_differs()
    {
        using var a = new Run(initSeed: 1, generatorSeed: 5, Options(), model: "model A");
        a.State.Completed(1, new List<double> { 1 }, new List<double> { 1 });
        var bytes = File.ReadAllBytes(CheckpointFile);

        string Differs(object model, GraphData data, TrainOptions options)
        {
            using var generator = new Generator(5, torch.CPU);
            var state = new TrainingState(model, data, options, generator);
            var e = Assert.Throws<CheckpointMismatchException>(() => state.Restore(new List<double>(), new List<double>()));
            return string.Join("; ", e.Differs);
        }

        var other = SyntheticGraphs.Create(graphsPerClass: 4, seed: 1);
        var dataset = Differs("model A", other, Options(resume: true));
        Assert.StartsWith("dataset: ", dataset, StringComparison.Ordinal);
        Assert.Contains($"{Data.GraphCount} graphs", dataset, StringComparison.Ordinal);
        Assert.Contains($"{other.GraphCount} graphs", dataset, StringComparison.Ordinal);

        Assert.Equal("model: model A → model B", Differs("model B", Data, Options(resume: true)));
        Assert.Equal("options: BatchSize = 128 → 64, Seed = 7 → 8", Differs("model A", Data, Options(resume: true) with { Seed = 8, BatchSize = 64 }));
        Assert.Equal(bytes, File.ReadAllBytes(CheckpointFile));
    }
}
