using TorchSharp;
using static TorchSharp.torch;
using GraphSSL.Objectives;

namespace GraphSSL.Runtime.Tests.Objectives;

public class EmbeddingQueueTests
{
    /// <summary>Key i points along axis i of a 6-dim space, scaled by (i + 2) to check normalisation.</summary>
    static Tensor Keys(int from, int count)
    {
        var a = new double[count, 6];
        for (int r = 0; r < count; r++) a[r, (from + r) % 6] = from + r + 2;
        return Kit.T(a, ScalarType.Float32);
    }

    /// <summary>Which axis each row points along (its argmax), or −1 for a non-basis row.</summary>
    static int[] Axes(Tensor queue)
    {
        var m = Kit.M(queue);
        return Enumerable.Range(0, m.GetLength(0)).Select(r =>
        {
            for (int c = 0; c < 6; c++) if (Math.Abs(m[r, c] - 1) < 1e-6) return c;
            return -1;
        }).ToArray();
    }

    [Fact]
    public void Constructor_RandomUnitRows_ReproducibleFromGenerator()
    {
        using var g1 = new torch.Generator(7);
        using var g2 = new torch.Generator(7);
        using var q1 = new EmbeddingQueue(5, 6, torch.CPU, g1);
        using var q2 = new EmbeddingQueue(5, 6, torch.CPU, g2);
        Assert.Equal(new long[] { 5, 6 }, q1.Queue.shape);
        Assert.Equal(ScalarType.Float32, q1.Queue.dtype);
        Assert.Equal(0, q1.Pointer);
        Assert.False(q1.Queue.requires_grad);
        var norms = Kit.M(q1.Queue.norm(1, keepdim: true));
        for (int r = 0; r < 5; r++) Assert.Equal(1.0, norms[r, 0], 5);
        Assert.True(q1.Queue.equal(q2.Queue).all().item<bool>());
        using var q3 = new EmbeddingQueue(5, 6, torch.CPU, new torch.Generator(8));
        Assert.False(q1.Queue.equal(q3.Queue).all().item<bool>());
        Assert.Throws<ArgumentException>(() => new EmbeddingQueue(0, 6, torch.CPU, null));
    }

    [Fact]
    public void Enqueue_WrapsAroundInOrder()
    {
        using var queue = new EmbeddingQueue(4, 6, torch.CPU, new torch.Generator(1));
        // Keys 0,1,2 → rows 0,1,2; row 3 keeps its random entry; pointer 3.
        queue.Enqueue(Keys(0, 3));
        Assert.Equal(3, queue.Pointer);
        Assert.Equal(3, queue.Filled);
        Assert.False(queue.IsFull); // row 3 still holds its random start row
        Assert.Equal(new[] { 0, 1, 2, -1 }, Axes(queue.Queue));
        // Keys 3,4,5 → rows 3, 0, 1 (wrap); pointer (3 + 3) mod 4 = 2; row 2 still holds key 2.
        queue.Enqueue(Keys(3, 3));
        Assert.Equal(2, queue.Pointer);
        Assert.Equal(4, queue.Filled); // capped at the size
        Assert.True(queue.IsFull);
        Assert.Equal(new[] { 4, 5, 2, 3 }, Axes(queue.Queue));
        // Stored rows are normalised: key 4 was 6·e4.
        Assert.Equal(1.0, Kit.M(queue.Queue)[0, 4], 6);
    }

    [Fact]
    public void Enqueue_MoreKeysThanRows_KeepsTheLastOnesWhereOneByOneWouldPutThem()
    {
        using var queue = new EmbeddingQueue(4, 6, torch.CPU, new torch.Generator(2));
        queue.Enqueue(Keys(0, 1)); // pointer 1
        // Six keys (axes 1…6 mod 6 = 1,2,3,4,5,0) from pointer 1, one by one: rows 1,2,3,0,1,2 ← keys 1..6;
        // survivors: row 0 ← key 4 (axis 4), row 1 ← key 5 (axis 5), row 2 ← key 6 (axis 0), row 3 ← key 3.
        // Pointer (1 + 6) mod 4 = 3.
        queue.Enqueue(Keys(1, 6));
        Assert.Equal(3, queue.Pointer);
        Assert.Equal(new[] { 4, 5, 0, 3 }, Axes(queue.Queue));
    }

    [Fact]
    public void State_RoundTrips_AndLoadValidates()
    {
        using var queue = new EmbeddingQueue(4, 6, torch.CPU, new torch.Generator(3));
        queue.Enqueue(Keys(0, 3));
        var state = queue.State();
        var saved = state[EmbeddingQueue.QueueKey].clone();
        queue.Enqueue(Keys(3, 2));
        Assert.False(queue.Queue.equal(saved).all().item<bool>());
        queue.Load(state);
        Assert.Equal(3, queue.Pointer);
        Assert.True(queue.Queue.equal(saved).all().item<bool>());
        // The state is a copy, not an alias.
        queue.Enqueue(Keys(3, 1));
        Assert.True(state[EmbeddingQueue.QueueKey].equal(saved).all().item<bool>());

        using var other = new EmbeddingQueue(5, 6, torch.CPU, null);
        Assert.Throws<ArgumentException>(() => other.Load(state));
        Assert.Throws<ArgumentException>(() => queue.Load(new Dictionary<string, Tensor> { [EmbeddingQueue.QueueKey] = saved }));
        Assert.Throws<ArgumentException>(() => queue.Enqueue(Kit.Randn(2, 5, 4, ScalarType.Float32)));
    }

    [Fact]
    public void Queue_FeedsMoCo()
    {
        // Smoke test of the intended wiring: loss from the queue, backward, then enqueue.
        using var queue = new EmbeddingQueue(8, 3, torch.CPU, new torch.Generator(4));
        var q = Kit.Randn(4, 3, 5, ScalarType.Float32).requires_grad_(true);
        var k = Kit.Randn(4, 3, 6, ScalarType.Float32);
        var loss = Losses.MoCo(q, k, queue.Queue, 0.2);
        loss.backward();
        queue.Enqueue(k);
        Assert.Equal(4, queue.Pointer);
        Assert.True(double.IsFinite(Kit.S(loss)));
        // Rows 0..3 are now the normalised keys.
        var stored = Kit.M(queue.Queue.narrow(0, 0, 4));
        var expected = Kit.Normalise(Kit.M(k));
        for (int r = 0; r < 4; r++) for (int c = 0; c < 3; c++) Assert.Equal(expected[r, c], stored[r, c], 5);
    }
}

public class EmaTests
{
    sealed class Net : nn.Module<Tensor, Tensor>
    {
        readonly TorchSharp.Modules.Linear linear;
        readonly TorchSharp.Modules.BatchNorm1d norm;

        public Net() : base("net")
        {
            linear = nn.Linear(3, 2, dtype: ScalarType.Float64);
            norm = nn.BatchNorm1d(2, dtype: ScalarType.Float64);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => norm.forward(linear.forward(x));

        protected override void Dispose(bool disposing)
        {
            if (disposing) { linear.Dispose(); norm.Dispose(); }
            base.Dispose(disposing);
        }
    }

    static double[] Flat(nn.Module m) =>
        m.parameters().SelectMany(p => Kit.M(p.detach().reshape(1, -1)).Cast<double>()).ToArray();

    [Fact]
    public void Update_MovesParametersTowardsOnline_AndCopiesBuffers()
    {
        torch.manual_seed(11);
        using var target = new Net();
        using var online = new Net();
        // Give the online network new batch-norm statistics.
        online.train();
        using (torch.no_grad()) online.forward(Kit.Randn(5, 3, 12));
        var t0 = Flat(target);
        var o0 = Flat(online);
        Assert.NotEqual(t0, o0);

        Ema.Update(target, online, 0.9);
        var t1 = Flat(target);
        for (int i = 0; i < t0.Length; i++) Assert.Equal(0.9 * t0[i] + 0.1 * o0[i], t1[i], 12);
        var targetBuffers = target.buffers().ToList();
        var onlineBuffers = online.buffers().ToList();
        for (int i = 0; i < targetBuffers.Count; i++) Assert.True(targetBuffers[i].equal(onlineBuffers[i]).all().item<bool>());
        Assert.All(target.parameters(), p => Assert.True(p.requires_grad));

        // m = 1 keeps the target; m = 0 copies the online network.
        Ema.Update(target, online, 1.0);
        Assert.Equal(t1, Flat(target));
        Ema.Update(target, online, 0.0);
        Assert.Equal(o0, Flat(online));
        Assert.Equal(o0, Flat(target));

        Assert.Throws<ArgumentException>(() => Ema.Update(target, online, 1.5));
        using var other = nn.Linear(3, 2, dtype: ScalarType.Float64);
        Assert.Throws<ArgumentException>(() => Ema.Update(target, other, 0.5));
    }

    [Fact]
    public void CosineMomentum_Endpoints()
    {
        // m = 1 − (1 − b)(cos(π s/T) + 1)/2: s = 0 → b; s = T → 1; s = T/2 → 1 − (1 − b)/2.
        Assert.Equal(0.996, Ema.CosineMomentum(0.996, 0, 100), 15);
        Assert.Equal(1.0, Ema.CosineMomentum(0.996, 100, 100), 15);
        Assert.Equal(0.998, Ema.CosineMomentum(0.996, 50, 100), 15);
        Assert.Equal(1.0, Ema.CosineMomentum(0.996, 150, 100), 15);
        Assert.True(Ema.CosineMomentum(0.9, 30, 100) < Ema.CosineMomentum(0.9, 31, 100));
        Assert.Throws<ArgumentException>(() => Ema.CosineMomentum(0.996, 0, 0));
        Assert.Throws<ArgumentException>(() => Ema.CosineMomentum(0.996, -1, 10));
    }
}

public class CollapseMonitorTests
{
    [Fact]
    public void RandomOutputs_AreNearOneOverSqrtD_AndHealthy()
    {
        // Isotropic rows normalised to the unit sphere: E[u_d] = 0 and E[u_d²] = 1/D, so each per-dimension
        // std ≈ 1/√D = 0.25 for D = 16 (N = 2000: sampling error ≈ 1.6 %).
        var z = Kit.Randn(2000, 16, seed: 120, ScalarType.Float32).mul(5);
        var std = CollapseMonitor.OutputStd(z);
        Assert.Equal(ScalarType.Float32, std.dtype);
        Assert.Equal(0, std.dim());
        double value = Kit.S(std);
        Assert.InRange(value, 0.24, 0.26);
        Assert.False(CollapseMonitor.IsCollapsed(value, 16));
    }

    [Fact]
    public void ConstantOrRankOneOutputs_AreCollapsed()
    {
        // All rows equal → std 0. Rows c_n·v with c_n > 0: raw outputs vary, but normalised they are all
        // v/‖v‖ → std 0 as well.
        var constant = Kit.T(new double[,] { { 1, 2, 3 }, { 1, 2, 3 }, { 1, 2, 3 } });
        Assert.Equal(0.0, Kit.S(CollapseMonitor.OutputStd(constant)), 12);
        var rankOne = Kit.T(new double[,] { { 1, 2, 3 }, { 2, 4, 6 }, { 10, 20, 30 } });
        double value = Kit.S(CollapseMonitor.OutputStd(rankOne));
        Assert.Equal(0.0, value, 12);
        Assert.True(CollapseMonitor.IsCollapsed(value, 3));
        // Threshold 0.1/√D: for D = 100, 0.0099 is collapsed and 0.0101 is not.
        Assert.True(CollapseMonitor.IsCollapsed(0.0099, 100));
        Assert.False(CollapseMonitor.IsCollapsed(0.0101, 100));
        Assert.Throws<ArgumentException>(() => CollapseMonitor.OutputStd(Kit.Randn(1, 3, 121)));
    }
}
