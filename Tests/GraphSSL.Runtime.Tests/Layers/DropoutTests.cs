using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;
using GraphSSL.Layers;
using GraphSSL.Objectives;

namespace GraphSSL.Runtime.Tests.Layers;

/// <summary>Dropout drawn from the run's generator: training only, the rate it says, reproducible, in the GAT and GIN encoders and GraphMAE's decoder.</summary>
public class DropoutTests
{
    [Fact]
    public void Outside_training_or_at_rate_0_dropout_is_the_identity_and_draws_nothing()
    {
        var x = torch.ones(4, 3);
        using var g = new Generator(1);
        var before = g.get_state();
        Assert.Same(x, InvertedDropout.Apply(x, 0.5, training: false, g));
        Assert.Same(x, InvertedDropout.Apply(x, 0.0, training: true, g));
        Assert.True(g.get_state().eq(before).all().item<bool>()); // models without dropout draw the same numbers as before it existed
    }

    [Fact]
    public void In_training_a_share_p_is_zeroed_and_the_rest_scaled_so_the_mean_is_kept()
    {
        var x = torch.ones(200_000);
        using var g = new Generator(2);
        var y = InvertedDropout.Apply(x, 0.2, training: true, g);
        double zeroed = y.eq(0).to(ScalarType.Float64).mean().item<double>();
        Assert.InRange(zeroed, 0.19, 0.21);
        Assert.True(y.masked_select(y.ne(0)).allclose(torch.full(1, 1.25f)), "survivors are scaled by 1 / (1 − p)");
        Assert.InRange(y.to(ScalarType.Float64).mean().item<double>(), 0.98, 1.02);
    }

    [Fact]
    public void The_same_generator_state_draws_the_same_mask_and_another_state_another()
    {
        var x = torch.ones(1000);
        using var a = new Generator(3);
        using var b = new Generator(3);
        var ya = InvertedDropout.Apply(x, 0.3, true, a);
        var yb = InvertedDropout.Apply(x, 0.3, true, b);
        Assert.True(ya.eq(yb).all().item<bool>());
        Assert.False(InvertedDropout.Apply(x, 0.3, true, a).eq(ya).all().item<bool>());
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void A_rate_outside_0_to_1_is_refused(double p)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InvertedDropout.Apply(torch.ones(2), p, true, null));
        Assert.Throws<ArgumentException>(() => new GatEncoderModule(3, 4, 1, dropout: p));
        Assert.Throws<ArgumentException>(() => new GatEncoderModule(3, 4, 1, attentionDropout: p));
        Assert.Throws<ArgumentException>(() => new GinEncoderModule(3, 4, 1, dropout: p));
    }

    static GraphBatch Ring(int n, int features)
    {
        var src = Enumerable.Range(0, n).Select(i => (long)i).ToArray();
        var dst = src.Select(i => (i + 1) % n).ToArray();
        var edges = torch.stack(new[] { torch.tensor(src.Concat(dst).ToArray()), torch.tensor(dst.Concat(src).ToArray()) });
        return new GraphBatch(torch.randn(n, features), edges, torch.zeros(n, dtype: ScalarType.Int64), 1);
    }

    public static TheoryData<string> Encoders => new() { "gat", "gin" };

    static EncoderModule Create(string kind, double dropout) => kind == "gat"
        ? new GatEncoderModule(5, 8, 2, heads: 2, batchNorm: false, dropout: dropout, attentionDropout: dropout)
        : new GinEncoderModule(5, 8, 2, dropout: dropout);

    [Theory]
    [MemberData(nameof(Encoders))]
    public void An_encoder_with_dropout_varies_only_in_training_and_replays_from_its_generator(string kind)
    {
        torch.manual_seed(4);
        var batch = Ring(12, 5);
        torch.manual_seed(5);
        using var plain = Create(kind, 0);
        torch.manual_seed(5);
        using var dropped = Create(kind, 0.4); // the same weights
        plain.eval();
        dropped.eval();
        Assert.True(dropped.Encode(batch).Nodes.allclose(plain.Encode(batch).Nodes), "evaluation must not drop anything");

        dropped.train();
        dropped.Noise = new Generator(6);
        var first = dropped.Encode(batch).Nodes;
        var second = dropped.Encode(batch).Nodes;
        Assert.False(first.allclose(second), "each training forward draws new masks");
        dropped.Noise = new Generator(6);
        Assert.True(dropped.Encode(batch).Nodes.allclose(first), "the same generator state replays the same masks");
    }

    [Fact]
    public void The_gat_decoder_drops_attention_only_in_training()
    {
        torch.manual_seed(7);
        var batch = Ring(10, 4);
        torch.manual_seed(8);
        using var plain = new GraphMae.GatDecoder(4, 6, heads: 2, attentionDropout: 0, torch.CPU);
        torch.manual_seed(8);
        using var dropped = new GraphMae.GatDecoder(4, 6, heads: 2, attentionDropout: 0.5, torch.CPU);
        using var g = new Generator(9);
        Assert.False(dropped.Forward(batch.X, batch.EdgeIndex, g).allclose(plain.Forward(batch.X, batch.EdgeIndex, g)));
        dropped.eval();
        Assert.True(dropped.Forward(batch.X, batch.EdgeIndex, g).allclose(plain.Forward(batch.X, batch.EdgeIndex, g)));
    }
}
