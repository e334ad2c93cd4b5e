using GraphSSL.Generators.Augmentations;
using GraphSSL.Generators.Common;
using GraphSSL.Generators.Encoders;
using GraphSSL.Generators.Models;
using Microsoft.CodeAnalysis;

namespace GraphSSL.Generators.Catalog
{
    /// <summary>All valid specs → one sorted catalog → GraphSSL.Generated.Catalog.g.cs.</summary>
    internal static class CatalogPipeline
    {
        public static void Register(IncrementalGeneratorInitializationContext context,
            IncrementalValuesProvider<EncoderSpec> encoders,
            IncrementalValuesProvider<AugmentationSpec> augmentations,
            IncrementalValuesProvider<ModelSpec> models,
            IncrementalValueProvider<bool> runtimeAvailable)
        {
            var entries = encoders.Select(static (s, _) => CatalogParser.From(s)).Collect()
                .Combine(augmentations.Select(static (s, _) => CatalogParser.From(s)).Collect())
                .Combine(models.Select(static (s, _) => CatalogParser.From(s)).Collect())
                .Select(static (all, _) => all.Left.Left.AddRange(all.Left.Right).AddRange(all.Right).ToEquatableArray())
                .WithTrackingName(TrackingNames.CatalogEntries);

            var catalog = entries
                .Select(static (all, _) => CatalogParser.Build(all))
                .WithTrackingName(TrackingNames.Catalog);

            context.RegisterSourceOutput(catalog.Combine(runtimeAvailable), static (spc, pair) =>
            {
                if (pair.Right) spc.AddSource(CatalogEmitter.HintName, CatalogEmitter.Emit(pair.Left));
            });
        }
    }
}
