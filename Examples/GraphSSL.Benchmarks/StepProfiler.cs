using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Data;
using GraphSSL.Augmentations;
using GraphSSL.Batching;
using GraphSSL.Layers;
using GraphSSL.Objectives;
using GraphSSL.Training;

namespace GraphSSL.Benchmarks;

/// <summary>
/// Per-phase timing of one SimCLR + node dropping step, written out like the generated loop, plus a few
/// isolated operations (batch norm, message passing, Linear). CPU work in TorchSharp is synchronous, so a
/// stopwatch around each phase measures it; on CUDA every phase is followed by a synchronisation (which the
/// real trainer does not do).
/// </summary>
public static class StepProfiler
{
    /// <summary>Prints the breakdown to <paramref name="output"/>.</summary>
    public static void Run(GraphData data, int hidden, int batchSize, Device device, TextWriter output)
    {
        output.WriteLine($"{data.Name}: {data.GraphCount} graphs, GIN 3x{hidden}, batch {batchSize}, {torch.get_num_threads()} threads, {device}");
        torch.manual_seed(1);
        var gen = new Generator(1, device);
        using var graphs = DeviceGraphs.Upload(data, device);
        var encoderRecord = new BenchGin { Hidden = hidden };
        using var encoder = encoderRecord.CreateModule(data.FeatureDim);
        encoder.to(device);
        int dim = encoderRecord.EmbeddingDim;
        using var projector = Heads.Projector(dim, dim, 3);
        projector.to(device);
        using var optimizer = torch.optim.Adam(TrainingLoop.Parameters(encoder, projector), 1e-3);
        var view = new BenchDropNodes();
        var phases = new[] { "gather", "augment x2", "encoder fwd x2", "projector fwd x2", "loss", "zero_grad", "backward", "adam step", "total" };
        var times = phases.ToDictionary(p => p, _ => new List<double>());
        var fused = new List<double>();
        const int Warmup = 5, Steps = 30;
        for (int step = 0; step < Warmup + Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            var ids = torch.randperm(graphs.GraphCount, generator: gen, device: device).narrow(0, 0, batchSize);
            var total = Stopwatch.StartNew();
            var clock = Stopwatch.StartNew();
            double Lap() { MatmulProbe.Synchronize(device); var t = clock.Elapsed.TotalMilliseconds; clock.Restart(); return t; }
            var batch = graphs.Gather(ids); var tGather = Lap();
            var v1 = view.Apply(batch, gen); var v2 = view.Apply(batch, gen); var tAug = Lap();
            var h1 = encoder.forward(v1); var h2 = encoder.forward(v2); var tEnc = Lap();
            var z1 = projector.forward(h1); var z2 = projector.forward(h2); var tProj = Lap();
            var loss = Losses.NtXent(z1, z2, 0.2); var tLoss = Lap();
            optimizer.zero_grad(); var tZero = Lap();
            loss.backward(); var tBack = Lap();
            optimizer.step(); var tStep = Lap();
            var tTotal = total.Elapsed.TotalMilliseconds;
            if (step < Warmup) continue;
            var values = new[] { tGather, tAug, tEnc, tProj, tLoss, tZero, tBack, tStep, tTotal };
            for (int i = 0; i < phases.Length; i++) times[phases[i]].Add(values[i]);
        }
        output.WriteLine("two encoder passes (as generated):");
        foreach (var p in phases) output.WriteLine($"  {p,-18} {Stats.Median(times[p]),8:F2} ms");

        // The same step with both views as one disjoint union through the encoder (batch norm statistics then span both views).
        for (int step = 0; step < Warmup + Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            var ids = torch.randperm(graphs.GraphCount, generator: gen, device: device).narrow(0, 0, batchSize);
            var total = Stopwatch.StartNew();
            var batch = graphs.Gather(ids);
            var v1 = view.Apply(batch, gen); var v2 = view.Apply(batch, gen);
            var both = BatchOps.Concat(new[] { v1, v2 });
            var z = projector.forward(encoder.forward(both));
            var loss = Losses.NtXent(z.narrow(0, 0, batchSize), z.narrow(0, batchSize, batchSize), 0.2);
            optimizer.zero_grad(); loss.backward(); optimizer.step();
            MatmulProbe.Synchronize(device);
            if (step >= Warmup) fused.Add(total.Elapsed.TotalMilliseconds);
        }
        output.WriteLine($"one fused encoder pass over both views: total {Stats.Median(fused):F2} ms");

        // Isolated ops on a batch-sized node matrix.
        using (var scope = torch.NewDisposeScope())
        {
            var batch = graphs.Gather(Scalars.Range(batchSize, device));
            long n = batch.X.shape[0];
            var x = torch.randn(n, hidden, device: device, requires_grad: true);
            var bn = nn.BatchNorm1d(hidden); bn.to(device);
            var lin = nn.Linear(hidden, hidden); lin.to(device);
            output.WriteLine($"isolated ops on [{n}, {hidden}], {batch.EdgeIndex.shape[1]} edges (median ms per call, forward + backward):");
            output.WriteLine($"  BatchNorm1d        {Time(() => bn.forward(x).sum().backward())}");
            output.WriteLine($"  relu + BatchNorm1d {Time(() => bn.forward(x.relu()).sum().backward())}");
            output.WriteLine($"  relu + BN kernel   {Time(() => BatchNormKernel.Forward(bn, x, reluFirst: true).sum().backward())}");
            output.WriteLine($"  batch norm by ops  {Time(() => ManualBatchNorm(x, bn.weight!, bn.bias!).sum().backward())}");
            output.WriteLine($"  Linear             {Time(() => lin.forward(x).sum().backward())}");
            var src = batch.EdgeIndex[0]; var dst = batch.EdgeIndex[1];
            output.WriteLine($"  index_add message  {Time(() => x.index_add(0, dst, x.index_select(0, src), Scalars.One).sum().backward())}");
            output.WriteLine($"  relu               {Time(() => x.relu().sum().backward())}");
            long e = src.shape[0];
            var srcE = src.unsqueeze(1).expand(e, hidden);
            var dstE = dst.unsqueeze(1).expand(e, hidden);
            output.WriteLine($"  gather+scatter_add {Time(() => x.scatter_add(0, dstE, x.gather(0, srcE)).sum().backward())}");
            output.WriteLine($"  idxsel+scatter_add {Time(() => x.scatter_add(0, dstE, x.index_select(0, src)).sum().backward())}");
            var adj = torch.sparse_coo_tensor(torch.stack(new[] { dst, src }), torch.ones(e, device: device), new long[] { n, n });
            output.WriteLine($"  sparse coo mm      {Time(() => x.add(adj.mm(x), Scalars.One).sum().backward())}");
            output.WriteLine($"  BN on [1,C,N]      {Time(() => nn.functional.batch_norm(x.t().unsqueeze(0), bn.running_mean, bn.running_var, bn.weight, bn.bias, true).squeeze(0).t().sum().backward())}");
            var y = torch.randn(n, hidden, device: device);
            output.WriteLine($"  BN on [1,C,N] copy {Time(() => nn.functional.batch_norm(x.t().contiguous().unsqueeze(0), bn.running_mean, bn.running_var, bn.weight, bn.bias, true).squeeze(0).t().sum().backward())}");
            output.WriteLine($"  BatchNorm1d again  {Time(() => bn.forward(x).sum().backward())}");
            output.WriteLine($"  index_add again    {Time(() => x.index_add(0, dst, x.index_select(0, src), Scalars.One).sum().backward())}");
            var lins = Enumerable.Range(0, 6).Select(_ => { var l = nn.Linear(hidden, hidden); l.to(device); return l; }).ToArray();
            var bns = Enumerable.Range(0, 3).Select(_ => { var b = nn.BatchNorm1d(hidden); b.to(device); return b; }).ToArray();
            Tensor Gin(Func<Tensor, Tensor> aggregate)
            {
                var h = x;
                for (int l = 0; l < 3; l++) h = bns[l].forward(lins[2 * l + 1].forward(lins[2 * l].forward(aggregate(h)).relu()).relu());
                return h;
            }
            output.WriteLine($"  GIN3 index_add     {Time(() => Gin(h => h.index_add(0, dst, h.index_select(0, src), Scalars.One)).sum().backward())}");
            var bnSaved = BatchNormKernel.Enabled;
            for (int round = 0; round < 2; round++)
                foreach (var on in new[] { false, true })
                {
                    BatchNormKernel.Enabled = on;
                    output.WriteLine($"  encoder, BN kernel {(on ? "on " : "off")} {Time(() => encoder.forward(batch).sum().backward())}");
                }
            BatchNormKernel.Enabled = bnSaved;
            output.WriteLine($"  GIN3 sparse coo    {Time(() => { var a = torch.sparse_coo_tensor(torch.stack(new[] { dst, src }), torch.ones(e, device: device), new long[] { n, n }); Gin(h => h.add(a.mm(h), Scalars.One)).sum().backward(); })}");
            output.WriteLine($"  GIN3 index_add     {Time(() => Gin(h => h.index_add(0, dst, h.index_select(0, src), Scalars.One)).sum().backward())}");
        }
        string Time(Action action)
        {
            // Wall and process CPU time per call (CPU time is far less noisy on a machine shared with other
            // builds; with one intra-op thread it is this thread's work, with more it sums every thread's).
            var wall = new List<double>();
            var cpu = new List<double>();
            var process = Process.GetCurrentProcess();
            for (int i = 0; i < 5; i++) { using var s = torch.NewDisposeScope(); action(); }
            for (int i = 0; i < 10; i++)
            {
                process.Refresh();
                var before = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                for (int j = 0; j < 10; j++) { using var s = torch.NewDisposeScope(); action(); }
                MatmulProbe.Synchronize(device);
                wall.Add(clock.Elapsed.TotalMilliseconds / 10);
                process.Refresh();
                cpu.Add((process.TotalProcessorTime - before).TotalMilliseconds / 10);
            }
            return $"{Stats.Median(wall),8:F3} wall {Stats.Median(cpu),8:F3} cpu";
        }
    }

    static Tensor ManualBatchNorm(Tensor x, Tensor weight, Tensor bias)
    {
        var (variance, mean) = torch.var_mean(x, 0, unbiased: false, keepdim: true);
        using var epsilon = 1e-5.ToScalar();
        return ((x - mean) * variance.add(epsilon, Scalars.One).rsqrt() * weight).add(bias, Scalars.One);
    }
}
