namespace GraphSSL.Layers;

/// <summary>
/// Argument checks and embedding size shared by the encoder modules. Generated encoders call
/// <see cref="EmbeddingDim(int, int, bool)"/> (GCN: <see cref="EmbeddingDim(int, int, bool, int)"/>) for their <c>EmbeddingDim</c>: the size formula lives here only.
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

    /// <summary>Throws <see cref="ArgumentException"/> unless the dropout probability <paramref name="p"/> is in [0, 1).</summary>
    public static void ValidateDropout(double p, string name)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentException($"{name} must be in [0, 1), was {p}.", name);
    }

    /// <summary>Width of an encoder's graph embedding: every layer's readout concatenated (jumping knowledge) or the last layer's.</summary>
    public static int EmbeddingDim(int hidden, int layers, bool jumpingKnowledge) =>
        jumpingKnowledge ? checked(hidden * layers) : hidden;

    /// <summary>
    /// Width of the graph embedding of an encoder whose layers but the last are <paramref name="innerHidden"/> wide
    /// (0: <paramref name="hidden"/>) and whose last layer is <paramref name="hidden"/> wide.
    /// </summary>
    public static int EmbeddingDim(int hidden, int layers, bool jumpingKnowledge, int innerHidden) =>
        jumpingKnowledge ? checked(InnerWidth(hidden, innerHidden) * (layers - 1) + hidden) : hidden;

    /// <summary>The width of the layers before the last: <paramref name="innerHidden"/>, or <paramref name="hidden"/> when it is 0.</summary>
    public static int InnerWidth(int hidden, int innerHidden)
    {
        if (innerHidden < 0) throw new ArgumentException($"innerHidden must be ≥ 0 (0: hidden), was {innerHidden}.", nameof(innerHidden));
        return innerHidden == 0 ? hidden : innerHidden;
    }
}
