using System.Globalization;
using GraphSSL.Generated;

namespace GraphSSL.Cli;

/// <summary>Builds a model value from the generated catalog and command-line choices.</summary>
public static class ModelFactory
{
    /// <summary>The declaration called <paramref name="name"/> of <paramref name="kind"/>, or a user error listing the choices.</summary>
    public static Declaration Find(string name, DeclarationKind kind)
    {
        var candidates = GraphSslCatalog.All.Where(d => d.Kind == kind).ToList();
        return candidates.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new UserErrorException(
                $"No {kind.ToString().ToLowerInvariant()} named '{name}'. Declared: {string.Join(", ", candidates.Select(d => d.Name))}. (`graphssl list` shows them all.)");
    }

    /// <summary>
    /// Creates model <paramref name="modelName"/> with its declared encoder (or <paramref name="encoderName"/>)
    /// and the augmentations named, then applies <c>--set</c> overrides: <c>Name=value</c> for the model,
    /// <c>Encoder.Name=value</c> for the encoder, <c>View.Name=value</c> (or <c>View1.</c>/<c>View2.</c>) for augmentations.
    /// </summary>
    public static ISslModel Create(string modelName, string? encoderName, IReadOnlyList<string> augmentationNames, IReadOnlyList<string> sets)
    {
        var model = Find(modelName, DeclarationKind.Model);
        if (model.Components.Count < 2)
            throw new UserErrorException($"Model '{model.Name}' declares {model.Components.Count} components; expected an encoder and one or two augmentations.");
        var viewCount = model.Components.Count - 1;
        var encoderDecl = Find(encoderName ?? model.Components[0], DeclarationKind.Encoder);
        if (augmentationNames.Count == 0)
            throw new UserErrorException("Name an augmentation with --augmentation (see `graphssl list`).");
        if (augmentationNames.Count > viewCount)
            throw new UserErrorException($"Model '{model.Name}' takes {viewCount} augmentation(s); {augmentationNames.Count} given.");

        IDeclared encoder = encoderDecl.Create(Array.Empty<object>());
        var views = new IDeclared[viewCount];
        for (int i = 0; i < viewCount; i++)
            views[i] = Find(augmentationNames[Math.Min(i, augmentationNames.Count - 1)], DeclarationKind.Augmentation).Create(Array.Empty<object>());

        var modelSets = new List<(string Name, string Value)>();
        foreach (var set in sets)
        {
            var eq = set.IndexOf('=');
            if (eq <= 0) throw new UserErrorException($"--set '{set}': expected Name=value, e.g. Temperature=0.5 or Encoder.Hidden=128.");
            var key = set[..eq].Trim();
            var value = set[(eq + 1)..].Trim();
            var dot = key.IndexOf('.');
            if (dot < 0) { modelSets.Add((key, value)); continue; }
            var target = key[..dot];
            var name = key[(dot + 1)..];
            if (target.Equals("Encoder", StringComparison.OrdinalIgnoreCase)) encoder = encoder.WithHyperParameter(name, value);
            else if (target.Equals("View", StringComparison.OrdinalIgnoreCase)) for (int i = 0; i < viewCount; i++) views[i] = views[i].WithHyperParameter(name, value);
            else if (target.StartsWith("View", StringComparison.OrdinalIgnoreCase)
                     && int.TryParse(target.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1 && k <= viewCount)
                views[k - 1] = views[k - 1].WithHyperParameter(name, value);
            else throw new UserErrorException($"--set '{set}': '{target}' is not Encoder, View or View1..View{viewCount}.");
        }

        IDeclared created;
        try
        {
            created = model.Create(new object[] { encoder }.Concat(views).ToArray());
        }
        catch (InvalidCastException)
        {
            throw new UserErrorException($"Model '{model.Name}' needs an encoder of type {model.Components[0]}; '{encoderDecl.Name}' is not one.");
        }
        foreach (var (name, value) in modelSets) created = created.WithHyperParameter(name, value);
        return (ISslModel)created;
    }

    /// <summary>Hyperparameters of the model and its components as a flat name → value map, for reports.</summary>
    public static SortedDictionary<string, string> Describe(ISslModel model)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var h in model.HyperParameters) map[h.Name] = h.Value;
        foreach (var property in model.GetType().GetProperties())
        {
            if (property.GetIndexParameters().Length > 0) continue;
            if (property.GetValue(model) is IDeclared component && !ReferenceEquals(component, model))
            {
                map[property.Name] = component.DeclaredName;
                foreach (var h in component.HyperParameters) map[$"{property.Name}.{h.Name}"] = h.Value;
            }
        }
        return map;
    }
}
