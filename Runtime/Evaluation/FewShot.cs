namespace GraphSSL.Evaluation;

/// <summary>
/// A label-scarce probe: how well class centroids from a few labelled graphs classify the rest. Where a
/// fully supervised SVC is at its ceiling (easy datasets), this still shows how much structure an
/// embedding makes linearly obvious — the point of self-supervised pre-training.
/// </summary>
public static class FewShot
{
    /// <summary>
    /// Standardises the embeddings (over all graphs; no labels involved), then, <paramref name="draws"/>
    /// times, picks <paramref name="perClass"/> labelled graphs per class at random, classifies every other
    /// graph by its nearest class centroid (Euclidean) and returns the mean accuracy.
    /// </summary>
    public static double CentroidAccuracy(double[][] x, int[] y, int perClass, int draws, int seed)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Length != y.Length || x.Length == 0) throw new ArgumentException($"{x.Length} rows but {y.Length} labels.", nameof(y));
        if (perClass < 1 || draws < 1) throw new ArgumentOutOfRangeException(nameof(perClass), "perClass and draws must be at least 1.");
        if (Enumerable.Range(0, y.Max() + 1).Any(c => y.Count(v => v == c) <= perClass))
            throw new ArgumentException($"Every class needs more than {perClass} graphs so that some are left to classify.", nameof(y));
        var z = Standardizer.Fit(x).Transform(x);
        int classes = y.Max() + 1, dims = z[0].Length;
        var random = new Random(seed);
        double total = 0;
        for (int d = 0; d < draws; d++)
        {
            var centroids = new double[classes][];
            var labelled = new HashSet<int>();
            for (int c = 0; c < classes; c++)
            {
                var members = Enumerable.Range(0, y.Length).Where(i => y[i] == c).ToArray();
                random.Shuffle(members);
                var picked = members.Take(perClass).ToArray();
                labelled.UnionWith(picked);
                centroids[c] = new double[dims];
                foreach (var i in picked)
                    for (int j = 0; j < dims; j++) centroids[c][j] += z[i][j] / picked.Length;
            }
            int correct = 0, counted = 0;
            for (int i = 0; i < y.Length; i++)
            {
                if (labelled.Contains(i)) continue;
                counted++;
                int best = 0;
                double bestDistance = double.PositiveInfinity;
                for (int c = 0; c < classes; c++)
                {
                    double distance = 0;
                    for (int j = 0; j < dims; j++) distance += (z[i][j] - centroids[c][j]) * (z[i][j] - centroids[c][j]);
                    if (distance < bestDistance) { bestDistance = distance; best = c; }
                }
                if (best == y[i]) correct++;
            }
            total += (double)correct / counted;
        }
        return total / draws;
    }
}
