using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Data;
using GraphSSL.Layers;
using GraphSSL.Objectives;
using GraphSSL.Runtime.Tests.EndToEnd;
using GraphSSL.Training;

namespace GraphSSL.Runtime.Tests.Training;

/// <summary>
/// <see cref="TrainOptions.LinearInit"/>: XavierUniform redraws every Linear of the network and of the objectives'
/// trainable state (weights within ±√(6 / (fan_in + fan_out)) and spread like that uniform, biases 0), leaves
/// everything else alone, is seeded, and Default changes nothing; a generated trainer applies it.
/// </summary>
public class LinearInitTests
{
    sealed class WithDiscriminator : ObjectiveState
    {
        public WithDiscriminator() => Discriminator = Register("d", nn.Linear(64, 16), trainable: true);
        public TorchSharp.Modules.Linear Discriminator { get; }
    }

    static SslNetwork Network() => new(() => (new SmallGin().CreateModule(7), Heads.Projector(64, 64, 2), null), torch.CPU);

    static List<TorchSharp.Modules.Linear> Linears(SslNetwork network)
        => network.Modules.SelectMany(m => m.Module.modules()).OfType<TorchSharp.Modules.Linear>().ToList();

    static float[] Values(Tensor t) => t.detach().contiguous().data<float>().ToArray();

    [Fact]
    public void Xavier_redraws_every_linear_of_network_and_state_and_nothing_else()
    {
        torch.manual_seed(5);
        using var network = Network();
        using var state = new WithDiscriminator();
        var linears = Linears(network);
        Assert.True(linears.Count >= 6, $"{linears.Count} Linear modules"); // 2 GIN layers × 2, projector 2
        var before = linears.Select(l => Values(l.weight)).ToList();
        var others = network.Parameters().Where(p => !linears.Any(l => ReferenceEquals(l.weight, p) || ReferenceEquals(l.bias, p)))
            .Select(p => (p, Values(p))).ToList();
        Assert.NotEmpty(others); // batch norm

        var options = new TrainOptions { LinearInit = LinearInit.XavierUniform };
        TrainingLoop.InitialiseLinears(options, network);
        TrainingLoop.InitialiseLinears(options, state);

        foreach (var (linear, old) in linears.Append(state.Discriminator).Zip(before.Cast<float[]?>().Append(null)))
        {
            long fanOut = linear.weight.shape[0], fanIn = linear.weight.shape[1];
            double bound = Math.Sqrt(6.0 / (fanIn + fanOut));
            var w = Values(linear.weight);
            Assert.All(w, v => Assert.InRange(v, -bound, bound));
            // Uniform on ±bound has std bound/√3; TorchSharp's default, U(±1/√fan_in), is narrower at these widths.
            double std = Math.Sqrt(w.Select(v => (double)v * v).Average());
            Assert.InRange(std, 0.8 * bound / Math.Sqrt(3), 1.2 * bound / Math.Sqrt(3));
            if (old is not null) Assert.NotEqual(old, w);
            Assert.All(Values(linear.bias!), b => Assert.Equal(0f, b));
        }
        foreach (var (p, old) in others) Assert.Equal(old, Values(p));
    }

    [Fact]
    public void Default_changes_nothing_and_xavier_is_seeded()
    {
        torch.manual_seed(5);
        using var a = Network();
        var before = Linears(a).Select(l => Values(l.weight)).ToList();
        TrainingLoop.InitialiseLinears(new TrainOptions(), a);
        Assert.Equal(before, Linears(a).Select(l => Values(l.weight)).ToList());

        var xavier = new TrainOptions { LinearInit = LinearInit.XavierUniform };
        torch.manual_seed(9);
        using var b = Network();
        TrainingLoop.InitialiseLinears(xavier, b);
        torch.manual_seed(9);
        using var c = Network();
        TrainingLoop.InitialiseLinears(xavier, c);
        Assert.Equal(Linears(b).Select(l => Values(l.weight)), Linears(c).Select(l => Values(l.weight)));
    }

    [Fact]
    public void A_generated_trainer_applies_it_to_the_untrained_twin_too()
    {
        var data = SyntheticGraphs.Create(graphsPerClass: 10, seed: 1);
        var model = new SmallClr(new SmallGin(), new Drop20(), new NtXent());
        var options = new TrainOptions { Epochs = 0, BatchSize = 16, Seed = 3 };
        using var plain = model.Train(data, options);
        using var xavier = model.Train(data, options with { LinearInit = LinearInit.XavierUniform });
        using var again = model.Train(data, options with { LinearInit = LinearInit.XavierUniform });
        using var e0 = plain.Embed(data);
        using var e1 = xavier.Embed(data);
        using var e2 = again.Embed(data);
        Assert.False(e0.allclose(e1), "Xavier initialisation left the encoder as it was");
        Assert.Equal(Values(e1), Values(e2)); // same seed, same Xavier encoder
    }
}
