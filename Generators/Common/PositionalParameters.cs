using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GraphSSL.Generators.Common
{
    /// <summary>
    /// A record's positional parameters: the components of an [SslModel], the hyperparameters of a declared
    /// [Objective] or of a user-written [Augmentation] (type, default, and the optional [Hyper] description).
    /// </summary>
    internal static class PositionalParameters
    {
        /// <summary>The record's positional parameters and the location of their list (or null when there is none).</summary>
        public static (IReadOnlyList<IParameterSymbol> Parameters, LocationInfo? ListLocation, bool HasErrors) Of(INamedTypeSymbol type, CancellationToken ct)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(ct) is RecordDeclarationSyntax { ParameterList: { } list } declaration)
                {
                    foreach (var constructor in type.InstanceConstructors)
                    {
                        if (constructor.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == declaration.SyntaxTree && r.Span == declaration.Span))
                            return (constructor.Parameters, LocationInfo.From(list), list.ContainsDiagnostics);
                    }
                    return (System.Array.Empty<IParameterSymbol>(), LocationInfo.From(list), list.ContainsDiagnostics);
                }
            }
            return (System.Array.Empty<IParameterSymbol>(), null, false);
        }

        public static LocationInfo? Location(IParameterSymbol parameter, CancellationToken ct)
            => LocationInfo.From(parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct));

        /// <summary>
        /// Every positional parameter as a hyperparameter spec; unsupported types and missing defaults are
        /// reported, out-of-range defaults too. Null when a parameter cannot be used (the spec would not compile).
        /// </summary>
        public static List<HyperParameterSpec>? HyperParameters(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, CancellationToken ct)
        {
            var (parameters, _, hasErrors) = Of(type, ct);
            if (hasErrors) return null;
            var result = new List<HyperParameterSpec>(parameters.Count);
            bool ok = true;
            foreach (var parameter in parameters)
            {
                ct.ThrowIfCancellationRequested();
                var location = Location(parameter, ct);
                var parameterType = parameter.Type;
                if (parameterType.TypeKind == TypeKind.Error || parameter.Name.Length == 0) { ok = false; continue; }
                ValueKind kind;
                string typeSyntax, typeDisplay;
                switch (parameterType.SpecialType)
                {
                    case SpecialType.System_Int32: kind = ValueKind.Int; typeSyntax = typeDisplay = "int"; break;
                    case SpecialType.System_Double: kind = ValueKind.Double; typeSyntax = typeDisplay = "double"; break;
                    case SpecialType.System_Boolean: kind = ValueKind.Bool; typeSyntax = typeDisplay = "bool"; break;
                    default:
                        if (parameterType.TypeKind == TypeKind.Enum)
                        {
                            kind = ValueKind.Enum;
                            typeSyntax = parameterType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                            typeDisplay = parameterType.Name;
                            break;
                        }
                        diagnostics.Add(DiagnosticInfo.Create(Descriptors.UnsupportedHyperParameter, location, type.Name, parameter.Name, parameterType.ToDisplayString()));
                        ok = false;
                        continue;
                }
                if (!parameter.HasExplicitDefaultValue)
                {
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.HyperParameterWithoutDefault, location, type.Name, parameter.Name, typeDisplay));
                    ok = false;
                    continue;
                }
                var (range, summary) = Described(parameter);
                var raw = parameter.ExplicitDefaultValue;
                string literal, text;
                double? number = null;
                switch (kind)
                {
                    case ValueKind.Int when raw is int i:
                        literal = text = Literals.IntText(i); number = i; break;
                    case ValueKind.Double when raw is not null && raw is not bool && raw is not string:
                        var d = System.Convert.ToDouble(raw, CultureInfo.InvariantCulture);
                        literal = Literals.DoubleLiteral(d); text = Literals.DoubleText(d); number = d; break;
                    case ValueKind.Bool when raw is bool b:
                        literal = text = Literals.BoolText(b); break;
                    case ValueKind.Enum when raw is not null:
                        var member = parameterType.GetMembers().OfType<IFieldSymbol>().FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, raw));
                        if (member is null) { ok = false; continue; }
                        literal = typeSyntax + "." + Literals.Identifier(member.Name); text = member.Name; break;
                    default:
                        ok = false; continue; // the compiler reports a default of the wrong type
                }
                if (number is double value && !range.Contains(value))
                {
                    var defaultValue = (parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(ct) as ParameterSyntax)?.Default?.Value;
                    // An example inside the range when the written default is not one.
                    var hint = Descriptors.OutOfRangeHint(range, range switch { ValueRange.AtLeastTwo => "2", ValueRange.NonNegative => "0", _ => "1" });
                    diagnostics.Add(DiagnosticInfo.Create(Descriptors.OutOfRange(range), LocationInfo.From(defaultValue) ?? location, type.Name, parameter.Name, text, hint));
                }
                if (summary.Length == 0) summary = "Hyperparameter " + parameter.Name + " of " + type.Name + ".";
                result.Add(new HyperParameterSpec(Literals.Identifier(parameter.Name), parameter.Name, type.Name, kind, typeSyntax, typeDisplay, literal, text, range, summary));
            }
            return ok ? result : null;
        }

        /// <summary>The range and summary of a parameter's [Hyper] attribute (Any and "" without one).</summary>
        private static (ValueRange Range, string Summary) Described(IParameterSymbol parameter)
        {
            foreach (var attribute in parameter.GetAttributes())
            {
                var c = attribute.AttributeClass;
                if (c is null || c.Name != "HyperAttribute" || c.ContainingNamespace?.Name != "GraphSSL") continue;
                var args = attribute.ConstructorArguments;
                var range = args.Length > 0 && args[0].Value is int r ? r : 0;
                var summary = args.Length > 1 && args[1].Value is string s ? s : "";
                // ValueRange is the same file in both assemblies, so the attribute's number is the enum value.
                var rule = System.Enum.IsDefined(typeof(ValueRange), range) ? (ValueRange)range : ValueRange.Any;
                return (rule, Literals.OneLine(summary));
            }
            return (ValueRange.Any, "");
        }

        /// <summary>The value of a GraphSSL attribute's named argument on <paramref name="type"/>, or the fallback.</summary>
        public static T Named<T>(ITypeSymbol type, string attributeName, string argument, T fallback)
        {
            foreach (var attribute in type.GetAttributes())
            {
                var c = attribute.AttributeClass;
                if (c is null || c.Name != attributeName + "Attribute" || c.ContainingNamespace?.Name != "GraphSSL") continue;
                foreach (var named in attribute.NamedArguments)
                    if (named.Key == argument && named.Value.Value is T value) return value;
            }
            return fallback;
        }
    }
}
