using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GraphSSL.Training;

namespace GraphSSL.Runtime.Tests.Training;

/// <summary><see cref="FusedOptimizer.Adam"/>'s C# step against TorchSharp's <c>torch.optim.Adam</c>, step for step, and their shared state format.</summary>
public sealed class FusedAdamTests : IDisposable
{
    readonly bool saved = FusedOptimizer.Enabled;

    public void Dispose() => FusedOptimizer.Enabled = saved;

    static float[] Floats(Tensor t) => t.detach().contiguous().data<float>().ToArray();

    /// <summary>Three parameters (sizes with and without a vector tail, one that never gets a gradient) and a fixed quadratic-ish loss.</summary>
    static Parameter[] Parameters() =>
    [
        new Parameter(torch.linspace(-1, 1, 64 * 3).reshape(64, 3)),
        new Parameter(torch.linspace(0.5, -0.3, 13)),
        new Parameter(torch.ones(5)),
    ];

    static Tensor Loss(Parameter[] p, int step) =>
        (p[0].pow(2).sum() * 0.5 + (p[0] * (step % 3)).sin().sum() + p[1].pow(3).sum() + p[1].abs().sum());

    static float[][] Train(Func<Parameter[], OptimizerHelper> create, int steps, double? lrAfter = null, Action<OptimizerHelper>? middle = null)
    {
        using var scope = torch.NewDisposeScope();
        var p = Parameters();
        using var optimizer = create(p);
        for (int step = 0; step < steps; step++)
        {
            if (step == steps / 2)
            {
                if (lrAfter is double lr) foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
                middle?.Invoke(optimizer);
            }
            optimizer.zero_grad();
            Loss(p, step).backward();
            optimizer.step();
        }
        Assert.Null(p[2].grad);   // never in the loss: no gradient, no update
        Assert.Equal(new float[] { 1, 1, 1, 1, 1 }, Floats(p[2]));
        return p.Select(Floats).ToArray();
    }

    static void AssertClose(float[][] expected, float[][] actual, float tolerance)
    {
        for (int k = 0; k < expected.Length; k++)
            for (int i = 0; i < expected[k].Length; i++)
                Assert.True(Math.Abs(expected[k][i] - actual[k][i]) <= tolerance * (1 + Math.Abs(expected[k][i])),
                    $"parameter {k}[{i}]: Adam {expected[k][i]}, fused {actual[k][i]}");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.05)]
    public void The_fused_step_follows_torch_Adam_step_for_step(double weightDecay)
    {
        FusedOptimizer.Enabled = true;
        var reference = Train(p => torch.optim.Adam(p, 0.01, weight_decay: weightDecay), 60, lrAfter: 0.003);
        var fused = Train(p => new FusedOptimizer.Adam(p, 0.01, weightDecay), 60, lrAfter: 0.003);
        // 60 steps of lr ~0.01 move the parameters by O(0.5); the two differ only by float rounding (no FMA vs FMA).
        AssertClose(reference, fused, 1e-5f);
        Assert.NotEqual(Floats(Parameters()[0]), fused[0]);   // the parameters did move
    }

    [Fact]
    public void Switched_off_it_is_torch_Adam_exactly()
    {
        FusedOptimizer.Enabled = false;
        var reference = Train(p => torch.optim.Adam(p, 0.01, weight_decay: 0.01), 20);
        var off = Train(p => new FusedOptimizer.Adam(p, 0.01, 0.01), 20);
        Assert.Equal(reference, off);
    }

    [Fact]
    public void A_state_saved_by_either_class_resumes_in_the_other()
    {
        FusedOptimizer.Enabled = true;
        // 30 steps with Adam, its state handed to a FusedAdam for the last 30, against 60 fused steps (and the reverse).
        float[][] Handover(bool fusedFirst)
        {
            using var scope = torch.NewDisposeScope();
            var p = Parameters();
            OptimizerHelper first = fusedFirst ? new FusedOptimizer.Adam(p, 0.01) : torch.optim.Adam(p, 0.01);
            for (int step = 0; step < 30; step++) { first.zero_grad(); Loss(p, step).backward(); first.step(); }
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) first.save_state_dict(writer);
            stream.Position = 0;
            OptimizerHelper second = fusedFirst ? torch.optim.Adam(p, 0.01) : new FusedOptimizer.Adam(p, 0.01);
            using (var reader = new BinaryReader(stream)) second.load_state_dict(reader);
            for (int step = 30; step < 60; step++) { second.zero_grad(); Loss(p, step).backward(); second.step(); }
            first.Dispose();
            second.Dispose();
            return p.Take(2).Select(Floats).ToArray();
        }
        var straight = Train(p => new FusedOptimizer.Adam(p, 0.01), 60).Take(2).ToArray();
        AssertClose(straight, Handover(fusedFirst: false), 1e-5f);
        AssertClose(straight, Handover(fusedFirst: true), 1e-5f);
    }
}
