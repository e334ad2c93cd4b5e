using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Augmentations;
using GraphSSL.Batching;
using GraphSSL.Data;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Runtime.Tests.Augmentations.Choices;

[Augmentation, NodeDropping(0.2)]
public partial record ChoiceDrop;

[Augmentation, Identity]
public partial record ChoiceSame;

/// <summary>Adds <paramref name="Value"/> to every feature: which augmentation ran is visible in the features.</summary>
public sealed record AddConstant(float Value) : IAugmentation
{
    public GraphBatch Apply(GraphBatch batch, Generator generator) => batch with { X = batch.X + Value };
}

/// <summary>The runtime values <see cref="RandomChoice"/> and <see cref="Compose"/>.</summary>
public class ChoicesTests
{
    static readonly GraphData Data = SyntheticGraphs.Create(graphsPerClass: 20, seed: 2);

    [Fact]
    public void Equality_and_hash_go_over_the_elements_in_order()
    {
        var a = new RandomChoice(new ChoiceDrop(), new ChoiceDrop { Ratio = 0.3 });
        var b = new RandomChoice(new ChoiceDrop(), new ChoiceDrop { Ratio = 0.3 });
        var swapped = new RandomChoice(new ChoiceDrop { Ratio = 0.3 }, new ChoiceDrop());
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, swapped);
        Assert.NotEqual(a, new RandomChoice(new ChoiceDrop()));
        Assert.Equal(new Compose(new ChoiceDrop(), new ChoiceSame()), new Compose(new ChoiceDrop(), new ChoiceSame()));
        Assert.NotEqual(new Compose(new ChoiceDrop(), new ChoiceSame()), new Compose(new ChoiceSame(), new ChoiceDrop()));
        // Same elements, different kind of value.
        Assert.False(new Compose(new ChoiceDrop()).Equals((object)new RandomChoice(new ChoiceDrop())));
    }

    [Fact]
    public void ToString_lists_the_elements()
    {
        // Checkpoint fingerprints use ToString: it must show the contents, not "IAugmentation[]".
        var text = new RandomChoice(new ChoiceDrop(), new ChoiceDrop { Ratio = 0.3 }).ToString();
        Assert.Equal("RandomChoice { Choices = [ChoiceDrop { Ratio = 0.2 }, ChoiceDrop { Ratio = 0.3 }] }", text);
    }

    [Fact]
    public void Validation_rejects_empty_and_null()
    {
        Assert.Throws<ArgumentException>(() => new RandomChoice());
        Assert.Throws<ArgumentException>(() => new RandomChoice(new ChoiceDrop(), null!));
        Assert.Throws<ArgumentNullException>(() => new RandomChoice(null!));
        Assert.Throws<ArgumentException>(() => new RandomChoice(new ChoiceDrop()) with { Choices = Array.Empty<IAugmentation>() });
        Assert.Throws<ArgumentException>(() => new Compose(new ChoiceDrop(), null!));
        _ = new Compose(); // no steps: the identity
    }

    [Fact]
    public void The_arrays_are_copied()
    {
        var items = new IAugmentation[] { new ChoiceDrop() };
        var choice = new RandomChoice(items);
        items[0] = new ChoiceSame();
        Assert.IsType<ChoiceDrop>(choice.Choices[0]);
        choice.Choices[0] = new ChoiceSame();
        Assert.IsType<ChoiceDrop>(choice.Choices[0]);
    }

    [Fact]
    public void RandomChoice_picks_per_graph()
    {
        using var scope = torch.NewDisposeScope();
        using var graphs = DeviceGraphs.Upload(Data, torch.CPU);
        var batch = graphs.Gather(torch.arange(0, Data.GraphCount, dtype: ScalarType.Int64));
        var generator = new Generator(7, torch.CPU);
        var result = new RandomChoice(new AddConstant(1), new AddConstant(2)).Apply(batch, generator);

        // Same structure; every node's features moved by +1 or +2, and all nodes of a graph by the same.
        Assert.True(result.EdgeIndex.Equals(batch.EdgeIndex));
        Assert.True(result.Batch.Equals(batch.Batch));
        var shift = (result.X - batch.X).mean(new long[] { 1 }); // [N]: 1 or 2 per node
        var perGraph = torch.zeros(Data.GraphCount, dtype: ScalarType.Float32).index_add(0, batch.Batch, shift, 1);
        var counts = torch.zeros(Data.GraphCount, dtype: ScalarType.Float32).index_add(0, batch.Batch, torch.ones_like(shift), 1);
        var mean = (perGraph / counts).data<float>().ToArray();
        var nodeShift = shift.data<float>().ToArray();
        var owner = batch.Batch.data<long>().ToArray();
        for (int i = 0; i < nodeShift.Length; i++)
            Assert.Equal(mean[owner[i]], nodeShift[i], 4);
        Assert.All(mean, m => Assert.True(Math.Abs(m - 1) < 1e-4 || Math.Abs(m - 2) < 1e-4, $"shift {m}"));
        // 60 graphs, each +1 or +2 with probability ½: both occur (all one way has probability 2·2⁻⁶⁰).
        Assert.Contains(mean, m => Math.Abs(m - 1) < 1e-4);
        Assert.Contains(mean, m => Math.Abs(m - 2) < 1e-4);
    }

    [Fact]
    public void Compose_applies_the_steps_in_order_and_empty_is_identity()
    {
        using var scope = torch.NewDisposeScope();
        using var graphs = DeviceGraphs.Upload(Data, torch.CPU);
        var batch = graphs.Gather(torch.arange(0, 10, dtype: ScalarType.Int64));
        var generator = new Generator(7, torch.CPU);
        // +1 then +2: +3 everywhere.
        var composed = new Compose(new AddConstant(1), new AddConstant(2)).Apply(batch, generator);
        Assert.True(composed.X.allclose(batch.X + 3));
        var same = new Compose().Apply(batch, generator);
        Assert.True(same.X.Equals(batch.X));
        Assert.True(same.EdgeIndex.Equals(batch.EdgeIndex));
    }

    [Fact]
    public void Values_work_as_model_components()
    {
        var choice = new RandomChoice(new ChoiceDrop(), new ChoiceSame());
        var model = new GraphSSL.Runtime.Tests.EndToEnd.SmallClr(new GraphSSL.Runtime.Tests.EndToEnd.SmallGin(), choice, new NtXent());
        Assert.Equal(model, new GraphSSL.Runtime.Tests.EndToEnd.SmallClr(new GraphSSL.Runtime.Tests.EndToEnd.SmallGin(), new RandomChoice(new ChoiceDrop(), new ChoiceSame()), new NtXent()));
        using var result = model.Train(Data, new TrainOptions { Epochs = 1, BatchSize = 20, Seed = 3 });
        Assert.Single(result.Losses);
        Assert.True(double.IsFinite(result.Losses[0]));
    }
}
