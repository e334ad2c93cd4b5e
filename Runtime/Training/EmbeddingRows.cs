using static TorchSharp.torch;

namespace GraphSSL.Training;

/// <summary>Turns an embedding tensor into the row form the evaluators take.</summary>
public static class EmbeddingRows
{
    /// <summary>
    /// <c>[G, D]</c> embeddings (any device, float32) as G rows of D doubles, in order. One host copy.
    /// </summary>
    public static double[][] From(Tensor embeddings)
    {
        if (embeddings.dim() != 2) throw new ArgumentException($"Expected [graphs, dims] embeddings, got {embeddings.dim()} dimensions.", nameof(embeddings));
        int rows = (int)embeddings.shape[0], cols = (int)embeddings.shape[1];
        var result = new double[rows][];
        if (rows == 0) return result;
        using var host = embeddings.detach().to(ScalarType.Float32).cpu().contiguous();
        var flat = host.data<float>().ToArray();
        for (int i = 0; i < rows; i++)
        {
            result[i] = new double[cols];
            for (int j = 0; j < cols; j++) result[i][j] = flat[i * cols + j];
        }
        return result;
    }
}
