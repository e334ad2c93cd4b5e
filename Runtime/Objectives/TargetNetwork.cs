using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Objectives;

/// <summary>
/// The EMA target (BYOL) or key (MoCo) network: a second module of the online network's architecture that
/// starts as an exact copy and is then only moved by <see cref="Ema.Update"/>, never by the optimiser.
/// </summary>
public static class TargetNetwork
{
    /// <summary>
    /// Copies every parameter and buffer of <paramref name="online"/> into <paramref name="target"/> (matched by
    /// registration order; the architectures must agree) and turns off gradients for the target's
    /// parameters, so forward passes through it build no autograd graph. Returns <paramref name="target"/>.
    /// </summary>
    /// <param name="target">A freshly created module with the online network's architecture, on the same device.</param>
    /// <param name="online">The network being trained.</param>
    public static T Initialize<T>(T target, nn.Module online) where T : nn.Module
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(online);
        Ema.Update(target, online, 0); // validates the architectures; m = 0 copies
        using var noGrad = torch.no_grad();
        var targetParameters = target.parameters().ToList();
        var onlineParameters = online.parameters().ToList();
        for (int i = 0; i < targetParameters.Count; i++)
        {
            targetParameters[i].copy_(onlineParameters[i]); // exact, whatever the target held before
            targetParameters[i].requires_grad = false;
        }
        return target;
    }
}
