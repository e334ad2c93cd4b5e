using GraphSSL.Generators.Augmentations;
using GraphSSL.Generators.Common;
using GraphSSL.Generators.Encoders;
using GraphSSL.Generators.Models;
using GraphSSL.Generators.Layers;
using GraphSSL.Generators.Objectives;
using Microsoft.CodeAnalysis;

namespace GraphSSL.Generators.Catalog
{
    /// <summary>All valid specs → one sorted catalog → GraphSSL.Generated.Catalog.g.cs.</summary>
    internal static class CatalogPipeline
    {
        public static void Register(IncrementalGeneratorInitializationContext context,
            IncrementalValuesProvider<EncoderSpec> encoders,
            IncrementalValuesProvider<AugmentationSpec> augmentations,
            IncrementalValuesProvider<ObjectiveSpec> objectives,
            IncrementalValuesProvider<LayerSpec> layers,
            IncrementalValuesProvider<ModelSpec> models,
            IncrementalValueProvider<bool> runtimeAvailable)
        {
            var entries = encoders.Select(static (s, _) => CatalogParser.From(s)).Collect()
                .Combine(augmentations.Select(static (s, _) => CatalogParser.From(s)).Collect())
                .Combine(objectives.Select(static (s, _) => CatalogParser.From(s)).Collect())
                .Combine(layers.Select(static (s, _) => CatalogParser.From(s)).Collect())
                .Combine(models.Select(static (s, _) => CatalogParser.From(s)).Collect())
                .Select(static (all, _) => all.Left.Left.Left.Left.AddRange(all.Left.Left.Left.Right).AddRange(all.Left.Left.Right)
                    .AddRange(all.Left.Right).AddRange(all.Right).ToEquatableArray())
                .WithTrackingName(TrackingNames.CatalogEntries);

            var placement = context.CompilationProvider
                .Select(static (compilation, _) => new CatalogPlacement(
                    compilation.AssemblyName == CatalogEmitter.RuntimeAssembly,
                    compilation.AssemblyName != CatalogEmitter.RuntimeAssembly && compilation.GetTypeByMetadataName(CatalogEmitter.BuiltInMetadataName) is not null))
                .WithTrackingName(TrackingNames.CatalogPlacement);

            var catalog = entries.Combine(placement)
                .Select(static (all, _) => CatalogParser.Build(all.Left, all.Right))
                .WithTrackingName(TrackingNames.Catalog);

            context.RegisterSourceOutput(catalog.Combine(runtimeAvailable), static (spc, pair) =>
            {
                if (pair.Right) spc.AddSource(CatalogEmitter.HintNameFor(pair.Left.Placement), CatalogEmitter.Emit(pair.Left));
            });
        }
    }
}
