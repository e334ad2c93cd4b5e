using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Layers;

/// <summary>Heads placed after the encoder: the projector g(·) and the SimSiam/BYOL predictor.</summary>
public static class Heads
{
    /// <summary>
    /// The study's projector: <paramref name="layers"/> − 1 blocks of <c>Linear, BatchNorm1d, ReLU</c>, then
    /// <c>Linear, BatchNorm1d</c> (no batch norm anywhere when <paramref name="batchNorm"/> is false). Every linear
    /// layer outputs <paramref name="hidden"/> columns; <c>layers = 1</c> is a single <c>Linear(inputDim, hidden)</c>
    /// (+ batch norm). Modules are named <c>linear{i}</c>, <c>norm{i}</c>, <c>relu{i}</c> from 0.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Projector(int inputDim, int hidden, int layers, bool batchNorm = true)
    {
        Validate(inputDim, hidden, layers);
        var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < layers; i++)
        {
            blocks.Add(($"linear{i}", nn.Linear(i == 0 ? inputDim : hidden, hidden)));
            if (batchNorm) blocks.Add(($"norm{i}", new RowBatchNorm(hidden)));
            if (i < layers - 1) blocks.Add(($"relu{i}", nn.ReLU()));
        }
        return nn.Sequential(blocks);
    }

    /// <summary>
    /// The SimSiam/BYOL predictor: <paramref name="layers"/> − 1 blocks of <c>Linear, BatchNorm1d, ReLU</c> of width
    /// <paramref name="hidden"/>, then <c>Linear(…, dim)</c> without batch norm; maps <c>[B, dim]</c> to <c>[B, dim]</c>.
    /// <c>layers = 1</c> is a single <c>Linear(dim, dim)</c>. Modules are named as in <see cref="Projector"/>.
    /// Without <paramref name="batchNorm"/> and with PReLU it is BGRL's <c>MLP_Predictor</c> (Linear, PReLU, Linear:
    /// nerdslab/bgrl bgrl/predictors.py).
    /// </summary>
    public static nn.Module<Tensor, Tensor> Predictor(int dim, int hidden, int layers = 2, bool batchNorm = true, Activation activation = Activation.Relu)
    {
        Validate(dim, hidden, layers);
        var blocks = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < layers - 1; i++)
        {
            blocks.Add(($"linear{i}", nn.Linear(i == 0 ? dim : hidden, hidden)));
            if (batchNorm) blocks.Add(($"norm{i}", new RowBatchNorm(hidden)));
            blocks.Add(($"{activation.ToString().ToLowerInvariant()}{i}", Activations.Create(activation)));
        }
        blocks.Add(($"linear{layers - 1}", nn.Linear(layers == 1 ? dim : hidden, dim)));
        return nn.Sequential(blocks);
    }

    /// <summary>
    /// The width a head's <c>Hidden</c> stands for: itself, or the head's input size when it is 0 (the default of
    /// <c>[Projector]</c> and <c>[Predictor]</c>). Generated models call this; the rule lives here only.
    /// </summary>
    public static int Width(int hidden, int input) => hidden > 0 ? hidden : input;

    static void Validate(int inputDim, int hidden, int layers)
    {
        if (inputDim < 1) throw new ArgumentException($"Input dimension must be ≥ 1, was {inputDim}.", nameof(inputDim));
        if (hidden < 1) throw new ArgumentException($"hidden must be ≥ 1, was {hidden}.", nameof(hidden));
        if (layers < 1) throw new ArgumentException($"layers must be ≥ 1, was {layers}.", nameof(layers));
    }
}
