using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using GraphSSL.Generators.Augmentations;
using GraphSSL.Generators.Encoders;
using GraphSSL.Generators.Models;
using Microsoft.CodeAnalysis;

namespace GraphSSL.Generators.Common
{
    /// <summary>Every GraphSSL attribute the generator understands, found by the attribute class.</summary>
    internal static class AttributeTable
    {
        public const string EncoderMarker = "Encoder";
        public const string AugmentationMarker = "Augmentation";
        public const string ModelMarker = "SslModel";
        public const string ObjectiveMarker = "Objective";
        public const string LayerMarker = "Layer";

        public const string EncoderMetadataName = "GraphSSL.EncoderAttribute";
        public const string AugmentationMetadataName = "GraphSSL.AugmentationAttribute";
        public const string ModelMetadataName = "GraphSSL.SslModelAttribute";
        public const string ObjectiveMetadataName = "GraphSSL.ObjectiveAttribute";
        public const string LayerMetadataName = "GraphSSL.LayerAttribute";

        public static readonly ImmutableArray<string> Markers = ImmutableArray.Create(EncoderMarker, AugmentationMarker, ModelMarker, ObjectiveMarker, LayerMarker);

        public static readonly ImmutableArray<AttributeDefinition> All =
            EncoderKinds.All.AddRange(AugmentationKinds.All).AddRange(ModelKinds.Heads);

        private static readonly Dictionary<string, AttributeDefinition> byName = All.ToDictionary(d => d.Name);

        public static AttributeDefinition? ByName(string name) => byName.TryGetValue(name, out var d) ? d : null;

        /// <summary>The GraphSSL name ("Gin", "SslModel") of an attribute class in namespace GraphSSL, else null.</summary>
        public static string? GraphSslName(AttributeData attribute)
        {
            var type = attribute.AttributeClass;
            if (type is null || type.ContainingType is not null) return null;
            var ns = type.ContainingNamespace;
            if (ns is null || ns.Name != "GraphSSL" || ns.ContainingNamespace is null || !ns.ContainingNamespace.IsGlobalNamespace) return null;
            var name = type.Name;
            if (!name.EndsWith("Attribute", System.StringComparison.Ordinal)) return null;
            name = name.Substring(0, name.Length - "Attribute".Length);
            return Markers.Contains(name) || byName.ContainsKey(name) ? name : null;
        }
    }
}
