using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Layers;

/// <summary>The modules behind <see cref="Activation"/>.</summary>
public static class Activations
{
    /// <summary>A fresh module for <paramref name="activation"/>: ReLU, PReLU (one slope, initialised to 0.25, as <c>torch.nn.PReLU()</c>) or ELU (α = 1).</summary>
    public static nn.Module<Tensor, Tensor> Create(Activation activation) => activation switch
    {
        Activation.Relu => nn.ReLU(),
        Activation.PRelu => nn.PReLU(1, 0.25),
        Activation.Elu => nn.ELU(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
