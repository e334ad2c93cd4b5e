using TorchSharp;
using static TorchSharp.torch;

namespace GraphSSL.Layers;

/// <summary>
/// An encoder declaration as a value: records declared with <c>[Encoder]</c> implement it. It builds the
/// TorchSharp module that maps a <see cref="Batching.GraphBatch"/> to one embedding per graph.
/// </summary>
public interface IGraphEncoder
{
    /// <summary>Size of the graph embedding the module produces (independent of the input features).</summary>
    int EmbeddingDim { get; }

    /// <summary>Creates a freshly initialised module (on the CPU; move it with <c>.to(device)</c>).</summary>
    EncoderModule CreateModule(int inputDim);
}
