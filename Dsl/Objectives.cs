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
}
