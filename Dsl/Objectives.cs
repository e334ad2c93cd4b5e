using System;

namespace GraphSSL
{
    /// <summary>
    /// Declares a self-supervised objective: a <c>partial record</c> whose positional parameters are its
    /// hyperparameters (int, double, bool or an enum, each with a default) and which has a loss member.
    /// The built-in objectives (NtXent, MoCo, GraphMae, …) are declared this way in GraphSSL.Runtime.
    /// <para>
    /// Stateless: <c>public Tensor Loss(Views views)</c>. Stateful: <c>public TState Start(ObjectiveContext
    /// context)</c> with <c>TState</c> derived from <c>GraphSSL.ObjectiveState</c> (queues, target networks,
    /// prototypes: whatever it registers is checkpointed and, if trainable, optimised), <c>public Tensor
    /// Loss(Views views, TState state)</c> and optionally <c>public void AfterStep(Views views, TState state)</c>
    /// (run after the optimiser step) and <c>public GraphBatch Prepare(GraphBatch view, TState state,
    /// Generator generator)</c> (changes a view's graph before it is encoded, e.g. GraphMAE's masking).
    /// </para>
    /// The generator checks these members, adds <c>Validate()</c>, the <c>IDeclared</c> members and the
    /// <c>IObjective&lt;TState&gt;</c> implementation the generated training step calls.
    /// </summary>
    [AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
    public sealed class ObjectiveAttribute : Attribute
    {
        /// <summary>How many views of every batch the loss reads (at least 1). Default 2.</summary>
        public int Views { get; set; } = 2;

        /// <summary>Whether the loss reads the predictions <c>P</c>, so the model needs a <see cref="PredictorAttribute"/> head.</summary>
        public bool UsesPredictor { get; set; }
    }

    /// <summary>
    /// Describes a hyperparameter of a declared objective or view (a positional record parameter): the values
    /// it accepts and a one-sentence summary shown in the catalog and in generated docs.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property, Inherited = false, AllowMultiple = false)]
    public sealed class HyperAttribute : Attribute
    {
        /// <summary>Creates the description.</summary>
        /// <param name="range">Accepted values.</param>
        /// <param name="summary">One sentence, e.g. "Temperature τ of the softmax".</param>
        public HyperAttribute(ValueRange range = ValueRange.Any, string summary = "")
        {
            Range = range;
            Summary = summary;
        }

        /// <summary>Accepted values.</summary>
        public ValueRange Range { get; }

        /// <summary>One-sentence description.</summary>
        public string Summary { get; }
    }

    /// <summary>
    /// The default weight of one objective of a model that sums several (loss = Σ weight · objective loss).
    /// Put it on the objective's positional parameter of the <see cref="SslModelAttribute"/> record; the model
    /// gets an init property <c>{Parameter}Weight</c> with this default. Objectives without it weigh 1.
    /// </summary>
    [AttributeUsage(AttributeTargets.Parameter, Inherited = false, AllowMultiple = false)]
    public sealed class WeightAttribute : Attribute
    {
        /// <summary>Creates the weight.</summary>
        public WeightAttribute(double weight) => Weight = weight;

        /// <summary>The default weight.</summary>
        public double Weight { get; }
    }
}
