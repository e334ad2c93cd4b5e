using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Augmentations;

/// <summary>
/// A graph augmentation as a value: a pure function of a batch and a random generator. Records declared
/// with <c>[Augmentation]</c> implement it; their hyperparameters are init properties, so
/// <c>with</c> makes variants.
/// </summary>
public interface IAugmentation
{
    /// <summary>
    /// Returns an augmented copy of <paramref name="batch"/> (same device, same graph count, same graph
    /// order). All randomness comes from <paramref name="generator"/> and is drawn per graph.
    /// </summary>
    GraphBatch Apply(GraphBatch batch, Generator generator);
}
