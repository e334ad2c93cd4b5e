using System;

namespace GraphSSL
{
    /// <summary>
    /// NT-Xent (SimCLR) objective. For a batch of N graphs and 2N projections z, the loss of anchor i
    /// with positive j is −log( exp(sim(z_i, z_j)/τ) / Σ_{k≠i} exp(sim(z_i, z_k)/τ) ), with sim the cosine
    /// similarity, averaged over all 2N anchors (both directions).
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class NtXentAttribute : Attribute
    {
        /// <summary>Temperature τ (&gt; 0). Default 0.2, the study's value.</summary>
        public double Temperature { get; set; } = 0.2;
    }
}

namespace GraphSSL
{
    /// <summary>
    /// SimSiam objective: D(p, z) = −cos(p, stopgrad(z)); loss = D(p1, z2)/2 + D(p2, z1)/2. Needs a
    /// <see cref="PredictorAttribute"/> head on the model.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class SimSiamAttribute : Attribute { }

    /// <summary>
    /// Barlow Twins objective: standardise each view's embeddings per dimension over the batch,
    /// C = Z_Aᵀ Z_B / N, loss = scale · (Σ_i (1 − C_ii)² + λ Σ_{i≠j} C_ij²).
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class BarlowTwinsAttribute : Attribute
    {
        /// <summary>Weight λ of the off-diagonal (redundancy) term (at least 0). Default 0.0039, the study's value.</summary>
        public double Lambda { get; set; } = 0.0039;
        /// <summary>Factor on the whole loss (greater than 0). Default 0.03125 (1/32), the study's value.</summary>
        public double Scale { get; set; } = 0.03125;
    }

    /// <summary>VICReg objective: weighted invariance (MSE), variance (hinge on the std) and covariance terms.</summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class VicRegAttribute : Attribute
    {
        /// <summary>Weight λ of the invariance term (at least 0). Default 25.</summary>
        public double Invariance { get; set; } = 25;
        /// <summary>Weight μ of the variance term (at least 0). Default 25.</summary>
        public double Variance { get; set; } = 25;
        /// <summary>Weight ν of the covariance term (at least 0). Default 1.</summary>
        public double Covariance { get; set; } = 1;
    }

    /// <summary>
    /// MoCo (v2) objective with a momentum key network and a queue of negatives. The key encoder and
    /// projector are exponential-moving-average copies of the online ones (no gradient); queries q come from
    /// the online network, keys k from the key network, and the loss is InfoNCE against the positive key and
    /// every queued key, symmetrised over both view orders:
    /// loss = ½·[MoCo(q1, k2, queue, τ) + MoCo(q2, k1, queue, τ)]. After each optimiser step the key network
    /// moves towards the online one (θ_k ← m·θ_k + (1 − m)·θ_q) and both views' keys are enqueued.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class MoCoAttribute : Attribute
    {
        /// <summary>Temperature τ (&gt; 0). Default 0.2 (MoCo v2).</summary>
        public double Temperature { get; set; } = 0.2;
        /// <summary>Number of queued negative keys (at least 1). Default 4096.</summary>
        public int QueueSize { get; set; } = 4096;
        /// <summary>EMA momentum m of the key network, in [0, 1). Default 0.99.</summary>
        public double Momentum { get; set; } = 0.99;
    }

    /// <summary>
    /// BYOL objective: the online network (encoder, projector, predictor) predicts the projections of the
    /// other view made by a target network (encoder and projector) that is an exponential moving average of
    /// the online one: loss = (1/N) Σ_n [‖p̂1_n − t̂2_n‖² + ‖p̂2_n − t̂1_n‖²] with unit vectors. The target
    /// momentum follows BYOL's cosine schedule from <see cref="BaseMomentum"/> to 1 over the run. Needs a
    /// <see cref="PredictorAttribute"/> head.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class ByolAttribute : Attribute
    {
        /// <summary>Target momentum at the first step, in [0, 1). Default 0.99 (BYOL: 0.996 for long runs).</summary>
        public double BaseMomentum { get; set; } = 0.99;
    }

    /// <summary>
    /// SwAV objective (swapped assignments between views): embeddings are scored against K learnable,
    /// L2-normalised prototypes; each view's codes are computed with Sinkhorn-Knopp (equal partition, no
    /// gradient) and predicted from the other view with a softmax at temperature τ.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class SwAVAttribute : Attribute
    {
        /// <summary>Number of prototypes K (at least 2). Default 30.</summary>
        public int Prototypes { get; set; } = 30;
        /// <summary>Temperature τ of the prediction softmax (&gt; 0). Default 0.1.</summary>
        public double Temperature { get; set; } = 0.1;
        /// <summary>Entropy regularisation ε of Sinkhorn-Knopp (&gt; 0). Default 0.05.</summary>
        public double Epsilon { get; set; } = 0.05;
        /// <summary>Sinkhorn-Knopp iterations (at least 1). Default 3.</summary>
        public int SinkhornIterations { get; set; } = 3;
        /// <summary>The prototypes are frozen (their gradient dropped) during the first this many epochs (at least 0). Default 1.</summary>
        public int FreezePrototypesEpochs { get; set; } = 1;
        /// <summary>Rows of each view's embedding queue used by Sinkhorn; 0 (default) means no queue.</summary>
        public int QueueSize { get; set; }
        /// <summary>First epoch whose codes use the queues (at least 0; 0 and 1 both mean from the start). Default 0.</summary>
        public int QueueStartEpoch { get; set; }
    }
}
