using System.Text;
using static TorchSharp.torch;
using GraphSSL.Batching;

namespace GraphSSL.Augmentations;

/// <summary>
/// Picks one of <see cref="Choices"/> for every graph independently (uniformly, from the training
/// generator) and applies it to that graph: <see cref="Augment.RandomChoice"/>. A value like any declared
/// augmentation: pass it as a model's <see cref="IAugmentation"/> component, e.g.
/// <c>new GraphClr(new MolGin(), new RandomChoice(new DropNodes(), new MaskAttributes()))</c>.
/// </summary>
/// <remarks>
/// Equality, hash code and <c>ToString</c> go over the elements (two choices of equal augmentations in the
/// same order are equal), so checkpoint fingerprints and sweeps see the contents, not the array reference.
/// The array is copied on the way in and out.
/// </remarks>
public sealed record RandomChoice(params IAugmentation[] Choices) : IAugmentation
{
    readonly IAugmentation[] choices = ChoiceArguments.Check(Choices, nameof(Choices), minimum: 1);

    /// <summary>The augmentations to choose from (a copy), at least one, none null.</summary>
    public IAugmentation[] Choices
    {
        get => (IAugmentation[])choices.Clone();
        init => choices = ChoiceArguments.Check(value, nameof(Choices), minimum: 1);
    }

    /// <inheritdoc />
    public GraphBatch Apply(GraphBatch batch, Generator generator) => Augment.RandomChoice(batch, choices, generator);

    /// <summary>True when <paramref name="other"/> holds equal augmentations in the same order.</summary>
    public bool Equals(RandomChoice? other) => other is not null && choices.SequenceEqual(other.choices);

    /// <inheritdoc />
    public override int GetHashCode() => ChoiceArguments.Hash(typeof(RandomChoice), choices);

    bool PrintMembers(StringBuilder builder) => ChoiceArguments.Print(builder, nameof(Choices), choices);
}

/// <summary>
/// Applies <see cref="Steps"/> one after another, each to the previous result, all drawing from the
/// training generator: <see cref="Augment.Compose"/>. No steps is the identity. Value equality over the
/// elements, as for <see cref="RandomChoice"/>.
/// </summary>
public sealed record Compose(params IAugmentation[] Steps) : IAugmentation
{
    readonly IAugmentation[] steps = ChoiceArguments.Check(Steps, nameof(Steps), minimum: 0);

    /// <summary>The augmentations in order (a copy), none null.</summary>
    public IAugmentation[] Steps
    {
        get => (IAugmentation[])steps.Clone();
        init => steps = ChoiceArguments.Check(value, nameof(Steps), minimum: 0);
    }

    /// <inheritdoc />
    public GraphBatch Apply(GraphBatch batch, Generator generator) => Augment.Compose(batch, steps, generator);

    /// <summary>True when <paramref name="other"/> holds equal augmentations in the same order.</summary>
    public bool Equals(Compose? other) => other is not null && steps.SequenceEqual(other.steps);

    /// <inheritdoc />
    public override int GetHashCode() => ChoiceArguments.Hash(typeof(Compose), steps);

    bool PrintMembers(StringBuilder builder) => ChoiceArguments.Print(builder, nameof(Steps), steps);
}

/// <summary>Validation, hashing and printing shared by <see cref="RandomChoice"/> and <see cref="Compose"/>.</summary>
static class ChoiceArguments
{
    public static IAugmentation[] Check(IAugmentation[]? items, string name, int minimum)
    {
        if (items is null) throw new ArgumentNullException(name);
        if (items.Length < minimum)
            throw new ArgumentException($"{name} needs at least {minimum} augmentation{(minimum == 1 ? "" : "s")}, but has {items.Length}.", name);
        for (int i = 0; i < items.Length; i++)
            if (items[i] is null) throw new ArgumentException($"{name}[{i}] is null.", name);
        return (IAugmentation[])items.Clone();
    }

    public static int Hash(Type type, IAugmentation[] items)
    {
        var hash = new HashCode();
        hash.Add(type);
        foreach (var item in items) hash.Add(item);
        return hash.ToHashCode();
    }

    public static bool Print(StringBuilder builder, string name, IAugmentation[] items)
    {
        builder.Append(name).Append(" = [").Append(string.Join(", ", items.Select(i => i.ToString()))).Append(']');
        return true;
    }
}
