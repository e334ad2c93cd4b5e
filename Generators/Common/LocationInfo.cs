using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace GraphSSL.Generators.Common
{
    /// <summary>
    /// A value-equal stand-in for <see cref="Location"/> (which holds a syntax tree and would pin the
    /// compilation in the incremental cache).
    /// </summary>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());

        public static LocationInfo? From(SyntaxToken token) => From(token.GetLocation());

        public static LocationInfo? From(Location? location)
        {
            if (location is null || location.SourceTree is null) return null;
            return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
        }

        /// <summary>
        /// The location inside <paramref name="compilation"/> (analyzers may only report locations in the
        /// compilation's own trees); an external location when the file is not found.
        /// </summary>
        public Location ToLocation(Compilation? compilation)
        {
            var tree = compilation?.SyntaxTrees.FirstOrDefault(t => t.FilePath == FilePath);
            return tree is not null ? Location.Create(tree, Span) : Location.Create(FilePath, Span, LineSpan);
        }
    }

    /// <summary>A diagnostic as plain data: descriptor id, where, and the message arguments.</summary>
    internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> MessageArgs)
    {
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args)
            => new DiagnosticInfo(descriptor.Id, location, new EquatableArray<string>(args));

        public Diagnostic ToDiagnostic(Compilation? compilation)
            => Diagnostic.Create(Descriptors.ById(Id), Location?.ToLocation(compilation) ?? Microsoft.CodeAnalysis.Location.None,
                MessageArgs.Select(a => (object)a).ToArray());
    }
}
