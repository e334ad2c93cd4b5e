using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Objectives;

namespace GraphSSL.Runtime.Tests.Objectives;

public class ScopeHygieneTests
{
    public static TheoryData<string> Losses => new()
    {
        "NtXent", "SimSiam", "Byol", "BarlowTwins", "VicReg", "MoCo", "SwAV", "SwAVQueue", "Sinkhorn", "OutputStd",
    };

    [Theory]
    [MemberData(nameof(Losses))]
    public void Loss_LeavesOnlyItsResultInTheCallersScope(string name)
    {
        // Each function creates its intermediates in a private scope: after the call the caller's scope holds
        // exactly one more tensor (the result), which is a scalar (or the [N, K] codes for Sinkhorn) with
        // the inputs' dtype.
        var a = Kit.Randn(6, 4, 130, ScalarType.Float32).requires_grad_(true);
        var b = Kit.Randn(6, 4, 131, ScalarType.Float32).requires_grad_(true);
        var c = Kit.Randn(3, 4, 132, ScalarType.Float32);
        using var scope = torch.NewDisposeScope();
        int before = scope.DisposablesCount;
        Tensor result = name switch
        {
            "NtXent" => GraphSSL.Objectives.Losses.NtXent(a, b, 0.2),
            "SimSiam" => GraphSSL.Objectives.Losses.SimSiam(a, b, b, a),
            "Byol" => GraphSSL.Objectives.Losses.Byol(a, b, b, a),
            "BarlowTwins" => GraphSSL.Objectives.Losses.BarlowTwins(a, b, 3.9e-3, 1.0 / 32),
            "VicReg" => GraphSSL.Objectives.Losses.VicReg(a, b),
            "MoCo" => GraphSSL.Objectives.Losses.MoCo(a, b, c, 0.2),
            "SwAV" => GraphSSL.Objectives.Losses.SwAV(a, b, c, 0.1, 0.05, 3),
            "SwAVQueue" => GraphSSL.Objectives.Losses.SwAV(a, b, c, 0.1, 0.05, 3, c, c),
            "Sinkhorn" => GraphSSL.Objectives.Losses.Sinkhorn(a, 0.05, 3),
            "OutputStd" => CollapseMonitor.OutputStd(a),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        Assert.Equal(before + 1, scope.DisposablesCount);
        Assert.Equal(ScalarType.Float32, result.dtype);
        Assert.Equal(name == "Sinkhorn" ? 2 : 0, result.dim());
        Assert.True(double.IsFinite(Kit.S(result.sum())));
        if (name is not ("Sinkhorn" or "OutputStd"))
        {
            result.backward();
            Assert.NotNull(a.grad);
        }
    }
}
