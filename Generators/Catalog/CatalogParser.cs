using System.Linq;
using GraphSSL.Generators.Augmentations;
using GraphSSL.Generators.Common;
using GraphSSL.Generators.Encoders;
using GraphSSL.Generators.Models;
using GraphSSL.Generators.Layers;
using GraphSSL.Generators.Objectives;

namespace GraphSSL.Generators.Catalog
{
    /// <summary>Declaration specs → catalog rows (no symbols involved: the catalog is built from specs).</summary>
    internal static class CatalogParser
    {
        public static CatalogEntry From(EncoderSpec spec)
            => new CatalogEntry(0, spec.Type.Name, spec.Type.FullName, spec.Attributes, null, spec.Kind.Values,
                EquatableArray<string>.Empty, "static _ => new " + spec.Type.Syntax + "()");

        public static CatalogEntry From(AugmentationSpec spec)
            => new CatalogEntry(1, spec.Type.Name, spec.Type.FullName, spec.Attributes, null,
                spec.Values.ToEquatableArray(),
                EquatableArray<string>.Empty, "static _ => new " + spec.Type.Syntax + "()");

        public static CatalogEntry From(LayerSpec spec)
            => new CatalogEntry(4, spec.Type.Name, spec.Type.FullName, spec.Attributes, null, spec.Values,
                EquatableArray<string>.Empty, "static _ => new " + spec.Type.Syntax + "()");

        public static CatalogEntry From(ObjectiveSpec spec)
            => new CatalogEntry(3, spec.Type.Name, spec.Type.FullName, spec.Attributes, spec.Type.Name, spec.Values,
                EquatableArray<string>.Empty, "static _ => new " + spec.Type.Syntax + "()");

        public static CatalogEntry From(ModelSpec spec)
        {
            var arguments = spec.Components.Select((c, i) => "(" + c.TypeSyntax + ")c[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]");
            return new CatalogEntry(2, spec.Type.Name, spec.Type.FullName, spec.Attributes, string.Join(" + ", spec.Objectives.Select(o => o.TypeName)),
                spec.Heads.SelectMany(a => a.Values).ToEquatableArray(),
                spec.Components.Select(c => c.TypeName).ToEquatableArray(),
                "static c => new " + spec.Type.Syntax + "(" + string.Join(", ", arguments) + ")");
        }

        /// <summary>Sorted by kind, then name, then full name (ordinal): the same text for the same declarations.</summary>
        public static CatalogSpec Build(EquatableArray<CatalogEntry> entries, CatalogPlacement placement)
            => new CatalogSpec(entries
                .OrderBy(e => e.Kind)
                .ThenBy(e => e.Name, System.StringComparer.Ordinal)
                .ThenBy(e => e.FullName, System.StringComparer.Ordinal)
                .ToEquatableArray(), placement);
    }
}
