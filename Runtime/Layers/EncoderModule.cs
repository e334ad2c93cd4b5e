using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Layers;

/// <summary>
/// What an encoder computes for one batch: the graph embedding and every layer's node states. Tensors
/// belong to the caller's dispose scope.
/// </summary>
public sealed class EncoderOutput
{
    readonly bool concatenate;
    Tensor? nodes;

    /// <summary>Creates the output.</summary>
    /// <param name="graph">Graph embedding <c>[GraphCount, EmbeddingDim]</c>.</param>
    /// <param name="layers">Each layer's node states <c>[N, hidden]</c>, in order.</param>
    /// <param name="concatenate">Whether <see cref="Nodes"/> concatenates every layer (jumping knowledge) or is the last one.</param>
    /// <param name="batch">The batch that was encoded.</param>
    public EncoderOutput(Tensor graph, IReadOnlyList<Tensor> layers, bool concatenate, GraphBatch batch)
    {
        if (layers.Count == 0) throw new ArgumentException("An encoder output needs at least one layer.", nameof(layers));
        Graph = graph;
        Layers = layers;
        Batch = batch;
        this.concatenate = concatenate;
    }

    /// <summary>Graph embedding <c>[GraphCount, EmbeddingDim]</c>: the pooled <see cref="Nodes"/>.</summary>
    public Tensor Graph { get; }

    /// <summary>Each layer's node states, in layer order.</summary>
    public IReadOnlyList<Tensor> Layers { get; }

    /// <summary>The batch that was encoded (its <c>Batch</c> vector maps nodes to graphs).</summary>
    public GraphBatch Batch { get; }

    /// <summary>
    /// Node embeddings <c>[N, EmbeddingDim]</c>, the node-level counterpart of <see cref="Graph"/>: every
    /// layer's states concatenated with jumping knowledge, else the last layer's. Computed on first use.
    /// </summary>
    public Tensor Nodes => nodes ??= concatenate && Layers.Count > 1 ? torch.cat(Layers.ToArray(), 1) : Layers[^1];
}

/// <summary>
/// Base of every encoder module: maps a <see cref="GraphBatch"/> to an <see cref="EncoderOutput"/>;
/// <c>forward</c> returns the graph embedding only (what evaluation embeds).
/// </summary>
public abstract class EncoderModule : nn.Module<GraphBatch, Tensor>
{
    /// <summary>Creates the module with TorchSharp's name.</summary>
    protected EncoderModule(string name) : base(name) { }

    /// <summary>Size of the graph (and node) embedding.</summary>
    public abstract int EmbeddingDim { get; }

    /// <summary>
    /// The generator dropout draws its masks from while training (<see cref="InvertedDropout"/>): the trainer sets it to
    /// the run's generator, whose state checkpoints keep; null: torch's global generator. Unused without dropout.
    /// </summary>
    public Generator? Noise { get; set; }

    /// <summary>Encodes <paramref name="batch"/>: graph embedding and node states.</summary>
    public abstract EncoderOutput Encode(GraphBatch batch);

    /// <summary>The graph embedding <c>[GraphCount, EmbeddingDim]</c>.</summary>
    public override Tensor forward(GraphBatch batch) => Encode(batch).Graph;
}
