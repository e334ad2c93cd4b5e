using System.Text;
using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Layers;

/// <summary>
/// A message-passing layer as a value: records declared with <c>[Layer]</c> implement it (the user writes
/// <c>OutputDim</c> and <c>CreateModule</c>; the generator adds <c>Validate()</c> and <c>IDeclared</c>).
/// A layer maps node states <c>[N, inputDim]</c> of a batch to <c>[N, OutputDim(inputDim)]</c>, including any
/// activation and normalisation it wants. Stack layers of any kinds with <see cref="LayerStack"/>.
/// </summary>
public interface IGraphLayer
{
    /// <summary>Width of the node states the layer produces from <paramref name="inputDim"/> columns.</summary>
    int OutputDim(int inputDim);

    /// <summary>A freshly initialised module (on the CPU): <c>forward(h, batch)</c> → new node states.</summary>
    nn.Module<Tensor, GraphBatch, Tensor> CreateModule(int inputDim);
}

/// <summary>
/// An encoder made of layers of any kinds, in order — <c>new LayerStack(new GinLayer(64), new MeanLayer(64),
/// new GinLayer(64))</c> — with the same readout as the declared encoders: every layer's node states pooled
/// (<see cref="Pooling"/>) and concatenated with <see cref="JumpingKnowledge"/>, else the last layer's. A value
/// with element-wise equality, usable wherever an encoder is (<c>record M(LayerStack Encoder, …)</c>).
/// </summary>
public sealed record LayerStack(params IGraphLayer[] Layers) : IGraphEncoder
{
    readonly IGraphLayer[] layers = Check(Layers);

    /// <summary>The layers in order (a copy), at least one, none null.</summary>
    public IGraphLayer[] Layers
    {
        get => (IGraphLayer[])layers.Clone();
        init => layers = Check(value);
    }

    /// <summary>Readout of every layer's node states. Default <see cref="Pooling.Sum"/>.</summary>
    public Pooling Pooling { get; init; } = Pooling.Sum;

    /// <summary>Concatenate every layer's readout (true, default) or use the last layer's only.</summary>
    public bool JumpingKnowledge { get; init; } = true;

    /// <summary>
    /// Size of the graph embedding. The layers' widths may depend on their input, so this is known once the
    /// input width is: <see cref="EmbeddingDimFor"/>. Here: the width for the widths the layers declare when
    /// their output does not depend on the input (probed with input width 1).
    /// </summary>
    public int EmbeddingDim => EmbeddingDimFor(1);

    /// <summary>Size of the graph embedding for <paramref name="inputDim"/> input columns.</summary>
    public int EmbeddingDimFor(int inputDim)
    {
        int width = inputDim, total = 0;
        foreach (var layer in layers)
        {
            width = layer.OutputDim(width);
            total += width;
        }
        return JumpingKnowledge ? total : width;
    }

    /// <inheritdoc />
    public EncoderModule CreateModule(int inputDim) => new LayerStackModule(layers, inputDim, Pooling, JumpingKnowledge);

    /// <summary>True when <paramref name="other"/> stacks equal layers in the same order with the same readout.</summary>
    public bool Equals(LayerStack? other)
        => other is not null && layers.SequenceEqual(other.layers) && Pooling == other.Pooling && JumpingKnowledge == other.JumpingKnowledge;

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var layer in layers) hash.Add(layer);
        hash.Add(Pooling);
        hash.Add(JumpingKnowledge);
        return hash.ToHashCode();
    }

    bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Layers = [").Append(string.Join(", ", layers.Select(l => l.ToString()))).Append("], Pooling = ")
            .Append(Pooling).Append(", JumpingKnowledge = ").Append(JumpingKnowledge ? "True" : "False");
        return true;
    }

    static IGraphLayer[] Check(IGraphLayer[]? value)
    {
        ArgumentNullException.ThrowIfNull(value, nameof(Layers));
        if (value.Length == 0) throw new ArgumentException("A layer stack needs at least one layer.", nameof(Layers));
        if (value.Any(l => l is null)) throw new ArgumentException("A layer stack's layers must not be null.", nameof(Layers));
        return (IGraphLayer[])value.Clone();
    }
}

/// <summary>The module of a <see cref="LayerStack"/>: each layer's module in order, then the shared readout.</summary>
public sealed class LayerStackModule : EncoderModule
{
    readonly TorchSharp.Modules.ModuleList<nn.Module<Tensor, GraphBatch, Tensor>> stack = new();
    readonly Pooling pooling;
    readonly bool jumpingKnowledge;

    internal LayerStackModule(IReadOnlyList<IGraphLayer> layers, int inputDim, Pooling pooling, bool jumpingKnowledge) : base(nameof(LayerStackModule))
    {
        if (inputDim < 1) throw new ArgumentException($"inputDim must be at least 1, was {inputDim}.", nameof(inputDim));
        this.pooling = pooling;
        this.jumpingKnowledge = jumpingKnowledge;
        int width = inputDim, total = 0;
        foreach (var layer in layers)
        {
            stack.Add(layer.CreateModule(width));
            width = layer.OutputDim(width);
            total += width;
        }
        EmbeddingDim = jumpingKnowledge ? total : width;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int EmbeddingDim { get; }

    /// <inheritdoc />
    public override EncoderOutput Encode(GraphBatch batch)
    {
        using var scope = torch.NewDisposeScope();
        var readouts = new LayerReadouts(pooling, jumpingKnowledge, stack.Count, batch);
        var h = batch.X;
        for (int l = 0; l < stack.Count; l++)
        {
            h = stack[l].forward(h, batch);
            readouts.Add(l, h);
        }
        return readouts.Output();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) stack.Dispose();
        base.Dispose(disposing);
    }
}
