using GraphSSL.Data;
using GraphSSL.Evaluation;
using GraphSSL.Training;

namespace GraphSSL.Cli.Recipes;

/// <summary>
/// The shipped recipes. Each setting comes from the authors' code, cited as repository@commit file:line:
/// Shen-Lab/GraphCL@b4d7501 (unsupervised_TU/), junxia97/SimGRACE@badf371 (unsupervised_TU/),
/// fanyun-sun/InfoGraph@673a065 (unsupervised/), THUDM/GraphMAE@b14f080. None of the four selects an epoch by
/// test accuracy in its code: GraphCL and SimGRACE report the 20th (last) epoch, GraphMAE evaluates once after
/// training, InfoGraph logs every epoch without saying which is published (we take the last).
/// </summary>
public static class RecipeBook
{
    static readonly double[] SvcGrid = [1e-3, 1e-2, 1e-1, 1, 10, 100, 1000];

    /// <summary>GraphCL and SimGRACE's evaluate_embedding.py: SVC (RBF) in GridSearchCV(cv = 5) inside an unseeded StratifiedKFold(10, shuffle).</summary>
    static readonly RecipeEvaluation SvcUnseeded = new(Evaluator.SvcRbf, SvcGrid, Folds: 10, InnerFolds: 5, Standardize: false, FoldSeed: null,
        "all graphs embedded (raw view, eval mode), not standardised; SVC (RBF, gamma = scale) with C in {1e-3 … 1e3} chosen by GridSearchCV(cv = 5) " +
        "inside StratifiedKFold(10, shuffle = True, random_state = None); mean test accuracy over the folds (GraphCL evaluate_embedding.py:132-166, 241-276). " +
        "The outer folds are seeded here with the run's seed (theirs are unseeded).");

    /// <summary>
    /// GraphCL (You et al., NeurIPS 2020), unsupervised TU: GIN 3 × 32 (gin.py:33-61; hidden arguments.py:17; 3 layers go.sh:5), sum readout
    /// of every layer concatenated (gin.py:58-59), projection head Linear(96, 96)–ReLU–Linear (gsimclr.py:97), the raw graph against one augmented
    /// view (gsimclr.py:203-245), aug random2 = node dropping int(n/10) or subgraph keeping int(0.2 n) per graph (aug.py:249-285, 306, 353),
    /// loss_cal: cosine, τ = 0.2, one direction, cross-view negatives only, positive not in the denominator (gsimclr.py:122-135), Adam lr 0.01
    /// (go.sh), no weight decay (gsimclr.py:178), batch 128, 20 epochs (gsimclr.py:154-156), seeds 0–4 (go.sh:3), use_node_attr = False
    /// (aug.py:67, 74-76), self-loops added (aug.py:227-229), accuracy after epoch 20 (gsimclr.py:253-264; the maintainer confirms in issue #57).
    /// Every Linear (encoder and head) Xavier-uniform with zero bias (gsimclr.py:99-107 init_emb, called after the head is built).
    /// Published: README:107 of THUDM/GraphMAE and the GraphCL paper's Table 3.
    /// Version 2: GraphCL's Xavier initialisation (version 1 kept TorchSharp's default).
    /// </summary>
    public static Recipe GraphCl { get; } = new(
        "graphcl", 2, "GraphCL (You et al., NeurIPS 2020)", nameof(GraphClRecipeModel), ["GraphClRandom2"], [],
        new TrainOptions { Epochs = 20, BatchSize = 128, LearningRate = 0.01, WeightDecay = 0, LinearInit = LinearInit.XavierUniform },
        new Dictionary<string, DatasetSettings>(),
        new FeatureHandling(NodeAttributes: false, SelfLoops: true),
        [0, 1, 2, 3, 4], SvcUnseeded,
        new Dictionary<string, Published> { ["MUTAG"] = new(86.80, 1.34), ["PROTEINS"] = new(74.39, 0.45), ["NCI1"] = new(77.87, 0.41), ["DD"] = new(78.62, 0.40) },
        ["Shen-Lab/GraphCL@b4d7501 unsupervised_TU/gin.py:33-61", "arguments.py:17", "go.sh:3-5", "gsimclr.py:97-107, 122-135, 154-156, 178, 203-264", "aug.py:67-94, 227-229, 249-285, 306, 353"],
        [
            "The repository does not say which of random2/3/4 produced each published number (README: 'could be random2, random3, random4'); this recipe uses random2.",
            "Ratios: GraphCL drops int(n/10) nodes and keeps int(0.2 n) for subgraph; ours rounds a share r·n to the nearest integer per graph.",
            "GraphCL's subgraph never grows its neighbour set (aug.py:371 discards the union; README issue #24); ours grows a connected neighbourhood.",
            "GraphCL removes nodes left without edges and strips self-loops from the augmented view (gsimclr.py:211-225), and misses the last node's self-loop (aug.py:227-229); ours adds every self-loop once and keeps the view's nodes.",
            "Outer folds: unseeded in GraphCL, seeded with the run's seed here (reproducible).",
        ]);

    /// <summary>
    /// SimGRACE (Xia et al., WWW 2022), unsupervised TU: GraphCL's encoder, head, loss and evaluation (the shared files are identical), 5 GIN layers
    /// (go.sh:5), the encoder copy perturbed θ + η·N(0, std(θ)) per parameter tensor, heads unperturbed, fresh noise every batch, no gradient
    /// through the perturbed branch (simgrace.py:133-140, 218, 240), η = 1.0 (arguments.py:22), loss_cal(perturbed, raw) (simgrace.py:242), Adam
    /// lr 0.01, no weight decay, batch 128, 20 epochs (arguments.py:13, 20, 23), seeds 0–4, accuracy after the last epoch only (simgrace.py:249-256),
    /// every Linear Xavier-uniform with zero bias (simgrace.py:94-102 init_emb, as GraphCL's gsimclr.py:99-107).
    /// Version 2: the Xavier initialisation (version 1 kept TorchSharp's default).
    /// </summary>
    public static Recipe SimGrace { get; } = new(
        "simgrace", 2, "SimGRACE (Xia et al., WWW 2022)", nameof(SimGraceRecipeModel), [], [],
        new TrainOptions { Epochs = 20, BatchSize = 128, LearningRate = 0.01, WeightDecay = 0, LinearInit = LinearInit.XavierUniform },
        new Dictionary<string, DatasetSettings>(),
        new FeatureHandling(NodeAttributes: false, SelfLoops: true),
        [0, 1, 2, 3, 4], SvcUnseeded,
        new Dictionary<string, Published> { ["MUTAG"] = new(89.01, 1.31), ["PROTEINS"] = new(75.35, 0.09), ["NCI1"] = new(79.12, 0.44) },
        ["junxia97/SimGRACE@badf371 unsupervised_TU/simgrace.py:93-102, 133-140, 218, 240-256", "arguments.py:13-23", "go.sh:5"],
        [
            "The perturbed copy keeps its own batch-norm running statistics in SimGRACE; ours copies the online network's before every perturbation (the copy runs in training mode, so batch statistics are used either way).",
            "SimGRACE's README asks to tune η over {0.1, 1, 10, 100} per dataset and its maintainer says lr and η need tuning (issue #6); the recipe uses the code's defaults, which is what a reproduction can fix in advance.",
            "The published numbers are the paper's (not stated in the repository).",
            "GraphCL's self-loop details apply here too (see the graphcl recipe).",
        ]);

    /// <summary>
    /// InfoGraph (Sun et al., ICLR 2020), unsupervised: GIN 3 × 32 with every layer's sum readout concatenated (gin.py:32-60; 3 layers and lr 0.001
    /// in the README), local and global discriminators 3 × (Linear, ReLU) + a linear shortcut (model.py:45-65), the JSD local–global loss, no prior
    /// (losses.py:6-32, gan_losses.py:36-37, 75-76), Adam, no weight decay, batch 128, 20 epochs (main.py:83-104), use_node_attr = False, no
    /// self-loops; evaluation as GraphCL's SVC (evaluate_embedding.py:55-163). The code does not seed and logs every epoch: we use seeds 0–4 and
    /// the last epoch. Every Linear (encoder and discriminators) Xavier-uniform with zero bias (main.py:46-54 init_emb).
    /// Version 2: the Xavier initialisation (version 1 kept TorchSharp's default).
    /// </summary>
    public static Recipe InfoGraph { get; } = new(
        "infograph", 2, "InfoGraph (Sun et al., ICLR 2020)", nameof(InfoGraphModel), [], [],
        new TrainOptions { Epochs = 20, BatchSize = 128, LearningRate = 0.001, WeightDecay = 0, LinearInit = LinearInit.XavierUniform },
        new Dictionary<string, DatasetSettings>(),
        new FeatureHandling(NodeAttributes: false, SelfLoops: false),
        [0, 1, 2, 3, 4], SvcUnseeded with { Description = SvcUnseeded.Description.Replace("GraphCL", "InfoGraph") },
        new Dictionary<string, Published> { ["MUTAG"] = new(89.01, 1.13), ["PROTEINS"] = new(74.44, 0.31), ["NCI1"] = new(76.20, 1.06) },
        ["fanyun-sun/InfoGraph@673a065 unsupervised/gin.py:32-60", "model.py:45-65", "losses.py:6-32", "main.py:46-54, 83-136", "evaluate_embedding.py:55-163"],
        [
            "InfoGraph's evaluation also runs logistic regression, LinearSVC and a random forest and the code does not say which classifier or epoch is published; the recipe uses the RBF SVC after the last epoch.",
            "InfoGraph's code sets no seed; seeds 0–4 here.",
            "PROTEINS and NCI1 published numbers come from GraphCL's and GraphMAE's tables, not from InfoGraph's repository.",
        ]);

    /// <summary>
    /// GraphMAE (Hou et al., KDD 2022), graph classification: configs.yml (MUTAG :216-236, PROTEINS :194-215, NCI1 :272-289) — layers, width,
    /// lr, epochs, batch, mask and replace rates, α, pooling per dataset; decoder a one-layer GIN, encoder-to-decoder Linear without bias, re-masking,
    /// SCE (edcoder.py:157-250, loss_func.py:5-15); one-hot node labels only, self-loops added (data_util.py:131-182); evaluation once after training:
    /// SVC (RBF) with C in {1e-3, 1e-2, 0.1, 1, 10} by GridSearchCV (5-fold) inside StratifiedKFold(10, shuffle, random_state = 0), not
    /// standardised (main_graph.py:28-68, 192-196); seeds 0–4, ± the std across seeds.
    /// Version 2: NCI1's cosine learning-rate schedule (version 1 kept NCI1's rate constant; MUTAG and PROTEINS are unchanged).
    /// Version 3: input dropout 0.2 at every encoder layer and at the decoder (in_drop: configs.yml :204, :234, NCI1 the default of
    /// utils.py:61; gin.py:74 applies it before every GIN layer, edcoder.py:149, 167 passes it to encoder and decoder).
    /// Version 4: GraphMAE's GIN layer, Linear–BN–PReLU–Linear then BN–PReLU (gin.py MLP and ApplyNodeFunc), and its decoder, one GIN layer
    /// whose MLP is Linear(D, D)–BN–PReLU–Linear(D, F) with nothing after it (gin.py GIN with num_layers = 1 and encoding = False;
    /// edcoder.py setup_module for the decoder with num_hidden = the encoder's width). Versions 1–3 used the study's ReLU layer and one Linear.
    /// </summary>
    public static Recipe GraphMae { get; } = new(
        "graphmae", 4, "GraphMAE (Hou et al., KDD 2022)", nameof(GraphMaeRecipeModel), [], [],
        new TrainOptions { Epochs = 20, BatchSize = 64, LearningRate = 5e-4, WeightDecay = 0 },
        new Dictionary<string, DatasetSettings>
        {
            ["MUTAG"] = new(["Encoder.Layers=5", "Encoder.Hidden=32", "Encoder.Pooling=Sum", "Objective.MaskRate=0.75", "Objective.ReplaceRate=0.1", "Objective.Alpha=2", "Encoder.Dropout=0.2", "Objective.DecoderDropout=0.2", "Objective.DecoderHidden=32"],
                new TrainOptions { Epochs = 20, BatchSize = 64, LearningRate = 5e-4, WeightDecay = 0 }),
            ["PROTEINS"] = new(["Encoder.Layers=3", "Encoder.Hidden=512", "Encoder.Pooling=Max", "Objective.MaskRate=0.5", "Objective.ReplaceRate=0", "Objective.Alpha=1", "Encoder.Dropout=0.2", "Objective.DecoderDropout=0.2", "Objective.DecoderHidden=512"],
                new TrainOptions { Epochs = 100, BatchSize = 32, LearningRate = 1.5e-4, WeightDecay = 0 }),
            ["NCI1"] = new(["Encoder.Layers=2", "Encoder.Hidden=512", "Encoder.Pooling=Mean", "Objective.MaskRate=0.25", "Objective.ReplaceRate=0.1", "Objective.Alpha=2", "Encoder.Dropout=0.2", "Objective.DecoderDropout=0.2", "Objective.DecoderHidden=512"],
                new TrainOptions { Epochs = 300, BatchSize = 16, LearningRate = 1e-3, WeightDecay = 0, Schedule = LearningRateSchedule.Cosine }),
        },
        new FeatureHandling(NodeAttributes: false, SelfLoops: true),
        [0, 1, 2, 3, 4],
        new RecipeEvaluation(Evaluator.SvcRbf, [1e-3, 1e-2, 1e-1, 1, 10], Folds: 10, InnerFolds: 5, Standardize: false, FoldSeed: 0,
            "all graphs embedded, not standardised; SVC (RBF) with C in {1e-3 … 10} chosen by GridSearchCV (5-fold) inside StratifiedKFold(10, shuffle = True, " +
            "random_state = 0): the same folds for every seed (GraphMAE main_graph.py:28-68)."),
        new Dictionary<string, Published> { ["MUTAG"] = new(88.19, 1.26), ["PROTEINS"] = new(75.30, 0.39), ["NCI1"] = new(80.40, 0.30) },
        ["THUDM/GraphMAE@b14f080 configs.yml:194-236, 272-289", "graphmae/models/gin.py:32-203", "graphmae/models/edcoder.py:157-250", "graphmae/utils/loss_func.py:5-15", "main_graph.py:28-68, 170-196", "data_util.py:131-182"],
        [
            "GraphMAE masks int(mask_rate·N) nodes over the batched graph and zeroes the replaced share before copying; ours masks max(1, ⌊rate·N⌋).",
            "NCI1 uses GraphMAE's cosine learning-rate schedule, stepped once per epoch (configs.yml NCI1 \"scheduler: True\", main_graph.py:170-175); MUTAG and PROTEINS keep the rate constant, as their configs do.",
        ]);

    /// <summary>Every recipe, by name.</summary>
    public static IReadOnlyList<Recipe> All { get; } = [GraphCl, SimGrace, InfoGraph, GraphMae];

    /// <summary>The recipe called <paramref name="name"/> (case-insensitive), or a user error listing them.</summary>
    public static Recipe Find(string name)
        => All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase))
           ?? throw new UserErrorException($"No recipe named '{name}'. Recipes: {string.Join(", ", All.Select(r => r.Name))}.");
}
