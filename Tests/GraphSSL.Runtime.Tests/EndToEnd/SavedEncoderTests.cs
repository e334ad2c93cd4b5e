using GraphSSL.Generated;
using GraphSSL.Data;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Runtime.Tests.EndToEnd;

/// <summary>
/// <see cref="TrainedEncoder.Save"/> and <see cref="TrainedEncoder.Load(string, IGraphEncoder, string)"/>: the
/// file gives back the same encoder, names what it holds, and refuses another declaration, other
/// hyperparameters and another feature layout.
/// </summary>
public sealed class SavedEncoderTests : IDisposable
{
    static readonly GraphData Data = SyntheticGraphs.Create(graphsPerClass: 20, seed: 5);
    readonly TempDirectory temp = new("graphssl-encoder-");

    public void Dispose() => temp.Dispose();

    string Trained(out float[] embeddings)
    {
        var model = new SmallClr(new SmallGin(), new Drop20(), new NtXent());
        using var result = model.Train(Data, new TrainOptions { Epochs = 1, BatchSize = 32, Seed = 4, Threads = 1 });
        using var e = result.Embed(Data);
        embeddings = e.data<float>().ToArray();
        var path = Path.Combine(temp, SavedEncoder.FileName);
        result.Save(path, Data);
        return path;
    }

    [Fact]
    public void Load_into_the_declared_value_gives_back_the_trained_encoder()
    {
        var path = Trained(out var expected);

        // Every way of naming the encoder value: the value itself, the generated catalog, the type in the file.
        using var byValue = TrainedEncoder.Load(path, new SmallGin());
        using var byCatalog = TrainedEncoder.Load(path, GraphSslCatalog.All);
        using var byType = TrainedEncoder.Load(path);
        foreach (var loaded in new[] { byValue, byCatalog, byType })
        {
            using var e = loaded.Embed(Data);
            Assert.Equal(expected, e.data<float>().ToArray()); // same weights, same batch-norm statistics: bit-identical on the CPU
        }

        var manifest = byValue.Manifest!;
        Assert.Equal("SmallGin", manifest.Encoder);
        Assert.Equal("SmallClr", manifest.Model);
        Assert.Equal(Data.Name, manifest.Dataset);
        Assert.Equal(1, manifest.FeatureDim);
        Assert.Equal(new SmallGin().EmbeddingDim, manifest.EmbeddingDim);
        Assert.Contains(manifest.HyperParameters, h => h.Name == "Hidden" && h.Value == "32");
        Assert.StartsWith("GraphSSL.Runtime ", manifest.Library);
        Assert.Matches("^[0-9a-f]{64}$", manifest.PayloadSha256);
        var reread = SavedEncoder.ReadManifest(path);
        Assert.Equal((manifest.PayloadSha256, manifest.CreatedUtc), (reread.PayloadSha256, reread.CreatedUtc));
        Assert.Equal(new[] { SavedEncoder.FileName }, Directory.GetFiles(temp).Select(Path.GetFileName)); // no temporary file left behind
    }

    [Fact]
    public void Another_declaration_or_other_hyperparameters_are_refused()
    {
        var path = Trained(out _);

        var wider = Assert.Throws<SavedEncoderException>(() => TrainedEncoder.Load(path, new SmallGin { Hidden = 16 }));
        Assert.Equal(SavedEncoderProblem.EncoderMismatch, wider.Problem);
        Assert.Contains("Hidden: file 32, value 16", wider.Message);

        var other = Assert.Throws<SavedEncoderException>(() => TrainedEncoder.Load(path, new Resume.ResumeGin()));
        Assert.Equal(SavedEncoderProblem.EncoderMismatch, other.Problem);
        Assert.Contains("holds a SmallGin encoder", other.Message);
        Assert.Contains("cannot be loaded into a ResumeGin", other.Message);
    }

    [Fact]
    public void A_dataset_with_another_feature_layout_is_refused()
    {
        var path = Trained(out _);
        using var loaded = TrainedEncoder.Load(path, new SmallGin());
        var twoColumns = Data with
        {
            Name = "two-columns",
            FeatureDim = 2,
            NodeFeatures = Data.NodeFeatures.SelectMany(v => new[] { v, 0f }).ToArray(),
        };

        var refused = Assert.Throws<SavedEncoderException>(() => loaded.Embed(twoColumns));
        Assert.Equal(SavedEncoderProblem.FeatureLayout, refused.Problem);
        Assert.Contains("1 feature column(s)", refused.Message);
        Assert.Contains("two-columns has 2", refused.Message);
    }

    [Fact]
    public void A_changed_byte_anywhere_is_refused_before_loading()
    {
        var path = Trained(out _);
        var bytes = File.ReadAllBytes(path);
        // One byte in the manifest, one in the weights, one in the trailing checksum; then a file cut short.
        foreach (var at in new[] { 40, bytes.Length / 2, bytes.Length - 1 })
        {
            var damaged = (byte[])bytes.Clone();
            damaged[at] ^= 0x01;
            File.WriteAllBytes(path, damaged);
            var e = Assert.Throws<SavedEncoderException>(() => TrainedEncoder.Load(path, new SmallGin()));
            Assert.Equal(SavedEncoderProblem.Corrupt, e.Problem);
            Assert.Contains("checksum", e.Message);
        }
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
        Assert.Equal(SavedEncoderProblem.Corrupt, Assert.Throws<SavedEncoderException>(() => SavedEncoder.ReadManifest(path)).Problem);
    }
}
