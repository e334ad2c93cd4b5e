using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Augmentations;

/// <summary>
/// SimGRACE's view (Xia et al., WWW 2022): no augmentation of the graph, but of the encoder. The batch is
/// encoded by a copy of the online network whose encoder weights are θ + η·ε with ε ~ N(0, σ_θ²) drawn
/// afresh for every weight tensor at every step (σ_θ the tensor's own standard deviation); the heads are
/// copied unperturbed. The view gets no gradient. Randomness comes from the run's generator.
/// </summary>
[Augmentation]
public sealed partial record PerturbWeights(
    [Hyper(ValueRange.NonNegative, "Scale η of the weight perturbation (SimGRACE's magnitude).")] double Eta = 1.0)
{
    /// <summary>Encodes <paramref name="batch"/> with perturbed encoder weights, without gradient.</summary>
    public ViewOutput Forward(SslNetwork online, GraphBatch batch, Generator generator)
    {
        var copy = online.Scratch;
        using (torch.no_grad())
        {
            foreach (var ((name, target), (_, source)) in copy.Modules.Zip(online.Modules))
            {
                Ema.Update(target, source, 0); // exact copy: parameters and batch-norm statistics
                if (name != "encoder" || Eta == 0) continue;
                using var eta = Eta.ToScalar();
                foreach (var parameter in target.parameters())
                {
                    // A one-element tensor (a learnt ε) has no spread: leave it unperturbed.
                    if (parameter.numel() < 2) continue;
                    var noise = torch.randn(parameter.shape, dtype: parameter.dtype, device: parameter.device, generator: generator);
                    parameter.add_(noise.mul_(parameter.std()).mul_(eta), Scalars.One);
                }
            }
            return copy.Forward(batch);
        }
    }
}
