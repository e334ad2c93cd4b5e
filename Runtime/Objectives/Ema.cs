using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Objectives;

/// <summary>
/// Exponential moving average of a network's weights (BYOL / MoCo target network) and BYOL's cosine
/// momentum schedule.
/// </summary>
public static class Ema
{
    /// <summary>
    /// In place, without gradient: every parameter θ_t of <paramref name="target"/> becomes
    /// m·θ_t + (1 − m)·θ_o with θ_o the matching parameter of <paramref name="online"/>, and every buffer
    /// (batch-norm running statistics, counters) is copied from <paramref name="online"/>. Parameters and
    /// buffers are matched by registration order; the two modules must have the same architecture (same
    /// counts and shapes). No host reads.
    /// </summary>
    /// <param name="target">The EMA network, updated in place.</param>
    /// <param name="online">The network being trained.</param>
    /// <param name="momentum">m in [0, 1]: 1 keeps the target, 0 copies the online network.</param>
    public static void Update(nn.Module target, nn.Module online, double momentum)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(online);
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentException($"The EMA momentum must be in [0, 1], but was {momentum}.", nameof(momentum));
        var targetParameters = target.parameters().ToList();
        var onlineParameters = online.parameters().ToList();
        var targetBuffers = target.buffers().ToList();
        var onlineBuffers = online.buffers().ToList();
        Match(targetParameters, onlineParameters, "parameters");
        Match(targetBuffers, onlineBuffers, "buffers");
        using var noGrad = torch.no_grad();
        using var keep = momentum.ToScalar();
        using var blend = (1 - momentum).ToScalar();
        for (int i = 0; i < targetParameters.Count; i++)
            targetParameters[i].mul_(keep).add_(onlineParameters[i], alpha: blend);
        for (int i = 0; i < targetBuffers.Count; i++)
            targetBuffers[i].copy_(onlineBuffers[i]);
    }

    /// <summary>
    /// BYOL's schedule m = 1 − (1 − base)·(cos(π·step/totalSteps) + 1)/2: equals
    /// <paramref name="baseMomentum"/> at step 0 and rises to 1 at <paramref name="totalSteps"/>; steps past
    /// the end stay at 1.
    /// </summary>
    /// <param name="baseMomentum">Momentum at step 0, in [0, 1] (BYOL: 0.996).</param>
    /// <param name="step">Current step ≥ 0.</param>
    /// <param name="totalSteps">Steps in the run ≥ 1.</param>
    public static double CosineMomentum(double baseMomentum, long step, long totalSteps)
    {
        if (!(baseMomentum >= 0 && baseMomentum <= 1))
            throw new ArgumentException($"The base momentum must be in [0, 1], but was {baseMomentum}.", nameof(baseMomentum));
        if (totalSteps < 1)
            throw new ArgumentException($"totalSteps must be at least 1, but was {totalSteps}.", nameof(totalSteps));
        if (step < 0)
            throw new ArgumentException($"step must be ≥ 0, but was {step}.", nameof(step));
        double progress = Math.Min(step, totalSteps) / (double)totalSteps;
        return 1 - (1 - baseMomentum) * (Math.Cos(Math.PI * progress) + 1) / 2;
    }

    static void Match(IReadOnlyList<Tensor> target, IReadOnlyList<Tensor> online, string what)
    {
        if (target.Count != online.Count)
            throw new ArgumentException($"The target has {target.Count} {what} but the online network {online.Count}: the architectures differ.", "target");
        for (int i = 0; i < target.Count; i++)
            if (!target[i].shape.SequenceEqual(online[i].shape))
                throw new ArgumentException(
                    $"{what} #{i} has shape [{string.Join(", ", target[i].shape)}] in the target but [{string.Join(", ", online[i].shape)}] in the online network.", "target");
    }
}
