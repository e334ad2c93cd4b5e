using GraphSSL.Data;
using GraphSSL.Data.Planetoid;

namespace GraphSSL.Runtime.Tests.Data.Planetoid;

/// <summary>
/// The real Planetoid files from ../shared/datasets/Planetoid; each test is SKIPPED (visibly) when they are absent.
/// Reference figures: PyG's Planetoid table (Cora 2,708 nodes / 10,556 directed edges / 1,433 features / 7 classes;
/// CiteSeer 3,327 / 9,104 / 3,703 / 6) and the public split of Yang et al. (20 per class, 500, 1,000).
/// </summary>
public class PlanetoidDatasetTests
{
    static NodeData LoadShared(string name)
    {
        var root = SharedData.RequirePlanetoid(name);
        return PlanetoidDataset.Load(Path.Combine(root, name.ToLowerInvariant()), name);
    }

    [SkippableFact]
    public void Cora_has_the_reference_counts_and_public_split()
    {
        var cora = LoadShared("Cora");
        var stats = cora.Describe();
        Assert.Equal("Cora", cora.Name);
        Assert.Equal(2708, stats.Nodes);
        Assert.Equal(5278, stats.UndirectedEdges);
        Assert.Equal(10556, stats.DirectedEdges);
        Assert.Equal(1433, stats.FeatureDim);
        Assert.Equal(7, stats.Classes);
        Assert.Equal(0, stats.IsolatedNodes);
        Assert.Equal((140, 500, 1000), (stats.TrainNodes, stats.ValidationNodes, stats.TestNodes));
        Assert.Equal(Enumerable.Range(0, 140), cora.Split.Train);
        Assert.Equal(Enumerable.Range(140, 500), cora.Split.Validation);
        Assert.Equal(Enumerable.Range(1708, 1000), cora.Split.Test);
        Assert.All(stats.TrainLabelHistogram, count => Assert.Equal(20, count));
        // Class sizes of Cora as PyG reports them (argmax of the one-hot rows).
        Assert.Equal([351, 217, 418, 818, 426, 298, 180], stats.LabelHistogram);
        Assert.Equal(2708, stats.LabelHistogram.Sum());
    }

    [SkippableFact]
    public void CiteSeer_has_the_reference_counts_and_fills_in_the_missing_test_ids()
    {
        var citeseer = LoadShared("CiteSeer");
        var stats = citeseer.Describe();
        Assert.Equal("CiteSeer", citeseer.Name);
        Assert.Equal(3327, stats.Nodes);
        Assert.Equal(4552, stats.UndirectedEdges);
        Assert.Equal(9104, stats.DirectedEdges);
        Assert.Equal(3703, stats.FeatureDim);
        Assert.Equal(6, stats.Classes);
        Assert.Equal(48, stats.IsolatedNodes);
        Assert.Equal((120, 500, 1000), (stats.TrainNodes, stats.ValidationNodes, stats.TestNodes));
        Assert.All(stats.TrainLabelHistogram, count => Assert.Equal(20, count));
        // 3,327 = 2,312 (allx) + 1,015 ids in min..max(test.index); 15 of them have no test row.
        Assert.Contains(citeseer.Notes, n => n.StartsWith("15 node ids in 2312..3326 have no test row", StringComparison.Ordinal));
        var inSplit = citeseer.Split.Train.Concat(citeseer.Split.Validation).Concat(citeseer.Split.Test).ToHashSet();
        var filled = Enumerable.Range(2312, 1015).Where(v => !inSplit.Contains(v)).ToArray();
        Assert.Equal(15, filled.Length);
        foreach (int v in filled)
        {
            Assert.Equal(0, citeseer.Labels[v]);
            Assert.All(citeseer.Features.AsSpan(v * 3703, 3703).ToArray(), f => Assert.Equal(0f, f));
        }
    }
}
