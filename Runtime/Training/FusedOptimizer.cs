using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using GraphSSL.Layers;

namespace GraphSSL.Training;

/// <summary>Optimisers whose CPU step is one C# pass per parameter (<see cref="Adam"/>).</summary>
public static class FusedOptimizer
{
    /// <summary>Whether the fused CPU step is used where it applies (default true; <c>GRAPHSSL_FUSED_ADAM=off</c> turns it off).</summary>
    public static bool Enabled { get; set; } =
        !string.Equals(Environment.GetEnvironmentVariable("GRAPHSSL_FUSED_ADAM"), "off", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <c>torch.optim.Adam</c> (TorchSharp's <see cref="TorchSharp.Modules.Adam"/>, L2 weight decay added to the gradient) whose
    /// step, on the CPU with float32 parameters, is one C# pass over each parameter instead of ~10 libtorch calls per
    /// parameter tensor: <c>g ← ∇ + λθ; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − (lr/(1−β₁ᵗ))·m/(√v/√(1−β₂ᵗ) + ε)</c>,
    /// the formulas and order of TorchSharp's <c>Adam.step</c>. It keeps Adam's own per-parameter state (step count,
    /// <c>exp_avg</c>, <c>exp_avg_sq</c>), and its type name is <c>Adam</c> — the name TorchSharp writes into and checks
    /// in a saved optimizer state — so a checkpoint saved by either class loads into the other. It creates no temporary
    /// <c>Scalar</c>s (a temporary Scalar finalised during a native call is the suspected cause of a rare
    /// <c>add_(Scalar)</c> failure seen once inside TorchSharp's step). Elsewhere (CUDA, other dtypes, AMSGrad, maximise,
    /// <see cref="Enabled"/> off) it runs TorchSharp's step itself. Results equal Adam's up to float rounding.
    /// </summary>
    public sealed class Adam : TorchSharp.Modules.Adam
    {
        /// <summary>Adam over <paramref name="parameters"/> at <paramref name="lr"/> with L2 <paramref name="weightDecay"/>, betas (0.9, 0.999), ε 1e-8.</summary>
        public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double weightDecay = 0)
            : base(parameters, lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: weightDecay)
        {
        }

        /// <inheritdoc />
        public override Tensor step(Func<Tensor>? closure = null)
        {
            if (!Enabled || !FusedApplies()) return base.step(closure!);
            return _step<ParamGroup>(group =>
            {
                var options = (Options)group.Options;
                double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, eps = options.eps!.Value;
                double weightDecay = options.weight_decay!.Value, lr = options.LearningRate!.Value;
                foreach (var param in group.Parameters)
                {
                    var grad = param.grad;
                    if (grad is null) continue;
                    var state = (State)_state[param.Handle];
                    state.step += 1;
                    double correction1 = 1 - Math.Pow(beta1, state.step);
                    double correction2 = 1 - Math.Pow(beta2, state.step);
                    AdamKernel.Step(param, grad.contiguous(), state.exp_avg, state.exp_avg_sq, (float)beta1, (float)beta2, (float)weightDecay,
                        (float)(lr / correction1), (float)Math.Sqrt(correction2), (float)eps);
                }
            }, closure!);
        }

        /// <summary>Every parameter, its gradient and its state are contiguous CPU float32, and neither AMSGrad nor maximise is on.</summary>
        bool FusedApplies()
        {
            foreach (var group in _parameter_groups)
            {
                var options = (Options)group.Options;
                if (options.amsgrad == true || options.maximize == true) return false;
                foreach (var param in group.Parameters)
                {
                    if (!Kernels.IsContiguousCpuFloat(param)) return false;
                    if (param.grad is { } grad && !(grad.device_type == DeviceType.CPU && grad.dtype == ScalarType.Float32)) return false;
                    var state = (State)_state[param.Handle];
                    if (!Kernels.IsContiguousCpuFloat(state.exp_avg) || !Kernels.IsContiguousCpuFloat(state.exp_avg_sq)) return false;
                }
            }
            return true;
        }
    }
}

/// <summary>The fused Adam update over float32 storage, <see cref="Vector256"/> wide.</summary>
internal static unsafe class AdamKernel
{
    internal static void Step(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, float beta1, float beta2, float weightDecay,
        float stepSize, float sqrtCorrection2, float eps)
    {
        long n = param.numel();
        if (grad.numel() != n || expAvg.numel() != n || expAvgSq.numel() != n)
            throw new ArgumentException("Adam: a parameter, its gradient and its state differ in size.");
        if (n == 0) return;
        float* p = (float*)Kernels.Data(param);
        float* g = (float*)Kernels.Data(grad);
        float* m = (float*)Kernels.Data(expAvg);
        float* v = (float*)Kernels.Data(expAvgSq);
        Update(p, g, m, v, n, beta1, beta2, weightDecay, stepSize, sqrtCorrection2, eps);
        GC.KeepAlive(param);
        GC.KeepAlive(grad);
        GC.KeepAlive(expAvg);
        GC.KeepAlive(expAvgSq);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Update(float* p, float* g, float* m, float* v, long n, float beta1, float beta2, float weightDecay, float stepSize,
        float sqrtCorrection2, float eps)
    {
        float a1 = 1 - beta1, a2 = 1 - beta2;
        long i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var b1 = Vector256.Create(beta1); var c1 = Vector256.Create(a1);
            var b2 = Vector256.Create(beta2); var c2 = Vector256.Create(a2);
            var wd = Vector256.Create(weightDecay); var step = Vector256.Create(stepSize);
            var sc2 = Vector256.Create(sqrtCorrection2); var e = Vector256.Create(eps);
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                var pv = Vector256.Load(p + i);
                var gv = Vector256.Load(g + i);
                if (weightDecay != 0) gv += wd * pv;
                var mv = Vector256.Load(m + i) * b1 + c1 * gv;
                var vv = Vector256.Load(v + i) * b2 + c2 * (gv * gv);
                mv.Store(m + i);
                vv.Store(v + i);
                (pv - step * (mv / (Vector256.Sqrt(vv) / sc2 + e))).Store(p + i);
            }
        }
        for (; i < n; i++)
        {
            float gi = g[i];
            if (weightDecay != 0) gi += weightDecay * p[i];
            float mi = m[i] * beta1 + a1 * gi;
            float vi = v[i] * beta2 + a2 * (gi * gi);
            m[i] = mi;
            v[i] = vi;
            p[i] -= stepSize * (mi / (MathF.Sqrt(vi) / sqrtCorrection2 + eps));
        }
    }
}
