using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Data;
using GraphSSL.Augmentations;
using GraphSSL.Batching;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Benchmarks;

/// <summary>One benchmark case: a method with its augmentation on a dataset with a GIN width.</summary>
public sealed record BenchCase(MethodKind Method, AugmentationKind Augmentation, string Dataset, int Hidden, int Layers = 3)
{
    /// <summary>"SimClr+NodeDropping/NCI1/GIN 3x64".</summary>
    public string Name => $"{Method}+{Augmentation}/{Dataset}/GIN {Layers}x{Hidden}";
}

/// <summary>Results of one case.</summary>
public sealed record CaseResult(
    string Name, string Method, string Augmentation, string Dataset, int Layers, int Hidden, int BatchSize,
    int Graphs, int Nodes, int Edges, int StepsPerEpoch, int Epochs,
    IReadOnlyList<double> EpochSeconds, double MedianSeconds, double MinSeconds, double MaxSeconds,
    double GraphsPerSecond, double LinearFlopsPerEpoch, bool FlopsExact, double AchievedGflops,
    double MatmulGflops, double Efficiency, double EfficiencyVsSquare,
    IReadOnlyList<MemorySample> Memory, long RssGrowthAfterEpoch1Bytes, long LiveTensorGrowthAfterEpoch1,
    double FinalLoss, BaselineResult? Baseline);

/// <summary>The host baseline's timing and the speed-up of the generated trainer over it.</summary>
public sealed record BaselineResult(int Epochs, IReadOnlyList<double> EpochSeconds, double MedianSeconds, double Speedup);

/// <summary>Runs a case through the GENERATED trainer (<c>model.Train</c>) and counts its linear-layer FLOPs.</summary>
public static class CaseRunner
{
    /// <summary>Trains the generated model of <paramref name="c"/> and measures it; runs the host baseline when <paramref name="baselineEpochs"/> &gt; 0.</summary>
    public static CaseResult Run(BenchCase c, GraphData data, int epochs, int baselineEpochs, int batchSize, Device device,
        string deviceName, int? threads, double matmulGflops, double squareGflops, TextWriter log)
    {
        var encoder = new BenchGin { Hidden = c.Hidden, Layers = c.Layers };
        IAugmentation view = c.Augmentation switch
        {
            AugmentationKind.NodeDropping => new BenchDropNodes(),
            AugmentationKind.Subgraph => new BenchSubgraph(),
            _ => new BenchMaskAttributes(),
        };
        ISslModel model = c.Method switch
        {
            MethodKind.SimClr => new BenchSimClr(encoder, view, new NtXent()),
            MethodKind.SimSiam => new BenchSimSiam(encoder, view, new SimSiam()),
            _ => new BenchBarlowTwins(encoder, view, new BarlowTwins()),
        };
        var options = new TrainOptions { Epochs = epochs, BatchSize = batchSize, Seed = 1, Device = deviceName, Threads = threads };
        var recorder = new EpochMemoryRecorder();
        GC.Collect();
        log.WriteLine($"  {c.Name}: generated trainer, {epochs} epochs …");
        using var result = model.Train(data, options, recorder);
        var measured = Stats.WithoutWarmup(result.EpochSeconds);
        double median = Stats.Median(measured);
        var (flops, exact) = LinearFlopsPerEpoch(c, data, encoder.EmbeddingDim);
        double achieved = flops / median / 1e9;
        var samples = recorder.Samples;
        long rssGrowth = samples.Count > 1 ? samples[^1].RssBytes - samples[0].RssBytes : 0;
        long liveGrowth = samples.Count > 1 ? samples[^1].LiveTensors - samples[0].LiveTensors : 0;

        BaselineResult? baseline = null;
        if (baselineEpochs > 0)
        {
            log.WriteLine($"  {c.Name}: host baseline, {baselineEpochs} epochs …");
            var host = new HostBaseline(data, c.Augmentation, seed: 1);
            var seconds = host.Train(c.Method, c.Hidden, baselineEpochs, batchSize, device);
            double baseMedian = Stats.Median(Stats.WithoutWarmup(seconds));
            baseline = new BaselineResult(baselineEpochs, seconds, baseMedian, baseMedian / median);
        }

        return new CaseResult(c.Name, c.Method.ToString(), c.Augmentation.ToString(), c.Dataset, c.Layers, c.Hidden, batchSize,
            data.GraphCount, data.NodeCount, data.EdgeCount, BatchPlan.Ranges(data.GraphCount, batchSize).Count, epochs,
            result.EpochSeconds, median, measured.Min(), measured.Max(), data.GraphCount / median,
            flops, exact, achieved, matmulGflops, achieved / matmulGflops, achieved / squareGflops,
            samples, rssGrowth, liveGrowth, result.Losses[^1], baseline);
    }

    /// <summary>
    /// FLOPs of the linear layers in one epoch: 2·rows·in·out per layer forward, ×3 for forward and backward,
    /// over both views. Encoder rows are the nodes each view keeps (exact for node dropping and attribute
    /// masking, whose kept counts are fixed per graph; for subgraph the target size, an upper bound because
    /// a small connected component stops the expansion early); head rows are the graphs.
    /// </summary>
    public static (double Flops, bool Exact) LinearFlopsPerEpoch(BenchCase c, GraphData data, int embeddingDim)
    {
        double nodes = 0;
        for (int g = 0; g < data.GraphCount; g++)
        {
            int n = data.NodesIn(g);
            nodes += c.Augmentation switch
            {
                AugmentationKind.NodeDropping => n - Math.Min(Math.Floor(HostBaseline.Ratio * n + 0.5), n - 1),
                AugmentationKind.Subgraph => Math.Max(1, Math.Floor((1 - HostBaseline.Ratio) * n + 0.5)),
                _ => n,
            };
        }
        double perNode = 0;
        for (int l = 0; l < c.Layers; l++)
            perNode += (l == 0 ? data.FeatureDim : c.Hidden) * (double)c.Hidden + (double)c.Hidden * c.Hidden;
        double e = embeddingDim;
        double perGraph = 3 * e * e; // projector: 3 layers E → E
        if (c.Method == MethodKind.SimSiam) perGraph += 2 * e * e; // predictor: 2 layers E → E
        double forwardOneView = 2 * (nodes * perNode + data.GraphCount * perGraph);
        return (3 * 2 * forwardOneView, c.Augmentation != AugmentationKind.Subgraph);
    }

    /// <summary>Average nodes in a batch of <paramref name="batchSize"/> graphs of <paramref name="data"/>.</summary>
    public static long NodesPerBatch(GraphData data, int batchSize) =>
        (long)Math.Round((double)data.NodeCount / data.GraphCount * Math.Min(batchSize, data.GraphCount));
}
