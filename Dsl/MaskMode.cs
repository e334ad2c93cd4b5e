namespace GraphSSL
{
    /// <summary>
    /// What attribute masking writes into the feature rows of the nodes it picks.
    /// </summary>
    public enum MaskMode
    {
        /// <summary>
        /// Each masked row is replaced by independent Gaussian noise N(mean, std²) per element (the study
        /// used mean 0.5 and standard deviation 0.5).
        /// </summary>
        Gaussian = 0,

        /// <summary>Each masked row is replaced by zeros.</summary>
        Zero = 1,
    }
}
