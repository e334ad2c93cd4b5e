using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GraphSSL.Training;

namespace GraphSSL.Cli.Pipeline;

/// <summary>
/// One configuration of a sweep: which declared model, which views, and the hyperparameters the grid
/// varies. <see cref="Method"/> and <see cref="Augmentation"/> are the labels reports use.
/// </summary>
/// <param name="Index">0-based position in the grid (what <c>--shard i/n</c> selects on: index % n == i).</param>
/// <param name="Method">Report label of the model, e.g. "SimCLR".</param>
/// <param name="Model">Declared model name, e.g. "StudySimClr", or an objective expression, e.g. "VicReg(Invariance=10)", which trains that objective's generic model.</param>
/// <param name="Augmentation">Report label of the augmentation, e.g. "node_dropping".</param>
/// <param name="View1">View expression of view one for two-view models (e.g. "Raw"); null for one-view models.</param>
/// <param name="View2">View expression of the augmented view (view two, or the only view of a one-view model), e.g. "NodeDropping(0.2) + FeatureDropout(0.1)".</param>
/// <param name="BatchSize">Graphs per mini-batch.</param>
/// <param name="Layers">Encoder layers (Encoder.Layers).</param>
/// <param name="Hidden">Encoder hidden size (Encoder.Hidden).</param>
/// <param name="Sets">Further overrides as <c>--set</c> text, applied to every configuration.</param>
public sealed record GridConfig(int Index, string Method, string Model, string Augmentation, string? View1, string View2,
    int BatchSize, int Layers, int Hidden, IReadOnlyList<string> Sets)
{
    /// <summary>Encoder expression for the models' open encoder slot (generic models), e.g. "Gin(Pooling=Mean)"; null: the model's own.</summary>
    public string? Encoder { get; init; }

    /// <summary>Short human-readable name, e.g. "SimCLR/node_dropping/b64/L1/h64".</summary>
    public string Label => $"{Method}/{Augmentation}/b{BatchSize}/L{Layers}/h{Hidden}";

    /// <summary>Creates the model value from the generated catalog: views, then Encoder.Layers/Hidden (generated <c>with</c>), then <see cref="Sets"/>.</summary>
    public ISslModel CreateModel()
    {
        var views = View1 is null ? new[] { View2 } : new[] { View1, View2 };
        var sets = new List<string>
        {
            "Encoder.Layers=" + Layers.ToString(CultureInfo.InvariantCulture),
            "Encoder.Hidden=" + Hidden.ToString(CultureInfo.InvariantCulture),
        };
        sets.AddRange(Sets);
        var declared = ModelFactory.IsModel(Model);
        var model = declared ? ModelFactory.Find(Model, DeclarationKind.Model) : ModelFactory.Resolve(null, Model, "grid model");
        // The grid's encoder fills open encoder slots (generic models); a model that declares its encoder keeps it.
        var encoder = ModelFactory.Slots(model).Any(s => s.Kind == ModelFactory.SlotKind.Encoder && s.Open) ? Encoder : null;
        return declared
            ? ModelFactory.Create(Model, encoder, views, null, sets, viewOption: "grid view")
            : ModelFactory.Create(null, encoder, views, Model, sets, viewOption: "grid view", objectiveOption: "grid model");
    }
}

/// <summary>Everything that determines one run's numbers besides the configuration.</summary>
/// <param name="Dataset">Dataset name as loaded.</param>
/// <param name="Protocol">"standard" or "study".</param>
/// <param name="Epochs">Training epochs.</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="Seed">Seed of the run (initialisation, shuffling, augmentation, CV folds): sweep seed + repeat.</param>
/// <param name="SplitSeed">Seed of the study protocol's 90/10 split (equals <see cref="Seed"/> in sweeps).</param>
/// <param name="Evaluator">Evaluator name, e.g. "svc-rbf".</param>
public sealed record RunSettings(string Dataset, string Protocol, int Epochs, double LearningRate, long Seed, int SplitSeed, string Evaluator)
{
    /// <summary>
    /// The run id: the first 16 hex digits of SHA-256 over the configuration (without its index) and these
    /// settings, as canonical invariant text. Same configuration and seed → same id, in any shard or order.
    /// </summary>
    public string RunId(GridConfig c)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = string.Join(";",
            "dataset=" + Dataset, "model=" + c.Model, "method=" + c.Method, "view1=" + (c.View1 ?? "-"), "view2=" + c.View2,
            "augmentation=" + c.Augmentation, "batch=" + c.BatchSize.ToString(inv), "layers=" + c.Layers.ToString(inv),
            "hidden=" + c.Hidden.ToString(inv), "sets=" + string.Join(",", c.Sets), "protocol=" + Protocol,
            "epochs=" + Epochs.ToString(inv), "lr=" + LearningRate.ToString("R", inv), "seed=" + Seed.ToString(inv),
            "split_seed=" + SplitSeed.ToString(inv), "evaluator=" + Evaluator)
            + (c.Encoder is null ? "" : ";encoder=" + c.Encoder); // absent from older grids: their ids stay
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}

/// <summary>
/// A sweep grid: the cross product of models × augmentations × batch sizes × layers × hidden sizes, in
/// that nesting order (hidden varies fastest). The built-in <c>study</c> grid is the seed study's
/// 3 × 4 × 2 × 3 × 2 = 144 configurations; a JSON file can name any declared models and augmentations.
/// </summary>
public sealed record SweepGrid(string Name, IReadOnlyList<GridConfig> Configurations)
{
    /// <summary>The study's method labels and declared models, in report order.</summary>
    public static IReadOnlyList<(string Label, string Model)> StudyMethods { get; } =
        [("SimCLR", "StudySimClr"), ("SimSiam", "StudySimSiam"), ("BarlowTwins", "StudyBarlowTwins")];

    /// <summary>The study's augmentation labels (as in its CSV files) and declared augmentations, in report order.</summary>
    public static IReadOnlyList<(string Label, string Augmentation)> StudyAugmentations { get; } =
        [("node_dropping", "StudyNodeDropping"), ("edge_perturbation", "StudyEdgePerturbation"),
         ("attribute_masking", "StudyAttributeMasking"), ("subgraph", "StudySubgraph")];

    /// <summary>The study's grid: 144 configurations, view one raw (<c>Raw</c>), view two augmented.</summary>
    public static SweepGrid Study() => Cross("study", StudyMethods, StudyAugmentations, "Raw", [64, 256], [1, 2, 3], [64, 512], []);

    /// <summary>The schema of a grid file, for <c>sweep --help</c> and docs/RESULTS.md.</summary>
    public const string FileSchema = """
        {
          "name": "tiny",                                   (optional; default: the file name)
          "models": ["StudySimClr", {"name": "StudySimSiam", "label": "SimSiam"}],
          "augmentations": ["StudyNodeDropping", {"name": "StudySubgraph", "label": "subgraph"}],
          "view1": "Raw",            (optional; the fixed first view of two-view models; default "Raw")
          "encoder": "Gin(Pooling=Mean)", (optional; the encoder of models with an open encoder slot, i.e. generic models)
          "batch_sizes": [64, 256],
          "layers": [1, 2, 3],
          "hidden": [64, 512],
          "sets": ["Objective.Temperature=0.5"] (optional; --set overrides applied to every configuration)
        }
        Models are declared models or objective expressions ("VicReg(Invariance=10)": its generic model);
        augmentations, view1 and encoder are expressions as for `train --view/--encoder` (a declared
        name is the simplest one); a label defaults to the text. Configurations are
        models × augmentations × batch_sizes × layers × hidden, nested in that order (hidden fastest);
        index = position in that order.
        """;

    /// <summary><c>study</c> or the path of a JSON grid file (see <see cref="FileSchema"/>).</summary>
    public static SweepGrid Load(string gridOrPath)
    {
        if (string.Equals(gridOrPath, "study", StringComparison.OrdinalIgnoreCase)) return Study();
        if (!File.Exists(gridOrPath)) throw new UserErrorException($"--grid '{gridOrPath}': not 'study' and no such file.");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(gridOrPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e) { throw new UserErrorException($"{gridOrPath}: not valid JSON ({e.Message})."); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new UserErrorException($"{gridOrPath}: expected a JSON object.");
            string name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : Path.GetFileNameWithoutExtension(gridOrPath);
            var models = Named(root, "models", gridOrPath);
            var augmentations = Named(root, "augmentations", gridOrPath);
            string view1 = root.TryGetProperty("view1", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "Raw";
            var sets = root.TryGetProperty("sets", out var s) ? Strings(s, "sets", gridOrPath) : [];
            string? encoder = root.TryGetProperty("encoder", out var en) && en.ValueKind == JsonValueKind.String ? en.GetString()! : null;
            var grid = Cross(name, models, augmentations, view1,
                Ints(root, "batch_sizes", gridOrPath), Ints(root, "layers", gridOrPath), Ints(root, "hidden", gridOrPath), sets, encoder);
            // Every expression is checked now (names, arguments, ranges), with its caret message, before any run starts.
            foreach (var config in grid.Configurations.DistinctBy(c => (c.Model, c.View1, c.View2)))
                try { config.CreateModel(); }
                catch (UserErrorException e) { throw new UserErrorException($"{gridOrPath}: {e.Message}"); }
            return grid;
        }
    }

    static SweepGrid Cross(string name, IReadOnlyList<(string Label, string Name)> models, IReadOnlyList<(string Label, string Name)> augmentations,
        string view1, int[] batches, int[] layers, int[] hidden, string[] sets, string? encoder = null)
    {
        var list = new List<GridConfig>();
        foreach (var (methodLabel, model) in models)
        {
            // Models with two open views get the fixed view one; one-view models only the augmentation.
            var twoViews = ModelFactory.OpenViews(ModelFactory.IsModel(model)
                ? ModelFactory.Find(model, DeclarationKind.Model)
                : ModelFactory.Resolve(null, model, "grid model")) >= 2;
            foreach (var (augLabel, augmentation) in augmentations)
                foreach (var b in batches)
                    foreach (var l in layers)
                        foreach (var h in hidden)
                            list.Add(new GridConfig(list.Count, methodLabel, model, augLabel, twoViews ? view1 : null, augmentation, b, l, h, sets) { Encoder = encoder });
        }
        return new SweepGrid(name, list);
    }

    static List<(string Label, string Name)> Named(JsonElement root, string property, string file)
    {
        if (!root.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
            throw new UserErrorException($"{file}: '{property}' must be a non-empty array of names or {{\"name\", \"label\"}} objects.");
        var result = new List<(string, string)>();
        foreach (var e in array.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.String) { result.Add((e.GetString()!, e.GetString()!)); continue; }
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("name", out var nm) && nm.ValueKind == JsonValueKind.String)
            {
                var label = e.TryGetProperty("label", out var lb) && lb.ValueKind == JsonValueKind.String ? lb.GetString()! : nm.GetString()!;
                result.Add((label, nm.GetString()!));
                continue;
            }
            throw new UserErrorException($"{file}: every entry of '{property}' must be a name or an object with \"name\" (and optionally \"label\").");
        }
        return result;
    }

    static int[] Ints(JsonElement root, string property, string file)
    {
        if (!root.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0
            || array.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var x) || x < 1))
            throw new UserErrorException($"{file}: '{property}' must be a non-empty array of positive integers.");
        return array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
    }

    static string[] Strings(JsonElement e, string property, string file)
    {
        if (e.ValueKind != JsonValueKind.Array || e.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
            throw new UserErrorException($"{file}: '{property}' must be an array of strings.");
        return e.EnumerateArray().Select(x => x.GetString()!).ToArray();
    }
}

/// <summary><c>--shard i/n</c>: this process runs configurations whose index % n == i (0-based).</summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>All configurations (0/1).</summary>
    public static Shard All => new(0, 1);

    /// <summary>Whether configuration <paramref name="index"/> belongs to this shard.</summary>
    public bool Contains(int index) => index % Count == Index;

    /// <summary>Parses "i/n" with 0 ≤ i &lt; n.</summary>
    public static Shard Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return All;
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && i < n)
            return new Shard(i, n);
        throw new UserErrorException($"--shard '{text}': expected i/n with 0 ≤ i < n, e.g. 0/4 (a Slurm array task id or $JOB_COMPLETION_INDEX over the job count).");
    }

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";
}

/// <summary>
/// <c>--where FIELD=V1[,V2…]</c> (repeatable): this process runs only the configurations whose FIELD is one of the
/// values, for every FIELD given (method, model, augmentation, batch, layers, hidden; labels as in the report,
/// case-insensitive). Run ids do not depend on it, so a slice run first and the whole grid run later share records.
/// </summary>
public sealed record GridFilter(IReadOnlyList<(string Field, string[] Values)> Conditions)
{
    /// <summary>The fields a condition may name.</summary>
    public static readonly IReadOnlyList<string> Fields = ["method", "model", "augmentation", "batch", "layers", "hidden"];

    /// <summary>No condition: every configuration.</summary>
    public static GridFilter All { get; } = new(Array.Empty<(string, string[])>());

    /// <summary>Whether <paramref name="config"/> meets every condition.</summary>
    public bool Contains(GridConfig config) => Conditions.All(c => c.Values.Contains(Value(config, c.Field), StringComparer.OrdinalIgnoreCase));

    static string Value(GridConfig config, string field) => field switch
    {
        "method" => config.Method,
        "model" => config.Model,
        "augmentation" => config.Augmentation,
        "batch" => config.BatchSize.ToString(CultureInfo.InvariantCulture),
        "layers" => config.Layers.ToString(CultureInfo.InvariantCulture),
        "hidden" => config.Hidden.ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>Parses the <c>--where</c> texts, e.g. ["method=BarlowTwins", "hidden=512"].</summary>
    public static GridFilter Parse(IEnumerable<string>? texts)
    {
        var conditions = new List<(string, string[])>();
        foreach (var text in texts ?? [])
        {
            int eq = text.IndexOf('=');
            var field = eq < 0 ? "" : text[..eq].Trim().ToLowerInvariant();
            var values = eq < 0 ? [] : text[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (!Fields.Contains(field) || values.Length == 0)
                throw new UserErrorException($"--where '{text}': expected FIELD=VALUE[,VALUE…] with FIELD one of {string.Join(", ", Fields)}, e.g. --where method=BarlowTwins --where hidden=512.");
            conditions.Add((field, values));
        }
        return new GridFilter(conditions);
    }

    /// <summary>The <c>--where</c> arguments that give this filter back.</summary>
    public IEnumerable<string> Arguments() => Conditions.Select(c => c.Field + "=" + string.Join(",", c.Values));

    /// <inheritdoc />
    public override string ToString() => Conditions.Count == 0 ? "all" : string.Join(" and ", Arguments());
}
