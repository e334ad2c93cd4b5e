using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Layers;

/// <summary>
/// The readout every encoder shares: pool a layer's node states into one row per graph, keep every
/// layer's pooled output (jumping knowledge, concatenated in layer order) or only the last layer's.
/// Node counts for mean/max pooling are computed once per batch, not once per layer.
/// </summary>
internal sealed class LayerReadouts
{
    readonly Pooling pooling;
    readonly bool jumpingKnowledge;
    readonly int layers;
    readonly GraphBatch batch;
    readonly Tensor? counts;
    readonly List<Tensor> readouts;
    readonly List<Tensor> states;

    internal LayerReadouts(Pooling pooling, bool jumpingKnowledge, int layers, GraphBatch batch)
    {
        this.pooling = pooling;
        this.jumpingKnowledge = jumpingKnowledge;
        this.layers = layers;
        this.batch = batch;
        counts = pooling == Pooling.Sum ? null : Segment.Counts(batch.Batch, batch.GraphCount);
        readouts = new List<Tensor>(jumpingKnowledge ? layers : 1);
        states = new List<Tensor>(layers);
    }

    /// <summary>Records layer <paramref name="layer"/>'s node states <paramref name="h"/> when the embedding uses them.</summary>
    internal void Add(int layer, Tensor h)
    {
        states.Add(h);
        if (jumpingKnowledge || layer == layers - 1)
            readouts.Add(Pool.Readout(pooling, h, batch.Batch, batch.GraphCount, counts));
    }

    /// <summary>The graph embedding <c>[GraphCount, EmbeddingDim]</c>.</summary>
    internal Tensor Embedding() => readouts.Count == 1 ? readouts[0] : torch.cat(readouts, 1);

    /// <summary>
    /// The encoder's output, moved out of the encoder's dispose scope: the graph embedding and every layer's
    /// node states (node embeddings are their concatenation with jumping knowledge, else the last layer).
    /// </summary>
    internal EncoderOutput Output()
    {
        var graph = Embedding().MoveToOuterDisposeScope();
        foreach (var h in states) h.MoveToOuterDisposeScope();
        return new EncoderOutput(graph, states.ToArray(), jumpingKnowledge, batch);
    }
}
