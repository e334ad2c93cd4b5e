using System.Globalization;
using GraphSSL.Cli.Expressions;
using GraphSSL.Generated;
using GraphSSL.Training;
using GraphSSL.Augmentations;
using GraphSSL.Cli.Vocabulary;

namespace GraphSSL.Cli.Pipeline;

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

    /// <summary>What one component slot of a model holds.</summary>
    public enum SlotKind { Encoder, View, Objective }

    /// <summary>
    /// A model's component slot: what it holds and the declared type (a declaration's name or an interface such as
    /// IAugmentation). Open slots (IGraphEncoder, IAugmentation, AnyView) take the --encoder / --view expressions.
    /// </summary>
    public sealed record Slot(SlotKind Kind, string Type, bool Open)
    {
        /// <summary>Whether the slot also takes a view made by a changed encoder (PerturbWeights): an <see cref="AnyView"/> slot.</summary>
        public bool TakesEncoderViews => Type == nameof(AnyView);
    }

    /// <summary>The component slots of <paramref name="model"/>, in order.</summary>
    public static IReadOnlyList<Slot> Slots(Declaration model)
        => model.Components.Select(type =>
        {
            var declared = GraphSslCatalog.All.FirstOrDefault(d => d.Name == type && d.Kind != DeclarationKind.Model);
            return declared?.Kind switch
            {
                DeclarationKind.Encoder => new Slot(SlotKind.Encoder, type, false),
                DeclarationKind.Objective => new Slot(SlotKind.Objective, type, false),
                DeclarationKind.Augmentation => new Slot(SlotKind.View, type, false),
                _ => type == "IGraphEncoder" ? new Slot(SlotKind.Encoder, type, true) : new Slot(SlotKind.View, type, true),
            };
        }).ToList();

    /// <summary>The model trained when neither --model nor --objective is given.</summary>
    public const string DefaultModel = "GraphClr";

    /// <summary>The augmentation used when none is named: GraphCL's node dropping.</summary>
    public const string DefaultAugmentation = "DropNodes";

    /// <summary>The encoder of a generic model when no --encoder is given: the study's GIN.</summary>
    public const string DefaultEncoder = "MolGin";

    /// <summary>Generic models are named after their objective: <c>Generic{Objective}</c> (Vocabulary/Vocabulary.cs).</summary>
    public const string GenericPrefix = "Generic";

    /// <summary>How many views of <paramref name="model"/> take an augmentation named on the command line.</summary>
    public static int OpenViews(Declaration model) => Slots(model).Count(s => s.Kind == SlotKind.View && s.Open);

    /// <summary>Whether <paramref name="name"/> is a declared model (else, in grids, an objective expression).</summary>
    public static bool IsModel(string name)
        => GraphSslCatalog.All.Any(d => d.Kind == DeclarationKind.Model && string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The model a command line trains: <paramref name="modelName"/> when given, else the generic model of the objective
    /// <paramref name="objective"/> (an expression), else <see cref="DefaultModel"/>.
    /// </summary>
    public static Declaration Resolve(string? modelName, string? objective, string objectiveOption = "--objective")
    {
        if (modelName is not null) return Find(modelName, DeclarationKind.Model);
        if (objective is null) return Find(DefaultModel, DeclarationKind.Model);
        var value = (IDeclared)ComponentExpressions.Evaluate(objectiveOption, objective, ComponentKind.Objective);
        return GraphSslCatalog.All.FirstOrDefault(d => d.Kind == DeclarationKind.Model && d.Name == GenericPrefix + value.DeclaredName)
            ?? throw new UserErrorException(
                $"{objectiveOption} {value.DeclaredName}: no generic model trains it. Declare one beside the others in Vocabulary/Vocabulary.cs, e.g. " +
                $"[SslModel, Projector(Layers = 2)] public partial record {GenericPrefix}{value.DeclaredName}(IGraphEncoder Encoder, AnyView View1, AnyView View2, {value.DeclaredName} Objective);");
    }

    /// <summary>
    /// Creates a model value. The model is <see cref="Resolve"/>'s; its open encoder slot takes <paramref name="encoder"/>
    /// (an expression; default <see cref="DefaultEncoder"/>; a declared slot accepts only its own type, with arguments),
    /// its open views the <paramref name="viewTexts"/> expressions (one for all, or one each; default
    /// <see cref="DefaultAugmentation"/>), its objective <paramref name="objective"/> (an expression; with --model it
    /// must name the model's objective and changes its hyperparameters). Then <c>--set</c> overrides:
    /// <c>Name=value</c> for the model (its heads and weights, or else the hyperparameter of the one objective that
    /// has it), <c>Encoder.Name=value</c>, <c>View.Name=value</c> (or <c>View1.</c>/<c>View2.</c>) for the views,
    /// <c>Objective.Name=value</c> (or <c>Objective1.</c>…) for the objectives.
    /// </summary>
    public static ISslModel Create(string? modelName, string? encoder, IReadOnlyList<string> viewTexts, string? objective, IReadOnlyList<string> sets,
        string viewOption = "--view", string objectiveOption = "--objective")
    {
        var model = Resolve(modelName, objective, objectiveOption);
        var slots = Slots(model);
        int openViews = slots.Count(s => s.Kind == SlotKind.View && s.Open);
        int objectiveSlots = slots.Count(s => s.Kind == SlotKind.Objective);
        if (viewTexts.Count > Math.Max(openViews, 1) || (openViews == 0 && viewTexts.Count > 0))
            throw new UserErrorException($"Model '{model.Name}' takes {openViews} view expression(s) ({viewOption}); {viewTexts.Count} given.");
        if (viewTexts.Count == 0 && openViews > 0) viewTexts = new[] { DefaultAugmentation };
        if (objective is not null && objectiveSlots != 1)
            throw new UserErrorException($"Model '{model.Name}' sums {objectiveSlots} objectives; change them with --set Objective1.Name=value … instead of {objectiveOption}.");

        var components = new IDeclared[slots.Count];
        var views = new List<int>();
        var objectives = new List<int>();
        int open = 0;
        string? encoderName = null;
        for (int i = 0; i < slots.Count; i++)
        {
            var slot = slots[i];
            switch (slot.Kind)
            {
                case SlotKind.Encoder:
                    var encoderText = encoder ?? (slot.Open ? DefaultEncoder : slot.Type);
                    components[i] = (IDeclared)ComponentExpressions.Evaluate("--encoder", encoderText, ComponentKind.Encoder);
                    encoderName = components[i].DeclaredName;
                    break;
                case SlotKind.View when slot.Open:
                    var text = viewTexts[Math.Min(open++, viewTexts.Count - 1)];
                    var view = ComponentExpressions.Evaluate(viewOption, text, ComponentKind.View, encoderViews: slot.TakesEncoderViews);
                    components[i] = slot.TakesEncoderViews ? new AnyView(view, text.Trim()) : view as IDeclared ?? new ExpressionView((IAugmentation)view, text.Trim());
                    views.Add(i);
                    break;
                case SlotKind.View:
                    components[i] = Find(slot.Type, DeclarationKind.Augmentation).Create(Array.Empty<object>());
                    views.Add(i);
                    break;
                default:
                    if (objective is not null)
                    {
                        var value = (IDeclared)ComponentExpressions.Evaluate(objectiveOption, objective, ComponentKind.Objective);
                        if (value.DeclaredName != slot.Type)
                            throw new UserErrorException(
                                $"{objectiveOption} {value.DeclaredName}: model '{model.Name}' trains {slot.Type}. Leave out --model to train {value.DeclaredName} with its generic model.");
                        components[i] = value;
                    }
                    else components[i] = Find(slot.Type, DeclarationKind.Objective).Create(Array.Empty<object>());
                    objectives.Add(i);
                    break;
            }
        }

        var modelSets = new List<(string Name, string Value)>();
        foreach (var set in sets)
        {
            var eq = set.IndexOf('=');
            if (eq <= 0) throw new UserErrorException($"--set '{set}': expected Name=value, e.g. Objective.Temperature=0.5 or Encoder.Hidden=128.");
            var key = set[..eq].Trim();
            var value = set[(eq + 1)..].Trim();
            var dot = key.IndexOf('.');
            if (dot < 0)
            {
                if (model.Defaults.Any(h => string.Equals(h.Name, key, StringComparison.OrdinalIgnoreCase))) { modelSets.Add((key, value)); continue; }
                // Not the model's own (heads, weights): the hyperparameter of the one objective that has it, e.g. Temperature.
                var owners = objectives.Where(o => components[o].HyperParameters.Any(h => string.Equals(h.Name, key, StringComparison.OrdinalIgnoreCase))).ToList();
                if (owners.Count != 1)
                    throw new UserErrorException(owners.Count == 0
                        ? $"--set {key}: '{model.Name}' and its objectives have no hyperparameter '{key}'. Model: {string.Join(", ", model.Defaults.Select(h => h.Name).DefaultIfEmpty("(none)"))}; objectives: {string.Join(", ", objectives.SelectMany(o => components[o].HyperParameters.Select(h => "Objective." + h.Name)).DefaultIfEmpty("(none)"))}."
                        : $"--set {key}: several objectives have '{key}'; say which with Objective1.{key} … Objective{objectives.Count}.{key}.");
                components[owners[0]] = components[owners[0]].WithHyperParameter(key, value);
                continue;
            }
            var target = key[..dot];
            var hyper = key[(dot + 1)..];
            var encoderSlot = Array.FindIndex(slots.ToArray(), s => s.Kind == SlotKind.Encoder);
            if (target.Equals("Encoder", StringComparison.OrdinalIgnoreCase) && encoderSlot >= 0) components[encoderSlot] = components[encoderSlot].WithHyperParameter(hyper, value);
            else if (!SetIndexed(target, "View", views, components, hyper, value)
                     && !SetIndexed(target, "Objective", objectives, components, hyper, value))
                throw new UserErrorException($"--set '{set}': '{target}' is not Encoder, View, View1..View{views.Count}, Objective or Objective1..Objective{objectives.Count}.");
        }

        IDeclared created;
        try
        {
            created = model.Create(components);
        }
        catch (InvalidCastException)
        {
            throw new UserErrorException($"Model '{model.Name}' needs an encoder of type {slots.First(s => s.Kind == SlotKind.Encoder).Type}; '{encoderName}' is not one. Leave out --model (and give --objective) to train any encoder with a generic model.");
        }
        foreach (var (name, value) in modelSets) created = created.WithHyperParameter(name, value);
        return (ISslModel)created;
    }

    /// <summary>Applies Name=value to the component(s) <c>{prefix}</c> (all of them) or <c>{prefix}k</c> (the k-th); false when the target is not this prefix.</summary>
    static bool SetIndexed(string target, string prefix, List<int> slots, IDeclared[] components, string name, string value)
    {
        if (slots.Count == 0 || !target.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        var rest = target.AsSpan(prefix.Length);
        if (rest.Length == 0)
        {
            foreach (var i in slots) components[i] = components[i].WithHyperParameter(name, value);
            return true;
        }
        if (!int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1 || k > slots.Count) return false;
        components[slots[k - 1]] = components[slots[k - 1]].WithHyperParameter(name, value);
        return true;
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
