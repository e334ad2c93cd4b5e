using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Batching;
using GraphSSL.Data;
using GraphSSL.Layers;

namespace GraphSSL.Training;

/// <summary>
/// A model declared <c>[SslModel(NodeLevel = true)]</c>: it trains transductively on one graph (every step the full
/// graph, node embeddings to the heads and objectives) and its trained encoder embeds nodes
/// (<see cref="TrainedEncoder.EmbedNodes(NodeData)"/>). It is an <see cref="ISslModel"/> too: on a
/// <see cref="GraphData"/> of several graphs every step is one batch of all of them.
/// </summary>
public interface INodeLevelModel : ISslModel
{
    /// <summary>Trains on the one graph of <paramref name="data"/>; see the generated typed overload.</summary>
    TrainResult<ISslModel> Train(NodeData data, TrainOptions? options = null, IProgress<EpochReport>? progress = null, CancellationToken cancellationToken = default);
}

/// <summary>The bridge between node-level data (<see cref="NodeData"/>) and the graph-level training loop.</summary>
public static class NodeLevel
{
    /// <summary>
    /// <paramref name="data"/> as a <see cref="GraphData"/> of one graph: the same features and every undirected edge
    /// in both directions (<see cref="NodeData.DirectedEdges"/>); the graph's label is 0 (node labels are not used by
    /// self-supervised training). The name is the node dataset's, so checkpoints are fingerprinted by it.
    /// </summary>
    public static GraphData AsGraph(NodeData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (src, dst) = data.DirectedEdges();
        return new GraphData(data.Name, data.Features, data.FeatureDim, new[] { 0, data.NodeCount }, src, dst,
            new[] { 0, src.Length }, new[] { 0 }, new[] { "graph" }, data.Notes);
    }

    /// <summary>
    /// A copy whose feature rows each sum to 1 (rows of zeros stay zero): the preprocessing DGI
    /// (<c>process.preprocess_features</c>), GRACE (<c>T.NormalizeFeatures()</c>) and GraphMAE (DGL's citation
    /// datasets) apply to Cora and CiteSeer before training.
    /// </summary>
    public static NodeData RowNormalized(NodeData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var features = (float[])data.Features.Clone();
        for (int v = 0; v < data.NodeCount; v++)
        {
            var row = features.AsSpan(v * data.FeatureDim, data.FeatureDim);
            double sum = 0;
            foreach (var x in row) sum += x;
            if (sum == 0) continue;
            for (int j = 0; j < row.Length; j++) row[j] = (float)(row[j] / sum);
        }
        return data with { Features = features, Notes = data.Notes.Append("feature rows normalised to sum 1").ToArray() };
    }

    /// <summary>
    /// Node embeddings <c>[N, D]</c> on the CPU: <paramref name="encoder"/> (eval mode, no gradient) over all graphs of
    /// <paramref name="graphs"/> as one batch, <see cref="EncoderOutput.Nodes"/>.
    /// </summary>
    public static Tensor EmbedNodes(EncoderModule encoder, DeviceGraphs graphs)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(graphs);
        var wasTraining = encoder.training;
        encoder.eval();
        try
        {
            using var noGrad = torch.no_grad();
            using var scope = torch.NewDisposeScope();
            var ids = Scalars.Range(0, graphs.GraphCount, graphs.Device);
            return encoder.Encode(graphs.Gather(ids)).Nodes.to(torch.CPU).MoveToOuterDisposeScope();
        }
        finally
        {
            encoder.train(wasTraining);
        }
    }
}
