using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Layers;

namespace GraphSSL.Runtime.Tests.Layers;

public class HeadsTests
{
    static string[] Children(nn.Module m) => m.named_children().Select(c => c.name).ToArray();

    [Fact]
    public void Projector_has_the_study_structure_and_output_width()
    {
        using var scope = torch.NewDisposeScope();
        using var p = Heads.Projector(8, 16, 3);
        // Linear+BN+ReLU, Linear+BN+ReLU, Linear+BN.
        Assert.Equal(new[] { "linear0", "norm0", "relu0", "linear1", "norm1", "relu1", "linear2", "norm2" }, Children(p));
        Assert.Equal(new long[] { 5, 16 }, p.forward(torch.randn(5, 8)).shape);
        // First linear maps 8 → 16: weight [16, 8]; later ones 16 → 16.
        var shapes = p.named_parameters().Where(np => np.name.EndsWith(".weight") && np.name.StartsWith("linear")).Select(np => np.parameter.shape).ToArray();
        Assert.Equal(new long[] { 16, 8 }, shapes[0]);
        Assert.Equal(new long[] { 16, 16 }, shapes[2]);
    }

    [Fact]
    public void Projector_without_batch_norm_and_with_one_layer()
    {
        using var scope = torch.NewDisposeScope();
        using var noBn = Heads.Projector(8, 4, 2, batchNorm: false);
        Assert.Equal(new[] { "linear0", "relu0", "linear1" }, Children(noBn));
        Assert.Equal(new long[] { 3, 4 }, noBn.forward(torch.randn(3, 8)).shape);
        using var one = Heads.Projector(8, 4, 1);
        Assert.Equal(new[] { "linear0", "norm0" }, Children(one));
        using var oneNoBn = Heads.Projector(8, 4, 1, batchNorm: false);
        Assert.Equal(new[] { "linear0" }, Children(oneNoBn));
        Assert.Equal(new long[] { 2, 4 }, oneNoBn.forward(torch.randn(2, 8)).shape);
    }

    [Fact]
    public void Predictor_maps_dim_to_dim_without_final_batch_norm()
    {
        using var scope = torch.NewDisposeScope();
        using var p = Heads.Predictor(12, 5);
        Assert.Equal(new[] { "linear0", "norm0", "relu0", "linear1" }, Children(p));
        Assert.Equal(new long[] { 4, 12 }, p.forward(torch.randn(4, 12)).shape);
        using var three = Heads.Predictor(12, 5, 3);
        Assert.Equal(new[] { "linear0", "norm0", "relu0", "linear1", "norm1", "relu1", "linear2" }, Children(three));
        using var one = Heads.Predictor(12, 5, 1);
        Assert.Equal(new[] { "linear0" }, Children(one));
        Assert.Equal(new long[] { 4, 12 }, one.forward(torch.randn(4, 12)).shape);
    }

    [Fact]
    public void BGRLs_predictor_is_linear_prelu_linear_without_batch_norm()
    {
        using var scope = torch.NewDisposeScope();
        using var p = Heads.Predictor(12, 5, 2, batchNorm: false, activation: Activation.PRelu);
        Assert.Equal(new[] { "linear0", "prelu0", "linear1" }, Children(p));
        // A PReLU slope of 0.25 (torch.nn.PReLU's start) and nothing else besides the two linears.
        var named = p.named_parameters().Select(x => x.name).ToArray();
        Assert.Equal(new[] { "linear0.weight", "linear0.bias", "prelu0.weight", "linear1.weight", "linear1.bias" }, named);
        // Without batch norm one row's output does not depend on the other rows of the batch.
        var x = torch.randn(4, 12);
        Assert.True(p.forward(x)[0].allclose(p.forward(x.narrow(0, 0, 1))[0], rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void Invalid_sizes_throw()
    {
        Assert.Throws<ArgumentException>(() => Heads.Projector(0, 4, 2));
        Assert.Throws<ArgumentException>(() => Heads.Projector(4, 0, 2));
        Assert.Throws<ArgumentException>(() => Heads.Projector(4, 4, 0));
        Assert.Throws<ArgumentException>(() => Heads.Predictor(4, 4, 0));
    }
}
