using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphSSL.TestUtilities;

/// <summary>
/// A deterministic text listing of an assembly's public surface: every type a consumer can see (public, or
/// protected/protected internal nested in one) and every public or protected member, with C# signatures, read
/// from the built assembly as Roslyn metadata symbols (so generated types count, and nothing depends on the
/// machine, the culture or reflection order). Types are sorted by full name, members by their signature;
/// compiler-generated members of records (EqualityContract, PrintMembers, Equals, GetHashCode, ToString,
/// ==, !=, the copy constructor, &lt;Clone&gt;$) are left out: they follow from the word "record".
/// </summary>
public static class PublicApi
{
    static readonly SymbolDisplayFormat TypeName = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeVariance,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier
                              | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    static readonly SymbolDisplayFormat Constraints = TypeName.WithGenericsOptions(
        SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeTypeConstraints);

    static readonly SymbolDisplayFormat Member = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeTypeConstraints
                         | SymbolDisplayGenericsOptions.IncludeVariance,
        memberOptions: SymbolDisplayMemberOptions.IncludeAccessibility | SymbolDisplayMemberOptions.IncludeModifiers
                       | SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeParameters
                       | SymbolDisplayMemberOptions.IncludeRef | SymbolDisplayMemberOptions.IncludeExplicitInterface
                       | SymbolDisplayMemberOptions.IncludeConstantValue,
        kindOptions: SymbolDisplayKindOptions.IncludeMemberKeyword,
        propertyStyle: SymbolDisplayPropertyStyle.ShowReadWriteDescriptor,
        parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName
                          | SymbolDisplayParameterOptions.IncludeDefaultValue | SymbolDisplayParameterOptions.IncludeParamsRefOut
                          | SymbolDisplayParameterOptions.IncludeExtensionThis,
        delegateStyle: SymbolDisplayDelegateStyle.NameAndSignature,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier
                              | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    /// <summary>
    /// The listing of the assembly at <paramref name="assemblyPath"/>. Types in signatures resolve against the .NET
    /// runtime's assemblies and the other assemblies in the same folder (a test's output folder holds them all).
    /// </summary>
    public static string List(string assemblyPath)
    {
        var target = MetadataReference.CreateFromFile(assemblyPath);
        var compilation = CSharpCompilation.Create("PublicApiListing", references: [target, .. References(assemblyPath)]);
        var assembly = (IAssemblySymbol?)compilation.GetAssemblyOrModuleSymbol(target)
                       ?? throw new InvalidOperationException($"{assemblyPath} is not a .NET assembly");
        var sb = new StringBuilder();
        sb.Append("// Public API of ").Append(assembly.Name).Append(" (Tests/GraphSSL.TestUtilities/PublicApi.cs). Accept a deliberate change with ")
          .Append(TextSnapshot.AcceptVariable).Append("=1.\n");
        foreach (var type in Types(assembly.GlobalNamespace).OrderBy(t => t.ToDisplayString(TypeName), StringComparer.Ordinal))
        {
            sb.Append('\n').Append(Header(type)).Append('\n');
            // Constructors, fields, properties, events, methods, operators; each group by name, then signature.
            foreach (var (_, _, line) in Members(type).OrderBy(m => m.Rank).ThenBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.Line, StringComparer.Ordinal))
                sb.Append("    ").Append(line).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// Compares the listing of <paramref name="assemblyPath"/> with the approved file <paramref name="approved"/>
    /// (e.g. <c>Api/GraphSSL.Runtime.api.txt</c>); a difference fails with the added and removed lines by type.
    /// </summary>
    public static void Verify(string assemblyPath, string approved)
        => Verify(List(assemblyPath), approved, Path.ChangeExtension(approved, ".received.txt"));

    /// <summary>Compares a listing (already made) with an approved file.</summary>
    public static void Verify(string listing, string approved, string received)
        => TextSnapshot.Verify(listing, approved, received, Diff, "and rerun; then review the .api.txt change in git");

    /// <summary>
    /// The difference between two listings as "Removed" and "Added" lines, each member with the type it belongs to.
    /// </summary>
    public static string Diff(string expected, string actual)
    {
        var before = Entries(expected);
        var after = Entries(actual);
        var removed = before.Except(after).ToList();
        var added = after.Except(before).ToList();
        var sb = new StringBuilder();
        sb.Append($"Public API changed: {removed.Count} line(s) removed, {added.Count} added.\n");
        Section(sb, "Removed", '-', removed);
        Section(sb, "Added", '+', added);
        return sb.ToString();
    }

    static void Section(StringBuilder sb, string title, char sign, List<(string Type, string? Member)> entries)
    {
        if (entries.Count == 0) return;
        sb.Append(title).Append(":\n");
        foreach (var group in entries.GroupBy(e => e.Type))
        {
            if (group.Any(e => e.Member is null)) sb.Append(sign).Append(' ').Append(group.Key).Append('\n');
            else sb.Append("  in ").Append(group.Key).Append('\n');
            foreach (var (_, member) in group)
                if (member is not null) sb.Append(sign).Append("     ").Append(member).Append('\n');
        }
    }

    /// <summary>Each line of a listing with the type header it stands under (headers themselves with a null member).</summary>
    static List<(string Type, string? Member)> Entries(string listing)
    {
        var entries = new List<(string, string?)>();
        string header = "";
        foreach (var raw in TextSnapshot.Normalize(listing).Split('\n'))
        {
            if (raw.Length == 0 || raw.StartsWith("//", StringComparison.Ordinal)) continue;
            if (raw.StartsWith(' ')) entries.Add((header, raw.Trim()));
            else { header = raw; entries.Add((header, null)); }
        }
        return entries;
    }

    static IEnumerable<MetadataReference> References(string assemblyPath)
    {
        // The test host's trusted assemblies (the framework and the test's own dependencies), then whatever else
        // lies beside the assembly; never the assembly itself a second time.
        var full = Path.GetFullPath(assemblyPath);
        var self = Path.GetFileName(full);
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !string.Equals(Path.GetFileName(p), self, StringComparison.OrdinalIgnoreCase)).ToList();
        var names = new HashSet<string>(platform.Select(p => Path.GetFileName(p)), StringComparer.OrdinalIgnoreCase);
        var siblings = Directory.EnumerateFiles(Path.GetDirectoryName(full)!, "*.dll")
            .Where(p => !string.Equals(Path.GetFileName(p), self, StringComparison.OrdinalIgnoreCase) && !names.Contains(Path.GetFileName(p)) && IsManaged(p));
        return platform.Concat(siblings).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
    }

    static bool IsManaged(string path)
    {
        try { AssemblyName.GetAssemblyName(path); return true; }
        catch (BadImageFormatException) { return false; }
        catch (FileLoadException) { return false; }
    }

    static IEnumerable<INamedTypeSymbol> Types(INamespaceSymbol ns)
    {
        foreach (var type in ns.GetTypeMembers())
            foreach (var t in VisibleTypes(type)) yield return t;
        foreach (var child in ns.GetNamespaceMembers())
            foreach (var t in Types(child)) yield return t;
    }

    static IEnumerable<INamedTypeSymbol> VisibleTypes(INamedTypeSymbol type)
    {
        if (!Visible(type) || !type.CanBeReferencedByName) yield break;
        yield return type;
        foreach (var nested in type.GetTypeMembers())
            foreach (var t in VisibleTypes(nested)) yield return t;
    }

    static bool Visible(ISymbol symbol)
        => symbol.DeclaredAccessibility is Microsoft.CodeAnalysis.Accessibility.Public or Microsoft.CodeAnalysis.Accessibility.Protected or Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal
           && (symbol.ContainingType is null || Visible(symbol.ContainingType));

    static string AccessText(ISymbol symbol) => symbol.DeclaredAccessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        var other => other.ToString().ToLowerInvariant(),
    };

    static string Header(INamedTypeSymbol type)
    {
        var sb = new StringBuilder(AccessText(type)).Append(' ');
        if (type.TypeKind == TypeKind.Delegate)
        {
            var invoke = type.DelegateInvokeMethod!;
            sb.Append("delegate ").Append(invoke.ReturnType.ToDisplayString(Member)).Append(' ').Append(type.ToDisplayString(Constraints))
              .Append('(').Append(string.Join(", ", invoke.Parameters.Select(p => p.ToDisplayString(Member)))).Append(')');
            return sb.ToString();
        }
        if (type.IsStatic) sb.Append("static ");
        else if (type.IsAbstract && type.TypeKind == TypeKind.Class) sb.Append("abstract ");
        else if (type.IsSealed && type.TypeKind == TypeKind.Class) sb.Append("sealed ");
        if (type.TypeKind == TypeKind.Struct && type.IsReadOnly) sb.Append("readonly ");
        if (type.TypeKind == TypeKind.Struct && type.IsRefLikeType) sb.Append("ref ");
        sb.Append(type.TypeKind switch
        {
            TypeKind.Class => type.IsRecord ? "record" : "class",
            TypeKind.Struct => type.IsRecord ? "record struct" : "struct",
            TypeKind.Interface => "interface",
            TypeKind.Enum => "enum",
            var other => other.ToString().ToLowerInvariant(),
        });
        sb.Append(' ').Append(type.ToDisplayString(TypeName));
        var bases = new List<string>();
        if (type.TypeKind == TypeKind.Enum && type.EnumUnderlyingType is { SpecialType: not SpecialType.System_Int32 } underlying)
            bases.Add(underlying.ToDisplayString(TypeName));
        if (type.TypeKind == TypeKind.Class && type.BaseType is { SpecialType: not SpecialType.System_Object } baseType)
            bases.Add(baseType.ToDisplayString(TypeName));
        bases.AddRange(type.Interfaces.Where(Visible).Select(i => i.ToDisplayString(TypeName)).OrderBy(n => n, StringComparer.Ordinal));
        if (bases.Count > 0) sb.Append(" : ").Append(string.Join(", ", bases));
        var full = type.ToDisplayString(Constraints);
        var where = full.IndexOf(" where ", StringComparison.Ordinal);
        if (where >= 0) sb.Append(full[where..]);
        return sb.ToString();
    }

    static IEnumerable<(int Rank, string Name, string Line)> Members(INamedTypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Delegate) yield break; // the header has the signature
        foreach (var member in type.GetMembers())
        {
            if (!Visible(member) || member is INamedTypeSymbol) continue;
            if (type.IsRecord && IsCompilerGenerated(member)) continue;
            switch (member)
            {
                case IMethodSymbol method:
                    if (method.MethodKind is MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove
                        or MethodKind.EventRaise or MethodKind.StaticConstructor) continue;
                    if (method.MethodKind == MethodKind.Ordinary && !method.CanBeReferencedByName) continue;
                    // The parameterless constructor of a struct or enum is the language's, not the assembly's.
                    if (type.TypeKind is TypeKind.Struct or TypeKind.Enum && method.MethodKind == MethodKind.Constructor && method.IsImplicitlyDeclared) continue;
                    var rank = method.MethodKind switch
                    {
                        MethodKind.Constructor => 0,
                        MethodKind.UserDefinedOperator or MethodKind.Conversion => 5,
                        _ => 4,
                    };
                    yield return (rank, method.Name, method.ToDisplayString(Member));
                    break;
                case IPropertySymbol property:
                    yield return (2, property.Name, Property(property));
                    break;
                case IFieldSymbol field:
                    if (type.TypeKind == TypeKind.Enum) { yield return (1, Convert.ToString(field.ConstantValue, System.Globalization.CultureInfo.InvariantCulture)!.PadLeft(20, '0'), $"{field.Name} = {Convert.ToString(field.ConstantValue, System.Globalization.CultureInfo.InvariantCulture)}"); break; }
                    if (!field.CanBeReferencedByName) continue;
                    yield return (1, field.Name, field.ToDisplayString(Member));
                    break;
                case IEventSymbol e:
                    yield return (3, e.Name, e.ToDisplayString(Member));
                    break;
            }
        }
    }

    /// <summary>A property with the accessors a consumer can call (<c>get; init;</c>, <c>get; protected set;</c>).</summary>
    static string Property(IPropertySymbol property)
    {
        var text = property.ToDisplayString(Member);
        var brace = text.LastIndexOf(" {", StringComparison.Ordinal);
        if (brace < 0) return text;
        var accessors = new List<string>();
        if (property.GetMethod is { } get && Visible(get)) accessors.Add(Accessor(property, get, "get"));
        if (property.SetMethod is { } set && Visible(set)) accessors.Add(Accessor(property, set, set.IsInitOnly ? "init" : "set"));
        return text[..brace] + " { " + string.Join(" ", accessors) + " }";
    }

    static string Accessor(IPropertySymbol property, IMethodSymbol accessor, string keyword)
        => (accessor.DeclaredAccessibility == property.DeclaredAccessibility ? "" : AccessText(accessor) + " ") + keyword + ";";

    static bool IsCompilerGenerated(ISymbol symbol)
        => symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.Runtime.CompilerServices.CompilerGeneratedAttribute");
}
