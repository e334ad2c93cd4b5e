namespace GraphSSL.Generators.Common
{
    /// <summary>Names of the generator's incremental steps (tests assert they are cached).</summary>
    internal static class TrackingNames
    {
        public const string RuntimeAvailable = nameof(RuntimeAvailable);
        public const string EncoderSpecs = nameof(EncoderSpecs);
        public const string ValidEncoders = nameof(ValidEncoders);
        public const string AugmentationSpecs = nameof(AugmentationSpecs);
        public const string ValidAugmentations = nameof(ValidAugmentations);
        public const string ObjectiveSpecs = nameof(ObjectiveSpecs);
        public const string ValidObjectives = nameof(ValidObjectives);
        public const string LayerSpecs = nameof(LayerSpecs);
        public const string ValidLayers = nameof(ValidLayers);
        public const string CatalogPlacement = nameof(CatalogPlacement);
        public const string ModelSpecs = nameof(ModelSpecs);
        public const string ValidModels = nameof(ValidModels);
        public const string CatalogEntries = nameof(CatalogEntries);
        public const string Catalog = nameof(Catalog);
        public const string DslAssembly = nameof(DslAssembly);
    }
}
