using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphSSL.Generators.Common
{
    /// <summary>A GraphSSL attribute found on a record, with its GraphSSL name ("Gin", "SslModel").</summary>
    internal readonly struct FoundAttribute
    {
        public FoundAttribute(AttributeData data, string name)
        {
            Data = data;
            Name = name;
        }

        public AttributeData Data { get; }
        public string Name { get; }
        public AttributeDefinition? Definition => AttributeTable.ByName(Name);
    }

    /// <summary>
    /// What every parser shares: the record's shape checks, reading attribute values against the
    /// attribute table, and locations for diagnostics. Total: malformed input gives diagnostics or a
    /// null value, never an exception.
    /// </summary>
    internal static class DeclarationReader
    {
        /// <summary>GraphSSL attributes on <paramref name="type"/>, in the order written.</summary>
        public static List<FoundAttribute> GraphSslAttributes(INamedTypeSymbol type)
        {
            var found = new List<FoundAttribute>();
            foreach (var attribute in type.GetAttributes())
            {
                var name = AttributeTable.GraphSslName(attribute);
                if (name is not null) found.Add(new FoundAttribute(attribute, name));
            }
            return found;
        }

        public static TypeSpec TypeOf(INamedTypeSymbol type)
        {
            // Names without '@' escapes: hint names must not contain '@'; emitters escape where needed.
            var parts = new List<string>();
            for (var ns = type.ContainingNamespace; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
                parts.Insert(0, ns.Name);
            return new TypeSpec(string.Join(".", parts), type.Name);
        }

        /// <summary>The record's name in the declaration that carries <paramref name="marker"/> (else the first declaration).</summary>
        public static LocationInfo? NameLocation(INamedTypeSymbol type, AttributeData? marker, CancellationToken ct)
        {
            var declaration = Declaration(type, marker, ct);
            if (declaration is not null) return LocationInfo.From(declaration.Identifier);
            return LocationInfo.From(type.Locations.FirstOrDefault());
        }

        public static TypeDeclarationSyntax? Declaration(INamedTypeSymbol type, AttributeData? marker, CancellationToken ct)
        {
            if (marker?.ApplicationSyntaxReference?.GetSyntax(ct) is SyntaxNode attributeSyntax)
            {
                var owner = attributeSyntax.FirstAncestorOrSelf<TypeDeclarationSyntax>();
                if (owner is not null) return owner;
            }
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(ct) is TypeDeclarationSyntax declaration) return declaration;
            }
            return null;
        }

        public static LocationInfo? AttributeLocation(AttributeData attribute, CancellationToken ct)
            => LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(ct));

        /// <summary>
        /// Checks that <paramref name="type"/> can receive generated members: a partial, top-level,
        /// non-generic, non-abstract record class with exactly one GraphSSL marker (and, for encoders and
        /// augmentations, a parameterless constructor). Returns false when code must not be generated.
        /// </summary>
        public static bool CheckShape(INamedTypeSymbol type, string marker, LocationInfo? location,
            List<FoundAttribute> attributes, bool requireParameterlessConstructor, List<DiagnosticInfo> diagnostics, CancellationToken ct)
        {
            var markers = attributes.Where(a => AttributeTable.Markers.Contains(a.Name)).ToList();
            if (markers.Select(m => m.Name).Distinct().Count() > 1)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.MultipleMarkers, location, type.Name,
                    string.Join(", ", markers.Select(m => "[" + m.Name + "]"))));
                return false;
            }
            if (markers.Count != 1) return false; // a duplicated marker: the compiler reports CS0579
            for (var ns = type.ContainingNamespace; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
            {
                if (ns.Name.Length == 0) return false; // "namespace ;" while typing: the compiler reports it
            }

            if (!type.IsRecord || type.TypeKind != TypeKind.Class)
            {
                var what = type.TypeKind == TypeKind.Struct ? (type.IsRecord ? "record struct" : "struct") : "class";
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.NotARecord, location, type.Name, marker, what));
                return false;
            }
            bool ok = true;
            if (type.ContainingType is not null)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.Nested, location, type.Name, type.ContainingType.Name));
                ok = false;
            }
            if (type.TypeParameters.Length > 0 || type.IsAbstract)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.UnsupportedShape, location, type.Name,
                    type.TypeParameters.Length > 0 ? "generic" : "abstract"));
                ok = false;
            }
            bool isPartial = false;
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(ct) is TypeDeclarationSyntax declaration
                    && declaration.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)))
                {
                    isPartial = true;
                }
            }
            if (!isPartial)
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.NotPartial, location, type.Name, marker));
                ok = false;
            }
            if (requireParameterlessConstructor && !type.InstanceConstructors.Any(c => c.Parameters.Length == 0 && c.DeclaredAccessibility != Accessibility.Private))
            {
                diagnostics.Add(DiagnosticInfo.Create(Descriptors.NoParameterlessConstructor, location, type.Name, marker));
                ok = false;
            }
            return ok;
        }

        /// <summary>The attributes as written, e.g. "[SslModel, NtXent(Temperature = 0.2), Projector(Layers = 3)]".</summary>
        public static string AttributesText(IEnumerable<FoundAttribute> attributes, CancellationToken ct)
            => "[" + string.Join(", ", attributes.Select(a => Text(a, ct))) + "]";

        public static string Text(FoundAttribute attribute, CancellationToken ct)
        {
            var syntax = attribute.Data.ApplicationSyntaxReference?.GetSyntax(ct);
            return syntax is null ? attribute.Name : Literals.OneLine(syntax.ToString());
        }

        /// <summary>
        /// Reads the values of one applied attribute against its table entry. Out-of-range values are
        /// reported (the spec is still returned); values the compiler could not bind give null.
        /// </summary>
        public static AttributeSpec? Read(FoundAttribute attribute, Func<ParameterDefinition, string> propertyName,
            List<DiagnosticInfo> diagnostics, CancellationToken ct)
        {
            var definition = attribute.Definition;
            var data = attribute.Data;
            if (definition is null || data.AttributeConstructor is null) return null;
            var syntax = data.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax;
            var values = new List<HyperParameterSpec>(definition.Parameters.Length);
            foreach (var parameter in definition.Parameters)
            {
                ct.ThrowIfCancellationRequested();
                Value? value;
                SyntaxNode? argument = null;
                if (parameter.ConstructorIndex >= 0)
                {
                    if (parameter.ConstructorIndex >= data.ConstructorArguments.Length) return null;
                    value = FromConstant(parameter, data.ConstructorArguments[parameter.ConstructorIndex]);
                    argument = ConstructorArgument(syntax, data.AttributeConstructor, parameter.ConstructorIndex);
                }
                else
                {
                    var named = data.NamedArguments.Where(n => n.Key == parameter.Name).Select(n => (TypedConstant?)n.Value).FirstOrDefault();
                    value = named is TypedConstant constant ? FromConstant(parameter, constant) : FromDefault(parameter);
                    argument = syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == parameter.Name)?.Expression;
                }
                if (value is null) return null;
                var v = value.Value;
                if (v.Number is double number && !parameter.Range.Contains(number))
                {
                    var location = LocationInfo.From(argument ?? (SyntaxNode?)syntax);
                    diagnostics.Add(RangeDiagnostic(parameter, definition.Name, v.Text, location));
                }
                values.Add(new HyperParameterSpec(propertyName(parameter), parameter.Name, definition.Name, parameter.Kind,
                    parameter.TypeSyntax, parameter.TypeDisplay, v.Literal, v.Text, parameter.Range, parameter.Summary));
            }
            var text = "[" + (syntax is null ? definition.Name : Literals.OneLine(syntax.ToString())) + "]";
            return new AttributeSpec(definition.Name, text, values.ToEquatableArray());
        }

        private static DiagnosticInfo RangeDiagnostic(ParameterDefinition parameter, string attribute, string text, LocationInfo? location)
        {
            return DiagnosticInfo.Create(Descriptors.OutOfRange(parameter.Range), location, attribute, parameter.Name, text,
                Descriptors.OutOfRangeHint(parameter.Range, parameter.Default));
        }

        private static SyntaxNode? ConstructorArgument(AttributeSyntax? syntax, IMethodSymbol constructor, int index)
        {
            if (syntax?.ArgumentList is null) return null;
            var name = index < constructor.Parameters.Length ? constructor.Parameters[index].Name : null;
            var byName = syntax.ArgumentList.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == name);
            if (byName is not null) return byName.Expression;
            var positional = syntax.ArgumentList.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ToList();
            return index < positional.Count ? positional[index].Expression : null;
        }

        private readonly struct Value
        {
            public Value(string literal, string text, double? number)
            {
                Literal = literal;
                Text = text;
                Number = number;
            }

            public string Literal { get; }
            public string Text { get; }
            public double? Number { get; }
        }

        private static Value? FromConstant(ParameterDefinition parameter, TypedConstant constant)
        {
            if (constant.Kind == TypedConstantKind.Error || constant.Kind == TypedConstantKind.Array || constant.Value is null) return null;
            var raw = constant.Value;
            switch (parameter.Kind)
            {
                case ValueKind.Int when raw is int i:
                    return new Value(Literals.IntText(i), Literals.IntText(i), i);
                case ValueKind.Double when raw is double or float or int or long or short or byte or sbyte or uint or ulong or ushort:
                    var d = Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                    return new Value(Literals.DoubleLiteral(d), Literals.DoubleText(d), d);
                case ValueKind.Bool when raw is bool b:
                    return new Value(Literals.BoolText(b), Literals.BoolText(b), null);
                case ValueKind.Enum when constant.Kind == TypedConstantKind.Enum && constant.Type is INamedTypeSymbol enumType:
                    var member = enumType.GetMembers().OfType<IFieldSymbol>()
                        .FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, raw));
                    var typeSyntax = parameter.TypeSyntax;
                    if (member is not null) return new Value(typeSyntax + "." + Literals.Identifier(member.Name), member.Name, null);
                    var number = Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "0";
                    return new Value("(" + typeSyntax + ")(" + number + ")", number, null);
                default:
                    return null;
            }
        }

        private static Value? FromDefault(ParameterDefinition parameter)
        {
            switch (parameter.Kind)
            {
                case ValueKind.Int:
                    var i = int.Parse(parameter.Default, CultureInfo.InvariantCulture);
                    return new Value(Literals.IntText(i), Literals.IntText(i), i);
                case ValueKind.Double:
                    var d = double.Parse(parameter.Default, CultureInfo.InvariantCulture);
                    return new Value(Literals.DoubleLiteral(d), Literals.DoubleText(d), d);
                case ValueKind.Bool:
                    return new Value(parameter.Default, parameter.Default, null);
                default:
                    return new Value(parameter.TypeSyntax + "." + parameter.Default, parameter.Default, null);
            }
        }

        /// <summary>Whether <paramref name="type"/> is the runtime type <paramref name="fullName"/> (e.g. "GraphSSL.Augmentations.IAugmentation") or implements it.</summary>
        public static bool IsOrImplements(ITypeSymbol type, string fullName)
            => Objectives.ObjectiveParser.Is(type, fullName) || type.AllInterfaces.Any(i => Objectives.ObjectiveParser.Is(i, fullName));

        /// <summary>Whether <paramref name="type"/> carries the GraphSSL marker <paramref name="marker"/>.</summary>
        public static bool HasMarker(ITypeSymbol type, string marker)
            => type.GetAttributes().Any(a => AttributeTable.GraphSslName(a) == marker);

        /// <summary>The lower-camel form of a name, for locals: "Projector" → "projector".</summary>
        public static string Camel(string name)
            => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);
    }
}
