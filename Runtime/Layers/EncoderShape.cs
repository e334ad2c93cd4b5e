namespace GraphSSL.Layers;

/// <summary>
/// Argument checks and embedding size shared by the encoder modules. Generated encoders call
/// <see cref="EmbeddingDim"/> for their <c>EmbeddingDim</c>: the size formula lives here only.
/// </summary>
public static class EncoderShape
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first argument out of range.</summary>
    public static void Validate(int inputDim, int hidden, int layers, Pooling pooling)
    {
        if (inputDim < 1) throw new ArgumentException($"inputDim must be ≥ 1, was {inputDim}.", nameof(inputDim));
        if (hidden < 1) throw new ArgumentException($"hidden must be ≥ 1, was {hidden}.", nameof(hidden));
        if (layers < 1) throw new ArgumentException($"layers must be ≥ 1, was {layers}.", nameof(layers));
        if (pooling is not (Pooling.Sum or Pooling.Mean or Pooling.Max))
            throw new ArgumentException($"Unknown pooling {pooling}.", nameof(pooling));
    }

    /// <summary>Width of an encoder's graph embedding: every layer's readout concatenated (jumping knowledge) or the last layer's.</summary>
    public static int EmbeddingDim(int hidden, int layers, bool jumpingKnowledge) =>
        jumpingKnowledge ? checked(hidden * layers) : hidden;
}
