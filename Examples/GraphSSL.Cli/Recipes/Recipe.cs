using System.Globalization;
using GraphSSL.Data;
using GraphSSL.Evaluation;
using GraphSSL.Training;

namespace GraphSSL.Cli.Recipes;

/// <summary>A published accuracy: mean ± std over the paper's runs, in percent.</summary>
public sealed record Published(double Mean, double Std);

/// <summary>
/// How a paper evaluated its embeddings: which classifier, the C grid, inner and outer folds, whether the
/// embeddings were standardised, and the fold seed rule.
/// </summary>
/// <param name="Evaluator">The classifier.</param>
/// <param name="CGrid">Values of C searched by the inner cross-validation.</param>
/// <param name="Folds">Outer stratified folds.</param>
/// <param name="InnerFolds">Inner folds choosing C on the training folds only (0: no search, the single C in the grid).</param>
/// <param name="Standardize">Standardise embeddings with the training folds' statistics before the classifier.</param>
/// <param name="FoldSeed">Outer-fold seed: null means the run's seed (folds differ per seed), a value fixes them for every seed.</param>
/// <param name="Description">The paper's protocol in words, with its source.</param>
public sealed record RecipeEvaluation(Evaluator Evaluator, double[] CGrid, int Folds, int InnerFolds, bool Standardize, int? FoldSeed, string Description)
{
    /// <summary>The runtime's evaluation options for one seed.</summary>
    public EvalOptions Options(long seed) => new(Evaluator, Folds, InnerFolds, FoldSeed ?? (int)seed, CGrid) { Standardize = Standardize };
}

/// <summary>
/// One paper's unsupervised TU setting, fixed: the declared model and its hyperparameters, the views, the
/// optimiser, epochs and batch size, how features are prepared, the seeds, the evaluation as the paper ran it,
/// and the published numbers. Every setting is taken from the authors' code; <see cref="Sources"/> cites
/// file and line. Versioned: a change to any setting is a new <see cref="Version"/>.
/// </summary>
/// <param name="Name">Recipe name as typed on the command line (e.g. "graphcl").</param>
/// <param name="Version">Bumped whenever a setting changes; recorded with every result.</param>
/// <param name="Paper">The paper, e.g. "GraphCL (You et al., NeurIPS 2020)".</param>
/// <param name="Model">Declared model name (a catalog entry).</param>
/// <param name="Views">Augmentation names for the model's open views.</param>
/// <param name="Sets">Hyperparameter overrides as <c>--set</c> text.</param>
/// <param name="Options">Optimiser, epochs, batch size (seed and threads are set per run).</param>
/// <param name="PerDataset">Dataset name (upper case) → the settings that differ for it (GraphMAE tunes per dataset).</param>
/// <param name="Features">Node attributes kept or dropped, self-loops.</param>
/// <param name="Seeds">The seeds the paper's numbers are over (or the count it reports, as 0 … n − 1).</param>
/// <param name="Evaluation">The paper's evaluation protocol.</param>
/// <param name="PublishedResults">Dataset name (upper case) → the paper's number.</param>
/// <param name="Sources">Where each setting comes from: file:line in the authors' repository.</param>
/// <param name="Deviations">What this recipe does differently from the authors' code, and why.</param>
public sealed record Recipe(string Name, int Version, string Paper, string Model, string[] Views, string[] Sets, TrainOptions Options,
    IReadOnlyDictionary<string, DatasetSettings> PerDataset, FeatureHandling Features, long[] Seeds, RecipeEvaluation Evaluation, IReadOnlyDictionary<string, Published> PublishedResults,
    string[] Sources, string[] Deviations)
{
    /// <summary>"graphcl/2", or for a variant "graphcl/2 + epochs=100".</summary>
    public string Id => Name + "/" + Version.ToString(CultureInfo.InvariantCulture) + (IsVariant ? " + " + VariantDescription : "");

    /// <summary>Hyperparameter settings added after the recipe's own (<c>reproduce --set</c>): a variant of the recipe.</summary>
    public string[] ExtraSets { get; init; } = [];

    /// <summary>Epochs instead of the recipe's (<c>reproduce --epochs</c>): a variant of the recipe.</summary>
    public int? ExtraEpochs { get; init; }

    /// <summary>Learning rate instead of the recipe's (<c>reproduce --lr</c>): a variant of the recipe.</summary>
    public double? ExtraLearningRate { get; init; }

    /// <summary>Whether settings were added to the paper's (the recipe's <see cref="Id"/> then names them).</summary>
    public bool IsVariant => ExtraSets.Length > 0 || ExtraEpochs is not null || ExtraLearningRate is not null;

    /// <summary>The added settings, e.g. <c>Encoder.Hidden=128, epochs=100, lr=0.001</c>; empty for the recipe itself.</summary>
    public string VariantDescription =>
        string.Join(", ", ExtraSets
            .Concat(ExtraEpochs is { } e ? ["epochs=" + e.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>())
            .Concat(ExtraLearningRate is { } lr ? ["lr=" + lr.ToString("R", CultureInfo.InvariantCulture)] : Array.Empty<string>()));

    /// <summary>
    /// The overrides and options for <paramref name="dataset"/>: the recipe's own unless <see cref="PerDataset"/> has it,
    /// then <see cref="ExtraSets"/>, <see cref="ExtraEpochs"/> and <see cref="ExtraLearningRate"/>.
    /// </summary>
    public (string[] Sets, TrainOptions Options) For(string dataset)
    {
        var (sets, options) = PerDataset.TryGetValue(dataset.ToUpperInvariant(), out var d) ? ([.. Sets, .. d.Sets], d.Options ?? Options) : (Sets, Options);
        if (ExtraEpochs is { } epochs) options = options with { Epochs = epochs };
        if (ExtraLearningRate is { } learningRate) options = options with { LearningRate = learningRate };
        return ([.. sets, .. ExtraSets], options);
    }

    /// <summary>The published number for <paramref name="dataset"/>, or null.</summary>
    public Published? PublishedFor(string dataset) => PublishedResults.TryGetValue(dataset.ToUpperInvariant(), out var p) ? p : null;
}

/// <summary>Settings that differ for one dataset: more <c>--set</c> overrides and, when given, other training options.</summary>
public sealed record DatasetSettings(string[] Sets, TrainOptions? Options = null);

/// <summary>Ours against the paper: within one published std of its mean, below or above.</summary>
public static class Verdict
{
    /// <summary>"within noise" when |ours − published| ≤ the published std (or ≤ 0.5 points when it reports none), else "below" or "above".</summary>
    public static string Of(double ours, Published published)
    {
        double tolerance = published.Std > 0 ? published.Std : 0.5;
        if (Math.Abs(ours - published.Mean) <= tolerance) return "within noise";
        return ours < published.Mean ? "below" : "above";
    }
}
