using System.Collections;
using System.Reflection;
using GraphSSL.Generators.Common;
using GraphSSL.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GraphSSL.Generators.Tests;

/// <summary>The incremental pipeline caches: unchanged and unrelatedly edited compilations redo no work, and no step holds symbols or syntax.</summary>
public class CachingTests
{
    private static readonly string[] StepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    private static (GeneratorDriverRunResult First, GeneratorDriverRunResult Second) RunTwice(Func<Compilation, Compilation> change)
    {
        var compilation = GeneratorHarness.Compile(Sources.Readme, Sources.TwoViews, Sources.Composed, Sources.Open);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var first = driver.GetRunResult();
        driver = driver.RunGenerators(change(compilation));
        return (first, driver.GetRunResult());
    }

    [Fact]
    public void EveryNamedStepRunsAndHoldsNoSymbolsOrSyntax()
    {
        var (first, _) = RunTwice(c => c);
        var steps = first.Results[0].TrackedSteps;
        foreach (var name in StepNames)
        {
            Assert.True(steps.ContainsKey(name), $"step {name} was not tracked");
            foreach (var step in steps[name])
                foreach (var (value, _) in step.Outputs)
                    AssertNoForbiddenTypes(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance));
        }
    }

    [Fact]
    public void SameCompilationIsFullyCached() => AssertCached(RunTwice(c => c).Second);

    [Fact]
    public void UnrelatedNewFileKeepsEverythingCached()
        => AssertCached(RunTwice(c => c.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Other; public static class Helper { public static int Two => 2; }", GeneratorHarness.ParseOptions, path: "/src/Helper.cs"))).Second);

    [Fact]
    public void EditingOneDeclarationRegeneratesOnlyWhatChanged()
    {
        // Positive control for the assertions above: changing a default must be seen (Modified), or
        // "everything cached" would also pass for a pipeline that never looks at its input.
        var (_, second) = RunTwice(c =>
        {
            var old = c.SyntaxTrees.First();
            var edited = old.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Sources.Readme.Replace("Hidden = 64", "Hidden = 65")));
            return c.ReplaceSyntaxTree(old, edited);
        });
        var steps = second.Results[0].TrackedSteps;
        Assert.Contains(steps[TrackingNames.ValidEncoders].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(steps[TrackingNames.Catalog].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        // The augmentations did not change.
        Assert.All(steps[TrackingNames.ValidAugmentations].SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
    }

    private static void AssertCached(GeneratorDriverRunResult result)
    {
        var steps = result.Results[0].TrackedSteps;
        foreach (var name in StepNames)
        {
            Assert.True(steps.ContainsKey(name), $"step {name} was not tracked");
            foreach (var step in steps[name])
                foreach (var (_, reason) in step.Outputs)
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name}: {reason}");
        }
        foreach (var output in result.Results[0].TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs))
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output: {output.Reason}");
    }

    private static void AssertNoForbiddenTypes(object? value, string step, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum) return;
        if (!value.GetType().IsValueType && !seen.Add(value)) return;
        Assert.False(value is ISymbol or SyntaxNode or Compilation or SemanticModel or Location or SyntaxTree,
            $"step {step} holds a {value.GetType().Name}");
        Assert.False(value is Array && value.GetType().GetElementType() is { IsPrimitive: false } && value.GetType() != typeof(string[]),
            $"step {step} holds a plain array {value.GetType().Name} (use EquatableArray)");
        if (value is IEnumerable items)
        {
            foreach (var item in items) AssertNoForbiddenTypes(item, step, seen);
        }
        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            if (field.FieldType.IsPointer) continue;
            var inner = field.GetValue(value);
            if (inner is Array && field.DeclaringType!.IsGenericType && field.DeclaringType.GetGenericTypeDefinition() == typeof(EquatableArray<>))
            {
                foreach (var item in (Array)inner) AssertNoForbiddenTypes(item, step, seen);
                continue;
            }
            AssertNoForbiddenTypes(inner, step, seen);
        }
    }
}
