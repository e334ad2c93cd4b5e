namespace GraphSSL.Evaluation;

/// <summary>
/// Deterministic stratified k-fold splitting. Each class's sample indices are shuffled with one
/// <see cref="Random"/> seeded with the given seed (classes in ascending order), then the classes are
/// dealt one after another round-robin into the folds, the deal continuing where the previous class
/// stopped. Hence every sample is in exactly one test fold, each fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ samples
/// of every class c, and fold sizes differ by at most one. Same labels and seed: same folds.
/// </summary>
public static class StratifiedKFold
{
    /// <summary>
    /// The <paramref name="folds"/> (train, test) pairs for labels <paramref name="y"/>; index arrays are
    /// sorted ascending. Requires <c>2 ≤ folds ≤ y.Length</c>. A class with fewer than
    /// <paramref name="folds"/> samples is simply absent from some test folds.
    /// </summary>
    public static IReadOnlyList<(int[] Train, int[] Test)> Split(int[] y, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "At least 2 folds are needed.");
        if (folds > y.Length) throw new ArgumentOutOfRangeException(nameof(folds), folds, $"Cannot make {folds} folds from {y.Length} samples.");
        var fold = Assign(y, folds, seed);
        var result = new (int[] Train, int[] Test)[folds];
        for (int f = 0; f < folds; f++)
        {
            var train = new List<int>(y.Length);
            var test = new List<int>(y.Length / folds + 1);
            for (int i = 0; i < y.Length; i++)
                (fold[i] == f ? test : train).Add(i);
            result[f] = (train.ToArray(), test.ToArray());
        }
        return result;
    }

    /// <summary>The test fold of every sample (the assignment <see cref="Split"/> is built from).</summary>
    public static int[] Assign(int[] y, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (folds < 1) throw new ArgumentOutOfRangeException(nameof(folds), folds, "At least 1 fold is needed.");
        var rng = new Random(seed);
        var fold = new int[y.Length];
        int next = 0;
        foreach (var cls in y.Distinct().Order())
        {
            var members = Enumerable.Range(0, y.Length).Where(i => y[i] == cls).ToArray();
            for (int i = members.Length - 1; i > 0; i--)
            {
                int j = rng.Next(i + 1);
                (members[i], members[j]) = (members[j], members[i]);
            }
            foreach (var m in members)
            {
                fold[m] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }
}
