using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace GraphSSL;

/// <summary>
/// Self-supervised objectives as pure functions of tensors. Every loss returns a scalar tensor on the
/// device and in the dtype (float32 or float64) of its inputs, is differentiable where the method wants
/// gradients, and reads nothing back to the host, so it can run inside a training step. Arguments are
/// checked on their shapes, dtypes and devices only (host metadata) and a bad one throws
/// <see cref="ArgumentException"/> naming it.
/// </summary>
/// <remarks>
/// Intermediate tensors are created in a private dispose scope and released before returning; only the
/// loss is moved to the caller's scope (autograd keeps what the backward pass needs).
/// <para>
/// Cosine similarities use <see cref="Unit"/>: each row is first divided by its largest absolute entry
/// (a constant without gradient, so the value and gradient are those of plain normalisation) and then
/// L2-normalised with <see cref="NormEpsilon"/>. The pre-scaling keeps huge inputs (norm² beyond the
/// float32 range) finite; an all-zero row stays zero.
/// </para>
/// </remarks>
public static class Objectives
{
    /// <summary>The ε of L2 normalisation: a row is divided by max(‖x‖, ε).</summary>
    public const double NormEpsilon = 1e-8;

    /// <summary>ε added to the variance inside the square root when Barlow Twins standardises a view.</summary>
    public const double BarlowTwinsEpsilon = 1e-5;

    /// <summary>ε added to the variance inside the square root of VICReg's variance term.</summary>
    public const double VicRegEpsilon = 1e-4;

    /// <summary>
    /// NT-Xent (SimCLR). The 2N rows u = [normalise(z1); normalise(z2)] are anchors; anchor i's positive is
    /// the other view of the same graph (i ± N). With s_ik = u_i·u_k (cosine similarity),
    /// loss_i = −log( exp(s_ip/τ) / Σ_{k≠i} exp(s_ik/τ) ), the denominator running over all 2N − 1 other
    /// rows, the positive included (as in SimCLR). Returns the mean of loss_i over all 2N anchors.
    /// </summary>
    /// <remarks>Computed as a cross-entropy over the similarity logits with the diagonal masked to −∞,
    /// i.e. a log-softmax, so large logits (small τ) never overflow.</remarks>
    /// <param name="z1">Projections of the first view <c>[N, D]</c>, N ≥ 2.</param>
    /// <param name="z2">Projections of the second view <c>[N, D]</c>; row i is the same graph as row i of <paramref name="z1"/>.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    public static Tensor NtXent(Tensor z1, Tensor z2, double temperature)
    {
        ObjectiveArguments.Pair(z1, nameof(z1), z2, nameof(z2), minRows: 2);
        ObjectiveArguments.Temperature(temperature, nameof(temperature));
        long n = z1.shape[0];
        using var scope = torch.NewDisposeScope();
        var device = z1.device;
        var u = Unit(torch.cat(new[] { z1, z2 }, 0));
        var logits = u.mm(u.t()).div(temperature);
        var self = torch.eye(2 * n, dtype: ScalarType.Bool, device: device);
        logits = logits.masked_fill(self, double.NegativeInfinity);
        var positive = torch.arange(2 * n, dtype: ScalarType.Int64, device: device).add(n).remainder(2 * n);
        return functional.cross_entropy(logits, positive).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// SimSiam. D(p, z) = −mean_n cos(p_n, stopgrad(z_n)); loss = D(p1, z2)/2 + D(p2, z1)/2, in [−1, 1]
    /// (−1 when every prediction points the same way as the other view's projection).
    /// <paramref name="z1"/> and <paramref name="z2"/> receive no gradient from this loss.
    /// </summary>
    /// <param name="p1">Predictor output for view 1 <c>[N, D]</c>.</param>
    /// <param name="p2">Predictor output for view 2 <c>[N, D]</c>.</param>
    /// <param name="z1">Projection of view 1 <c>[N, D]</c> (stop-gradient).</param>
    /// <param name="z2">Projection of view 2 <c>[N, D]</c> (stop-gradient).</param>
    public static Tensor SimSiam(Tensor p1, Tensor p2, Tensor z1, Tensor z2)
    {
        ObjectiveArguments.Pair(p1, nameof(p1), p2, nameof(p2));
        ObjectiveArguments.Pair(p1, nameof(p1), z1, nameof(z1));
        ObjectiveArguments.Pair(p1, nameof(p1), z2, nameof(z2));
        using var scope = torch.NewDisposeScope();
        var d1 = Cosine(p1, z2.detach()).mean().neg();
        var d2 = Cosine(p2, z1.detach()).mean().neg();
        return d1.add(d2).div(2.0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// BYOL. Per pair ℓ(p, t) = ‖p/‖p‖ − t/‖t‖‖² = 2 − 2·cos(p, stopgrad(t)); the loss symmetrises by
    /// <b>summing</b> the two directions and averages over the batch:
    /// loss = (1/N) Σ_n [ ℓ(p1_n, t2_n) + ℓ(p2_n, t1_n) ], in [0, 8]. The targets come from the EMA
    /// network and receive no gradient.
    /// </summary>
    /// <param name="p1">Online predictor output for view 1 <c>[N, D]</c>.</param>
    /// <param name="p2">Online predictor output for view 2 <c>[N, D]</c>.</param>
    /// <param name="t1">Target projection of view 1 <c>[N, D]</c> (detached).</param>
    /// <param name="t2">Target projection of view 2 <c>[N, D]</c> (detached).</param>
    public static Tensor Byol(Tensor p1, Tensor p2, Tensor t1, Tensor t2)
    {
        ObjectiveArguments.Pair(p1, nameof(p1), p2, nameof(p2));
        ObjectiveArguments.Pair(p1, nameof(p1), t1, nameof(t1));
        ObjectiveArguments.Pair(p1, nameof(p1), t2, nameof(t2));
        using var scope = torch.NewDisposeScope();
        var l1 = Cosine(p1, t2.detach()).mul(-2.0).add(2.0);
        var l2 = Cosine(p2, t1.detach()).mul(-2.0).add(2.0);
        return l1.add(l2).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Barlow Twins. Each view is standardised per dimension over the batch with the <b>biased</b>
    /// variance (as <c>BatchNorm1d(affine: false)</c> in training mode):
    /// ẑ_nd = (z_nd − mean_n z_nd) / sqrt(var_n z_nd + 1e-5), var_n = (1/N) Σ_n (z_nd − mean)².
    /// Then C = Ẑ1ᵀ Ẑ2 / N <c>[D, D]</c> and
    /// loss = scale · ( Σ_i (1 − C_ii)² + λ Σ_i Σ_{j≠i} C_ij² ).
    /// The study used λ = 3.9e-3 and scale = 1/32.
    /// </summary>
    /// <param name="z1">Projections of view 1 <c>[N, D]</c>, N ≥ 2.</param>
    /// <param name="z2">Projections of view 2 <c>[N, D]</c>.</param>
    /// <param name="lambda">Weight λ ≥ 0 of the off-diagonal (redundancy) term.</param>
    /// <param name="scale">Factor ≥ 0 on the whole loss.</param>
    public static Tensor BarlowTwins(Tensor z1, Tensor z2, double lambda, double scale)
    {
        ObjectiveArguments.Pair(z1, nameof(z1), z2, nameof(z2), minRows: 2);
        ObjectiveArguments.NonNegative(lambda, nameof(lambda));
        ObjectiveArguments.NonNegative(scale, nameof(scale));
        long n = z1.shape[0], d = z1.shape[1];
        using var scope = torch.NewDisposeScope();
        var c = Standardise(z1).t().mm(Standardise(z2)).div(n);
        var onDiagonal = c.diagonal().sub(1.0).pow(2).sum();
        var offDiagonal = c.masked_fill(torch.eye(d, dtype: ScalarType.Bool, device: z1.device), 0.0).pow(2).sum();
        return onDiagonal.add(offDiagonal.mul(lambda)).mul(scale).MoveToOuterDisposeScope();

        static Tensor Standardise(Tensor z)
        {
            var centred = z.sub(z.mean(new long[] { 0 }, keepdim: true));
            var variance = centred.pow(2).mean(new long[] { 0 }, keepdim: true);
            return centred.div(variance.add(BarlowTwinsEpsilon).sqrt());
        }
    }

    /// <summary>
    /// VICReg (Bardes, Ponce, LeCun, ICLR 2022), as in the authors' reference implementation:
    /// loss = λ·s(Z1, Z2) + μ·½[v(Z1) + v(Z2)] + ν·[c(Z1) + c(Z2)] with
    /// <list type="bullet">
    /// <item>invariance s(Z1, Z2) = (1/(N·D)) Σ_n Σ_d (z1_nd − z2_nd)² (mean squared error);</item>
    /// <item>variance v(Z) = (1/D) Σ_d max(0, γ − sqrt(Var_n(z_d) + 1e-4)), γ = 1, Var the <b>unbiased</b>
    /// variance over the batch (divisor N − 1);</item>
    /// <item>covariance c(Z) = (1/D) Σ_{i≠j} Cov(Z)_ij², Cov(Z) = (1/(N − 1)) Σ_n (z_n − z̄)(z_n − z̄)ᵀ.</item>
    /// </list>
    /// The variance terms of the two branches are averaged (the paper's formula adds them; the published
    /// coefficients 25/25/1 were tuned with the averaged form of the reference code), the covariance terms
    /// are added. A batch whose rows are all equal has v = γ − sqrt(1e-4) = 0.99.
    /// </summary>
    /// <param name="z1">Embeddings of view 1 <c>[N, D]</c>, N ≥ 2.</param>
    /// <param name="z2">Embeddings of view 2 <c>[N, D]</c>.</param>
    /// <param name="invariance">λ ≥ 0, weight of the invariance term. Default 25.</param>
    /// <param name="variance">μ ≥ 0, weight of the variance term. Default 25.</param>
    /// <param name="covariance">ν ≥ 0, weight of the covariance term. Default 1.</param>
    public static Tensor VicReg(Tensor z1, Tensor z2, double invariance = 25, double variance = 25, double covariance = 1)
    {
        ObjectiveArguments.Pair(z1, nameof(z1), z2, nameof(z2), minRows: 2);
        ObjectiveArguments.NonNegative(invariance, nameof(invariance));
        ObjectiveArguments.NonNegative(variance, nameof(variance));
        ObjectiveArguments.NonNegative(covariance, nameof(covariance));
        long n = z1.shape[0], d = z1.shape[1];
        using var scope = torch.NewDisposeScope();
        var offDiagonal = torch.eye(d, dtype: ScalarType.Bool, device: z1.device).logical_not();
        var s = functional.mse_loss(z1, z2);
        var v = Hinge(z1).add(Hinge(z2)).div(2.0);
        var c = Covariance(z1).add(Covariance(z2));
        return s.mul(invariance).add(v.mul(variance)).add(c.mul(covariance)).MoveToOuterDisposeScope();

        Tensor Hinge(Tensor z) =>
            z.var(0, unbiased: true).add(VicRegEpsilon).sqrt().neg().add(1.0).relu().mean();

        Tensor Covariance(Tensor z)
        {
            var centred = z.sub(z.mean(new long[] { 0 }, keepdim: true));
            var cov = centred.t().mm(centred).div(n - 1);
            return cov.mul(offDiagonal).pow(2).sum().div(d);
        }
    }

    /// <summary>
    /// MoCo (v2) InfoNCE with a queue of negatives. With q̂, k̂ the L2-normalised queries and keys,
    /// logits_n = [ q̂_n·k̂_n, q̂_n·queue_1, …, q̂_n·queue_K ] / τ, and
    /// loss = (1/N) Σ_n −log softmax(logits_n)_0 (cross-entropy with the positive at index 0).
    /// Keys and queue receive no gradient. The queue rows are used as given (they are normalised keys,
    /// as <see cref="EmbeddingQueue"/> stores them).
    /// </summary>
    /// <param name="q">Query projections <c>[N, D]</c> (online encoder).</param>
    /// <param name="k">Key projections <c>[N, D]</c> (momentum encoder; detached here).</param>
    /// <param name="queue">Past normalised keys <c>[K, D]</c>, K ≥ 1.</param>
    /// <param name="temperature">τ &gt; 0 (MoCo v2: 0.2).</param>
    public static Tensor MoCo(Tensor q, Tensor k, Tensor queue, double temperature)
    {
        ObjectiveArguments.Pair(q, nameof(q), k, nameof(k));
        ObjectiveArguments.Matrix(queue, nameof(queue));
        CheckColumns(q, nameof(q), queue, nameof(queue));
        ObjectiveArguments.Temperature(temperature, nameof(temperature));
        long n = q.shape[0];
        using var scope = torch.NewDisposeScope();
        var qn = Unit(q);
        var positive = qn.mul(Unit(k.detach())).sum(new long[] { 1 }, keepdim: true);
        var negative = qn.mm(queue.detach().t());
        var logits = torch.cat(new[] { positive, negative }, 1).div(temperature);
        var labels = torch.zeros(n, dtype: ScalarType.Int64, device: q.device);
        return functional.cross_entropy(logits, labels).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// SwAV swapped prediction. With ẑ the L2-normalised embeddings and C the prototypes,
    /// scores_v = ẑ_v Cᵀ <c>[N, K]</c>; codes q_v = <see cref="Sinkhorn"/>(scores_v, ε, iterations) are
    /// computed without gradient; p_v = softmax(scores_v / τ) over the prototypes; and
    /// loss = −½ · (1/N) Σ_n [ Σ_k q2_nk log p1_nk + Σ_k q1_nk log p2_nk ]
    /// (each view predicts the other view's code). Gradients flow to the embeddings and the prototypes
    /// through the log-probabilities only.
    /// </summary>
    /// <param name="z1">Embeddings of view 1 <c>[N, D]</c>.</param>
    /// <param name="z2">Embeddings of view 2 <c>[N, D]</c>.</param>
    /// <param name="prototypes">Prototype vectors <c>[K, D]</c>, rows assumed L2-normalised (see <see cref="NormalizePrototypes"/>).</param>
    /// <param name="temperature">τ &gt; 0 (SwAV: 0.1).</param>
    /// <param name="epsilon">Sinkhorn entropy ε &gt; 0 (SwAV: 0.05).</param>
    /// <param name="sinkhornIterations">Sinkhorn iterations ≥ 1 (SwAV: 3).</param>
    public static Tensor SwAV(Tensor z1, Tensor z2, Tensor prototypes, double temperature, double epsilon, int sinkhornIterations)
    {
        CheckSwAV(z1, z2, prototypes, temperature, epsilon, sinkhornIterations);
        using var scope = torch.NewDisposeScope();
        var s1 = Unit(z1).mm(prototypes.t());
        var s2 = Unit(z2).mm(prototypes.t());
        var q1 = Sinkhorn(s1, epsilon, sinkhornIterations);
        var q2 = Sinkhorn(s2, epsilon, sinkhornIterations);
        return SwappedPrediction(s1, s2, q1, q2, temperature).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// SwAV with queues of past embeddings (for small batches): the codes of view v are computed by
    /// Sinkhorn over the stacked scores [queue_v Cᵀ; scores_v] (Q + N samples share the equal partition),
    /// and only the rows of the current batch are kept. Otherwise as
    /// <see cref="SwAV(Tensor, Tensor, Tensor, double, double, int)"/>.
    /// </summary>
    /// <param name="z1">Embeddings of view 1 <c>[N, D]</c>.</param>
    /// <param name="z2">Embeddings of view 2 <c>[N, D]</c>.</param>
    /// <param name="prototypes">Prototype vectors <c>[K, D]</c>, rows assumed L2-normalised.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <param name="epsilon">Sinkhorn entropy ε &gt; 0.</param>
    /// <param name="sinkhornIterations">Sinkhorn iterations ≥ 1.</param>
    /// <param name="queue1">Past normalised embeddings of view 1 <c>[Q, D]</c> (e.g. <see cref="EmbeddingQueue.Queue"/>).</param>
    /// <param name="queue2">Past normalised embeddings of view 2 <c>[Q', D]</c>.</param>
    public static Tensor SwAV(Tensor z1, Tensor z2, Tensor prototypes, double temperature, double epsilon, int sinkhornIterations,
        Tensor queue1, Tensor queue2)
    {
        CheckSwAV(z1, z2, prototypes, temperature, epsilon, sinkhornIterations);
        ObjectiveArguments.Matrix(queue1, nameof(queue1));
        ObjectiveArguments.Matrix(queue2, nameof(queue2));
        CheckColumns(z1, nameof(z1), queue1, nameof(queue1));
        CheckColumns(z1, nameof(z1), queue2, nameof(queue2));
        long n = z1.shape[0];
        using var scope = torch.NewDisposeScope();
        var s1 = Unit(z1).mm(prototypes.t());
        var s2 = Unit(z2).mm(prototypes.t());
        Tensor q1, q2;
        using (torch.no_grad())
        {
            var c = prototypes.detach().t();
            q1 = Sinkhorn(torch.cat(new[] { queue1.detach().mm(c), s1.detach() }, 0), epsilon, sinkhornIterations).narrow(0, queue1.shape[0], n);
            q2 = Sinkhorn(torch.cat(new[] { queue2.detach().mm(c), s2.detach() }, 0), epsilon, sinkhornIterations).narrow(0, queue2.shape[0], n);
        }
        return SwappedPrediction(s1, s2, q1, q2, temperature).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Sinkhorn–Knopp equal-partition codes (SwAV). With Q = exp(scores/ε)ᵀ <c>[K, N]</c> normalised to
    /// total mass 1, each iteration scales every prototype's row to mass 1/K and then every sample's
    /// column to mass 1/N; the result is N·Q transposed: <c>[N, K]</c>, each row a probability vector
    /// (sums to 1), each column summing to ≈ N/K (exactly so in the limit of many iterations).
    /// Computed without gradient.
    /// </summary>
    /// <remarks>Runs in the log domain (every normalisation is a log-sum-exp, which subtracts the maximum
    /// before exponentiating), so no ε or score range can overflow or underflow to an all-zero row.</remarks>
    /// <param name="scores">Sample–prototype scores <c>[N, K]</c>.</param>
    /// <param name="epsilon">Entropy regularisation ε &gt; 0 (SwAV: 0.05).</param>
    /// <param name="iterations">Iterations ≥ 1 (SwAV: 3).</param>
    public static Tensor Sinkhorn(Tensor scores, double epsilon, int iterations)
    {
        ObjectiveArguments.Matrix(scores, nameof(scores));
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
            throw new ArgumentException($"The Sinkhorn epsilon must be a finite number > 0, but was {epsilon}.", nameof(epsilon));
        if (iterations < 1)
            throw new ArgumentException($"Sinkhorn needs at least one iteration, but was given {iterations}.", nameof(iterations));
        long n = scores.shape[0], k = scores.shape[1];
        double logK = Math.Log(k), logN = Math.Log(n);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        // log Q, [K, N]. The initial division by the total mass is absorbed by the first row step.
        var logQ = scores.detach().t().div(epsilon);
        for (int it = 0; it < iterations; it++)
        {
            logQ = logQ.sub(logQ.logsumexp(1, keepdim: true)).sub(logK); // each prototype: mass 1/K
            logQ = logQ.sub(logQ.logsumexp(0, keepdim: true)).sub(logN); // each sample: mass 1/N
        }
        // N·Q: every sample's column then sums to 1.
        return logQ.add(logN).exp().t().contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>L2-normalises every row of <paramref name="prototypes"/> <c>[K, D]</c> in place, without
    /// gradient (SwAV does this before every step).</summary>
    public static void NormalizePrototypes(Tensor prototypes)
    {
        ObjectiveArguments.Matrix(prototypes, nameof(prototypes));
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        prototypes.copy_(Unit(prototypes));
    }

    /// <summary>
    /// Rows of <paramref name="x"/> scaled to unit L2 norm: x / max(‖x‖, <see cref="NormEpsilon"/>), after a
    /// gradient-free division by each row's largest absolute entry (exact, since normalisation ignores
    /// positive scale, and keeps ‖x‖² from overflowing). Rows of zeros stay zero.
    /// </summary>
    internal static Tensor Unit(Tensor x)
    {
        var scale = x.detach().abs().amax(new long[] { 1 }, keepdim: true).clamp_min(1e-30);
        return functional.normalize(x.div(scale), p: 2, dim: 1, eps: NormEpsilon);
    }

    /// <summary>Row-wise cosine similarity <c>[N]</c> of two <c>[N, D]</c> tensors.</summary>
    static Tensor Cosine(Tensor a, Tensor b) => Unit(a).mul(Unit(b)).sum(new long[] { 1 });

    static Tensor SwappedPrediction(Tensor s1, Tensor s2, Tensor q1, Tensor q2, double temperature)
    {
        var logP1 = s1.div(temperature).log_softmax(1);
        var logP2 = s2.div(temperature).log_softmax(1);
        var t1 = q2.mul(logP1).sum(new long[] { 1 }).mean();
        var t2 = q1.mul(logP2).sum(new long[] { 1 }).mean();
        return t1.add(t2).mul(-0.5);
    }

    static void CheckSwAV(Tensor z1, Tensor z2, Tensor prototypes, double temperature, double epsilon, int sinkhornIterations)
    {
        ObjectiveArguments.Pair(z1, nameof(z1), z2, nameof(z2));
        ObjectiveArguments.Matrix(prototypes, nameof(prototypes));
        CheckColumns(z1, nameof(z1), prototypes, nameof(prototypes));
        ObjectiveArguments.Temperature(temperature, nameof(temperature));
        if (!(epsilon > 0) || double.IsInfinity(epsilon))
            throw new ArgumentException($"The Sinkhorn epsilon must be a finite number > 0, but was {epsilon}.", nameof(epsilon));
        if (sinkhornIterations < 1)
            throw new ArgumentException($"Sinkhorn needs at least one iteration, but was given {sinkhornIterations}.", nameof(sinkhornIterations));
    }

    static void CheckColumns(Tensor a, string nameA, Tensor b, string nameB)
    {
        if (a.shape[1] != b.shape[1])
            throw new ArgumentException(
                $"{nameB} must have as many columns as {nameA} ({a.shape[1]}), but has shape [{string.Join(", ", b.shape)}].", nameB);
        ObjectiveArguments.SameKind(a, nameA, b, nameB);
    }
}
