using GraphSSL.Data;

namespace GraphSSL.Runtime.Tests.Data;

/// <summary>
/// The invariants every consumer of a <see cref="GraphData"/> relies on, checked independently of
/// <see cref="GraphData.Validate"/> (so a test using it does not trust the code under test): returns every
/// broken invariant, not just the first.
/// </summary>
internal static class GraphDataInvariants
{
    public static List<string> Violations(GraphData data)
    {
        var broken = new List<string>();
        int graphs = data.Labels.Length;
        if (graphs < 1) broken.Add("no graphs");
        if (data.FeatureDim < 1) broken.Add($"feature dimension {data.FeatureDim} < 1");
        if (data.NodeOffsets.Length != graphs + 1) broken.Add($"{data.NodeOffsets.Length} node offsets for {graphs} graphs");
        if (data.EdgeOffsets.Length != graphs + 1) broken.Add($"{data.EdgeOffsets.Length} edge offsets for {graphs} graphs");
        if (broken.Count > 0) return broken; // the rest indexes by these

        if (data.NodeOffsets[0] != 0) broken.Add($"node offsets start at {data.NodeOffsets[0]}");
        if (data.EdgeOffsets[0] != 0) broken.Add($"edge offsets start at {data.EdgeOffsets[0]}");
        for (int g = 0; g < graphs; g++)
        {
            if (data.NodeOffsets[g + 1] <= data.NodeOffsets[g]) broken.Add($"graph {g}: node offsets not strictly increasing (empty graph)");
            if (data.EdgeOffsets[g + 1] < data.EdgeOffsets[g]) broken.Add($"graph {g}: edge offsets decrease");
        }
        int nodes = data.NodeOffsets[^1];
        if (data.EdgeSource.Length != data.EdgeTarget.Length) broken.Add($"{data.EdgeSource.Length} edge sources, {data.EdgeTarget.Length} targets");
        if (data.EdgeOffsets[^1] != data.EdgeSource.Length) broken.Add($"edge offsets end at {data.EdgeOffsets[^1]}, {data.EdgeSource.Length} edges");
        if (data.NodeFeatures.LongLength != (long)nodes * data.FeatureDim)
            broken.Add($"{data.NodeFeatures.LongLength} feature values for {nodes} nodes × {data.FeatureDim}");
        if (broken.Count > 0) return broken;

        for (int g = 0; g < graphs; g++)
        {
            int lo = data.NodeOffsets[g], hi = data.NodeOffsets[g + 1];
            for (int e = data.EdgeOffsets[g]; e < data.EdgeOffsets[g + 1]; e++)
            {
                int s = data.EdgeSource[e], t = data.EdgeTarget[e];
                if (s < lo || s >= hi || t < lo || t >= hi)
                {
                    broken.Add($"graph {g}: edge {e} ({s} → {t}) outside its nodes [{lo}, {hi})");
                    break;
                }
            }
        }
        if (data.ClassNames.Length < 1) broken.Add("no class names");
        if (data.ClassNames.Distinct(StringComparer.Ordinal).Count() != data.ClassNames.Length) broken.Add("duplicate class names");
        var used = new bool[data.ClassNames.Length];
        for (int g = 0; g < graphs; g++)
        {
            int label = data.Labels[g];
            if (label < 0 || label >= data.ClassNames.Length) broken.Add($"graph {g}: label {label} outside 0..{data.ClassNames.Length - 1}");
            else used[label] = true;
        }
        if (used.Contains(false)) broken.Add("a class no graph has");
        long nonFinite = data.NodeFeatures.LongCount(v => !float.IsFinite(v));
        if (nonFinite > 0) broken.Add($"{nonFinite} non-finite feature values");
        return broken;
    }
}
