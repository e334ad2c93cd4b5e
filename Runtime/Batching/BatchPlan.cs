namespace GraphSSL.Batching;

/// <summary>
/// How an epoch's shuffled order is cut into mini-batches. Batches have <c>batchSize</c> graphs except
/// the last; a last batch of a single graph is merged into the one before it, because batch norm needs
/// at least two samples. A dataset smaller than the batch size is one batch.
/// </summary>
public static class BatchPlan
{
    /// <summary>
    /// Node-level (transductive) training: one batch of all <paramref name="count"/> graphs, so every step sees the
    /// full graph; none for an empty dataset.
    /// </summary>
    public static IReadOnlyList<(int Start, int Length)> Whole(int count)
        => count < 1 ? Array.Empty<(int, int)>() : new[] { (0, count) };

    /// <summary>(start, length) of each batch over <paramref name="count"/> graphs.</summary>
    public static IReadOnlyList<(int Start, int Length)> Ranges(int count, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be at least 1.");
        var ranges = new List<(int, int)>();
        for (int start = 0; start < count; start += batchSize)
            ranges.Add((start, Math.Min(batchSize, count - start)));
        if (ranges.Count > 1 && ranges[^1].Item2 == 1)
        {
            var (s, l) = ranges[^2];
            ranges[^2] = (s, l + 1);
            ranges.RemoveAt(ranges.Count - 1);
        }
        return ranges;
    }
}
