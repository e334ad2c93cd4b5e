namespace GraphSSL.Evaluation;

/// <summary>
/// Per-column standardisation <c>(x − mean) / std</c> with statistics taken from one data set (the
/// training fold) and applied to any other (the test fold), so no test statistics leak into training.
/// The standard deviation is the population one (divide by n, like scikit-learn's StandardScaler); a
/// column whose values are all equal, or whose std is below <c>1e-12 · max(1, |mean|)</c>, gets std 1
/// (it is only centred).
/// </summary>
public sealed class Standardizer
{
    readonly double[] mean;
    readonly double[] scale;

    Standardizer(double[] mean, double[] scale)
    {
        this.mean = mean;
        this.scale = scale;
    }

    /// <summary>Column means of the fitted data.</summary>
    public IReadOnlyList<double> Mean => mean;
    /// <summary>Column scales (population std, or 1 for constant columns).</summary>
    public IReadOnlyList<double> Scale => scale;
    /// <summary>Number of columns.</summary>
    public int Features => mean.Length;

    /// <summary>Learns column means and standard deviations from <paramref name="x"/> (rows × columns, at least one row).</summary>
    public static Standardizer Fit(double[][] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Fit(x, Enumerable.Range(0, x.Length).ToArray());
    }

    /// <summary>Learns column statistics from the rows <paramref name="rows"/> of <paramref name="x"/> only.</summary>
    public static Standardizer Fit(double[][] x, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0) throw new ArgumentException("Cannot fit a standardizer on zero rows.", nameof(rows));
        int f = x[rows[0]].Length;
        var mean = new double[f];
        var scale = new double[f];
        foreach (var r in rows)
        {
            var row = x[r];
            if (row.Length != f) throw new ArgumentException($"Row {r} has {row.Length} columns, expected {f}.", nameof(x));
            for (int d = 0; d < f; d++) mean[d] += row[d];
        }
        for (int d = 0; d < f; d++) mean[d] /= rows.Length;
        var constant = new bool[f];
        Array.Fill(constant, true);
        var first = x[rows[0]];
        foreach (var r in rows)
        {
            var row = x[r];
            for (int d = 0; d < f; d++)
            {
                double dev = row[d] - mean[d];
                scale[d] += dev * dev;
                if (row[d] != first[d]) constant[d] = false;
            }
        }
        for (int d = 0; d < f; d++)
        {
            if (constant[d])
            {
                mean[d] = first[d];
                scale[d] = 1;
                continue;
            }
            double std = Math.Sqrt(scale[d] / rows.Length);
            scale[d] = std <= 1e-12 * Math.Max(1.0, Math.Abs(mean[d])) ? 1 : std;
        }
        return new Standardizer(mean, scale);
    }

    /// <summary>Standardised copies of the rows of <paramref name="x"/>.</summary>
    public double[][] Transform(double[][] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Transform(x, Enumerable.Range(0, x.Length).ToArray());
    }

    /// <summary>Standardised copies of the rows <paramref name="rows"/> of <paramref name="x"/>, in that order.</summary>
    public double[][] Transform(double[][] x, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rows);
        var result = new double[rows.Length][];
        for (int i = 0; i < rows.Length; i++)
        {
            var row = x[rows[i]];
            if (row.Length != mean.Length) throw new ArgumentException($"Row {rows[i]} has {row.Length} columns, expected {mean.Length}.", nameof(x));
            var o = new double[row.Length];
            for (int d = 0; d < o.Length; d++) o[d] = (row[d] - mean[d]) / scale[d];
            result[i] = o;
        }
        return result;
    }
}
